/*
 * kernel.c -- the mode of a kernel density estimate of the results as an
 * assigned value (ISO 13528:2022 Annex E.6), with a bootstrap
 * standard uncertainty.
 *
 * The density is f(t) = 1/(n h) sum phi((t - x_i)/h) with the normal
 * kernel phi and a bandwidth h the caller chooses (the rule is the
 * caller's to state: Annex E.6 uses h = 0.75 sigma_pt; ptlims' calculator
 * offers that and Silverman's 0.9 min(SD, nIQR) n^-1/5).  Its modes are
 * found by mean-shift, which climbs f monotonically from any start to a
 * local maximum: started from every distinct result, it reaches every
 * mode the data have, and the one with the highest density is taken (the
 * one nearest the median when two are equally high).  The work is
 * O(n^2) kernel evaluations per mean-shift step, so this is meant for
 * rounds of tens to a few thousand results.
 *
 * Deviations from the median are used throughout, so results with a large
 * common offset keep their digits.
 *
 * The density itself, on a grid the caller chooses, is what a kernel
 * density plot (ISO 13528:2022 10.3) draws; pt_stats_kernel_bandwidth
 * states the bandwidth rule a plot uses: 0.75 sigma_pt (E.6) when sigma_pt
 * is known, else Silverman's robust rule 0.9 min(SD, nIQR) n^-1/5.
 *
 * The bootstrap draws B resamples of the n results with replacement from
 * GSL's Mersenne twister (gsl_rng_mt19937) with the caller's seed, so the
 * same call gives the same u every time, and takes the standard deviation
 * of the B modes.
 */
#include <gsl/gsl_rng.h>
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

/* Mean-shift stops when a step is below this share of h. */
#define SHIFT_TOL 1e-12
#define SHIFT_MAX 10000

/* n h f(t) sqrt(2 pi): the unnormalised density at t of sorted r[n]
 * (deviations from the median, h > 0); only the results within 40 h
 * count (exp(-800) is 0 in double). */
static double density(const double *r, size_t n, double h, double t)
{
    double s = 0.0;
    size_t i;

    for (i = 0; i < n; i++) {
        double u = (r[i] - t) / h;
        if (fabs(u) < 40.0)
            s += exp(-0.5 * u * u);
    }
    return s;
}

/* The local maximum of the density that mean-shift reaches from t. */
static double climb(const double *r, size_t n, double h, double t)
{
    int it;

    for (it = 0; it < SHIFT_MAX; it++) {
        double sw = 0.0, swx = 0.0, t1;
        size_t i;
        for (i = 0; i < n; i++) {
            double u = (r[i] - t) / h;
            if (fabs(u) < 40.0) {
                double w = exp(-0.5 * u * u);
                sw += w;
                swx += w * (r[i] - t);
            }
        }
        if (!(sw > 0.0))
            return t;
        t1 = t + swx / sw;
        if (fabs(t1 - t) <= SHIFT_TOL * h)
            return t1;
        t = t1;
    }
    return t;
}

/* The highest mode of sorted deviations r[n], h > 0. */
static double highest_mode(const double *r, size_t n, double h)
{
    double best = 0.0, fbest = -1.0;
    size_t i;

    for (i = 0; i < n; i++) {
        double m, fm;
        if (i > 0 && r[i] == r[i - 1])
            continue;
        m = climb(r, n, h, r[i]);
        fm = density(r, n, h, m);
        if (fm > fbest * (1.0 + 1e-12) ||
            (fm >= fbest * (1.0 - 1e-12) && fabs(m) < fabs(best))) {
            best = m;
            fbest = fm;
        }
    }
    return best;
}

static pt_stats_status kernel_args(const double x[], size_t n, double h,
                                   const double work[])
{
    if (x == NULL || work == NULL || work == x)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (!(isfinite(h) && h > 0.0))
        return PT_STATS_BAD_ARG;
    return PT_STATS_OK;
}

