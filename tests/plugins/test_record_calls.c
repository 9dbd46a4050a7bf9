/*
 * test_record_calls.c -- a LIMS records laboratories, rounds and results
 * through structured calls, without writing a file: the record is the one
 * the same rows imported from CSV give, and a refusal names the call and
 * the field and writes nothing.
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

/* What the record holds, without provenance (source) and audit times. */
static char *picture(const char *db_path)
{
    static const char sql[] =
        "SELECT group_concat(line, char(10)) FROM (SELECT l.code || '|' || "
        "l.name || '|' || l.role || '|' || coalesce(l.accreditation, '') AS "
        "line FROM laboratory l UNION ALL SELECT o.code || '|' || o.type || "
        "'|' || o.opened || '|' || m.measurand || '|' || coalesce(m.matrix, "
        "'') || '|' || coalesce(o.report_no, '') || '|' || "
        "coalesce(o.report_date, '') FROM round o JOIN round_measurand m ON "
        "m.round_id = o.id UNION ALL SELECT 'official|' || f.measurand || "
        "'|' || f.item || '|' || coalesce(f.x_pt, '') || '|' || "
        "coalesce(f.u_x_pt, '') || '|' || coalesce(f.sigma_pt, '') FROM "
        "round_official f UNION "
        "ALL SELECT l.code || '|' || r.item || '|' || r.value_text || '|' || "
        "r.unit_text || '|' || r.value || '|' || coalesce(r.U_text, '') || "
        "'|' || coalesce(r.k, '') || '|' || coalesce(r.method, '') || '|' || "
        "c.verdict || '|' || coalesce(c.limit_value, '') || '|' || "
        "coalesce(r.official_kind || '=' || r.official_score, '') || '|' || "
        "(SELECT "
        "group_concat(name || '=' || value) FROM result_condition WHERE "
        "result_id = r.id) FROM result r JOIN laboratory l ON l.id = "
        "r.lab_id JOIN conformity c ON c.result_id = r.id ORDER BY 1)";
    sqlite3 *db;
    sqlite3_stmt *q;
    char *out;

    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY,
                                     NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    out = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_non_null(out);
    return out;
}

