/*
 * pt_export.c -- the whole record as the files an import takes
 * (lims_engine.look, what "export laboratories", "export rounds",
 * "export results", "export plan", "export capa").
 *
 * Each list is one query whose column names are the columns of that kind
 * of file (README "CSV files") and whose texts are the record's own: a
 * value, a U and a unit exactly as reported, every version of a result
 * with the reason of its correction, a round's status, and the void of an
 * item (voided_at, voided_by, void_reason).  Rows come in the order they
 * were recorded (a round's measurands together), which an import of the
 * files keeps: a record imported from them and written out again gives
 * the same files byte for byte (ptlims export, ptlims import DIR), and
 * its evaluations see the results in the same order, so they are the
 * same to the last bit.  Numbers stored as numbers (x_pt,
 * k, per_year) are given as numbers; the writer prints each as the
 * shortest text that reads back to the same double.
 *
 * What the files do not carry: the evaluations and scores (computed
 * again from what they carry), the audit log and the seals (a new
 * record's chain begins at its import), the file a row was imported from,
 * and the earlier values of amended settings (in the audit log only).
 */
#include <stdio.h>
#include <string.h>

#include "pt_core.h"
#include "pt_lifecycle.h"
#include "pt_store.h"

/* The void of item x of kind k, as three columns. */
#define VOID_COLS(k, x)                                                      \
    "(SELECT at FROM voided WHERE kind = '" k "' AND row_id = " x            \
    ") AS voided_at, (SELECT voided_by FROM voided WHERE kind = '" k         \
    "' AND row_id = " x ") AS voided_by, (SELECT reason FROM voided WHERE "  \
    "kind = '" k "' AND row_id = " x ") AS void_reason"

static const struct export_list {
    const char *what, *sql;
} exports[] = {
    {"export laboratories",
     "SELECT code AS lab, name, name_zh, role, accreditation, "
     VOID_COLS("laboratory", "laboratory.id") " FROM laboratory ORDER BY "
     "id"},
    /* a measurand whose items have official values of their own
     * (schema 014) repeats its row once per such item, after it */
    {"export rounds",
     "SELECT round, scheme, measurand, type, title, provider, "
     "provider_accreditation, opened, closed, reference_lab, assigned, "
     "x_pt, u_x_pt, sigma_pt, sigma_pt_basis, sigma_pt_method, estimator, "
     "matrix, override_reason, item_matrix, status, report_no, "
     "report_date, "
     "official_item, official_x_pt, official_u_x_pt, official_sigma_pt, "
     "voided_at, voided_by, void_reason FROM (SELECT r.code AS round, "
     "s.code AS scheme, m.measurand, r.type, r.title, r.provider, "
     "r.provider_accreditation, r.opened, r.closed, l.code AS "
     "reference_lab, m.assigned, m.x_pt, m.u_x_pt, m.sigma_pt, "
     "m.sigma_pt_basis, m.sigma_pt_method, m.estimator, m.matrix, "
     "m.override_reason, (SELECT group_concat(item || '=' || matrix, '; ') "
     "FROM (SELECT item, matrix FROM round_item i WHERE i.round_id = "
     "m.round_id AND i.measurand = m.measurand ORDER BY i.id)) AS "
     "item_matrix, r.status, r.report_no, r.report_date, "
     "o.item AS official_item, o.x_pt AS official_x_pt, o.u_x_pt AS "
     "official_u_x_pt, o.sigma_pt AS official_sigma_pt, "
     VOID_COLS("round", "r.id") ", r.id AS rid, m.id AS mid, "
     "coalesce(o.item, '') AS oi FROM round_measurand m JOIN round r ON "
     "r.id = m.round_id JOIN scheme s ON s.id = r.scheme_id LEFT JOIN "
     "laboratory l ON l.id = r.reference_lab_id LEFT JOIN round_official o "
     "ON o.round_id = r.id AND o.measurand = m.measurand AND (o.item = '' "
     "OR NOT EXISTS (SELECT 1 FROM round_official e WHERE e.round_id = "
     "r.id AND e.measurand = m.measurand AND e.item = '')) AND o.id = "
     "(SELECT min(f.id) FROM round_official f WHERE f.round_id = r.id AND "
     "f.measurand = m.measurand AND (f.item = '' OR NOT EXISTS (SELECT 1 "
     "FROM round_official e WHERE e.round_id = r.id AND e.measurand = "
     "m.measurand AND e.item = ''))) "
     "UNION ALL SELECT r.code, s.code, m.measurand, r.type, r.title, "
     "r.provider, r.provider_accreditation, r.opened, r.closed, l.code, "
     "m.assigned, m.x_pt, m.u_x_pt, m.sigma_pt, m.sigma_pt_basis, "
     "m.sigma_pt_method, m.estimator, m.matrix, m.override_reason, "
     "(SELECT group_concat(item || '=' || matrix, '; ') "
     "FROM (SELECT item, matrix FROM round_item i WHERE i.round_id = "
     "m.round_id AND i.measurand = m.measurand ORDER BY i.id)), "
     "r.status, r.report_no, r.report_date, o.item, o.x_pt, o.u_x_pt, "
     "o.sigma_pt, " VOID_COLS("round", "r.id") ", r.id, m.id, o.item "
     "FROM round_official o JOIN round r ON r.id = o.round_id JOIN "
     "round_measurand m ON m.round_id = r.id AND m.measurand = o.measurand "
     "JOIN scheme s ON s.id = r.scheme_id LEFT JOIN laboratory l ON l.id = "
     "r.reference_lab_id WHERE o.id <> (SELECT min(f.id) FROM "
     "round_official f WHERE f.round_id = r.id AND f.measurand = "
     "m.measurand AND (f.item = '' OR NOT EXISTS (SELECT 1 FROM "
     "round_official e WHERE e.round_id = r.id AND e.measurand = "
     "m.measurand AND e.item = '')))) ORDER BY rid, mid, oi"},
    {"export plan",
     "SELECT l.code AS lab, p.scheme, p.technique, p.property, p.product, "
     "p.measurand, p.method, p.risk, p.per_year, p.year_from AS \"from\", "
     "p.year_to AS \"to\", p.note, " VOID_COLS("plan", "p.id")
     " FROM pt_plan p JOIN laboratory l ON l.id = p.lab_id ORDER BY p.id"},
    {"export capa",
     "SELECT r.code AS round, l.code AS lab, x.measurand, x.item, "
     "c.trigger, c.root_cause, c.action, c.owner, c.opened, c.due, "
     "c.closed, c.verified_by, c.car_no, c.impact, c.effectiveness, "
     "c.effective_on, c.effective, c.plan_id AS plan, c.plan_year, "
     VOID_COLS("capa", "c.id")
     " FROM corrective_action c LEFT JOIN result x ON x.id = c.result_id "
     "LEFT JOIN round r ON r.id = x.round_id LEFT JOIN pt_plan p ON p.id = "
     "c.plan_id JOIN laboratory l ON l.id = coalesce(x.lab_id, p.lab_id) "
     "ORDER BY c.id"},
};

