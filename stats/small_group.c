/*
 * small_group.c -- the guard against consensus z scores in small rounds.
 *
 * With the mean and standard deviation of the same n results as x_pt and
 * sigma_pt, no |z| can exceed (n - 1)/sqrt(n) (the extreme case: n - 1
 * equal results and one apart): 0.71 for n = 2, 1.15 for n = 3, 1.79 for
 * n = 5.  Such a z can never give a warning, let alone an action signal,
 * so it would report every laboratory "satisfactory" whatever it did.
 * The bilateral and small comparisons this product serves are scored
 * against the reference laboratory (En, zeta) or against sigma_pt from the
 * method's R instead; this file says so with a status.
 */
#include <math.h>

#include "pt_stats.h"

pt_stats_status pt_stats_consensus_z_check(size_t n, double z_limit,
                                           double *max_z,
                                           unsigned *alternatives)
{
    double m;

    if (max_z == NULL || alternatives == NULL ||
        !(isfinite(z_limit) && z_limit > 0.0))
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    m = (double)(n - 1) / sqrt((double)n);
    *max_z = m;
    if (m < z_limit) {
        *alternatives = PT_ALT_EN_ZETA_REFERENCE | PT_ALT_SIGMA_FROM_METHOD;
        return PT_STATS_TOO_FEW;
    }
    *alternatives = 0;
    return PT_STATS_OK;
}

const char *pt_stats_small_group_advice(void)
{
    return "too few results for a consensus z: with the mean and SD of n "
           "results |z| cannot exceed (n - 1)/sqrt(n), so no result could "
           "ever be flagged; score against the reference laboratory (En or "
           "zeta with its uncertainty) or use sigma_pt from the method's "
           "reproducibility R";
}
