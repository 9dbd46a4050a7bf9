/*
 * alga.c -- ISO 13528 Algorithm A (C.3.1) and its fixed-scale variant
 * (C.3.2): the robust mean x* and robust standard deviation s* used as the
 * consensus assigned value of a PT round.
 *
 * Start from x* = median and s* = MADe (the sample SD when MADe is 0),
 * winsorise every result to x* +- k s*, and replace x* by the mean of the
 * winsorised values and s* by factor * their SD, until the chosen stop rule
 * holds.  At its fixed point this is Huber's proposal 2 with k = 1.5 (see
 * tests/stats/test_alga.c for the derivation and an independent solver).
 *
 * The iteration works on deviations from the median, subtracted once and
 * exactly, and scaled by a power of two fixed from the starting s*: values
 * near 1e6 with a spread of 1e-2 converge exactly like the same values
 * near 0, and clamping happens before squaring, so an outlier of 1e300
 * cannot overflow anything.
 *
 * Plain iteration can be very slow: with n_out of the n results clamped,
 * the map s* -> s* has slope about factor^2 k^2 n_out / (n - 1), which is
 * 2.89 n_out / (n - 1) with ISO's constants and nears 1 when about a third
 * of the results are clamped (a bimodal round).  Under the fixed-point stop
 * rule the fixed point for the current set of clamped results is therefore
 * also solved in closed form (solve_clamped_set) and taken when it clamps
 * the same results; the next ordinary step then confirms it.  The ISO
 * 3-significant-figure rule is left as plain iteration, as ISO states it.
 */
#include <float.h>
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

#define ALGA_K 1.5
#define ALGA_FACTOR 1.134
#define ALGA_TOL 1e-12
#define ALGA_MAX_ITER 1000

/* s* below this share of its start is taken as s* tending to 0: with more
 * than half of the values equal and the rest clamped, each update shrinks
 * s* by a constant factor, and no fixed point other than 0 exists. */
#define COLLAPSE 1e-15

void pt_stats_alga_defaults(pt_alga_options *o)
{
    if (o == NULL)
        return;
    o->k = ALGA_K;
    o->factor = ALGA_FACTOR;
    o->stop = PT_ALGA_STOP_FIXED;
    o->tol = ALGA_TOL;
    o->max_iter = ALGA_MAX_ITER;
    o->fixed_scale = 0;
}

static int options_ok(const pt_alga_options *o)
{
    if (!(isfinite(o->k) && o->k > 0.0))
        return 0;
    if (!(isfinite(o->factor) && o->factor > 0.0))
        return 0;
    if (o->stop != PT_ALGA_STOP_FIXED && o->stop != PT_ALGA_STOP_SIG3)
        return 0;
    if (!(isfinite(o->tol) && o->tol >= 0.0))
        return 0;
    return o->max_iter >= 1;
}

/* 2^-e with s0 = f 2^e, f in [0.5, 1): s0 times it lies in [0.5, 1). */
static double pow2_unit(double s0)
{
    int e;

    (void)frexp(s0, &e);
    if (e > 1021)
        e = 1021;
    if (e < -1021)
        e = -1021;
    return ldexp(1.0, -e);
}

static double clamp(double v, double d)
{
    if (v < -d)
        return -d;
    if (v > d)
        return d;
    return v;
}

/* ISO rule: the third significant figure of s* and the same decimal place
 * of x* are unchanged (both rounded to that place). */
static int same_to_sig3(double x0, double x1, double s0, double s1)
{
    double q = pow(10.0, floor(log10(s1)) - 2.0);

    return round(s0 / q) == round(s1 / q) && round(x0 / q) == round(x1 / q);
}

/* The sums of an update over n values carry a rounding error of up to
 * about n DBL_EPSILON relative, so below that floor a change is noise: for
 * n above about 4500 the tolerance is raised to it (1e6 values: 2.2e-10),
 * or the rule could never hold.  dm is the change of x* and s0, s1 the
 * old and new s*, all in the same unit. */
static int fixed_rule_holds(double dm, double s0, double s1, double tol,
                            size_t n)
{
    double floor_n = (double)n * DBL_EPSILON;

    if (tol < floor_n)
        tol = floor_n;
    return fabs(dm) <= tol * s1 && fabs(s1 - s0) <= tol * s1;
}

/* Where the deviations are measured from, and in what unit. */
struct centre {
    double c;    /* the median, in the results' unit */
    double unit; /* 10^d for data reported to d decimals, else 0 */
    double kc;   /* c 10^d rounded: the centre on the decimal grid */
    double sc;   /* power of two scaling the deviations */
};

