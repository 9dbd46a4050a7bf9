/*
 * pt_stale.c -- is a round's evaluation still the evaluation of its
 * record?
 *
 * An evaluation records the highest result id it saw (result_upto) and,
 * when the assigned value is a reference laboratory's result, which
 * result that was.  A round is stale when, since its evaluation:
 *   - a group (measurand x item) has results but no evaluation;
 *   - a result was recorded (a correction, a late import) above the
 *     evaluation's result_upto;
 *   - the round names another reference laboratory than the one whose
 *     result was taken as x_pt;
 *   - the measurand settings (assigned value, sigma_pt, matrix...) were
 *     changed: the round's last seal of its measurands whose digest
 *     differs from the seal before it is newer than its last evaluation
 *     seal (pt_seal.h: every operation seals what it wrote, so the seal
 *     order is the order of the changes, and a seal of unchanged rows
 *     changes no digest);
 *   - a result it counted was voided (pt_void.c).
 * `close` refuses a stale round; `status` lists stale rounds.
 */
#include <stdio.h>
#include <string.h>

#include "pt_lifecycle.h"
#include "pt_store.h"

#define COUNTS(x)                                                            \
    "NOT EXISTS (SELECT 1 FROM voided v WHERE v.kind = 'result' AND "        \
    "v.row_id = " x ".id)"

static const char never_sql[] =
    "SELECT DISTINCT x.measurand, x.item FROM result x "
    "WHERE x.round_id = ?1 AND " COUNTS("x") " AND NOT EXISTS (SELECT 1 "
    "FROM evaluation e "
    "WHERE e.round_id = x.round_id AND e.measurand = x.measurand AND "
    "e.item = x.item) ORDER BY 1, 2";

static const char later_sql[] =
    "SELECT l.code, x.measurand, x.item, x.version FROM result x "
    "JOIN laboratory l ON l.id = x.lab_id JOIN evaluation e ON "
    "e.round_id = x.round_id AND e.measurand = x.measurand AND "
    "e.item = x.item WHERE x.round_id = ?1 AND x.id > e.result_upto AND "
    COUNTS("x") " ORDER BY x.id";

/* a result the evaluation counted, voided after it (pt_void.c): its
 * void's audit entry is newer than the round's last evaluation seal */
static const char voided_sql[] =
    "SELECT l.code, x.measurand, x.item, v.at FROM voided v JOIN result x "
    "ON x.id = v.row_id JOIN laboratory l ON l.id = x.lab_id JOIN "
    "evaluation e ON e.round_id = x.round_id AND e.measurand = x.measurand "
    "AND e.item = x.item WHERE v.kind = 'result' AND x.round_id = ?1 AND "
    "x.id <= e.result_upto AND x.version = 1 AND v.audit_id > (SELECT "
    "max(audit_id) FROM seal WHERE part = 'evaluation' AND round_id = ?1) "
    "ORDER BY x.id";

static const char reference_sql[] =
    "SELECT e.measurand, e.item, coalesce(lo.code, '(none)'), "
    "coalesce(ln.code, '(none)') FROM evaluation e "
    "JOIN round r ON r.id = e.round_id "
    "LEFT JOIN result x ON x.id = e.ref_result_id "
    "LEFT JOIN laboratory lo ON lo.id = x.lab_id "
    "LEFT JOIN laboratory ln ON ln.id = r.reference_lab_id "
    "WHERE e.round_id = ?1 AND e.assigned = 'reference' AND "
    "x.lab_id IS NOT r.reference_lab_id ORDER BY 1, 2";

static const char settings_sql[] =
    "WITH s AS (SELECT part, audit_id, digest, lag(digest) OVER "
    "(PARTITION BY part ORDER BY id) AS prev FROM seal "
    "WHERE round_id = ?1 AND part IN ('round_measurand', 'evaluation')), "
    "m AS (SELECT max(CASE WHEN part = 'evaluation' THEN audit_id END) AS "
    "ev, max(CASE WHEN part = 'round_measurand' AND (prev IS NULL OR "
    "prev <> digest) THEN audit_id END) AS rm FROM s) "
    "SELECT a.at, a.action, a.detail FROM m JOIN audit_log a ON a.id = "
    "m.rm WHERE m.ev IS NOT NULL AND m.rm > m.ev";

static lims_status db_fail(sqlite3 *db, char *err, size_t errlen)
{
    snprintf(err, errlen, "stale: %s", sqlite3_errmsg(db));
    return LIMS_ERR_DB;
}

