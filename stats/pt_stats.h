/*
 * pt_stats.h -- ISO 13528 statistics for proficiency testing.
 *
 * Pure numerics: arrays in, numbers and a status out.  No I/O, no global
 * state, no allocation unless a function says so.  Every function is safe
 * to call from any thread.  Functions that need scratch space take a `work`
 * array of at least n doubles owned by the caller; its contents on entry do
 * not matter and on return are unspecified, and it must not be the input
 * array (PT_STATS_BAD_ARG).  The input is never modified.  Output
 * parameters are marked OUT and are written only when the function returns
 * PT_STATS_OK.
 *
 * Arguments are checked in this order: NULL pointers (PT_STATS_BAD_ARG),
 * n == 0 (PT_STATS_EMPTY), n below the method's minimum (PT_STATS_TOO_FEW),
 * other arguments (PT_STATS_BAD_ARG), then the values: a NaN or infinity
 * in x[] gives PT_STATS_NONFINITE, and so does a result that would not fit
 * in a double (a spread near DBL_MAX).
 *
 * Constants follow ISO 13528:2022 (1.483 for MADe, 0.7413 for nIQR, 1.5 and
 * 1.134 in Algorithm A), not GSL's (1.4826).
 *
 * Implementation: stats/moments.c (mean, SD), stats/robust.c (median,
 * quantiles, MADe, nIQR), stats/alga.c (Algorithm A), stats/scores.c
 * (scores, classification), stats/status.c (texts).
 */
#ifndef PT_STATS_H
#define PT_STATS_H

#include <stddef.h>

/* Status codes: append only. */
typedef enum pt_stats_status {
    PT_STATS_OK = 0,
    PT_STATS_EMPTY = 1,       /* n == 0 */
    PT_STATS_TOO_FEW = 2,     /* n below what the method needs */
    PT_STATS_NONFINITE = 3,   /* an input is NaN or infinite, or a result
                                 overflows */
    PT_STATS_BAD_ARG = 4,     /* NULL pointer, negative σ or u, … */
    PT_STATS_NO_CONVERGE = 5, /* iteration limit reached */
    PT_STATS_ZERO_SCALE = 6   /* robust scale is zero: data all equal */
} pt_stats_status;

/* A short English description of a status, e.g. "no values"; never NULL
 * ("unknown status" for a value outside the enum).  The string is static:
 * do not free or modify it. */
const char *pt_stats_strerror(pt_stats_status st);

/* Arithmetic mean and sample standard deviation (n - 1), computed with a
 * shifted two-pass algorithm (with the Chan-Golub-LeVeque correction) on
 * values scaled by a power of two, so that 1e6 + small noise keeps its
 * digits and 1e300 or 1e-300 neither overflow nor underflow when squared.
 * n >= 1 for the mean; *sd is NAN when n == 1.  sd may be NULL when only
 * the mean is wanted.  Needs no work array. */
pt_stats_status pt_stats_mean_sd(const double x[], size_t n,
                                 double *mean /* OUT */,
                                 double *sd /* OUT, may be NULL */);

/* Median: the middle order statistic, or the mean of the two middle ones
 * for even n.  Found by selection in work[n] (introselect: O(n) on average
 * and in the worst case, also with many equal values).  n >= 1. */
pt_stats_status pt_stats_median(const double x[], size_t n, double work[],
                                double *out /* OUT */);

/* Quantile with linear interpolation between order statistics
 * (Excel QUARTILE.INC, R type 7, Hyndman and Fan definition 7): with
 * h = (n - 1) p, j = floor(h), the result is x(j) + (h - j)(x(j+1) - x(j))
 * over the sorted values x(0..n-1).  p = 0 gives the minimum, p = 1 the
 * maximum; p outside [0, 1] or NaN is PT_STATS_BAD_ARG.  By selection in
 * work[n], n >= 1. */
pt_stats_status pt_stats_quantile(const double x[], size_t n, double p,
                                  double work[], double *out /* OUT */);

/* MADe = 1.483 * median |x_i - median(x)| (ISO 13528 C.2.2), by selection
 * in work[n], n >= 1.  0 when more than half of the values are equal. */
pt_stats_status pt_stats_made(const double x[], size_t n, double work[],
                              double *out /* OUT */);

/* nIQR = 0.7413 * (Q3 - Q1) with type-7 quartiles (ISO 13528 C.2.3), by
 * selection in work[n]; n >= 2, else PT_STATS_TOO_FEW. */
pt_stats_status pt_stats_niqr(const double x[], size_t n, double work[],
                              double *out /* OUT */);

/* How Algorithm A decides it has converged. */
typedef enum pt_alga_stop {
    PT_ALGA_STOP_FIXED = 0, /* |Δx*| and |Δs*| <= tol * s* (default) */
    PT_ALGA_STOP_SIG3 = 1   /* ISO: 3rd significant figure of s* and the
                               same decimal place of x* unchanged */
} pt_alga_stop;

typedef struct pt_alga_options {
    double k;          /* clamp at x* ± k s*; ISO 1.5 */
    double factor;     /* s* = factor * SD of clamped values; ISO 1.134 */
    pt_alga_stop stop;
    double tol;        /* relative tolerance for PT_ALGA_STOP_FIXED, 1e-12 */
    int max_iter;      /* 1000 */
    int fixed_scale;   /* non-zero: C.3.2 variant, s* held at its start */
} pt_alga_options;

