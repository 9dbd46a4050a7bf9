/*
 * pt_amend.c -- putting a kept record right: reopen a closed round, amend
 * a round's or a laboratory's settings.
 *
 * Nothing is deleted and nothing changes silently: each operation updates
 * the rows in place, seals the parts it changed and appends one audit
 * entry naming the fields, the reason and who made the change, so the
 * earlier state stays in the chain (the seals before it) and `verify`
 * covers the new one.  A closed round is reopened first; closing it again
 * needs a fresh evaluation (pt_stale.c), so an amended setting is never
 * left unevaluated.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_lifecycle.h"
#include "pt_seal.h"
#include "pt_store.h"
#include "pt_suggest.h"

/* Where a field lives, and what its text must be. */
enum level { ROUND, MEASURAND, LAB };
enum kind { TEXT, REQUIRED, DATE, NUMBER, LABCODE, ASSIGNED };

static const struct field {
    const char *name;
    enum level level;
    const char *column;
    enum kind kind;
} fields[] = {
    {"title", ROUND, "title", TEXT},
    {"provider", ROUND, "provider", TEXT},
    {"opened", ROUND, "opened", DATE},
    {"closed", ROUND, "closed", DATE},
    {"reference_lab", ROUND, "reference_lab_id", LABCODE},
    {"assigned", MEASURAND, "assigned", ASSIGNED},
    {"x_pt", MEASURAND, "x_pt", NUMBER},
    {"u_x_pt", MEASURAND, "u_x_pt", NUMBER},
    {"sigma_pt", MEASURAND, "sigma_pt", NUMBER},
    {"sigma_pt_basis", MEASURAND, "sigma_pt_basis", TEXT},
    {"matrix", MEASURAND, "matrix", TEXT},
    {"name", LAB, "name", REQUIRED},
    {"name_zh", LAB, "name_zh", TEXT},
    {"accreditation", LAB, "accreditation", TEXT},
};

static const struct field *field_of(const char *name, int lab)
{
    size_t i;

    for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].name, name) == 0 &&
            (fields[i].level == LAB) == (lab != 0))
            return &fields[i];
    return NULL;
}

static int is_date(const char *s)
{
    int i;

    for (i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    return s[10] == 0;
}

/* Check one field's text and bind it (NULL when ""). */
static lims_status bind_value(lims_instance *inst, sqlite3_stmt *q,
                              const struct field *f, const char *v,
                              const char *what, char *err, size_t errlen)
{
    char *end;
    double x;
    long long id;
    lims_status rc;

    if (!*v) {
        if (f->kind == REQUIRED || f->kind == ASSIGNED ||
            strcmp(f->name, "opened") == 0) {
            snprintf(err, errlen, "%s: %s cannot be empty", what, f->name);
            return LIMS_ERR_INPUT;
        }
        sqlite3_bind_null(q, 1);
        return LIMS_OK;
    }
    switch (f->kind) {
    case DATE:
        if (!is_date(v)) {
            snprintf(err, errlen, "%s: %s \"%s\" is not a date (write "
                                  "YYYY-MM-DD)",
                     what, f->name, v);
            return LIMS_ERR_INPUT;
        }
        break;
    case NUMBER:
        x = strtod(v, &end);
        if (end == v || *end || !isfinite(x)) {
            snprintf(err, errlen, "%s: %s \"%s\" is not a number", what,
                     f->name, v);
            return LIMS_ERR_INPUT;
        }
        sqlite3_bind_double(q, 1, x);
        return LIMS_OK;
    case LABCODE:
        if ((rc = pt_store_lab_id(inst->db, v, what, &id, err, errlen)))
            return rc;
        sqlite3_bind_int64(q, 1, id);
        return LIMS_OK;
    case ASSIGNED:
        if (strcmp(v, "reference") && strcmp(v, "consensus") &&
            strcmp(v, "fixed")) {
            snprintf(err, errlen, "%s: assigned \"%s\" is not reference, "
                                  "consensus or fixed",
                     what, v);
            return LIMS_ERR_INPUT;
        }
        break;
    default:
        break;
    }
    sqlite3_bind_text(q, 1, v, -1, SQLITE_TRANSIENT);
    return LIMS_OK;
}

/* UPDATE table SET column = value WHERE id = row. */
static lims_status set_field(lims_instance *inst, const char *table,
                             long long row, const struct field *f,
                             const char *v, const char *what, char *err,
                             size_t errlen)
{
    char sql[160];
    sqlite3_stmt *q;
    lims_status rc;

    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE id = ?2", table,
             f->column);
    if ((rc = pt_store_prepare(inst->db, sql, &q, err, errlen)))
        return rc;
    rc = bind_value(inst, q, f, v, what, err, errlen);
    sqlite3_bind_int64(q, 2, row);
    if (!rc && sqlite3_step(q) != SQLITE_DONE) {
        snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(inst->db));
        rc = LIMS_ERR_DB;
    }
    sqlite3_finalize(q);
    return rc;
}

