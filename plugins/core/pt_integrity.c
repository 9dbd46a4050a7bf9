/*
 * pt_integrity.c -- keeping the record honest: verify the hash-chained
 * audit log against the data, close a round, correct a result.
 *
 * The audit log (schema 004) is a chain: each entry's hash covers the
 * previous hash and the entry's canonical text, and every change of a
 * recorded row is logged by a trigger with the row as it then was.
 * verify recomputes the chain in id order, then compares every recorded
 * row with its last entry and checks that the logging triggers are still
 * there, so a change made outside ptlims (a sqlite3 shell, a script that
 * dropped a trigger, a deleted log entry) is named: the entry or row id and
 * what differs.  It cannot stop someone who rewrites the whole chain with
 * the same algorithm; the head hash it prints is meant to be written down
 * outside the database (a report, a signed e-mail) as an anchor.
 *
 * A closed round is immutable (triggers in 001 and 004); a correction of a
 * result is a new version with a reason, made while the round is open.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pt_core.h"
#include "pt_csv.h"
#include "pt_sha256.h"
#include "pt_store.h"

/* Tables whose rows are logged by triggers (schema 004). */
static const char *const logged[] = {"laboratory",      "round",
                                     "round_measurand", "result",
                                     "evaluation",      "score"};
#define N_LOGGED (sizeof logged / sizeof logged[0])

typedef struct verifier {
    lims_instance *inst;
    lims_verify_summary sum;
    char *err;
    size_t errlen;
} verifier;

/* Record one problem: the first goes to err, the others to the host log. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void problem(verifier *v, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (v->sum.problems++ == 0)
        snprintf(v->err, v->errlen, "%s", msg);
    else
        pt_core_log(v->inst, LIMS_LOG_WARN, msg);
}

static lims_status db_error(verifier *v, const char *what)
{
    snprintf(v->err, v->errlen, "verify: %s: %s", what,
             sqlite3_errmsg(v->inst->db));
    return LIMS_ERR_DB;
}

static void hash_hex(const char *prev, const char *text, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[PT_SHA256_SIZE];
    pt_sha256 s;
    int i;

    pt_sha256_init(&s);
    pt_sha256_update(&s, prev, strlen(prev));
    pt_sha256_update(&s, "|", 1);
    pt_sha256_update(&s, text, strlen(text));
    pt_sha256_final(&s, d);
    for (i = 0; i < PT_SHA256_SIZE; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = 0;
}

/* The chain, entry by entry in id order. */
static lims_status verify_chain(verifier *v)
{
    sqlite3_stmt *q;
    char prev[PT_SHA256_HEX_SIZE] = "", want[PT_SHA256_HEX_SIZE];
    long long last = 0, id;
    lims_status rc = pt_store_prepare(
        v->inst->db,
        "SELECT a.id, a.hash, t.text, a.at, a.action, a.detail "
        "FROM audit_log a JOIN audit_chain_text t ON t.id = a.id "
        "ORDER BY a.id",
        &q, v->err, v->errlen);
    int st;

    if (rc)
        return rc;
    while ((st = sqlite3_step(q)) == SQLITE_ROW) {
        const char *hash = (const char *)sqlite3_column_text(q, 1);
        const char *text = pt_store_text(q, 2);

        id = sqlite3_column_int64(q, 0);
        v->sum.entries++;
        if (id == last + 2)
            problem(v, "audit log entry %lld is missing (removed): the "
                       "chain breaks at entry %lld",
                    last + 1, id);
        else if (id != last + 1)
            problem(v, "audit log entries %lld..%lld are missing (removed): "
                       "the chain breaks at entry %lld",
                    last + 1, id - 1, id);
        if (!hash || strlen(hash) != 64) {
            problem(v, "audit log entry %lld (%s %s) has no hash: it was "
                       "written outside ptlims",
                    id, pt_store_text(q, 4), pt_store_text(q, 5));
            prev[0] = 0;
        } else {
            hash_hex(prev, text, want);
            if (strcmp(want, hash) != 0 && id == last + 1)
                problem(v,
                        "audit log entry %lld (%s, %s %s) does not match its "
                        "hash: it was changed after it was written "
                        "(stored %.12s..., recomputed %.12s...)",
                        id, pt_store_text(q, 3), pt_store_text(q, 4),
                        pt_store_text(q, 5), hash, want);
            snprintf(prev, sizeof prev, "%s", hash);
        }
        last = id;
    }
    sqlite3_finalize(q);
    if (st != SQLITE_DONE)
        return db_error(v, "reading the audit log");
    snprintf(v->sum.head, sizeof v->sum.head, "%s", prev);
    return LIMS_OK;
}

