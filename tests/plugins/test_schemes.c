/*
 * test_schemes.c -- the two schemes in depth: conditions recorded with a
 * result, conformity with the limit in force (ISO 4259-2 for sulfur, the
 * 60335 limits for leakage current and power input), method-scope and
 * repeatability warnings, sigma_pt from the method's R, the scheme's
 * choice of scoring and its override, and branch versus reference.
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

#include "pt_stats.h"
#include "testutil.h"

typedef struct fx {
    const lims_plugin *p;
    lims_instance *inst;
} fx;

static lims_status import(fx *f, const char *text, char *err, size_t len)
{
    lims_import_summary s = {sizeof s, 0, 0, 0, 0};
    return tu_engine()->import_csv(f->inst, tu_file("s.csv", text), &s, err, len);
}

static void import_ok(fx *f, const char *text)
{
    char err[512];
    if (import(f, text, err, sizeof err) != LIMS_OK)
        fail_msg("%s", err);
}

static void refused(fx *f, const char *text, const char *where,
                    const char *words)
{
    char err[512] = "";
    lims_status st = import(f, text, err, sizeof err);
    if (st != LIMS_ERR_INPUT || !strstr(err, where) || !strstr(err, words))
        fail_msg("status %d: \"%s\"; wanted \"%s\" \"%s\"", st, err, where,
                 words);
}

static lims_status evaluate(fx *f, const char *round, char *err, size_t len)
{
    lims_eval_summary s = {sizeof s, 0, 0, 0};
    return tu_engine()->evaluate_round(f->inst, round, &s, err, len);
}

static int setup(void **state)
{
    static fx f;

    f.p = tu_plugin("fuel-sulfur");
    f.inst = tu_open(f.p, "schemes.db");
    import_ok(&f, "lab,name,role\nBR,Branch,branch\nREF,Oil lab,reference\n"
                  "HQ,HQ lab,reference\nL1,L1,external\nL2,L2,external\n");
    import_ok(&f,
              "round,scheme,measurand,type,opened,reference_lab,assigned,"
              "matrix,sigma_pt_method,estimator,override_reason,sigma_pt\n"
              "S1,fuel-sulfur,sulfur,bilateral,2023-02-01,REF,,diesel,,,,\n"
              "S2,fuel-sulfur,sulfur,bilateral,2023-05-01,REF,,diesel,,,,\n"
              "S3,fuel-sulfur,sulfur,bilateral,2023-08-01,REF,,diesel,,,,\n"
              "SM,fuel-sulfur,sulfur,pt,2023-09-01,,consensus,diesel,"
              "ASTM D5453,,,\n"
              "SQ,fuel-sulfur,sulfur,pt,2023-10-01,,consensus,diesel,,"
              "q-hampel,,1.0\n"
              "SO,fuel-sulfur,sulfur,ilc,2023-11-01,REF,consensus,diesel,,,"
              ",1.0\n"
              "SR,fuel-sulfur,sulfur,ilc,2023-11-15,REF,consensus,diesel,,,"
              "method check before the audit,1.0\n"
              "D1,dehumidifier,leakage_current_op,ilc,2023-03-01,HQ,,,,,,\n"
              "D1,dehumidifier,power_input,ilc,2023-03-01,HQ,,,,,,\n");
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tu_engine()->close(f->inst);
    return 0;
}

/* One text column of the first row of `sql`. */
static void one(const char *sql, char *out, size_t len)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    out[0] = 0;
    assert_int_equal(sqlite3_open(tu_db(), &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static double num(const char *sql)
{
    char t[64];
    one(sql, t, sizeof t);
    return t[0] ? strtod(t, NULL) : NAN;
}

#define CONF(lab, round, col)                                                 \
    "SELECT c." col " FROM conformity c JOIN result r ON r.id = "            \
    "c.result_id JOIN laboratory l ON l.id = r.lab_id JOIN round o ON "      \
    "o.id = r.round_id WHERE l.code = '" lab "' AND o.code = '" round "'"

static void sulfur_conformity_follows_iso_4259_2(void **state)
{
    fx *f = *state;
    double R10 = 0.5797 * pow(10, 0.75);
    char v[256];

    import_ok(f, "round,lab,measurand,value,unit,U,method\n"
                 "S1,REF,sulfur,10.4,mg/kg,1.0,ASTM D5453-19a\n"
                 "S1,BR,sulfur,11.5,mg/kg,1.2,ASTM D5453-19a\n"
                 "S2,REF,sulfur,12.0,mg/kg,1.0,ASTM D5453-19a\n"
                 "S2,BR,sulfur,12.5,mg/kg,1.2,ASTM D5453-19a\n");
    /* 11.5 is above 10 but not above 10 + 0.59 R(10): it conforms, near */
    one(CONF("BR", "S1", "verdict"), v, sizeof v);
    assert_string_equal(v, "conforms");
    assert_true(num(CONF("BR", "S1", "near_limit")) == 1);
    assert_true(fabs(num(CONF("BR", "S1", "threshold")) -
                     (10 + 0.59 * R10)) < 1e-9);
    one(CONF("BR", "S1", "rule"), v, sizeof v);
    assert_non_null(strstr(v, "ISO 4259-2"));
    one(CONF("BR", "S2", "verdict"), v, sizeof v);
    assert_string_equal(v, "does not conform");
}

static void method_scope_and_replicates_are_warned_not_refused(void **state)
{
    fx *f = *state;
    char v[256];

    import_ok(f, "round,lab,measurand,value,unit,U,method,replicates\n"
                 "S3,REF,sulfur,0.0008,% m/m,0.0002,ASTM D4294-21,\n"
                 "S3,BR,sulfur,10.8,mg/kg,1.2,ASTM D5453-19a,9.7;11.9\n");
    one("SELECT message FROM result_warning w JOIN result r ON r.id = "
        "w.result_id WHERE r.value_text = '0.0008'",
        v, sizeof v);
    assert_non_null(strstr(v, "outside the scope of ASTM D4294"));
    one("SELECT message FROM result_warning w JOIN result r ON r.id = "
        "w.result_id WHERE r.value_text = '10.8'",
        v, sizeof v);
    assert_non_null(strstr(v, "more than the repeatability r"));
    one("SELECT value FROM result_condition WHERE name = 'replicates'", v,
        sizeof v);
    assert_string_equal(v, "9.7;11.9");
}

static void leakage_and_power_limits_come_from_the_data(void **state)
{
    fx *f = *state;
    char v[256];

    import_ok(f, "round,lab,measurand,value,unit,U,appliance_class,mounting,"
                 "rated_power,rated_voltage\n"
                 "D1,HQ,leakage_current_op,0.700,mA,0.02,I,portable,250,110\n"
                 "D1,BR,leakage_current_op,812,µA,20,I,portable,250,110\n"
                 "D1,L1,leakage_current_op,0.9,mA,0.03,I,stationary,2000,"
                 "220\n"
                 "D1,HQ,power_input,280.5,W,3,I,portable,250,110\n"
                 "D1,BR,power_input,305,W,3,I,portable,250,110\n");
    one(CONF("BR", "D1", "verdict") " AND r.measurand = "
                                    "'leakage_current_op'",
        v, sizeof v);
    assert_string_equal(v, "does not conform"); /* 0.812 > 0.75 mA */
    assert_true(num(CONF("HQ", "D1", "limit_value") " AND r.measurand = "
                                                    "'leakage_current_op'") ==
                0.75);
    /* stationary class I: 2 mA/kW x 2 kW (60335-2-40 row) */
    assert_true(fabs(num(CONF("L1", "D1", "limit_value")) - 4.0) < 1e-12);
    /* power input: 250 W + 20 % = 300 W */
    assert_true(num(CONF("BR", "D1", "limit_value") " AND r.measurand = "
                                                    "'power_input'") == 300);
    one(CONF("BR", "D1", "verdict") " AND r.measurand = 'power_input'", v,
        sizeof v);
    assert_string_equal(v, "does not conform");
}

static void bad_conditions_are_refused_at_their_cell(void **state)
{
    refused(*state,
            "round,lab,measurand,value,unit,appliance_class\n"
            "D1,L2,leakage_current_op,0.2,mA,IV\n",
            "s.csv:2:33:", "appliance_class \"IV\" is not one of");
    refused(*state,
            "round,lab,measurand,value,unit,rated_voltage\n"
            "D1,L2,leakage_current_op,0.2,mA,5000\n",
            "s.csv:2:33:", "rated_voltage 5000 is outside");
    refused(*state,
            "round,lab,measurand,value,unit,replicates\n"
            "D1,L2,leakage_current_op,0.2,mA,1;2\n",
            "s.csv:2:33:", "nor a condition of scheme dehumidifier");
}

static void rounds_refuse_unknown_matrix_and_method(void **state)
{
    refused(*state,
            "round,scheme,measurand,opened,matrix\n"
            "X1,fuel-sulfur,sulfur,2023-01-01,kerosene\n",
            "s.csv:2:34:", "matrix \"kerosene\" is not");
    refused(*state,
            "round,scheme,measurand,opened,assigned,sigma_pt_method\n"
            "X1,fuel-sulfur,sulfur,2023-01-01,consensus,ISO 20846\n",
            "s.csv:2:44:", "has no reproducibility data");
}

static void sigma_pt_from_the_method_r_at_x_pt(void **state)
{
    fx *f = *state;
    char err[512];
    double xpt;

    import_ok(f, "round,lab,measurand,value,unit\n"
                 "SM,BR,sulfur,8.1,mg/kg\nSM,REF,sulfur,8.4,mg/kg\n"
                 "SM,L1,sulfur,7.9,mg/kg\nSM,L2,sulfur,8.3,mg/kg\n"
                 "SM,HQ,sulfur,8.2,mg/kg\n");
    if (evaluate(f, "SM", err, sizeof err) != LIMS_OK)
        fail_msg("%s", err);
    xpt = num("SELECT x_pt FROM evaluation e JOIN round r ON r.id = "
              "e.round_id WHERE r.code = 'SM'");
    assert_true(fabs(num("SELECT sigma_pt FROM evaluation e JOIN round r "
                         "ON r.id = e.round_id WHERE r.code = 'SM'") -
                     0.5797 * pow(xpt, 0.75) / 2.77) < 1e-12);
}

static void q_hampel_consensus_when_asked(void **state)
{
    fx *f = *state;
    static const double v[5] = {8.0, 8.6, 7.7, 8.3, 12.9};
    double work[PT_STATS_QMETHOD_WORK(5)];
    size_t iwork[PT_STATS_QMETHOD_IWORK(5, 5)], counts[5] = {1, 1, 1, 1, 1};
    pt_qhampel_result q;
    char err[512];

    import_ok(f, "round,lab,measurand,value,unit\n"
                 "SQ,BR,sulfur,8.0,mg/kg\nSQ,REF,sulfur,8.6,mg/kg\n"
                 "SQ,L1,sulfur,7.7,mg/kg\nSQ,L2,sulfur,8.3,mg/kg\n"
                 "SQ,HQ,sulfur,12.9,mg/kg\n");
    if (evaluate(f, "SQ", err, sizeof err) != LIMS_OK)
        fail_msg("%s", err);
    assert_int_equal(pt_stats_qhampel(v, counts, 5, work, iwork, &q),
                     PT_STATS_OK);
    assert_true(num("SELECT x_pt FROM evaluation e JOIN round r ON r.id = "
                    "e.round_id WHERE r.code = 'SQ'") == q.x);
}

static void overriding_the_scheme_needs_a_reason(void **state)
{
    fx *f = *state;
    char err[512] = "", v[384];
#define THREE(r)                                                              \
    "round,lab,measurand,value,unit,U\n" r ",BR,sulfur,8.0,mg/kg,1\n" r      \
    ",REF,sulfur,8.6,mg/kg,1\n" r ",L1,sulfur,7.7,mg/kg,1\n"

    import_ok(f, THREE("SO"));
    import_ok(f, THREE("SR"));
    assert_int_equal(evaluate(f, "SO", err, sizeof err), LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "overrides the scheme's choice (reference"));
    assert_non_null(strstr(err, "override_reason"));
    if (evaluate(f, "SR", err, sizeof err) != LIMS_OK)
        fail_msg("%s", err);
    one("SELECT choice FROM evaluation e JOIN round r ON r.id = e.round_id "
        "WHERE r.code = 'SR'",
        v, sizeof v);
    assert_non_null(strstr(v, "method check before the audit"));
}

static void en_without_u_is_refused(void **state)
{
    fx *f = *state;
    char err[512] = "";

    import_ok(f, "round,scheme,measurand,type,opened,reference_lab\n"
                 "SU,fuel-sulfur,sulfur,bilateral,2023-12-01,REF\n");
    import_ok(f, "round,lab,measurand,value,unit,U\n"
                 "SU,REF,sulfur,9.0,mg/kg,1.0\nSU,BR,sulfur,9.4,mg/kg,\n");
    assert_int_equal(evaluate(f, "SU", err, sizeof err), LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "laboratory BR reported no U: En needs it"));
}

