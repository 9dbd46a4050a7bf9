/*
 * pt_integrity.c -- keeping the record honest: verify the hash-chained
 * audit log against the data, close a round, correct a result.
 *
 * The audit log (schema 004) is a chain: each entry's hash covers the
 * previous hash and the entry's canonical text.  Since schema 005 every
 * operation that writes the record seals the parts it wrote (pt_seal.h):
 * the entry's digest covers the seals, each seal the rows of one part.
 * verify recomputes the chain in id order, checks every sealing entry
 * against its seals and every part against its last seal, names the rows
 * that were changed, removed or added, and checks that the protecting
 * triggers are still there; so a change made outside ptlims (a sqlite3
 * shell, a script that dropped a trigger, a deleted log entry) is named.
 * It cannot stop someone who rewrites the whole chain with the same
 * algorithm; the head hash it prints is meant to be written down outside
 * the database (a report, a signed e-mail) as an anchor.
 *
 * A closed round is immutable (triggers in 001 and 004; reopening, with a
 * reason, is the one change schema 011 lets through) and is closed only
 * on a fresh evaluation (pt_stale.c); a correction of a result is a new
 * version with a reason, made while the round is open.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_check.h"
#include "pt_core.h"
#include "pt_csv.h"
#include "pt_lifecycle.h"
#include "pt_pack.h"
#include "pt_seal.h"
#include "pt_sha256.h"
#include "pt_state.h"
#include "pt_store.h"
#include "pt_suggest.h"
#include "pt_write.h"

typedef struct verifier {
    lims_instance *inst;
    lims_verify_summary sum;
    sqlite3_stmt *round_code; /* SELECT code FROM round WHERE id = ?1 */
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

/* The chain, entry by entry in id order.  Each hash must be the plain
 * hash of its entry or the HMAC under one of the connection's chain keys
 * (pt_chain.h, ptlims_chain_check()); once an entry is keyed every later
 * one must be, and with keys configured the latest must be, so that a
 * chain recomputed without the key is found. */
static lims_status verify_chain(verifier *v)
{
    sqlite3_stmt *q;
    char prev[PT_SHA256_HEX_SIZE] = "";
    long long last = 0, id, first_keyed = 0;
    int keys = 0, kind = -1, st;
    lims_status rc = pt_store_prepare(
        v->inst->db,
        "SELECT a.id, a.hash, t.text, a.at, a.action, a.detail, "
        "ptlims_chain_check(?1, t.text, a.hash), ptlims_chain_keys() "
        "FROM audit_log a JOIN audit_chain_text t ON t.id = a.id "
        "WHERE a.id > ?2 ORDER BY a.id LIMIT 1",
        &q, v->err, v->errlen);

    if (rc)
        return rc;
    for (;;) {
        const char *hash;

        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, prev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 2, last);
        if ((st = sqlite3_step(q)) != SQLITE_ROW)
            break;
        hash = (const char *)sqlite3_column_text(q, 1);
        id = sqlite3_column_int64(q, 0);
        keys = sqlite3_column_int(q, 7);
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
            kind = -1;
        } else {
            kind = sqlite3_column_int(q, 6);
            if (kind < 0 && id == last + 1)
                problem(v,
                        "audit log entry %lld (%s, %s %s) does not match its "
                        "hash: it was changed after it was written%s",
                        id, pt_store_text(q, 3), pt_store_text(q, 4),
                        pt_store_text(q, 5),
                        keys ? " or keyed with a key the key file does not "
                               "hold"
                             : " (or the chain is keyed: name the key file "
                               "in the configuration)");
            if (kind > 0 && !first_keyed)
                first_keyed = id;
            if (kind == 0 && first_keyed)
                problem(v,
                        "audit log entry %lld is not keyed although entry "
                        "%lld was: the chain was recomputed without the "
                        "key from there on",
                        id, first_keyed);
            snprintf(prev, sizeof prev, "%s", hash);
        }
        last = id;
    }
    sqlite3_finalize(q);
    if (st != SQLITE_DONE)
        return db_error(v, "reading the audit log");
    if (keys && last && kind == 0 && !first_keyed)
        problem(v, "the latest audit log entry (%lld) is not keyed, although "
                   "a chain key is configured: nothing was recorded since "
                   "the key was configured, or the chain was recomputed "
                   "without it",
                last);
    snprintf(v->sum.head, sizeof v->sum.head, "%s", prev);
    return LIMS_OK;
}

