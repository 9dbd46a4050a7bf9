/*
 * pt_method.c -- looking up a method's scope and precision equations.
 *
 * Kept in one place because import (scope warnings), evaluation (σ_pt from
 * R), the duplicate check against r, conformity (ISO 4259-2) and the
 * branch-versus-reference comparison all need the same equations with the
 * same boundary rule.
 */
#include "pt_method.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_check.h"
#include "pt_store.h"

double pt_method_unit_scale(const lims_plugin *p, const char *measurand,
                            const char *unit)
{
    const lims_unit *u = unit ? pt_check_unit(p, measurand, unit) : NULL;
    return u ? pow(10.0, u->pow10) : NAN;
}

static const char find_sql[] =
    "SELECT id, code, status, scope_min, scope_max, unit FROM method "
    "WHERE scheme = ?1 AND substr(?2, 1, length(code)) = code "
    "ORDER BY length(code) DESC LIMIT 1";

static const char precision_sql[] =
    "SELECT repeat_a, repeat_b, repeat_c, reprod_a, reprod_b, reprod_c "
    "FROM method_precision WHERE method_id = ?1 "
    "AND (x_from IS NULL OR ?2 >= x_from) "
    "AND (x_to IS NULL OR ?2 < x_to) LIMIT 1";

/* pt_method_find on the prepared find_sql `q` (reset here). */
static void find_with(sqlite3_stmt *q, const lims_plugin *p,
                      const char *measurand, const char *text, pt_method *m)
{
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, text, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        m->id = sqlite3_column_int64(q, 0);
        snprintf(m->code, sizeof m->code, "%s", pt_store_text(q, 1));
        snprintf(m->status, sizeof m->status, "%s", pt_store_text(q, 2));
        m->scale = pt_method_unit_scale(p, measurand, pt_store_text(q, 5));
        m->scope_min = pt_store_num(q, 3) * m->scale;
        m->scope_max = pt_store_num(q, 4) * m->scale;
    }
    sqlite3_reset(q);
}

/* pt_method_precision on the prepared precision_sql `q` at method-unit
 * level X. */
static void precision_with(sqlite3_stmt *q, const pt_method *m, double X,
                           double *r, double *R)
{
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, m->id);
    sqlite3_bind_double(q, 2, X);
    if (sqlite3_step(q) == SQLITE_ROW) {
        double ra = pt_store_num(q, 0), Ra = pt_store_num(q, 3);
        if (!isnan(ra))
            *r = ra * pow(X + sqlite3_column_double(q, 1),
                          sqlite3_column_double(q, 2)) * m->scale;
        if (!isnan(Ra))
            *R = Ra * pow(X + sqlite3_column_double(q, 4),
                          sqlite3_column_double(q, 5)) * m->scale;
    }
    sqlite3_reset(q);
}

lims_status pt_method_find(sqlite3 *db, const lims_plugin *p,
                           const char *measurand, const char *text,
                           pt_method *m, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc;

    memset(m, 0, sizeof *m);
    m->scope_min = m->scope_max = m->scale = NAN;
    if (!text || !*text)
        return LIMS_OK;
    if ((rc = pt_store_prepare(db, find_sql, &q, err, errlen)))
        return rc;
    find_with(q, p, measurand, text, m);
    sqlite3_finalize(q);
    return LIMS_OK;
}

lims_status pt_method_precision(sqlite3 *db, const pt_method *m, double x,
                                double *r, double *R, char *err,
                                size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc;

    *r = *R = NAN;
    if (!m->id || isnan(m->scale) || isnan(x))
        return LIMS_OK;
    if ((rc = pt_store_prepare(db, precision_sql, &q, err, errlen)))
        return rc;
    precision_with(q, m, x / m->scale, r, R);
    sqlite3_finalize(q);
    return LIMS_OK;
}

lims_status pt_method_cache_init(pt_method_cache *c, sqlite3 *db,
                                char *err, size_t errlen)
{
    lims_status rc;

    memset(c, 0, sizeof *c);
    if ((rc = pt_store_prepare(db, find_sql, &c->find_q, err, errlen)) ||
        (rc = pt_store_prepare(db, precision_sql, &c->precision_q, err,
                               errlen)))
        pt_method_cache_release(c);
    return rc;
}

void pt_method_cache_release(pt_method_cache *c)
{
    sqlite3_finalize(c->find_q);
    sqlite3_finalize(c->precision_q);
    c->find_q = c->precision_q = NULL;
}

void pt_method_cache_find(pt_method_cache *c, const lims_plugin *p,
                          const char *measurand, const char *text,
                          pt_method *m)
{
    unsigned i;
    size_t lm, lt;

    memset(m, 0, sizeof *m);
    m->scope_min = m->scope_max = m->scale = NAN;
    if (!text || !*text)
        return;
    for (i = 0; i < c->n_found; i++)
        if (c->found[i].p == p && strcmp(c->found[i].text, text) == 0 &&
            strcmp(c->found[i].measurand, measurand) == 0) {
            *m = c->found[i].m;
            return;
        }
    find_with(c->find_q, p, measurand, text, m);
    lm = strlen(measurand);
    lt = strlen(text);
    if (lm >= sizeof c->found[0].measurand || lt >= sizeof c->found[0].text)
        return; /* too long to keep: looked up every time */
    i = c->n_found < PT_METHOD_CACHE_FOUND ? c->n_found++
                                          : c->next++ % PT_METHOD_CACHE_FOUND;
    c->found[i].p = p;
    memcpy(c->found[i].measurand, measurand, lm + 1);
    memcpy(c->found[i].text, text, lt + 1);
    c->found[i].m = *m;
}

void pt_method_cache_precision(pt_method_cache *c, const pt_method *m,
                               double x, double *r, double *R)
{
    double X;

    *r = *R = NAN;
    if (!m->id || isnan(m->scale) || isnan(x))
        return;
    X = x / m->scale;
    if (c->prec_id != m->id || !(c->prec_X == X)) {
        c->prec_r = c->prec_R = NAN;
        precision_with(c->precision_q, m, X, &c->prec_r, &c->prec_R);
        c->prec_id = m->id;
        c->prec_X = X;
    }
    *r = c->prec_r;
    *R = c->prec_R;
}