/* r[n] = sorted x - median; *med the median. */
static pt_stats_status centred(const double x[], size_t n, double r[],
                               double *med)
{
    pt_stats_status st = pt_stats_sort(x, n, r);
    size_t i;

    if (st != PT_STATS_OK)
        return st;
    *med = n % 2 ? r[n / 2] : 0.5 * r[n / 2 - 1] + 0.5 * r[n / 2];
    for (i = 0; i < n; i++) {
        r[i] -= *med;
        if (!isfinite(r[i]))
            return PT_STATS_NONFINITE;
    }
    return PT_STATS_OK;
}

pt_stats_status pt_stats_kernel_density(const double x[], size_t n, double h,
                                        const double t[], size_t m,
                                        double f[])
{
    const double norm = 0.3989422804014327; /* 1 / sqrt(2 pi) */
    size_t i, j;

    if (x == NULL || t == NULL || f == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (!(isfinite(h) && h > 0.0))
        return PT_STATS_BAD_ARG;
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return PT_STATS_NONFINITE;
    for (j = 0; j < m; j++) {
        double s = 0.0;
        if (!isfinite(t[j]))
            return PT_STATS_NONFINITE;
        for (i = 0; i < n; i++) {
            double u = (t[j] - x[i]) / h;
            if (fabs(u) < 40.0)
                s += exp(-0.5 * u * u);
        }
        f[j] = s * norm / ((double)n * h);
    }
    return PT_STATS_OK;
}

pt_stats_status pt_stats_kernel_bandwidth(const double x[], size_t n,
                                          double sigma_pt, double work[],
                                          double *h, int *robust)
{
    double mean, sd, niqr, s;
    pt_stats_status st;

    if (x == NULL || work == NULL || h == NULL || robust == NULL ||
        work == x)
        return PT_STATS_BAD_ARG;
    if (isfinite(sigma_pt) && sigma_pt > 0.0) {
        *h = 0.75 * sigma_pt;
        *robust = 0;
        return PT_STATS_OK;
    }
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    st = pt_stats_mean_sd(x, n, &mean, &sd);
    if (st != PT_STATS_OK)
        return st;
    st = pt_stats_niqr(x, n, work, &niqr);
    if (st != PT_STATS_OK)
        return st;
    s = sd < niqr ? sd : niqr;
    if (!(s > 0.0))
        s = sd > niqr ? sd : niqr;
    if (!(s > 0.0))
        return PT_STATS_ZERO_SCALE;
    *h = 0.9 * s * pow((double)n, -0.2);
    *robust = 1;
    return isfinite(*h) ? PT_STATS_OK : PT_STATS_NONFINITE;
}

pt_stats_status pt_stats_kernel_mode(const double x[], size_t n, double h,
                                     double work[], double *out)
{
    pt_stats_status st = kernel_args(x, n, h, work);
    double med;

    if (st != PT_STATS_OK)
        return st;
    if (out == NULL)
        return PT_STATS_BAD_ARG;
    st = centred(x, n, work, &med);
    if (st != PT_STATS_OK)
        return st;
    *out = med + highest_mode(work, n, h);
    return isfinite(*out) ? PT_STATS_OK : PT_STATS_NONFINITE;
}

pt_stats_status pt_stats_kernel_bootstrap(const double x[], size_t n,
                                          double h, size_t b,
                                          unsigned long seed, double work[],
                                          double *u)
{
    pt_stats_status st = kernel_args(x, n, h, work);
    double med, mean = 0.0, m2 = 0.0;
    gsl_rng *rng;
    size_t k, i;

    if (st != PT_STATS_OK)
        return st;
    if (u == NULL || b < 2)
        return PT_STATS_BAD_ARG;
    st = centred(x, n, work, &med);
    if (st != PT_STATS_OK)
        return st;
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (rng == NULL)
        return PT_STATS_NO_MEMORY;
    gsl_rng_set(rng, seed);
    for (k = 0; k < b; k++) {
        double m, dm;
        for (i = 0; i < n; i++)
            work[n + i] = work[gsl_rng_uniform_int(rng, n)];
        pt_sort_doubles(work + n, n);
        m = highest_mode(work + n, n, h);
        dm = m - mean; /* Welford */
        mean += dm / (double)(k + 1);
        m2 += dm * (m - mean);
    }
    gsl_rng_free(rng);
    *u = sqrt(m2 / (double)(b - 1));
    return isfinite(*u) ? PT_STATS_OK : PT_STATS_NONFINITE;
}
