/*
 * pt_assess.c -- scope, repeatability and conformity checks of a recorded
 * result (see pt_assess.h).
 *
 * The limit comes from the limit_spec table through the scheme's
 * limit_key(): the scheme knows which category a result falls in, the data
 * knows the value, its edition and its source.  Per-kW limits take the
 * greater of the fixed value and the per-kW value, capped; a power-input
 * tolerance in % of the rated power becomes an absolute power.
 */
#include "pt_assess.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_check.h"
#include "pt_csv.h"
#include "pt_method.h"
#include "pt_stats.h"
#include "pt_store.h"

struct pt_assess {
    sqlite3 *db;
    sqlite3_stmt *limit_q;
    sqlite3_stmt *warn_ins;
    sqlite3_stmt *conf_ins;
    pt_method_cache methods;
    /* limit_q is left on the answer for this key (results of a round
     * share it); lim_found: it has a row */
    const lims_plugin *lim_scheme;
    char lim_measurand[64], lim_category[96], lim_date[32];
    int lim_found;
};

lims_status pt_assess_new(sqlite3 *db, pt_assess **out, char *err,
                          size_t errlen)
{
    pt_assess *a = calloc(1, sizeof *a);
    lims_status rc;

    *out = NULL;
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    a->db = db;
    if ((rc = pt_store_prepare(
            db,
            "SELECT id, value, unit, alt_value, alt_unit, alt_rule, cap, "
            "standard, status FROM limit_spec WHERE scheme = ?1 AND "
            "measurand = ?2 AND category = ?3 AND (effective_from IS NULL "
            "OR effective_from <= ?4) AND (effective_to IS NULL OR ?4 < "
            "effective_to) ORDER BY effective_from DESC LIMIT 1",
            &a->limit_q, err, errlen)) ||
        (rc = pt_store_prepare(db,
                         "INSERT INTO result_warning (result_id, message) "
                         "VALUES (?1, ?2)",
                         &a->warn_ins, err, errlen)) ||
        (rc = pt_store_prepare(db,
                         "INSERT INTO conformity (result_id, limit_id, "
                         "limit_value, threshold, verdict, near_limit, rule) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         &a->conf_ins, err, errlen)) ||
        (rc = pt_method_cache_init(&a->methods, db, err, errlen))) {
        pt_assess_free(a);
        return rc;
    }
    *out = a;
    return LIMS_OK;
}

void pt_assess_free(pt_assess *a)
{
    if (!a)
        return;
    sqlite3_finalize(a->limit_q);
    sqlite3_finalize(a->warn_ins);
    sqlite3_finalize(a->conf_ins);
    pt_method_cache_release(&a->methods);
    free(a);
}

static lims_status warning(pt_assess *a, const pt_assess_in *in,
                           const char *msg,
                           void (*warn)(void *, const char *), void *ctx,
                           char *err, size_t errlen)
{
    sqlite3_reset(a->warn_ins);
    sqlite3_bind_int64(a->warn_ins, 1, in->result_id);
    sqlite3_bind_text(a->warn_ins, 2, msg, -1, SQLITE_STATIC);
    if (sqlite3_step(a->warn_ins) != SQLITE_DONE) {
        snprintf(err, errlen, "result warning: %s", sqlite3_errmsg(a->db));
        return LIMS_ERR_DB;
    }
    if (warn)
        warn(ctx, msg);
    return LIMS_OK;
}

static const char *condition(const pt_assess_in *in, const char *name)
{
    size_t i;
    for (i = 0; i < in->n_conditions; i++)
        if (strcmp(in->conditions[i].name, name) == 0)
            return in->conditions[i].value;
    return NULL;
}

/* Replicates "a;b" (reported unit) against r at their mean. */
static lims_status replicates(pt_assess *a, const pt_assess_in *in,
                              const pt_method *m,
                              void (*warn)(void *, const char *), void *ctx,
                              char *err, size_t errlen)
{
    const char *text = condition(in, "replicates");
    char buf[256], msg[384], *tok, *save = NULL, why[128];
    double v, lo = INFINITY, hi = -INFINITY, sum = 0, r, R;
    int n = 0, pow10 = (int)lround(log10(in->scale));

    if (!text || !*text)
        return LIMS_OK;
    snprintf(buf, sizeof buf, "%s", text);
    for (tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        if (pt_csv_number(tok, &v, why, sizeof why) != 0 ||
            pt_check_scale_text(tok, pow10, &v) != 0) {
            snprintf(msg, sizeof msg, "replicates: %s", why);
            return warning(a, in, msg, warn, ctx, err, errlen);
        }
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        sum += v;
        n++;
    }
    if (n != 2)
        return LIMS_OK; /* r is the limit for two results */
    pt_method_cache_precision(&a->methods, m, sum / n, &r, &R);
    if (!isnan(r) && hi - lo > r) {
        snprintf(msg, sizeof msg,
                 "replicates differ by %.4g, more than the repeatability "
                 "r = %.4g of %s at %.4g",
                 hi - lo, r, m->code, sum / n);
        return warning(a, in, msg, warn, ctx, err, errlen);
    }
    return LIMS_OK;
}

/* The limit in force for this result, canonical unit; NAN when none. */
static double limit_value(const pt_assess_in *in, const lims_limit_key *k,
                          sqlite3_stmt *q)
{
    double value = pt_store_num(q, 1), alt = pt_store_num(q, 3);
    double cap = pt_store_num(q, 6), scale;
    const char *unit = pt_store_text(q, 2), *alt_unit = pt_store_text(q, 4);
    int greater = strcmp(pt_store_text(q, 5), "greater") == 0;

    if (strcmp(unit, "%") == 0) {
        /* a tolerance on the rated power, as an absolute power */
        if (isnan(k->rated_power))
            return NAN;
        value = k->rated_power * value / 100;
        if (!isnan(alt) && strcmp(alt_unit, "W") == 0)
            value = greater ? fmax(value, alt) : fmin(value, alt);
        return k->rated_power + value;
    }
    scale = pt_method_unit_scale(in->scheme, in->measurand, unit);
    if (!isnan(value))
        value *= scale;
    if (!isnan(alt) && strstr(alt_unit, "/kW")) {
        if (isnan(k->rated_power))
            return isnan(value) ? NAN : value;
        alt *= k->rated_power / 1000 * scale;
        value = isnan(value) ? alt
                : greater    ? fmax(value, alt)
                             : fmin(value, alt);
    }
    if (!isnan(cap) && value > cap * scale)
        value = cap * scale;
    return value;
}

/* Non-zero when limit_q is on the limit in force for key k on in->date;
 * the query runs only when the key differs from the last one. */
static int limit_row(pt_assess *a, const pt_assess_in *in,
                     const lims_limit_key *k)
{
    if (a->lim_scheme == in->scheme &&
        strcmp(a->lim_measurand, k->measurand) == 0 &&
        strcmp(a->lim_category, k->category) == 0 &&
        strcmp(a->lim_date, in->date) == 0)
        return a->lim_found;
    sqlite3_reset(a->limit_q);
    sqlite3_bind_text(a->limit_q, 1, in->scheme->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(a->limit_q, 2, k->measurand, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(a->limit_q, 3, k->category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(a->limit_q, 4, in->date, -1, SQLITE_TRANSIENT);
    a->lim_found = sqlite3_step(a->limit_q) == SQLITE_ROW;
    a->lim_scheme = NULL;
    if (strlen(in->date) < sizeof a->lim_date &&
        strlen(k->measurand) < sizeof a->lim_measurand &&
        strlen(k->category) < sizeof a->lim_category) {
        a->lim_scheme = in->scheme;
        snprintf(a->lim_measurand, sizeof a->lim_measurand, "%s",
                 k->measurand);
        snprintf(a->lim_category, sizeof a->lim_category, "%s", k->category);
        snprintf(a->lim_date, sizeof a->lim_date, "%s", in->date);
    }
    return a->lim_found;
}

static lims_status conformity(pt_assess *a, const pt_assess_in *in,
                              const pt_method *m, char *err, size_t errlen)
{
    lims_limit_key k;
    char rule[384], why[256] = "";
    const char *verdict = "not assessed";
    double A = NAN, thr = NAN, r, R = NAN;
    int fails = 0;
    long long limit_id = 0;
    int near = 0;

    memset(&k, 0, sizeof k);
    k.size = sizeof k;
    if (!in->scheme->limit_key) {
        snprintf(rule, sizeof rule, "the scheme defines no limits");
    } else if (in->scheme->limit_key(in->measurand, in->matrix,
                                     in->conditions, in->n_conditions, &k,
                                     why, sizeof why) != LIMS_OK) {
        snprintf(rule, sizeof rule, "%s", why);
    } else {
        if (!limit_row(a, in, &k)) {
            snprintf(rule, sizeof rule, "no %s limit for %s in force on %s",
                     k.measurand, k.category, in->date);
        } else if (isnan(A = limit_value(in, &k, a->limit_q))) {
            snprintf(rule, sizeof rule,
                     "the %s limit for %s needs rated_power", k.measurand,
                     k.category);
        } else {
            limit_id = sqlite3_column_int64(a->limit_q, 0);
            pt_method_cache_precision(&a->methods, m, A, &r, &R);
            if (!isnan(R) &&
                pt_stats_conformity(in->value, A, R, 1, &thr, &fails) ==
                    PT_STATS_OK) {
                near = fabs(in->value - A) <= R;
                snprintf(rule, sizeof rule,
                         "ISO 4259-2: fails only above A + 0.59 R = %.6g + "
                         "0.59 x %.4g = %.6g (R of %s); %s %s, %s",
                         A, R, thr, m->code, pt_store_text(a->limit_q, 7),
                         k.category, pt_store_text(a->limit_q, 8));
            } else {
                thr = A;
                fails = in->value > A;
                near = !isnan(in->U) && fabs(in->value - A) <= in->U;
                snprintf(rule, sizeof rule,
                         "limit %.6g for %s (%s, %s)%s", A, k.category,
                         pt_store_text(a->limit_q, 7),
                         pt_store_text(a->limit_q, 8),
                         near ? "; the uncertainty interval reaches the "
                                "limit"
                              : "");
            }
            verdict = fails ? "does not conform" : "conforms";
        }
    }
    sqlite3_reset(a->conf_ins);
    sqlite3_bind_int64(a->conf_ins, 1, in->result_id);
    if (limit_id)
        sqlite3_bind_int64(a->conf_ins, 2, limit_id);
    else
        sqlite3_bind_null(a->conf_ins, 2);
    pt_store_bind_num(a->conf_ins, 3, A);
    pt_store_bind_num(a->conf_ins, 4, thr);
    sqlite3_bind_text(a->conf_ins, 5, verdict, -1, SQLITE_STATIC);
    sqlite3_bind_int(a->conf_ins, 6, near);
    /* rule is stepped below, while it is in scope: no copy */
    sqlite3_bind_text(a->conf_ins, 7, rule, -1, SQLITE_STATIC);
    if (sqlite3_step(a->conf_ins) != SQLITE_DONE) {
        snprintf(err, errlen, "conformity: %s", sqlite3_errmsg(a->db));
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}

lims_status pt_assess_result(pt_assess *a, const pt_assess_in *in,
                             void (*warn)(void *ctx, const char *msg),
                             void *ctx, char *err, size_t errlen)
{
    pt_method m;
    char msg[384];
    lims_status rc;

    pt_method_cache_find(&a->methods, in->scheme, in->measurand, in->method,
                         &m);
    if (m.id && ((!isnan(m.scope_min) && in->value < m.scope_min) ||
                 (!isnan(m.scope_max) && in->value > m.scope_max))) {
        snprintf(msg, sizeof msg,
                 "%s %.6g is outside the scope of %s (%.6g to %.6g)",
                 in->measurand, in->value, m.code, m.scope_min, m.scope_max);
        if ((rc = warning(a, in, msg, warn, ctx, err, errlen)))
            return rc;
    }
    if ((rc = replicates(a, in, &m, warn, ctx, err, errlen)))
        return rc;
    return conformity(a, in, &m, err, errlen);
}
