/*
 * pt_state.h -- the state of every table no seal covers, and of every
 * definition in the schema, kept in the audit chain (schema 009).
 *
 * Seals (pt_seal.h) cover the record round by round: laboratories,
 * rounds, their measurands, results and evaluations; the chain covers the
 * audit log and the seals; verify rebuilds the result packs.  Everything
 * else the workbook is made from -- corrective actions, the plan, limits,
 * methods and their precision, result conditions, warnings, conformity,
 * and any table a later migration adds -- is covered here, found by
 * enumerating sqlite_schema rather than by a list, so a new table is
 * covered without a change to this file.
 *
 * A table's state is its row count, its largest rowid and the sum modulo
 * 2^256 of every row's SHA-256 (of the table name, the rowid and each
 * column as pt_seal.h writes it).  A sum can be extended by appended rows
 * without reading the older ones again, so a change made to them outside
 * ptlims stays visible.  A definition's state is the SHA-256 of its SQL
 * text in sqlite_schema (tables, indexes, views, triggers).
 *
 * Every write transaction of the engine ends with pt_state_record (from
 * pt_store_commit), which appends one audit-log entry (action "state",
 * tbl "state", row id 0) listing the state of every such table and
 * definition whenever a table changed.  An update hook tells which tables
 * a transaction touched and whether it only appended to them.  The
 * definitions are taken as they are only by a migration; otherwise they
 * are carried over from the last entry, so a view redefined or a trigger
 * neutered outside ptlims stays visible however many operations follow.
 */
#ifndef PT_STATE_H
#define PT_STATE_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"

/* Register the update hook on a connection ptlims opened.  Its memory is
 * freed when the connection closes. */
lims_status pt_state_attach(sqlite3 *db, char *err, size_t errlen);

/* The next pt_state_record reads every table again and takes the schema's
 * definitions as they are now (after a migration). */
void pt_state_all(sqlite3 *db);

/* Append the state entry when this transaction changed a table that no
 * seal covers, or after pt_state_all.  Call inside the write transaction,
 * before it commits.  A connection without the hook records nothing. */
lims_status pt_state_record(sqlite3 *db, char *err, size_t errlen);

/* Forget what the transaction touched (after a rollback). */
void pt_state_forget(sqlite3 *db);

/* Compare every table and definition with the last state entry; each
 * difference is reported through problem(ctx, message). */
typedef void (*pt_state_problem_fn)(void *ctx, const char *msg);
lims_status pt_state_check(sqlite3 *db, pt_state_problem_fn problem,
                           void *ctx, char *err, size_t errlen);

#endif /* PT_STATE_H */
