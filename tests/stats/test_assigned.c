/*
 * test_assigned.c -- assigned values from outside the round
 * (stats/assigned.c), the kernel density mode with its bootstrap
 * uncertainty (stats/kernel.c) and sigma_pt from previous rounds
 * (stats/sigma_pt.c).
 *
 * Evidence: the ISO 13528:2022 Annex E worked examples, data and printed
 * values as transcribed in kanunimurat/pt13528 (tests/annex_e_data.py and
 * tests/printed_values.py), each to half a unit in the last printed
 * digit:
 *  E.5 (Los Angeles value, PT items compared with a CRM): x_pt 23.35,
 *      u(x_pt) 0.35, u_d 0.24;
 *  E.6 (coliforms, log10 CFU/ml): the kernel density mode 3.79 with the
 *      bandwidth 0.75 sigma_pt, sigma_pt 0.25;
 *  E.7 (mercury in feed, the consensus checked against the reference
 *      value 0.044, U 0.0082): x* 0.03161, u(x*) 0.0045, difference
 *      0.012, u of the difference 0.0061;
 *  E.8 (toxaphene, sigma_pt from previous rounds): coefficient of
 *      determination printed 0.82; the data give 0.826, which the
 *      transcription lists as a last-digit inconsistency of the printed
 *      text, so it is checked to 0.01.
 * And behaviour: the bootstrap repeats exactly with its seed, the known
 * value combines its uncertainties, refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_util.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const double e5_d[] = {2.00, 1.05, 0.50,  1.10,  1.75, 2.70, -0.60,
                              -0.35, 2.50, 0.95, 3.10, 1.50, 2.00, 1.05,
                              2.30, 2.05, 2.80, 3.00, 2.15, 3.00};

static const double e6[] = {
    3.80, 3.90, 3.07, 3.64, 4.06, 3.40, 3.59, 3.39, 3.47, 3.47, 3.77, 3.53,
    2.83, 2.75, 2.06, 3.75, 3.73, 3.82, 3.86, 3.88, 3.97, 3.96, 3.80, 3.88,
    3.25, 3.45, 3.64, 2.86, 3.17, 3.19, 3.17, 4.22, 3.82, 3.82, 3.95};

static const double e4[] = {0.013, 0.013, 0.0135, 0.014, 0.014, 0.016,
                            0.017, 0.019, 0.0239, 0.037, 0.039, 0.04,
                            0.04,  0.040, 0.0424, 0.044, 0.045, 0.045,
                            0.046, 0.049, 0.053};

static const double e8_level[] = {3.96, 4.56, 5.99, 6.08, 6.20, 6.72, 8.10,
                                  8.73, 9.57, 12.1, 12.5, 13.1, 15.6, 15.9,
                                  16.3, 16.3, 17.0, 17.4, 17.4, 19.0};
static const double e8_sd[] = {0.639, 0.638, 0.995, 1.48, 0.97, 1.43, 2.23,
                               1.80,  1.45,  1.44,  2.25, 2.41, 3.57, 2.44,
                               3.60,  3.09,  2.63,  2.85, 3.36, 3.20};

static void crm_comparison_reproduces_iso_13528_e5(void **state)
{
    pt_crm_result r;

    (void)state;
    assert_status(pt_stats_assigned_crm(e5_d, N_OF(e5_d), 21.62, 0.26, &r),
                  PT_STATS_OK);
    assert_close(r.x, 23.35, 0.005);
    assert_close(r.u_x, 0.35, 0.005);
    assert_close(r.u_d, 0.24, 0.005);
    assert_close(r.x, 21.62 + r.d_mean, 1e-12);
    assert_status(pt_stats_assigned_crm(e5_d, 1, 21.62, 0.26, &r),
                  PT_STATS_TOO_FEW);
    assert_status(pt_stats_assigned_crm(e5_d, 5, 21.62, -0.1, &r),
                  PT_STATS_BAD_ARG);
}

static void kernel_mode_reproduces_iso_13528_e6(void **state)
{
    double w[2 * N_OF(e6)], m, far[N_OF(e6)], mf;
    size_t i;

    (void)state;
    assert_status(pt_stats_kernel_mode(e6, N_OF(e6), 0.75 * 0.25, w, &m),
                  PT_STATS_OK);
    assert_close(m, 3.79, 0.005);
    /* the same data at an offset of 1e6 give the same mode, moved */
    for (i = 0; i < N_OF(e6); i++)
        far[i] = e6[i] + 1e6;
    assert_status(pt_stats_kernel_mode(far, N_OF(e6), 0.75 * 0.25, w, &mf),
                  PT_STATS_OK);
    assert_close(mf - 1e6, m, 1e-9);
    assert_status(pt_stats_kernel_mode(e6, N_OF(e6), 0.0, w, &m),
                  PT_STATS_BAD_ARG);
}