/* The rules a round's settings keep after the change, as an import
 * checks them (README "CSV files", rounds). */
static lims_status check_round(lims_instance *inst, long long round_id,
                               const char *what, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        inst->db,
        "SELECT m.measurand, coalesce(m.assigned, ''), m.x_pt, m.u_x_pt, "
        "m.sigma_pt, r.reference_lab_id, r.opened, r.closed FROM round r "
        "JOIN round_measurand m ON m.round_id = r.id WHERE r.id = ?1",
        &q, err, errlen);
    const char *bad = NULL;

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, round_id);
    while (!bad && sqlite3_step(q) == SQLITE_ROW) {
        const char *a = pt_store_text(q, 1);
        int fixed = strcmp(a, "fixed") == 0;
        int has_x = sqlite3_column_type(q, 2) != SQLITE_NULL;
        int has_u = sqlite3_column_type(q, 3) != SQLITE_NULL;

        if (fixed && (!has_x || !has_u))
            bad = "assigned is fixed: x_pt and u_x_pt are both needed";
        else if (!fixed && (has_x || has_u))
            bad = "x_pt and u_x_pt are given only with assigned fixed "
                  "(clear them with \"\")";
        else if (has_u && sqlite3_column_double(q, 3) < 0)
            bad = "u_x_pt must not be negative";
        else if (sqlite3_column_type(q, 4) != SQLITE_NULL &&
                 !(sqlite3_column_double(q, 4) > 0))
            bad = "sigma_pt must be positive";
        else if (strcmp(a, "reference") == 0 &&
                 sqlite3_column_type(q, 5) == SQLITE_NULL)
            bad = "assigned is reference but the round has no "
                  "reference_lab";
        else if (sqlite3_column_type(q, 7) != SQLITE_NULL &&
                 strcmp(pt_store_text(q, 7), pt_store_text(q, 6)) < 0)
            bad = "closed is before opened";
        if (bad)
            snprintf(err, errlen, "%s: %s: %s", what, pt_store_text(q, 0),
                     bad);
    }
    sqlite3_finalize(q);
    return bad ? LIMS_ERR_INPUT : LIMS_OK;
}

/* The id of round `code`, refused when unknown or closed. */
static lims_status open_round(lims_instance *inst, const char *code,
                              const char *what, long long *id, int *closed,
                              char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char msg[768];
    lims_status rc = pt_store_prepare(
        inst->db, "SELECT id, status FROM round WHERE code = ?1", &q, err,
        errlen);

    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        pt_suggest_unknown(inst->db, PT_CODE_ROUND, code, NULL, msg,
                           sizeof msg);
        snprintf(err, errlen, "%s: %s", what, msg);
        rc = LIMS_ERR_INPUT;
    } else {
        *id = sqlite3_column_int64(q, 0);
        *closed = strcmp(pt_store_text(q, 1), "closed") == 0;
    }
    sqlite3_finalize(q);
    return rc;
}

