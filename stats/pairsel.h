/*
 * pairsel.h -- internal to stats/: selection among the pairwise
 * differences of sorted data without forming the pairs, shared by Qn and
 * the Q method.  Not part of the public API (pt_stats.h).
 */
#ifndef PT_PAIRSEL_H
#define PT_PAIRSEL_H

#include <stddef.h>

/* A predicate on a difference d that is false for small d and true from
 * some point on (monotone), and true for the largest difference. */
typedef int (*pt_pairsel_pred)(double d, void *ctx);

/* The smallest of the differences z[j] - z[i] (0 <= i < j < n, z sorted
 * ascending, n >= 2) for which pred holds.  lo[n], hi[n], med[n] and
 * wt[n] are scratch.  Each step evaluates pred once at the weighted median
 * of the row medians of the remaining candidates and drops at least a
 * quarter of them, so there are O(log n) steps of O(n) work each plus the
 * predicate (Johnson and Mizoguchi 1978; Croux and Rousseeuw 1992). */
double pt_pairsel_smallest(const double z[], size_t n, pt_pairsel_pred pred,
                           void *ctx, size_t lo[], size_t hi[], double med[],
                           double wt[]);

/* Number of pairs i < j with z[j] - z[i] <= d (strict == 0) or < d
 * (strict != 0); O(n) by two pointers. */
double pt_pairsel_count(const double z[], size_t n, double d, int strict);

/* Sort x[0..n-1] ascending (introsort via qsort). */
void pt_sort_doubles(double x[], size_t n);

#endif /* PT_PAIRSEL_H */