/* Two equal bumps: the mode nearest the median; one value: itself. */
static void kernel_mode_of_simple_shapes(void **state)
{
    const double bumps[] = {1.0, 1.0, 1.1, 5.0, 5.1, 5.1, 5.1};
    const double one[] = {42.5};
    double w[14], m;

    (void)state;
    assert_status(pt_stats_kernel_mode(bumps, 7, 0.2, w, &m), PT_STATS_OK);
    assert_close(m, 5.075, 0.03);
    assert_status(pt_stats_kernel_mode(one, 1, 0.2, w, &m), PT_STATS_OK);
    assert_close(m, 42.5, 1e-12);
}

static void kernel_bootstrap_repeats_with_its_seed(void **state)
{
    double w[2 * N_OF(e6)], u1, u2, u3;

    (void)state;
    assert_status(pt_stats_kernel_bootstrap(e6, N_OF(e6), 0.1875, 400, 7,
                                            w, &u1),
                  PT_STATS_OK);
    assert_status(pt_stats_kernel_bootstrap(e6, N_OF(e6), 0.1875, 400, 7,
                                            w, &u2),
                  PT_STATS_OK);
    assert_true(u1 == u2);
    assert_status(pt_stats_kernel_bootstrap(e6, N_OF(e6), 0.1875, 400, 8,
                                            w, &u3),
                  PT_STATS_OK);
    assert_true(u3 != u1);
    /* of the order of a mean's standard error, not of the spread */
    assert_true(u1 > 0.01 && u1 < 0.3);
    assert_status(pt_stats_kernel_bootstrap(e6, N_OF(e6), 0.1875, 1, 7, w,
                                            &u1),
                  PT_STATS_BAD_ARG);
}

static void consensus_check_reproduces_iso_13528_e7(void **state)
{
    double w[N_OF(e4)], u, diff, u_diff;
    pt_alga_result a;
    int sig;

    (void)state;
    assert_status(pt_stats_alga(e4, N_OF(e4), NULL, w, &a), PT_STATS_OK);
    assert_close(a.x, 0.03161, 0.000005);
    assert_close(a.s, 0.0164, 0.00005);
    assert_status(pt_stats_u_robust(a.s, N_OF(e4), &u), PT_STATS_OK);
    assert_close(u, 0.0045, 0.00005);
    assert_status(pt_stats_consensus_check(a.x, u, 0.044, 0.0082 / 2.0,
                                           &diff, &u_diff, &sig),
                  PT_STATS_OK);
    assert_close(diff, 0.012, 0.0005);
    assert_close(u_diff, 0.0061, 0.00005);
    assert_true(sig); /* 0.012 > 2 x 0.0061 */
}

static void sigma_pt_from_previous_rounds_reproduces_iso_13528_e8(void **state)
{
    pt_rounds_fit f;
    double s;

    (void)state;
    assert_status(pt_stats_sigma_pt_rounds(e8_level, e8_sd, N_OF(e8_sd), &f),
                  PT_STATS_OK);
    assert_close(f.r_squared, 0.82, 0.01);
    assert_true(f.slope > 0.0);
    assert_status(pt_stats_sigma_pt_at(&f, 10.0, &s), PT_STATS_OK);
    assert_close(s, f.intercept + 10.0 * f.slope, 1e-12);
    assert_status(pt_stats_sigma_pt_rounds(e8_level, e8_sd, 2, &f),
                  PT_STATS_TOO_FEW);
}