/* Next "key":value of a serialised row at *p; 0 at the end. */
static int next_pair(const char **p, const char **key, size_t *klen,
                     const char **val, size_t *vlen)
{
    const char *s = *p;

    if (*s == '{' || *s == ',')
        s++;
    if (*s != '"')
        return 0;
    *key = ++s;
    while (*s && *s != '"')
        s++;
    *klen = (size_t)(s - *key);
    if (*s++ != '"' || *s++ != ':')
        return 0;
    *val = s;
    if (*s == 'X' && s[1] == '\'')
        s++;
    if (*s == '\'') {
        for (s++; *s; s++)
            if (*s == '\'' && *++s != '\'')
                break;
    } else {
        while (*s && *s != ',' && *s != '}')
            s++;
    }
    *vlen = (size_t)(s - *val);
    *p = s;
    return 1;
}

/* Describe the first column in which two serialised rows differ. */
static void first_difference(const char *logged_row, const char *now,
                             char *out, size_t outlen)
{
    const char *a = logged_row, *b = now, *ka, *kb, *va, *vb;
    size_t kla, klb, vla, vlb;

    while (next_pair(&a, &ka, &kla, &va, &vla) &&
           next_pair(&b, &kb, &klb, &vb, &vlb)) {
        if (kla != klb || memcmp(ka, kb, kla) != 0)
            break;
        if (vla != vlb || memcmp(va, vb, vla) != 0) {
            snprintf(out, outlen, "%.*s was %.*s%s, is now %.*s%s",
                     (int)kla, ka, (int)(vla > 60 ? 60 : vla), va,
                     vla > 60 ? "..." : "", (int)(vlb > 60 ? 60 : vlb), vb,
                     vlb > 60 ? "..." : "");
            return;
        }
    }
    snprintf(out, outlen, "its columns differ");
}

/* Every row of table t against its last audit entry, and rows whose last
 * entry says they exist but which are gone. */
