/*
 * hampel.c -- Hampel's redescending M-estimator of location (ISO 13528
 * C.5.3) by the finite-step algorithm, and the Q/Hampel combination of
 * C.5.4: the assigned value recommended with the Q method's s*.
 *
 * x* solves sum psi((x_i - x*)/s) = 0, with psi(u) = u for |u| <= 1.5,
 * 1.5 sign(u) for 1.5 < |u| <= 3, (4.5 - |u|) sign(u) for 3 < |u| <= 4.5
 * and 0 beyond.  A redescending psi can have several solutions; because
 * the sum is piecewise linear in x*, with knots at x_i +- 1.5 s, +- 3 s,
 * +- 4.5 s, all of them can be found exactly instead of iterating into
 * whichever one is nearest the start.  The knots of the sorted data come
 * as six already sorted streams, so one merged sweep (O(n) after the
 * sort) gives the slope of the sum on each segment; segments where the
 * running value changes sign or comes near zero are then settled by an
 * exact evaluation at their ends over the results within 4.5 s.  Of the solutions the one nearest
 * the median is taken, and the median when two are equally near or there
 * is none (a solution at which no result lies within 4.5 s of x*, where
 * every psi is 0, is not a solution in any useful sense and is ignored).
 *
 * Data reported to fixed decimals are worked on as integers in units of
 * their resolution (decimals.c), like the Q method's, so that knots equal
 * as reported are equal and x* moves exactly with a shift of the data.
 */
#include <float.h>
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

#define HAMPEL_A 1.5
#define HAMPEL_B 3.0
#define HAMPEL_C 4.5

static double psi(double u)
{
    double a = fabs(u), v;

    if (a <= HAMPEL_A)
        return u;
    if (a <= HAMPEL_B)
        v = HAMPEL_A;
    else if (a <= HAMPEL_C)
        v = HAMPEL_A * (HAMPEL_C - a) / (HAMPEL_C - HAMPEL_B);
    else
        return 0.0;
    return u < 0.0 ? -v : v;
}

/* Index of the first t_i > v (t sorted). */
static size_t first_above(const double *t, size_t n, double v)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] > v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* sum psi(t_i - tau) over the sorted scaled results t[]: only those
 * within HAMPEL_C of tau contribute, found by bisection. */
static double psi_sum(const double *t, size_t n, double tau)
{
    double s = 0.0;
    size_t i;

    for (i = first_above(t, n, tau - HAMPEL_C);
         i < n && t[i] < tau + HAMPEL_C; i++)
        s += psi(t[i] - tau);
    return s;
}

/* Some t_i lies strictly within HAMPEL_C of tau. */
static int has_weight(const double *t, size_t n, double tau)
{
    size_t i = first_above(t, n, tau - HAMPEL_C);

    return i < n && t[i] < tau + HAMPEL_C;
}

struct roots {
    double best;  /* solution nearest 0 (the median) so far */
    int found;
    int tie;      /* another solution equally near */
};

static void consider(struct roots *r, const double *t, size_t n, double tau)
{
    double tol = 1e-12 * (1.0 + fabs(tau));

    if (!has_weight(t, n, tau))
        return;
    if (!r->found) {
        r->best = tau;
        r->found = 1;
        r->tie = 0;
        return;
    }
    if (fabs(tau - r->best) <= tol)
        return; /* the same solution, found from both sides of a knot */
    if (fabs(tau) < fabs(r->best) - tol) {
        r->best = tau;
        r->tie = 0;
    } else if (fabs(fabs(tau) - fabs(r->best)) <= tol) {
        r->tie = 1;
    }
}

/* Solutions on the segment [t0, t1] where the sum is linear. */
static void settle(struct roots *r, const double *t, size_t n, double t0,
                   double t1)
{
    double f0 = psi_sum(t, n, t0), f1 = psi_sum(t, n, t1);

    if (f0 == 0.0 && f1 == 0.0)
        consider(r, t, n, t0 > 0.0 ? t0 : (t1 < 0.0 ? t1 : 0.0));
    else if (f0 == 0.0)
        consider(r, t, n, t0);
    else if (f1 == 0.0)
        consider(r, t, n, t1);
    else if ((f0 < 0.0) != (f1 < 0.0))
        consider(r, t, n, t0 - f0 * (t1 - t0) / (f1 - f0));
}

/* Hampel's x* of the sorted finite z[0..n) with scale s > 0, both in
 * units of 1/unit of the results (z = results times unit); t[n] receives
 * the scaled deviations (t may be z).  *out is in the results' unit. */
