/*
 * pt_compare.c -- a branch laboratory against the reference laboratory,
 * round after round (lims_plugin.compare).
 *
 * For every round both laboratories reported, it gives both results, their
 * difference, the method's reproducibility R at their mean (two single
 * results of two laboratories agree when |x1 - x2| <= R), En from both
 * expanded uncertainties, and the trend per measurand: the running mean of
 * En, how many of the last rounds signalled, and the current run of
 * differences of one sign (a bias shows as a long run).
 */
#include <math.h>
#include <stdio.h>
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
    "rm.matrix "
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

/* Trend state of one measurand. */
typedef struct trend {
    char measurand[64];
    double en_sum;
    unsigned en_n;
    unsigned char hist[64]; /* 1 = signal, ring of the last rounds */
    unsigned hist_n;
    int run;
} trend;

/* signal: the round's En is an action signal (pt_stats_compare_en). */
static void update_trend(trend *t, lims_compare_row *row, unsigned window,
                         int signal)
{
    unsigned i, k;
    int sign = row->diff > 0 ? 1 : row->diff < 0 ? -1 : 0;

    if (!isnan(row->En)) {
        t->en_sum += row->En;
        t->en_n++;
    }
    t->hist[t->hist_n % 64] = (unsigned char)signal;
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
}

lims_status pt_core_compare(lims_instance *inst, const char *lab,
                            const char *ref, const char *measurand,
                            unsigned window, lims_compare_cb cb, void *ctx,
                            char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    sqlite3_stmt *q = NULL;
    long long a = 0, b = 0;
    lims_compare_row row;
    lims_policy pol = {sizeof pol, 12, 11, 1};
    trend t;
    pt_method m;
    pt_precision pr;
    double diff;
    pt_stats_class en_class;
    int en_ok, r_ok, agree;
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
        const lims_plugin *p = pt_core_scheme(inst, pt_store_text(q, 10));
        memset(&row, 0, sizeof row);
        row.size = sizeof row;
        row.round = pt_store_text(q, 0);
        row.opened = pt_store_text(q, 1);
        row.measurand = pt_store_text(q, 2);
        row.item = pt_store_text(q, 3);
        row.unit = pt_store_text(q, 4);
        row.method = pt_store_text(q, 5);
        row.lab_value = pt_store_num(q, 6);
        row.lab_U = pt_store_num(q, 7);
        row.ref_value = pt_store_num(q, 8);
        row.ref_U = pt_store_num(q, 9);
        if (pt_stats_d(row.lab_value, row.ref_value, &row.diff) !=
            PT_STATS_OK)
            row.diff = NAN;
        row.En = NAN;
        row.limit = NAN;
        if (p) {
            p->policy(&pol);
            if ((rc = pt_method_find(db, p, row.measurand, row.method, &m,
                                     err, errlen)) ||
                (rc = pt_method_precision(
                     db, &m, pt_store_text(q, 11),
                     (row.lab_value + row.ref_value) / 2, &pr,
                     err, errlen)))
                break;
            row.limit = pr.R;
        }
        /* En from both expanded uncertainties, and |x1 - x2| <= R of
         * the method (ISO 4259): pt_stats_compare_en, _compare_two */
        en_ok = pt_stats_compare_en(row.lab_value, row.lab_U, row.ref_value,
                                    row.ref_U, pol.en_le_one_satisfactory,
                                    &row.En, &en_class) == PT_STATS_OK;
        if (!en_ok)
            row.En = NAN;
        r_ok = !isnan(row.limit) &&
               pt_stats_compare_two(row.lab_value, row.ref_value, row.limit,
                                    &diff, &agree) == PT_STATS_OK;
        if (!en_ok && !r_ok)
            row.verdict = "not assessed";
        else if ((en_ok && en_class != PT_CLASS_SATISFACTORY) ||
                 (r_ok && !agree))
            row.verdict = "disagree";
        else
            row.verdict = "agree";
        if (strcmp(t.measurand, row.measurand) != 0) {
            memset(&t, 0, sizeof t);
            snprintf(t.measurand, sizeof t.measurand, "%s", row.measurand);
        }
        update_trend(&t, &row, window,
                     en_ok && en_class != PT_CLASS_SATISFACTORY);
        if (cb(ctx, &row))
            break;
    }
done:
    sqlite3_finalize(q);
    return rc;
}
