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
    PT_STATS_ZERO_SCALE = 6,  /* robust scale is zero: data all equal */
    PT_STATS_NO_MEMORY = 7    /* an allocation the function documents
                                 failed */
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

/* ---- Decimal resolution (stats/decimals.c) ----
 * Results reported to fixed decimals are not exact in binary, so
 * differences that are equal as reported (63.9 - 63.8, 64.4 - 64.3) can
 * differ by a few ulps.  The estimators built on pairwise differences (Qn,
 * the Q method, Hampel and Q/Hampel) therefore work on the values as
 * integers in units of the data's decimal resolution, where equal
 * differences are equal, and scale the estimate back: the results do not
 * change when the data are shifted by a constant that keeps that
 * resolution, and scale exactly with a power of ten. */

/* Largest number of decimals looked for (10^22 is the largest power of
 * ten a double holds exactly). */
#define PT_STATS_MAX_DECIMALS 22

/* *decimals = the smallest d in 0 .. PT_STATS_MAX_DECIMALS such that every
 * x_i 10^d lies within 2 DBL_EPSILON |x_i 10^d| (2 to 4 ulps) of an
 * integer of magnitude below 2^47 (any
 * value read from decimal text with at most d decimals does), or -1 when
 * there is none: such data are compared in binary as they are.  n may be
 * 0 (then 0).  PT_STATS_NONFINITE for NaN or an infinity. */
pt_stats_status pt_stats_decimals(const double x[], size_t n,
                                  int *decimals /* OUT */);

/* 10^d for 0 <= d <= PT_STATS_MAX_DECIMALS (exact), else NAN. */
double pt_stats_pow10(int d);

/* out[i] = x_i 10^d rounded to the nearest integer (+0 for a zero), for d
 * from pt_stats_decimals; d = -1 copies x.  out may be x. */
void pt_stats_decimals_scale(const double x[], size_t n, int decimals,
                             double out[] /* OUT */);

/* A value reported to `decimals` decimals (0 .. PT_STATS_MAX_DECIMALS)
 * agrees with the value recomputed from the data when it is that value
 * rounded to those decimals, whichever way a tie was rounded:
 * |recomputed - reported| <= 10^-decimals / 2, with an allowance of 4
 * DBL_EPSILON of the larger magnitude for the binary representation of
 * both.  The rule by which a provider's x_pt, u(x_pt), sigma_pt and
 * score are reconciled with ptlims's.  1: agrees, 0: differs beyond
 * rounding, -1: not comparable (a NaN, or decimals out of range). */
int pt_stats_agrees_rounded(double recomputed, double reported,
                            int decimals);

/* The decimals a number is written with: "8.50" 2, "4480" 0, "-2.24" 2,
 * "1.2e-3" 4, "45e2" 0; -1 when text is not a plain decimal number. */
int pt_stats_text_decimals(const char *text);

/* ---- The same on data sorted once ----
 * A caller that wants several estimators of one data set can sort it once
 * and use the *_sorted forms below; each returns exactly (bit for bit)
 * what its general form returns for the same values in any order, except
 * that where -0 and +0 tie either may come out.  The
 * median, MADe and nIQR forms trust z to be sorted and finite (they read
 * O(log n) values); Qn and the Q method check it in O(n). */

/* z[0..n) = x[0..n) sorted ascending, in O(n log n) (introsort); z may be
 * x.  PT_STATS_NONFINITE for NaN or an infinity (z then undefined). */
pt_stats_status pt_stats_sort(const double x[], size_t n,
                              double z[] /* OUT */);

/* Median of sorted z[0..n), n >= 1: O(1). */
pt_stats_status pt_stats_median_sorted(const double z[], size_t n,
                                       double *out /* OUT */);

/* MADe of sorted z[0..n), n >= 1: the distances below and above the
 * median are two sorted sequences, and their median is found by bisection
 * in O(log n), no work array. */
pt_stats_status pt_stats_made_sorted(const double z[], size_t n,
                                     double *out /* OUT */);

/* nIQR of sorted z[0..n), n >= 2: O(1). */
pt_stats_status pt_stats_niqr_sorted(const double z[], size_t n,
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
 * equal), or when s* falls below 1e-15 of its start (it tends to 0: more
 * than half of the values are equal and the others are clamped).  Each iteration clamps every x_i to x* +- k s*, then sets x* to
 * the mean and s* to factor * the SD (n - 1) of the clamped values; with
 * fixed_scale (C.3.2) s* keeps its start value and only x* is updated.
 *
 * Stop rules, checked after each update:
 *  PT_ALGA_STOP_FIXED  |dx*| <= tol s* (or below 4 ulps of x*) and
 *                      |ds*| <= tol s*, with tol raised to n DBL_EPSILON
 *                      (the rounding floor of the sums) when larger.  To reach this fixed point quickly
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

