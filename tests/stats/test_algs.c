/*
 * test_algs.c -- Algorithm S (stats/algs.c).
 *
 * Evidence: ISO 13528:2022 Table C.1 (eta and xi for nu = 1 .. 10) and the
 * E.13 example (standard deviations of four replicates from 25
 * participants, printed w* = 0.34), both as transcribed in
 * kanunimurat/pt13528 (tests/annex_e_data.py, src/pt13528/robust.py).
 *
 * Two entries of that transcription of Table C.1 are not what the
 * formula gives: xi = 1.024 for nu = 6 and 1.017 for nu = 10, where
 * 1 / sqrt(P(chi2_{nu+2} <= nu eta^2) + 0.1 eta^2) is 1.02342 and 1.01637
 * (1.02342 and 1.01642 with eta rounded to three places first, so the
 * rounding of eta does not explain them).  The other 18 entries agree to
 * the printed digit.  Whether ISO or the transcription is at fault could
 * not be checked against the printed standard; the test pins the computed
 * values and the difference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

static const double table_c1[10][2] = {
    {1.645, 1.097}, {1.517, 1.054}, {1.444, 1.039}, {1.395, 1.032},
    {1.359, 1.027}, {1.332, 1.024}, {1.310, 1.021}, {1.292, 1.019},
    {1.277, 1.018}, {1.264, 1.017}};

static const double e13_sd[] = {0.13, 0.21, 0.08, 0.24, 0.36, 0.32, 0.14,
                                0.26, 0.39, 0.53, 0.25, 0.24, 0.72, 0.26,
                                0.17, 0.32, 0.4,  0.36, 0.33, 0.43, 0.40,
                                0.55, 0.39, 0.30, 0.22};

static void factors_reproduce_table_c1(void **state)
{
    int nu;

    (void)state;
    for (nu = 1; nu <= 10; nu++) {
        double eta, xi;
        assert_status(pt_stats_algs_factors(nu, &eta, &xi), PT_STATS_OK);
        assert_close(eta, table_c1[nu - 1][0], 0.0005);
        if (nu == 6 || nu == 10)
            continue;
        assert_close(xi, table_c1[nu - 1][1], 0.0005);
    }
}

static void factors_differ_from_the_transcribed_table_at_nu_6_and_10(void **state)
{
    double eta, xi;

    (void)state;
    assert_status(pt_stats_algs_factors(6, &eta, &xi), PT_STATS_OK);
    assert_close(xi, 1.02342, 0.000005);
    assert_true(fabs(xi - 1.024) > 0.0005);
    assert_status(pt_stats_algs_factors(10, &eta, &xi), PT_STATS_OK);
    assert_close(xi, 1.01637, 0.000005);
    assert_true(fabs(xi - 1.017) > 0.0005);
}

/* nu need not be an integer; large nu tends to eta = xi = 1. */
static void factors_for_any_nu(void **state)
{
    double eta, xi;

    (void)state;
    assert_status(pt_stats_algs_factors(2.5, &eta, &xi), PT_STATS_OK);
    assert_true(eta < 1.517 && eta > 1.444);
    assert_status(pt_stats_algs_factors(1e6, &eta, &xi), PT_STATS_OK);
    assert_close(eta, 1.0, 0.002);
    assert_close(xi, 1.0, 0.002);
    assert_status(pt_stats_algs_factors(0, &eta, &xi), PT_STATS_BAD_ARG);
    assert_status(pt_stats_algs_factors(-1, &eta, &xi), PT_STATS_BAD_ARG);
    assert_status(pt_stats_algs_factors(NAN, &eta, &xi), PT_STATS_BAD_ARG);
    assert_status(pt_stats_algs_factors(INFINITY, &eta, &xi),
                  PT_STATS_BAD_ARG);
}

static void algs_reproduces_iso_13528_e13(void **state)
{
    double w[25];
    pt_algs_result r, f;

    (void)state;
    assert_status(pt_stats_algs(e13_sd, 25, 3, PT_ALGA_STOP_SIG3, w, &r),
                  PT_STATS_OK);
    assert_close(r.w, 0.34, 0.005);
    assert_status(pt_stats_algs(e13_sd, 25, 3, PT_ALGA_STOP_FIXED, w, &f),
                  PT_STATS_OK);
    assert_close(f.w, 0.34, 0.005);
    assert_close(f.eta, 1.444, 0.0005);
    assert_close(f.xi, 1.039, 0.0005);
    assert_false(f.rms_start);
}

/* At the fixed point, w* = xi sqrt(mean(min(w_i, eta w*)^2)). */
static void algs_fixed_rule_reaches_the_fixed_point(void **state)
{
    const double w5[] = {0.1, 0.12, 0.11, 0.13, 0.5, 0.09, 0.9, 0.105};
    double w[8], ss = 0.0;
    pt_algs_result r;
    size_t i;

    (void)state;
    assert_status(pt_stats_algs(w5, 8, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_OK);
    for (i = 0; i < 8; i++) {
        double c = fmin(w5[i], r.eta * r.w);
        ss += c * c;
    }
    assert_close(r.w, r.xi * sqrt(ss / 8.0), 1e-12 * r.w);
    assert_true(r.iterations < 50);
}

static void algs_starts_from_the_rms_when_the_median_is_zero(void **state)
{
    const double z[] = {0, 0, 0, 0.2, 0.3};
    const double allz[] = {0, 0, 0};
    double w[5];
    pt_algs_result r;

    (void)state;
    assert_status(pt_stats_algs(z, 5, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_OK);
    assert_true(r.rms_start);
    assert_true(r.w > 0.0);
    assert_status(pt_stats_algs(allz, 3, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_ZERO_SCALE);
}

static void algs_refuses_bad_input(void **state)
{
    double v[3] = {0.1, 0.2, 0.3}, w[3];
    pt_algs_result r = {42.0, 0, 0, 0, 0};

    (void)state;
    assert_status(pt_stats_algs(v, 0, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_EMPTY);
    assert_status(pt_stats_algs(v, 1, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_TOO_FEW);
    assert_status(pt_stats_algs(v, 3, 0, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_algs(v, 3, 1, (pt_alga_stop)7, w, &r),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_algs(v, 3, 1, PT_ALGA_STOP_FIXED, v, &r),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_algs(NULL, 3, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_BAD_ARG);
    v[1] = -0.2;
    assert_status(pt_stats_algs(v, 3, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_BAD_ARG);
    v[1] = NAN;
    assert_status(pt_stats_algs(v, 3, 1, PT_ALGA_STOP_FIXED, w, &r),
                  PT_STATS_NONFINITE);
    assert_true(r.w == 42.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(factors_reproduce_table_c1),
        cmocka_unit_test(factors_differ_from_the_transcribed_table_at_nu_6_and_10),
        cmocka_unit_test(factors_for_any_nu),
        cmocka_unit_test(algs_reproduces_iso_13528_e13),
        cmocka_unit_test(algs_fixed_rule_reaches_the_fixed_point),
        cmocka_unit_test(algs_starts_from_the_rms_when_the_median_is_zero),
        cmocka_unit_test(algs_refuses_bad_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