static pt_stats_status hampel_core(const double *z, size_t n, double s,
                                   double unit, double *t, double *out)
{
    /* knot offsets and the change of slope (d sum / d tau) at each */
    static const double off[6] = {-HAMPEL_C, -HAMPEL_B, -HAMPEL_A,
                                  HAMPEL_A,  HAMPEL_B,  HAMPEL_C};
    const double r = HAMPEL_A / (HAMPEL_C - HAMPEL_B);
    const double dslope[6] = {r, -r, -1.0, 1.0, r, -r};
    size_t idx[6] = {0, 0, 0, 0, 0, 0};
    struct roots roots = {0.0, 0, 0};
    double med, f = 0.0, slope = 0.0, err = 0.0, prev, next[6];
    size_t i, left = 6 * n;

    med = n % 2 ? z[n / 2] : 0.5 * z[n / 2 - 1] + 0.5 * z[n / 2];
    for (i = 0; i < n; i++) {
        t[i] = (z[i] - med) / s;
        if (!isfinite(t[i]))
            return PT_STATS_NONFINITE;
    }

    for (i = 0; i < 6; i++) /* the next knot of each stream */
        next[i] = t[0] + off[i];
    prev = t[0] - HAMPEL_C;
    while (left > 0) {
        size_t k, kmin = 0;
        double tau = next[0], fprev = f, bound;

        for (k = 1; k < 6; k++) { /* the smallest, the first of equals */
            if (next[k] < tau) {
                kmin = k;
                tau = next[k];
            }
        }
        f += slope * (tau - prev);
        err += fabs(slope * (tau - prev)) + fabs(f);
        bound = 16.0 * DBL_EPSILON * err + DBL_MIN;
        if (tau > prev &&
            ((fprev < 0.0) != (f < 0.0) || fabs(fprev) <= bound ||
             fabs(f) <= bound))
            settle(&roots, t, n, prev, tau);
        slope += dslope[kmin];
        idx[kmin]++;
        next[kmin] = idx[kmin] < n ? t[idx[kmin]] + off[kmin] : INFINITY;
        left--;
        prev = tau;
    }
    *out = (roots.found && !roots.tie ? med + s * roots.best : med) / unit;
    if (!isfinite(*out))
        return PT_STATS_NONFINITE;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_hampel(const double x[], size_t n, double s,
                                double work[], double *out)
{
    pt_stats_status st;
    double unit;
    int dec;

    if (x == NULL || work == NULL || out == NULL || work == x)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (!(isfinite(s) && s > 0.0))
        return PT_STATS_BAD_ARG;
    st = pt_stats_sort(x, n, work);
    if (st != PT_STATS_OK)
        return st;
    (void)pt_stats_decimals(work, n, &dec); /* finite: cannot fail */
    pt_stats_decimals_scale(work, n, dec, work);
    unit = dec >= 0 ? pt_stats_pow10(dec) : 1.0;
    return hampel_core(work, n, s * unit, unit, work, out);
}

pt_stats_status pt_stats_qhampel(const double y[], const size_t counts[],
                                 size_t p, double work[], size_t iwork[],
                                 pt_qhampel_result *out)
{
    pt_qmethod_result q;
    pt_stats_status st;
    size_t l, m0 = 0;

    if (out == NULL)
        return PT_STATS_BAD_ARG;
    st = pt_stats_qmethod(y, counts, p, work, iwork, &q);
    if (st != PT_STATS_OK)
        return st;
    for (l = 0; l < p; l++) { /* laboratory means in work[0..p) */
        double mean;
        st = pt_stats_mean_sd(y + m0, counts[l], &mean, NULL);
        if (st != PT_STATS_OK)
            return st;
        work[l] = mean;
        m0 += counts[l];
    }
    st = pt_stats_hampel(work, p, q.s, work + p, &out->x);
    if (st != PT_STATS_OK)
        return st;
    out->s = q.s;
    out->u_x = q.u_x;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_qhampel_sorted(const double z[], size_t n,
                                        double work[], size_t iwork[],
                                        pt_qhampel_result *out)
{
    pt_qmethod_result q;
    pt_stats_status st;
    double unit;

    if (z == NULL || work == NULL || iwork == NULL || out == NULL ||
        work == z)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    st = pt_sorted_integers(z, n, work + 2 * n, &z, &unit);
    if (st != PT_STATS_OK)
        return st;
    st = pt_qmethod_sorted_core(z, n, unit, work, iwork, &q);
    if (st != PT_STATS_OK)
        return st;
    if (!(q.s > 0.0)) /* as pt_stats_hampel refuses it */
        return PT_STATS_BAD_ARG;
    st = hampel_core(z, n, q.s * unit, unit, work, &out->x);
    if (st != PT_STATS_OK)
        return st;
    out->s = q.s;
    out->u_x = q.u_x;
    return PT_STATS_OK;
}