static void calls_record_what_the_same_csv_rows_record(void **state)
{
    const lims_engine *e = tu_engine();
    const lims_plugin *p = tu_plugin("dehumidifier");
    static const lims_condition_value cond[] = {
        {"appliance_class", "I"}, {"mounting", "stationary"}};
    lims_instance *inst;
    lims_laboratory lab;
    lims_round round;
    lims_result res;
    lims_import_summary s = {sizeof s, 0, 0, 0, 0};
    char err[512], *by_calls, *by_csv;

    (void)state;
    inst = tu_open(p, "calls.db");
    memset(&lab, 0, sizeof lab);
    lab.size = sizeof lab;
    lab.code = "BR";
    lab.name = "Branch";
    lab.role = "branch";
    lab.accreditation = "3456";
    assert_int_equal(e->laboratory_add(inst, &lab, err, sizeof err), LIMS_OK);
    lab.code = "REF";
    lab.name = "Reference";
    lab.role = "reference";
    lab.accreditation = NULL;
    assert_int_equal(e->laboratory_add(inst, &lab, err, sizeof err), LIMS_OK);
    memset(&round, 0, sizeof round);
    round.size = sizeof round;
    round.code = "DH-1";
    round.scheme = "dehumidifier";
    round.measurand = "leakage_current_op";
    round.type = "bilateral";
    round.opened = "2025-03-01";
    round.reference_lab = "REF";
    round.report_no = "R-7";
    round.report_date = "2025-06-01";
    round.official_x_pt = "0.260";
    if (e->round_add(inst, &round, err, sizeof err) != LIMS_OK)
        fail_msg("round_add: %s", err);
    memset(&res, 0, sizeof res);
    res.size = sizeof res;
    res.round = "DH-1";
    res.lab = "BR";
    res.measurand = "leakage_current_op";
    res.value = "250";
    res.unit = "µA";
    res.U = "20";
    res.method = "CNS 60335-1";
    res.conditions = cond;
    res.n_conditions = 2;
    res.official_score = "-0.45";
    res.official_kind = "En";
    if (e->result_add(inst, &res, err, sizeof err) != LIMS_OK)
        fail_msg("result_add: %s", err);
    res.official_score = res.official_kind = NULL;
    res.lab = "REF";
    res.value = "0.26";
    res.unit = "mA";
    res.U = "0.01";
    res.k = "2";
    assert_int_equal(e->result_add(inst, &res, err, sizeof err), LIMS_OK);
    e->close(inst);
    by_calls = picture(tu_db());

    inst = tu_open(p, "csv.db");
    assert_int_equal(
        e->import_csv(inst,
                      tu_file("labs.csv", "lab,name,role,accreditation\n"
                                          "BR,Branch,branch,3456\n"
                                          "REF,Reference,reference,\n"),
                      &s, err, sizeof err),
        LIMS_OK);
    assert_int_equal(
        e->import_csv(inst,
                      tu_file("rounds.csv",
                              "round,scheme,measurand,type,opened,"
                              "reference_lab,report_no,report_date,"
                              "official_x_pt\nDH-1,dehumidifier,"
                              "leakage_current_op,bilateral,2025-03-01,REF,"
                              "R-7,2025-06-01,0.260\n"),
                      &s, err, sizeof err),
        LIMS_OK);
    if (e->import_csv(inst,
                      tu_file("results.csv",
                              "round,lab,measurand,value,unit,U,k,method,"
                              "appliance_class,mounting,official_score,"
                              "official_kind\n"
                              "DH-1,BR,leakage_current_op,250,µA,20,,"
                              "CNS 60335-1,I,stationary,-0.45,En\n"
                              "DH-1,REF,leakage_current_op,0.26,mA,0.01,2,"
                              "CNS 60335-1,I,stationary,,\n"),
                      &s, err, sizeof err) != LIMS_OK)
        fail_msg("import: %s", err);
    e->close(inst);
    by_csv = picture(tu_db());
    assert_string_equal(by_calls, by_csv);
    /* the conversion and the limit were made: 250 µA is 0.25 mA */
    assert_non_null(strstr(by_calls, "BR|1|250|µA|0.25|20|2.0|CNS 60335-1|"));
    /* the provider's report, kept as text as given */
    assert_non_null(strstr(by_calls, "|R-7|2025-06-01"));
    assert_non_null(strstr(by_calls, "official|leakage_current_op||0.260||"));
    assert_non_null(strstr(by_calls, "|En=-0.45|"));
    free(by_calls);
    free(by_csv);
}

static void a_refused_call_names_the_field_and_writes_nothing(void **state)
{
    const lims_engine *e = tu_engine();
    lims_instance *inst = tu_open(tu_plugin("fuel-sulfur"), "refused.db");
    lims_laboratory lab;
    lims_round round;
    lims_result res;
    char err[512], *before, *after;

    (void)state;
    memset(&lab, 0, sizeof lab);
    lab.size = sizeof lab;
    lab.code = "BR";
    lab.name = "Branch";
    lab.role = "branch";
    assert_int_equal(e->laboratory_add(inst, &lab, err, sizeof err), LIMS_OK);
    lab.role = "owner";
    assert_int_equal(e->laboratory_add(inst, &lab, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "laboratory_add: role: "));
    memset(&round, 0, sizeof round);
    round.size = sizeof round;
    round.code = "S-1";
    round.scheme = "fuel-sulfur";
    round.measurand = "sulfur";
    round.opened = "2025-13-01";
    assert_int_equal(e->round_add(inst, &round, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "round_add: opened: "));
    round.opened = "2025-03-01";
    assert_int_equal(e->round_add(inst, &round, err, sizeof err), LIMS_OK);
    before = tu_dump(tu_db());
    memset(&res, 0, sizeof res);
    res.size = sizeof res;
    res.round = "S-1";
    res.lab = "BR";
    res.measurand = "sulfur";
    res.value = "9.8";
    res.unit = "mg/kg";
    res.U = "-1";
    assert_int_equal(e->result_add(inst, &res, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_string_equal(err, "result_add: U: U must be positive");
    res.U = NULL;
    res.unit = "ppm";
    assert_int_equal(e->result_add(inst, &res, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "result_add: unit: "));
    res.unit = "mg/kg";
    res.lab = "XX";
    assert_int_equal(e->result_add(inst, &res, err, sizeof err),
                     LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "result_add: lab: unknown laboratory"));
    after = tu_dump(tu_db());
    assert_string_equal(before, after);
    free(before);
    free(after);
    e->close(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calls_record_what_the_same_csv_rows_record),
        cmocka_unit_test(a_refused_call_names_the_field_and_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
