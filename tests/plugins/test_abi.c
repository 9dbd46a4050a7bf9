/*
 * test_abi.c -- the plug-in ABI contract: one exported symbol, a complete
 * v1 descriptor, pure result checks, refusal of an incompatible services
 * table and of a database newer than the code.
 */
#include <math.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static const char *const names[] = {"dehumidifier", "fuel-sulfur"};

static void only_the_entry_symbol_is_exported(void **state)
{
    char cmd[512], line[512], sym[256], type[8];
    unsigned long long addr;
    size_t i;
    int exported;

    (void)state;
    for (i = 0; i < 2; i++) {
        FILE *p;
        snprintf(cmd, sizeof cmd, "nm -D --defined-only %s/plugins/%s.so",
                 tu_build(), names[i]);
        p = popen(cmd, "r");
        assert_non_null(p);
        exported = 0;
        while (fgets(line, sizeof line, p)) {
            if (sscanf(line, "%llx %7s %255s", &addr, type, sym) != 3)
                continue;
            if (strchr("TDBRVW", type[0]) == NULL)
                continue;
            if (strcmp(sym, "lims_plugin_entry_v1") != 0)
                fail_msg("%s.so exports %s", names[i], sym);
            exported++;
        }
        assert_int_equal(pclose(p), 0);
        assert_int_equal(exported, 1);
    }
}

static void descriptors_are_complete_v1(void **state)
{
    size_t i, m;

    (void)state;
    for (i = 0; i < 2; i++) {
        const lims_plugin *p = tu_plugin(names[i]);
        assert_int_equal(LIMS_ABI_MAJOR(p->abi), 1);
        assert_true(p->size >= sizeof(lims_plugin));
        assert_string_equal(p->id, names[i]);
        assert_true(p->n_measurands > 0);
        for (m = 0; m < p->n_measurands; m++) {
            assert_true(p->measurands[m].size >= sizeof(lims_measurand));
            assert_non_null(strstr(p->measurands[m].units,
                                   p->measurands[m].unit));
            assert_true(p->measurands[m].min < p->measurands[m].max);
        }
        assert_non_null(p->policy);
        assert_non_null(p->limit_key);
        assert_true(p->n_units > 0);
        /* every unit belongs to a measurand that lists it */
        for (m = 0; m < p->n_units; m++) {
            size_t j;
            for (j = 0; j < p->n_measurands; j++)
                if (strcmp(p->measurands[j].id, p->units[m].measurand) == 0)
                    break;
            assert_true(j < p->n_measurands);
            assert_non_null(strstr(p->measurands[j].units, p->units[m].name));
        }
    }
}

/* The engine's table: of this ABI, every member set. */
static void engine_table_is_complete(void **state)
{
    const lims_engine *e = tu_engine();
    const void *const *fn;

    (void)state;
    assert_int_equal(LIMS_ABI_MAJOR(e->abi), 1);
    assert_int_equal(e->size, sizeof(lims_engine));
    for (fn = (const void *const *)&e->open;
         (const char *)fn < (const char *)e + sizeof *e; fn++)
        assert_non_null(*fn);
    assert_string_equal(lims_status_text(LIMS_OK), "ok");
    assert_string_equal(lims_status_text(LIMS_ERR_INPUT), "bad input");
    assert_string_equal(lims_status_text((lims_status)99), "unknown status");
}

/* A scheme of another major version, or an incomplete one, is refused;
 * a scheme given twice too. */
static void scheme_add_refuses_bad_descriptors(void **state)
{
    lims_plugin bad = *tu_plugin("fuel-sulfur");
    lims_instance *inst = tu_open(tu_plugin("fuel-sulfur"), "schemes.db");
    char err[256] = "";

    (void)state;
    bad.abi = LIMS_ABI_MAKE(2, 0);
    assert_int_equal(tu_engine()->scheme_add(inst, &bad, err, sizeof err),
                     LIMS_ERR_ABI);
    bad = *tu_plugin("fuel-sulfur");
    bad.id = "other";
    bad.limit_key = NULL;
    assert_int_equal(tu_engine()->scheme_add(inst, &bad, err, sizeof err),
                     LIMS_ERR_ABI);
    assert_int_equal(tu_engine()->scheme_add(inst, tu_plugin("fuel-sulfur"),
                                             err, sizeof err),
                     LIMS_ERR_STATE);
    assert_non_null(strstr(err, "given already"));
    tu_engine()->close(inst);
}

static void check_result_converts_and_names_the_bad_field(void **state)
{
    const lims_plugin *p = tu_plugin("dehumidifier");
    lims_result_in in = {sizeof in, "leakage_current_humid", 250, "µA",
                         20, 2, NULL, "250", "20"};
    lims_result_out out = {sizeof out, 0, 0, 0, 0};
    char err[256];

    (void)state;
    assert_int_equal(tu_engine()->check_result(p, &in, &out, err, sizeof err),
                     LIMS_OK);
    assert_true(out.value == 0.25);
    assert_true(out.U == 0.02);
    in.unit = "kV";
    assert_int_equal(tu_engine()->check_result(p, &in, &out, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_int_equal(out.bad_field, LIMS_FIELD_UNIT);
    in.unit = "mA";
    in.measurand = "voltage";
    assert_int_equal(tu_engine()->check_result(p, &in, &out, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_int_equal(out.bad_field, LIMS_FIELD_MEASURAND);
}

static void services_of_another_abi_are_refused(void **state)
{
    lims_services svc;
    lims_instance *inst = NULL;
    char err[256] = "";

    (void)state;
    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_MAKE(2, 0);
    svc.db_path = "/nonexistent/never-created.db";
    assert_int_equal(tu_engine()->open(&svc, &inst, err, sizeof err), LIMS_ERR_ABI);
    assert_null(inst);
    assert_non_null(strstr(err, "ABI 2.0"));
}

static void newer_database_is_refused(void **state)
{
    const lims_plugin *p = tu_plugin("fuel-sulfur");
    lims_instance *inst = tu_open(p, "newer.db");
    lims_services svc;
    sqlite3 *db;
    char err[256] = "";

    (void)state;
    tu_engine()->close(inst);
    assert_int_equal(sqlite3_open(tu_db(), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = tu_db();
    inst = NULL;
    assert_int_equal(tu_engine()->open(&svc, &inst, err, sizeof err), LIMS_ERR_STATE);
    assert_null(inst);
    assert_non_null(strstr(err, "newer than this ptlims"));
}

static void new_database_has_schema_and_pragmas(void **state)
{
    const lims_plugin *p = tu_plugin("dehumidifier");
    lims_instance *inst = tu_open(p, "fresh.db");
    sqlite3 *db;
    sqlite3_stmt *st;

    (void)state;
    tu_engine()->close(inst);
    assert_int_equal(sqlite3_open(tu_db(), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_int(st, 0) >= 1);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* the audit log cannot be rewritten */
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_the_entry_symbol_is_exported),
        cmocka_unit_test(descriptors_are_complete_v1),
        cmocka_unit_test(check_result_converts_and_names_the_bad_field),
        cmocka_unit_test(engine_table_is_complete),
        cmocka_unit_test(scheme_add_refuses_bad_descriptors),
        cmocka_unit_test(services_of_another_abi_are_refused),
        cmocka_unit_test(newer_database_is_refused),
        cmocka_unit_test(new_database_has_schema_and_pragmas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