/* Deviation of x from the centre, scaled: the one place a result is read,
 * so every pass sees the same numbers.  For decimal data it is the exact
 * difference of the two as reported, in units of their resolution. */
static double deviation(double x, const struct centre *z)
{
    if (z->unit > 0.0)
        return (pt_round_int(x * z->unit) - z->kc) * z->sc;
    return (x - z->c) * z->sc;
}

/* x* of the scaled deviation m. */
static double location(const struct centre *z, double m)
{
    if (z->unit > 0.0)
        return (z->kc + m / z->sc) / z->unit;
    return z->c + m / z->sc;
}

/* s* of the scaled s. */
static double scale_of(const struct centre *z, double s)
{
    return z->unit > 0.0 ? s / z->sc / z->unit : s / z->sc;
}

/* Counts of results below and above the clamp window m +- d, in scaled
 * deviations from the centre c. */
static void count_clamped(const double x[], size_t n, const struct centre *z,
                          double m, double d, size_t *lo, size_t *hi)
{
    size_t i;

    *lo = 0;
    *hi = 0;
    for (i = 0; i < n; i++) {
        double r = deviation(x[i], z) - m;
        if (r < -d)
            (*lo)++;
        else if (r > d)
            (*hi)++;
    }
}

/* The fixed point of Algorithm A for the set of results that the window
 * m +- k s clamps (m, s scaled, m a deviation from c).  With n_L results
 * clamped low, n_H high and the n_I others (sum S, scatter Q about their
 * mean a), x* = a + b s* with b = (n_H - n_L) k / n_I, and
 * (n - 1) s*^2 / factor^2 = Q + n_I b^2 s*^2 + (n_L + n_H) k^2 s*^2, so
 * s*^2 = Q / D with D = (n - 1) / factor^2 - n_I b^2 - (n_L + n_H) k^2.
 * (With a fixed scale only x* = a + b s is solved.)  Returns non-zero and
 * the point in *mc, *s_c (scaled) when it exists and clamps exactly the
 * same results. */
static int solve_clamped_set(const double x[], size_t n,
                             const pt_alga_options *o,
                             const struct centre *z, double m, double s,
                             double *mc, double *s_c)
{
    double d = o->k * s, sum = 0.0, q = 0.0, comp = 0.0;
    double a, b, st, mt, dn = (double)n;
    size_t i, n_lo = 0, n_hi = 0, n_in, lo2, hi2;

    for (i = 0; i < n; i++) {
        double r = deviation(x[i], z);
        if (r - m < -d)
            n_lo++;
        else if (r - m > d)
            n_hi++;
        else
            sum += r;
    }
    n_in = n - n_lo - n_hi;
    if (n_in == 0)
        return 0;
    a = sum / (double)n_in;
    for (i = 0; i < n; i++) {
        double r = deviation(x[i], z);
        if (r - m >= -d && r - m <= d) {
            q += (r - a) * (r - a);
            comp += r - a;
        }
    }
    q -= comp * comp / (double)n_in;
    b = ((double)n_hi - (double)n_lo) * o->k / (double)n_in;
    if (o->fixed_scale) {
        st = s;
    } else {
        double den = (dn - 1.0) / (o->factor * o->factor) -
                     (double)n_in * b * b -
                     ((double)n_lo + (double)n_hi) * o->k * o->k;
        if (!(den > 0.0) || !(q > 0.0))
            return 0;
        st = sqrt(q / den);
    }
    mt = a + b * st;
    count_clamped(x, n, z, mt, o->k * st, &lo2, &hi2);
    if (lo2 != n_lo || hi2 != n_hi)
        return 0;
    *mc = mt;
    *s_c = st;
    return isfinite(mt) && isfinite(st) && st > 0.0;
}

/* Algorithm A from the start x* = c (the median), s = MADe, for checked
 * options o and finite x[n], n >= 3.
 *
 * The data are centred once on c.  For data reported to d decimals
 * (pt_stats_decimals) a deviation is the difference of the two integers
 * x_i 10^d and c 10^d (rounded), exact whatever the offset; otherwise
 * it is x_i - c, which is exact for every result within a factor of two
 * of c (Sterbenz).  Either way, with a large offset (1e6 plus noise of
 * 0.01) the deviations keep every digit of the noise.  The iteration then
 * moves only m = x* - c, which is of the order of s* rather than of the
 * offset, so the fixed-point test compares changes that are as precise
 * as for centred data.  Deviations are scaled by a power of two fixed
 * from the starting s*. */
