/*
 * sigma_pt.c -- ways of setting the standard deviation for proficiency
 * assessment other than from the round itself (ISO 13528 clause 8): from
 * a method's reproducibility limit (sigma_R = R / 2.77), from a precision
 * experiment for a result that is the mean of m replicates (8.5), and from
 * the Horwitz curve as modified by Thompson (8.4), and from earlier rounds:
 * a straight line sigma = a + b x fitted (least squares, GSL's
 * gsl_fit_linear) to the robust standard deviations of previous rounds
 * against their assigned values (8.3, Annex E.8),
 * with its coefficient of determination so that a report can show how well
 * the model holds.
 */
#include <gsl/gsl_fit.h>
#include <math.h>

#include "pt_stats.h"

/* 2 sqrt(2) 1.96 rounded, as ISO 5725-6 and ISO 13528 8.5 use it. */
#define LIMIT_FACTOR 2.77

static int positive(double v) { return isfinite(v) && v > 0.0; }

pt_stats_status pt_stats_sigma_from_limit(double limit, double *out)
{
    if (out == NULL || !positive(limit))
        return PT_STATS_BAD_ARG;
    *out = limit / LIMIT_FACTOR;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_sigma_pt_precision(double sigma_R, double sigma_r,
                                            double m, double *out)
{
    double a;

    if (out == NULL || !positive(sigma_R) || !isfinite(sigma_r) ||
        sigma_r < 0.0 || sigma_r > sigma_R || !(isfinite(m) && m >= 1.0))
        return PT_STATS_BAD_ARG;
    /* sqrt((sigma_R - sigma_r c)(sigma_R + sigma_r c)), c^2 = 1 - 1/m:
     * no cancellation and no overflow of the squares */
    a = sigma_r * sqrt(1.0 - 1.0 / m); /* <= sigma_r <= sigma_R */
    *out = sqrt(sigma_R - a) * sqrt(sigma_R + a);
    return PT_STATS_OK;
}

pt_stats_status pt_stats_sigma_pt_from_limits(double R, double r, double m,
                                              double *out)
{
    if (!positive(R) || !isfinite(r) || r < 0.0)
        return PT_STATS_BAD_ARG;
    return pt_stats_sigma_pt_precision(R / LIMIT_FACTOR, r / LIMIT_FACTOR, m,
                                       out);
}

pt_stats_status pt_stats_horwitz(double c, double *out)
{
    if (out == NULL || !(positive(c) && c <= 1.0))
        return PT_STATS_BAD_ARG;
    if (c < 1.2e-7)
        *out = 0.22 * c;
    else if (c <= 0.138)
        *out = 0.02 * pow(c, 0.8495);
    else
        *out = 0.01 * sqrt(c);
    return PT_STATS_OK;
}

pt_stats_status pt_stats_sigma_pt_rounds(const double level[],
                                         const double sd[], size_t p,
                                         pt_rounds_fit *out)
{
    double c0, c1, cov00, cov01, cov11, sumsq, mean = 0.0, tss = 0.0;
    size_t i;

    if (level == NULL || sd == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 3)
        return PT_STATS_TOO_FEW;
    for (i = 0; i < p; i++) {
        if (!isfinite(level[i]) || !isfinite(sd[i]))
            return PT_STATS_NONFINITE;
        if (sd[i] < 0.0)
            return PT_STATS_BAD_ARG;
        mean += sd[i];
    }
    mean /= (double)p;
    for (i = 0; i < p; i++)
        tss += (sd[i] - mean) * (sd[i] - mean);
    for (i = 1; i < p && level[i] == level[0]; i++)
        ;
    if (i == p) /* one level: no slope to fit */
        return PT_STATS_ZERO_SCALE;
    gsl_fit_linear(level, 1, sd, 1, p, &c0, &c1, &cov00, &cov01, &cov11,
                   &sumsq);
    out->intercept = c0;
    out->slope = c1;
    out->r_squared = tss > 0.0 ? 1.0 - sumsq / tss : 1.0;
    out->s_residual = sqrt(sumsq / (double)(p - 2));
    out->p = p;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_sigma_pt_at(const pt_rounds_fit *fit, double level,
                                     double *out)
{
    double s;

    if (fit == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (!isfinite(level))
        return PT_STATS_NONFINITE;
    s = fit->intercept + fit->slope * level;
    if (!(s > 0.0)) /* the line says nothing usable at this level */
        return PT_STATS_BAD_ARG;
    *out = s;
    return PT_STATS_OK;
}
