/*
 * pairsel.h -- internal to stats/: selection among the pairwise
 * differences of sorted data without forming the pairs, shared by Qn and
 * the Q method, and the sort they (and Hampel) start from.  Not part of
 * the public API (pt_stats.h).
 */
#ifndef PT_PAIRSEL_H
#define PT_PAIRSEL_H

#include <stddef.h>

#include "pt_stats.h"

/* A function of a difference d that never decreases as d grows (a count
 * of pairs <= d, or a weighted share of them), and is >= 0. */
typedef double (*pt_pairsel_fn)(double d, void *ctx);

/* Sampling rounds pt_pairsel_smallest may take before it falls back to
 * the deterministic steps (see pairsel.c). */
#define PT_PAIRSEL_ROUNDS 32

/* The smallest of the differences z[j] - z[i] (0 <= i < j < n, z sorted
 * ascending, n >= 2) at which f(d) >= target; f at the largest difference
 * must reach target.  At most `rounds` sampling rounds narrow the
 * candidates (expected O(1) rounds of O(n) work plus two calls of f each),
 * deterministic steps (weighted median of the row medians, Johnson and
 * Mizoguchi 1978) finish when sampling stalls or rounds run out, and the
 * last <= 2n candidates are searched by interpolation on f, each probe a
 * quickselect.
 * lo[n] and hi[n] are scratch, buf[2n] too.  O(n log n) in all cases. */
double pt_pairsel_smallest(const double z[], size_t n, pt_pairsel_fn f,
                           void *ctx, double target, int rounds, size_t lo[],
                           size_t hi[], double buf[]);

/* Number of pairs i < j with z[j] - z[i] <= d (strict == 0) or < d
 * (strict != 0); O(n) by two pointers. */
double pt_pairsel_count(const double z[], size_t n, double d, int strict);

/* Both counts of pt_pairsel_count in one sweep: *le pairs <= d, *lt
 * pairs < d. */
void pt_pairsel_count2(const double z[], size_t n, double d,
                       double *le /* OUT */, double *lt /* OUT */);

/* Sort x[0..n-1] (finite values) ascending in place: introsort (median of
 * three, Hoare partition that splits runs of equal values evenly, heapsort
 * past 2 log2 n levels), O(n log n) in the worst case. */
void pt_sort_doubles(double x[], size_t n);

/* t rounded to the nearest integer (ties to even), for |t| < 2^51 in the
 * default rounding mode: adding and subtracting 1.5 2^52 leaves no
 * fraction bits.  A zero comes back as +0.  Faster than nearbyint(), which
 * must save and restore the floating-point environment. */
static inline double pt_round_int(double t)
{
    const double magic = 6755399441055744.0;

    return (t + magic) - magic;
}

/* For sorted z[0..n): PT_STATS_NONFINITE if a value is not finite,
 * PT_STATS_BAD_ARG if z is not ascending; else *k = z and *scale = 1 when
 * the data have no decimal resolution (pt_stats_decimals), or *k = ints,
 * filled with z as integers in units of 10^-d, and *scale = 10^d.
 * ints[n] must not overlap z. */
pt_stats_status pt_sorted_integers(const double z[], size_t n, double ints[],
                                   const double **k /* OUT */,
                                   double *scale /* OUT */);

/* The Q method (qmethod.c) of sorted k[0..n), n >= 2, that are the
 * results times scale: s* in the results' unit.  work[2n], iwork[2n]. */
pt_stats_status pt_qmethod_sorted_core(const double k[], size_t n,
                                       double scale, double work[],
                                       size_t iwork[],
                                       pt_qmethod_result *out /* OUT */);

/* A score's difference x - x_pt in the data's decimal resolution
 * (decimals.c): d is the resolution of x, x_pt and s[0..ns) together, or,
 * when they have none, of x and x_pt alone.  With a d, *num = (x - x_pt)
 * 10^d computed on the values as integers (exact), *scale = 10^d, and
 * out[i] = s[i] 10^d (an exact integer when s has that resolution too,
 * else rounded once).  Without one, or when a scaled s[i] overflows,
 * *num = x - x_pt in binary, *scale = 1 and out[i] = s[i].  Every value
 * finite; ns <= 2. */
void pt_decimal_diff(double x, double x_pt, const double s[], size_t ns,
                     double *num /* OUT */, double *scale /* OUT */,
                     double out[] /* OUT */);

#endif /* PT_PAIRSEL_H */
