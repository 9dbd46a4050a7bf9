/*
 * test_sigma_pt.c -- sigma_pt from R and r, from a precision experiment
 * and from the Horwitz-Thompson curve (stats/sigma_pt.c).
 *
 * Evidence: ISO 13528:2022 E.9 (Horwitz: 1.195 mg/kg gives 0.186 mg/kg,
 * 2.565 mg/kg gives 0.356 mg/kg) and E.10 (sigma_R = 23.2, sigma_r = 14.3,
 * duplicates: sigma_pt = 20.9), as transcribed in kanunimurat/pt13528
 * tests/printed_values.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

static void horwitz_reproduces_iso_13528_e9(void **state)
{
    double s;

    (void)state;
    assert_status(pt_stats_horwitz(1.195e-6, &s), PT_STATS_OK);
    assert_close(s * 1e6, 0.186, 0.0005);
    assert_status(pt_stats_horwitz(2.565e-6, &s), PT_STATS_OK);
    assert_close(s * 1e6, 0.356, 0.0005);
}

static void horwitz_branches_meet_their_definitions(void **state)
{
    double s;

    (void)state;
    assert_status(pt_stats_horwitz(1e-8, &s), PT_STATS_OK);
    assert_close(s, 0.22e-8, 1e-22);
    assert_status(pt_stats_horwitz(1.2e-7, &s), PT_STATS_OK);
    assert_close(s, 0.02 * pow(1.2e-7, 0.8495), 1e-22);
    assert_status(pt_stats_horwitz(0.138, &s), PT_STATS_OK);
    assert_close(s, 0.02 * pow(0.138, 0.8495), 1e-16);
    assert_status(pt_stats_horwitz(0.5, &s), PT_STATS_OK);
    assert_close(s, 0.01 * sqrt(0.5), 1e-16);
    /* the pieces nearly join: within 1.5 % at both knots */
    assert_close(0.22 * 1.2e-7, 0.02 * pow(1.2e-7, 0.8495), 0.015 * 0.22 * 1.2e-7);
    assert_close(0.01 * sqrt(0.138), 0.02 * pow(0.138, 0.8495), 0.015 * 0.0037);
    assert_status(pt_stats_horwitz(0.0, &s), PT_STATS_BAD_ARG);
    assert_status(pt_stats_horwitz(1.5, &s), PT_STATS_BAD_ARG);
    assert_status(pt_stats_horwitz(NAN, &s), PT_STATS_BAD_ARG);
}

static void precision_formula_reproduces_iso_13528_e10(void **state)
{
    double s;

    (void)state;
    assert_status(pt_stats_sigma_pt_precision(23.2, 14.3, 2, &s),
                  PT_STATS_OK);
    assert_close(s, 20.9, 0.05);
    assert_close(s, sqrt(23.2 * 23.2 - 14.3 * 14.3 / 2.0), 1e-12);
    /* m = 1: sigma_R itself */
    assert_status(pt_stats_sigma_pt_precision(23.2, 14.3, 1, &s),
                  PT_STATS_OK);
    assert_close(s, 23.2, 1e-13);
}

static void limits_convert_with_2_77(void **state)
{
    double s, a;

    (void)state;
    assert_status(pt_stats_sigma_from_limit(2.77, &s), PT_STATS_OK);
    assert_close(s, 1.0, 1e-15);
    assert_status(pt_stats_sigma_pt_from_limits(2.77 * 23.2, 2.77 * 14.3, 2,
                                                &s),
                  PT_STATS_OK);
    assert_status(pt_stats_sigma_pt_precision(23.2, 14.3, 2, &a),
                  PT_STATS_OK);
    assert_close(s, a, 1e-12);
}

static void sigma_pt_refuses_inconsistent_precision(void **state)
{
    double s = 42.0;

    (void)state;
    assert_status(pt_stats_sigma_pt_precision(1.0, 1.5, 2, &s),
                  PT_STATS_BAD_ARG); /* sigma_r > sigma_R */
    assert_status(pt_stats_sigma_pt_precision(0.0, 0.0, 2, &s),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_sigma_pt_precision(1.0, -0.1, 2, &s),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_sigma_pt_precision(1.0, 0.5, 0.5, &s),
                  PT_STATS_BAD_ARG); /* m < 1 */
    assert_status(pt_stats_sigma_from_limit(-1.0, &s), PT_STATS_BAD_ARG);
    assert_status(pt_stats_sigma_pt_from_limits(1.0, NAN, 2, &s),
                  PT_STATS_BAD_ARG);
    assert_true(s == 42.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(horwitz_reproduces_iso_13528_e9),
        cmocka_unit_test(horwitz_branches_meet_their_definitions),
        cmocka_unit_test(precision_formula_reproduces_iso_13528_e10),
        cmocka_unit_test(limits_convert_with_2_77),
        cmocka_unit_test(sigma_pt_refuses_inconsistent_precision),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