static lims_status verify_table(verifier *v, const char *t)
{
    char sql[1024], diff[512];
    sqlite3_stmt *q;
    lims_status rc;
    int st;

    snprintf(sql, sizeof sql,
             "SELECT v.id, v.data, l.id, l.row_data, l.at "
             "FROM audit_row_%s v "
             "LEFT JOIN (SELECT row_id, max(id) AS id FROM audit_log "
             "           WHERE tbl = '%s' GROUP BY row_id) m "
             "       ON m.row_id = v.id "
             "LEFT JOIN audit_log l ON l.id = m.id ORDER BY v.id",
             t, t);
    if ((rc = pt_store_prepare(v->inst->db, sql, &q, v->err, v->errlen)))
        return rc;
    while ((st = sqlite3_step(q)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(q, 0);
        const char *now = pt_store_text(q, 1);

        v->sum.rows++;
        if (sqlite3_column_type(q, 2) == SQLITE_NULL) {
            problem(v, "%s row %lld is not in the audit log: it was added "
                       "outside ptlims",
                    t, id);
        } else if (sqlite3_column_type(q, 3) == SQLITE_NULL) {
            problem(v, "%s row %lld was deleted (audit log entry %lld) but "
                       "is there again",
                    t, id, sqlite3_column_int64(q, 2));
        } else if (strcmp(now, pt_store_text(q, 3)) != 0) {
            first_difference(pt_store_text(q, 3), now, diff, sizeof diff);
            problem(v,
                    "%s row %lld was changed outside ptlims: %s (last "
                    "audit log entry %lld, %s)",
                    t, id, diff, sqlite3_column_int64(q, 2),
                    pt_store_text(q, 4));
        }
    }
    sqlite3_finalize(q);
    if (st != SQLITE_DONE)
        return db_error(v, t);

    snprintf(sql, sizeof sql,
             "SELECT m.row_id, l.id, l.at FROM "
             "(SELECT row_id, max(id) AS id FROM audit_log WHERE tbl = '%s' "
             " GROUP BY row_id) m JOIN audit_log l ON l.id = m.id "
             "WHERE l.row_data IS NOT NULL AND NOT EXISTS "
             "(SELECT 1 FROM %s WHERE id = m.row_id) ORDER BY m.row_id",
             t, t);
    if ((rc = pt_store_prepare(v->inst->db, sql, &q, v->err, v->errlen)))
        return rc;
    while ((st = sqlite3_step(q)) == SQLITE_ROW)
        problem(v, "%s row %lld was removed outside ptlims (last audit log "
                   "entry %lld, %s)",
                t, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                pt_store_text(q, 2));
    sqlite3_finalize(q);
    if (st != SQLITE_DONE)
        return db_error(v, t);
    return LIMS_OK;
}

/* The triggers that log and protect the record must all be there. */
static lims_status verify_triggers(verifier *v)
{
    static const char *const fixed[] = {
        "audit_log_no_update",  "audit_log_no_delete",
        "audit_log_chain",      "result_closed_insert",
        "result_closed_update", "result_closed_delete",
        "round_closed_update",  "round_closed_delete"};
    static const char *const ops[] = {"insert", "update", "delete"};
    char name[96];
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        v->inst->db,
        "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
        &q, v->err, v->errlen);
    size_t i, k;

    if (rc)
        return rc;
    for (i = 0; i < sizeof fixed / sizeof fixed[0] + N_LOGGED * 3; i++) {
        if (i < sizeof fixed / sizeof fixed[0]) {
            snprintf(name, sizeof name, "%s", fixed[i]);
        } else {
            k = i - sizeof fixed / sizeof fixed[0];
            snprintf(name, sizeof name, "audit_%s_%s", logged[k / 3],
                     ops[k % 3]);
        }
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_ROW)
            problem(v, "trigger %s is missing (dropped outside ptlims): "
                       "changes may have gone unlogged",
                    name);
    }
    sqlite3_finalize(q);
    return LIMS_OK;
}

