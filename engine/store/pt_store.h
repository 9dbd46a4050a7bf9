/*
 * pt_store.h -- the laboratory's SQLite database: open, migrate, transact.
 *
 * The database is the accreditation record.  It is opened in WAL mode with
 * foreign keys on and a busy timeout, migrated forward in one transaction,
 * and refused when it is newer than this code.  Every write goes through
 * pt_store_begin()/pt_store_commit() so an import is all or nothing.
 */
#ifndef PT_STORE_H
#define PT_STORE_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"

/* The settings of the connections pt_store_open opens, besides WAL and
 * foreign keys:
 * - synchronous NORMAL: a crash never corrupts the database; the last
 *   commits before a power failure may be lost until a checkpoint;
 * - a 16 MiB page cache: the pages a large import writes stay in memory
 *   until it commits, instead of being spilled to the WAL and written
 *   again. */
#define PT_STORE_PRAGMAS                                                     \
    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;"

/* A write transaction keeps SQLite's temporary files in memory.  Every
 * statement that may fail half-way (an insert with a trigger or a foreign
 * key, inside a transaction) keeps the pages it changes in a statement
 * journal, and SQLite moves that journal to a file on disk once one
 * statement has needed more than 64 KiB; from then on every insert of an
 * import wrote its pages to that file again (45 times the size of the
 * database at 1e5 results).  Kept in memory, the journal is only what one
 * statement changed.  Outside a write transaction temporary files are on
 * disk again, so that a large sort (every score of a big record, say)
 * spills to disk instead of growing in memory. */
#define PT_STORE_BEGIN_WRITE "PRAGMA temp_store = MEMORY; BEGIN IMMEDIATE"
#define PT_STORE_AFTER_WRITE "PRAGMA temp_store = DEFAULT"

/* BEGIN a write transaction as PT_STORE_BEGIN_WRITE says, and what follows
 * its COMMIT or ROLLBACK; for callers that open and end transactions
 * themselves.  begin: LIMS_OK or LIMS_ERR_DB with a message. */
lims_status pt_store_begin_write(sqlite3 *db, char *err, size_t errlen);
void pt_store_after_write(sqlite3 *db);

/* Open (creating if missing) and migrate the database at `path`.
 * Returns LIMS_OK and *db (close with sqlite3_close), or a status and a
 * message.  LIMS_ERR_STATE when the database is newer than this code. */
lims_status pt_store_open(const char *path, sqlite3 **db /* OUT */,
                          char *err, size_t errlen);

/* The same, the audit log's chain keyed with the keys of key_file (see
 * pt_chain.h) when it is not NULL. */
lims_status pt_store_open_keyed(const char *path, const char *key_file,
                                sqlite3 **db /* OUT */, char *err,
                                size_t errlen);

/* Register the SQL functions the schema's triggers call (sha256(), for
 * the audit log's hash chain) on a connection opened some other way than
 * pt_store_open (which does it).  LIMS_OK or LIMS_ERR_DB. */
lims_status pt_store_functions(sqlite3 *db, char *err, size_t errlen);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; inside a transaction the host
 * opened (lims_plugin.transaction) SAVEPOINT / RELEASE / ROLLBACK TO, so
 * the host's transaction decides.  begin and commit return LIMS_OK or
 * LIMS_ERR_DB with a message. */
lims_status pt_store_begin(sqlite3 *db, char *err, size_t errlen);
lims_status pt_store_commit(sqlite3 *db, char *err, size_t errlen);
void pt_store_rollback(sqlite3 *db);

/* End the transaction begun by pt_store_begin: commit when rc is LIMS_OK,
 * roll back otherwise.  Returns rc, or the commit's failure. */
lims_status pt_store_end(sqlite3 *db, lims_status rc, char *err,
                         size_t errlen);

/* The id of laboratory `code`: LIMS_OK and *id, or LIMS_ERR_INPUT with
 * "[what: ]unknown laboratory" (what may be NULL). */
lims_status pt_store_lab_id(sqlite3 *db, const char *code, const char *what,
                            long long *id /* OUT */, char *err,
                            size_t errlen);

/* Prepare `sql`; LIMS_ERR_DB with SQLite's message on failure. */
lims_status pt_store_prepare(sqlite3 *db, const char *sql,
                             sqlite3_stmt **st /* OUT */, char *err,
                             size_t errlen);

/* Append to the audit log (inside the caller's transaction). */
lims_status pt_store_audit(sqlite3 *db, const char *action,
                           const char *detail, char *err, size_t errlen);

/* Bind text, or NULL when `s` is NULL or empty. */
int pt_store_bind_text(sqlite3_stmt *st, int i, const char *s);

/* The same without a copy: `s` must stay as it is until the statement's
 * next sqlite3_step has returned, and every parameter be bound again
 * before the step after it. */
int pt_store_bind_text_static(sqlite3_stmt *st, int i, const char *s);

/* Bind a double, or NULL when it is NaN. */
int pt_store_bind_num(sqlite3_stmt *st, int i, double v);

/* Column as double, NaN when NULL. */
double pt_store_num(sqlite3_stmt *st, int i);

/* Column as text, "" when NULL. */
const char *pt_store_text(sqlite3_stmt *st, int i);

/* Column as text, NULL when NULL or empty. */
const char *pt_store_text_or_null(sqlite3_stmt *st, int i);

#endif /* PT_STORE_H */
