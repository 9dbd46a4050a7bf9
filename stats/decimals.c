/*
 * decimals.c -- the decimal resolution of results as laboratories report
 * them, and those results as exact integers in units of it.
 *
 * Results are reported to fixed decimals (63.9, 8.69, 1000000.125), but a
 * double holds such a value only to within half a unit in its last binary
 * place, so differences that are equal as reported (63.9 - 63.8 and
 * 64.4 - 64.3) come out a few ulps apart.  Estimators built on the
 * distinct values of pairwise differences (the jumps of the Q method's
 * H1, the k-th difference of Qn) must see them as equal.  Multiplying by
 * 10^d and rounding gives the reported values as integers, exact in a
 * double, whose differences are exact too; the estimate is divided by
 * 10^d at the end.
 *
 * The rule: d is the smallest of 0, 1, ..., 22 such that for every value
 * x, t = x 10^d lies within 2 DBL_EPSILON |t| (2 to 4 ulps of t) of an
 * integer k with |t| < 2^47.  A value read from decimal text is within
 * DBL_EPSILON |t| (one rounding when it was read, one in the product), so
 * reported data always qualify at their own resolution; 2^47 keeps the
 * window below 1/16, so k is never in doubt, and a value computed in
 * binary passes only by a chance of about 1 in 8 at its finest d (n values
 * together by that chance to the n-th power; the rounding then moves each
 * by at most 4 ulps).  Data with
 * no such d (computed values with 15 or more significant digits, or
 * spanning more than 2^47 units of their resolution: 1e9 with 5 decimals
 * still fits) are left in binary and compared as they are.
 *
 * Scores use the same rule for their difference x - x_pt (pt_decimal_diff):
 * 10.3 - 10.1 is 0.20000000000000107 in binary, which over sigma_pt = 0.1
 * makes a z of exactly 2 questionable.  On the integers 103 - 101 = 2 the
 * score is the quotient of the reported values, rounded once.
 */
#include <float.h>
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

/* Powers of ten that doubles hold exactly. */
static const double pow10_exact[PT_STATS_MAX_DECIMALS + 1] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* 2^47: the largest scaled magnitude accepted. */
#define GRID_LIMIT 140737488355328.0

/* The distance allowed between t and its integer, relative to |t|. */
#define GRID_TOL (2.0 * DBL_EPSILON)

/* 1: x 10^d is within GRID_TOL of an integer below GRID_LIMIT; 0: it is
 * not; -1: it is too large, for this d and every larger one. */
static int on_grid(double x, double scale)
{
    double t = x * scale, a = fabs(t);

    if (!(a < GRID_LIMIT))
        return -1;
    return fabs(t - pt_round_int(t)) <= GRID_TOL * a;
}

pt_stats_status pt_stats_decimals(const double x[], size_t n,
                                  int *decimals)
{
    size_t i;
    int d;

    if (x == NULL || decimals == NULL)
        return PT_STATS_BAD_ARG;
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return PT_STATS_NONFINITE;
    for (d = 0; d <= PT_STATS_MAX_DECIMALS; d++) {
        int r = 1;
        for (i = 0; i < n && r == 1; i++)
            r = on_grid(x[i], pow10_exact[d]);
        if (r == 1) {
            *decimals = d;
            return PT_STATS_OK;
        }
        if (r < 0)
            break;
    }
    *decimals = -1;
    return PT_STATS_OK;
}

double pt_stats_pow10(int d)
{
    if (d < 0 || d > PT_STATS_MAX_DECIMALS)
        return NAN;
    return pow10_exact[d];
}

void pt_stats_decimals_scale(const double x[], size_t n, int decimals,
                             double out[])
{
    double scale = decimals >= 0 ? pt_stats_pow10(decimals) : 1.0;
    size_t i;

    if (decimals < 0) {
        for (i = 0; i < n; i++)
            out[i] = x[i];
        return;
    }
    for (i = 0; i < n; i++)
        out[i] = pt_round_int(x[i] * scale);
}

void pt_decimal_diff(double x, double x_pt, const double s[], size_t ns,
                     double *num, double *scale, double out[])
{
    double v[4];
    size_t i;
    int d = -1, d4 = -1, all = 0;

    /* x_pt first: a computed x_pt (a consensus, 17 digits) has no
     * resolution, and the search then ends at its first look each time */
    v[0] = x_pt;
    v[1] = x;
    for (i = 0; i < ns && i < 2; i++)
        v[2 + i] = s[i];
    if (pt_stats_decimals(v, 2, &d) != PT_STATS_OK)
        d = -1;
    if (d >= 0 && pt_stats_decimals(v, 2 + i, &d4) == PT_STATS_OK &&
        d4 >= 0) {
        d = d4;
        all = 1;
    }
    if (d >= 0) {
        double p = pow10_exact[d];
        for (i = 0; i < ns; i++) {
            out[i] = all ? pt_round_int(s[i] * p) : s[i] * p;
            if (!isfinite(out[i]))
                break;
        }
        if (i == ns) {
            *num = pt_round_int(x * p) - pt_round_int(x_pt * p);
            *scale = p;
            return;
        }
    }
    for (i = 0; i < ns; i++)
        out[i] = s[i];
    *num = x - x_pt;
    *scale = 1.0;
}

int pt_stats_agrees_rounded(double recomputed, double reported, int decimals)
{
    double half, big;

    if (isnan(recomputed) || isnan(reported) || decimals < 0 ||
        decimals > PT_STATS_MAX_DECIMALS)
        return -1;
    half = 0.5 / pow10_exact[decimals];
    big = fmax(fabs(recomputed), fabs(reported));
    return fabs(recomputed - reported) <= half + 4 * DBL_EPSILON * big;
}

int pt_stats_text_decimals(const char *s)
{
    int d = 0, point = 0, digits = 0, e = 0, esign = 1, edigits = 0;

    if (*s == '+' || *s == '-')
        s++;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.' && !point)
            point = 1;
        else if (*s >= '0' && *s <= '9')
            d += point, digits++;
        else
            return -1;
    }
    if (!digits)
        return -1;
    if (*s) {
        s++;
        if (*s == '+' || *s == '-')
            esign = *s++ == '-' ? -1 : 1;
        for (; *s >= '0' && *s <= '9'; s++, edigits++)
            if (e < 1000)
                e = e * 10 + (*s - '0');
        if (*s || !edigits)
            return -1;
    }
    d -= esign * e;
    return d < 0 ? 0 : d > PT_STATS_MAX_DECIMALS ? -1 : d;
}
