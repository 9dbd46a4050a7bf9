/*
 * test_evaluate.c -- round evaluation through the plug-in ABI: the
 * assigned value each rule gives, the scores stored, the choice of the
 * verdict's score, and the refusals for groups too small to score.
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

static const char labs_csv[] =
    "lab,name,role\nBR,Branch,branch\nREF,Reference,reference\n"
    "L01,L01,external\nL02,L02,external\nL03,L03,external\n"
    "L04,L04,external\nL05,L05,external\nL06,L06,external\n"
    "L07,L07,external\nL08,L08,external\nL09,L09,external\n"
    "L10,L10,external\n";

static const char rounds_csv[] =
    "round,scheme,measurand,type,opened,reference_lab,assigned,sigma_pt\n"
    "BIL,fuel-sulfur,sulfur,bilateral,2025-03-01,REF,,\n"
    "PT,fuel-sulfur,sulfur,pt,2025-05-01,,consensus,1.0\n"
    "PTNOSIG,fuel-sulfur,sulfur,pt,2025-06-01,,consensus,\n"
    "SMALL,fuel-sulfur,sulfur,ilc,2025-07-01,,,\n";

/* 12 results around 8.2 mg/kg with one gross outlier */
static const double pt_values[12] = {8.1, 8.4, 7.9, 8.3, 8.6, 8.0,
                                     8.2, 14.9, 7.7, 8.5, 8.25, 10.6};
static const char *const pt_labs[12] = {"REF", "L01", "L02", "L03",
                                        "L04", "L05", "L06", "L07",
                                        "L08", "L09", "L10", "BR"};

typedef struct fx {
    const lims_plugin *p;
    lims_instance *inst;
} fx;

static lims_status import(fx *f, const char *name, const char *text)
{
    char err[512];
    lims_import_summary s = {sizeof s, 0, 0, 0, 0};
    lims_status st =
        tu_engine()->import_csv(f->inst, tu_file(name, text), &s, err, sizeof err);
    if (st != LIMS_OK)
        fail_msg("%s", err);
    return st;
}

static int setup(void **state)
{
    static fx f;
    char csv[4096];
    size_t i, n;

    f.p = tu_plugin("fuel-sulfur");
    f.inst = tu_open(f.p, "evaluate.db");
    import(&f, "labs.csv", labs_csv);
    import(&f, "rounds.csv", rounds_csv);
    import(&f, "bil.csv",
           "round,lab,measurand,item,value,unit,U,k\n"
           "BIL,REF,sulfur,FO-1,0.452,% m/m,0.012,2\n"
           "BIL,BR,sulfur,FO-1,4483,mg/kg,150,2\n"
           "SMALL,BR,sulfur,1,9.8,mg/kg,1.2,2\n"
           "SMALL,L01,sulfur,1,9.1,mg/kg,1.0,2\n"
           "SMALL,L02,sulfur,1,9.4,mg/kg,1.0,2\n");
    n = (size_t)snprintf(csv, sizeof csv, "round,lab,measurand,value,unit\n");
    for (i = 0; i < 12; i++) {
        n += (size_t)snprintf(csv + n, sizeof csv - n, "PT,%s,sulfur,%g,mg/kg\n",
                              pt_labs[i], pt_values[i]);
        if (i < 6)
            n += (size_t)snprintf(csv + n, sizeof csv - n,
                                  "PTNOSIG,%s,sulfur,%g,mg/kg\n", pt_labs[i],
                                  pt_values[i]);
    }
    import(&f, "pt.csv", csv);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tu_engine()->close(f->inst);
    return 0;
}

typedef struct found {
    const char *round, *lab;
    lims_score_row row;
    char primary[8], verdict[24], assigned[16];
    int n;
} found;

static int find_lab(void *ctx, const lims_score_row *r)
{
    found *f = ctx;
    if (strcmp(r->round, f->round) == 0 && strcmp(r->lab, f->lab) == 0) {
        f->row = *r;
        snprintf(f->primary, sizeof f->primary, "%s", r->primary);
        snprintf(f->verdict, sizeof f->verdict, "%s", r->verdict);
        snprintf(f->assigned, sizeof f->assigned, "%s", r->assigned);
        f->n++;
    }
    return 0;
}

static found score_of(fx *f, const char *round, const char *lab)
{
    found out;
    char err[256];

    memset(&out, 0, sizeof out);
    out.round = round;
    out.lab = lab;
    assert_int_equal(tu_engine()->scores(f->inst, lab, find_lab, &out, err,
                                  sizeof err),
                     LIMS_OK);
    return out;
}

