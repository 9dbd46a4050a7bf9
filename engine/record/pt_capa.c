/*
 * pt_capa.c -- the corrective-action register (lims_plugin.capa_add,
 * .capa_close, .capas; table corrective_action, schemas/001 and 003).
 *
 * ISO/IEC 17025 7.7.3 asks that results outside the criteria lead to
 * action; an assessor then reads, per questionable or unsatisfactory
 * result, what triggered the action, its root cause, the action, who owns
 * it, when it is due, when it was closed and who verified it; its CAR
 * number, the impact on results already issued and the effectiveness check
 * (schema 015).  An action is tied to the triggering result (not its
 * score, which re-evaluation replaces), or to a gap in the participation
 * plan (a plan row and the year that fell short).  Every change is written to the audit log in the same
 * transaction.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pt_core.h"
#include "pt_csv.h"
#include "pt_store.h"

static int given(const char *s) { return s && *s; }

/* Non-zero when s is an ISO calendar date "YYYY-MM-DD" that exists. */
static int iso_date(const char *s)
{
    return given(s) && pt_csv_is_date(s);
}

/* The optional columns of an action (schema 015), each a column of the
 * table, of a corrective-action file and a member of lims_capa_entry,
 * checked as its kind says: one table for add, import and listing. */
typedef enum capa_kind {
    CAPA_SHORT, /* one line of PT_CSV_SHORT_MAX characters */
    CAPA_LONG,  /* PT_CSV_LONG_MAX characters */
    CAPA_DATE,  /* YYYY-MM-DD */
    CAPA_OUTCOME /* "effective" or "not effective" */
} capa_kind;

static const struct capa_extra {
    const char *column;
    size_t offset; /* in lims_capa_entry */
    capa_kind kind;
} capa_extras[] = {
    {"car_no", offsetof(lims_capa_entry, car_no), CAPA_SHORT},
    {"impact", offsetof(lims_capa_entry, impact), CAPA_LONG},
    {"effectiveness", offsetof(lims_capa_entry, effectiveness), CAPA_LONG},
    {"effective_on", offsetof(lims_capa_entry, effective_on), CAPA_DATE},
    {"effective", offsetof(lims_capa_entry, effective), CAPA_OUTCOME},
};

#define N_EXTRAS (sizeof capa_extras / sizeof capa_extras[0])

static const char *extra(const lims_capa_entry *e, size_t i)
{
    return *(const char *const *)((const char *)e + capa_extras[i].offset);
}

static void set_extra(lims_capa_entry *e, size_t i, const char *v)
{
    *(const char **)((char *)e + capa_extras[i].offset) = v;
}

/* The optional columns of e, each by its kind, and the effectiveness
 * check whole: an outcome needs its date and what was checked. */
