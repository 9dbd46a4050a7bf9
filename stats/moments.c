/*
 * moments.c -- arithmetic mean and sample standard deviation.
 *
 * PT results often carry a large common offset (1e6 + small noise, a
 * temperature in kelvin, a mass in mg): the textbook one-pass formula
 * sum(x^2) - n mean^2 cancels every digit there.  This file uses the
 * shifted two-pass algorithm with the rounding-error correction of Chan,
 * Golub and LeVeque (1983), on values scaled by a power of two (an exact
 * operation) so that neither huge nor tiny magnitudes overflow or underflow
 * when squared.
 */
#include <math.h>

#include "pt_stats.h"

/* 2^p that brings the largest |x| into [2, 4).  For finite x, e <= 1024
 * so p >= -1022 and 2^p is a normal number; p is capped for subnormal
 * data so that 2^p stays finite. */
static double pow2_scale(double maxabs)
{
    int e;
    int p;

    (void)frexp(maxabs, &e); /* maxabs = f 2^e, f in [0.5, 1) */
    p = 2 - e;
    if (p > 1000)
        p = 1000;
    return ldexp(1.0, p);
}

pt_stats_status pt_stats_mean_sd(const double x[], size_t n, double *mean,
                                 double *sd)
{
    double maxabs = 0.0;
    double sc, shift, sum = 0.0, m, ss = 0.0, comp = 0.0, var;
    double mean_out, sd_out;
    size_t i;

    if (x == NULL || mean == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    for (i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return PT_STATS_NONFINITE;
        if (fabs(x[i]) > maxabs)
            maxabs = fabs(x[i]);
    }
    if (maxabs == 0.0) {
        *mean = 0.0;
        if (sd != NULL)
            *sd = n > 1 ? 0.0 : NAN;
        return PT_STATS_OK;
    }

    sc = pow2_scale(maxabs);
    shift = x[0] * sc;
    for (i = 0; i < n; i++)
        sum += x[i] * sc - shift;
    m = shift + sum / (double)n;
    for (i = 0; i < n; i++) {
        double d = x[i] * sc - m;
        ss += d * d;
        comp += d;
    }
    mean_out = m / sc;
    if (n > 1) {
        var = (ss - comp * comp / (double)n) / (double)(n - 1);
        sd_out = sqrt(var > 0.0 ? var : 0.0) / sc;
    } else {
        sd_out = NAN;
    }
    if (!isfinite(mean_out) || (n > 1 && !isfinite(sd_out)))
        return PT_STATS_NONFINITE;
    *mean = mean_out;
    if (sd != NULL)
        *sd = sd_out;
    return PT_STATS_OK;
}
