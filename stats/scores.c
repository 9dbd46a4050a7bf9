/*
 * scores.c -- ISO 13528 clause 9 performance scores (z, z', zeta, En) and
 * their classification into satisfactory / questionable / unsatisfactory.
 *
 * Each score is a difference over a positive scale; the functions refuse a
 * scale that is zero, negative or not finite instead of returning an
 * infinite score, and compute the combined denominators with hypot() so
 * that they neither overflow nor underflow.  The difference x - x_pt is
 * taken in the data's decimal resolution (decimals.c): a z of exactly 2 as
 * reported is 2, not 2.0000000000000107.
 */
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

static int positive(double v) { return isfinite(v) && v > 0.0; }

static int nonnegative(double v) { return isfinite(v) && v >= 0.0; }

/* (x - x_pt) / s[0] (ns 1) or / hypot(s[0], s[1]) (ns 2), the scales
 * already checked, in the data's decimal resolution (pt_decimal_diff). */
static pt_stats_status ratio(double x, double x_pt, const double s[],
                             size_t ns, double *out)
{
    double num, scale, sc[2], r;

    if (!isfinite(x) || !isfinite(x_pt))
        return PT_STATS_NONFINITE;
    pt_decimal_diff(x, x_pt, s, ns, &num, &scale, sc);
    r = num / (ns == 1 ? sc[0] : hypot(sc[0], sc[1]));
    if (!isfinite(r))
        return PT_STATS_NONFINITE;
    *out = r;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_z(double x, double x_pt, double sigma_pt, double *out)
{
    if (out == NULL || !positive(sigma_pt))
        return PT_STATS_BAD_ARG;
    return ratio(x, x_pt, &sigma_pt, 1, out);
}

pt_stats_status pt_stats_z_prime(double x, double x_pt, double u_x_pt,
                                 double sigma_pt, double *out)
{
    const double s[2] = {sigma_pt, u_x_pt};

    if (out == NULL || !positive(sigma_pt) || !nonnegative(u_x_pt))
        return PT_STATS_BAD_ARG;
    return ratio(x, x_pt, s, 2, out);
}

pt_stats_status pt_stats_zeta(double x, double u_x, double x_pt, double u_x_pt,
                              double *out)
{
    const double s[2] = {u_x, u_x_pt};

    if (out == NULL || !positive(u_x) || !nonnegative(u_x_pt))
        return PT_STATS_BAD_ARG;
    return ratio(x, x_pt, s, 2, out);
}

pt_stats_status pt_stats_en(double x, double U_x, double x_pt, double U_x_pt,
                            double *out)
{
    const double s[2] = {U_x, U_x_pt};

    if (out == NULL || !positive(U_x) || !nonnegative(U_x_pt))
        return PT_STATS_BAD_ARG;
    return ratio(x, x_pt, s, 2, out);
}

pt_stats_class pt_stats_classify_z(double score)
{
    double a = fabs(score);

    if (a <= 2.0)
        return PT_CLASS_SATISFACTORY;
    if (a < 3.0)
        return PT_CLASS_QUESTIONABLE;
    return PT_CLASS_UNSATISFACTORY; /* |s| >= 3, and NaN */
}

pt_stats_class pt_stats_classify_en(double en, int le_one_satisfactory)
{
    double a = fabs(en);

    if (a < 1.0)
        return PT_CLASS_SATISFACTORY;
    if (a == 1.0 && le_one_satisfactory)
        return PT_CLASS_SATISFACTORY;
    return PT_CLASS_UNSATISFACTORY; /* |En| > 1, exactly 1 under ISO's
                                       rule, and NaN */
}
