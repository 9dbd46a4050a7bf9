/*
 * pt_compare.c -- a branch laboratory against the reference laboratory,
 * round after round (lims_plugin.compare).
 *
 * For every round both laboratories reported, it gives both results, their
 * difference, the method's reproducibility R at their mean (two single
 * results of two laboratories agree when |x1 - x2| <= R), En from both
 * expanded uncertainties, and the trend per sub-discipline: the running
 * mean of En, how many of the last rounds signalled, and the current run
 * of differences of one sign (a bias shows as a long run).
 *
 * A series is one measurand x matrix x technique (the plan's
 * sub-discipline): diesel at 8 mg/kg and fuel oil at 4500 mg/kg are two
 * series, never one running mean.  The matrix is the item's (round_item,
 * schema 013), else the round's; the technique is the principle of the
 * laboratory's method.  The rows are read whole, ordered by series and
 * date, then given to the caller with their trend.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_method.h"
#include "pt_stats.h"
#include "pt_store.h"

#define LATEST(t)                                                             \
    t ".version = (SELECT max(version) FROM result o WHERE o.round_id = " t  \
    ".round_id AND o.lab_id = " t ".lab_id AND o.measurand = " t             \
    ".measurand AND o.item = " t ".item)"

/* Item x of kind k is not voided (schema 012). */
#define COUNTS(k, x)                                                         \
    "NOT EXISTS (SELECT 1 FROM voided v WHERE v.kind = '" k "' AND "         \
    "v.row_id = " x ")"

static const char compare_sql[] =
    "SELECT ro.code, ro.opened, a.measurand, a.item, rm.unit, "
    "coalesce(a.method, b.method, ''), a.value, a.U, b.value, b.U, sc.code, "
    "coalesce((SELECT i.matrix FROM round_item i WHERE i.round_id = "
    "a.round_id AND i.measurand = a.measurand AND i.item = a.item), "
    "rm.matrix, '') "
    "FROM result a JOIN result b ON b.round_id = a.round_id "
    "AND b.measurand = a.measurand AND b.item = a.item "
    "JOIN round ro ON ro.id = a.round_id "
    "JOIN scheme sc ON sc.id = ro.scheme_id "
    "JOIN round_measurand rm ON rm.round_id = a.round_id "
    "AND rm.measurand = a.measurand "
    "WHERE a.lab_id = ?1 AND b.lab_id = ?2 "
    "AND (?3 IS NULL OR a.measurand = ?3) AND " LATEST("a") " AND " LATEST(
        "b") " AND " COUNTS("result", "a.id") " AND " COUNTS("result", "b.id")
    " AND " COUNTS("round", "ro.id")
    " ORDER BY a.measurand, ro.opened, ro.code, a.item";

/* A copy of s (NULL as ""), or NULL when out of memory. */
static char *copy(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);

    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

int pt_compare_trend_add(pt_compare_trend *t, lims_compare_row *row,
                         unsigned window, int signal)
{
    const char *matrix =
        LIMS_HAS_MEMBER(row, lims_compare_row, matrix) && row->matrix
            ? row->matrix
            : "";
    const char *tech =
        LIMS_HAS_MEMBER(row, lims_compare_row, technique) && row->technique
            ? row->technique
            : "";
    size_t n = strlen(row->measurand) + strlen(matrix) + strlen(tech) + 3;
    char *key = malloc(n);
    int sign = row->diff > 0 ? 1 : row->diff < 0 ? -1 : 0, fresh = 0;
    unsigned i, k;

    if (!key) {
        t->nomem = 1;
        return 0;
    }
    snprintf(key, n, "%s\n%s\n%s", row->measurand, matrix, tech);
    if (!t->series || strcmp(t->series, key) != 0) {
        free(t->series);
        memset(t, 0, sizeof *t);
        t->series = key;
        fresh = 1;
    } else {
        free(key);
    }
    if (window < 1)
        window = 1;
    if (window > 64)
        window = 64;
    if (!isnan(row->En)) {
        t->en_sum += row->En;
        t->en_n++;
    }
    t->hist[t->hist_n % 64] = (unsigned char)(signal != 0);
    t->hist_n++;
    if (sign == 0)
        t->run = 0;
    else if ((t->run > 0 && sign > 0) || (t->run < 0 && sign < 0))
        t->run += sign;
    else
        t->run = sign;
    row->en_mean = t->en_n ? t->en_sum / t->en_n : NAN;
    row->signals = 0;
    k = t->hist_n < window ? t->hist_n : window;
    for (i = 0; i < k; i++)
        row->signals += t->hist[(t->hist_n - 1 - i) % 64];
    row->same_sign_run = t->run;
    return fresh;
}

void pt_compare_trend_free(pt_compare_trend *t)
{
    free(t->series);
    memset(t, 0, sizeof *t);
}

/* One compare row read, its texts owned. */
typedef struct cmp_row {
    lims_compare_row row;
    char *text[8]; /* round, opened, measurand, item, unit, method, matrix,
                      technique */
    int signal;
    size_t order; /* as read: the last tie-break */
} cmp_row;

