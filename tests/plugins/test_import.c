/*
 * test_import.c -- CSV import through the plug-in ABI: what goes in, how
 * it is converted, and that every bad file is refused with
 * file:line:column and leaves the database exactly as it was.
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

static const char labs_csv[] =
    "lab,name,name_zh,role,accreditation\n"
    "BR,Branch lab,分局實驗室,branch,TAF 0001\n"
    "REF,Oil company lab,油品實驗室,reference,TAF 0002\n"
    "L1,Lab one,,external,\n"
    "L2,Lab two,,external,\n";

static const char rounds_csv[] =
    "round,scheme,measurand,type,opened,reference_lab,assigned\n"
    "S-1,fuel-sulfur,sulfur,bilateral,2025-03-01,REF,reference\n"
    "D-1,dehumidifier,leakage_current_op,ilc,2025-04-01,REF,\n"
    "D-1,dehumidifier,power_input,ilc,2025-04-01,REF,\n";

static const char results_head[] =
    "round,lab,measurand,item,value,unit,U,k,method,remarks\n";

typedef struct fx {
    const lims_plugin *p;
    lims_instance *inst;
} fx;

static lims_status import(fx *f, const char *name, const char *text,
                          char *err, size_t errlen)
{
    lims_import_summary s = {sizeof s, 0, 0, 0, 0};
    return tu_engine()->import_csv(f->inst, tu_file(name, text), &s, err, errlen);
}

static int setup(void **state)
{
    static fx f;
    char err[512];

    f.p = tu_plugin("fuel-sulfur");
    f.inst = tu_open(f.p, "import.db");
    if (import(&f, "labs.csv", labs_csv, err, sizeof err) != LIMS_OK ||
        import(&f, "rounds.csv", rounds_csv, err, sizeof err) != LIMS_OK)
        fail_msg("%s", err);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tu_engine()->close(f->inst);
    return 0;
}

static double query_num(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    double v = NAN;

    assert_int_equal(sqlite3_open(tu_db(), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void query_text(const char *sql, char *out, size_t len)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    out[0] = 0;
    assert_int_equal(sqlite3_open(tu_db(), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void percent_mass_is_converted_exactly_and_text_kept(void **state)
{
    fx *f = *state;
    char err[512], text[64];
    char csv[512];

    snprintf(csv, sizeof csv,
             "%sS-1,REF,sulfur,FO-1,0.452,%% m/m,0.012,2,ASTM D4294,\n"
             "S-1,BR,sulfur,FO-1,4483.0,mg/kg,150,,ASTM D4294,\"a, b\"\n",
             results_head);
    assert_int_equal(import(f, "ok.csv", csv, err, sizeof err), LIMS_OK);
    assert_true(query_num("SELECT value FROM result WHERE value_text = "
                          "'0.452'") == 4520.0);
    assert_true(query_num("SELECT U FROM result WHERE value_text = "
                          "'0.452'") == 120.0);
    assert_true(query_num("SELECT k FROM result WHERE value_text = "
                          "'4483.0'") == 2.0);
    query_text("SELECT value_text || '|' || unit_text || '|' || remarks "
               "FROM result WHERE unit_text = 'mg/kg'",
               text, sizeof text);
    assert_string_equal(text, "4483.0|mg/kg|a, b");
}

static void microamps_become_milliamps(void **state)
{
    fx *f = *state;
    char err[512], csv[512];

    snprintf(csv, sizeof csv,
             "%sD-1,L1,leakage_current_op,1,182,µA,12,2,,\n", results_head);
    assert_int_equal(import(f, "ua.csv", csv, err, sizeof err), LIMS_OK);
    assert_true(query_num("SELECT value FROM result WHERE unit_text = "
                          "'µA'") == 0.182);
}

/* Each bad file: the expected position and words, and no change. */
static void refused(fx *f, const char *body, const char *where,
                    const char *words)
{
    char err[512] = "", *before, *after;
    lims_status st;

    before = tu_dump(tu_db());
    st = import(f, "bad.csv", body, err, sizeof err);
    after = tu_dump(tu_db());
    if (st != LIMS_ERR_INPUT || !strstr(err, where) || !strstr(err, words))
        fail_msg("status %d, message \"%s\"; wanted \"%s\" and \"%s\"", st,
                 err, where, words);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void decimal_comma_is_refused_at_its_column(void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit\n"
            "S-1,BR,sulfur,9.5,mg/kg\n"
            "S-1,L1,sulfur,\"9,5\",mg/kg\n",
            "bad.csv:3:15:", "decimal comma");
}

static void unknown_unit_is_refused(void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit\nS-1,BR,sulfur,9.5,ppb\n",
            "bad.csv:2:19:", "unit \"ppb\" is not accepted");
}

static void ambiguous_ppm_is_refused(void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit\nS-1,BR,sulfur,9.5,ppm\n",
            "bad.csv:2:19:", "ambiguous");
}

static void negative_leakage_current_is_refused(void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit\n"
            "D-1,BR,leakage_current_op,-0.2,mA\n",
            "bad.csv:2:27:", "cannot be negative");
}

