/*
 * qn.c -- the Qn robust scale estimator in the form of ISO 13528:2022
 * C.5.2.1 as amended by Amd 1:2026: h = floor(p/2) + 1, k = h(h - 1)/2,
 * Qn = 2.2191 b_p d_(k), d_(k) the k-th smallest pairwise distance.
 *
 * Qn needs no location estimate and keeps half the data's breakdown point
 * with 82 % efficiency at the normal, which makes it a good scale for
 * rounds with many participants.  Forming all p(p - 1)/2 distances would
 * take 5e11 of them for a million values; the k-th is selected instead
 * (pairsel.c), in O(n log n): the data are sorted once (or come sorted,
 * pt_stats_qn_sorted) and the selection then takes a handful of O(n)
 * counting sweeps.
 *
 * The constant: 2.2191 is 1/(sqrt 2 Phi^-1(5/8)) = 2.21914 to the digits
 * ISO prints (the 2022 edition printed 2.2219, a transposition that the
 * robustbase documentation had already pointed out in the original Fortran
 * code; the amendment corrects it).  b_p: Table C.2 for p <= 12, the
 * Croux-Rousseeuw-style rational fits above, as in pt_stats.h.
 *
 * Data reported to fixed decimals are compared as integers in units of
 * their resolution (decimals.c), so that Qn moves exactly with a shift
 * and scales exactly with a power of ten.
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

struct sorted {
    const double *z;
    size_t n;
};

/* Number of pairwise differences <= d. */
static double pairs_upto(double d, void *ctx)
{
    const struct sorted *c = ctx;

    return pt_pairsel_count(c->z, c->n, d, 0);
}

/* Qn of the sorted finite z[0..n), n >= 2, that are the results times
 * scale; work[2n] and iwork[2n]. */
static pt_stats_status qn_core(const double *z, size_t n, double scale,
                               double *work, size_t *iwork, double *out)
{
    struct sorted c;
    double h, d, q;

    if (!isfinite(z[n - 1] - z[0]))
        return PT_STATS_NONFINITE;
    c.z = z;
    c.n = n;
    h = (double)(n / 2 + 1);
    d = pt_pairsel_smallest(z, n, pairs_upto, &c, h * (h - 1.0) / 2.0,
                            PT_PAIRSEL_ROUNDS, iwork, iwork + n, work);
    /* fabs: a tie of -0 and +0 can give the difference -0 */
    q = QN_CONSTANT * pt_stats_qn_bp(n) * (fabs(d) / scale);
    if (!isfinite(q))
        return PT_STATS_NONFINITE;
    *out = q;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_qn(const double x[], size_t n, double work[],
                            size_t iwork[], double *out)
{
    pt_stats_status st;
    int dec;

    if (x == NULL || work == NULL || iwork == NULL || out == NULL ||
        work == x)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    st = pt_stats_sort(x, n, work);
    if (st != PT_STATS_OK)
        return st;
    (void)pt_stats_decimals(work, n, &dec); /* finite: cannot fail */
    pt_stats_decimals_scale(work, n, dec, work);
    return qn_core(work, n, dec >= 0 ? pt_stats_pow10(dec) : 1.0, work + n,
                   iwork, out);
}

pt_stats_status pt_stats_qn_sorted(const double z[], size_t n, double work[],
                                   size_t iwork[], double *out)
{
    pt_stats_status st;
    double scale;

    if (z == NULL || work == NULL || iwork == NULL || out == NULL ||
        work == z)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    st = pt_sorted_integers(z, n, work + 2 * n, &z, &scale);
    if (st != PT_STATS_OK)
        return st;
    return qn_core(z, n, scale, work, iwork, out);
}
