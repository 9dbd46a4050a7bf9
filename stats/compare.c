/*
 * compare.c -- judging results against a method's precision rather than
 * against a round: two laboratories' single results (ISO 5725-6: they
 * agree when |x1 - x2| <= R), one result against a reference value (the
 * factor on R is the caller's, because the usual R/sqrt 2 is not verified
 * against ISO 4259-2), conformity with a specification limit (ISO 4259-2:
 * a result fails with 95 % confidence only beyond A +- 0.59 R), and En of
 * a branch laboratory against the reference laboratory.  These are what a
 * bilateral branch-versus-reference comparison needs, where a consensus of
 * two results means nothing.
 *
 * Each difference of two results is taken in their decimal resolution
 * (pt_decimal_diff, decimals.c), and compared with R (or 0.59 R) on the
 * same integers when R has that resolution too: results exactly R apart
 * as reported agree (10.3 - 10.0 is 0.3, not 0.30000000000000071), and a
 * result exactly at A + 0.59 R does not fail (5.3127 against A = 5.0 and
 * R = 0.53, where binary puts A + 0.59 R at 5.3126999999999995).
 */
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

/* ISO 4259-2: 0.59 R = 1.645 sqrt(R^2 - r^2/2)/2.77 with r small. */
#define CONFORMITY_PERCENT 59.0
#define CONFORMITY_FACTOR (CONFORMITY_PERCENT / 100.0)

static int positive(double v) { return isfinite(v) && v > 0.0; }

pt_stats_status pt_stats_compare_two(double x1, double x2, double R,
                                     double *diff, int *agree)
{
    double d, num, scale, r;

    if (diff == NULL || agree == NULL || !positive(R))
        return PT_STATS_BAD_ARG;
    if (!isfinite(x1) || !isfinite(x2))
        return PT_STATS_NONFINITE;
    pt_decimal_diff(x1, x2, &R, 1, &num, &scale, &r);
    d = fabs(num) / scale;
    if (!isfinite(d))
        return PT_STATS_NONFINITE;
    *diff = d;
    *agree = fabs(num) <= r;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_compare_ref(double x, double ref, double R,
                                     double factor, double *limit, int *agree)
{
    double d, lim;

    if (limit == NULL || agree == NULL || !positive(R) || !positive(factor))
        return PT_STATS_BAD_ARG;
    if (!isfinite(x) || !isfinite(ref))
        return PT_STATS_NONFINITE;
    if (pt_stats_d(x, ref, &d) != PT_STATS_OK)
        return PT_STATS_NONFINITE;
    d = fabs(d);
    lim = factor * R;
    if (!isfinite(lim))
        return PT_STATS_NONFINITE;
    *limit = lim;
    *agree = d <= lim;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_conformity(double X, double A, double R, int upper,
                                    double *limit, int *fails)
{
    double lim, num, scale, r;

    if (limit == NULL || fails == NULL || !positive(R))
        return PT_STATS_BAD_ARG;
    if (!isfinite(X) || !isfinite(A))
        return PT_STATS_NONFINITE;
    lim = upper ? A + CONFORMITY_FACTOR * R : A - CONFORMITY_FACTOR * R;
    if (!isfinite(lim))
        return PT_STATS_NONFINITE;
    /* X beyond A +- 0.59 R as 100 (X - A) against 59 R, both exact on
     * the integers of pt_decimal_diff (|num| < 2^48, R below 2^47) */
    pt_decimal_diff(X, A, &R, 1, &num, &scale, &r);
    if (!isfinite(100.0 * num) || !isfinite(CONFORMITY_PERCENT * r))
        return PT_STATS_NONFINITE;
    *limit = lim;
    *fails = upper ? 100.0 * num > CONFORMITY_PERCENT * r
                   : -100.0 * num > CONFORMITY_PERCENT * r;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_compare_en(double x, double U_x, double x_ref,
                                    double U_ref, int le_one_satisfactory,
                                    double *en, pt_stats_class *cls)
{
    pt_stats_status st;
    double e;

    if (en == NULL || cls == NULL)
        return PT_STATS_BAD_ARG;
    st = pt_stats_en(x, U_x, x_ref, U_ref, &e);
    if (st != PT_STATS_OK)
        return st;
    *en = e;
    *cls = pt_stats_classify_en(e, le_one_satisfactory);
    return PT_STATS_OK;
}
