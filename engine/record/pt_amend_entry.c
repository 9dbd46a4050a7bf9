/*
 * pt_amend_entry.c -- amending a corrective action or a plan row
 * (lims_engine.amend, what "capa" or "plan", code its id).
 *
 * The fields each may change are one table, entries[]: a field's name
 * (as the column of a capa or plan file names it), the table column, and
 * how its text is checked, with the rules of an import's cells
 * (pt_import_record.c).  A column added to corrective_action or pt_plan
 * is amended by adding its entry here.  The change is made in place and
 * appended to the audit log with every field's old and new text, the
 * reason and who made it, so the earlier values stay in the chain; the
 * tables are covered by the chain's state entries (pt_state.h).  A voided
 * action or plan row is not amended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_csv.h"
#include "pt_import_record.h"
#include "pt_lifecycle.h"
#include "pt_store.h"

enum check {
    SHORT,    /* one line, PT_CSV_SHORT_MAX */
    LONG,     /* PT_CSV_LONG_MAX, line breaks allowed */
    DATE,     /* YYYY-MM-DD that exists */
    YEAR,     /* four digits from 1912 */
    RATE,     /* rounds a year, PT_PLAN_PER_YEAR_MIN to _MAX */
    RISK,     /* low, medium or high */
    CODE,     /* pt_csv_code */
    LAB_CODE, /* a recorded laboratory's code: stored as its id */
    SCHEME,   /* a loaded scheme's id */
    OUTCOME   /* "effective" or "not effective" */
};

static const struct entry {
    const char *what; /* "capa" or "plan" */
    const char *name, *column;
    enum check check;
    int required; /* may not be cleared */
} entries[] = {
    {"capa", "trigger", "trigger", LONG, 1},
    {"capa", "root_cause", "root_cause", LONG, 1},
    {"capa", "action", "action", LONG, 1},
    {"capa", "owner", "owner", SHORT, 1},
    {"capa", "opened", "opened", DATE, 1},
    {"capa", "due", "due", DATE, 1},
    {"capa", "closed", "closed", DATE, 0},
    {"capa", "verified_by", "verified_by", SHORT, 0},
    {"capa", "car_no", "car_no", SHORT, 0},
    {"capa", "impact", "impact", LONG, 0},
    {"capa", "effectiveness", "effectiveness", LONG, 0},
    {"capa", "effective_on", "effective_on", DATE, 0},
    {"capa", "effective", "effective", OUTCOME, 0},
    {"plan", "lab", "lab_id", LAB_CODE, 1},
    {"plan", "scheme", "scheme", SCHEME, 1},
    {"plan", "technique", "technique", SHORT, 1},
    {"plan", "property", "property", SHORT, 1},
    {"plan", "product", "product", SHORT, 1},
    {"plan", "measurand", "measurand", CODE, 0},
    {"plan", "method", "method", SHORT, 0},
    {"plan", "risk", "risk", RISK, 1},
    {"plan", "per_year", "per_year", RATE, 1},
    {"plan", "from", "year_from", YEAR, 1},
    {"plan", "to", "year_to", YEAR, 1},
    {"plan", "note", "note", LONG, 0},
};

#define N_ENTRIES (sizeof entries / sizeof entries[0])

static const struct entry *entry_of(const char *what, const char *name)
{
    size_t i;

    for (i = 0; i < N_ENTRIES; i++)
        if (strcmp(entries[i].what, what) == 0 &&
            strcmp(entries[i].name, name) == 0)
            return &entries[i];
    return NULL;
}

/* The names of what's fields, for a message: "a, b, c". */
static char *field_names(const char *what)
{
    char *s = NULL, *t;
    size_t i;

    for (i = 0; i < N_ENTRIES; i++) {
        if (strcmp(entries[i].what, what) != 0)
            continue;
        t = s ? sqlite3_mprintf("%s, %s", s, entries[i].name)
              : sqlite3_mprintf("%s", entries[i].name);
        sqlite3_free(s);
        if (!(s = t))
            return NULL;
    }
    return s;
}

