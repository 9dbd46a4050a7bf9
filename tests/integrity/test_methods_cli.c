/*
 * test_methods_cli.c -- `ptlims methods`: the method and limit data with
 * status and source, as a quality manager reads them (text) and a LIMS
 * reads them (--json, checked field by field by check_methods_json.py),
 * one scheme's with --scheme, and an unknown scheme refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"

/* A new database, made once by ptlims init. */
static const char *database(void)
{
    static char db[600];

    if (!db[0]) {
        snprintf(db, sizeof db, "%s/methods.db", it_tmp());
        it_expect(it_run("%s --db %s init", it_ptlims(), db), 0, NULL);
    }
    return db;
}

static void json_lists_every_edition_and_limit_with_its_source(void **state)
{
    char out[700];

    (void)state;
    snprintf(out, sizeof out, "%s/methods.json", it_tmp());
    it_expect(it_run("%s --db %s methods --scheme fuel-sulfur --json > %s",
                     it_ptlims(), database(), out),
              0, NULL);
    it_expect(it_run("python3 tests/integrity/check_methods_json.py %s", out),
              0, NULL);
}

static void dehumidifier_has_limits_and_no_methods(void **state)
{
    (void)state;
    it_expect(it_run("%s --db %s methods --scheme dehumidifier --json",
                     it_ptlims(), database()),
              0, "{\"methods\": [],");
    assert_non_null(strstr(it_out, "\"category\": \"class I stationary "
                                    "(60335-2-40)\""));
    assert_null(strstr(it_out, "fuel-sulfur"));
}

static void text_names_status_and_source(void **state)
{
    (void)state;
    it_expect(it_run("%s --db %s methods", it_ptlims(), database()), 0,
              "ASTM D4294, edition 21 (fuel-sulfur, EDXRF)\n  scope 17 to "
              "46000 mg/kg; published;");
    assert_non_null(strstr(it_out, "  diesel: r = 0.02777 (X + 28.158), R "
                                   "not given (X in mg/kg); published;"));
    assert_non_null(strstr(it_out, "\nlimits\n"));
}

static void an_unknown_scheme_is_refused(void **state)
{
    (void)state;
    it_expect(it_run("%s --db %s methods --scheme fuel", it_ptlims(),
                     database()),
              1, "--scheme \"fuel\" is not a loaded scheme");
    it_expect(it_run("%s --db %s methods --all", it_ptlims(), database()), 1,
              "unknown option \"--all\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_lists_every_edition_and_limit_with_its_source),
        cmocka_unit_test(dehumidifier_has_limits_and_no_methods),
        cmocka_unit_test(text_names_status_and_source),
        cmocka_unit_test(an_unknown_scheme_is_refused),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    it_cleanup();
    return rc;
}
