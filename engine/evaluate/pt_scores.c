/*
 * pt_scores.c -- listing stored scores for a host (lims_plugin.scores).
 *
 * One query joins results, their evaluation and score, so a host can print
 * a laboratory's record without knowing the schema.  Each row carries the
 * latest version of its result too: a score is never shown of a
 * superseded value without saying so.
 */
#include <stdio.h>
#include <string.h>

#include "pt_core.h"
#include "pt_store.h"

static const char scores_sql[] =
    "SELECT ro.code, sc.code, r.measurand, r.item, l.code, r.value_text, "
    "r.unit_text, r.value, e.x_pt, e.u_x_pt, e.sigma_pt, e.assigned, "
    "s.D, s.D_pct, s.z, s.z_prime, s.zeta, s.En, s.primary_score, "
    "s.verdict, coalesce(c.verdict || coalesce(' (' || c.qualifier || ')', "
    "''), 'not assessed'), c.limit_value, "
    "coalesce(c.near_limit, 0), r.version, n.version, n.value_text, "
    "n.unit_text, (SELECT m.unit FROM round_measurand m WHERE m.round_id = "
    "r.round_id AND m.measurand = r.measurand) "
    "FROM score s JOIN result r ON r.id = s.result_id "
    "LEFT JOIN conformity c ON c.result_id = r.id "
    "JOIN evaluation e ON e.id = s.evaluation_id "
    "JOIN round ro ON ro.id = r.round_id "
    "JOIN scheme sc ON sc.id = ro.scheme_id "
    "JOIN laboratory l ON l.id = r.lab_id "
    "JOIN result n ON n.id = (SELECT m.id FROM result m WHERE "
    "m.round_id = r.round_id AND m.lab_id = r.lab_id AND m.measurand = "
    "r.measurand AND m.item = r.item ORDER BY m.version DESC LIMIT 1) "
    "WHERE ?1 IS NULL OR l.code = ?1 "
    "ORDER BY ro.opened, ro.code, r.measurand, r.item, l.code";

lims_status pt_core_scores(lims_instance *inst, const char *lab,
                           lims_score_cb cb, void *ctx, char *err,
                           size_t errlen)
{
    sqlite3_stmt *q;
    lims_score_row row;
    lims_status rc;
    long long lab_id;
    int step;

    /* an unknown laboratory is a mistake, not a laboratory without scores */
    if (lab && (rc = pt_store_lab_id(inst->db, lab, "scores", &lab_id, err,
                                     errlen)))
        return rc;
    rc = pt_store_prepare(inst->db, scores_sql, &q, err, errlen);
    if (rc) {
        return rc;
    }
    pt_store_bind_text(q, 1, lab);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        memset(&row, 0, sizeof row);
        row.size = sizeof row;
        row.round = pt_store_text(q, 0);
        row.scheme = pt_store_text(q, 1);
        row.measurand = pt_store_text(q, 2);
        row.item = pt_store_text(q, 3);
        row.lab = pt_store_text(q, 4);
        row.value_text = pt_store_text(q, 5);
        row.unit = pt_store_text(q, 6);
        row.value = pt_store_num(q, 7);
        row.x_pt = pt_store_num(q, 8);
        row.u_x_pt = pt_store_num(q, 9);
        row.sigma_pt = pt_store_num(q, 10);
        row.assigned = pt_store_text(q, 11);
        row.D = pt_store_num(q, 12);
        row.D_pct = pt_store_num(q, 13);
        row.z = pt_store_num(q, 14);
        row.z_prime = pt_store_num(q, 15);
        row.zeta = pt_store_num(q, 16);
        row.En = pt_store_num(q, 17);
        row.primary = pt_store_text(q, 18);
        row.verdict = pt_store_text(q, 19);
        row.conformity = pt_store_text(q, 20);
        row.limit = pt_store_num(q, 21);
        row.near_limit = sqlite3_column_int(q, 22);
        row.version = (unsigned)sqlite3_column_int(q, 23);
        row.latest_version = (unsigned)sqlite3_column_int(q, 24);
        row.latest_value_text = pt_store_text(q, 25);
        row.latest_unit = pt_store_text(q, 26);
        row.canonical_unit = pt_store_text(q, 27);
        if (cb(ctx, &row))
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        snprintf(err, errlen, "scores: %s", sqlite3_errmsg(inst->db));
        rc = LIMS_ERR_DB;
    }
    sqlite3_finalize(q);
    return rc;
}