static lims_status check_extras(const lims_capa_entry *e, const char *opened,
                                char *err, size_t errlen)
{
    char why[160];

    for (size_t i = 0; i < N_EXTRAS; i++) {
        const char *v = extra(e, i);
        if (!given(v))
            continue;
        switch (capa_extras[i].kind) {
        case CAPA_SHORT:
        case CAPA_LONG:
            if (pt_csv_text(v,
                            capa_extras[i].kind == CAPA_SHORT
                                ? PT_CSV_SHORT_MAX
                                : PT_CSV_LONG_MAX,
                            capa_extras[i].kind == CAPA_SHORT, why,
                            sizeof why) != 0) {
                snprintf(err, errlen, "capa: %s %s", capa_extras[i].column,
                         why);
                return LIMS_ERR_INPUT;
            }
            break;
        case CAPA_DATE:
            if (!iso_date(v)) {
                snprintf(err, errlen, "capa: %s \"%.40s\" is not YYYY-MM-DD",
                         capa_extras[i].column, v);
                return LIMS_ERR_INPUT;
            }
            break;
        case CAPA_OUTCOME:
            if (strcmp(v, "effective") != 0 &&
                strcmp(v, "not effective") != 0) {
                snprintf(err, errlen, "capa: %s \"%.40s\" is not "
                         "\"effective\" or \"not effective\"",
                         capa_extras[i].column, v);
                return LIMS_ERR_INPUT;
            }
            break;
        }
    }
    if ((given(e->effective) || given(e->effective_on)) &&
        !given(e->effectiveness)) {
        snprintf(err, errlen, "capa: %s is given without effectiveness "
                 "(what was checked)",
                 given(e->effective) ? "effective" : "effective_on");
        return LIMS_ERR_INPUT;
    }
    if (given(e->effectiveness) &&
        (!given(e->effective_on) || !given(e->effective))) {
        snprintf(err, errlen, "capa: effectiveness is given without %s "
                 "(the check's date and its outcome go with it)",
                 given(e->effective_on) ? "effective" : "effective_on");
        return LIMS_ERR_INPUT;
    }
    if (given(e->effective_on) && strcmp(e->effective_on, opened) < 0) {
        snprintf(err, errlen, "capa: effective_on %s is before the opening "
                 "date %s", e->effective_on, opened);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

/* The plan row of a gap action: its id and lab, the year within its span;
 * writes the default trigger. */
static lims_status find_plan(sqlite3 *db, const lims_capa_entry *e,
                             char *trigger, size_t tlen, char *err,
                             size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db,
        "SELECT l.code, p.technique, p.property, p.product, p.year_from, "
        "p.year_to FROM pt_plan p JOIN laboratory l ON l.id = p.lab_id "
        "WHERE p.id = ?1",
        &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, e->plan_id);
    if (sqlite3_step(q) != SQLITE_ROW) {
        snprintf(err, errlen, "capa: no plan row %lld (ptlims plan list "
                 "shows the ids)", e->plan_id);
        rc = LIMS_ERR_INPUT;
    } else if (given(e->lab) && strcmp(e->lab, pt_store_text(q, 0)) != 0) {
        snprintf(err, errlen, "capa: plan row %lld is laboratory %s's, not "
                 "%s's", e->plan_id, pt_store_text(q, 0), e->lab);
        rc = LIMS_ERR_INPUT;
    } else if (e->plan_year < sqlite3_column_int(q, 4) ||
               e->plan_year > sqlite3_column_int(q, 5)) {
        snprintf(err, errlen, "capa: year %d is outside plan row %lld "
                 "(%d to %d)", e->plan_year, e->plan_id,
                 sqlite3_column_int(q, 4), sqlite3_column_int(q, 5));
        rc = LIMS_ERR_INPUT;
    } else {
        snprintf(trigger, tlen, "plan gap: %s / %s / %s, %d",
                 pt_store_text(q, 1), pt_store_text(q, 2),
                 pt_store_text(q, 3), e->plan_year);
    }
    sqlite3_finalize(q);
    return rc;
}

static const char find_sql[] =
    "SELECT r.id, count(*) OVER (), r.item, s.primary_score, s.z, "
    "s.z_prime, s.zeta, s.En, s.verdict FROM result r "
    "JOIN round ro ON ro.id = r.round_id "
    "JOIN laboratory l ON l.id = r.lab_id "
    "LEFT JOIN score s ON s.result_id = r.id "
    "WHERE ro.code = ?1 AND l.code = ?2 AND r.measurand = ?3 "
    "AND (?4 IS NULL OR r.item = ?4) AND (?5 OR s.result_id IS NOT NULL) "
    "AND (?5 OR NOT EXISTS (SELECT 1 FROM voided v WHERE v.kind = 'result' "
    "AND v.row_id = r.id)) AND r.version = (SELECT max(version) "
    "FROM result o WHERE o.round_id = r.round_id AND o.lab_id = r.lab_id "
    "AND o.measurand = r.measurand AND o.item = r.item) ORDER BY r.item";

/* The scored result named by e (a result not scored, or voided, is
 * enough when e gives the trigger, as a file written by ptlims export
 * does); writes the default trigger text. */
static lims_status find_result(sqlite3 *db, const lims_capa_entry *e,
                               long long *result, char *trigger, size_t tlen,
                               char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(db, find_sql, &q, err, errlen);
    const char *primary;
    double score = NAN;

    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, e->round, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, e->lab, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, e->measurand, -1, SQLITE_STATIC);
    pt_store_bind_text(q, 4, e->item);
    sqlite3_bind_int(q, 5, given(e->trigger));
    if (sqlite3_step(q) != SQLITE_ROW) {
        snprintf(err, errlen,
                 "capa: no scored result of %s for %s%s%s in round %s "
                 "(import and evaluate the round first)",
                 e->lab, e->measurand, given(e->item) ? " item " : "",
                 given(e->item) ? e->item : "", e->round);
        sqlite3_finalize(q);
        return LIMS_ERR_INPUT;
    }
    if (sqlite3_column_int(q, 1) > 1) {
        snprintf(err, errlen,
                 "capa: %s has %d items for %s in round %s; name one with "
                 "--item",
                 e->lab, sqlite3_column_int(q, 1), e->measurand, e->round);
        sqlite3_finalize(q);
        return LIMS_ERR_INPUT;
    }
    *result = sqlite3_column_int64(q, 0);
    primary = pt_store_text(q, 3);
    if (strcmp(primary, "z") == 0)
        score = pt_store_num(q, 4);
    else if (strcmp(primary, "z'") == 0)
        score = pt_store_num(q, 5);
    else if (strcmp(primary, "zeta") == 0)
        score = pt_store_num(q, 6);
    else if (strcmp(primary, "En") == 0)
        score = pt_store_num(q, 7);
    if (isnan(score))
        snprintf(trigger, tlen, "%s %s %s: %s", e->round, e->measurand,
                 pt_store_text(q, 2), pt_store_text(q, 8));
    else
        snprintf(trigger, tlen, "%s %s %s: %s = %+.2f, %s", e->round,
                 e->measurand, pt_store_text(q, 2), primary, score,
                 pt_store_text(q, 8));
    sqlite3_finalize(q);
    return LIMS_OK;
}

