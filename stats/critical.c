/*
 * critical.c -- the consistency and outlier tests of ISO 5725-2 7.3
 * (Mandel's h and k, Cochran's C, Grubbs' single and double tests): their
 * statistics and their critical values for any number of laboratories.
 *
 * ISO 5725-2 tabulates the critical values without saying how they were
 * obtained.  Wilrich (AStA Adv. Stat. Anal. 97, 2013) gives closed forms
 * through t and F quantiles; those for h and k are exact.  Grubbs' single
 * test and Cochran's use the Bonferroni bound (alpha/p); for Cochran it is
 * exact whenever the critical value exceeds 1/2, since only one variance
 * can then exceed it.  Grubbs' double test has no closed form; its
 * critical values are ISO 5725-2 Table 5, which tests/stats/
 * test_critical.c checks against a simulation.
 *
 * Every argument is checked before a GSL quantile is called, so GSL's
 * error handler (global, aborting by default) can never be reached.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

static int alpha_ok(double alpha)
{
    return isfinite(alpha) && alpha > 0.0 && alpha < 1.0;
}

pt_stats_status pt_stats_mandel_h_crit(size_t p, double alpha, double *out)
{
    double t, dp = (double)p;

    if (out == NULL || !alpha_ok(alpha))
        return PT_STATS_BAD_ARG;
    if (p < 3)
        return PT_STATS_TOO_FEW;
    t = gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, dp - 2.0);
    *out = (dp - 1.0) * t / sqrt(dp * (dp - 2.0 + t * t));
    return PT_STATS_OK;
}

pt_stats_status pt_stats_mandel_k_crit(size_t p, size_t n, double alpha,
                                       double *out)
{
    double f, dp = (double)p, nu = (double)n - 1.0;

    if (out == NULL || !alpha_ok(alpha))
        return PT_STATS_BAD_ARG;
    if (p < 2 || n < 2)
        return PT_STATS_TOO_FEW;
    f = gsl_cdf_fdist_Pinv(1.0 - alpha, nu, (dp - 1.0) * nu);
    *out = sqrt(dp / (1.0 + (dp - 1.0) / f));
    return PT_STATS_OK;
}

pt_stats_status pt_stats_cochran_crit(size_t p, size_t n, double alpha,
                                      double *out)
{
    double f, dp = (double)p, nu = (double)n - 1.0;

    if (out == NULL || !alpha_ok(alpha))
        return PT_STATS_BAD_ARG;
    if (p < 2 || n < 2)
        return PT_STATS_TOO_FEW;
    f = gsl_cdf_fdist_Pinv(1.0 - alpha / dp, nu, (dp - 1.0) * nu);
    *out = 1.0 / (1.0 + (dp - 1.0) / f);
    return PT_STATS_OK;
}

pt_stats_status pt_stats_grubbs_crit(size_t p, double alpha, double *out)
{
    double t, dp = (double)p;

    if (out == NULL || !alpha_ok(alpha))
        return PT_STATS_BAD_ARG;
    if (p < 3)
        return PT_STATS_TOO_FEW;
    t = gsl_cdf_tdist_Pinv(1.0 - alpha / (2.0 * dp), dp - 2.0);
    *out = (dp - 1.0) / sqrt(dp) * sqrt(t * t / (dp - 2.0 + t * t));
    return PT_STATS_OK;
}

/* ISO 5725-2:1994 Table 5, "two largest or two smallest", lower critical
 * values at 1 % and 5 % for p = 4 .. 40. */