/* The code of a round for messages ("round id N" once it is gone). */
static const char *round_name(verifier *v, long long id, char *buf,
                              size_t len)
{
    sqlite3_stmt *q = v->round_code;

    if (!id)
        return "the laboratory table";
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW)
        snprintf(buf, len, "round %s", pt_store_text(q, 0));
    else
        snprintf(buf, len, "round id %lld", id);
    sqlite3_reset(q);
    return buf;
}

/* Name the rows of a part that differ from its seal: changed, removed or
 * added, by merging the two id-ordered lists of (id, row hash). */
static void row_differences(verifier *v, const char *part, const char *where,
                            const unsigned char *was, long long nwas,
                            const pt_part_state *now, long long audit_id,
                            const char *at)
{
    long long i = 0, k = 0, named = 0;
    const unsigned char *is = now->row_hashes;

    while ((i < nwas || k < now->rows) && named < 5) {
        long long a = i < nwas ? pt_seal_entry_id(was + i * PT_SEAL_ROW_BYTES) : 0;
        long long b = k < now->rows ? pt_seal_entry_id(is + k * PT_SEAL_ROW_BYTES) : 0;

        if (i < nwas && k < now->rows && a == b) {
            if (memcmp(was + i * PT_SEAL_ROW_BYTES + 8,
                       is + k * PT_SEAL_ROW_BYTES + 8, PT_SHA256_SIZE) != 0) {
                problem(v, "%s: %s row %lld was changed outside ptlims "
                           "after audit log entry %lld (%s) sealed it",
                        where, part, a, audit_id, at);
                named++;
            }
            i++;
            k++;
        } else if (k >= now->rows || (i < nwas && a < b)) {
            problem(v, "%s: %s row %lld was removed outside ptlims after "
                       "audit log entry %lld (%s) sealed it",
                    where, part, a, audit_id, at);
            named++;
            i++;
        } else {
            problem(v, "%s: %s row %lld was added outside ptlims after "
                       "audit log entry %lld (%s) sealed the %s rows",
                    where, part, b, audit_id, at, part);
            named++;
            k++;
        }
    }
    if (!named)
        problem(v, "%s: the %s rows differ from their seal (audit log entry "
                   "%lld, %s): a column was changed or added outside ptlims",
                where, part, audit_id, at);
}

/* Every part against its last seal. */
static lims_status verify_parts(verifier *v, pt_part_reader *rd)
{
    sqlite3_stmt *q;
    pt_part_state now = {0};
    char where[160];
    lims_status rc = pt_store_prepare(
        v->inst->db,
        "SELECT s.part, coalesce(s.round_id, 0), s.rows, s.digest, "
        "s.row_hashes, s.audit_id, coalesce(a.at, '?') "
        "FROM seal s JOIN (SELECT max(id) AS id FROM seal "
        "                  GROUP BY part, round_id) m ON m.id = s.id "
        "LEFT JOIN audit_log a ON a.id = s.audit_id "
        "ORDER BY s.round_id, s.part",
        &q, v->err, v->errlen);
    int st, p;

    if (rc)
        return rc;
    while (!rc && (st = sqlite3_step(q)) == SQLITE_ROW) {
        const char *part = pt_store_text(q, 0);
        long long round_id = sqlite3_column_int64(q, 1);
        long long rows = sqlite3_column_int64(q, 2);

        for (p = 0; p < PT_PART_COUNT; p++)
            if (strcmp(part, pt_part_name((pt_part)p)) == 0)
                break;
        if (p == PT_PART_COUNT)
            continue; /* the CHECK constraint keeps this from happening */
        if ((rc = pt_part_read(rd, (pt_part)p, round_id, &now, v->err,
                               v->errlen)))
            break;
        v->sum.rows += (unsigned long)now.rows;
        if (strcmp(now.digest, pt_store_text(q, 3)) == 0)
            continue;
        if (sqlite3_column_bytes(q, 4) != rows * PT_SEAL_ROW_BYTES) {
            problem(v, "seal of %s, %s (audit log entry %lld) is damaged",
                    round_name(v, round_id, where, sizeof where), part,
                    sqlite3_column_int64(q, 5));
            continue;
        }
        row_differences(v, part, round_name(v, round_id, where, sizeof where),
                        sqlite3_column_blob(q, 4), rows, &now,
                        sqlite3_column_int64(q, 5), pt_store_text(q, 6));
    }
    free(now.row_hashes);
    sqlite3_finalize(q);
    if (!rc && st != SQLITE_DONE)
        return db_error(v, "reading the seals");
    return rc;
}

