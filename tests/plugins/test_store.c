/*
 * test_store.c -- the database layer on its own: a writer that waits past
 * the busy timeout gets a user-facing "try again" status, not an internal
 * error, and transactions nest as savepoints inside a host's transaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pt_store.h"
#include "testutil.h"

/* A new database <tu_dir()>/<name> opened by pt_store_open; its path in
 * path (OUT). */
static sqlite3 *new_store(const char *name, char path[512])
{
    char err[256] = "";
    sqlite3 *db;

    snprintf(path, 512, "%s/%s", tu_dir(), name);
    unlink(path);
    assert_int_equal(pt_store_open(path, &db, err, sizeof err), LIMS_OK);
    return db;
}

/* Another connection holding the write lock of path; db waits for it
 * 50 ms. */
static sqlite3 *hold_lock(const char *path, sqlite3 *db)
{
    sqlite3 *holder;

    assert_int_equal(sqlite3_open(path, &holder), SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 50);
    return holder;
}

static void busy_database_is_a_retry_not_an_internal_error(void **state)
{
    char path[512], err[256] = "";
    sqlite3 *holder, *db = new_store("busy.db", path);

    (void)state;
    holder = hold_lock(path, db);
    assert_int_equal(pt_store_begin(db, err, sizeof err), LIMS_ERR_STATE);
    assert_non_null(strstr(err, "database is busy"));
    assert_non_null(strstr(err, "try again"));
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    assert_int_equal(pt_store_begin(db, err, sizeof err), LIMS_OK);
    assert_int_equal(pt_store_commit(db, err, sizeof err), LIMS_OK);
    sqlite3_close(holder);
    sqlite3_close(db);
}

static void operations_nest_as_savepoints_in_a_host_transaction(void **state)
{
    char path[512], err[256] = "";
    sqlite3 *db = new_store("nest.db", path);
    sqlite3_stmt *q;

    (void)state;
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    /* a failing operation is undone alone ... */
    assert_int_equal(pt_store_begin(db, err, sizeof err), LIMS_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO laboratory (code, name, role) "
                                  "VALUES ('A', 'A', 'branch')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(pt_store_end(db, LIMS_ERR_INPUT, err, sizeof err),
                     LIMS_ERR_INPUT);
    /* ... a good one is kept, and the host's transaction stays open */
    assert_int_equal(pt_store_begin(db, err, sizeof err), LIMS_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO laboratory (code, name, role) "
                                  "VALUES ('B', 'B', 'branch')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(pt_store_end(db, LIMS_OK, err, sizeof err), LIMS_OK);
    assert_int_equal(sqlite3_get_autocommit(db), 0);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(code) FROM "
                                        "laboratory",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "B");
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static int temp_store(sqlite3 *db)
{
    sqlite3_stmt *q;
    int v;

    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA temp_store", -1, &q,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* A write transaction keeps temporary files (statement journals) in
 * memory; before and after it they are on disk, so large sorts spill. */
static void temporary_files_are_in_memory_only_while_writing(void **state)
{
    char path[512], err[256] = "";
    sqlite3 *holder, *db = new_store("temp.db", path);

    (void)state;
    assert_int_equal(temp_store(db), 0);
    assert_int_equal(pt_store_begin(db, err, sizeof err), LIMS_OK);
    assert_int_equal(temp_store(db), 2);
    assert_int_equal(pt_store_commit(db, err, sizeof err), LIMS_OK);
    assert_int_equal(temp_store(db), 0);
    assert_int_equal(pt_store_begin(db, err, sizeof err), LIMS_OK);
    assert_int_equal(pt_store_end(db, LIMS_ERR_INPUT, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_int_equal(temp_store(db), 0);
    /* a begin that fails leaves them on disk too */
    holder = hold_lock(path, db);
    assert_int_equal(pt_store_begin(db, err, sizeof err), LIMS_ERR_STATE);
    assert_int_equal(temp_store(db), 0);
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(busy_database_is_a_retry_not_an_internal_error),
        cmocka_unit_test(operations_nest_as_savepoints_in_a_host_transaction),
        cmocka_unit_test(temporary_files_are_in_memory_only_while_writing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
