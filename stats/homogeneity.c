/*
 * homogeneity.c -- the homogeneity check of ISO 13528 Annex B.2 and B.3:
 * g proficiency test items measured m times each.  The between-item
 * standard deviation s_s is compared with 0.3 sigma_pt and with the
 * expanded criterion whose factors F1 and F2 come from GSL's chi-squared
 * and F quantiles for any g and m (they reproduce Table B.1 for m = 2);
 * the one-way analysis-of-variance F test, Cochran's test on the
 * within-item variances (the pairs' ranges when m = 2) and
 * sigma'_pt = sqrt(sigma_pt^2 + s_s^2) are reported with it.
 *
 * When each item can be measured only once (B.1.2), the within-item
 * variance cannot come from the check itself; with the method's
 * repeatability s_r known from elsewhere, s_s^2 = s_x^2 - s_r^2 (the same
 * decomposition with m = 1).
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "pt_stats.h"

pt_stats_status pt_stats_homogeneity(const double x[], size_t g, size_t m,
                                     double sigma_pt, pt_homog_result *out)
{
    pt_stats_status st;
    double dg = (double)g, dm = (double)m;
    double sum_var = 0.0, max_var = 0.0, mean = 0.0, m2 = 0.0;
    double s_x2, s_w2, s_s2, crit, f1, f2, fcrit;
    size_t i, imax = 0;

    if (x == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (g == 0 || m == 0)
        return PT_STATS_EMPTY;
    if (g < 2 || m < 2)
        return PT_STATS_TOO_FEW;
    if (!(isfinite(sigma_pt) && sigma_pt > 0.0))
        return PT_STATS_BAD_ARG;

    /* One pass over the items: each item's mean and SD, the within
     * variances summed, and the mean and scatter of the item means by
     * Welford's update (stable under a large common offset). */
    for (i = 0; i < g; i++) {
        double mi, si, d;
        st = pt_stats_mean_sd(x + i * m, m, &mi, &si);
        if (st != PT_STATS_OK)
            return st;
        sum_var += si * si;
        if (si * si > max_var) {
            max_var = si * si;
            imax = i;
        }
        d = mi - mean;
        mean += d / (double)(i + 1);
        m2 += d * (mi - mean);
    }
    if (!isfinite(sum_var) || !isfinite(m2))
        return PT_STATS_NONFINITE;
    s_x2 = m2 > 0.0 ? m2 / (dg - 1.0) : 0.0;
    s_w2 = sum_var / dg;
    s_s2 = s_x2 - s_w2 / dm;
    crit = 0.3 * sigma_pt;
    f1 = gsl_cdf_chisq_Pinv(0.95, dg - 1.0) / (dg - 1.0);
    fcrit = gsl_cdf_fdist_Pinv(0.95, dg - 1.0, dg * (dm - 1.0));
    f2 = (fcrit - 1.0) / dm;

    out->g = g;
    out->m = m;
    out->mean = mean;
    out->s_x = sqrt(s_x2);
    out->s_w = sqrt(s_w2);
    out->s_s = s_s2 > 0.0 ? sqrt(s_s2) : 0.0;
    out->criterion = crit;
    out->F1 = f1;
    out->F2 = f2;
    out->expanded_criterion = sqrt(f1 * crit * crit + f2 * s_w2);
    out->anova_F = s_w2 > 0.0 ? dm * s_x2 / s_w2 : NAN;
    out->anova_F_crit = fcrit;
    out->cochran_C = max_var > 0.0 ? max_var / sum_var : NAN;
    out->cochran_item = imax;
    st = pt_stats_cochran_crit(g, m, 0.05, &out->cochran_crit);
    if (st != PT_STATS_OK)
        return st;
    out->sigma_pt_prime = hypot(sigma_pt, out->s_s);
    out->passed = out->s_s <= crit;
    out->passed_expanded = out->s_s <= out->expanded_criterion;
    out->anova_significant = s_w2 > 0.0 && out->anova_F > fcrit;
    if (!isfinite(out->mean) || !isfinite(out->s_x) ||
        !isfinite(out->expanded_criterion))
        return PT_STATS_NONFINITE;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_homogeneity_single(const double x[], size_t g,
                                            double s_r, double sigma_pt,
                                            pt_homog_result *out)
{
    pt_homog_result r;
    pt_stats_status st;
    double mean, s_x, s_s2, crit;

    if (x == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (g == 0)
        return PT_STATS_EMPTY;
    if (g < 2)
        return PT_STATS_TOO_FEW;
    if (!(isfinite(sigma_pt) && sigma_pt > 0.0) ||
        !(isfinite(s_r) && s_r >= 0.0))
        return PT_STATS_BAD_ARG;
    st = pt_stats_mean_sd(x, g, &mean, &s_x);
    if (st != PT_STATS_OK)
        return st;
    /* (s_x - s_r)(s_x + s_r): no squares to overflow */
    s_s2 = (s_x - s_r) * (s_x + s_r);
    crit = 0.3 * sigma_pt;
    r.g = g;
    r.m = 1;
    r.mean = mean;
    r.s_x = s_x;
    r.s_w = s_r;
    r.s_s = s_s2 > 0.0 ? sqrt(s_x - s_r) * sqrt(s_x + s_r) : 0.0;
    r.criterion = crit;
    r.F1 = gsl_cdf_chisq_Pinv(0.95, (double)g - 1.0) / ((double)g - 1.0);
    r.F2 = NAN;
    r.expanded_criterion = NAN;
    r.anova_F = NAN;
    r.anova_F_crit = NAN;
    r.cochran_C = NAN;
    r.cochran_crit = NAN;
    r.cochran_item = 0;
    r.sigma_pt_prime = hypot(sigma_pt, r.s_s);
    r.passed = r.s_s <= crit;
    r.passed_expanded = 0;
    r.anova_significant = 0;
    if (!isfinite(r.mean) || !isfinite(r.s_x))
        return PT_STATS_NONFINITE;
    *out = r;
    return PT_STATS_OK;
}