static const double grubbs2_table[37][2] = {
    {0.0000, 0.0002}, {0.0018, 0.0090}, {0.0116, 0.0349}, {0.0308, 0.0708},
    {0.0563, 0.1101}, {0.0851, 0.1492}, {0.1150, 0.1864}, {0.1448, 0.2213},
    {0.1738, 0.2537}, {0.2016, 0.2836}, {0.2280, 0.3112}, {0.2530, 0.3367},
    {0.2767, 0.3603}, {0.2990, 0.3822}, {0.3200, 0.4025}, {0.3398, 0.4214},
    {0.3585, 0.4391}, {0.3761, 0.4556}, {0.3927, 0.4711}, {0.4085, 0.4857},
    {0.4234, 0.4994}, {0.4376, 0.5123}, {0.4510, 0.5245}, {0.4638, 0.5360},
    {0.4759, 0.5470}, {0.4875, 0.5574}, {0.4985, 0.5672}, {0.5091, 0.5766},
    {0.5192, 0.5856}, {0.5288, 0.5941}, {0.5381, 0.6023}, {0.5469, 0.6101},
    {0.5554, 0.6175}, {0.5636, 0.6247}, {0.5714, 0.6316}, {0.5789, 0.6382},
    {0.5862, 0.6445}};

pt_stats_status pt_stats_grubbs2_crit(size_t p, double alpha, double *out)
{
    if (out == NULL || (alpha != 0.01 && alpha != 0.05))
        return PT_STATS_BAD_ARG;
    if (p < 4)
        return PT_STATS_TOO_FEW;
    if (p > 40)
        return PT_STATS_BAD_ARG;
    *out = grubbs2_table[p - 4][alpha == 0.01 ? 0 : 1];
    return PT_STATS_OK;
}

pt_stats_status pt_stats_grubbs(const double x[], size_t p, double *g_max,
                                double *g_min)
{
    pt_stats_status st;
    double mean, sd, mx, mn;
    size_t i;

    if (x == NULL || g_max == NULL || g_min == NULL)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 3)
        return PT_STATS_TOO_FEW;
    st = pt_stats_mean_sd(x, p, &mean, &sd);
    if (st != PT_STATS_OK)
        return st;
    if (sd == 0.0)
        return PT_STATS_ZERO_SCALE;
    mx = mn = x[0];
    for (i = 1; i < p; i++) {
        mx = fmax(mx, x[i]);
        mn = fmin(mn, x[i]);
    }
    *g_max = (mx - mean) / sd;
    *g_min = (mean - mn) / sd;
    return PT_STATS_OK;
}

/* Sum of squares about the mean of z[0..k-1] (via the sample SD). */
static double sum_sq(const double *z, size_t k)
{
    double mean, sd;

    if (k < 2)
        return 0.0;
    pt_stats_mean_sd(z, k, &mean, &sd);
    return sd * sd * (double)(k - 1);
}

pt_stats_status pt_stats_grubbs2(const double x[], size_t p, double work[],
                                 double *r_max, double *r_min)
{
    double s0;
    size_t i;

    if (x == NULL || work == NULL || work == x || r_max == NULL ||
        r_min == NULL)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 4)
        return PT_STATS_TOO_FEW;
    for (i = 0; i < p; i++) {
        if (!isfinite(x[i]))
            return PT_STATS_NONFINITE;
        work[i] = x[i];
    }
    pt_sort_doubles(work, p);
    s0 = sum_sq(work, p);
    if (!isfinite(s0))
        return PT_STATS_NONFINITE;
    if (s0 == 0.0)
        return PT_STATS_ZERO_SCALE;
    *r_max = sum_sq(work, p - 2) / s0;
    *r_min = sum_sq(work + 2, p - 2) / s0;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_cochran(const double s[], size_t p, double *c,
                                 size_t *imax)
{
    double mx = 0.0, sum = 0.0;
    size_t i, im = 0;

    if (s == NULL || c == NULL)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 2)
        return PT_STATS_TOO_FEW;
    for (i = 0; i < p; i++) {
        if (!isfinite(s[i]))
            return PT_STATS_NONFINITE;
        if (s[i] < 0.0)
            return PT_STATS_BAD_ARG;
        if (s[i] > mx) {
            mx = s[i];
            im = i;
        }
    }
    if (mx == 0.0)
        return PT_STATS_ZERO_SCALE;
    for (i = 0; i < p; i++) /* scaled by the largest: no overflow */
        sum += (s[i] / mx) * (s[i] / mx);
    *c = 1.0 / sum;
    if (imax != NULL)
        *imax = im;
    return PT_STATS_OK;
}
