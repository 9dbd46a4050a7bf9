/*
 * test_crash.c -- crash consistency: `ptlims import` of a large generated
 * results file is killed with SIGKILL at random moments; afterwards the
 * database passes PRAGMA integrity_check, holds either the whole file or
 * none of it, and its audit log still verifies.
 *
 * PTLIMS_CRASH_ROWS (default 10000) and PTLIMS_CRASH_POINTS (default 20)
 * size the run; `make crash-test` runs a longer variant.  ptlims runs
 * without $PTLIMS_WRAP here: under valgrind the kill points would only
 * land in valgrind's start-up.
 */
#include <setjmp.h>
#include <signal.h>
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

static char prepared[512], csv[512], exe[512], plugins[512];
static char side[700]; /* -wal and -shm names */
static long rows;
static int points;

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : def;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Start `ptlims --db db import csv` with output discarded; its pid. */
static pid_t start_import(const char *db)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(exe, exe, "--plugin-dir", plugins, "--db", db, "import", csv,
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int setup(void **state)
{
    FILE *f;
    long i;

    (void)state;
    rows = env_long("PTLIMS_CRASH_ROWS", 10000);
    points = (int)env_long("PTLIMS_CRASH_POINTS", 20);
    snprintf(exe, sizeof exe, "%s/ptlims", it_build());
    snprintf(plugins, sizeof plugins, "%s/plugins", it_build());
    snprintf(prepared, sizeof prepared, "%s/prepared.db", it_tmp());
    snprintf(csv, sizeof csv, "%s/big.csv", it_tmp());
    if (it_run("%s --db %s import fixtures/laboratories.csv "
               "fixtures/rounds.csv",
               it_ptlims(), prepared) != 0)
        fail_msg("preparing the database: %s", it_out);
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("round,lab,measurand,item,value,unit,U,k,method,remarks\n", f);
    for (i = 0; i < rows; i++)
        fprintf(f,
                "S-2025-PT1,L%02ld,sulfur,C-%ld,%ld.%02ld,mg/kg,1.2,2,"
                "ASTM D5453-19a,\"generated row %ld, for the crash test\"\n",
                i % 34 + 1, i / 34, 5 + i % 20, i % 97, i);
    assert_int_equal(fclose(f), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    it_cleanup();
    return 0;
}

static long long imported(const char *db)
{
    return it_query_int(db, "SELECT count(*) FROM result WHERE item LIKE "
                            "'C-%'");
}

static void killed_import_leaves_all_or_nothing(void **state)
{
    char db[600];
    double t0, full;
    int status, i, none = 0, all = 0;
    pid_t pid;

    (void)state;
    snprintf(db, sizeof db, "%s/crash.db", it_tmp());

    /* how long a whole import takes here */
    it_copy(prepared, db);
    t0 = now();
    pid = start_import(db);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    full = now() - t0;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(imported(db), rows);

    srand((unsigned)time(NULL));
    for (i = 0; i < points; i++) {
        /* kill points spread over the whole run, every other one near
         * the end: the commit and the checkpoint when ptlims closes */
        double r = (double)rand() / RAND_MAX;
        double at = i % 2 ? full * (0.8 + 0.4 * r) : full * r;
        struct timespec d;
        long long n;

        it_copy(prepared, db);
        snprintf(side, sizeof side, "%s-wal", db);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", db);
        unlink(side);
        pid = start_import(db);
        d.tv_sec = (time_t)at;
        d.tv_nsec = (long)((at - (double)d.tv_sec) * 1e9);
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);

        /* opening read-write recovers from the WAL the killed process
         * left behind */
        if (it_run("%s --plugin-dir %s --db %s init", exe, plugins, db) !=
            0)
            fail_msg("kill point %d (%.3f s of %.3f s): reopening: %s", i,
                     at, full, it_out);
        assert_int_equal(
            it_query_int(db, "SELECT count(*) FROM pragma_integrity_check "
                             "WHERE integrity_check <> 'ok'"),
            0);
        n = imported(db);
        if (n != 0 && n != rows)
            fail_msg("kill point %d (%.3f s of %.3f s): %lld of %ld rows "
                     "are in",
                     i, at, full, n, rows);
        n ? all++ : none++;
        /* the import's audit entry is there exactly when its rows are */
        assert_int_equal(
            it_query_int(db, "SELECT count(*) FROM audit_log WHERE action "
                             "= 'import' AND detail LIKE '%big.csv%'"),
            n ? 1 : 0);
        if (i % 5 == 0 && it_run("%s --plugin-dir %s --db %s verify", exe,
                                 plugins, db) != 0)
            fail_msg("kill point %d: verify: %s", i, it_out);
    }
    print_message("%d kill points over %.2f s: %d left nothing, %d the "
                  "whole file\n",
                  points, full, none, all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(killed_import_leaves_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
