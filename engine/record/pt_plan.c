/*
 * pt_plan.c -- the laboratory's proficiency-testing participation plan
 * (lims_plugin.plan_add and .plans; table pt_plan, schemas/003).
 *
 * ISO/IEC 17025 7.7.2 asks that participation be planned; TAF-CNLA-R05
 * asks for the plan by sub-discipline (technique x property x product),
 * with the frequency set by risk.  This file only records and lists the
 * plan; how it compares with actual participation is computed when the
 * workbook is written (pt_reportdb.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_core.h"
#include "pt_csv.h"
#include "pt_import_record.h"
#include "pt_store.h"

static int given(const char *s) { return s && *s; }

/* Checks a plan row before it is written; LIMS_ERR_INPUT names the field. */
static lims_status check_entry(const lims_instance *inst,
                               const lims_plan_entry *e, char *err,
                               size_t errlen)
{
    static const char *const required[] = {"lab", "technique", "property",
                                           "product", "scheme", "risk"};
    const char *values[6];

    values[0] = e->lab;
    values[1] = e->technique;
    values[2] = e->property;
    values[3] = e->product;
    values[4] = e->scheme;
    values[5] = e->risk;
    for (size_t i = 0; i < 6; i++)
        if (!given(values[i])) {
            snprintf(err, errlen, "plan: %s is required", required[i]);
            return LIMS_ERR_INPUT;
        }
    {
        /* what the workbook writes: the rules of an import's cells */
        const char *texts[] = {e->technique, e->property, e->product,
                               e->method, e->note};
        static const char *const names[] = {"technique", "property",
                                            "product", "method", "note"};
        char why[160];
        for (size_t i = 0; i < 5; i++)
            if (given(texts[i]) &&
                pt_csv_text(texts[i], i == 4 ? PT_CSV_LONG_MAX
                                             : PT_CSV_SHORT_MAX,
                            i != 4, why, sizeof why) != 0) {
                snprintf(err, errlen, "plan: %s %s", names[i], why);
                return LIMS_ERR_INPUT;
            }
        if (given(e->measurand) &&
            pt_csv_code(e->measurand, why, sizeof why) != 0) {
            snprintf(err, errlen, "plan: measurand %s", why);
            return LIMS_ERR_INPUT;
        }
    }
    if (strcmp(e->risk, "low") && strcmp(e->risk, "medium") &&
        strcmp(e->risk, "high")) {
        snprintf(err, errlen,
                 "plan: risk \"%s\" is not low, medium or high", e->risk);
        return LIMS_ERR_INPUT;
    }
    if (!(e->per_year >= PT_PLAN_PER_YEAR_MIN &&
          e->per_year <= PT_PLAN_PER_YEAR_MAX)) {
        snprintf(err, errlen,
                 "plan: rounds a year must be a number from %g to %g (0.25 "
                 "is one round in four years)",
                 PT_PLAN_PER_YEAR_MIN, PT_PLAN_PER_YEAR_MAX);
        return LIMS_ERR_INPUT;
    }
    if (e->year_from < 1912 || e->year_from > 9999 || e->year_to > 9999 ||
        e->year_to < e->year_from) {
        snprintf(err, errlen,
                 "plan: years %d to %d are not a span of calendar years",
                 e->year_from, e->year_to);
        return LIMS_ERR_INPUT;
    }
    if (!pt_core_scheme(inst, e->scheme)) {
        snprintf(err, errlen, "plan: no loaded scheme \"%s\"", e->scheme);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

lims_status pt_core_plan_add(lims_instance *inst, const lims_plan_entry *e,
                             long long *id, char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    sqlite3_stmt *q = NULL;
    long long lab = 0;
    char detail[512];
    lims_status rc;

    if ((rc = check_entry(inst, e, err, errlen)) ||
        (rc = pt_store_lab_id(db, e->lab, "plan", &lab, err, errlen)) ||
        (rc = pt_store_begin(db, err, errlen)))
        goto out;
    rc = pt_store_prepare(
        db,
        "INSERT INTO pt_plan (lab_id, technique, property, product, scheme, "
        "measurand, method, risk, per_year, year_from, year_to, note) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &q, err, errlen);
    if (!rc) {
        sqlite3_bind_int64(q, 1, lab);
        sqlite3_bind_text(q, 2, e->technique, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, e->property, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, e->product, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, e->scheme, -1, SQLITE_STATIC);
        pt_store_bind_text(q, 6, e->measurand);
        pt_store_bind_text(q, 7, e->method);
        sqlite3_bind_text(q, 8, e->risk, -1, SQLITE_STATIC);
        sqlite3_bind_double(q, 9, e->per_year);
        sqlite3_bind_int(q, 10, e->year_from);
        sqlite3_bind_int(q, 11, e->year_to);
        pt_store_bind_text(q, 12, e->note);
        if (sqlite3_step(q) != SQLITE_DONE) {
            if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE) {
                snprintf(err, errlen,
                         "plan: %s already has a plan row for %s / %s / %s "
                         "from %d",
                         e->lab, e->technique, e->property, e->product,
                         e->year_from);
                rc = LIMS_ERR_INPUT;
            } else {
                snprintf(err, errlen, "plan: %s", sqlite3_errmsg(db));
                rc = LIMS_ERR_DB;
            }
        }
    }
    sqlite3_finalize(q);
    if (!rc && id)
        *id = sqlite3_last_insert_rowid(db);
    if (!rc) {
        snprintf(detail, sizeof detail,
                 "lab %s: %s / %s / %s, %s risk, %g a year, %d-%d", e->lab,
                 e->technique, e->property, e->product, e->risk, e->per_year,
                 e->year_from, e->year_to);
        rc = pt_store_audit(db, "plan add", detail, err, errlen);
    }
    rc = pt_store_end(db, rc, err, errlen);
out:
    return rc;
}

lims_status pt_core_plans(lims_instance *inst, const char *lab,
                          lims_plan_cb cb, void *ctx, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    lims_plan_entry e;
    lims_status rc;
    long long lab_id = 0;

    if (given(lab) && (rc = pt_store_lab_id(inst->db, lab, "plan", &lab_id,
                                          err, errlen)))
        goto out;
    rc = pt_store_prepare(
        inst->db,
        "SELECT p.id, l.code, p.technique, p.property, p.product, p.scheme, "
        "p.measurand, p.method, p.risk, p.per_year, p.year_from, p.year_to, "
        "p.note FROM pt_plan p JOIN laboratory l ON l.id = p.lab_id "
        "WHERE (?1 = 0 OR p.lab_id = ?1) AND NOT EXISTS (SELECT 1 FROM "
        "voided v WHERE v.kind = 'plan' AND v.row_id = p.id) "
        "ORDER BY l.code, p.technique, "
        "p.property, p.product, p.year_from",
        &q, err, errlen);
    if (rc)
        goto out;
    sqlite3_bind_int64(q, 1, lab_id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        memset(&e, 0, sizeof e);
        e.size = sizeof e;
        e.id = sqlite3_column_int64(q, 0);
        e.lab = pt_store_text(q, 1);
        e.technique = pt_store_text(q, 2);
        e.property = pt_store_text(q, 3);
        e.product = pt_store_text(q, 4);
        e.scheme = pt_store_text(q, 5);
        e.measurand = pt_store_text_or_null(q, 6);
        e.method = pt_store_text_or_null(q, 7);
        e.risk = pt_store_text(q, 8);
        e.per_year = sqlite3_column_double(q, 9);
        e.year_from = sqlite3_column_int(q, 10);
        e.year_to = sqlite3_column_int(q, 11);
        e.note = pt_store_text_or_null(q, 12);
        if (cb(ctx, &e))
            break;
    }
    sqlite3_finalize(q);
out:
    return rc;
}