static void known_value_combines_its_uncertainties(void **state)
{
    double x, u;

    (void)state;
    /* a CRM certified 10.0 with U 0.6 (k 2), s_s 0.4, no instability */
    assert_status(pt_stats_assigned_known(10.0, 0.6, 2.0, 0.4, 0.0, &x, &u),
                  PT_STATS_OK);
    assert_close(x, 10.0, 0.0);
    assert_close(u, 0.5, 1e-15);
    assert_status(pt_stats_assigned_known(10.0, 0.6, 0.0, 0.4, 0.0, &x, &u),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_assigned_known(10.0, -0.6, 2.0, 0.0, 0.0, &x, &u),
                  PT_STATS_BAD_ARG);
}

/* A formulation (7.3): 25.12 mg of an analyte of purity 0.998 in 1000.3 g
 * of a base material holding 1.2 mg/kg.  The references were computed in
 * exact fractions with 50-digit square roots (tests/host/calc_oracle.py,
 * formulation 0.998 0.001 0.02512 0.00002 1000.3 0.05 1.2 0.3 1e6 0 0):
 * x 26.26224132760172 mg/kg, u_char 0.3017123928119824 mg/kg.  Masses in
 * mg instead of g give the same. */
static void formulation_propagates_its_uncertainties(void **state)
{
    pt_formulation f = {1.2, 0.3, 0.998, 0.001, 0.02512, 0.00002,
                        1000.3, 0.05, 1e6};
    double x, u, x2, u2;

    (void)state;
    assert_status(pt_stats_assigned_formulation(&f, &x, &u), PT_STATS_OK);
    assert_close(x, 26.26224132760172, 4e-15 * 26.3);
    assert_close(u, 0.3017123928119824, 4e-15 * 0.31);
    f.m_analyte *= 1000.0;
    f.u_m_analyte *= 1000.0;
    f.m_total *= 1000.0;
    f.u_m_total *= 1000.0;
    assert_status(pt_stats_assigned_formulation(&f, &x2, &u2), PT_STATS_OK);
    assert_close(x2, x, 4e-15 * x);
    assert_close(u2, u, 4e-15 * u);
    /* no uncertainty in the inputs: none in the value */
    f.u_x0 = f.u_purity = f.u_m_analyte = f.u_m_total = 0.0;
    assert_status(pt_stats_assigned_formulation(&f, &x2, &u2), PT_STATS_OK);
    assert_close(u2, 0.0, 0.0);
    f.m_total = f.m_analyte / 2.0; /* more analyte than the whole */
    x = 42.0;
    assert_status(pt_stats_assigned_formulation(&f, &x, &u),
                  PT_STATS_BAD_ARG);
    assert_close(x, 42.0, 0.0);
    f.m_total = 1000300.0;
    f.purity = 0.0;
    assert_status(pt_stats_assigned_formulation(&f, &x, &u),
                  PT_STATS_BAD_ARG);
    f.purity = 0.998;
    f.u_purity = -0.001;
    assert_status(pt_stats_assigned_formulation(&f, &x, &u),
                  PT_STATS_BAD_ARG);
    f.u_purity = 0.001;
    f.x0 = NAN;
    assert_status(pt_stats_assigned_formulation(&f, &x, &u),
                  PT_STATS_NONFINITE);
    assert_status(pt_stats_assigned_formulation(NULL, &x, &u),
                  PT_STATS_BAD_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crm_comparison_reproduces_iso_13528_e5),
        cmocka_unit_test(kernel_mode_reproduces_iso_13528_e6),
        cmocka_unit_test(kernel_mode_of_simple_shapes),
        cmocka_unit_test(kernel_bootstrap_repeats_with_its_seed),
        cmocka_unit_test(consensus_check_reproduces_iso_13528_e7),
        cmocka_unit_test(sigma_pt_from_previous_rounds_reproduces_iso_13528_e8),
        cmocka_unit_test(known_value_combines_its_uncertainties),
        cmocka_unit_test(formulation_propagates_its_uncertainties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