static pt_stats_status alga_run(const double x[], size_t n,
                                const pt_alga_options *opts, double c,
                                double s, pt_alga_result *out)
{
    pt_alga_options o = *opts;
    pt_stats_status st;
    struct centre z;
    double dn = (double)n, m, s_start, s_first;
    int sd_start = 0, dec;
    int it;

    if (s == 0.0) {
        double mean;

        st = pt_stats_mean_sd(x, n, &mean, &s);
        if (st != PT_STATS_OK)
            return st;
        if (s == 0.0)
            return PT_STATS_ZERO_SCALE;
        sd_start = 1;
    }

    s_start = s;
    (void)pt_stats_decimals(x, n, &dec); /* finite: cannot fail */
    z.c = c;
    z.unit = dec >= 0 ? pt_stats_pow10(dec) : 0.0;
    z.kc = dec >= 0 ? pt_round_int(c * z.unit) : 0.0;
    if (dec >= 0)
        s *= z.unit;
    z.sc = pow2_unit(s);
    s *= z.sc; /* exact: a power of two */
    s_first = s;
    m = dec >= 0 ? (c * z.unit - z.kc) * z.sc : 0.0;
    for (it = 1; it <= o.max_iter; it++) {
        double d = o.k * s; /* clamp half-width, scaled */
        double sum = 0.0, dev, m1, s1;
        size_t i;

        for (i = 0; i < n; i++)
            sum += clamp(deviation(x[i], &z) - m, d);
        dev = sum / dn; /* new x* - old x*, scaled */
        m1 = m + dev;
        if (o.fixed_scale) {
            s1 = s;
        } else {
            double ss = 0.0, comp = 0.0, var;

            for (i = 0; i < n; i++) {
                double e = clamp(deviation(x[i], &z) - m, d) - dev;
                ss += e * e;
                comp += e;
            }
            var = (ss - comp * comp / dn) / (dn - 1.0);
            s1 = o.factor * sqrt(var > 0.0 ? var : 0.0);
        }
        if (!isfinite(m1) || !isfinite(s1) || !isfinite(location(&z, m1)))
            return PT_STATS_NONFINITE;
        if (!(s1 > COLLAPSE * s_first))
            return PT_STATS_ZERO_SCALE; /* s* tends to 0 */

        if (o.stop == PT_ALGA_STOP_SIG3
                ? same_to_sig3(location(&z, m), location(&z, m1),
                               scale_of(&z, s), scale_of(&z, s1))
                : fixed_rule_holds(dev, s, s1, o.tol, n)) {
            out->x = location(&z, m1);
            out->s = o.fixed_scale ? s_start : scale_of(&z, s1);
            out->u_x = 1.25 * out->s / sqrt(dn);
            out->iterations = it;
            out->sd_start = sd_start;
            return PT_STATS_OK;
        }
        m = m1;
        s = s1;
        if (o.stop == PT_ALGA_STOP_FIXED && it + 1 < o.max_iter &&
            solve_clamped_set(x, n, &o, &z, m1, s1, &m1, &s1)) {
            it++; /* the jump counts as one update of x* and s* */
            m = m1;
            s = s1;
        }
    }
    return PT_STATS_NO_CONVERGE;
}

/* Argument checks shared by the two entry points; *o receives the
 * options. */
static pt_stats_status alga_args(const double x[], size_t n,
                                 const pt_alga_options *opts,
                                 const pt_alga_result *out,
                                 pt_alga_options *o)
{
    if (x == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 3)
        return PT_STATS_TOO_FEW;
    if (opts != NULL)
        *o = *opts;
    else
        pt_stats_alga_defaults(o);
    if (!options_ok(o))
        return PT_STATS_BAD_ARG;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_alga(const double x[], size_t n,
                              const pt_alga_options *opts, double work[],
                              pt_alga_result *out)
{
    pt_alga_options o;
    pt_stats_status st;
    double xs, s;

    if (work == NULL || work == x)
        return PT_STATS_BAD_ARG;
    st = alga_args(x, n, opts, out, &o);
    if (st != PT_STATS_OK)
        return st;
    st = pt_stats_median(x, n, work, &xs);
    if (st != PT_STATS_OK)
        return st;
    st = pt_stats_made(x, n, work, &s);
    if (st != PT_STATS_OK)
        return st;
    return alga_run(x, n, &o, xs, s, out);
}

pt_stats_status pt_stats_alga_from(const double x[], size_t n,
                                   const pt_alga_options *opts,
                                   double median, double made,
                                   pt_alga_result *out)
{
    pt_alga_options o;
    pt_stats_status st = alga_args(x, n, opts, out, &o);
    size_t i;

    if (st != PT_STATS_OK)
        return st;
    if (!isfinite(median) || !(isfinite(made) && made >= 0.0))
        return PT_STATS_BAD_ARG;
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return PT_STATS_NONFINITE;
    return alga_run(x, n, &o, median, made, out);
}
