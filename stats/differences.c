/*
 * differences.c -- the difference scores of ISO 13528 9.3: D = x - x_pt,
 * D% = 100 D / x_pt and PA = 100 D / delta_E (the percentage of the
 * allowed deviation).  They are what a bilateral comparison reports when
 * no sigma_pt is set, and they are checked here like the other scores: a
 * zero divisor or a non-finite value is a status, never a number.
 */
#include <math.h>

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
    if (out == NULL)
        return PT_STATS_BAD_ARG;
    if (!isfinite(x) || !isfinite(x_pt))
        return PT_STATS_NONFINITE;
    return finite_out(x - x_pt, out);
}

pt_stats_status pt_stats_d_pct(double x, double x_pt, double *out)
{
    if (out == NULL)
        return PT_STATS_BAD_ARG;
    if (!isfinite(x) || !isfinite(x_pt))
        return PT_STATS_NONFINITE;
    if (x_pt == 0.0)
        return PT_STATS_BAD_ARG;
    return finite_out(100.0 * ((x - x_pt) / x_pt), out);
}

pt_stats_status pt_stats_pa(double x, double x_pt, double delta_e,
                            double *out)
{
    if (out == NULL || !(isfinite(delta_e) && delta_e > 0.0))
        return PT_STATS_BAD_ARG;
    if (!isfinite(x) || !isfinite(x_pt))
        return PT_STATS_NONFINITE;
    return finite_out(100.0 * ((x - x_pt) / delta_e), out);
}
