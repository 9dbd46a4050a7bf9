/*
 * pt_store.c -- opening, migrating and transacting on the database.
 *
 * Kept apart from the import and evaluation code so that every path into
 * the database gets the same pragmas and the same refusal of newer files.
 */
#include "pt_store.h"
#include "pt_suggest.h"

#include <math.h>
#include <stdio.h>

#include "pt_chain.h"
#include "pt_schema.h"
#include "pt_pack.h"
#include "pt_seal.h"
#include "pt_state.h"

/* How long a writer waits for another one before giving up. */
#define PT_STORE_BUSY_MS 10000
#include "pt_sha256.h"
#include "pt_sqlfn.h"

static lims_status db_error(sqlite3 *db, const char *what, char *err,
                            size_t errlen)
{
    snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
    return LIMS_ERR_DB;
}

static lims_status exec(sqlite3 *db, const char *sql, char *err,
                        size_t errlen)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    if ((rc & 0xff) == SQLITE_BUSY) {
        /* another process kept the write lock past the busy timeout */
        snprintf(err, errlen,
                 "database is busy: another process has been writing to it "
                 "for more than %d s; try again",
                 PT_STORE_BUSY_MS / 1000);
        sqlite3_free(msg);
        return LIMS_ERR_STATE;
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "database: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}

static lims_status user_version(sqlite3 *db, int *out, char *err,
                                size_t errlen)
{
    sqlite3_stmt *st;
    lims_status rc = pt_store_prepare(db, "PRAGMA user_version", &st, err,
                                      errlen);
    if (rc != LIMS_OK)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_error(db, "reading user_version", err, errlen);
    }
    *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return LIMS_OK;
}

/* Seal every part as found once the seal table exists (schema 005): a
 * migration may add columns, which changes the parts' digests. */
static lims_status baseline(sqlite3 *db, int from, char *err, size_t errlen)
{
    pt_seals s;
    char detail[96];
    lims_status rc;

    if (pt_schema_version < PT_SCHEMA_SEALS)
        return LIMS_OK;
    if ((rc = pt_seals_init(&s, db, err, errlen)) != LIMS_OK)
        return rc;
    pt_seals_touch_all(&s);
    snprintf(detail, sizeof detail,
             "baseline: every part as found at schema %d -> %d", from,
             pt_schema_version);
    rc = pt_seals_commit(&s, "seal", detail, err, errlen);
    pt_seals_release(&s);
    return rc;
}

static lims_status migrate(sqlite3 *db, const char *path, char *err,
                           size_t errlen)
{
    char sql[64];
    int v, i;
    lims_status rc;

    if ((rc = user_version(db, &v, err, errlen)) != LIMS_OK)
        return rc;
    if (v > pt_schema_version) {
        snprintf(err, errlen,
                 "%s: database schema version %d is newer than this ptlims "
                 "(%d): use a newer ptlims",
                 path, v, pt_schema_version);
        return LIMS_ERR_STATE;
    }
    if (v == pt_schema_version)
        return LIMS_OK;
    if ((rc = pt_store_begin(db, err, errlen)) != LIMS_OK)
        return rc;
    /* another process may have migrated while we waited for the lock */
    if ((rc = user_version(db, &v, err, errlen)) != LIMS_OK)
        goto fail;
    for (i = v; i < pt_schema_version; i++) {
        if ((rc = exec(db, pt_schema_migrations[i], err, errlen)) != LIMS_OK) {
            /* the tables are not those of version v: user_version was
             * changed, or the file was made by another program */
            if (rc == LIMS_ERR_DB) {
                snprintf(err, errlen,
                         "%s: the database says schema version %d but its "
                         "tables do not match it (migration %d fails: %s); "
                         "was user_version changed outside ptlims?",
                         path, v, i + 1, sqlite3_errmsg(db));
                rc = LIMS_ERR_STATE;
            }
            goto fail;
        }
    }
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", pt_schema_version);
    if ((rc = exec(db, sql, err, errlen)) != LIMS_OK)
        goto fail;
    if (v < pt_schema_version) {
        char detail[96];
        snprintf(detail, sizeof detail, "schema %d -> %d", v,
                 pt_schema_version);
        if ((rc = pt_store_audit(db, "migrate", detail, err, errlen)) !=
            LIMS_OK)
            goto fail;
        if (v < PT_SCHEMA_PACKS && pt_schema_version >= PT_SCHEMA_PACKS &&
            (rc = pt_packs_rebuild(db, 0, err, errlen)) != LIMS_OK)
            goto fail;
        if ((rc = baseline(db, v, err, errlen)) != LIMS_OK)
            goto fail;
        pt_state_all(db); /* new tables and definitions are recorded */
    }
    return pt_store_commit(db, err, errlen);
fail:
    pt_store_rollback(db);
    return rc;
}