static void percent_above_100_is_refused(void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit\nS-1,BR,sulfur,120,% m/m\n",
            "bad.csv:2:15:", "outside the plausible range");
}

static void second_result_of_a_lab_is_refused_and_first_rolled_back(
    void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit\n"
            "S-1,L2,sulfur,4400,mg/kg\n"
            "S-1,L2,sulfur,4410,mg/kg\n",
            "bad.csv:3:5:", "already has a result");
}

static void unknown_laboratory_and_round_are_refused(void **state)
{
    refused(*state, "round,lab,measurand,value,unit\nS-1,XX,sulfur,1,mg/kg\n",
            "bad.csv:2:5:", "unknown laboratory \"XX\"");
    refused(*state, "round,lab,measurand,value,unit\nS-9,BR,sulfur,1,mg/kg\n",
            "bad.csv:2:1:", "unknown round \"S-9\"");
}

static void measurand_outside_the_round_is_refused(void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit\n"
            "S-1,BR,leakage_current_op,1,mA\n",
            "bad.csv:2:8:", "round S-1 has no measurand");
}

static void malformed_csv_is_refused_with_position(void **state)
{
    refused(*state, "round,lab,measurand,value,unit\nS-1,BR,sul\"fur,1,mg/kg\n",
            "bad.csv:2:11:", "quote inside an unquoted field");
    refused(*state, "round,lab,measurand,value,unit\nS-1,BR,\"sulfur,1,mg/kg\n",
            "bad.csv:2:8:", "never closed");
    refused(*state, "round,lab,measurand,value,unit\nS-1,BR,sulfur,1\n",
            "bad.csv:2:1:", "row has 4 fields, the header has 5");
    refused(*state, "round,lab,measurand,value,unit\nS-1,BR,sulfur,\xff,mg/kg\n",
            "bad.csv:2:15:", "invalid UTF-8");
    refused(*state, "", "bad.csv:1:1:", "empty file");
}

static void header_problems_are_refused(void **state)
{
    refused(*state, "round,lab,measurand,value\nS-1,BR,sulfur,1\n",
            "bad.csv:1:1:", "required column \"unit\" is missing");
    refused(*state,
            "round,lab,measurand,value,unit,colour\nS-1,BR,sulfur,1,mg/kg,r\n",
            "bad.csv:2:23:",
            "\"colour\" is neither a results column nor a condition");
    refused(*state,
            "lab,name,role,colour\nX,Lab X,branch,red\n", "bad.csv:1:15:",
            "unknown column \"colour\" in a laboratories file");
    refused(*state, "a,b\n1,2\n", "bad.csv:1:1:", "cannot tell");
}

static void numbers_that_are_not_results_are_refused(void **state)
{
    static const char *const bad[] = {"NaN", "inf", "0x10", "1e999", " 1",
                                      "1.2.3", "--1", "1e"};
    char body[256];
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body,
                 "round,lab,measurand,value,unit\nS-1,BR,sulfur,%s,mg/kg\n",
                 bad[i]);
        refused(*state, body, "bad.csv:2:15:", "value");
    }
}

static void rounds_file_checks_its_columns(void **state)
{
    refused(*state,
            "round,scheme,measurand,opened\nX-1,fuel-sulfur,sulfur,2025-02-30\n",
            "bad.csv:2:24:", "not a date");
    refused(*state,
            "round,scheme,measurand,opened\nX-1,no-such,sulfur,2025-02-03\n",
            "bad.csv:2:5:", "no plug-in is loaded for scheme");
    refused(*state,
            "round,scheme,measurand,opened,assigned\n"
            "X-1,fuel-sulfur,sulfur,2025-02-03,fixed\n",
            "bad.csv:2:", "x_pt and u_x_pt are both needed");
    refused(*state,
            "round,scheme,measurand,opened,type\n"
            "X-1,fuel-sulfur,sulfur,2025-02-03,pt\n"
            "X-1,fuel-sulfur,sulfur,2025-02-03,ilc\n",
            "bad.csv:3:35:", "round X-1 was given type");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percent_mass_is_converted_exactly_and_text_kept),
        cmocka_unit_test(microamps_become_milliamps),
        cmocka_unit_test(decimal_comma_is_refused_at_its_column),
        cmocka_unit_test(unknown_unit_is_refused),
        cmocka_unit_test(ambiguous_ppm_is_refused),
        cmocka_unit_test(negative_leakage_current_is_refused),
        cmocka_unit_test(percent_above_100_is_refused),
        cmocka_unit_test(
            second_result_of_a_lab_is_refused_and_first_rolled_back),
        cmocka_unit_test(unknown_laboratory_and_round_are_refused),
        cmocka_unit_test(measurand_outside_the_round_is_refused),
        cmocka_unit_test(malformed_csv_is_refused_with_position),
        cmocka_unit_test(header_problems_are_refused),
        cmocka_unit_test(numbers_that_are_not_results_are_refused),
        cmocka_unit_test(rounds_file_checks_its_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
