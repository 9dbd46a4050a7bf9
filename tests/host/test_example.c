/*
 * test_example.c -- the integration example a LIMS vendor starts from
 * (host/examples/minimal_host.c) builds with nothing but the ABI header,
 * loads the engine and a real scheme plug-in, records three results
 * through structured calls, evaluates the round and prints the scores; it
 * refuses a plug-in of another ABI major version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"


static void records_three_results_and_prints_the_scores(void **state)
{
    (void)state;
    expect(run("%s %s/libptlims.so %s/plugins/fuel-sulfur.so %s/lims.db", exe,
               build, build, tmp),
           0, "loaded fuel-sulfur");
    /* En = (9.3 - 9.0) / hypot(0.6, 0.4) and (11.2 - 9.0) / hypot(0.7,
     * 0.4) */
    assert_non_null(strstr(out, "R1     BR1      9.3 mg/kg  En = +0.42  "
                                "satisfactory"));
    assert_non_null(strstr(out, "R1     BR2      11.2 mg/kg  En = +2.73  "
                                "unsatisfactory"));
    /* the reference laboratory is the assigned value: not scored */
    assert_non_null(strstr(out, "R1     REF      9.0 mg/kg  En = +0.00  "
                                "not scored"));
    assert_non_null(strstr(out, "3 scores, 1 signals"));
    /* the records are in the database the ptlims command reads */
    expect(run("%s %s/ptlims --plugin-dir %s/plugins --db %s/lims.db scores",
               getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build, build,
               tmp),
           0, "3 scores, 1 signals");
}

static void refuses_a_plugin_of_another_major_version(void **state)
{
    (void)state;
    expect(run("%s %s/libptlims.so %s/tests/plugins/abi2.so %s/abi2.db", exe,
               build, build, tmp),
           1, "not a ptlims plug-in of ABI 1.x");
    expect(run("%s %s/plugins/fuel-sulfur.so %s/plugins/fuel-sulfur.so "
               "%s/x.db",
               exe, build, build, tmp),
           1, "not a ptlims engine of ABI 1.x");
    expect(run("%s %s/libptlims.so %s/plugins/none.so %s/x.db", exe, build,
               build, tmp),
           1, "none.so");
    expect(run("%s", exe), 1, "usage:");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_three_results_and_prints_the_scores),
        cmocka_unit_test(refuses_a_plugin_of_another_major_version),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/examples/minimal_host",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-example-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
