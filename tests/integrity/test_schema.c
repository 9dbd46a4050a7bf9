/*
 * test_schema.c -- schemas/CURRENT.sql is what replaying the numbered
 * migrations gives a new database (make schema writes it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"

static void current_sql_is_what_the_migrations_give(void **state)
{
    char *want, *got, path[700];

    (void)state;
    snprintf(path, sizeof path, "%s/current.sql", it_tmp());
    it_expect(it_run("sh tests/integrity/schema_dump.sh \"%s\" > %s",
                     it_ptlims(), path),
              0, NULL);
    want = it_slurp("schemas/CURRENT.sql");
    got = it_slurp(path);
    if (strcmp(want, got) != 0)
        fail_msg("schemas/CURRENT.sql is not what the migrations give: run "
                 "make schema (new: %s)",
                 path);
    assert_non_null(strstr(got, "CREATE TABLE result ("));
    assert_non_null(strstr(got, "CREATE VIEW score AS"));
    free(want);
    free(got);
}

static int teardown(void **state)
{
    (void)state;
    it_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(current_sql_is_what_the_migrations_give),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