static int by_series(const void *pa, const void *pb)
{
    const cmp_row *a = pa, *b = pb;
    static const int keys[] = {2, 6, 7, 1, 0, 3}; /* series, then date */
    size_t i;
    int c;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if ((c = strcmp(a->text[keys[i]], b->text[keys[i]])) != 0)
            return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* The principle of method m ("UV fluorescence"), into buf; "" when m is
 * not in the method table. */
static lims_status technique(sqlite3 *db, const pt_method *m, char *buf,
                             size_t n, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc;

    buf[0] = '\0';
    if (!m->id)
        return LIMS_OK;
    if ((rc = pt_store_prepare(db,
                               "SELECT principle FROM method WHERE id "
                               "= ?1",
                               &q, err, errlen)))
        return rc;
    sqlite3_bind_int64(q, 1, m->id);
    if (sqlite3_step(q) == SQLITE_ROW)
        snprintf(buf, n, "%s", pt_store_text(q, 0));
    sqlite3_finalize(q);
    return LIMS_OK;
}

/* Judge the current row of q into r: R at the mean, En, the verdict. */
static lims_status judge(lims_instance *inst, sqlite3_stmt *q, cmp_row *r,
                         char *err, size_t errlen)
{
    const lims_plugin *p = pt_core_scheme(inst, pt_store_text(q, 10));
    lims_compare_row *row = &r->row;
    lims_policy pol = {sizeof pol, 12, 11, 1};
    pt_method m;
    pt_precision pr;
    pt_stats_class en_class;
    char tech[256];
    double diff;
    int en_ok, r_ok, agree, i;
    lims_status rc;

    static const int cols[] = {0, 1, 2, 3, 4, 5, 11};
    for (i = 0; i < 7; i++)
        if (!(r->text[i] = copy(pt_store_text(q, cols[i])))) {
            snprintf(err, errlen, "compare: out of memory");
            return LIMS_ERR_NOMEM;
        }
    memset(row, 0, sizeof *row);
    row->size = sizeof *row;
    row->lab_value = pt_store_num(q, 6);
    row->lab_U = pt_store_num(q, 7);
    row->ref_value = pt_store_num(q, 8);
    row->ref_U = pt_store_num(q, 9);
    if (pt_stats_d(row->lab_value, row->ref_value, &row->diff) !=
        PT_STATS_OK)
        row->diff = NAN;
    row->En = NAN;
    row->limit = NAN;
    tech[0] = '\0';
    if (p) {
        p->policy(&pol);
        if ((rc = pt_method_find(inst->db, p, r->text[2], r->text[5], &m, err,
                                 errlen)) ||
            (rc = pt_method_precision(inst->db, &m, r->text[6],
                                      (row->lab_value + row->ref_value) / 2,
                                      &pr, err, errlen)) ||
            (rc = technique(inst->db, &m, tech, sizeof tech, err, errlen)))
            return rc;
        row->limit = pr.R;
    }
    if (!(r->text[7] = copy(tech))) {
        snprintf(err, errlen, "compare: out of memory");
        return LIMS_ERR_NOMEM;
    }
    /* En from both expanded uncertainties, and |x1 - x2| <= R of the
     * method (ISO 4259): pt_stats_compare_en, _compare_two */
    en_ok = pt_stats_compare_en(row->lab_value, row->lab_U, row->ref_value,
                                row->ref_U, pol.en_le_one_satisfactory,
                                &row->En, &en_class) == PT_STATS_OK;
    if (!en_ok)
        row->En = NAN;
    r_ok = !isnan(row->limit) &&
           pt_stats_compare_two(row->lab_value, row->ref_value, row->limit,
                                &diff, &agree) == PT_STATS_OK;
    if (!en_ok && !r_ok)
        row->verdict = "not assessed";
    else if ((en_ok && en_class != PT_CLASS_SATISFACTORY) || (r_ok && !agree))
        row->verdict = "disagree";
    else
        row->verdict = "agree";
    r->signal = en_ok && en_class != PT_CLASS_SATISFACTORY;
    return LIMS_OK;
}

lims_status pt_core_compare(lims_instance *inst, const char *lab,
                            const char *ref, const char *measurand,
                            unsigned window, lims_compare_cb cb, void *ctx,
                            char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    sqlite3_stmt *q = NULL;
    long long a = 0, b = 0;
    cmp_row *rows = NULL, *grown;
    size_t n = 0, cap = 0, i, k;
    pt_compare_trend t;
    lims_status rc;

    if (!window)
        window = 4;
    if (window > 64)
        window = 64;
    memset(&t, 0, sizeof t);
    if ((rc = pt_store_lab_id(db, lab, NULL, &a, err, errlen)) ||
        (rc = pt_store_lab_id(db, ref, NULL, &b, err, errlen)) ||
        (rc = pt_store_prepare(db, compare_sql, &q, err, errlen)))
        goto done;
    sqlite3_bind_int64(q, 1, a);
    sqlite3_bind_int64(q, 2, b);
    pt_store_bind_text(q, 3, measurand);
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            if (!(grown = realloc(rows, cap * sizeof *rows))) {
                snprintf(err, errlen, "compare: out of memory");
                rc = LIMS_ERR_NOMEM;
                break;
            }
            rows = grown;
        }
        memset(&rows[n], 0, sizeof rows[n]);
        rows[n].order = n;
        rc = judge(inst, q, &rows[n], err, errlen);
        n++;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc)
        goto done;
    qsort(rows, n, sizeof *rows, by_series);
    for (i = 0; i < n; i++) {
        lims_compare_row *row = &rows[i].row;
        row->round = rows[i].text[0];
        row->opened = rows[i].text[1];
        row->measurand = rows[i].text[2];
        row->item = rows[i].text[3];
        row->unit = rows[i].text[4];
        row->method = rows[i].text[5];
        row->matrix = rows[i].text[6];
        row->technique = rows[i].text[7];
        pt_compare_trend_add(&t, row, window, rows[i].signal);
        if (t.nomem) {
            snprintf(err, errlen, "compare: out of memory");
            rc = LIMS_ERR_NOMEM;
            break;
        }
        if (cb(ctx, row))
            break;
    }
done:
    sqlite3_finalize(q);
    for (i = 0; i < n; i++)
        for (k = 0; k < 8; k++)
            free(rows[i].text[k]);
    free(rows);
    pt_compare_trend_free(&t);
    return rc;
}
