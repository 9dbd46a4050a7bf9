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
 */
#include <math.h>

#include "pt_stats.h"

/* ISO 4259-2: 0.59 R = 1.645 sqrt(R^2 - r^2/2)/2.77 with r small. */
#define CONFORMITY_FACTOR 0.59

static int positive(double v) { return isfinite(v) && v > 0.0; }

pt_stats_status pt_stats_compare_two(double x1, double x2, double R,
                                     double *diff, int *agree)
{
    double d;

    if (diff == NULL || agree == NULL || !positive(R))
        return PT_STATS_BAD_ARG;
    if (!isfinite(x1) || !isfinite(x2))
        return PT_STATS_NONFINITE;
    d = fabs(x1 - x2);
    if (!isfinite(d))
        return PT_STATS_NONFINITE;
    *diff = d;
    *agree = d <= R;
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
    d = fabs(x - ref);
    lim = factor * R;
    if (!isfinite(d) || !isfinite(lim))
        return PT_STATS_NONFINITE;
    *limit = lim;
    *agree = d <= lim;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_conformity(double X, double A, double R, int upper,
                                    double *limit, int *fails)
{
    double lim;

    if (limit == NULL || fails == NULL || !positive(R))
        return PT_STATS_BAD_ARG;
    if (!isfinite(X) || !isfinite(A))
        return PT_STATS_NONFINITE;
    lim = upper ? A + CONFORMITY_FACTOR * R : A - CONFORMITY_FACTOR * R;
    if (!isfinite(lim))
        return PT_STATS_NONFINITE;
    *limit = lim;
    *fails = upper ? X > lim : X < lim;
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
