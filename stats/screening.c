/*
 * screening.c -- the checks ISO 13528 asks for around a score rather than
 * the score itself: whether the uncertainty of the assigned value is large
 * enough that z' must replace z (9.2.1: u(x_pt) >= 0.3 sigma_pt), and the
 * screening of a participant's reported uncertainty in 9.8 (below
 * u(x_pt), or above 1.5 s*, is implausible).
 */
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

/* u >= 0.3 sigma, compared as 10 u >= 3 sigma on the values as integers
 * in their decimal resolution (decimals.c) when they have one: u = 0.051
 * and sigma = 0.17 are on the boundary, where binary says 0.051 < 0.3 x
 * 0.17 = 0.051000000000000004. */
static int u_at_least_03_sigma(double u, double sigma)
{
    const double v[2] = {u, sigma};
    double k[2];
    int d;

    if (pt_stats_decimals(v, 2, &d) != PT_STATS_OK || d < 0)
        return u >= 0.3 * sigma;
    pt_stats_decimals_scale(v, 2, d, k);
    return 10.0 * k[0] >= 3.0 * k[1];
}

pt_stats_status pt_stats_z_auto(double x, double x_pt, double u_x_pt,
                                double sigma_pt, double *score,
                                int *used_z_prime)
{
    pt_stats_status st;
    int prime;

    if (score == NULL || used_z_prime == NULL)
        return PT_STATS_BAD_ARG;
    if (!(isfinite(u_x_pt) && u_x_pt >= 0.0) ||
        !(isfinite(sigma_pt) && sigma_pt > 0.0))
        return PT_STATS_BAD_ARG;
    prime = u_at_least_03_sigma(u_x_pt, sigma_pt);
    if (prime)
        st = pt_stats_z_prime(x, x_pt, u_x_pt, sigma_pt, score);
    else
        st = pt_stats_z(x, x_pt, sigma_pt, score);
    if (st == PT_STATS_OK)
        *used_z_prime = prime;
    return st;
}

pt_stats_status pt_stats_uncertainty_flags(double u_x, double u_x_pt,
                                           double s_star, unsigned *flags)
{
    unsigned f = 0;

    if (flags == NULL || !(isfinite(u_x) && u_x > 0.0) ||
        !(isfinite(u_x_pt) && u_x_pt >= 0.0) ||
        !(isfinite(s_star) && s_star > 0.0))
        return PT_STATS_BAD_ARG;
    if (u_x < u_x_pt)
        f |= PT_UNC_BELOW_U_XPT;
    if (u_x > 1.5 * s_star)
        f |= PT_UNC_ABOVE_1P5_S;
    *flags = f;
    return PT_STATS_OK;
}