/* Check v as field f; NULL when it is good, else why it is not (a static
 * text or `why`). */
static const char *bad_value(lims_instance *inst, const struct entry *f,
                             const char *v, char *why, size_t whylen)
{
    double x;
    size_t i;

    switch (f->check) {
    case SHORT:
    case LONG:
        return pt_csv_text(v, f->check == SHORT ? PT_CSV_SHORT_MAX
                                                : PT_CSV_LONG_MAX,
                           f->check == SHORT, why, whylen)
                   ? why
                   : NULL;
    case DATE:
        return pt_csv_is_date(v) ? NULL : "is not a date (write YYYY-MM-DD)";
    case YEAR:
        for (i = 0; v[i] >= '0' && v[i] <= '9'; i++)
            ;
        return i == 4 && !v[4] && strcmp(v, "1912") >= 0
                   ? NULL
                   : "is not a year from 1912 to 9999 (four digits)";
    case RATE:
        if (pt_csv_number_normal(v, &x, why, whylen))
            return why;
        return x >= PT_PLAN_PER_YEAR_MIN && x <= PT_PLAN_PER_YEAR_MAX
                   ? NULL
                   : "is outside 0.1 to 52 (rounds a year)";
    case RISK:
        return strcmp(v, "low") && strcmp(v, "medium") && strcmp(v, "high")
                   ? "is not low, medium or high"
                   : NULL;
    case CODE:
        return pt_csv_code(v, why, whylen) ? why : NULL;
    case SCHEME:
        return pt_core_scheme(inst, v) ? NULL
                                       : "is no scheme a plug-in is loaded "
                                         "for";
    case LAB_CODE:
        return NULL; /* looked up when bound */
    case OUTCOME:
        return strcmp(v, "effective") && strcmp(v, "not effective")
                   ? "is not \"effective\" or \"not effective\""
                   : NULL;
    }
    return NULL;
}

/* The row's current text of column `column` (for the log), or NULL. */
static char *old_text(sqlite3 *db, const char *table, const struct entry *f,
                      long long id)
{
    sqlite3_stmt *q;
    char *sql, *out = NULL;

    sql = f->check == LAB_CODE
              ? sqlite3_mprintf("SELECT l.code FROM %s t JOIN laboratory l "
                                "ON l.id = t.%s WHERE t.id = ?1",
                                table, f->column)
              : sqlite3_mprintf("SELECT %s FROM %s WHERE id = ?1", f->column,
                                table);
    if (!sql)
        return NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_step(q) == SQLITE_ROW)
            out = sqlite3_mprintf("%s", pt_store_text(q, 0));
        sqlite3_finalize(q);
    }
    sqlite3_free(sql);
    return out;
}

/* Bind v as field f's value at parameter i. */
static lims_status bind_value(lims_instance *inst, sqlite3_stmt *q, int i,
                              const struct entry *f, const char *v,
                              const char *what, char *err, size_t errlen)
{
    long long lab;
    lims_status rc = LIMS_OK;

    if (!*v)
        sqlite3_bind_null(q, i);
    else if (f->check == LAB_CODE) {
        if (!(rc = pt_store_lab_id(inst->db, v, what, &lab, err, errlen)))
            sqlite3_bind_int64(q, i, lab);
    } else if (f->check == RATE)
        sqlite3_bind_double(q, i, strtod(v, NULL));
    else if (f->check == YEAR)
        sqlite3_bind_int(q, i, atoi(v));
    else
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    return rc;
}

/* UPDATE table SET every field at once WHERE id = id: the table's CHECK
 * constraints see the row as it ends, never half changed. */
