/*
 * test_precision.c -- one level of an ISO 5725-2 precision experiment
 * (stats/precision.c).
 *
 * No worked example of ISO 5725-2 Annex B could be found transcribed in
 * the sources available, so the values here are computed by hand from the
 * formulas of ISO 5725-2 7.4.4 (shown in the comments), plus the identities
 * that Mandel's statistics satisfy (sum h = 0, sum h^2 = p - 1 and
 * sum k^2 = p).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

/* 4 laboratories in duplicate: cells (10, 12) (11, 11) (13, 15) (9, 9).
 * Cell means 11, 11, 14, 9; variances 2, 0, 2, 0 -> s_r^2 = 1.
 * General mean 11.25; s_d^2 = 2 (0.0625 + 0.0625 + 7.5625 + 5.0625) / 3
 * = 8.5; n_bar = (8 - 16/8)/3 = 2; s_L^2 = (8.5 - 1)/2 = 3.75;
 * s_R^2 = 4.75. */
static void balanced_duplicates_by_hand(void **state)
{
    const double y[] = {10, 12, 11, 11, 13, 15, 9, 9};
    const size_t cnt[] = {2, 2, 2, 2};
    pt_prec_lab labs[4];
    pt_prec_result r;
    double w[8], sh = 0, sh2 = 0, sk2 = 0;
    size_t i;

    (void)state;
    assert_status(pt_stats_precision(y, cnt, 4, w, labs, &r), PT_STATS_OK);
    assert_close(r.mean, 11.25, 1e-14);
    assert_close(r.s_r, 1.0, 1e-14);
    assert_close(r.s_L, sqrt(3.75), 1e-14);
    assert_close(r.s_R, sqrt(4.75), 1e-14);
    assert_close(r.r, 2.8, 1e-14);
    assert_close(r.R, 2.8 * sqrt(4.75), 1e-13);
    assert_int_equal(r.n_mode, 2);
    for (i = 0; i < 4; i++) {
        sh += labs[i].h;
        sh2 += labs[i].h * labs[i].h;
        sk2 += labs[i].k * labs[i].k;
    }
    assert_close(sh, 0.0, 1e-14);
    assert_close(sh2, 3.0, 1e-13);
    assert_close(sk2, 4.0, 1e-13);
    /* k of lab 1: sqrt(2) sqrt(4 / 4) */
    assert_close(labs[0].k, sqrt(2.0), 1e-14);
    /* Cochran: 2 / 4, labs 1 and 3 tie, the first is named */
    assert_close(r.cochran_C, 0.5, 1e-15);
    assert_int_equal(r.cochran_lab, 0);
    /* Grubbs on the means 11 11 14 9: mean 11.25, SD sqrt(12.75/3) */
    assert_close(r.grubbs_max, 2.75 / sqrt(12.75 / 3.0), 1e-14);
    assert_close(r.grubbs_min, 2.25 / sqrt(12.75 / 3.0), 1e-14);
    /* critical values are the functions' own */
    {
        double v;
        pt_stats_mandel_h_crit(4, 0.01, &v);
        assert_true(v == r.h_crit_1);
        pt_stats_mandel_k_crit(4, 2, 0.05, &v);
        assert_true(v == r.k_crit_5);
        pt_stats_cochran_crit(4, 2, 0.01, &v);
        assert_true(v == r.cochran_crit_1);
        pt_stats_grubbs2_crit(4, 0.05, &v);
        assert_true(v == r.grubbs2_crit_5);
    }
}

/* Unequal replicates: cells (1, 2, 3) and (5, 5) and (2, 4, 6, 8).
 * s_r^2 = (2 x 1 + 1 x 0 + 3 x 20/3) / (2 + 1 + 3) = 22/6;
 * N = 9, y = (6 + 10 + 20)/9 = 4; s_d^2 = (3 x 4 + 2 x 1 + 4 x 1)/2 = 9;
 * n_bar = (9 - 29/9)/2 = 26/9; s_L^2 = (9 - 22/6) 9/26. */
static void unequal_replicates_follow_7_4_4(void **state)
{
    const double y[] = {1, 2, 3, 5, 5, 2, 4, 6, 8};
    const size_t cnt[] = {3, 2, 4};
    pt_prec_lab labs[3];
    pt_prec_result r;
    double w[6];

    (void)state;
    assert_status(pt_stats_precision(y, cnt, 3, w, labs, &r), PT_STATS_OK);
    assert_close(r.mean, 4.0, 1e-14);
    assert_close(r.s_r * r.s_r, 22.0 / 6.0, 1e-13);
    assert_close(r.s_L * r.s_L, (9.0 - 22.0 / 6.0) * 9.0 / 26.0, 1e-13);
    assert_true(isnan(r.grubbs2_max)); /* p < 4 */
    assert_true(isnan(r.grubbs2_crit_5));
    assert_int_equal(labs[2].n, 4);
    assert_close(labs[2].sd, sqrt(20.0 / 3.0), 1e-14);
}

/* s_L is 0, not imaginary, when the cell means scatter less than the
 * repeatability predicts. */
static void between_lab_variance_is_clamped_at_zero(void **state)
{
    const double y[] = {1, 3, 1, 3, 1, 3};
    const size_t cnt[] = {2, 2, 2};
    pt_prec_lab labs[3];
    pt_prec_result r;
    double w[6];

    (void)state;
    assert_status(pt_stats_precision(y, cnt, 3, w, labs, &r), PT_STATS_OK);
    assert_true(r.s_L == 0.0);
    assert_close(r.s_R, r.s_r, 1e-15);
    assert_true(isnan(labs[0].h)); /* equal means: no spread for h */
}

static void precision_refuses_bad_input(void **state)
{
    const double y[] = {1, 2, 3, 4, 5, 6};
    const size_t cnt[] = {2, 2, 2}, one[] = {2, 1, 3};
    pt_prec_lab labs[3];
    pt_prec_result r;
    double w[6], bad[6] = {1, 2, NAN, 4, 5, 6};

    (void)state;
    r.p = 42;
    assert_status(pt_stats_precision(y, cnt, 0, w, labs, &r), PT_STATS_EMPTY);
    assert_status(pt_stats_precision(y, cnt, 2, w, labs, &r),
                  PT_STATS_TOO_FEW);
    assert_status(pt_stats_precision(y, one, 3, w, labs, &r),
                  PT_STATS_TOO_FEW);
    assert_status(pt_stats_precision(NULL, cnt, 3, w, labs, &r),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_precision(y, cnt, 3, NULL, labs, &r),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_precision(bad, cnt, 3, w, labs, &r),
                  PT_STATS_NONFINITE);
    assert_int_equal(r.p, 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(balanced_duplicates_by_hand),
        cmocka_unit_test(unequal_replicates_follow_7_4_4),
        cmocka_unit_test(between_lab_variance_is_clamped_at_zero),
        cmocka_unit_test(precision_refuses_bad_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
