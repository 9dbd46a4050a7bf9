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

#include "pt_store.h"

double pt_method_unit_scale(const lims_plugin *p, const char *measurand,
                            const char *unit)
{
    lims_result_in in = {sizeof in, measurand, 1.0, unit, NAN, NAN, NULL,
                         "1", NULL};
    lims_result_out out = {sizeof out, NAN, NAN, NAN, LIMS_FIELD_NONE};
    char err[256];

    if (p->check_result(&in, &out, err, sizeof err) != LIMS_OK)
        return NAN;
    return out.scale;
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
    rc = pt_store_prepare(db,
                          "SELECT id, code, status, scope_min, scope_max, "
                          "unit FROM method WHERE scheme = ?1 AND "
                          "substr(?2, 1, length(code)) = code "
                          "ORDER BY length(code) DESC LIMIT 1",
                          &q, err, errlen);
    if (rc)
        return rc;
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
    sqlite3_finalize(q);
    return LIMS_OK;
}

lims_status pt_method_precision(sqlite3 *db, const pt_method *m, double x,
                                double *r, double *R, char *err,
                                size_t errlen)
{
    sqlite3_stmt *q;
    double X;
    lims_status rc;

    *r = *R = NAN;
    if (!m->id || isnan(m->scale) || isnan(x))
        return LIMS_OK;
    X = x / m->scale;
    rc = pt_store_prepare(db,
                          "SELECT repeat_a, repeat_b, repeat_c, reprod_a, reprod_b, "
                          "reprod_c "
                          "FROM method_precision WHERE method_id = ?1 "
                          "AND (x_from IS NULL OR ?2 >= x_from) "
                          "AND (x_to IS NULL OR ?2 < x_to) LIMIT 1",
                          &q, err, errlen);
    if (rc)
        return rc;
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
    sqlite3_finalize(q);
    return LIMS_OK;
}
