/*
 * test_homogeneity.c -- the homogeneity and stability checks of ISO 13528
 * Annex B (stats/homogeneity.c, stats/stability.c).
 *
 * Evidence: ISO 13528:2022 E.2 (arsenic in chocolate: 10 items in
 * duplicate, then 2 items in duplicate after storage; printed mean
 * 0.18715, s_x 0.00398, s_w 0.00556, s_s 0.00060, sigma_pt = 0.15 x mean
 * = 0.02807, 0.3 sigma_pt = 0.00842, stability mean 0.19375, difference
 * 0.00660) and Table B.1 (F1, F2 for g = 7 .. 20), as transcribed in
 * kanunimurat/pt13528 tests/annex_e_data.py and tests/printed_values.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

static const double e2_homog[20] = {
    0.185, 0.194, 0.187, 0.189, 0.182, 0.186, 0.188, 0.196, 0.191, 0.181,
    0.188, 0.180, 0.187, 0.196, 0.177, 0.186, 0.179, 0.187, 0.188, 0.196};
static const double e2_stab[4] = {0.191, 0.198, 0.190, 0.196};

static void homogeneity_reproduces_iso_13528_e2(void **state)
{
    pt_homog_result h, h2;

    (void)state;
    assert_status(pt_stats_homogeneity(e2_homog, 10, 2, 1.0, &h),
                  PT_STATS_OK);
    assert_close(h.mean, 0.18715, 0.000005);
    assert_close(h.s_x, 0.00398, 0.000005);
    assert_close(h.s_w, 0.00556, 0.000005);
    assert_close(h.s_s, 0.00060, 0.000005);
    assert_close(0.15 * h.mean, 0.02807, 0.000005);
    assert_status(
        pt_stats_homogeneity(e2_homog, 10, 2, 0.15 * h.mean, &h2),
        PT_STATS_OK);
    assert_close(h2.criterion, 0.00842, 0.000005);
    assert_true(h2.passed);
    assert_true(h2.passed_expanded);
    assert_close(h2.F1, 1.88, 0.005); /* Table B.1, g = 10 */
    assert_close(h2.F2, 1.01, 0.005);
    assert_close(h2.expanded_criterion,
                 sqrt(h2.F1 * h2.criterion * h2.criterion +
                      h2.F2 * h2.s_w * h2.s_w),
                 1e-15);
    assert_close(h2.sigma_pt_prime, hypot(0.15 * h.mean, h2.s_s), 1e-15);
    /* ANOVA: F = m s_x^2 / s_w^2, not significant here */
    assert_close(h2.anova_F, 2.0 * h.s_x * h.s_x / (h.s_w * h.s_w), 1e-12);
    assert_false(h2.anova_significant);
    /* Cochran on the pairs: item 5 (0.191, 0.181) has the largest range */
    assert_int_equal(h2.cochran_item, 4);
    assert_true(h2.cochran_C < h2.cochran_crit);
}

static void expanded_factors_reproduce_table_b1(void **state)
{
    static const double b1[14][2] = {
        {2.10, 1.43}, {2.01, 1.25}, {1.94, 1.11}, {1.88, 1.01},
        {1.83, 0.93}, {1.79, 0.86}, {1.75, 0.80}, {1.72, 0.75},
        {1.69, 0.71}, {1.67, 0.68}, {1.64, 0.64}, {1.62, 0.62},
        {1.60, 0.59}, {1.59, 0.57}};
    double x[40];
    size_t g, i;

    (void)state;
    for (i = 0; i < 40; i++)
        x[i] = 1.0 + 0.01 * (double)((i * 7) % 5);
    for (g = 7; g <= 20; g++) {
        pt_homog_result h;
        assert_status(pt_stats_homogeneity(x, g, 2, 1.0, &h), PT_STATS_OK);
        assert_close(h.F1, b1[g - 7][0], 0.005);
        assert_close(h.F2, b1[g - 7][1], 0.005);
    }
}

/* A clearly heterogeneous set fails both criteria and the F test, and
 * sigma'_pt grows. */
static void heterogeneous_items_fail(void **state)
{
    double x[20];
    pt_homog_result h;
    size_t i;

    (void)state;
    for (i = 0; i < 10; i++) {
        x[2 * i] = 10.0 + 0.5 * (double)i;
        x[2 * i + 1] = 10.01 + 0.5 * (double)i;
    }
    assert_status(pt_stats_homogeneity(x, 10, 2, 0.5, &h), PT_STATS_OK);
    assert_false(h.passed);
    assert_false(h.passed_expanded);
    assert_true(h.anova_significant);
    assert_true(h.sigma_pt_prime > 0.5);
}

static void homogeneity_keeps_digits_under_a_large_offset(void **state)
{
    double x[20];
    pt_homog_result a, b;
    size_t i;

    (void)state;
    for (i = 0; i < 20; i++)
        x[i] = 1e6 + e2_homog[i];
    assert_status(pt_stats_homogeneity(e2_homog, 10, 2, 0.03, &a),
                  PT_STATS_OK);
    assert_status(pt_stats_homogeneity(x, 10, 2, 0.03, &b), PT_STATS_OK);
    assert_close(b.s_w, a.s_w, 1e-6 * a.s_w);
    assert_close(b.s_x, a.s_x, 1e-6 * a.s_x);
}

