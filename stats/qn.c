/*
 * qn.c -- the Qn robust scale estimator in the form of ISO 13528:2022
 * C.5.2.1 as amended by Amd 1:2026: h = floor(p/2) + 1, k = h(h - 1)/2,
 * Qn = 2.2191 b_p d_(k), d_(k) the k-th smallest pairwise distance.
 *
 * Qn needs no location estimate and keeps half the data's breakdown point
 * with 82 % efficiency at the normal, which makes it a good scale for
 * rounds with many participants.  Forming all p(p - 1)/2 distances would
 * take 5e11 of them for a million values; the k-th is selected instead
 * (pairsel.c), in O(n log n).
 *
 * The constant: 2.2191 is 1/(sqrt 2 Phi^-1(5/8)) = 2.21914 to the digits
 * ISO prints (the 2022 edition printed 2.2219, a transposition that the
 * robustbase documentation had already pointed out in the original Fortran
 * code; the amendment corrects it).  b_p: Table C.2 for p <= 12, the
 * Croux-Rousseeuw-style rational fits above, as in pt_stats.h.
 */
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

#define QN_CONSTANT 2.2191

/* ISO 13528:2022 Table C.2 (b_p for p = 2 .. 12); the same values,
 * rounded to four places, as robustbase's Qn table. */
static const double bp_table[] = {0.3994, 0.9937, 0.5132, 0.8440,
                                  0.6122, 0.8588, 0.6699, 0.8734,
                                  0.7201, 0.8891, 0.7574};

double pt_stats_qn_bp(size_t p)
{
    double dp = (double)p, r;

    if (p < 2)
        return NAN;
    if (p <= 12)
        return bp_table[p - 2];
    if (p % 2 == 1)
        r = (1.6019 + (-2.128 - 5.172 / dp) / dp) / dp;
    else
        r = (3.6756 + (1.965 + (6.987 - 77.0 / dp) / dp) / dp) / dp;
    return 1.0 / (1.0 + r);
}

struct kth {
    const double *z;
    size_t n;
    double k;
};

/* At least k differences are <= d. */
static int at_least_k(double d, void *ctx)
{
    const struct kth *c = ctx;

    return pt_pairsel_count(c->z, c->n, d, 0) >= c->k;
}

pt_stats_status pt_stats_qn(const double x[], size_t n, double work[],
                            size_t iwork[], double *out)
{
    struct kth c;
    double *z, h, d, q;
    size_t i;

    if (x == NULL || work == NULL || iwork == NULL || out == NULL ||
        work == x)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    z = work;
    for (i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return PT_STATS_NONFINITE;
        z[i] = x[i];
    }
    pt_sort_doubles(z, n);
    if (!isfinite(z[n - 1] - z[0]))
        return PT_STATS_NONFINITE;
    h = (double)(n / 2 + 1);
    c.z = z;
    c.n = n;
    c.k = h * (h - 1.0) / 2.0;
    d = pt_pairsel_smallest(z, n, at_least_k, &c, iwork, iwork + n, work + n,
                            work + 2 * n);
    q = QN_CONSTANT * pt_stats_qn_bp(n) * d;
    if (!isfinite(q))
        return PT_STATS_NONFINITE;
    *out = q;
    return PT_STATS_OK;
}