/* Every seal against the digest its audit entry recorded, and every
 * sealing entry against its seals. */
static lims_status verify_seal_entries(verifier *v)
{
    sqlite3_stmt *q;
    pt_seal_chain chain;
    char hex[PT_SHA256_HEX_SIZE], want[PT_SHA256_HEX_SIZE] = "";
    long long entry = 0, id;
    lims_status rc = pt_store_prepare(
        v->inst->db,
        "SELECT a.id, a.row_data, s.part, coalesce(s.round_id, 0), s.rows, "
        "s.digest FROM audit_log a LEFT JOIN seal s ON s.audit_id = a.id "
        "WHERE a.tbl = 'seal' ORDER BY a.id, s.id",
        &q, v->err, v->errlen);
    int st;

    if (rc)
        return rc;
    pt_seal_chain_init(&chain);
    while ((st = sqlite3_step(q)) == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        if (id != entry) {
            if (entry) {
                pt_seal_chain_hex(&chain, hex);
                if (strcmp(hex, want) != 0)
                    problem(v, "the seals of audit log entry %lld were "
                               "changed, added or removed outside ptlims",
                            entry);
            }
            entry = id;
            snprintf(want, sizeof want, "%s", pt_store_text(q, 1));
            pt_seal_chain_init(&chain);
        }
        if (sqlite3_column_type(q, 2) != SQLITE_NULL)
            pt_seal_chain_add(&chain, pt_store_text(q, 2),
                              sqlite3_column_int64(q, 3),
                              sqlite3_column_int64(q, 4),
                              pt_store_text(q, 5));
    }
    if (entry) {
        pt_seal_chain_hex(&chain, hex);
        if (strcmp(hex, want) != 0)
            problem(v, "the seals of audit log entry %lld were changed, "
                       "added or removed outside ptlims",
                    entry);
    }
    sqlite3_finalize(q);
    if (st != SQLITE_DONE)
        return db_error(v, "reading the seals");
    rc = pt_store_prepare(v->inst->db,
                          "SELECT DISTINCT audit_id FROM seal WHERE audit_id "
                          "NOT IN (SELECT id FROM audit_log WHERE tbl = "
                          "'seal') ORDER BY audit_id",
                          &q, v->err, v->errlen);
    if (rc)
        return rc;
    while ((st = sqlite3_step(q)) == SQLITE_ROW)
        problem(v, "seals name audit log entry %lld, which did not write "
                   "them: they were added outside ptlims",
                sqlite3_column_int64(q, 0));
    sqlite3_finalize(q);
    if (st != SQLITE_DONE)
        return db_error(v, "reading the seals");
    return LIMS_OK;
}

