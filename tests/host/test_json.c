/*
 * test_json.c -- a LIMS driving ptlims as a subprocess: every command that
 * prints results prints valid JSON with --json (checked with SQLite's own
 * json_valid and json_extract in the sqlite3 shell), with the counts and
 * names a script needs, and stdout stays valid JSON when a later step
 * fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"


/* Run `ptlims --db tmp/j.db ARGS --json`, stdout to tmp/out.json and
 * stderr apart; the exit status. */
static int ptlims_json(const char *args)
{
    return run("{ %s --plugin-dir %s/plugins --db %s/j.db %s --json "
               "> %s/out.json 2> %s/err.txt; }",
               exe, build, tmp, args, tmp, tmp);
}

/* The JSON document j in tmp/out.json must be valid, and the SQL
 * expression `expr` over it give `want`. */
static void json_is(const char *expr, const char *want)
{
    int st = run("sqlite3 :memory: \"SELECT json_valid(j), %s FROM "
                 "(SELECT CAST(readfile('%s/out.json') AS TEXT) AS j)\"",
                 expr, tmp);
    char expect[512];

    snprintf(expect, sizeof expect, "1|%s\n", want);
    if (st != 0 || strcmp(out, expect) != 0)
        fail_msg("%s: got \"%s\", wanted \"%s\"", expr, out, expect);
}

static void init_import_evaluate_report_speak_json(void **state)
{
    (void)state;
    assert_int_equal(ptlims_json("init"), 0);
    json_is("json_extract(j, '$.ready')", "1");
    assert_int_equal(ptlims_json("import fixtures/laboratories.csv "
                                 "fixtures/rounds.csv"),
                     0);
    json_is("json_extract(j, '$[0].file')", "fixtures/laboratories.csv");
    json_is("json_extract(j, '$[1].rounds')", "4");
    assert_int_equal(ptlims_json("import fixtures/results-s-2025-pt.csv"), 0);
    json_is("json_extract(j, '$[0].results')", "34");
    assert_int_equal(ptlims_json("evaluate S-2025-PT1"), 0);
    json_is("json_extract(j, '$[0].round')", "S-2025-PT1");
    json_is("json_extract(j, '$[0].scores')", "34");
    assert_int_equal(ptlims_json("evaluate --all"), 0);
    json_is("json_extract(j, '$[0].round')", ""); /* null: every open round */
    assert_int_equal(ptlims_json("scores --lab TC-BR"), 0);
    json_is("json_extract(j, '$[0].round')", "S-2025-PT1");
    json_is("json_extract(j, '$[0].lab')", "TC-BR");
    assert_int_equal(ptlims_json("plugins"), 0);
    json_is("json_extract(j, '$[0].abi')", "1.0");
    {
        char args[512];
        snprintf(args, sizeof args,
                 "report --lab TC-BR --out %s/r.xlsx "
                 "--date 2025-12-31T00:00:00",
                 tmp);
        assert_int_equal(ptlims_json(args), 0);
    }
    json_is("json_extract(j, '$.lab')", "TC-BR");
}

/* tmp/out.json must be empty: a failing command says nothing on stdout,
 * never half a document. */
static void stdout_is_empty(const char *what)
{
    char path[600];
    struct stat st;

    snprintf(path, sizeof path, "%s/out.json", tmp);
    if (stat(path, &st) != 0 || st.st_size != 0)
        fail_msg("%s: stdout is not empty after a failure", what);
}

static void a_failing_command_leaves_stdout_empty(void **state)
{
    (void)state;
    assert_int_equal(run("printf 'lab,name,role\\nZ,Lab Z,boss\\n' > "
                         "%s/bad.csv",
                         tmp),
                     0);
    {
        char args[512];
        snprintf(args, sizeof args,
                 "import fixtures/laboratories.csv %s/bad.csv", tmp);
        assert_int_equal(ptlims_json(args), 1);
    }
    stdout_is_empty("import");
    assert_int_equal(ptlims_json("evaluate NO-SUCH-ROUND"), 1);
    stdout_is_empty("evaluate");
    /* a calculator that fails on its third row after writing two */
    assert_int_equal(run("printf 'lab,value\\nA,9\\nB,11\\nC,x\\n' > "
                         "%s/sc.csv",
                         tmp),
                     0);
    {
        char args[512];
        snprintf(args, sizeof args,
                 "score --xpt 10 --u-xpt 0.1 --sigma-pt 1 %s/sc.csv", tmp);
        assert_int_equal(ptlims_json(args), 1);
    }
    stdout_is_empty("score");
    /* and the same command succeeds with the whole document */
    assert_int_equal(run("printf 'lab,value\\nA,9\\nB,11\\n' > %s/sc.csv",
                         tmp),
                     0);
    {
        char args[512];
        snprintf(args, sizeof args,
                 "score --xpt 10 --u-xpt 0.1 --sigma-pt 1 %s/sc.csv", tmp);
        assert_int_equal(ptlims_json(args), 0);
    }
    json_is("json_array_length(j, '$')", "2");
}

static void sync_speaks_json(void **state)
{
    char args[512];

    (void)state;
    snprintf(args, sizeof args, "sync export --site HQ --out %s/j.cs", tmp);
    assert_int_equal(ptlims_json(args), 0);
    json_is("json_extract(j, '$.site')", "HQ");
    snprintf(args, sizeof args, "sync apply %s/j.cs", tmp);
    assert_int_equal(ptlims_json(args), 0);
    json_is("json_extract(j, '$.added')", "0");
    json_is("json_array_length(j, '$.conflicts')", "0");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_import_evaluate_report_speak_json),
        cmocka_unit_test(a_failing_command_leaves_stdout_empty),
        cmocka_unit_test(sync_speaks_json),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-json-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