/* Fill `o` with the ISO defaults: k 1.5, factor 1.134, PT_ALGA_STOP_FIXED,
 * tol 1e-12, max_iter 1000, fixed_scale 0.  Does nothing when o is NULL. */
void pt_stats_alga_defaults(pt_alga_options *o /* OUT */);

typedef struct pt_alga_result {
    double x;       /* robust mean x* */
    double s;       /* robust standard deviation s* */
    double u_x;     /* 1.25 s* / sqrt(n): u(x_pt) when x_pt = x* */
    int iterations; /* iterations until the stop rule held */
    int sd_start;   /* non-zero: MADe was 0, started from the sample SD */
} pt_alga_result;

/* ISO 13528 Algorithm A (C.3.1), n >= 3.  opts may be NULL (defaults);
 * they are copied, not kept.  work[n] is scratch as above.
 *
 * Starts from x* = median and s* = MADe, or the sample SD when MADe is 0
 * (out->sd_start = 1); PT_STATS_ZERO_SCALE when that is 0 too (all values
 * equal).  Each iteration clamps every x_i to x* +- k s*, then sets x* to
 * the mean and s* to factor * the SD (n - 1) of the clamped values; with
 * fixed_scale (C.3.2) s* keeps its start value and only x* is updated.
 *
 * Stop rules, checked after each update:
 *  PT_ALGA_STOP_FIXED  |dx*| <= tol s* (or below 4 ulps of x*) and
 *                      |ds*| <= tol s*.  To reach this fixed point quickly
 *                      when plain iteration crawls (about a third of the
 *                      values clamped), the fixed point for the current set
 *                      of clamped values is also solved in closed form and
 *                      taken when it clamps the same values; the next
 *                      ordinary update then confirms it.  That jump counts
 *                      as one iteration.
 *  PT_ALGA_STOP_SIG3   x* and s*, both rounded to the decimal place of the
 *                      3rd significant figure of the new s*, equal their
 *                      previous values so rounded.  Plain iteration, as ISO
 *                      states it; it can stop far from the fixed point on
 *                      slow sets (46 % low in s* on one bimodal test set).
 * out->iterations is the number of updates made, the last one included.
 * PT_STATS_NO_CONVERGE when the rule has not held after max_iter updates.
 * PT_STATS_BAD_ARG for k, factor not positive and finite, tol negative or
 * not finite, max_iter < 1, or an unknown stop rule.  The fixed point with
 * factor = 1/sqrt(beta) is Huber's proposal 2 (tests/stats/test_alga.c). */
pt_stats_status pt_stats_alga(const double x[], size_t n,
                              const pt_alga_options *opts, double work[],
                              pt_alga_result *out /* OUT */);

/* Performance scores (ISO 13528 clause 9):
 *   z    = (x - x_pt) / sigma_pt
 *   z'   = (x - x_pt) / sqrt(sigma_pt^2 + u(x_pt)^2)
 *   zeta = (x - x_pt) / sqrt(u(x)^2 + u(x_pt)^2)
 *   En   = (x - x_pt) / sqrt(U(x)^2 + U(x_pt)^2)
 * Each returns PT_STATS_BAD_ARG when a required σ or uncertainty is not
 * positive and finite: sigma_pt, u_x and U_x must be > 0; u_x_pt and U_x_pt
 * (of the assigned value) may be 0 but not negative.  PT_STATS_NONFINITE
 * when x or x_pt is not finite or the score overflows.  The denominators
 * use hypot(), so huge or tiny uncertainties do not overflow. */
pt_stats_status pt_stats_z(double x, double x_pt, double sigma_pt,
                           double *out /* OUT */);
pt_stats_status pt_stats_z_prime(double x, double x_pt, double u_x_pt,
                                 double sigma_pt, double *out /* OUT */);
pt_stats_status pt_stats_zeta(double x, double u_x, double x_pt,
                              double u_x_pt, double *out /* OUT */);
pt_stats_status pt_stats_en(double x, double U_x, double x_pt,
                            double U_x_pt, double *out /* OUT */);

typedef enum pt_stats_class {
    PT_CLASS_SATISFACTORY = 1,
    PT_CLASS_QUESTIONABLE = 2,  /* warning signal */
    PT_CLASS_UNSATISFACTORY = 3 /* action signal */
} pt_stats_class;

/* z, z', ζ: |s| <= 2 satisfactory, 2 < |s| < 3 questionable, |s| >= 3
 * unsatisfactory.  The score is compared as given (round it first if the
 * report rounds); NaN is unsatisfactory, never satisfactory. */
pt_stats_class pt_stats_classify_z(double score);

/* En: satisfactory below 1; at exactly |En| = 1 satisfactory only when
 * le_one_satisfactory is non-zero (the "|En| <= 1" convention); above 1
 * unsatisfactory.  En has no questionable band.  NaN is unsatisfactory. */
pt_stats_class pt_stats_classify_en(double en, int le_one_satisfactory);

#endif /* PT_STATS_H */
