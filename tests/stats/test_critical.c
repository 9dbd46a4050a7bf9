/*
 * test_critical.c -- critical values and statistics of the ISO 5725-2
 * consistency and outlier tests (stats/critical.c).
 *
 * Evidence:
 *  1. Grubbs' single test against the table reprinted in "Appendix 07:
 *     Critical Values for Grubb's Test" (chem.libretexts.org, Analytical
 *     Chemistry 2.1), n = 3 .. 14.  That table has two misprints: n = 7 at
 *     alpha = 0.05 reads 2.202, where the closed form gives 2.0200 (the
 *     neighbours 1.887 and 2.126 bracket 2.020, not 2.202), and n = 15 at
 *     alpha = 0.01 repeats n = 14's 2.755 where the closed form gives 2.806.
 *     The published n = 8, alpha = 0.05 value 2.126 is the closed form
 *     2.12664 cut rather than rounded.
 *  2. Simulation with a fixed seed (GSL's MT19937, 20 000 rounds per case):
 *     the rejection rate of each test at its critical value is alpha within
 *     four binomial standard errors -- exact for h and k, the Bonferroni
 *     forms for Cochran and Grubbs, ISO 5725-2 Table 5 for double Grubbs
 *     (which, the simulation shows, is the two-sided test: the smaller of
 *     the two ratios).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "test_util.h"

#define ROUNDS 20000

static void grubbs_single_matches_the_published_table(void **state)
{
    /* n, alpha 0.05, alpha 0.01 (n = 7 at 0.05 corrected, see above) */
    static const double t[][3] = {
        {3, 1.155, 1.155},  {4, 1.481, 1.496},  {5, 1.715, 1.764},
        {6, 1.887, 1.973},  {7, 2.020, 2.139},  {8, 2.126, 2.274},
        {9, 2.215, 2.387},  {10, 2.290, 2.482}, {11, 2.355, 2.564},
        {12, 2.412, 2.636}, {13, 2.462, 2.699}, {14, 2.507, 2.755}};
    double g;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_status(pt_stats_grubbs_crit((size_t)t[i][0], 0.05, &g),
                      PT_STATS_OK);
        assert_close(g, t[i][1], 0.001); /* 0.001: n = 8's cut digit */
        assert_status(pt_stats_grubbs_crit((size_t)t[i][0], 0.01, &g),
                      PT_STATS_OK);
        assert_close(g, t[i][2], 0.0005);
    }
    assert_status(pt_stats_grubbs_crit(7, 0.05, &g), PT_STATS_OK);
    assert_true(fabs(g - 2.202) > 0.1);
    assert_status(pt_stats_grubbs_crit(15, 0.01, &g), PT_STATS_OK);
    assert_close(g, 2.806, 0.0005);
}

static double cell_sd(gsl_rng *r, size_t n, double *mean)
{
    double x[16], m, s;
    size_t i;

    for (i = 0; i < n; i++)
        x[i] = gsl_ran_ugaussian(r);
    pt_stats_mean_sd(x, n, &m, &s);
    *mean = m;
    return s;
}

static void rate_is_alpha(size_t hits, double alpha)
{
    double rate = (double)hits / ROUNDS;
    double se = sqrt(alpha * (1.0 - alpha) / ROUNDS);

    assert_close(rate, alpha, 4.0 * se);
}