/* Algorithm A as pt_stats_alga, started from the median and MADe of x
 * that the caller already has (pt_stats_median_sorted and
 * pt_stats_made_sorted): the same result without selecting them again,
 * and no work array.  PT_STATS_BAD_ARG when median is not finite or made
 * is negative or not finite. */
pt_stats_status pt_stats_alga_from(const double x[], size_t n,
                                   const pt_alga_options *opts,
                                   double median, double made,
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

/* The name of a class as stored and written ("satisfactory",
 * "questionable", "unsatisfactory"); static, never NULL (an unknown value
 * is named unsatisfactory, never satisfactory). */
const char *pt_stats_class_name(pt_stats_class c);

/* The class of a name, or 0 when `name` names none. */
int pt_stats_class_parse(const char *name);

/* ==================================================================== *
 * Added for the complete engine (issue 3).  Implementation: algs.c,     *
 * qn.c, qmethod.c, hampel.c, pairsel.c (internal), differences.c,       *
 * screening.c, sigma_pt.c, homogeneity.c, stability.c, precision.c,     *
 * critical.c, compare.c, small_group.c.                                 *
 * ==================================================================== */

/* ---- Algorithm S (ISO 13528 C.4, ISO 5725-5) ---- */

/* Limit factor eta = sqrt(chi2_0.9(nu) / nu) and adjustment factor
 * xi = 1 / sqrt(P(chi2_{nu+2} <= nu eta^2) + 0.1 eta^2) for standard
 * deviations (or ranges) with nu degrees of freedom, computed from GSL's
 * chi-squared distribution rather than read from Table C.1 (which it
 * reproduces: nu = 1 gives 1.645 and 1.097).  nu > 0 and finite (it need
 * not be an integer), else PT_STATS_BAD_ARG. */
pt_stats_status pt_stats_algs_factors(double nu, double *eta /* OUT */,
                                      double *xi /* OUT */);

typedef struct pt_algs_result {
    double w;        /* robust pooled standard deviation (or range) w* */
    double eta, xi;  /* the factors used */
    int iterations;  /* updates made, the last one included */
    int rms_start;   /* non-zero: the median was 0, started from the root
                        mean square of the values */
} pt_algs_result;

/* Algorithm S over p >= 2 standard deviations (or ranges) w[] >= 0, each
 * with nu degrees of freedom.  Start w* = median(w) (the root mean square
 * when the median is 0; PT_STATS_ZERO_SCALE when that is 0 too); each
 * update clamps every w_i at eta w* and sets w* = xi sqrt(mean(clamped^2)).
 * stop is PT_ALGA_STOP_FIXED (|dw*| <= 1e-12 w*, with the same closed-form
 * jump to the fixed point of the current clamped set as Algorithm A) or
 * PT_ALGA_STOP_SIG3 (3rd significant figure of w* unchanged).  A negative
 * w_i is PT_STATS_BAD_ARG; NaN or infinity PT_STATS_NONFINITE.  work[p]. */
pt_stats_status pt_stats_algs(const double w[], size_t p, double nu,
                              pt_alga_stop stop, double work[],
                              pt_algs_result *out /* OUT */);

/* ---- Qn (ISO 13528:2022/Amd 1:2026 C.5.2.1) ---- */

/* Small-sample factor b_p of Qn: ISO Table C.2 for 2 <= p <= 12 (0.3994,
 * 0.9937, 0.5132, 0.8440, 0.6122, 0.8588, 0.6699, 0.8734, 0.7201, 0.8891,
 * 0.7574), else 1 / (1 + r_p) with r_p = (1.6019 + (-2.128 - 5.172/p)/p)/p
 * for odd p and (3.6756 + (1.965 + (6.987 - 77/p)/p)/p)/p for even p.
 * NAN for p < 2. */
double pt_stats_qn_bp(size_t p);

/* Doubles and size_t elements of work needed by pt_stats_qn. */
#define PT_STATS_QN_WORK(n) (3 * (n))
#define PT_STATS_QN_IWORK(n) (2 * (n))

/* Qn = 2.2191 b_p d_(k), where d_(k) is the k-th smallest of the
 * p(p - 1)/2 differences |x_i - x_j| (i < j), h = floor(p/2) + 1 and
 * k = h(h - 1)/2.  n >= 2.  The k-th difference is found without forming
 * the pairs (selection in the sorted matrix of differences: sampled
 * brackets, with Croux and Rousseeuw's weighted median of row medians as
 * the guaranteed fallback): O(n log n) time,
 * work[PT_STATS_QN_WORK(n)] doubles and iwork[PT_STATS_QN_IWORK(n)]. 0 when
 * more than about a quarter of the pairs are ties. */
pt_stats_status pt_stats_qn(const double x[], size_t n, double work[],
                            size_t iwork[], double *out /* OUT */);

/* Doubles and size_t elements of work needed by pt_stats_qn_sorted. */
#define PT_STATS_QN_SORTED_WORK(n) (3 * (n))
#define PT_STATS_QN_SORTED_IWORK(n) (2 * (n))

/* Qn of z[0..n) sorted ascending (PT_STATS_BAD_ARG if it is not), as
 * pt_stats_qn; work[PT_STATS_QN_SORTED_WORK(n)] must not overlap z. */
pt_stats_status pt_stats_qn_sorted(const double z[], size_t n, double work[],
                                   size_t iwork[], double *out /* OUT */);

/* ---- Q method (C.5.2.2), Hampel (C.5.3), Q/Hampel (C.5.4) ---- */

#define PT_STATS_QMETHOD_WORK(n) (5 * (n))
#define PT_STATS_QMETHOD_IWORK(n, p) (6 * (n) + (p) + 1)

typedef struct pt_qmethod_result {
    double s;    /* robust (reproducibility) standard deviation s* */
    double h0;   /* H1(0): share of tied between-laboratory pairs */
    double u_x;  /* 1.25 s* / sqrt(p) */
} pt_qmethod_result;

/* The Q method over p >= 2 laboratories: y[] holds counts[0] results of
 * the first laboratory, then counts[1] of the second, ... (each count >= 1,
 * n = their sum).  H1(x) is the share of between-laboratory pairs with
 * |y_ik - y_jl| <= x, each pair weighted 1/(n_i n_j) and each pair of
 * laboratories equally; G1 interpolates linearly between 0 (at 0) and the
 * midpoints (H1(x_i) + H1(x_{i-1}))/2 at its jumps x_i > 0, and
 * s* = G1^-1(0.25 + 0.75 H1(0)) / (sqrt 2 Phi^-1(0.625 + 0.375 H1(0))).
 * The jumps are found by selection among the pairwise differences, never
 * by forming the pairs: O(n log n) time.  PT_STATS_ZERO_SCALE when all
 * between-laboratory pairs are ties.  work and iwork sized by the macros
 * above. */
pt_stats_status pt_stats_qmethod(const double y[], const size_t counts[],
                                 size_t p, double work[], size_t iwork[],
                                 pt_qmethod_result *out /* OUT */);

/* Doubles of work needed by pt_stats_hampel. */
#define PT_STATS_HAMPEL_WORK(n) (n)

/* Hampel's redescending M-estimator of location with a known scale s > 0
 * (C.5.3): x* solves sum psi((x_i - x*)/s) = 0, psi the three-part
 * function with knots 1.5, 3 and 4.5.  Finite-step algorithm: sum psi is
 * piecewise linear in x*, so every solution is found exactly from the 6n
 * knots; the one nearest the median is taken (the median itself when two
 * are equally near, or when there is none).  O(n log n); n >= 1;
 * work[PT_STATS_HAMPEL_WORK(n)]. */
pt_stats_status pt_stats_hampel(const double x[], size_t n, double s,
                                double work[], double *out /* OUT */);

typedef struct pt_qhampel_result {
    double x;   /* Hampel location of the laboratory means */
    double s;   /* Q-method s* */
    double u_x; /* 1.25 s* / sqrt(p) */
} pt_qhampel_result;

/* Q/Hampel (C.5.4): s* by the Q method over y[] grouped by counts[], x*
 * the Hampel estimate of the p laboratory means with that s*.  work and
 * iwork as for the Q method. */
pt_stats_status pt_stats_qhampel(const double y[], const size_t counts[],
                                 size_t p, double work[], size_t iwork[],
                                 pt_qhampel_result *out /* OUT */);

/* Doubles and size_t elements of work needed by the two functions below. */
#define PT_STATS_QHAMPEL_SORTED_WORK(n) (3 * (n))
#define PT_STATS_QHAMPEL_SORTED_IWORK(n) (2 * (n))

/* The Q method for one result per laboratory, z[0..n) sorted ascending
 * (PT_STATS_BAD_ARG if it is not), n >= 2: as pt_stats_qmethod with every
 * count 1.  work and iwork sized by the macros above, not overlapping z. */
pt_stats_status pt_stats_qmethod_sorted(const double z[], size_t n,
                                        double work[], size_t iwork[],
                                        pt_qmethod_result *out /* OUT */);

/* Q/Hampel for one result per laboratory, z sorted: as pt_stats_qhampel
 * with every count 1. */
pt_stats_status pt_stats_qhampel_sorted(const double z[], size_t n,
                                        double work[], size_t iwork[],
                                        pt_qhampel_result *out /* OUT */);

/* u(x_pt) = 1.25 s* / sqrt(p) (ISO 13528 7.7.3) for any robust s*;
 * s* >= 0 and finite, p >= 1. */
pt_stats_status pt_stats_u_robust(double s, size_t p, double *out /* OUT */);

/* ---- Difference scores (clause 9.3) ---- */

/* D = x - x_pt; D% = 100 D / x_pt (x_pt != 0, else PT_STATS_BAD_ARG);
 * PA = 100 D / delta_E (delta_E > 0).  PT_STATS_NONFINITE for a non-finite
 * input or result. */
pt_stats_status pt_stats_d(double x, double x_pt, double *out /* OUT */);
pt_stats_status pt_stats_d_pct(double x, double x_pt, double *out /* OUT */);
pt_stats_status pt_stats_pa(double x, double x_pt, double delta_e,
                            double *out /* OUT */);

/* ---- z or z' (9.2.1) and the 9.8 uncertainty screening ---- */

/* z' is used instead of z when u(x_pt) >= 0.3 sigma_pt.  *score is the
 * score used and *used_z_prime says which (so a report can say so). */
pt_stats_status pt_stats_z_auto(double x, double x_pt, double u_x_pt,
                                double sigma_pt, double *score /* OUT */,
                                int *used_z_prime /* OUT */);

/* The score a verdict is on (9.2 to 9.7). */
typedef enum pt_stats_score_kind {
    PT_SCORE_NONE = 0,
    PT_SCORE_EN = 1,      /* against a reference laboratory's result */
    PT_SCORE_Z = 2,
    PT_SCORE_Z_PRIME = 3, /* u(x_pt) >= 0.3 sigma_pt */
    PT_SCORE_ZETA = 4     /* no sigma_pt */
} pt_stats_score_kind;

/* What a result's score needs; NaN where not known. */
typedef struct pt_stats_score_in {
    double x, U, k;       /* result, expanded uncertainty, coverage factor */
    double x_pt, u_x_pt;  /* assigned value, its standard uncertainty */
    double U_x_pt;        /* its expanded uncertainty (En) */
    double sigma_pt;
    int by_reference;     /* x_pt is a reference laboratory's result */
    int en_le_one_satisfactory;
} pt_stats_score_in;

/* En when by_reference and both U are known; else z, or z' when u(x_pt)
 * >= 0.3 sigma_pt (an unknown u(x_pt) gives z); else zeta.  *kind, *value
 * and *cls; PT_STATS_TOO_FEW (kind PT_SCORE_NONE) when no score applies. */
pt_stats_status pt_stats_primary_score(const pt_stats_score_in *in,
                                       pt_stats_score_kind *kind /* OUT */,
                                       double *value /* OUT */,
                                       pt_stats_class *cls /* OUT */);

/* "En", "z", "z'", "zeta"; NULL for PT_SCORE_NONE. */
const char *pt_stats_score_kind_name(pt_stats_score_kind k);

/* Flags of ISO 13528 9.8 for a reported standard uncertainty u(x). */
enum {
    PT_UNC_BELOW_U_XPT = 1,    /* u(x) < u(x_pt): implausibly small */
    PT_UNC_ABOVE_1P5_S = 2     /* u(x) > 1.5 s*: implausibly large */
};

/* *flags = OR of the enum above (0 = no flag).  u_x > 0, u_x_pt >= 0,
 * s_star > 0, all finite, else PT_STATS_BAD_ARG. */
pt_stats_status pt_stats_uncertainty_flags(double u_x, double u_x_pt,
                                           double s_star,
                                           unsigned *flags /* OUT */);

/* ---- sigma_pt (clause 8) ---- */

/* sigma_R = R / 2.77 (R the 95 % reproducibility limit); R > 0. */
pt_stats_status pt_stats_sigma_from_limit(double limit, double *out /* OUT */);

/* Clause 8.5: sigma_pt = sqrt(sigma_R^2 - sigma_r^2 (1 - 1/m)) for a
 * result that is the mean of m >= 1 replicates.  sigma_R > 0,
 * 0 <= sigma_r <= sigma_R. */
pt_stats_status pt_stats_sigma_pt_precision(double sigma_R, double sigma_r,
                                            double m, double *out /* OUT */);

/* The same from the limits: sigma_R = R / 2.77, sigma_r = r / 2.77. */
pt_stats_status pt_stats_sigma_pt_from_limits(double R, double r, double m,
                                              double *out /* OUT */);

/* Horwitz-Thompson (8.4): c a mass fraction in (0, 1]; sigma = 0.22 c for
 * c < 1.2e-7, 0.02 c^0.8495 for 1.2e-7 <= c <= 0.138, 0.01 c^0.5 above;
 * sigma in the same unit (a mass fraction). */
pt_stats_status pt_stats_horwitz(double c, double *out /* OUT */);

/* sigma_pt from previous rounds (8.3, Annex E.8): the straight line
 * sigma = intercept + slope x fitted by least squares to the robust SDs
 * sd[] of p >= 3 earlier rounds against their assigned values level[]. */
typedef struct pt_rounds_fit {
    double intercept, slope;
    double r_squared;   /* coefficient of determination of the fit */
    double s_residual;  /* residual SD, p - 2 degrees of freedom */
    size_t p;
} pt_rounds_fit;

/* PT_STATS_ZERO_SCALE when every level is the same (no line); a negative
 * sd is PT_STATS_BAD_ARG. */
pt_stats_status pt_stats_sigma_pt_rounds(const double level[],
                                         const double sd[], size_t p,
                                         pt_rounds_fit *out /* OUT */);

/* sigma_pt = intercept + slope level from the fit; PT_STATS_BAD_ARG when
 * that is not positive. */
pt_stats_status pt_stats_sigma_pt_at(const pt_rounds_fit *fit, double level,
                                     double *out /* OUT */);

/* ---- Assigned values from outside the round (clause 7, assigned.c) ---- */

/* A formulation (7.3), a certified reference material (7.4) or a
 * reference laboratory's result (7.5): x_pt = value and u(x_pt) =
 * sqrt((U/k)^2 + u_hom^2 + u_stab^2), with U the expanded uncertainty of
 * the value (its certificate, its preparation, the laboratory's report),
 * k its coverage factor, u_hom the between-item SD s_s of the homogeneity
 * check and u_stab the standard uncertainty from instability (0 when not
 * applicable).  U, u_hom, u_stab >= 0 and k > 0. */
pt_stats_status pt_stats_assigned_known(double value, double U, double k,
                                        double u_hom, double u_stab,
                                        double *x_pt /* OUT */,
                                        double *u_x_pt /* OUT */);

/* A formulation (7.3): an analyte of purity P (mass fraction, its
 * standard uncertainty u_P) weighed in at mass m_a into a total mass m_t
 * of a base material whose own content is x_0: x = x_0 + f P m_a / m_t,
 * with f the factor from a mass fraction to the reporting unit (1 for g/g,
 * 1e6 for mg/kg, 100 for %).  The standard uncertainty of the
 * characterisation by the law of propagation of uncertainty (GUM, first
 * order, independent inputs): u^2 = u_0^2 + w^2 ((u_P/P)^2 + (u_a/m_a)^2
 * + (u_t/m_t)^2), w = f P m_a / m_t.  P, m_a, m_t and f > 0, m_a <= m_t,
 * uncertainties >= 0.  Combine the result with u_hom and u_stab by
 * pt_stats_assigned_known (U = u, k = 1). */
typedef struct pt_formulation {
    double x0, u_x0;       /* the base material's content (0, 0: none) */
    double purity, u_purity;
    double m_analyte, u_m_analyte;
    double m_total, u_m_total;
    double factor;
} pt_formulation;

pt_stats_status pt_stats_assigned_formulation(const pt_formulation *f,
                                              double *x /* OUT */,
                                              double *u /* OUT */);

typedef struct pt_crm_result {
    double x;      /* x_pt = x_CRM + mean difference */
    double d_mean; /* mean of the differences */
    double u_d;    /* s_d / sqrt(p) */
    double u_x;    /* u(x_pt) = sqrt(u_CRM^2 + u_d^2) */
} pt_crm_result;

/* The PT items compared with a CRM by one laboratory (7.5, Annex E.5):
 * d[i] = result on PT item i minus result on the CRM, p >= 2; u_crm the
 * CRM's standard uncertainty (>= 0). */
pt_stats_status pt_stats_assigned_crm(const double d[], size_t p,
                                      double x_crm, double u_crm,
                                      pt_crm_result *out /* OUT */);

/* A consensus value x* with u(x*) checked against an independent value
 * x_ref with u_ref (7.8, Annex E.7): *diff = x_ref - x*, *u_diff =
 * sqrt(u(x*)^2 + u_ref^2), *significant when |diff| > 2 u_diff.
 * Uncertainties >= 0. */
pt_stats_status pt_stats_consensus_check(double x_star, double u_x_star,
                                         double x_ref, double u_ref,
                                         double *diff /* OUT */,
                                         double *u_diff /* OUT */,
                                         int *significant /* OUT */);

/* ---- Kernel density mode (Annex E.6; kernel.c) ---- */

/* The highest mode of the normal-kernel density estimate of x[n] with
 * bandwidth h > 0 (the caller's rule, e.g. 0.75 sigma_pt as in E.6):
 * mean-shift from every distinct value, O(n^2) per step.  work[n]. */
pt_stats_status pt_stats_kernel_mode(const double x[], size_t n, double h,
                                     double work[], double *out /* OUT */);

/* The normal-kernel density estimate of x[n] with bandwidth h > 0 at the
 * m points t[m]: f[j] = 1/(n h) sum_i phi((t[j] - x[i]) / h), phi the
 * standard normal density (a kernel density plot, 10.3).  O(n m); needs
 * no work array. */
pt_stats_status pt_stats_kernel_density(const double x[], size_t n, double h,
                                        const double t[], size_t m,
                                        double f[] /* OUT: m values */);

/* The bandwidth of a kernel density plot: h = 0.75 sigma_pt (E.6) when
 * sigma_pt is finite and positive (*robust = 0), else Silverman's robust
 * rule h = 0.9 min(SD, nIQR) n^(-1/5) (*robust = 1; the other scale when
 * one of them is zero; PT_STATS_ZERO_SCALE when both are, PT_STATS_TOO_FEW
 * below 2 values).  work[n]. */
pt_stats_status pt_stats_kernel_bandwidth(const double x[], size_t n,
                                          double sigma_pt, double work[],
                                          double *h /* OUT */,
                                          int *robust /* OUT */);

/* The bootstrap standard uncertainty of that mode: the SD of the modes of
 * b >= 2 resamples of x with replacement, drawn by GSL's MT19937 seeded
 * with seed (the same arguments give the same u).  work[2n].  Allocates
 * the generator (PT_STATS_NO_MEMORY when that fails) and frees it. */
pt_stats_status pt_stats_kernel_bootstrap(const double x[], size_t n,
                                          double h, size_t b,
                                          unsigned long seed, double work[],
                                          double *u /* OUT */);

/* ---- Homogeneity (Annex B.2, B.3) ---- */

typedef struct pt_homog_result {
    size_t g, m;
    double mean;               /* general mean */
    double s_x;                /* SD of the item means */
    double s_w;                /* within-item SD */
    double s_s;                /* between-item SD, sqrt(max(0, s_x^2 - s_w^2/m)) */
    double criterion;          /* 0.3 sigma_pt */
    double F1, F2;             /* chi2_0.95(g-1)/(g-1), (F_0.95(g-1, g(m-1)) - 1)/m */
    double expanded_criterion; /* sqrt(F1 (0.3 sigma_pt)^2 + F2 s_w^2) */
    double anova_F;            /* m s_x^2 / s_w^2 (NAN when s_w = 0) */
    double anova_F_crit;       /* F_0.95(g-1, g(m-1)) */
    double cochran_C;          /* largest within-item variance over their sum
                                  (NAN when all are 0) */
    double cochran_crit;       /* Cochran's 5 % critical value, g and m */
    size_t cochran_item;       /* index of the largest within variance */
    double sigma_pt_prime;     /* sqrt(sigma_pt^2 + s_s^2) (B.2.5) */
    int passed;                /* s_s <= criterion */
    int passed_expanded;       /* s_s <= expanded_criterion */
    int anova_significant;     /* anova_F > anova_F_crit */
} pt_homog_result;

/* g >= 2 items, m >= 2 replicates each, x[] row by row (item i's
 * replicates at x[i m .. i m + m - 1]), sigma_pt > 0. */
pt_stats_status pt_stats_homogeneity(const double x[], size_t g, size_t m,
                                     double sigma_pt,
                                     pt_homog_result *out /* OUT */);

/* One measurement per item (ISO 13528:2022 B.1.2, where replicates
 * cannot be made): g >= 2 results x[g], one per item, and s_r >= 0 the
 * method's repeatability SD known from elsewhere (its validation).  s_x is
 * the SD of the results, s_w = s_r and s_s = sqrt(max(0, s_x^2 - s_r^2)):
 * the within-item term of B.3 with m = 1 and s_w known.  s_r = 0 takes s_x
 * itself as s_s, an upper bound.  m is 1; F1 and the criterion as above;
 * F2, the expanded criterion, the ANOVA F and Cochran's C need replicates
 * and are NAN (anova_F_crit and cochran_crit too; passed_expanded and
 * anova_significant 0). */
pt_stats_status pt_stats_homogeneity_single(const double x[], size_t g,
                                            double s_r, double sigma_pt,
                                            pt_homog_result *out /* OUT */);

/* ---- Stability (B.5) ---- */

typedef struct pt_stab_result {
    double mean1, mean2;       /* before / after (or homogeneity / stability) */
    double u1, u2;             /* s / sqrt(n) of each mean */
    double diff;               /* |mean1 - mean2| */
    double criterion;          /* 0.3 sigma_pt */
    double expanded_criterion; /* 0.3 sigma_pt + 2 sqrt(u1^2 + u2^2) */
    double t, df, t_crit, p_value; /* Welch t test, two-sided, 95 % */
    int passed, passed_expanded, t_significant;
} pt_stab_result;

/* n1, n2 >= 2 results each; sigma_pt > 0. */
pt_stats_status pt_stats_stability(const double y1[], size_t n1,
                                   const double y2[], size_t n2,
                                   double sigma_pt,
                                   pt_stab_result *out /* OUT */);

/* ---- Critical values (ISO 5725-2 7.3, closed forms after Wilrich 2013) -- */

/* alpha in (0, 1) (0.05 and 0.01 are ISO's) for all of these. */

/* Mandel's h: (p - 1) t / sqrt(p (p - 2 + t^2)), t = t_{1-alpha/2}(p - 2);
 * p >= 3. */
pt_stats_status pt_stats_mandel_h_crit(size_t p, double alpha,
                                       double *out /* OUT */);
/* Mandel's k: sqrt(p / (1 + (p - 1)/F)), F = F_{1-alpha}(n - 1,
 * (p - 1)(n - 1)); p >= 2, n >= 2 replicates. */
pt_stats_status pt_stats_mandel_k_crit(size_t p, size_t n, double alpha,
                                       double *out /* OUT */);
/* Cochran's C: 1 / (1 + (p - 1)/F), F = F_{1-alpha/p}(n - 1,
 * (p - 1)(n - 1)); exact whenever the value exceeds 1/2.  p, n >= 2. */
pt_stats_status pt_stats_cochran_crit(size_t p, size_t n, double alpha,
                                      double *out /* OUT */);
/* Grubbs' test for one outlier (two-sided, as tabulated by ISO 5725-2):
 * (p - 1)/sqrt(p) sqrt(t^2/(p - 2 + t^2)), t = t_{1-alpha/(2p)}(p - 2);
 * p >= 3. */
pt_stats_status pt_stats_grubbs_crit(size_t p, double alpha,
                                     double *out /* OUT */);
/* Grubbs' test for two outliers: the lower critical value of
 * S^2_{p-1,p}/S^2_0, ISO 5725-2 Table 5 for 4 <= p <= 40 and alpha 0.05 or
 * 0.01 only (no closed form is known); otherwise PT_STATS_BAD_ARG. */
pt_stats_status pt_stats_grubbs2_crit(size_t p, double alpha,
                                      double *out /* OUT */);

/* Grubbs statistics of x[0..p-1], p >= 3: g_max = (x_max - mean)/s,
 * g_min = (mean - x_min)/s; PT_STATS_ZERO_SCALE when s = 0. */
pt_stats_status pt_stats_grubbs(const double x[], size_t p,
                                double *g_max /* OUT */,
                                double *g_min /* OUT */);
/* Double Grubbs ratios, p >= 4: the sum of squares about the mean without
 * the two largest (resp. smallest) over the one of all values.  work[p]. */
pt_stats_status pt_stats_grubbs2(const double x[], size_t p, double work[],
                                 double *r_max /* OUT */,
                                 double *r_min /* OUT */);
/* Cochran's C = max s_i^2 / sum s_i^2 over p >= 2 standard deviations;
 * *imax the index of the largest.  PT_STATS_ZERO_SCALE when all are 0. */
pt_stats_status pt_stats_cochran(const double s[], size_t p,
                                 double *c /* OUT */,
                                 size_t *imax /* OUT, may be NULL */);

/* ---- ISO 5725-2 precision experiment (one level) ---- */

typedef struct pt_prec_lab {
    size_t n;      /* replicates */
    double mean;   /* cell mean */
    double sd;     /* cell SD */
    double h, k;   /* Mandel's statistics */
} pt_prec_lab;

typedef struct pt_prec_result {
    size_t p;                       /* laboratories */
    size_t n_mode;                  /* most frequent replicate count (for
                                       the k and Cochran critical values) */
    double mean;                    /* general mean (weighted by n_i) */
    double s_r, s_L, s_R, r, R;     /* r = 2.8 s_r, R = 2.8 s_R */
    double cochran_C, cochran_crit_5, cochran_crit_1;
    size_t cochran_lab;
    double grubbs_max, grubbs_min, grubbs_crit_5, grubbs_crit_1;
    double grubbs2_max, grubbs2_min; /* NAN for p < 4 */
    double grubbs2_crit_5, grubbs2_crit_1; /* NAN outside the table */
    double h_crit_5, h_crit_1, k_crit_5, k_crit_1;
} pt_prec_result;

/* y[] grouped by laboratory as for the Q method; p >= 3 laboratories with
 * counts[i] >= 2 each.  labs[p] is filled too.  s_L^2 = max(0, (s_d^2 -
 * s_r^2)/n_bar) with ISO 5725-2's n_bar for unequal replicates.  The
 * statistics that need a spread (h, k, C, Grubbs) are NAN when it is 0.
 * work[2p]. */
pt_stats_status pt_stats_precision(const double y[], const size_t counts[],
                                   size_t p, double work[],
                                   pt_prec_lab labs[] /* OUT */,
                                   pt_prec_result *out /* OUT */);

/* ---- Comparing laboratories (ISO 5725-6, ISO 4259-2) ---- */

/* Two single results agree when |x1 - x2| <= R.  R > 0. */
pt_stats_status pt_stats_compare_two(double x1, double x2, double R,
                                     double *diff /* OUT */,
                                     int *agree /* OUT */);
/* One result against a reference value: agrees when |x - ref| <= factor R
 * (factor e.g. 1/sqrt(2): the wording is not verified against ISO 4259-2,
 * so the caller chooses).  R > 0, factor > 0. */
pt_stats_status pt_stats_compare_ref(double x, double ref, double R,
                                     double factor, double *limit /* OUT */,
                                     int *agree /* OUT */);
/* ISO 4259-2 conformity with a specification limit A: with upper != 0 a
 * result fails with 95 % confidence only when X > A + 0.59 R, with upper
 * == 0 only when X < A - 0.59 R.  *limit is that threshold. */
pt_stats_status pt_stats_conformity(double X, double A, double R, int upper,
                                    double *limit /* OUT */,
                                    int *fails /* OUT */);
/* En of a branch result against a reference laboratory's, with the class
 * (the boundary |En| = 1 as in pt_stats_classify_en). */
pt_stats_status pt_stats_compare_en(double x, double U_x, double x_ref,
                                    double U_ref, int le_one_satisfactory,
                                    double *en /* OUT */,
                                    pt_stats_class *cls /* OUT */);

/* ---- Small groups (DOMAIN: consensus z over 2 to 5 results) ---- */

/* What to use instead of a consensus sigma. */
enum {
    PT_ALT_EN_ZETA_REFERENCE = 1, /* En or zeta against a reference
                                     laboratory's value and uncertainty */
    PT_ALT_SIGMA_FROM_METHOD = 2  /* sigma_pt from the method's R */
};

/* With the mean and SD of n results the largest possible |z| is
 * (n - 1)/sqrt(n).  *max_z receives it.  When it is below z_limit (2 for
 * a warning signal, 3 for an action signal) no result can ever be
 * flagged: PT_STATS_TOO_FEW, and *alternatives = both enum values (both
 * outputs are written with this status too).  n >= 1 and z_limit > 0;
 * PT_STATS_OK (alternatives 0) when z_limit is reachable. */
pt_stats_status pt_stats_consensus_z_check(size_t n, double z_limit,
                                           double *max_z /* OUT */,
                                           unsigned *alternatives /* OUT */);

/* A sentence explaining the refusal and the alternatives, for a report;
 * static, never NULL. */
const char *pt_stats_small_group_advice(void);

/* ---- Trends of a laboratory's scores over rounds (control chart) ---- */

/* The rules a sequence of one laboratory's scores is checked against,
 * oldest first, each score on the z scale: z, z' and zeta as they are,
 * En times 2 (En = zeta / k with k = 2 for both uncertainties, so 2 En is
 * zeta's scale).  Each point gets the rules that fire at it. */
enum {
    PT_TREND_TWO_OF_THREE = 1, /* 2 of the last 3 scores with |s| > 2 */
    PT_TREND_RUN = 2,          /* the last `run_length` scores one sign */
    PT_TREND_RSZ = 4           /* |sum of the last 4 scores| / 2 > 2
                                  (the rescaled sum RSZ over 4 rounds) */
};

typedef struct pt_trend_point {
    int run;            /* signed length of the same-sign run ending here */
    double rsz;         /* sum of the last min(4, i+1) scores / sqrt(that
                           count) */
    unsigned rules;     /* OR of PT_TREND_* that fire at this point */
} pt_trend_point;

/* The z-scale value of a score named "z", "z'", "zeta" or "En"; NAN for
 * another name or a NAN score. */
double pt_stats_trend_scale(const char *kind, double score);

/* Checks the n scores s[] (z scale, finite) against the rules above with
 * a same-sign run of run_length (>= 2) and fills out[n].  Returns
 * PT_STATS_OK, PT_STATS_BAD_ARG for NULL or run_length < 2,
 * PT_STATS_NONFINITE for a NAN or infinite score. */
pt_stats_status pt_stats_trend_rules(const double s[], size_t n,
                                     int run_length,
                                     pt_trend_point out[] /* OUT */);

/* ISO 13528 9.6/9.8 reading of zeta beside z: a |zeta| well above |z|
 * means the stated uncertainty is too small for the difference (zeta
 * divides by u(x), z by sigma_pt).  Non-zero when |zeta| > 2 and either z
 * is NAN (not computed: only zeta speaks) or |zeta| >= 1.5 |z|.  NAN zeta
 * gives 0. */
int pt_stats_zeta_above_z(double z, double zeta);

#endif /* PT_STATS_H */