static lims_status set_values(lims_instance *inst, const char *table,
                              const struct entry *const *f,
                              const lims_amendment *a, long long id,
                              const char *what, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char *sql = sqlite3_mprintf("UPDATE %s SET", table), *t;
    lims_status rc = LIMS_OK;
    size_t i;
    int ext;

    for (i = 0; sql && i < a->n_fields; i++) {
        t = sqlite3_mprintf("%s%s %s = ?%d", sql, i ? "," : "", f[i]->column,
                            (int)i + 1);
        sqlite3_free(sql);
        sql = t;
    }
    t = sql ? sqlite3_mprintf("%s WHERE id = ?%d", sql,
                              (int)a->n_fields + 1)
            : NULL;
    sqlite3_free(sql);
    if (!(sql = t)) {
        snprintf(err, errlen, "amend: out of memory");
        return LIMS_ERR_NOMEM;
    }
    rc = pt_store_prepare(inst->db, sql, &q, err, errlen);
    sqlite3_free(sql);
    if (rc)
        return rc;
    for (i = 0; i < a->n_fields && !rc; i++)
        rc = bind_value(inst, q, (int)i + 1, f[i],
                        a->values[i] ? a->values[i] : "", what, err, errlen);
    sqlite3_bind_int64(q, (int)a->n_fields + 1, id);
    if (!rc && sqlite3_step(q) != SQLITE_DONE) {
        ext = sqlite3_extended_errcode(inst->db);
        snprintf(err, errlen, "%s: %s", what,
                 ext == SQLITE_CONSTRAINT_UNIQUE
                     ? "a plan row for the same laboratory, sub-discipline "
                       "and first year is recorded already"
                 : ext == SQLITE_CONSTRAINT_CHECK && !strcmp(table, "pt_plan")
                     ? "to is before from"
                     : sqlite3_errmsg(inst->db));
        rc = ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_CHECK
                 ? LIMS_ERR_INPUT
                 : LIMS_ERR_DB;
    }
    sqlite3_finalize(q);
    return rc;
}