/* The round_measurand row an amendment of measurand settings is about. */
static lims_status measurand_row(lims_instance *inst, long long round_id,
                                 const char *code, const char *measurand,
                                 long long *id, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char list[512] = "";
    size_t used = 0;
    int n = 0;
    lims_status rc = pt_store_prepare(
        inst->db,
        "SELECT id, measurand FROM round_measurand WHERE round_id = ?1 "
        "ORDER BY measurand",
        &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, round_id);
    *id = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *m = pt_store_text(q, 1);
        n++;
        if (used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     n > 1 ? ", " : "", m);
        if (measurand ? strcmp(m, measurand) == 0 : n == 1)
            *id = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    if (!measurand && n > 1) {
        snprintf(err, errlen, "amend: round %s has %d measurands: say which "
                              "with --measurand (%s)",
                 code, n, list);
        return LIMS_ERR_INPUT;
    }
    if (!*id) {
        snprintf(err, errlen, "amend: round %s has no measurand \"%s\" (its "
                              "measurands: %s)",
                 code, measurand ? measurand : "", list);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

lims_status pt_amend_in_tx(lims_instance *inst, const lims_amendment *a,
                           char *err, size_t errlen)
{
    int lab = strcmp(a->what, "laboratory") == 0, closed = 0;
    long long id = 0, rm = 0;
    char names[512] = "", detail[1536], msg[768];
    size_t i, used = 0;
    pt_seals seals;
    int touched[3] = {0, 0, 0};
    lims_status rc;

    if (lab) {
        rc = pt_store_lab_id(inst->db, a->code, "amend", &id, err, errlen);
    } else {
        rc = open_round(inst, a->code, "amend", &id, &closed, err, errlen);
        if (!rc && closed) {
            snprintf(err, errlen, "amend: round %s is closed (ptlims reopen "
                                  "%s --reason TEXT opens it again)",
                     a->code, a->code);
            rc = LIMS_ERR_STATE;
        }
    }
    if (rc)
        return rc;
    for (i = 0; i < a->n_fields && !rc; i++) {
        const struct field *f = field_of(a->fields[i], lab);
        if (!f) {
            snprintf(err, errlen, "amend: a %s has no field \"%s\" to amend",
                     lab ? "laboratory" : "round", a->fields[i]);
            return LIMS_ERR_INPUT;
        }
        if (f->level == MEASURAND && !rm &&
            (rc = measurand_row(inst, id, a->code, a->measurand, &rm, err,
                                errlen)))
            return rc;
        snprintf(msg, sizeof msg, "amend %s %s", a->what, a->code);
        rc = set_field(inst,
                       f->level == LAB         ? "laboratory"
                       : f->level == MEASURAND ? "round_measurand"
                                               : "round",
                       f->level == MEASURAND ? rm : id, f, a->values[i], msg,
                       err, errlen);
        touched[f->level] = 1;
        if (used < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used,
                                     "%s%s=%s", i ? ", " : "", f->name,
                                     a->values[i]);
    }
    if (!rc && !lab) {
        snprintf(msg, sizeof msg, "amend round %s", a->code);
        rc = check_round(inst, id, msg, err, errlen);
    }
    if (rc || (rc = pt_seals_init(&seals, inst->db, err, errlen)))
        return rc;
    if (touched[ROUND])
        rc = pt_seals_touch(&seals, PT_PART_ROUND, id, err, errlen);
    if (!rc && touched[MEASURAND])
        rc = pt_seals_touch(&seals, PT_PART_ROUND_MEASURAND, id, err,
                            errlen);
    if (!rc && touched[LAB])
        rc = pt_seals_touch(&seals, PT_PART_LABORATORY, 0, err, errlen);
    snprintf(detail, sizeof detail, "%s %s%s%s: %s: %s%s%s%s", a->what,
             a->code, rm && a->measurand ? " " : "",
             rm && a->measurand ? a->measurand : "", names, a->reason,
             a->by && *a->by ? " (by " : "", a->by && *a->by ? a->by : "",
             a->by && *a->by ? ")" : "");
    if (!rc)
        rc = pt_seals_commit(&seals, "amend", detail, err, errlen);
    pt_seals_release(&seals);
    return rc;
}

lims_status pt_core_amend(lims_instance *inst, const lims_amendment *a,
                          char *err, size_t errlen)
{
    static const char *const kinds[] = {"round", "laboratory", "result",
                                        "capa", "plan"};
    size_t i, k;
    int is_void = 0;
    lims_status rc;

    for (k = 0; a->what && k < sizeof kinds / sizeof kinds[0]; k++)
        if (strcmp(a->what, kinds[k]) == 0)
            break;
    if (!a->what || k == sizeof kinds / sizeof kinds[0]) {
        snprintf(err, errlen, "amend: what is amended must be \"round\", "
                              "\"laboratory\", \"result\", \"capa\" or "
                              "\"plan\"");
        return LIMS_ERR_INPUT;
    }
    if (!a->code || !*a->code) {
        snprintf(err, errlen, "amend: which %s?", a->what);
        return LIMS_ERR_INPUT;
    }
    if (!a->n_fields || !a->fields || !a->values) {
        snprintf(err, errlen, "amend: nothing to change for %s %s", a->what,
                 a->code);
        return LIMS_ERR_INPUT;
    }
    for (i = 0; i < a->n_fields; i++)
        if (a->fields[i] && strcmp(a->fields[i], "void") == 0)
            is_void = 1;
    if (is_void && a->n_fields > 1) {
        snprintf(err, errlen, "amend: void is given alone, not with other "
                              "fields");
        return LIMS_ERR_INPUT;
    }
    if (!a->reason || !*a->reason) {
        snprintf(err, errlen, "%s: %s needs a reason",
                 is_void ? "void" : "amend",
                 is_void ? "voiding" : "an amendment");
        return LIMS_ERR_INPUT;
    }
    if (!is_void && strcmp(a->what, "result") == 0) {
        snprintf(err, errlen, "amend: a result is put right with a new "
                              "version (ptlims correct), or voided");
        return LIMS_ERR_INPUT;
    }
    if ((rc = pt_store_begin(inst->db, err, errlen)))
        return rc;
    if (is_void)
        rc = pt_void_in_tx(inst, a, NULL, err, errlen);
    else if (k >= 3)
        rc = pt_amend_entry_in_tx(inst, a, err, errlen);
    else
        rc = pt_amend_in_tx(inst, a, err, errlen);
    return pt_store_end(inst->db, rc, err, errlen);
}

lims_status pt_reopen_in_tx(lims_instance *inst, const char *round,
                            const char *reason, const char *by, char *err,
                            size_t errlen)
{
    long long id = 0;
    int closed = 0;
    char detail[1024];
    pt_seals seals;
    lims_status rc;

    rc = open_round(inst, round, "reopen", &id, &closed, err, errlen);
    if (!rc && !closed) {
        snprintf(err, errlen, "reopen: round %s is open", round);
        rc = LIMS_ERR_STATE;
    }
    if (!rc)
        rc = pt_round_set_status(inst->db, id, "open", err, errlen);
    if (!rc && !(rc = pt_seals_init(&seals, inst->db, err, errlen))) {
        rc = pt_seals_touch(&seals, PT_PART_ROUND, id, err, errlen);
        snprintf(detail, sizeof detail, "round %s reopened: %s%s%s%s", round,
                 reason, by && *by ? " (by " : "", by && *by ? by : "",
                 by && *by ? ")" : "");
        if (!rc)
            rc = pt_seals_commit(&seals, "reopen", detail, err, errlen);
        pt_seals_release(&seals);
    }
    return rc;
}

lims_status pt_core_reopen_round(lims_instance *inst, const char *round,
                                 const char *reason, const char *by,
                                 char *err, size_t errlen)
{
    lims_status rc;

    if (!round || !*round) {
        snprintf(err, errlen, "reopen: which round?");
        return LIMS_ERR_INPUT;
    }
    if (!reason || !*reason) {
        snprintf(err, errlen, "reopen: reopening a round needs a reason");
        return LIMS_ERR_INPUT;
    }
    if ((rc = pt_store_begin(inst->db, err, errlen)))
        return rc;
    rc = pt_reopen_in_tx(inst, round, reason, by, err, errlen);
    return pt_store_end(inst->db, rc, err, errlen);
}