static lims_status check_add(const lims_capa_entry *e, char *err,
                             size_t errlen)
{
    static const char *const names[] = {"root cause", "action", "owner",
                                        "due date",   "round",  "lab",
                                        "measurand"};
    const char *values[7];
    size_t n = e->plan_id ? 4 : 7;

    values[0] = e->root_cause;
    values[1] = e->action;
    values[2] = e->owner;
    values[3] = e->due;
    values[4] = e->round;
    values[5] = e->lab;
    values[6] = e->measurand;
    if (e->plan_id && (given(e->round) || given(e->measurand) ||
                       given(e->item))) {
        snprintf(err, errlen, "capa: an action on a plan gap names no "
                 "round, measurand or item");
        return LIMS_ERR_INPUT;
    }
    if (e->plan_id && e->plan_year == 0) {
        snprintf(err, errlen, "capa: an action on a plan gap needs the "
                 "year that fell short");
        return LIMS_ERR_INPUT;
    }
    for (size_t i = 0; i < n; i++)
        if (!given(values[i])) {
            snprintf(err, errlen, "capa: %s is required", names[i]);
            return LIMS_ERR_INPUT;
        }
    {
        /* what the workbook writes: the rules of an import's cells */
        const char *texts[] = {e->trigger, e->root_cause, e->action,
                               e->owner};
        static const char *const tnames[] = {"trigger", "root cause",
                                             "action", "owner"};
        char why[160];
        for (size_t i = 0; i < 4; i++)
            if (given(texts[i]) &&
                pt_csv_text(texts[i], i == 3 ? PT_CSV_SHORT_MAX
                                             : PT_CSV_LONG_MAX,
                            i == 3, why, sizeof why) != 0) {
                snprintf(err, errlen, "capa: %s %s", tnames[i], why);
                return LIMS_ERR_INPUT;
            }
    }
    if (!iso_date(e->due)) {
        snprintf(err, errlen, "capa: due date \"%s\" is not YYYY-MM-DD",
                 e->due);
        return LIMS_ERR_INPUT;
    }
    if (given(e->opened) && !iso_date(e->opened)) {
        snprintf(err, errlen, "capa: opening date \"%s\" is not YYYY-MM-DD",
                 e->opened);
        return LIMS_ERR_INPUT;
    }
    if (given(e->opened) && strcmp(e->due, e->opened) < 0) {
        snprintf(err, errlen, "capa: due date %s is before the opening date %s",
                 e->due, e->opened);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

lims_status pt_core_capa_add(lims_instance *inst, const lims_capa_entry *e,
                             long long *id, char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    sqlite3_stmt *q = NULL;
    long long result = 0;
    char trigger[512], today[16], detail[1024];
    const char *opened;
    lims_status rc;

    if (given(e->opened)) {
        opened = e->opened;
    } else {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        opened = today;
    }
    if ((rc = check_add(e, err, errlen)) ||
        (rc = check_extras(e, opened, err, errlen)) ||
        (rc = pt_store_begin(db, err, errlen)))
        goto out;
    rc = e->plan_id ? find_plan(db, e, trigger, sizeof trigger, err, errlen)
                    : find_result(db, e, &result, trigger, sizeof trigger,
                                  err, errlen);
    if (!rc)
        rc = pt_store_prepare(db,
                              "INSERT INTO corrective_action (result_id, "
                              "trigger, root_cause, action, owner, opened, "
                              "due, plan_id, plan_year, car_no, impact, "
                              "effectiveness, effective_on, effective) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                              "?10, ?11, ?12, ?13, ?14)",
                              &q, err, errlen);
    if (!rc) {
        if (result)
            sqlite3_bind_int64(q, 1, result);
        if (e->plan_id) {
            sqlite3_bind_int64(q, 8, e->plan_id);
            sqlite3_bind_int(q, 9, e->plan_year);
        }
        for (size_t i = 0; i < N_EXTRAS; i++)
            pt_store_bind_text(q, 10 + (int)i, extra(e, i));
        sqlite3_bind_text(q, 2, given(e->trigger) ? e->trigger : trigger, -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(q, 3, e->root_cause, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, e->action, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, e->owner, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, opened, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 7, e->due, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) {
            snprintf(err, errlen, "capa: %s", sqlite3_errmsg(db));
            rc = LIMS_ERR_DB;
        }
    }
    sqlite3_finalize(q);
    if (!rc) {
        if (id)
            *id = sqlite3_last_insert_rowid(db);
        if (e->plan_id)
            snprintf(detail, sizeof detail,
                     "action %lld on plan row %lld, %d: %s",
                     (long long)sqlite3_last_insert_rowid(db), e->plan_id,
                     e->plan_year, e->action);
        else
            snprintf(detail, sizeof detail,
                     "action %lld on %s %s %s%s%s: %s",
                     (long long)sqlite3_last_insert_rowid(db), e->round,
                     e->lab, e->measurand, given(e->item) ? " " : "",
                     given(e->item) ? e->item : "", e->action);
        rc = pt_store_audit(db, "capa add", detail, err, errlen);
    }
    rc = pt_store_end(db, rc, err, errlen);
out:
    return rc;
}

lims_status pt_core_capa_close(lims_instance *inst, long long id,
                               const char *closed, const char *verified_by,
                               char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    sqlite3_stmt *q = NULL;
    char detail[512];
    lims_status rc;

    if (!iso_date(closed)) {
        snprintf(err, errlen, "capa close: closing date \"%s\" is not "
                 "YYYY-MM-DD", closed ? closed : "");
        rc = LIMS_ERR_INPUT;
        goto out;
    }
    if (!given(verified_by)) {
        snprintf(err, errlen, "capa close: who verified the action is "
                              "required");
        rc = LIMS_ERR_INPUT;
        goto out;
    }
    {
        char why[160];
        if (pt_csv_text(verified_by, PT_CSV_SHORT_MAX, 1, why, sizeof why)) {
            snprintf(err, errlen, "capa close: verified_by %s", why);
            rc = LIMS_ERR_INPUT;
            goto out;
        }
    }
    if ((rc = pt_store_begin(db, err, errlen)))
        goto out;
    rc = pt_store_prepare(db,
                          "SELECT closed, opened FROM corrective_action "
                          "WHERE id = ?1",
                          &q, err, errlen);
    if (!rc) {
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_step(q) != SQLITE_ROW) {
            snprintf(err, errlen, "capa close: no corrective action %lld",
                     id);
            rc = LIMS_ERR_INPUT;
        } else if (*pt_store_text(q, 0)) {
            snprintf(err, errlen,
                     "capa close: corrective action %lld was closed on %s",
                     id, pt_store_text(q, 0));
            rc = LIMS_ERR_STATE;
        } else if (*pt_store_text(q, 1) &&
                   strcmp(closed, pt_store_text(q, 1)) < 0) {
            snprintf(err, errlen,
                     "capa close: closing date %s is before the opening "
                     "date %s",
                     closed, pt_store_text(q, 1));
            rc = LIMS_ERR_INPUT;
        }
    }
    sqlite3_finalize(q);
    q = NULL;
    if (!rc)
        rc = pt_store_prepare(db,
                              "UPDATE corrective_action SET closed = ?2, "
                              "verified_by = ?3 WHERE id = ?1",
                              &q, err, errlen);
    if (!rc) {
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_text(q, 2, closed, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, verified_by, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) {
            snprintf(err, errlen, "capa close: %s", sqlite3_errmsg(db));
            rc = LIMS_ERR_DB;
        }
    }
    sqlite3_finalize(q);
    if (!rc) {
        snprintf(detail, sizeof detail, "action %lld closed %s, verified by %s",
                 id, closed, verified_by);
        rc = pt_store_audit(db, "capa close", detail, err, errlen);
    }
    rc = pt_store_end(db, rc, err, errlen);
out:
    return rc;
}

lims_status pt_core_capas(lims_instance *inst, const char *lab,
                          lims_capa_cb cb, void *ctx, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    lims_capa_entry e;
    lims_status rc;

    rc = pt_store_prepare(
        inst->db,
        "SELECT ca.id, ro.code, l.code, r.measurand, r.item, ca.trigger, "
        "ca.root_cause, ca.action, ca.owner, ca.opened, ca.due, ca.closed, "
        "ca.verified_by, (SELECT s.verdict FROM score s WHERE s.result_id = "
        "r.id), ca.car_no, ca.impact, ca.effectiveness, ca.effective_on, "
        "ca.effective, ca.plan_id, ca.plan_year "
        "FROM corrective_action ca LEFT JOIN result r ON r.id = "
        "ca.result_id LEFT JOIN round ro ON ro.id = r.round_id "
        "LEFT JOIN pt_plan p ON p.id = ca.plan_id "
        "JOIN laboratory l ON l.id = coalesce(r.lab_id, p.lab_id) "
        "WHERE (?1 IS NULL OR l.code = ?1) AND NOT EXISTS (SELECT 1 FROM "
        "voided v WHERE v.kind = 'capa' AND v.row_id = ca.id) "
        "ORDER BY ca.opened, ca.id",
        &q, err, errlen);
    if (rc)
        goto out;
    pt_store_bind_text(q, 1, lab);
    while (sqlite3_step(q) == SQLITE_ROW) {
        memset(&e, 0, sizeof e);
        e.size = sizeof e;
        e.id = sqlite3_column_int64(q, 0);
        e.round = pt_store_text(q, 1);
        e.lab = pt_store_text(q, 2);
        e.measurand = pt_store_text(q, 3);
        e.item = pt_store_text(q, 4);
        e.trigger = pt_store_text(q, 5);
        e.root_cause = pt_store_text(q, 6);
        e.action = pt_store_text(q, 7);
        e.owner = pt_store_text(q, 8);
        e.opened = pt_store_text(q, 9);
        e.due = pt_store_text(q, 10);
        e.closed = pt_store_text_or_null(q, 11);
        e.verified_by = pt_store_text_or_null(q, 12);
        e.verdict = pt_store_text(q, 13);
        for (size_t i = 0; i < N_EXTRAS; i++)
            set_extra(&e, i, pt_store_text_or_null(q, 14 + (int)i));
        e.plan_id = sqlite3_column_int64(q, 19);
        e.plan_year = sqlite3_column_int(q, 20);
        if (e.plan_id) {
            e.round = e.measurand = e.item = e.verdict = NULL;
        }
        if (cb(ctx, &e))
            break;
    }
    sqlite3_finalize(q);
out:
    return rc;
}