static void homogeneity_refuses_bad_input(void **state)
{
    double x[4] = {1, 2, 3, 4};
    pt_homog_result h;

    (void)state;
    h.g = 42;
    assert_status(pt_stats_homogeneity(x, 0, 2, 1, &h), PT_STATS_EMPTY);
    assert_status(pt_stats_homogeneity(x, 1, 2, 1, &h), PT_STATS_TOO_FEW);
    assert_status(pt_stats_homogeneity(x, 4, 1, 1, &h), PT_STATS_TOO_FEW);
    assert_status(pt_stats_homogeneity(x, 2, 2, 0, &h), PT_STATS_BAD_ARG);
    assert_status(pt_stats_homogeneity(x, 2, 2, NAN, &h), PT_STATS_BAD_ARG);
    assert_status(pt_stats_homogeneity(NULL, 2, 2, 1, &h), PT_STATS_BAD_ARG);
    x[3] = NAN;
    assert_status(pt_stats_homogeneity(x, 2, 2, 1, &h), PT_STATS_NONFINITE);
    assert_int_equal(h.g, 42);
}

/* Items measured once (B.1.2) with a known repeatability s_r: results 1
 * to 5 have s_x^2 = 2.5 exactly, so s_r = 0.5 gives s_s = sqrt(2.5 -
 * 0.25) = 1.5 (by hand); shifted by 1e6 the same to 1e-9; s_r above s_x
 * gives 0; s_r = 0 gives s_x. */
static void single_measurements_use_the_known_repeatability(void **state)
{
    double x[5] = {1, 2, 3, 4, 5}, y[5];
    pt_homog_result h;
    size_t i;

    (void)state;
    assert_status(pt_stats_homogeneity_single(x, 5, 0.5, 6.0, &h),
                  PT_STATS_OK);
    assert_int_equal(h.m, 1);
    assert_close(h.mean, 3.0, 0.0);
    assert_close(h.s_x, sqrt(2.5), 1e-15);
    assert_close(h.s_w, 0.5, 0.0);
    assert_close(h.s_s, 1.5, 1e-15);
    assert_close(h.criterion, 1.8, 1e-15);
    assert_true(h.passed);
    assert_true(isnan(h.expanded_criterion) && isnan(h.anova_F) &&
                isnan(h.cochran_C) && isnan(h.F2));
    assert_close(h.sigma_pt_prime, hypot(6.0, 1.5), 1e-15);
    for (i = 0; i < 5; i++)
        y[i] = x[i] + 1e6;
    assert_status(pt_stats_homogeneity_single(y, 5, 0.5, 6.0, &h),
                  PT_STATS_OK);
    assert_close(h.s_s, 1.5, 1e-9);
    assert_status(pt_stats_homogeneity_single(x, 5, 2.0, 6.0, &h),
                  PT_STATS_OK);
    assert_close(h.s_s, 0.0, 0.0);
    assert_status(pt_stats_homogeneity_single(x, 5, 0.0, 4.0, &h),
                  PT_STATS_OK);
    assert_close(h.s_s, sqrt(2.5), 1e-15);
    assert_false(h.passed); /* 1.58 > 0.3 x 4 */
    h.g = 42;
    assert_status(pt_stats_homogeneity_single(x, 0, 0.5, 6.0, &h),
                  PT_STATS_EMPTY);
    assert_status(pt_stats_homogeneity_single(x, 1, 0.5, 6.0, &h),
                  PT_STATS_TOO_FEW);
    assert_status(pt_stats_homogeneity_single(x, 5, -0.5, 6.0, &h),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_homogeneity_single(x, 5, 0.5, 0.0, &h),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_homogeneity_single(NULL, 5, 0.5, 6.0, &h),
                  PT_STATS_BAD_ARG);
    x[2] = NAN;
    assert_status(pt_stats_homogeneity_single(x, 5, 0.5, 6.0, &h),
                  PT_STATS_NONFINITE);
    assert_int_equal(h.g, 42);
}

static void stability_reproduces_iso_13528_e2(void **state)
{
    pt_stab_result s;

    (void)state;
    assert_status(pt_stats_stability(e2_homog, 20, e2_stab, 4, 0.02807, &s),
                  PT_STATS_OK);
    assert_close(s.mean2, 0.19375, 0.000005);
    assert_close(s.diff, 0.00660, 0.000005);
    assert_close(s.criterion, 0.00842, 0.000005);
    assert_true(s.passed);
    assert_true(s.passed_expanded);
    assert_close(s.expanded_criterion,
                 s.criterion + 2.0 * sqrt(s.u1 * s.u1 + s.u2 * s.u2), 1e-15);
    /* Welch: the t statistic over its standard error */
    assert_close(s.t, (s.mean1 - s.mean2) / sqrt(s.u1 * s.u1 + s.u2 * s.u2),
                 1e-12);
    assert_true(s.df > 3.0 && s.df < 22.0);
    assert_true(s.p_value > 0.0 && s.p_value < 1.0);
    assert_int_equal(s.t_significant, fabs(s.t) > s.t_crit);
}

static void stability_refuses_bad_input(void **state)
{
    const double y[2] = {1, 2};
    pt_stab_result s;

    (void)state;
    assert_status(pt_stats_stability(y, 0, y, 2, 1, &s), PT_STATS_EMPTY);
    assert_status(pt_stats_stability(y, 1, y, 2, 1, &s), PT_STATS_TOO_FEW);
    assert_status(pt_stats_stability(y, 2, y, 2, -1, &s), PT_STATS_BAD_ARG);
    assert_status(pt_stats_stability(NULL, 2, y, 2, 1, &s),
                  PT_STATS_BAD_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(homogeneity_reproduces_iso_13528_e2),
        cmocka_unit_test(expanded_factors_reproduce_table_b1),
        cmocka_unit_test(heterogeneous_items_fail),
        cmocka_unit_test(homogeneity_keeps_digits_under_a_large_offset),
        cmocka_unit_test(homogeneity_refuses_bad_input),
        cmocka_unit_test(single_measurements_use_the_known_repeatability),
        cmocka_unit_test(stability_reproduces_iso_13528_e2),
        cmocka_unit_test(stability_refuses_bad_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
