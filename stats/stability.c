/*
 * stability.c -- the stability check of ISO 13528 B.5: the mean of the
 * results after storage (or transport) against the mean before (or the
 * homogeneity mean), with the basic criterion |y1 - y2| <= 0.3 sigma_pt,
 * the expanded criterion that allows for the uncertainty of both means
 * (B.5.2: 0.3 sigma_pt + 2 sqrt(u^2(y1) + u^2(y2))), and the t test of
 * B.5.4 NOTE (Welch's form, which does not assume equal variances).
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "pt_stats.h"

pt_stats_status pt_stats_stability(const double y1[], size_t n1,
                                   const double y2[], size_t n2,
                                   double sigma_pt, pt_stab_result *out)
{
    pt_stats_status st;
    double m1, s1, m2, s2, v1, v2, se, df, t, crit;

    if (y1 == NULL || y2 == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (n1 == 0 || n2 == 0)
        return PT_STATS_EMPTY;
    if (n1 < 2 || n2 < 2)
        return PT_STATS_TOO_FEW;
    if (!(isfinite(sigma_pt) && sigma_pt > 0.0))
        return PT_STATS_BAD_ARG;
    st = pt_stats_mean_sd(y1, n1, &m1, &s1);
    if (st != PT_STATS_OK)
        return st;
    st = pt_stats_mean_sd(y2, n2, &m2, &s2);
    if (st != PT_STATS_OK)
        return st;
    v1 = s1 * s1 / (double)n1;
    v2 = s2 * s2 / (double)n2;
    se = sqrt(v1 + v2);
    out->mean1 = m1;
    out->mean2 = m2;
    out->u1 = sqrt(v1);
    out->u2 = sqrt(v2);
    out->diff = fabs(m1 - m2);
    out->criterion = 0.3 * sigma_pt;
    out->expanded_criterion = out->criterion + 2.0 * se;
    out->passed = out->diff <= out->criterion;
    out->passed_expanded = out->diff <= out->expanded_criterion;
    if (se > 0.0) {
        /* Welch-Satterthwaite degrees of freedom */
        df = (v1 + v2) * (v1 + v2) /
             (v1 * v1 / (double)(n1 - 1) + v2 * v2 / (double)(n2 - 1));
        t = (m1 - m2) / se;
        crit = gsl_cdf_tdist_Pinv(0.975, df);
        out->t = t;
        out->df = df;
        out->t_crit = crit;
        out->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
        out->t_significant = fabs(t) > crit;
    } else {
        out->t = NAN;
        out->df = NAN;
        out->t_crit = NAN;
        out->p_value = NAN;
        out->t_significant = m1 != m2;
    }
    if (!isfinite(out->diff) || !isfinite(out->expanded_criterion))
        return PT_STATS_NONFINITE;
    return PT_STATS_OK;
}
