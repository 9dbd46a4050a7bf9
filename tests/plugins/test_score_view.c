/*
 * test_score_view.c -- the scores SQL computes when they are read (the
 * view `score`, schema 005) against the statistics library.
 *
 * Every fixture round is evaluated through the plug-in ABI; evaluation
 * counts its scores and signals in C (stats/ scores and classification).
 * The view must give the same number of scores and of signals, and every
 * D, z, z', zeta and En must equal what pt_stats computes from the same
 * result and evaluation row, to a few units in the last place (the view
 * takes sqrt(a^2 + b^2) where stats/ takes hypot).
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
#include "pt_sqlfn.h"
#include "testutil.h"

static const char *const files[] = {
    "fixtures/laboratories.csv",          "fixtures/rounds.csv",
    "fixtures/rounds-history.csv",        "fixtures/results-s-history.csv",
    "fixtures/results-s-2025-bilateral.csv",
    "fixtures/results-s-2025-bilateral-2.csv",
    "fixtures/results-s-2025-pt.csv",     "fixtures/results-dh-2024-1.csv",
    "fixtures/results-dh-2025-1.csv"};

static double num(sqlite3_stmt *q, int i)
{
    return sqlite3_column_type(q, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(q, i);
}

/* a and b agree: both missing, or within 4 units in the last place */
static void agree(const char *what, long long id, double view, double c)
{
    if (isnan(view) && isnan(c))
        return;
    if (isnan(view) || isnan(c) ||
        fabs(view - c) > 4 * 0x1p-52 * fmax(fabs(view), fabs(c)))
        fail_msg("result %lld: %s is %.17g in the view, %.17g by stats/",
                 id, what, view, c);
}

static void the_view_agrees_with_the_statistics_library(void **state)
{
    const lims_plugin *p = tu_plugin("fuel-sulfur");
    lims_instance *inst = tu_open(p, "view.db");
    lims_eval_summary sum = {sizeof sum, 0, 0, 0};
    char err[512];
    sqlite3 *db;
    sqlite3_stmt *q;
    size_t i;
    long long rows = 0, signals = 0;

    (void)state;
    assert_non_null(inst);
    for (i = 0; i < sizeof files / sizeof files[0]; i++)
        if (tu_engine()->import_csv(inst, files[i], NULL, err, sizeof err) != LIMS_OK)
            fail_msg("%s", err);
    if (tu_engine()->evaluate_round(inst, NULL, &sum, err, sizeof err) != LIMS_OK)
        fail_msg("%s", err);
    tu_engine()->close(inst);
    if (sum.scores < 60)
        fail_msg("only %lu scores", sum.scores);
    assert_true(sum.signals > 0);

    assert_int_equal(sqlite3_open(tu_db(), &db), SQLITE_OK);
    assert_int_equal(pt_sqlfn_register(db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT s.result_id, r.value, r.U, r.k, e.x_pt, e.u_x_pt, "
            "e.x_pt_U, e.sigma_pt, s.D, s.z, s.z_prime, s.zeta, s.En, "
            "s.verdict FROM score s JOIN result r ON r.id = s.result_id "
            "JOIN evaluation e ON e.id = s.evaluation_id",
            -1, &q, NULL),
        SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(q, 0);
        double x = num(q, 1), U = num(q, 2), k = num(q, 3), xpt = num(q, 4),
               u = num(q, 5), Upt = num(q, 6), sigma = num(q, 7), v;
        const char *verdict = (const char *)sqlite3_column_text(q, 13);

        rows++;
        agree("D", id, num(q, 8),
              pt_stats_d(x, xpt, &v) == PT_STATS_OK ? v : NAN);
        agree("z", id, num(q, 9),
              pt_stats_z(x, xpt, sigma, &v) == PT_STATS_OK ? v : NAN);
        agree("z'", id, num(q, 10),
              pt_stats_z_prime(x, xpt, u, sigma, &v) == PT_STATS_OK ? v
                                                                    : NAN);
        agree("zeta", id, num(q, 11),
              pt_stats_zeta(x, U / k, xpt, u, &v) == PT_STATS_OK ? v : NAN);
        agree("En", id, num(q, 12),
              pt_stats_en(x, U, xpt, Upt, &v) == PT_STATS_OK ? v : NAN);
        if (strcmp(verdict, "questionable") == 0 ||
            strcmp(verdict, "unsatisfactory") == 0)
            signals++;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_int_equal(rows, (long long)sum.scores);
    assert_int_equal(signals, (long long)sum.signals);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_view_agrees_with_the_statistics_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
