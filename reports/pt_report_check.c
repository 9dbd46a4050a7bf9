/*
 * pt_report_check.c -- validation of a pt_report before writing (see
 * pt_report_check.h).  What is checked: the pointers that counts promise,
 * the indices that tie rows to rounds and groups, the verdict codes, and
 * every date (ISO format, real calendar dates), because the workbook shows
 * them as dates and derives the 民國 year from them.
 */
#include "pt_report_check.h"

#include <stdarg.h>
#include <stdio.h>

#include "pt_report_date.h"

static pt_report_status fail(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static pt_report_status fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return PT_REPORT_ERR_ARG;
}

/* An optional ISO date: NULL and "" pass. */
static int bad_date(const char *s)
{
    pt_report_date d;

    return s && *s && pt_report_date_parse(s, 0, &d) != 0;
}

static pt_report_status check_round(const pt_report_round *rd, size_t i,
                                    char *err, size_t errlen)
{
    if (!rd->code || !*rd->code)
        return fail(err, errlen, "rounds[%zu].code: missing", i);
    if (bad_date(rd->opened))
        return fail(err, errlen,
                    "rounds[%zu].opened: \"%s\" is not an ISO date "
                    "(YYYY-MM-DD)",
                    i, rd->opened);
    if (bad_date(rd->closed))
        return fail(err, errlen,
                    "rounds[%zu].closed: \"%s\" is not an ISO date "
                    "(YYYY-MM-DD)",
                    i, rd->closed);
    if (rd->n_groups > 0 && !rd->groups)
        return fail(err, errlen, "rounds[%zu].groups: NULL but n_groups is %zu",
                    i, rd->n_groups);
    return PT_REPORT_OK;
}

/* The arrays of the audit sheets: counts backed by pointers, indices in
 * range, dates that are dates. */
static pt_report_status check_audit(const pt_report *r, char *err,
                                    size_t errlen)
{
    if ((r->n_plans && !r->plans) || (r->n_capas && !r->capas) ||
        (r->n_compares && !r->compares) || (r->n_methods && !r->methods) ||
        (r->n_limits && !r->limits))
        return fail(err, errlen, "an audit array is NULL but its count is "
                                 "not 0");
    for (size_t i = 0; i < r->n_plans; i++) {
        const pt_report_plan *p = &r->plans[i];

        if (p->year_to < p->year_from || p->year_to - p->year_from > 100 ||
            !p->actual)
            return fail(err, errlen,
                        "plans[%zu]: years %d to %d, or no actual counts", i,
                        p->year_from, p->year_to);
    }
    for (size_t i = 0; i < r->n_capas; i++) {
        const pt_report_capa *a = &r->capas[i];

        if (a->row == PT_REPORT_NO_ROW ? a->plan >= r->n_plans
                                       : a->row >= r->n_rows ||
                                             !r->rows[a->row].own)
            return fail(err, errlen,
                        "capas[%zu].row: %zu is not a row of the laboratory "
                        "(nor a plan gap of one of its plan rows)",
                        i, a->row);
        if (bad_date(a->opened) || bad_date(a->due) || bad_date(a->closed) ||
            bad_date(a->effective_on))
            return fail(err, errlen, "capas[%zu]: a date is not an ISO date",
                        i);
    }
    for (size_t i = 0; i < r->n_compares; i++)
        if (bad_date(r->compares[i].opened))
            return fail(err, errlen,
                        "compares[%zu].opened: \"%s\" is not an ISO date", i,
                        r->compares[i].opened);
    for (size_t i = 0; i < r->n_limits; i++)
        if (bad_date(r->limits[i].effective_from) ||
            bad_date(r->limits[i].effective_to))
            return fail(err, errlen, "limits[%zu]: a date is not an ISO date",
                        i);
    return PT_REPORT_OK;
}

pt_report_status pt_report_check(const pt_report *r, char *err, size_t errlen)
{
    pt_report_date d;
    pt_report_status st;

    if (!r)
        return fail(err, errlen, "no report given");
    if (!r->generated_at || pt_report_date_parse(r->generated_at, 1, &d) ||
        !d.has_time)
        return fail(err, errlen,
                    "generated_at: \"%s\" is not an ISO date-time "
                    "(YYYY-MM-DDTHH:MM:SS, UTC)",
                    r->generated_at ? r->generated_at : "(null)");
    {
        int minutes;
        if (pt_report_date_tz_offset(r->tz, &minutes) != 0)
            return fail(err, errlen,
                        "tz: \"%s\" is not a time zone ptlims knows (a "
                        "name such as Asia/Taipei or UTC, or +HH:MM)",
                        r->tz);
    }
    if (r->roc_dates < 0 || r->roc_dates > 2)
        return fail(err, errlen, "roc_dates: %d is not 0, 1 or 2",
                    r->roc_dates);
    if (bad_date(r->period_from))
        return fail(err, errlen,
                    "period_from: \"%s\" is not an ISO date (YYYY-MM-DD)",
                    r->period_from);
    if (bad_date(r->period_to))
        return fail(err, errlen,
                    "period_to: \"%s\" is not an ISO date (YYYY-MM-DD)",
                    r->period_to);
    if (r->n_rounds > 0 && !r->rounds)
        return fail(err, errlen, "rounds: NULL but n_rounds is %zu",
                    r->n_rounds);
    if (r->n_rows > 0 && !r->rows)
        return fail(err, errlen, "rows: NULL but n_rows is %zu", r->n_rows);
    if (r->source && !r->source->round_rows)
        return fail(err, errlen, "source: no round_rows function");
    for (size_t i = 0; i < r->n_rounds; i++)
        if ((st = check_round(&r->rounds[i], i, err, errlen)) != PT_REPORT_OK)
            return st;
    for (size_t i = 0; i < r->n_rows; i++) {
        const pt_report_row *x = &r->rows[i];

        if (x->round >= r->n_rounds)
            return fail(err, errlen,
                        "rows[%zu].round: %zu is out of range (%zu rounds)", i,
                        x->round, r->n_rounds);
        if (x->group >= r->rounds[x->round].n_groups)
            return fail(err, errlen,
                        "rows[%zu].group: %zu is out of range, round %s has "
                        "%zu groups",
                        i, x->group, r->rounds[x->round].code,
                        r->rounds[x->round].n_groups);
        if (x->verdict < PT_VERDICT_NONE ||
            x->verdict > PT_VERDICT_UNSATISFACTORY)
            return fail(err, errlen, "rows[%zu].verdict: unknown code %d", i,
                        (int)x->verdict);
        if (bad_date(x->tested_on))
            return fail(err, errlen,
                        "rows[%zu].tested_on: \"%s\" is not an ISO date", i,
                        x->tested_on);
    }
    return check_audit(r, err, errlen);
}
