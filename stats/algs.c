/*
 * algs.c -- ISO 13528 Algorithm S (C.4, from ISO 5725-5): a robust pooled
 * value of p standard deviations or ranges, each with nu degrees of
 * freedom, as used for replicate results (E.13) and homogeneity ranges.
 *
 * The factors eta and xi of Table C.1 are computed, not tabulated, so any
 * nu works (an SD of m replicates has nu = m - 1).  eta^2 nu is the 90 %
 * point of chi-squared with nu degrees of freedom.  xi makes w* consistent
 * for sigma: for w = s with nu s^2/sigma^2 ~ chi2(nu),
 *   E[min(w, eta sigma)^2] = sigma^2 [P(chi2_{nu+2} <= nu eta^2)
 *                                     + eta^2 P(chi2_nu > nu eta^2)],
 * and the second probability is 0.1 by the choice of eta, so
 * xi = 1 / sqrt(P(chi2_{nu+2} <= nu eta^2) + 0.1 eta^2).
 *
 * Like Algorithm A, plain iteration can crawl when many values are
 * clamped; under the fixed-point rule the fixed point of the current
 * clamped set is solved directly (w*^2 (p - xi^2 eta^2 n_c) =
 * xi^2 sum of the unclamped w_i^2) and confirmed by an ordinary step.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "pt_stats.h"

#define ALGS_TOL 1e-12
#define ALGS_MAX_ITER 1000

pt_stats_status pt_stats_algs_factors(double nu, double *eta, double *xi)
{
    double e2;

    if (eta == NULL || xi == NULL || !(isfinite(nu) && nu > 0.0))
        return PT_STATS_BAD_ARG;
    e2 = gsl_cdf_chisq_Pinv(0.9, nu) / nu;
    *eta = sqrt(e2);
    *xi = 1.0 / sqrt(gsl_cdf_chisq_P(nu * e2, nu + 2.0) + 0.1 * e2);
    return PT_STATS_OK;
}

static int same_to_sig3(double a, double b)
{
    double q = pow(10.0, floor(log10(b)) - 2.0);

    return round(a / q) == round(b / q);
}

/* One update: w* -> xi sqrt(mean(min(w_i, eta w*)^2)).  Values are scaled
 * by 1/w* first so that nothing overflows when squared. */
static double update(const double w[], size_t p, double ws, double eta,
                     double xi, size_t *n_clamped, double *ss_free)
{
    double ss = 0.0, unclamped = 0.0;
    size_t i, nc = 0;

    for (i = 0; i < p; i++) {
        double v = w[i] / ws;
        if (v > eta) {
            ss += eta * eta;
            nc++;
        } else {
            ss += v * v;
            unclamped += v * v;
        }
    }
    *n_clamped = nc;
    *ss_free = unclamped;
    return ws * xi * sqrt(ss / (double)p);
}

pt_stats_status pt_stats_algs(const double w[], size_t p, double nu,
                              pt_alga_stop stop, double work[],
                              pt_algs_result *out)
{
    double eta, xi, ws, ws1;
    pt_stats_status st;
    int rms_start = 0, it;
    size_t i;

    if (w == NULL || work == NULL || out == NULL || work == w)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 2)
        return PT_STATS_TOO_FEW;
    if (stop != PT_ALGA_STOP_FIXED && stop != PT_ALGA_STOP_SIG3)
        return PT_STATS_BAD_ARG;
    st = pt_stats_algs_factors(nu, &eta, &xi);
    if (st != PT_STATS_OK)
        return st;
    for (i = 0; i < p; i++) {
        if (!isfinite(w[i]))
            return PT_STATS_NONFINITE;
        if (w[i] < 0.0)
            return PT_STATS_BAD_ARG;
    }
    st = pt_stats_median(w, p, work, &ws);
    if (st != PT_STATS_OK)
        return st;
    if (ws == 0.0) {
        double mx = 0.0, ss = 0.0;
        for (i = 0; i < p; i++)
            mx = fmax(mx, w[i]);
        if (mx == 0.0)
            return PT_STATS_ZERO_SCALE;
        for (i = 0; i < p; i++)
            ss += (w[i] / mx) * (w[i] / mx);
        ws = mx * sqrt(ss / (double)p);
        rms_start = 1;
    }
    for (it = 1; it <= ALGS_MAX_ITER; it++) {
        size_t nc;
        double unclamped;
        int done;

        ws1 = update(w, p, ws, eta, xi, &nc, &unclamped);
        if (!isfinite(ws1))
            return PT_STATS_NONFINITE;
        if (ws1 == 0.0)
            return PT_STATS_ZERO_SCALE;
        if (stop == PT_ALGA_STOP_SIG3)
            done = same_to_sig3(ws, ws1);
        else
            done = fabs(ws1 - ws) <= ALGS_TOL * ws1;
        if (done) {
            out->w = ws1;
            out->eta = eta;
            out->xi = xi;
            out->iterations = it;
            out->rms_start = rms_start;
            return PT_STATS_OK;
        }
        ws = ws1;
        if (stop == PT_ALGA_STOP_FIXED && it + 1 < ALGS_MAX_ITER) {
            /* the fixed point of the set that the new w* clamps; taken
             * when it clamps the same set (the sets are nested, so the
             * same count means the same set) */
            size_t nc0, nc1;
            double f0, f1, den;
            update(w, p, ws, eta, xi, &nc0, &f0);
            den = (double)p - xi * xi * eta * eta * (double)nc0;
            if (den > 0.0 && f0 > 0.0) {
                double cand = ws * xi * sqrt(f0 / den);
                update(w, p, cand, eta, xi, &nc1, &f1);
                if (nc1 == nc0 && isfinite(cand) && cand > 0.0) {
                    ws = cand;
                    it++; /* the jump counts as one update */
                }
            }
        }
    }
    return PT_STATS_NO_CONVERGE;
}
