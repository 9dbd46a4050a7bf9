/*
 * test_cli.c -- the ptlims command as a user and a LIMS script see it:
 * help, exit status, plug-in discovery and refusal, import errors with
 * file:line:column, the demo and a reproducible workbook.
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


static void help_is_everywhere_and_exits_zero(void **state)
{
    static const char *const cmds[] = {"plugins", "init",   "import",
                                       "evaluate", "scores", "report",
                                       "demo"};
    size_t i;

    (void)state;
    expect(run("%s --help", exe), 0, "usage: ptlims");
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        expect(run(PTLIMS " %s --help", exe, build, tmp, "h.db", cmds[i]),
               0, "usage: ptlims");
}

static void unknown_command_and_option_are_user_errors(void **state)
{
    (void)state;
    expect(run("%s frobnicate", exe), 1, "unknown command");
    expect(run(PTLIMS " scores --colour", exe, build, tmp, "u.db"), 1,
           "unknown option \"--colour\"");
}

static void plugins_lists_both_schemes(void **state)
{
    (void)state;
    expect(run(PTLIMS " plugins", exe, build, tmp, "p.db"), 0,
           "dehumidifier");
    assert_non_null(strstr(out, "fuel-sulfur"));
    assert_non_null(strstr(out, "leakage_current_op"));
    expect(run(PTLIMS " plugins --json", exe, build, tmp, "p.db"), 0,
           "\"id\": \"fuel-sulfur\"");
}

static void plugin_of_another_abi_is_refused_with_the_reason(void **state)
{
    (void)state;
    expect(run("mkdir -p %s/mixed && cp %s/plugins/*.so %s/tests/plugins/"
               "abi2.so %s/mixed/ && %s --plugin-dir %s/mixed "
               "--db %s/m.db plugins",
               tmp, build, build, tmp, exe, tmp, tmp),
           0, "abi2.so: not loaded: built for plug-in ABI 2.0");
    assert_non_null(strstr(out, "fuel-sulfur"));
    assert_null(strstr(out, "from-the-future"));
}

static void missing_plugin_dir_is_a_user_error(void **state)
{
    (void)state;
    expect(run("%s --plugin-dir %s/none --db %s/x.db plugins", exe, tmp,
               tmp),
           1, "cannot open plug-in directory");
}

static void bad_import_names_the_place_and_exits_one(void **state)
{
    (void)state;
    expect(run("printf 'lab,name,role\\nA,Lab A,branch\\nB,Lab B,boss\\n' "
               "> %s/labs.csv && " PTLIMS " import %s/labs.csv",
               tmp, exe, build, tmp, "i.db", tmp),
           1, "labs.csv:3:9: role \"boss\"");
    expect(run(PTLIMS " scores", exe, build, tmp, "i.db"), 0,
           "no scores");
}

static void demo_prints_the_branch_scores_and_writes_a_workbook(void **state)
{
    struct stat st;
    char path[512];

    (void)state;
    expect(run(PTLIMS " demo --fixtures fixtures --lab TC-BR --out "
                      "%s/demo.xlsx",
               exe, build, tmp, "demo.db", tmp),
           0, "scores of TC-BR");
    assert_non_null(strstr(out, "S-2025-PT1"));
    assert_non_null(strstr(out, "questionable"));
    assert_non_null(strstr(out, "unsatisfactory"));
    snprintf(path, sizeof path, "%s/demo.xlsx", tmp);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 4000);
    /* a second demo on the same database is refused, not merged */
    expect(run(PTLIMS " demo --fixtures fixtures --lab TC-BR --out "
                      "%s/demo2.xlsx",
               exe, build, tmp, "demo.db", tmp),
           1, "already exists");
    expect(run(PTLIMS " scores --lab TC-BR --json", exe, build, tmp,
               "demo.db"),
           0, "\"class\": \"questionable\"");
    assert_true(out[0] == '[');
}

static void same_data_and_date_give_the_same_workbook(void **state)
{
    (void)state;
    expect(run(PTLIMS " report --lab TC-BR --date 2026-01-05T08:00:00 --out "
                      "%s/a.xlsx && sleep 1 && " PTLIMS
                      " report --lab TC-BR --date 2026-01-05T08:00:00 --out "
                      "%s/b.xlsx && cmp %s/a.xlsx %s/b.xlsx && echo same",
               exe, build, tmp, "demo.db", tmp, exe, build, tmp,
               "demo.db", tmp, tmp, tmp),
           0, "same");
}

static void report_for_unknown_lab_is_a_user_error(void **state)
{
    (void)state;
    expect(run(PTLIMS " report --lab NOBODY --out %s/n.xlsx", exe, build,
               tmp, "demo.db", tmp),
           1, "unknown laboratory \"NOBODY\"");
    expect(run("test -e %s/n.xlsx || echo absent", tmp), 0, "absent");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_is_everywhere_and_exits_zero),
        cmocka_unit_test(unknown_command_and_option_are_user_errors),
        cmocka_unit_test(plugins_lists_both_schemes),
        cmocka_unit_test(plugin_of_another_abi_is_refused_with_the_reason),
        cmocka_unit_test(missing_plugin_dir_is_a_user_error),
        cmocka_unit_test(bad_import_names_the_place_and_exits_one),
        cmocka_unit_test(demo_prints_the_branch_scores_and_writes_a_workbook),
        cmocka_unit_test(same_data_and_date_give_the_same_workbook),
        cmocka_unit_test(report_for_unknown_lab_is_a_user_error),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-cli-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