static void critical_values_reject_at_the_nominal_rate(void **state)
{
    /* p = 4 is left out: its double-Grubbs values (0.0000, 0.0002) are
     * at the resolution of the table's four decimals */
    static const size_t ps[] = {5, 8, 15};
    static const double alphas[] = {0.05, 0.01};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t a, k;

    (void)state;
    gsl_rng_set(r, 20130601);
    for (k = 0; k < 3; k++) {
        for (a = 0; a < 2; a++) {
            size_t p = ps[k], n = 3, it, i;
            size_t hh = 0, hk = 0, hc = 0, hg = 0, hg2 = 0;
            double alpha = alphas[a], hc_, kc, cc, gc, g2c;
            assert_status(pt_stats_mandel_h_crit(p, alpha, &hc_), PT_STATS_OK);
            assert_status(pt_stats_mandel_k_crit(p, n, alpha, &kc),
                          PT_STATS_OK);
            assert_status(pt_stats_cochran_crit(p, n, alpha, &cc),
                          PT_STATS_OK);
            assert_status(pt_stats_grubbs_crit(p, alpha, &gc), PT_STATS_OK);
            assert_status(pt_stats_grubbs2_crit(p, alpha, &g2c), PT_STATS_OK);
            for (it = 0; it < ROUNDS; it++) {
                double means[16], sds[16], w[16], mm, ms, sum2 = 0.0, c;
                double gmax, gmin, r2a, r2b;
                for (i = 0; i < p; i++) {
                    sds[i] = cell_sd(r, n, &means[i]);
                    sum2 += sds[i] * sds[i];
                }
                pt_stats_mean_sd(means, p, &mm, &ms);
                hh += fabs(means[0] - mm) / ms > hc_;
                hk += sds[0] * sqrt((double)p / sum2) > kc;
                assert_status(pt_stats_cochran(sds, p, &c, NULL),
                              PT_STATS_OK);
                hc += c > cc;
                assert_status(pt_stats_grubbs(means, p, &gmax, &gmin),
                              PT_STATS_OK);
                hg += fmax(gmax, gmin) > gc;
                assert_status(pt_stats_grubbs2(means, p, w, &r2a, &r2b),
                              PT_STATS_OK);
                hg2 += fmin(r2a, r2b) < g2c;
            }
            rate_is_alpha(hh, alpha);
            rate_is_alpha(hk, alpha);
            rate_is_alpha(hc, alpha);
            rate_is_alpha(hg, alpha);
            rate_is_alpha(hg2, alpha);
        }
    }
    gsl_rng_free(r);
}

static void statistics_by_hand(void **state)
{
    const double x[] = {1, 2, 3, 4, 10};
    const double s[] = {1, 2, 2};
    double gmax, gmin, ra, rb, w[5], c;
    size_t im;

    (void)state;
    /* mean 4, SD sqrt(50/4) */
    assert_status(pt_stats_grubbs(x, 5, &gmax, &gmin), PT_STATS_OK);
    assert_close(gmax, 6.0 / sqrt(12.5), 1e-14);
    assert_close(gmin, 3.0 / sqrt(12.5), 1e-14);
    /* without 4 and 10: SS of 1 2 3 = 2; all: 50 */
    assert_status(pt_stats_grubbs2(x, 5, w, &ra, &rb), PT_STATS_OK);
    assert_close(ra, 2.0 / 50.0, 1e-15);
    /* without 1 and 2: SS of 3 4 10 = 62 - ... = 29.333 */
    assert_close(rb, (9 + 16 + 100 - 289.0 / 3.0) / 50.0, 1e-14);
    assert_status(pt_stats_cochran(s, 3, &c, &im), PT_STATS_OK);
    assert_close(c, 4.0 / 9.0, 1e-15);
    assert_int_equal(im, 1);
}

static void critical_values_refuse_bad_arguments(void **state)
{
    double v = 42.0;
    const double z[] = {1, 1, 1, 1};
    double w[4], a, b;

    (void)state;
    assert_status(pt_stats_mandel_h_crit(2, 0.05, &v), PT_STATS_TOO_FEW);
    assert_status(pt_stats_mandel_h_crit(5, 0.0, &v), PT_STATS_BAD_ARG);
    assert_status(pt_stats_mandel_h_crit(5, 1.0, &v), PT_STATS_BAD_ARG);
    assert_status(pt_stats_mandel_h_crit(5, NAN, &v), PT_STATS_BAD_ARG);
    assert_status(pt_stats_mandel_k_crit(5, 1, 0.05, &v), PT_STATS_TOO_FEW);
    assert_status(pt_stats_cochran_crit(1, 2, 0.05, &v), PT_STATS_TOO_FEW);
    assert_status(pt_stats_grubbs_crit(2, 0.05, &v), PT_STATS_TOO_FEW);
    assert_status(pt_stats_grubbs2_crit(3, 0.05, &v), PT_STATS_TOO_FEW);
    assert_status(pt_stats_grubbs2_crit(41, 0.05, &v), PT_STATS_BAD_ARG);
    assert_status(pt_stats_grubbs2_crit(10, 0.02, &v), PT_STATS_BAD_ARG);
    assert_true(v == 42.0);
    assert_status(pt_stats_grubbs(z, 4, &a, &b), PT_STATS_ZERO_SCALE);
    assert_status(pt_stats_grubbs2(z, 4, w, &a, &b), PT_STATS_ZERO_SCALE);
    assert_status(pt_stats_cochran(z, 4, &a, NULL), PT_STATS_OK);
    assert_close(a, 0.25, 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grubbs_single_matches_the_published_table),
        cmocka_unit_test(critical_values_reject_at_the_nominal_rate),
        cmocka_unit_test(statistics_by_hand),
        cmocka_unit_test(critical_values_refuse_bad_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