/* Rows of a part that no seal covers: written outside ptlims. */
static lims_status verify_unsealed(verifier *v)
{
    static const char *const sql[] = {
        "SELECT 0 FROM laboratory WHERE NOT EXISTS (SELECT 1 FROM seal "
        "WHERE part = 'laboratory') LIMIT 1",
        "SELECT id FROM round WHERE id NOT IN (SELECT round_id FROM seal "
        "WHERE part = 'round' AND round_id IS NOT NULL) ORDER BY id",
        "SELECT DISTINCT round_id FROM round_measurand WHERE round_id NOT IN "
        "(SELECT round_id FROM seal WHERE part = 'round_measurand' AND "
        "round_id IS NOT NULL) ORDER BY round_id",
        "SELECT DISTINCT round_id FROM result WHERE round_id NOT IN "
        "(SELECT round_id FROM seal WHERE part = 'result' AND round_id IS "
        "NOT NULL) ORDER BY round_id",
        "SELECT DISTINCT round_id FROM evaluation WHERE round_id NOT IN "
        "(SELECT round_id FROM seal WHERE part = 'evaluation' AND round_id "
        "IS NOT NULL) ORDER BY round_id"};
    char where[160];
    sqlite3_stmt *q;
    lims_status rc;
    int p, st;

    for (p = 0; p < PT_PART_COUNT; p++) {
        if ((rc = pt_store_prepare(v->inst->db, sql[p], &q, v->err,
                                   v->errlen)))
            return rc;
        while ((st = sqlite3_step(q)) == SQLITE_ROW)
            problem(v, "%s: %s rows that no seal covers: written outside "
                       "ptlims",
                    round_name(v, sqlite3_column_int64(q, 0), where,
                               sizeof where),
                    pt_part_name((pt_part)p));
        sqlite3_finalize(q);
        if (st != SQLITE_DONE)
            return db_error(v, "reading the record");
    }
    return LIMS_OK;
}

/* pt_pack_problem_fn of verify_packs. */
static void pack_problem(void *ctx, long long round_id, const char *measurand,
                         const char *item, const char *what)
{
    verifier *v = ctx;
    char where[160];

    problem(v, "%s, %s, item %s: the packed results evaluation reads "
               "(result_pack) %s: changed outside ptlims",
            round_name(v, round_id, where, sizeof where), measurand, item,
            what);
}

/* Every group's pack against the pack its result rows give. */
static lims_status verify_packs(verifier *v)
{
    unsigned long bad = 0;

    return pt_packs_check(v->inst->db, pack_problem, v, &bad, v->err,
                          v->errlen);
}

/* The triggers that protect the record must all be there. */
static lims_status verify_triggers(verifier *v)
{
    static const char *const names[] = {
        "audit_log_no_update",           "audit_log_no_delete",
        "audit_log_chain",               "seal_no_update",
        "seal_no_delete",                "result_closed_insert",
        "result_closed_update",          "result_closed_delete",
        "round_closed_update",           "round_closed_delete",
        "round_measurand_closed_insert", "round_measurand_closed_update",
        "round_measurand_closed_delete", "evaluation_closed_insert",
        "evaluation_closed_update",      "evaluation_closed_delete"};
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        v->inst->db,
        "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
        &q, v->err, v->errlen);
    size_t i;

    if (rc)
        return rc;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, names[i], -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_ROW)
            problem(v, "trigger %s is missing (dropped outside ptlims): the "
                       "record is no longer protected",
                    names[i]);
    }
    sqlite3_finalize(q);
    return LIMS_OK;
}

/* The head written down elsewhere must be an entry of the chain. */
static lims_status verify_expected_head(verifier *v, const char *want)
{
    sqlite3_stmt *q;
    lims_status rc;
    int found;

    if (!want[0])
        return LIMS_OK;
    if (strlen(want) != 64 || strspn(want, "0123456789abcdef") != 64) {
        snprintf(v->err, v->errlen,
                 "verify: expected head \"%.70s\" is not 64 lower-case hex "
                 "digits",
                 want);
        return LIMS_ERR_INPUT;
    }
    if ((rc = pt_store_prepare(v->inst->db,
                               "SELECT id FROM audit_log WHERE hash = ?1",
                               &q, v->err, v->errlen)))
        return rc;
    sqlite3_bind_text(q, 1, want, -1, SQLITE_STATIC);
    found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (!found)
        problem(v, "the audit log has no entry with the expected head "
                   "%.12s...: the latest operations were rolled back or the "
                   "database was replaced by an older copy",
                want);
    return LIMS_OK;
}

/* pt_state_problem_fn of verify_state. */
static void state_problem(void *ctx, const char *msg)
{
    problem(ctx, "%s", msg);
}