/* sha256(text): hex SHA-256 of the UTF-8 text, NULL for NULL.  The audit
 * log's hash chain (schema 004) is computed by triggers that call it. */
static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char hex[PT_SHA256_HEX_SIZE];
    const unsigned char *s;

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    s = sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    pt_sha256_hex(s, (size_t)sqlite3_value_bytes(argv[0]), hex);
    sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

lims_status pt_store_functions(sqlite3 *db, char *err, size_t errlen)
{
    if (sqlite3_create_function_v2(db, "sha256", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                       SQLITE_INNOCUOUS,
                                   NULL, sql_sha256, NULL, NULL,
                                   NULL) != SQLITE_OK)
        return db_error(db, "registering sha256()", err, errlen);
    if (pt_sqlfn_register(db) != SQLITE_OK)
        return db_error(db, "registering the score functions", err, errlen);
    return pt_chain_register(db, NULL, err, errlen);
}

/* A database that cannot be opened because of the file, not of ptlims:
 * LIMS_ERR_INPUT or LIMS_ERR_IO with a message naming it (a user's or the
 * environment's problem); any other error stays LIMS_ERR_DB. */
static lims_status open_error(sqlite3 *db, const char *path, char *err,
                              size_t errlen)
{
    switch (sqlite3_errcode(db) & 0xff) {
    case SQLITE_NOTADB:
        snprintf(err, errlen, "%s: not a ptlims database (the file is not "
                 "an SQLite database)", path);
        return LIMS_ERR_INPUT;
    case SQLITE_CORRUPT:
        snprintf(err, errlen, "%s: the database file is damaged: %s", path,
                 sqlite3_errmsg(db));
        return LIMS_ERR_INPUT;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_IOERR:
    case SQLITE_FULL:
        snprintf(err, errlen, "%s: cannot write the database: %s (ptlims "
                 "needs to write to it and to its folder)",
                 path, sqlite3_errmsg(db));
        return LIMS_ERR_IO;
    default:
        return LIMS_ERR_DB;
    }
}

lims_status pt_store_open(const char *path, sqlite3 **out, char *err,
                          size_t errlen)
{
    return pt_store_open_keyed(path, NULL, out, err, errlen);
}