static void evaluate_ok(fx *f, const char *round)
{
    char err[512];
    lims_eval_summary s = {sizeof s, 0, 0, 0};
    if (tu_engine()->evaluate_round(f->inst, round, &s, err, sizeof err) != LIMS_OK)
        fail_msg("evaluate %s: %s", round, err);
}

static void bilateral_is_scored_by_en_against_the_reference(void **state)
{
    fx *f = *state;
    found s;
    double en = (4483.0 - 4520.0) / sqrt(150.0 * 150.0 + 120.0 * 120.0);
    double zeta = (4483.0 - 4520.0) / sqrt(75.0 * 75.0 + 60.0 * 60.0);

    evaluate_ok(f, "BIL");
    s = score_of(f, "BIL", "BR");
    assert_int_equal(s.n, 1);
    assert_string_equal(s.assigned, "reference");
    assert_true(s.row.x_pt == 4520.0);
    assert_true(fabs(s.row.En - en) <= 1e-15 * fabs(en));
    assert_true(fabs(s.row.zeta - zeta) <= 1e-15 * fabs(zeta));
    assert_true(isnan(s.row.z)); /* no sigma_pt: no z */
    assert_string_equal(s.primary, "En");
    assert_string_equal(s.verdict, "satisfactory");
    s = score_of(f, "BIL", "REF");
    assert_string_equal(s.verdict, "not scored");
}

static void consensus_uses_algorithm_a_and_the_given_sigma(void **state)
{
    fx *f = *state;
    double work[12];
    pt_alga_result a;
    found s;

    assert_int_equal(pt_stats_alga(pt_values, 12, NULL, work, &a),
                     PT_STATS_OK);
    evaluate_ok(f, "PT");
    s = score_of(f, "PT", "L07");
    assert_string_equal(s.assigned, "consensus");
    assert_true(s.row.x_pt == a.x);
    assert_true(s.row.u_x_pt == a.u_x);
    assert_true(s.row.sigma_pt == 1.0);
    assert_true(fabs(s.row.z - (14.9 - a.x)) < 1e-12);
    /* u(x_pt) < 0.3 sigma_pt: plain z carries the verdict */
    assert_true(a.u_x < 0.3);
    assert_string_equal(s.primary, "z");
    assert_string_equal(s.verdict, "unsatisfactory");
    s = score_of(f, "PT", "BR");
    assert_string_equal(s.verdict, "questionable"); /* z about 2.4 */
}

static void sigma_from_a_small_round_is_refused_with_the_reason(void **state)
{
    fx *f = *state;
    char err[512] = "";
    lims_eval_summary s = {sizeof s, 0, 0, 0};

    assert_int_equal(
        tu_engine()->evaluate_round(f->inst, "PTNOSIG", &s, err, sizeof err),
        LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "too few to take sigma_pt from the round"));
    assert_non_null(strstr(err, "(n-1)/sqrt(n)"));
}

static void small_round_without_reference_is_refused(void **state)
{
    fx *f = *state;
    char err[512] = "";
    lims_eval_summary s = {sizeof s, 0, 0, 0};

    assert_int_equal(
        tu_engine()->evaluate_round(f->inst, "SMALL", &s, err, sizeof err),
        LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "too few results for a consensus"));
}

static void reevaluation_replaces_the_earlier_one(void **state)
{
    fx *f = *state;
    sqlite3 *db;
    sqlite3_stmt *st;

    evaluate_ok(f, "BIL");
    evaluate_ok(f, "BIL");
    assert_int_equal(sqlite3_open(tu_db(), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM evaluation e "
                                        "JOIN round r ON r.id = e.round_id "
                                        "WHERE r.code = 'BIL'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void unknown_round_is_a_user_error(void **state)
{
    fx *f = *state;
    char err[256] = "";
    lims_eval_summary s = {sizeof s, 0, 0, 0};
    assert_int_equal(tu_engine()->evaluate_round(f->inst, "NOPE", &s, err,
                                          sizeof err),
                     LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "unknown round \"NOPE\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bilateral_is_scored_by_en_against_the_reference),
        cmocka_unit_test(consensus_uses_algorithm_a_and_the_given_sigma),
        cmocka_unit_test(sigma_from_a_small_round_is_refused_with_the_reason),
        cmocka_unit_test(small_round_without_reference_is_refused),
        cmocka_unit_test(reevaluation_replaces_the_earlier_one),
        cmocka_unit_test(unknown_round_is_a_user_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