/* Every table no seal covers and every definition (views, triggers,
 * indexes, tables) against the last state the chain recorded. */
static lims_status verify_state(verifier *v)
{
    return pt_state_check(v->inst->db, state_problem, v, v->err, v->errlen);
}

/* The file's structure as SQLite checks it: pages, indexes, free list. */
static lims_status verify_file(verifier *v)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(v->inst->db, "PRAGMA integrity_check",
                                      &q, v->err, v->errlen);
    int st, n = 0;

    if (rc)
        return rc;
    while ((st = sqlite3_step(q)) == SQLITE_ROW) {
        const char *line = pt_store_text(q, 0);
        if (strcmp(line, "ok") == 0)
            continue;
        if (n++ < 10)
            problem(v, "the database file is damaged: %s (PRAGMA "
                       "integrity_check)",
                    line);
    }
    sqlite3_finalize(q);
    if (st != SQLITE_DONE) {
        /* a page so damaged that the check itself stops */
        problem(v, "the database file is damaged: %s (PRAGMA "
                   "integrity_check)",
                sqlite3_errmsg(v->inst->db));
    }
    return LIMS_OK;
}

lims_status pt_core_verify(lims_instance *inst, lims_verify_summary *out,
                           char *err, size_t errlen)
{
    verifier v;
    pt_part_reader rd;
    lims_status rc;
    char msg[64];

    memset(&v, 0, sizeof v);
    v.inst = inst;
    v.err = err;
    v.errlen = errlen;
    v.sum.size = sizeof v.sum;
    if (out && out->size >= sizeof *out)
        memcpy(v.sum.expect_head, out->expect_head,
               sizeof v.sum.expect_head);
    v.sum.expect_head[sizeof v.sum.expect_head - 1] = 0;
    /* one read transaction: a consistent picture while others write */
    if (sqlite3_exec(inst->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(&v, "begin");
    rc = verify_file(&v);
    if (!rc && v.sum.problems) {
        /* reading a damaged file further can only mislead */
        pt_store_rollback(inst->db);
        if (out && out->size >= sizeof *out) {
            *out = v.sum;
            out->size = sizeof *out;
        }
        return LIMS_ERR_STATE;
    }
    if (!rc)
        rc = verify_chain(&v);
    if (!rc)
        rc = pt_store_prepare(inst->db, "SELECT code FROM round WHERE id = ?1",
                              &v.round_code, err, errlen);
    if (!rc)
        rc = pt_part_reader_init(&rd, inst->db, err, errlen);
    if (!rc) {
        rc = verify_seal_entries(&v);
        if (!rc)
            rc = verify_parts(&v, &rd);
        if (!rc)
            rc = verify_unsealed(&v);
        if (!rc)
            rc = verify_packs(&v);
        if (!rc)
            rc = verify_triggers(&v);
        if (!rc)
            rc = verify_state(&v);
        if (!rc)
            rc = verify_expected_head(&v, v.sum.expect_head);
        pt_part_reader_release(&rd);
    }
    sqlite3_finalize(v.round_code);
    pt_store_rollback(inst->db);
    if (rc)
        return rc;
    *out = v.sum;
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

/* Seal one part of one round and log the operation. */
static lims_status seal_one(sqlite3 *db, pt_part part, long long round_id,
                            const char *action, const char *detail,
                            char *err, size_t errlen)
{
    pt_seals s;
    lims_status rc = pt_seals_init(&s, db, err, errlen);

    if (!rc)
        rc = pt_seals_touch(&s, part, round_id, err, errlen);
    if (!rc)
        rc = pt_seals_commit(&s, action, detail, err, errlen);
    pt_seals_release(&s);
    return rc;
}

lims_status pt_core_close_round(lims_instance *inst, const char *round,
                                char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char detail[256];
    long long id = 0;
    lims_status rc;
    int st;

    if (!round || !*round) {
        snprintf(err, errlen, "close: which round?");
        return LIMS_ERR_INPUT;
    }
    if ((rc = pt_store_begin(inst->db, err, errlen)))
        return rc;
    rc = pt_store_prepare(inst->db,
                          "SELECT id, status, EXISTS (SELECT 1 FROM voided "
                          "v WHERE v.kind = 'round' AND v.row_id = "
                          "round.id) FROM round WHERE code = ?1",
                          &q, err, errlen);
    if (rc)
        goto out;
    sqlite3_bind_text(q, 1, round, -1, SQLITE_STATIC);
    st = sqlite3_step(q);
    if (st != SQLITE_ROW) {
        char msg[768];
        pt_suggest_unknown(inst->db, PT_CODE_ROUND, round, NULL, msg,
                           sizeof msg);
        snprintf(err, errlen, "close: %s", msg);
        rc = LIMS_ERR_INPUT;
    } else if (strcmp(pt_store_text(q, 1), "closed") == 0) {
        snprintf(err, errlen, "close: round %s is already closed", round);
        rc = LIMS_ERR_STATE;
    } else if (sqlite3_column_int(q, 2)) {
        snprintf(err, errlen, "close: round %s is voided: it is neither "
                              "evaluated nor closed",
                 round);
        rc = LIMS_ERR_STATE;
    } else {
        id = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        q = NULL;
        rc = pt_stale_refuse_close(inst->db, id, round, err, errlen);
        if (!rc)
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
        rc = seal_one(inst->db, PT_PART_ROUND, id, "close", detail, err,
                      errlen);
    }
out:
    return pt_store_end(inst->db, rc, err, errlen);
}

/* The conditions of result `id`, copied into *out (names and values
 * allocated with sqlite3_mprintf; free with free_conditions). */
static lims_status read_conditions(sqlite3 *db, long long id,
                                   lims_condition_value **out, size_t *n,
                                   char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_condition_value *cv = NULL, *grown;
    size_t cap = 0;
    lims_status rc;
    int step;

    *out = NULL;
    *n = 0;
    if ((rc = pt_store_prepare(db,
                               "SELECT name, value FROM result_condition "
                               "WHERE result_id = ?1 ORDER BY name",
                               &q, err, errlen)))
        return rc;
    sqlite3_bind_int64(q, 1, id);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            if (!(grown = realloc(cv, cap * sizeof *cv))) {
                rc = LIMS_ERR_NOMEM;
                break;
            }
            cv = grown;
        }
        cv[*n].name = sqlite3_mprintf("%s", pt_store_text(q, 0));
        cv[*n].value = sqlite3_mprintf("%s", pt_store_text(q, 1));
        (*n)++;
        if (!cv[*n - 1].name || !cv[*n - 1].value) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
    }
    if (rc == LIMS_ERR_NOMEM)
        snprintf(err, errlen, "correct: out of memory");
    else if (step != SQLITE_DONE)
        rc = LIMS_ERR_DB, snprintf(err, errlen, "correct: %s",
                                   sqlite3_errmsg(db));
    sqlite3_finalize(q);
    *out = cv;
    return rc;
}

static void free_conditions(lims_condition_value *cv, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        sqlite3_free((char *)cv[i].name);
        sqlite3_free((char *)cv[i].value);
    }
    free(cv);
}

