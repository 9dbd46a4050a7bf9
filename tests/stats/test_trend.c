/*
 * test_trend.c -- the trend rules of a laboratory's scores (stats/trend.c).
 * Expected values worked by hand from the rules stated in pt_stats.h; the
 * 2023 history of the fixtures (four positive En in a row) is the run the
 * rule must catch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

static void en_is_put_on_the_z_scale(void **state)
{
    (void)state;
    assert_close(pt_stats_trend_scale("En", 1.2), 2.4, 0);
    assert_close(pt_stats_trend_scale("z'", -2.5), -2.5, 0);
    assert_close(pt_stats_trend_scale("zeta", 0.5), 0.5, 0);
    assert_true(isnan(pt_stats_trend_scale("PA", 1)));
    assert_true(isnan(pt_stats_trend_scale("z", NAN)));
}

static void four_of_one_sign_is_a_run(void **state)
{
    /* 2 En of 2023: 0.45, 0.38, 0.64, 0.70 -> z scale doubled */
    const double s[] = {0.90, 0.77, 1.28, 1.41, -0.64};
    pt_trend_point p[5];

    (void)state;
    assert_status(pt_stats_trend_rules(s, 5, 4, p), PT_STATS_OK);
    assert_int_equal(p[2].run, 3);
    assert_int_equal(p[2].rules & PT_TREND_RUN, 0);
    assert_int_equal(p[3].run, 4);
    assert_true(p[3].rules & PT_TREND_RUN);
    assert_int_equal(p[4].run, -1);
    assert_int_equal(p[4].rules & PT_TREND_RUN, 0);
    /* (0.90 + 0.77 + 1.28 + 1.41) / 2 = 2.18 */
    assert_close(p[3].rsz, 2.18, 1e-12);
    assert_true(p[3].rules & PT_TREND_RSZ);
    /* (0.77 + 1.28 + 1.41 - 0.64) / 2 = 1.41 */
    assert_close(p[4].rsz, 1.41, 1e-12);
    assert_int_equal(p[4].rules & PT_TREND_RSZ, 0);
    /* fewer than 4 scores: RSZ over those, never a signal */
    assert_close(p[1].rsz, (0.90 + 0.77) / sqrt(2), 1e-12);
}

static void two_of_three_beyond_two(void **state)
{
    const double s[] = {2.1, 0.3, -2.4, 0.1, 0.2, 2.0};
    pt_trend_point p[6];

    (void)state;
    assert_status(pt_stats_trend_rules(s, 6, 4, p), PT_STATS_OK);
    assert_int_equal(p[1].rules & PT_TREND_TWO_OF_THREE, 0);
    assert_true(p[2].rules & PT_TREND_TWO_OF_THREE); /* 2.1 and -2.4 */
    assert_int_equal(p[3].rules & PT_TREND_TWO_OF_THREE, 0);
    /* 2.0 is not beyond 2 */
    assert_int_equal(p[5].rules & PT_TREND_TWO_OF_THREE, 0);
}

static void zeta_well_above_z_says_u_is_too_small(void **state)
{
    (void)state;
    /* the fixtures' S-2025-PT1: z = 2.31, zeta = 3.80 */
    assert_true(pt_stats_zeta_above_z(2.31, 3.80));
    /* S-2024-Q3 scored by En: no z, zeta = 5.38 */
    assert_true(pt_stats_zeta_above_z(NAN, 5.38));
    assert_false(pt_stats_zeta_above_z(NAN, 1.9));
    assert_false(pt_stats_zeta_above_z(2.0, 2.9)); /* 1.45 |z| */
    assert_false(pt_stats_zeta_above_z(0.1, NAN));
}

static void bad_input_is_refused(void **state)
{
    const double s[] = {1, NAN};
    pt_trend_point p[2];

    (void)state;
    assert_status(pt_stats_trend_rules(s, 2, 4, p), PT_STATS_NONFINITE);
    assert_status(pt_stats_trend_rules(s, 1, 1, p), PT_STATS_BAD_ARG);
    assert_status(pt_stats_trend_rules(NULL, 1, 4, p), PT_STATS_BAD_ARG);
    assert_status(pt_stats_trend_rules(NULL, 0, 4, NULL), PT_STATS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(en_is_put_on_the_z_scale),
        cmocka_unit_test(four_of_one_sign_is_a_run),
        cmocka_unit_test(two_of_three_beyond_two),
        cmocka_unit_test(zeta_well_above_z_says_u_is_too_small),
        cmocka_unit_test(bad_input_is_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