/* The rules between fields that hold after the change. */
static lims_status check_row(sqlite3 *db, int capa, long long id,
                             const char *what, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    const char *bad = NULL;
    lims_status rc = pt_store_prepare(
        db,
        capa ? "SELECT (closed IS NULL) <> (verified_by IS NULL), due < "
               "opened, closed < opened, (effectiveness IS NULL) <> "
               "(effective_on IS NULL) OR (effectiveness IS NULL) <> "
               "(effective IS NULL), effective_on < opened FROM "
               "corrective_action WHERE id = ?1"
             : "SELECT year_to < year_from, 0, 0, 0, 0 FROM pt_plan WHERE "
               "id = ?1",
        &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        if (sqlite3_column_int(q, 0))
            bad = capa ? "closed and verified_by are given together or not "
                         "at all"
                       : "to is before from";
        else if (sqlite3_column_int(q, 1))
            bad = "due is before opened";
        else if (sqlite3_column_int(q, 2))
            bad = "closed is before opened";
        else if (sqlite3_column_int(q, 3))
            bad = "effectiveness, effective_on and effective are given "
                  "together or not at all";
        else if (sqlite3_column_int(q, 4))
            bad = "effective_on is before opened";
    }
    sqlite3_finalize(q);
    if (bad) {
        snprintf(err, errlen, "%s: %s", what, bad);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

lims_status pt_amend_entry_in_tx(lims_instance *inst,
                                 const lims_amendment *a, char *err,
                                 size_t errlen)
{
    int capa = strcmp(a->what, "capa") == 0, found = 0;
    const char *table = capa ? "corrective_action" : "pt_plan";
    const char *noun = capa ? "corrective action" : "plan row";
    char *what = NULL, *changes = NULL, *detail = NULL, *t, *end;
    char why[256];
    const struct entry **chosen = NULL;
    sqlite3_stmt *q;
    long long id;
    size_t i;
    lims_status rc = LIMS_OK;

    id = strtoll(a->code, &end, 10);
    if (*a->code < '1' || *a->code > '9' || *end) {
        snprintf(err, errlen, "amend %s: \"%s\" is not an id (ptlims %s list "
                              "shows them)",
                 a->what, a->code, a->what);
        return LIMS_ERR_INPUT;
    }
    t = sqlite3_mprintf("SELECT EXISTS (SELECT 1 FROM %s WHERE id = ?1), "
                        "EXISTS (SELECT 1 FROM voided WHERE kind = ?2 AND "
                        "row_id = ?1)",
                        table);
    if (!t || (rc = pt_store_prepare(inst->db, t, &q, err, errlen))) {
        sqlite3_free(t);
        return t ? rc : LIMS_ERR_NOMEM;
    }
    sqlite3_free(t);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_text(q, 2, a->what, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        found = sqlite3_column_int(q, 0) + 2 * sqlite3_column_int(q, 1);
    sqlite3_finalize(q);
    if (!(found & 1)) {
        snprintf(err, errlen, "amend %s: no %s %lld (ptlims %s list shows "
                              "them)",
                 a->what, noun, id, a->what);
        return LIMS_ERR_INPUT;
    }
    if (found & 2) {
        snprintf(err, errlen, "amend %s: %s %lld is voided", a->what, noun,
                 id);
        return LIMS_ERR_STATE;
    }
    if (!(what = sqlite3_mprintf("amend %s %lld", a->what, id)) ||
        !(chosen = calloc(a->n_fields, sizeof *chosen))) {
        sqlite3_free(what);
        snprintf(err, errlen, "amend: out of memory");
        return LIMS_ERR_NOMEM;
    }
    for (i = 0; i < a->n_fields && !rc; i++) {
        const struct entry *f = entry_of(a->what, a->fields[i]);
        const char *v = a->values[i] ? a->values[i] : "", *bad;
        char *old;

        if (!f) {
            char *names = field_names(a->what);
            snprintf(err, errlen, "%s: a %s has no field \"%s\" (its fields: "
                                  "%s)",
                     what, noun, a->fields[i], names ? names : "");
            sqlite3_free(names);
            rc = LIMS_ERR_INPUT;
            break;
        }
        if (!*v && f->required) {
            snprintf(err, errlen, "%s: %s cannot be empty", what, f->name);
            rc = LIMS_ERR_INPUT;
            break;
        }
        if (*v && (bad = bad_value(inst, f, v, why, sizeof why))) {
            snprintf(err, errlen, "%s: %s \"%.64s\" %s", what, f->name, v,
                     bad);
            rc = LIMS_ERR_INPUT;
            break;
        }
        old = old_text(inst->db, table, f, id);
        t = sqlite3_mprintf("%s%s%s %s -> %s", changes ? changes : "",
                            changes ? ", " : "", f->name,
                            old && *old ? old : "(empty)",
                            *v ? v : "(empty)");
        sqlite3_free(old);
        sqlite3_free(changes);
        if (!(changes = t)) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
        chosen[i] = f;
    }
    if (!rc)
        rc = set_values(inst, table, chosen, a, id, what, err, errlen);
    if (!rc)
        rc = check_row(inst->db, capa, id, what, err, errlen);
    if (!rc && !(detail = sqlite3_mprintf(
                     "%s %lld: %s: %s%s%s%s", noun, id, changes, a->reason,
                     a->by && *a->by ? " (by " : "",
                     a->by && *a->by ? a->by : "",
                     a->by && *a->by ? ")" : "")))
        rc = LIMS_ERR_NOMEM;
    if (!rc)
        rc = pt_store_audit(inst->db, "amend", detail, err, errlen);
    if (rc == LIMS_ERR_NOMEM)
        snprintf(err, errlen, "amend: out of memory");
    sqlite3_free(what);
    sqlite3_free(changes);
    sqlite3_free(detail);
    free(chosen);
    return rc;
}
