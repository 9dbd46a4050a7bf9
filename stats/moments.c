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
 *
 * Results reported to fixed decimals (decimals.c) are summed as integers
 * in units of their resolution, relative to the first of them: those
 * deviations are exact, so the mean moves exactly with a shift of the
 * data and the SD does not move at all, even at an offset of 1e9.
 */
#include <math.h>

#include "pairsel.h"
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

/* The mean and SD of finite x[n] reported to the resolution 1/unit. */
static pt_stats_status mean_sd_decimal(const double x[], size_t n,
                                       double unit, double *mean, double *sd)
{
    double k0 = pt_round_int(x[0] * unit), sum = 0.0, md, ss = 0.0, comp = 0.0;
    double mean_out, sd_out = NAN;
    size_t i;

    for (i = 0; i < n; i++)
        sum += pt_round_int(x[i] * unit) - k0;
    md = sum / (double)n;
    for (i = 0; i < n; i++) {
        double d = (pt_round_int(x[i] * unit) - k0) - md;
        ss += d * d;
        comp += d;
    }
    mean_out = x[0] + md / unit; /* x[0] itself when n = 1 */
    if (n > 1) {
        double var = (ss - comp * comp / (double)n) / (double)(n - 1);
        sd_out = sqrt(var > 0.0 ? var : 0.0) / unit;
    }
    if (!isfinite(mean_out) || (n > 1 && !isfinite(sd_out)))
        return PT_STATS_NONFINITE;
    *mean = mean_out;
    if (sd != NULL)
        *sd = sd_out;
    return PT_STATS_OK;
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

    {
        int dec;
        (void)pt_stats_decimals(x, n, &dec); /* finite: cannot fail */
        if (dec >= 0)
            return mean_sd_decimal(x, n, pt_stats_pow10(dec), mean, sd);
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