static void correct_warning(void *ctx, const char *msg)
{
    lims_instance *inst = ctx;
    char line[640];
    snprintf(line, sizeof line, "correct: %s", msg);
    pt_core_log(inst, LIMS_LOG_WARN, line);
}

/* Version n + 1 of the latest version n: the fields the correction gives,
 * the others as version n has them -- except U and k, which are kept only
 * while the unit stays the same (a U is in its result's unit). */
static lims_status correct_in_tx(lims_instance *inst,
                                 const lims_correction *c, unsigned *version,
                                 char *err, size_t errlen)
{
    const char *item = c->item && *c->item ? c->item : "1";
    sqlite3_stmt *q = NULL;
    lims_condition_value *cv = NULL;
    size_t ncv = 0;
    pt_result_fields r;
    pt_refusal where;
    pt_writer *w = NULL;
    pt_seals seals;
    char why[512], detail[1024], source[64];
    long long prev_id;
    int prev_version, same_unit;
    lims_status rc;

    rc = pt_store_prepare(
        inst->db,
        "SELECT x.id, x.version, x.unit_text, x.U_text, x.k, x.method, "
        "x.instrument, x.analyst, x.tested_on, x.remarks, x.official_score, "
        "x.official_kind FROM result x "
        "JOIN round r ON r.id = x.round_id JOIN laboratory l ON "
        "l.id = x.lab_id WHERE r.code = ?1 AND l.code = ?2 AND "
        "x.measurand = ?3 AND x.item = ?4 ORDER BY x.version DESC LIMIT 1",
        &q, err, errlen);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, c->round, -1, SQLITE_STATIC);
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
    same_unit = strcmp(pt_store_text(q, 2), c->unit) == 0;
    memset(&r, 0, sizeof r);
    r.round = c->round;
    r.lab = c->lab;
    r.measurand = c->measurand;
    r.item = item;
    r.value = c->value;
    r.unit = c->unit;
    r.U = c->U;
    r.k = c->k;
    if ((!c->U || !*c->U) && sqlite3_column_type(q, 3) != SQLITE_NULL) {
        if (!same_unit) {
            snprintf(err, errlen,
                     "correct: the unit changes from %s to %s: give --U in "
                     "%s (version %d has U %s %s)",
                     pt_store_text(q, 2), c->unit, c->unit, prev_version,
                     pt_store_text(q, 3), pt_store_text(q, 2));
            sqlite3_finalize(q);
            return LIMS_ERR_INPUT;
        }
        r.U = pt_store_text(q, 3);
        if (!c->k || !*c->k)
            r.k = sqlite3_column_type(q, 4) == SQLITE_NULL
                      ? NULL
                      : (const char *)sqlite3_column_text(q, 4);
    }
    r.method = pt_store_text(q, 5);
    r.instrument = pt_store_text(q, 6);
    r.analyst = pt_store_text(q, 7);
    r.tested_on = pt_store_text(q, 8);
    r.remarks = pt_store_text(q, 9);
    r.official_score = pt_store_text(q, 10);
    r.official_kind = pt_store_text(q, 11);
    r.version = (unsigned)prev_version + 1;
    r.reason = c->reason;
    snprintf(source, sizeof source, "correction of result %lld", prev_id);
    r.source = source;
    r.expect_value = NAN;
    /* the conditions of the measurement stay those of the corrected one */
    rc = read_conditions(inst->db, prev_id, &cv, &ncv, err, errlen);
    r.conditions = cv;
    r.n_conditions = ncv;
    if (!rc)
        rc = pt_seals_init(&seals, inst->db, err, errlen);
    if (rc) {
        sqlite3_finalize(q);
        free_conditions(cv, ncv);
        return rc;
    }
    w = pt_writer_new(inst, correct_warning, inst, &rc, err, errlen);
    if (w) {
        rc = pt_writer_result(w, &r, &where, NULL, why, sizeof why);
        if (rc)
            snprintf(err, errlen, "correct: %s", why);
    }
    if (!rc) {
        snprintf(detail, sizeof detail,
                 "%s %s %s item %s: version %d -> %d: %s %s: %s", c->round,
                 c->lab, c->measurand, item, prev_version, prev_version + 1,
                 c->value, c->unit, c->reason);
        rc = pt_writer_finish(w, &seals, err, errlen);
        if (!rc)
            rc = pt_seals_commit(&seals, "correct", detail, err, errlen);
    }
    pt_writer_free(w);
    pt_seals_release(&seals);
    sqlite3_finalize(q);
    free_conditions(cv, ncv);
    if (!rc && version)
        *version = (unsigned)prev_version + 1;
    return rc;
}

lims_status pt_core_correct_result(lims_instance *inst,
                                   const lims_correction *c,
                                   unsigned *version, char *err,
                                   size_t errlen)
{
    lims_status rc;

    if (!c->round || !c->lab ||
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
    rc = correct_in_tx(inst, c, version, err, errlen);
    return pt_store_end(inst->db, rc, err, errlen);
}