lims_status pt_stale_round(sqlite3 *db, long long round_id, pt_stale_cb cb,
                           void *ctx, unsigned long *n, char *err,
                           size_t errlen)
{
    const char *const sql[] = {never_sql, later_sql, reference_sql,
                               settings_sql, voided_sql};
    char reason[1024];
    unsigned long count = 0;
    sqlite3_stmt *q;
    lims_status rc = LIMS_OK;
    int k, st = SQLITE_DONE, stop = 0;

    for (k = 0; k < 5 && !rc && !stop; k++) {
        if ((rc = pt_store_prepare(db, sql[k], &q, err, errlen)))
            break;
        sqlite3_bind_int64(q, 1, round_id);
        while (!stop && (st = sqlite3_step(q)) == SQLITE_ROW) {
            switch (k) {
            case 0:
                snprintf(reason, sizeof reason,
                         "%s, item %s has results but no evaluation",
                         pt_store_text(q, 0), pt_store_text(q, 1));
                break;
            case 1:
                snprintf(reason, sizeof reason,
                         "result of %s, %s, item %s, version %d was "
                         "recorded after the evaluation",
                         pt_store_text(q, 0), pt_store_text(q, 1),
                         pt_store_text(q, 2), sqlite3_column_int(q, 3));
                break;
            case 2:
                snprintf(reason, sizeof reason,
                         "%s, item %s was evaluated against %s, the round "
                         "now names %s as its reference laboratory",
                         pt_store_text(q, 0), pt_store_text(q, 1),
                         pt_store_text(q, 2), pt_store_text(q, 3));
                break;
            case 4:
                snprintf(reason, sizeof reason,
                         "result of %s, %s, item %s was voided after the "
                         "evaluation (%s)",
                         pt_store_text(q, 0), pt_store_text(q, 1),
                         pt_store_text(q, 2), pt_store_text(q, 3));
                break;
            default:
                snprintf(reason, sizeof reason,
                         "the measurand settings were changed after the "
                         "evaluation (%s, %s: %s)",
                         pt_store_text(q, 0), pt_store_text(q, 1),
                         pt_store_text(q, 2));
                break;
            }
            count++;
            if (cb && cb(ctx, reason))
                stop = 1;
        }
        if (!stop && st != SQLITE_DONE)
            rc = db_fail(db, err, errlen);
        sqlite3_finalize(q);
    }
    if (n)
        *n = count;
    return rc;
}

typedef struct refusal {
    char *buf;
    size_t len, used;
    unsigned long n;
} refusal;

static int add_reason(void *ctx, const char *reason)
{
    refusal *r = ctx;

    if (++r->n > 3)
        return 0;
    if (r->used < r->len)
        r->used += (size_t)snprintf(r->buf + r->used, r->len - r->used,
                                    "%s%s", r->n > 1 ? "; " : "", reason);
    return 0;
}

lims_status pt_stale_refuse_close(sqlite3 *db, long long round_id,
                                  const char *code, char *err,
                                  size_t errlen)
{
    char reasons[2048];
    refusal r = {reasons, sizeof reasons, 0, 0};
    lims_status rc;

    reasons[0] = 0;
    rc = pt_stale_round(db, round_id, add_reason, &r, NULL, err, errlen);
    if (rc || r.n == 0)
        return rc;
    if (r.n > 3)
        snprintf(err, errlen,
                 "close: the evaluation of round %s is stale: %s; and %lu "
                 "more (ptlims evaluate %s, then close it)",
                 code, reasons, r.n - 3, code);
    else
        snprintf(err, errlen,
                 "close: the evaluation of round %s is stale: %s (ptlims "
                 "evaluate %s, then close it)",
                 code, reasons, code);
    return LIMS_ERR_STATE;
}

lims_status pt_round_set_status(sqlite3 *db, long long round_id,
                                const char *status, char *err,
                                size_t errlen)
{
    sqlite3_stmt *q;
    char sql[160];
    int reopen = strcmp(status, "open") == 0;
    lims_status rc = LIMS_OK;

    /* the gate of schema 011's trigger: pt_reopening(id) */
    snprintf(sql, sizeof sql,
             "CREATE TEMP TABLE IF NOT EXISTS pt_reopen (round_id INTEGER "
             "PRIMARY KEY); INSERT OR IGNORE INTO temp.pt_reopen VALUES "
             "(%lld)",
             round_id);
    if (reopen && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "reopen: %s", sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    rc = pt_store_prepare(db, "UPDATE round SET status = ?2 WHERE id = ?1",
                          &q, err, errlen);
    if (!rc) {
        sqlite3_bind_int64(q, 1, round_id);
        sqlite3_bind_text(q, 2, status, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) {
            snprintf(err, errlen, "round status: %s", sqlite3_errmsg(db));
            rc = LIMS_ERR_DB;
        }
        sqlite3_finalize(q);
    }
    if (reopen &&
        sqlite3_exec(db, "DELETE FROM temp.pt_reopen", NULL, NULL, NULL) !=
            SQLITE_OK &&
        !rc) {
        snprintf(err, errlen, "reopen: %s", sqlite3_errmsg(db));
        rc = LIMS_ERR_DB;
    }
    return rc;
}
