/*
 * differences.c -- the difference scores of ISO 13528 9.3: D = x - x_pt,
 * D% = 100 D / x_pt and PA = 100 D / delta_E (the percentage of the
 * allowed deviation).  They are what a bilateral comparison reports when
 * no sigma_pt is set, and they are checked here like the other scores: a
 * zero divisor or a non-finite value is a status, never a number.
 *
 * The difference is taken in the values' decimal resolution
 * (pt_decimal_diff): 63.9 - 63.8 is 0.1, not 0.10000000000000142, and each
 * score is the reported values' exact quotient rounded once.
 */
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

static pt_stats_status finite_out(double v, double *out)
{
    if (!isfinite(v))
        return PT_STATS_NONFINITE;
    *out = v;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_d(double x, double x_pt, double *out)
{
    double num, scale;

    if (out == NULL)
        return PT_STATS_BAD_ARG;
    if (!isfinite(x) || !isfinite(x_pt))
        return PT_STATS_NONFINITE;
    pt_decimal_diff(x, x_pt, NULL, 0, &num, &scale, NULL);
    return finite_out(num / scale, out);
}

/* 100 num / den: with num an integer below 2^48 (pt_decimal_diff) the
 * product is exact (25 num < 2^53, times 4), so the quotient is rounded
 * once; a binary num too large for the product is divided first. */
static pt_stats_status percent(double num, double den, double *out)
{
    if (!isfinite(100.0 * num))
        return finite_out(100.0 * (num / den), out);
    return finite_out((100.0 * num) / den, out);
}

pt_stats_status pt_stats_d_pct(double x, double x_pt, double *out)
{
    double num, scale, p;

    if (out == NULL)
        return PT_STATS_BAD_ARG;
    if (!isfinite(x) || !isfinite(x_pt))
        return PT_STATS_NONFINITE;
    if (x_pt == 0.0)
        return PT_STATS_BAD_ARG;
    pt_decimal_diff(x, x_pt, &x_pt, 1, &num, &scale, &p);
    return percent(num, p, out);
}

pt_stats_status pt_stats_pa(double x, double x_pt, double delta_e,
                            double *out)
{
    double num, scale, de;

    if (out == NULL || !(isfinite(delta_e) && delta_e > 0.0))
        return PT_STATS_BAD_ARG;
    if (!isfinite(x) || !isfinite(x_pt))
        return PT_STATS_NONFINITE;
    pt_decimal_diff(x, x_pt, &delta_e, 1, &num, &scale, &de);
    return percent(num, de, out);
}
