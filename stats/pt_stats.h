/*
 * pt_stats.h -- ISO 13528 statistics for proficiency testing.
 *
 * Pure numerics: arrays in, numbers and a status out.  No I/O, no global
 * state, no allocation unless a function says so.  Every function is safe
 * to call from any thread.  Functions that need scratch space take a `work`
 * array of at least n doubles owned by the caller; the input is never
 * modified.  Output parameters are marked OUT and are written only when the
 * function returns PT_STATS_OK.
 *
 * Constants follow ISO 13528:2022 (1.483 for MADe, 0.7413 for nIQR, 1.5 and
 * 1.134 in Algorithm A), not GSL's (1.4826).
 */
#ifndef PT_STATS_H
#define PT_STATS_H

#include <stddef.h>

/* Status codes: append only. */
typedef enum pt_stats_status {
    PT_STATS_OK = 0,
    PT_STATS_EMPTY = 1,       /* n == 0 */
    PT_STATS_TOO_FEW = 2,     /* n below what the method needs */
    PT_STATS_NONFINITE = 3,   /* an input is NaN or infinite */
    PT_STATS_BAD_ARG = 4,     /* NULL pointer, negative σ or u, … */
    PT_STATS_NO_CONVERGE = 5, /* iteration limit reached */
    PT_STATS_ZERO_SCALE = 6   /* robust scale is zero: data all equal */
} pt_stats_status;

/* A short English description of a status; static string. */
const char *pt_stats_strerror(pt_stats_status st);

/* Arithmetic mean and sample standard deviation (n - 1), computed with a
 * shifted two-pass algorithm so that 1e6 + small noise keeps its digits.
 * n >= 1 for the mean; sd is NAN when n == 1. */
pt_stats_status pt_stats_mean_sd(const double x[], size_t n,
                                 double *mean /* OUT */,
                                 double *sd /* OUT, may be NULL */);

/* Median by O(n) selection in work[n]. */
pt_stats_status pt_stats_median(const double x[], size_t n, double work[],
                                double *out /* OUT */);

/* Quantile with linear interpolation between order statistics
 * (Excel QUARTILE.INC, R type 7), p in [0, 1], by selection in work[n]. */
pt_stats_status pt_stats_quantile(const double x[], size_t n, double p,
                                  double work[], double *out /* OUT */);

/* MADe = 1.483 * median |x_i - median(x)|. */
pt_stats_status pt_stats_made(const double x[], size_t n, double work[],
                              double *out /* OUT */);

/* nIQR = 0.7413 * (Q3 - Q1), type-7 quartiles; n >= 2. */
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

/* Fill `o` with the ISO defaults. */
void pt_stats_alga_defaults(pt_alga_options *o /* OUT */);

typedef struct pt_alga_result {
    double x;       /* robust mean x* */
    double s;       /* robust standard deviation s* */
    double u_x;     /* 1.25 s* / sqrt(n): u(x_pt) when x_pt = x* */
    int iterations; /* iterations until the stop rule held */
    int sd_start;   /* non-zero: MADe was 0, started from the sample SD */
} pt_alga_result;

/* ISO 13528 Algorithm A (C.3.1), n >= 3.  opts may be NULL (defaults). */
pt_stats_status pt_stats_alga(const double x[], size_t n,
                              const pt_alga_options *opts, double work[],
                              pt_alga_result *out /* OUT */);

/* Performance scores (ISO 13528 clause 9).  Each returns PT_STATS_BAD_ARG
 * when a required σ or uncertainty is not positive and finite. */
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
 * unsatisfactory. */
pt_stats_class pt_stats_classify_z(double score);

/* En: satisfactory below 1; at exactly |En| = 1 satisfactory only when
 * le_one_satisfactory is non-zero (the "|En| <= 1" convention); above 1
 * unsatisfactory.  En has no questionable band. */
pt_stats_class pt_stats_classify_en(double en, int le_one_satisfactory);

#endif /* PT_STATS_H */
