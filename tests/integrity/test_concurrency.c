/*
 * test_concurrency.c -- four ptlims processes import different results
 * files into one database at the same time while this process reads it:
 * every row ends up there exactly once, and the reader never sees part of
 * an import (each file's rows are all there or none, together with its
 * audit entry).  Also: an import that finds the database locked by another
 * writer waits (busy_timeout, BEGIN IMMEDIATE) instead of failing.
 */
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"

#define WRITERS 4
/* Small enough that the writers queued behind one another stay within
 * ptlims's 10 s busy timeout under ASan on a loaded machine too. */
#define ROWS 1000

static char db[512], exe[512], plugins[512], files[WRITERS][512];
static pid_t writer[WRITERS]; /* running writers, 0 when done */

/* Kill and reap the writers still running (before failing a test). */
static void stop_writers(void)
{
    int w, status;
    for (w = 0; w < WRITERS; w++) {
        if (writer[w] > 0) {
            kill(writer[w], SIGKILL);
            waitpid(writer[w], &status, 0);
            writer[w] = 0;
        }
    }
}

static int setup(void **state)
{
    FILE *f;
    int w, i;

    (void)state;
    snprintf(exe, sizeof exe, "%s/ptlims", it_build());
    snprintf(plugins, sizeof plugins, "%s/plugins", it_build());
    snprintf(db, sizeof db, "%s/shared.db", it_tmp());
    if (it_run("%s --db %s import fixtures/laboratories.csv "
               "fixtures/rounds.csv",
               it_ptlims(), db) != 0)
        fail_msg("preparing the database: %s", it_out);
    for (w = 0; w < WRITERS; w++) {
        snprintf(files[w], sizeof files[w], "%s/writer%d.csv", it_tmp(), w);
        f = fopen(files[w], "w");
        assert_non_null(f);
        fputs("round,lab,measurand,item,value,unit\n", f);
        for (i = 0; i < ROWS; i++)
            fprintf(f, "S-2025-PT1,L%02d,sulfur,W%d-%d,%d.%d,mg/kg\n",
                    i % 34 + 1, w, i / 34, 5 + i % 13, i % 10);
        assert_int_equal(fclose(f), 0);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_writers();
    it_cleanup();
    return 0;
}

static pid_t start(const char *file)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        execl(exe, exe, "--plugin-dir", plugins, "--db", db, "import", file,
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* In one read transaction: rows and audit entries of each writer's file.
 * Returns how many files are wholly in; fails on a partial one. */
static int snapshot(sqlite3 *c)
{
    sqlite3_stmt *q;
    int w, whole = 0;
    long long n, audit;

    assert_int_equal(sqlite3_exec(c, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(
            c,
            "SELECT (SELECT count(*) FROM result WHERE item LIKE ?1), "
            "(SELECT count(*) FROM audit_log WHERE action = 'import' AND "
            "detail LIKE ?2)",
            -1, &q, NULL),
        SQLITE_OK);
    for (w = 0; w < WRITERS; w++) {
        char item[32], file[64];
        snprintf(item, sizeof item, "W%d-%%", w);
        snprintf(file, sizeof file, "%%writer%d.csv%%", w);
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, item, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 2, file, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        n = sqlite3_column_int64(q, 0);
        audit = sqlite3_column_int64(q, 1);
        if (!((n == 0 && audit == 0) || (n == ROWS && audit == 1))) {
            stop_writers();
            fail_msg("reader saw writer %d half done: %lld of %d rows, %lld "
                     "audit entries",
                     w, n, ROWS, audit);
        }
        whole += n == ROWS;
    }
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_exec(c, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    return whole;
}

static void four_writers_each_row_once_reader_sees_whole_imports(
    void **state)
{
    int w, status, done = 0, looks = 0, partial_views = 0, last = 0, whole;
    sqlite3 *c;

    (void)state;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(c, 10000);
    for (w = 0; w < WRITERS; w++)
        writer[w] = start(files[w]);
    while (done < WRITERS) {
        whole = snapshot(c);
        looks++;
        if (whole != last && whole > 0 && whole < WRITERS)
            partial_views++; /* saw some imports done, others not yet */
        last = whole;
        for (w = 0; w < WRITERS; w++) {
            if (writer[w] > 0 && waitpid(writer[w], &status, WNOHANG) == writer[w]) {
                writer[w] = 0;
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                    stop_writers();
                    sqlite3_close(c);
                    fail_msg("writer %d failed (status %d)", w, status);
                }
                done++;
            }
        }
    }
    assert_int_equal(snapshot(c), WRITERS);
    sqlite3_close(c);
    print_message("reader looked %d times, %d times between imports\n",
                  looks, partial_views);

    /* every row exactly once */
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM result WHERE item LIKE 'W%'"),
        WRITERS * ROWS);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM (SELECT DISTINCT lab_id, "
                         "item FROM result WHERE item LIKE 'W%')"),
        WRITERS * ROWS);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM pragma_integrity_check "
                         "WHERE integrity_check <> 'ok'"),
        0);
    if (it_run("%s --plugin-dir %s --db %s verify", exe, plugins, db) != 0)
        fail_msg("verify after concurrent imports: %s", it_out);
}

static void import_waits_for_another_writer_instead_of_failing(
    void **state)
{
    char csv[512];
    sqlite3 *c;
    FILE *f;
    pid_t pid;
    int status;
    struct timespec d = {1, 0};

    (void)state;
    snprintf(csv, sizeof csv, "%s/late.csv", it_tmp());
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("round,lab,measurand,item,value,unit\n"
          "S-2025-PT1,L01,sulfur,LATE-1,8.5,mg/kg\n",
          f);
    assert_int_equal(fclose(f), 0);
    /* another writer holds the write lock for a second */
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    sqlite3_busy_timeout(c, 10000);
    assert_int_equal(sqlite3_exec(c, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    pid = start(csv);
    nanosleep(&d, NULL);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* still waiting */
    assert_int_equal(sqlite3_exec(c, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM result WHERE item = 'LATE-1'"),
        1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(four_writers_each_row_once_reader_sees_whole_imports),
        cmocka_unit_test(import_waits_for_another_writer_instead_of_failing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