lims_status pt_core_verify(lims_instance *inst, lims_verify_summary *out,
                           char *err, size_t errlen)
{
    verifier v;
    lims_status rc;
    size_t i;
    char msg[64];

    memset(&v, 0, sizeof v);
    v.inst = inst;
    v.err = err;
    v.errlen = errlen;
    v.sum.size = sizeof v.sum;
    /* one read transaction: a consistent picture while others write */
    if (sqlite3_exec(inst->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(&v, "begin");
    rc = verify_chain(&v);
    for (i = 0; !rc && i < N_LOGGED; i++)
        rc = verify_table(&v, logged[i]);
    if (!rc)
        rc = verify_triggers(&v);
    pt_store_rollback(inst->db);
    if (rc)
        return rc;
    if (out && out->size >= sizeof *out) {
        *out = v.sum;
        out->size = sizeof *out;
    }
    if (v.sum.problems) {
        if (v.sum.problems > 1) {
            snprintf(msg, sizeof msg, " (and %lu more problems)",
                     v.sum.problems - 1);
            if (strlen(err) + strlen(msg) < errlen)
                memcpy(err + strlen(err), msg, strlen(msg) + 1);
        }
        return LIMS_ERR_STATE;
    }
    return LIMS_OK;
}

lims_status pt_core_close_round(lims_instance *inst, const char *round,
                                char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char detail[256];
    lims_status rc;
    int st;

    if (!round || !*round) {
        snprintf(err, errlen, "close: which round?");
        return LIMS_ERR_INPUT;
    }
    if ((rc = pt_store_begin(inst->db, err, errlen)))
        return rc;
    rc = pt_store_prepare(inst->db,
                          "SELECT id, status FROM round WHERE code = ?1", &q,
                          err, errlen);
    if (rc)
        goto out;
    sqlite3_bind_text(q, 1, round, -1, SQLITE_STATIC);
    st = sqlite3_step(q);
    if (st != SQLITE_ROW) {
        snprintf(err, errlen, "close: unknown round \"%s\"", round);
        rc = LIMS_ERR_INPUT;
    } else if (strcmp(pt_store_text(q, 1), "closed") == 0) {
        snprintf(err, errlen, "close: round %s is already closed", round);
        rc = LIMS_ERR_STATE;
    } else {
        long long id = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        q = NULL;
        rc = pt_store_prepare(inst->db,
                              "UPDATE round SET status = 'closed' "
                              "WHERE id = ?1",
                              &q, err, errlen);
        if (!rc) {
            sqlite3_bind_int64(q, 1, id);
            if (sqlite3_step(q) != SQLITE_DONE) {
                snprintf(err, errlen, "close: %s",
                         sqlite3_errmsg(inst->db));
                rc = LIMS_ERR_DB;
            }
        }
    }
    sqlite3_finalize(q);
    if (!rc) {
        snprintf(detail, sizeof detail, "round %s closed", round);
        rc = pt_store_audit(inst->db, "close", detail, err, errlen);
    }
out:
    return pt_store_end(inst->db, rc, err, errlen);
}

static lims_status correct_in_tx(lims_instance *inst,
                                 const lims_correction *c, unsigned *version,
                                 char *err, size_t errlen)
{
    const char *item = c->item && *c->item ? c->item : "1";
    lims_result_in in = {sizeof in, 0, 0, 0, NAN, NAN, 0, 0, 0};
    lims_result_out out = {sizeof out, NAN, NAN, NAN, LIMS_FIELD_NONE};
    const lims_plugin *scheme;
    sqlite3_stmt *q = NULL, *ins = NULL;
    char why[384], detail[1024];
    long long round_id, prev_id;
    int prev_version;
    lims_status rc;

    rc = pt_store_prepare(
        inst->db,
        "SELECT r.id, s.code, r.status, "
        "(SELECT id FROM laboratory WHERE code = ?2) "
        "FROM round r JOIN scheme s ON s.id = r.scheme_id WHERE r.code = ?1",
        &q, err, errlen);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, c->round, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, c->lab, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        snprintf(err, errlen, "correct: unknown round \"%s\"", c->round);
        rc = LIMS_ERR_INPUT;
    } else if (strcmp(pt_store_text(q, 2), "closed") == 0) {
        snprintf(err, errlen,
                 "correct: round %s is closed: its results cannot change",
                 c->round);
        rc = LIMS_ERR_STATE;
    } else if (sqlite3_column_type(q, 3) == SQLITE_NULL) {
        snprintf(err, errlen, "correct: unknown laboratory \"%s\"", c->lab);
        rc = LIMS_ERR_INPUT;
    } else if (!(scheme = pt_core_scheme(inst, pt_store_text(q, 1)))) {
        snprintf(err, errlen,
                 "correct: round %s is of scheme %s, for which no plug-in "
                 "is loaded",
                 c->round, pt_store_text(q, 1));
        rc = LIMS_ERR_STATE;
    }
    if (rc) {
        sqlite3_finalize(q);
        return rc;
    }
    round_id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);

    /* the latest version is the one corrected */
    rc = pt_store_prepare(
        inst->db,
        "SELECT id, version FROM result WHERE round_id = ?1 AND lab_id = "
        "(SELECT id FROM laboratory WHERE code = ?2) AND measurand = ?3 "
        "AND item = ?4 ORDER BY version DESC LIMIT 1",
        &q, err, errlen);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, round_id);
    sqlite3_bind_text(q, 2, c->lab, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, c->measurand, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, item, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        snprintf(err, errlen,
                 "correct: %s has no result for round %s, %s, item %s to "
                 "correct",
                 c->lab, c->round, c->measurand, item);
        sqlite3_finalize(q);
        return LIMS_ERR_INPUT;
    }
    prev_id = sqlite3_column_int64(q, 0);
    prev_version = sqlite3_column_int(q, 1);
    sqlite3_finalize(q);

    if (pt_csv_number(c->value, &in.value, why, sizeof why) != 0) {
        snprintf(err, errlen, "correct: --value: %s", why);
        return LIMS_ERR_INPUT;
    }
    if (c->U && *c->U && pt_csv_number(c->U, &in.U, why, sizeof why) != 0) {
        snprintf(err, errlen, "correct: --U: %s", why);
        return LIMS_ERR_INPUT;
    }
    if (c->k && *c->k && pt_csv_number(c->k, &in.k, why, sizeof why) != 0) {
        snprintf(err, errlen, "correct: --k: %s", why);
        return LIMS_ERR_INPUT;
    }
    if (!isnan(in.U) && !(in.U > 0)) {
        snprintf(err, errlen, "correct: --U must be positive");
        return LIMS_ERR_INPUT;
    }
    if (!isnan(in.k) && (isnan(in.U) || !(in.k >= 1))) {
        snprintf(err, errlen, "correct: --k needs --U and must be at least "
                              "1");
        return LIMS_ERR_INPUT;
    }
    if (isnan(in.k) && !isnan(in.U))
        in.k = 2;
    in.measurand = c->measurand;
    in.unit = c->unit;
    in.value_text = c->value;
    in.U_text = c->U;
    rc = scheme->check_result(&in, &out, why, sizeof why);
    if (rc) {
        snprintf(err, errlen, "correct: %s", why);
        return rc;
    }

    rc = pt_store_prepare(
        inst->db,
        "INSERT INTO result (round_id, lab_id, measurand, item, value_text, "
        "unit_text, value, U_text, U, k, method, instrument, analyst, "
        "tested_on, remarks, version, reason, source) "
        "SELECT round_id, lab_id, measurand, item, ?2, ?3, ?4, ?5, ?6, ?7, "
        "method, instrument, analyst, tested_on, remarks, version + 1, ?8, "
        "'correction of result ' || id FROM result WHERE id = ?1",
        &ins, err, errlen);
    if (rc)
        return rc;
    sqlite3_bind_int64(ins, 1, prev_id);
    pt_store_bind_text(ins, 2, c->value);
    pt_store_bind_text(ins, 3, c->unit);
    sqlite3_bind_double(ins, 4, out.value);
    pt_store_bind_text(ins, 5, c->U);
    pt_store_bind_num(ins, 6, out.U);
    pt_store_bind_num(ins, 7, in.k);
    pt_store_bind_text(ins, 8, c->reason);
    if (sqlite3_step(ins) != SQLITE_DONE) {
        snprintf(err, errlen, "correct: %s", sqlite3_errmsg(inst->db));
        sqlite3_finalize(ins);
        return LIMS_ERR_DB;
    }
    sqlite3_finalize(ins);
    snprintf(detail, sizeof detail,
             "%s %s %s item %s: version %d -> %d: %s %s: %s", c->round,
             c->lab, c->measurand, item, prev_version, prev_version + 1,
             c->value, c->unit, c->reason);
    if ((rc = pt_store_audit(inst->db, "correct", detail, err, errlen)))
        return rc;
    if (version)
        *version = (unsigned)prev_version + 1;
    return LIMS_OK;
}

lims_status pt_core_correct_result(lims_instance *inst,
                                   const lims_correction *c,
                                   unsigned *version, char *err,
                                   size_t errlen)
{
    lims_status rc;
    locale_t old;

    if (!c || c->size < sizeof *c || !c->round || !c->lab ||
        !c->measurand || !c->value || !*c->value || !c->unit ||
        !*c->unit) {
        snprintf(err, errlen, "correct: round, lab, measurand, value and "
                              "unit are required");
        return LIMS_ERR_INPUT;
    }
    if (!c->reason || !*c->reason) {
        snprintf(err, errlen, "correct: a correction needs a reason");
        return LIMS_ERR_INPUT;
    }
    if ((rc = pt_store_begin(inst->db, err, errlen)))
        return rc;
    old = uselocale(inst->c_locale);
    rc = correct_in_tx(inst, c, version, err, errlen);
    uselocale(old);
    return pt_store_end(inst->db, rc, err, errlen);
}