typedef struct rows {
    int n;
    double en[8], limit[8], en_mean[8];
    int run[8];
    char verdict[8][16];
    char round[8][16];
} rows;

static int collect(void *ctx, const lims_compare_row *r)
{
    rows *o = ctx;
    if (o->n < 8) {
        o->en[o->n] = r->En;
        o->limit[o->n] = r->limit;
        o->en_mean[o->n] = r->en_mean;
        o->run[o->n] = r->same_sign_run;
        snprintf(o->verdict[o->n], sizeof o->verdict[0], "%s", r->verdict);
        snprintf(o->round[o->n], sizeof o->round[0], "%s", r->round);
    }
    o->n++;
    return 0;
}

static void compare_lists_rounds_with_limit_en_and_trend(void **state)
{
    fx *f = *state;
    rows o;
    char err[256];
    double en1 = (11.5 - 10.4) / sqrt(1.2 * 1.2 + 1.0);
    double en2 = (12.5 - 12.0) / sqrt(1.2 * 1.2 + 1.0);
    int k;

    memset(&o, 0, sizeof o);
    assert_int_equal(tu_engine()->compare(f->inst, "BR", "REF", "sulfur", 4,
                                   collect, &o, err, sizeof err),
                     LIMS_OK);
    assert_true(o.n >= 3 && o.n <= 8);
    /* SU (no matrix, no method) is a series of its own, listed before
     * the diesel series by UV fluorescence that S1 begins */
    for (k = 0; k < o.n && strcmp(o.round[k], "S1") != 0; k++)
        ;
    assert_true(k > 0 && k + 1 < o.n);
    assert_string_equal(o.round[0], "SU");
    assert_string_equal(o.round[k + 1], "S2");
    assert_true(fabs(o.en[k] - en1) < 1e-12);
    assert_true(fabs(o.en[k + 1] - en2) < 1e-12);
    assert_true(fabs(o.limit[k] - 0.5797 * pow((11.5 + 10.4) / 2, 0.75)) <
                1e-9);
    assert_true(fabs(o.en_mean[k] - en1) < 1e-12);
    assert_true(fabs(o.en_mean[k + 1] - (en1 + en2) / 2) < 1e-12);
    assert_int_equal(o.run[k], 1);
    assert_int_equal(o.run[k + 1], 2);
    assert_string_equal(o.verdict[k], "agree");
    assert_int_equal(tu_engine()->compare(f->inst, "BR", "NOBODY", NULL, 0, collect,
                                   &o, err, sizeof err),
                     LIMS_ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sulfur_conformity_follows_iso_4259_2),
        cmocka_unit_test(method_scope_and_replicates_are_warned_not_refused),
        cmocka_unit_test(leakage_and_power_limits_come_from_the_data),
        cmocka_unit_test(bad_conditions_are_refused_at_their_cell),
        cmocka_unit_test(rounds_refuse_unknown_matrix_and_method),
        cmocka_unit_test(sigma_pt_from_the_method_r_at_x_pt),
        cmocka_unit_test(q_hampel_consensus_when_asked),
        cmocka_unit_test(overriding_the_scheme_needs_a_reason),
        cmocka_unit_test(en_without_u_is_refused),
        cmocka_unit_test(compare_lists_rounds_with_limit_en_and_trend),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