/* The results: the columns of a results file, then one column per
 * condition name recorded (the union over the schemes: a cell a row's
 * scheme does not have stays empty), then the void. */
static char *results_sql(sqlite3 *db, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char *sql = sqlite3_mprintf(
        "SELECT r.code AS round, l.code AS lab, x.measurand, x.item, "
        "x.value_text AS value, x.unit_text AS unit, x.U_text AS U, x.k, "
        "x.method, x.instrument, x.analyst, x.tested_on, x.remarks, "
        "x.version, x.reason, x.official_score, x.official_kind"),
         *t;

    if (!sql || pt_store_prepare(db,
                                 "SELECT DISTINCT name FROM "
                                 "result_condition ORDER BY name",
                                 &q, err, errlen)) {
        sqlite3_free(sql);
        return NULL;
    }
    while (sql && sqlite3_step(q) == SQLITE_ROW) {
        const char *name = pt_store_text(q, 0);
        t = sqlite3_mprintf("%s, (SELECT value FROM result_condition c "
                            "WHERE c.result_id = x.id AND c.name = %Q) AS "
                            "\"%w\"",
                            sql, name, name);
        sqlite3_free(sql);
        sql = t;
    }
    sqlite3_finalize(q);
    t = sql ? sqlite3_mprintf(
                  "%s, " VOID_COLS("result", "x.id")
                  " FROM result x JOIN round r ON r.id = x.round_id JOIN "
                  "laboratory l ON l.id = x.lab_id ORDER BY x.id",
                  sql)
            : NULL;
    sqlite3_free(sql);
    if (!t)
        snprintf(err, errlen, "export: out of memory");
    return t;
}

lims_status pt_export_sql(sqlite3 *db, const char *what, char **sql,
                          char *err, size_t errlen)
{
    size_t i;

    *sql = NULL;
    if (!what || strncmp(what, "export ", 7) != 0)
        return LIMS_OK;
    if (strcmp(what, "export results") == 0)
        return (*sql = results_sql(db, err, errlen)) ? LIMS_OK
                                                      : LIMS_ERR_NOMEM;
    for (i = 0; i < sizeof exports / sizeof exports[0]; i++)
        if (strcmp(what, exports[i].what) == 0)
            break;
    if (i == sizeof exports / sizeof exports[0]) {
        snprintf(err, errlen, "look: nothing called \"%s\" to list (export "
                              "laboratories, rounds, results, plan or capa)",
                 what);
        return LIMS_ERR_INPUT;
    }
    if (!(*sql = sqlite3_mprintf("%s", exports[i].sql))) {
        snprintf(err, errlen, "export: out of memory");
        return LIMS_ERR_NOMEM;
    }
    return LIMS_OK;
}
