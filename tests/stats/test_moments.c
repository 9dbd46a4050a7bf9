/*
 * test_moments.c -- pt_stats_mean_sd (stats/moments.c): exact small cases,
 * digits kept under a large common offset, magnitudes near the ends of the
 * double range, and argument checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_util.h"

/* 2 4 4 4 5 5 7 9: mean 5, squared deviations sum to 32, so the sample SD
 * is sqrt(32 / 7). */
static void mean_sd_of_small_set_matches_hand_values(void **state)
{
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    double m, s;

    (void)state;
    assert_status(pt_stats_mean_sd(x, 8, &m, &s), PT_STATS_OK);
    assert_true(m == 5.0);
    assert_close(s, sqrt(32.0 / 7.0), 1e-15);
}

/* Values off + k/1024 (k = 1..9) and off + k/2^20 are exact doubles for
 * these offsets, so the true mean and SD are known exactly: off + 5 step
 * and step sqrt(7.5).  The one-pass formula sum(x^2) - n mean^2 loses every
 * digit of the SD here (at off = 1e9, sum(x^2) is about 9e18, whose ulp is
 * 2048). */
static void mean_sd_keeps_digits_under_a_large_offset(void **state)
{
    const double offs[] = {1e6, 1e9, -3e8};
    const double steps[] = {1.0 / 1024.0, 1.0 / 1048576.0};
    double x[9], m, s;
    size_t i, j, k;

    (void)state;
    for (i = 0; i < 3; i++) {
        for (j = 0; j < 2; j++) {
            for (k = 0; k < 9; k++)
                x[k] = offs[i] + (double)((k * 4) % 9 + 1) * steps[j];
            assert_status(pt_stats_mean_sd(x, 9, &m, &s), PT_STATS_OK);
            assert_true(m == offs[i] + 5.0 * steps[j]);
            assert_close(s, steps[j] * sqrt(7.5), 1e-12 * steps[j]);
        }
    }
}

static void mean_sd_of_one_value_has_nan_sd(void **state)
{
    const double x[] = {3.25};
    const double zero[] = {0.0};
    double m, s;

    (void)state;
    assert_status(pt_stats_mean_sd(x, 1, &m, &s), PT_STATS_OK);
    assert_true(m == 3.25);
    assert_true(isnan(s));
    assert_status(pt_stats_mean_sd(zero, 1, &m, &s), PT_STATS_OK);
    assert_true(m == 0.0);
    assert_true(isnan(s));
}

static void mean_sd_accepts_null_sd_pointer(void **state)
{
    const double x[] = {1, 2, 6};
    double m;

    (void)state;
    assert_status(pt_stats_mean_sd(x, 3, &m, NULL), PT_STATS_OK);
    assert_true(m == 3.0);
}

static void mean_sd_of_equal_values_is_exact(void **state)
{
    const double x[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    const double zeros[] = {0.0, -0.0, 0.0};
    double m, s;

    (void)state;
    assert_status(pt_stats_mean_sd(x, 7, &m, &s), PT_STATS_OK);
    assert_true(m == 0.1);
    assert_true(s == 0.0);
    assert_status(pt_stats_mean_sd(zeros, 3, &m, &s), PT_STATS_OK);
    assert_true(m == 0.0);
    assert_true(s == 0.0);
}

/* Squaring 1e300 or 1e-300 directly overflows or underflows; the values
 * are scaled by a power of two first. */
static void mean_sd_survives_huge_and_tiny_magnitudes(void **state)
{
    const double huge[] = {1e300, -1e300, 3e300};
    const double tiny[] = {1e-300, 2e-300, 3e-300};
    const double subnormal[] = {1e-310, 2e-310, 3e-310};
    double m, s;

    (void)state;
    assert_status(pt_stats_mean_sd(huge, 3, &m, &s), PT_STATS_OK);
    assert_close(m, 1e300, 1e286);
    assert_close(s, 2e300, 1e286);
    assert_status(pt_stats_mean_sd(tiny, 3, &m, &s), PT_STATS_OK);
    assert_close(m, 2e-300, 1e-314);
    assert_close(s, 1e-300, 1e-314);
    /* subnormal inputs carry about 14 digits */
    assert_status(pt_stats_mean_sd(subnormal, 3, &m, &s), PT_STATS_OK);
    assert_close(m, 2e-310, 1e-320);
    assert_close(s, 1e-310, 1e-320);
}

static void mean_sd_refuses_a_result_beyond_the_double_range(void **state)
{
    const double x[] = {-1.7e308, 1.7e308};
    double m = 42.0, s = 42.0;

    (void)state;
    assert_status(pt_stats_mean_sd(x, 2, &m, &s), PT_STATS_NONFINITE);
    assert_true(m == 42.0 && s == 42.0);
}

static void mean_sd_refuses_nan_infinity_empty_and_null(void **state)
{
    double x[] = {1, 2, 3};
    double m = 42.0, s = 42.0;

    (void)state;
    assert_status(pt_stats_mean_sd(x, 0, &m, &s), PT_STATS_EMPTY);
    assert_status(pt_stats_mean_sd(NULL, 3, &m, &s), PT_STATS_BAD_ARG);
    assert_status(pt_stats_mean_sd(x, 3, NULL, &s), PT_STATS_BAD_ARG);
    assert_status(pt_stats_mean_sd(NULL, 0, &m, &s), PT_STATS_BAD_ARG);
    x[1] = NAN;
    assert_status(pt_stats_mean_sd(x, 3, &m, &s), PT_STATS_NONFINITE);
    x[1] = -INFINITY;
    assert_status(pt_stats_mean_sd(x, 3, &m, &s), PT_STATS_NONFINITE);
    assert_true(m == 42.0 && s == 42.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mean_sd_of_small_set_matches_hand_values),
        cmocka_unit_test(mean_sd_keeps_digits_under_a_large_offset),
        cmocka_unit_test(mean_sd_of_one_value_has_nan_sd),
        cmocka_unit_test(mean_sd_accepts_null_sd_pointer),
        cmocka_unit_test(mean_sd_of_equal_values_is_exact),
        cmocka_unit_test(mean_sd_survives_huge_and_tiny_magnitudes),
        cmocka_unit_test(mean_sd_refuses_a_result_beyond_the_double_range),
        cmocka_unit_test(mean_sd_refuses_nan_infinity_empty_and_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
