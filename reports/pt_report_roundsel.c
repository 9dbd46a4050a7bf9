/*
 * pt_report_roundsel.c -- which rounds get a sheet of their own (the rule
 * is stated in pt_report.h; see pt_report_round.h).
 *
 * A sheet per round is what an assessor wants for a laboratory's few
 * dozen rounds, and useless for thousands: then the most recent rounds
 * (the current state) and the rounds with a signal (what 7.7.3 asks the
 * laboratory to act on) get one, up to the limit, and every result stays
 * on All results.
 */
#include <stdlib.h>
#include <string.h>

#include "pt_report_round.h"

typedef struct by_date {
    const char *opened;
    size_t i;
} by_date;

/* Most recent first: later opening date, then later in the caller's order;
 * a round without a date counts as the oldest. */
static int cmp_recent(const void *a, const void *b)
{
    const by_date *p = a, *q = b;
    int k = strcmp(q->opened, p->opened);

    if (k != 0)
        return k;
    return q->i > p->i ? 1 : q->i < p->i ? -1 : 0;
}

int pt_report_round_select(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    size_t n = r->n_rounds, max = r->max_round_sheets, recent, taken = 0;
    unsigned char *signal;
    by_date *order;

    if (max == 0)
        max = PT_REPORT_ROUND_SHEETS;
    c->why = calloc(n ? n : 1, 1);
    signal = calloc(n ? n : 1, 1);
    order = malloc((n ? n : 1) * sizeof *order);
    if (!c->why || !signal || !order) {
        free(signal);
        free(order);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < r->n_rows; k++)
        if (r->rows[k].own &&
            (r->rows[k].verdict == PT_VERDICT_QUESTIONABLE ||
             r->rows[k].verdict == PT_VERDICT_UNSATISFACTORY))
            signal[r->rows[k].round] = 1;
    c->n_signal_rounds = 0;
    for (size_t i = 0; i < n; i++)
        c->n_signal_rounds += signal[i];

    if (n <= max) {
        memset(c->why, PT_ROUND_SHEET_EVERY, n);
        c->n_round_sheets = n;
        c->n_recent = 0;
        free(signal);
        free(order);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        order[i].opened = r->rounds[i].opened ? r->rounds[i].opened : "";
        order[i].i = i;
    }
    qsort(order, n, sizeof *order, cmp_recent);
    recent = max / 4 ? max / 4 : 1;
    for (size_t k = 0; k < n && taken < recent; k++, taken++)
        c->why[order[k].i] = PT_ROUND_SHEET_RECENT;
    c->n_recent = taken;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k].i;

        if (c->why[i] != PT_ROUND_NO_SHEET || !signal[i])
            continue;
        if (taken < max) {
            c->why[i] = PT_ROUND_SHEET_SIGNAL;
            taken++;
        } else {
            c->why[i] = PT_ROUND_NO_SHEET_SIGNAL;
        }
    }
    for (size_t k = 0; k < n && taken < max; k++)
        if (c->why[order[k].i] == PT_ROUND_NO_SHEET) {
            c->why[order[k].i] = PT_ROUND_SHEET_FILL;
            taken++;
        }
    c->n_round_sheets = taken;
    free(signal);
    free(order);
    return 0;
}

int pt_report_round_has_sheet(const pt_report_ctx *c, size_t i)
{
    return c->why && c->why[i] >= PT_ROUND_SHEET_EVERY;
}