lims_status pt_store_open_keyed(const char *path, const char *key_file,
                                sqlite3 **out, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    lims_status rc;

    /* an instance belongs to one thread at a time (lims_plugin.h), so the
     * connection needs no mutex of its own */
    if (sqlite3_open_v2(path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open database: %s", path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return db ? LIMS_ERR_IO : LIMS_ERR_NOMEM;
    }
    sqlite3_busy_timeout(db, PT_STORE_BUSY_MS);
    if ((rc = pt_store_functions(db, err, errlen)) != LIMS_OK ||
        (key_file && (rc = pt_chain_register(db, key_file, err, errlen)) !=
                         LIMS_OK) ||
        (rc = pt_state_attach(db, err, errlen)) != LIMS_OK) {
        sqlite3_close(db);
        return rc;
    }
    rc = exec(db,
              "PRAGMA foreign_keys = ON;"
              "PRAGMA journal_mode = WAL;" PT_STORE_PRAGMAS,
              err, errlen);
    if (rc == LIMS_OK)
        rc = migrate(db, path, err, errlen);
    if (rc == LIMS_ERR_DB)
        rc = open_error(db, path, err, errlen);
    if (rc != LIMS_OK) {
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return LIMS_OK;
}

lims_status pt_store_begin_write(sqlite3 *db, char *err, size_t errlen)
{
    lims_status rc = exec(db, PT_STORE_BEGIN_WRITE, err, errlen);

    if (rc != LIMS_OK)
        pt_store_after_write(db);
    return rc;
}

void pt_store_after_write(sqlite3 *db)
{
    if (sqlite3_get_autocommit(db))
        sqlite3_exec(db, PT_STORE_AFTER_WRITE, NULL, NULL, NULL);
}

lims_status pt_store_begin(sqlite3 *db, char *err, size_t errlen)
{
    /* inside a host's transaction an operation is a savepoint, so that a
     * failing one is undone alone */
    if (!sqlite3_get_autocommit(db))
        return exec(db, "SAVEPOINT pt_op", err, errlen);
    return pt_store_begin_write(db, err, errlen);
}

lims_status pt_store_commit(sqlite3 *db, char *err, size_t errlen)
{
    lims_status rc;

    if (!sqlite3_get_autocommit(db) &&
        (rc = pt_state_record(db, err, errlen)) != LIMS_OK) {
        pt_store_rollback(db);
        return rc;
    }
    if (sqlite3_exec(db, "RELEASE pt_op", NULL, NULL, NULL) == SQLITE_OK)
        return LIMS_OK;
    rc = exec(db, "COMMIT", err, errlen);
    if (rc != LIMS_OK)
        pt_store_rollback(db);
    pt_store_after_write(db);
    return rc;
}

void pt_store_rollback(sqlite3 *db)
{
    pt_state_forget(db);
    if (sqlite3_get_autocommit(db))
        return;
    if (sqlite3_exec(db, "ROLLBACK TO pt_op", NULL, NULL, NULL) ==
        SQLITE_OK) {
        sqlite3_exec(db, "RELEASE pt_op", NULL, NULL, NULL);
        return;
    }
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    pt_store_after_write(db);
}

lims_status pt_store_end(sqlite3 *db, lims_status rc, char *err,
                         size_t errlen)
{
    if (rc == LIMS_OK)
        return pt_store_commit(db, err, errlen);
    pt_store_rollback(db);
    return rc;
}

lims_status pt_store_lab_id(sqlite3 *db, const char *code, const char *what,
                            long long *id, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db, "SELECT id FROM laboratory WHERE code = ?1", &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
    } else {
        char hint[512];
        snprintf(err, errlen, "%s%sunknown laboratory \"%s\"%s",
                 what ? what : "", what ? ": " : "", code,
                 pt_suggest_code(db, PT_CODE_LABORATORY, code, hint,
                                 sizeof hint));
        rc = LIMS_ERR_INPUT;
    }
    sqlite3_finalize(q);
    return rc;
}

lims_status pt_store_prepare(sqlite3 *db, const char *sql,
                             sqlite3_stmt **st, char *err, size_t errlen)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return db_error(db, "database", err, errlen);
    return LIMS_OK;
}

lims_status pt_store_audit(sqlite3 *db, const char *action,
                           const char *detail, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    lims_status rc = pt_store_prepare(
        db,
        "INSERT INTO audit_log (at, action, detail) "
        "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2)",
        &st, err, errlen);
    if (rc != LIMS_OK)
        return rc;
    sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, detail, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = db_error(db, "audit log", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

int pt_store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int pt_store_bind_text_static(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int pt_store_bind_num(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_double(st, i, v);
}

double pt_store_num(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NAN;
    return sqlite3_column_double(st, i);
}

const char *pt_store_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

const char *pt_store_text_or_null(sqlite3_stmt *st, int i)
{
    const char *s = pt_store_text(st, i);
    return *s ? s : NULL;
}
