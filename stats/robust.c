/*
 * robust.c -- the simple outlier-resistant estimators of ISO 13528 C.2:
 * median, type-7 quantiles, MADe and nIQR.
 *
 * All of them need order statistics, found here by selection rather than by
 * sorting: a quickselect with a median-of-three pivot and a three-way
 * partition (PT data often hold many equal results, which would make a
 * two-way partition quadratic), which switches to the median-of-medians
 * pivot when the range stops halving (Musser's introselect), so the work
 * is O(n) in the worst case as well as on average.  Selection runs on the
 * caller's work[] copy; the input is never written.
 *
 * A caller that needs many estimators of the same data (ptlims stats)
 * sorts it once (pt_stats_sort) and uses the *_sorted forms: the median
 * and quartiles are then read off, and the MAD is the median of two
 * sorted sequences (the distances below and above the median), found by
 * bisection in O(log n).  They return exactly what the selections return.
 *
 * MADe and nIQR are differences of order statistics.  For results
 * reported to fixed decimals (decimals.c) they are taken on the results
 * as integers in units of their resolution and divided by it at the end,
 * so that an offset of 1e9 does not cost the digits of the spread; that
 * costs the sorted forms one O(n) look at the data for its resolution.
 */
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

/* ISO 13528:2022 C.2.2 and C.2.3 constants. */
#define MADE_FACTOR 1.483
#define NIQR_FACTOR 0.7413

/* Ranges this short are finished by insertion sort. */
#define SMALL_RANGE 16

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Sort w[lo, hi) in place. */
static void insertion_sort(double *w, size_t lo, size_t hi)
{
    size_t i, j;

    for (i = lo + 1; i < hi; i++) {
        double v = w[i];
        for (j = i; j > lo && w[j - 1] > v; j--)
            w[j] = w[j - 1];
        w[j] = v;
    }
}

/* Three-way partition of w[lo, hi) around the value p: afterwards
 * [lo, *lt) < p, [*lt, *gt) == p and [*gt, hi) > p. */
static void partition3(double *w, size_t lo, size_t hi, double p, size_t *lt,
                       size_t *gt)
{
    size_t a = lo, i = lo, b = hi;

    while (i < b) {
        if (w[i] < p)
            swap(&w[a++], &w[i++]);
        else if (w[i] > p)
            swap(&w[i], &w[--b]);
        else
            i++;
    }
    *lt = a;
    *gt = b;
}

static double median_of_3(double a, double b, double c)
{
    if (a < b) {
        if (b < c)
            return b;
        return a < c ? c : a;
    }
    if (a < c)
        return a;
    return b < c ? c : b;
}

static double select_range(double *w, size_t lo, size_t hi, size_t k);

/* Median-of-medians pivot of w[lo, hi): medians of groups of five are
 * gathered at the front of the range and their median selected. */
static double mom_pivot(double *w, size_t lo, size_t hi)
{
    size_t g, m = lo;

    for (g = lo; g < hi; g += 5) {
        size_t e = hi - g > 5 ? g + 5 : hi;
        insertion_sort(w, g, e);
        swap(&w[m++], &w[g + (e - g - 1) / 2]);
    }
    return select_range(w, lo, m, lo + (m - lo - 1) / 2);
}

/* Rearrange w[lo, hi) so that w[k] holds the value it would have if the
 * range were sorted, nothing in [lo, k) is greater and nothing in
 * (k, hi) is smaller; return w[k].  lo <= k < hi. */
static double select_range(double *w, size_t lo, size_t hi, size_t k)
{
    size_t limit = hi - lo; /* size the range must halve to, every 2 steps */
    int steps = 0;
    int use_mom = 0;

    while (hi - lo > SMALL_RANGE) {
        size_t lt, gt;
        double p;

        if (use_mom)
            p = mom_pivot(w, lo, hi);
        else
            p = median_of_3(w[lo], w[lo + (hi - lo) / 2], w[hi - 1]);
        partition3(w, lo, hi, p, &lt, &gt);
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return w[k];
        if (++steps == 2) {
            if (hi - lo > limit / 2)
                use_mom = 1;
            limit = hi - lo;
            steps = 0;
        }
    }
    insertion_sort(w, lo, hi);
    return w[k];
}

/* Smallest value in w[lo, hi), lo < hi. */
static double min_range(const double *w, size_t lo, size_t hi)
{
    double m = w[lo];
    size_t i;

    for (i = lo + 1; i < hi; i++)
        if (w[i] < m)
            m = w[i];
    return m;
}

/* Copy x into work, refusing NaN and infinities. */
static pt_stats_status copy_finite(const double x[], size_t n, double work[])
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return PT_STATS_NONFINITE;
        work[i] = x[i];
    }
    return PT_STATS_OK;
}

/* Common argument checks of the functions below. */
static pt_stats_status check_args(const double x[], size_t n,
                                  const double work[], const double *out)
{
    if (x == NULL || work == NULL || work == x || out == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    return PT_STATS_OK;
}

/* a + g (b - a) for a <= b, g in (0, 1), without overflow. */
static double lerp(double a, double b, double g)
{
    double d = b - a;

    if (isfinite(d))
        return a + g * d;
    return (1.0 - g) * a + g * b;
}

/* Median of w[0, n), n >= 1, by selection in place. */
static double median_inplace(double *w, size_t n)
{
    size_t h = n / 2;
    double lo;

    if (n % 2 == 1)
        return select_range(w, 0, n, h);
    lo = select_range(w, 0, n, h - 1);
    return 0.5 * lo + 0.5 * min_range(w, h, n);
}

/* Type-7 quantile of w[from, n) given that w[from, n) holds the values of
 * rank >= from (so a second quantile can reuse the partition left by the
 * first).  h = (n - 1) p is the 0-based fractional rank. */
static double quantile_inplace(double *w, size_t n, size_t from, double h)
{
    size_t j = (size_t)floor(h);
    double g = h - (double)j;
    double a;

    if (j >= n - 1)
        return select_range(w, from, n, n - 1);
    a = select_range(w, from, n, j);
    if (g == 0.0)
        return a;
    return lerp(a, min_range(w, j + 1, n), g);
}

pt_stats_status pt_stats_median(const double x[], size_t n, double work[],
                                double *out)
{
    pt_stats_status st = check_args(x, n, work, out);

    if (st != PT_STATS_OK)
        return st;
    st = copy_finite(x, n, work);
    if (st != PT_STATS_OK)
        return st;
    *out = median_inplace(work, n);
    return PT_STATS_OK;
}

pt_stats_status pt_stats_quantile(const double x[], size_t n, double p,
                                  double work[], double *out)
{
    pt_stats_status st = check_args(x, n, work, out);

    if (st != PT_STATS_OK)
        return st;
    if (!(p >= 0.0 && p <= 1.0)) /* also refuses NaN */
        return PT_STATS_BAD_ARG;
    st = copy_finite(x, n, work);
    if (st != PT_STATS_OK)
        return st;
    *out = quantile_inplace(work, n, 0, (double)(n - 1) * p);
    return PT_STATS_OK;
}

/* 10^d for data reported to d decimals (pt_stats_decimals), 0 for data
 * compared in binary.  x finite. */
static double unit_of(const double *x, size_t n)
{
    int dec;

    (void)pt_stats_decimals(x, n, &dec); /* finite: cannot fail */
    return dec >= 0 ? pt_stats_pow10(dec) : 0.0;
}

/* x in units of 1/unit: rounded to an integer when unit > 0. */
static double in_unit(double x, double unit)
{
    return unit > 0.0 ? pt_round_int(x * unit) : x;
}

/* A spread v in units of 1/unit back in the data's unit. */
static double from_unit(double v, double unit)
{
    return unit > 0.0 ? v / unit : v;
}

pt_stats_status pt_stats_made(const double x[], size_t n, double work[],
                              double *out)
{
    pt_stats_status st = check_args(x, n, work, out);
    double med, mad, unit;
    size_t i;

    if (st != PT_STATS_OK)
        return st;
    st = copy_finite(x, n, work);
    if (st != PT_STATS_OK)
        return st;
    unit = unit_of(work, n);
    for (i = 0; i < n; i++)
        work[i] = in_unit(work[i], unit);
    med = median_inplace(work, n);
    for (i = 0; i < n; i++)
        work[i] = fabs(in_unit(x[i], unit) - med);
    mad = MADE_FACTOR * from_unit(median_inplace(work, n), unit);
    if (!isfinite(mad)) /* spread beyond DBL_MAX / 1.483 */
        return PT_STATS_NONFINITE;
    *out = mad;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_niqr(const double x[], size_t n, double work[],
                              double *out)
{
    pt_stats_status st = check_args(x, n, work, out);
    double h1, q1, q3, unit;
    size_t i;

    if (st != PT_STATS_OK)
        return st;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    st = copy_finite(x, n, work);
    if (st != PT_STATS_OK)
        return st;
    unit = unit_of(work, n);
    for (i = 0; i < n; i++)
        work[i] = in_unit(work[i], unit);
    h1 = (double)(n - 1) * 0.25;
    q1 = quantile_inplace(work, n, 0, h1);
    /* Q3's lower order statistic has rank >= floor(h1): reuse the
     * partition that selecting Q1 left behind. */
    q3 = quantile_inplace(work, n, (size_t)floor(h1), (double)(n - 1) * 0.75);
    if (!isfinite(q3 - q1))
        return PT_STATS_NONFINITE;
    *out = NIQR_FACTOR * from_unit(q3 - q1, unit);
    return PT_STATS_OK;
}

pt_stats_status pt_stats_sort(const double x[], size_t n, double z[])
{
    pt_stats_status st;

    if (x == NULL || z == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (z == x) {
        size_t i;
        for (i = 0; i < n; i++)
            if (!isfinite(x[i]))
                return PT_STATS_NONFINITE;
    } else {
        st = copy_finite(x, n, z);
        if (st != PT_STATS_OK)
            return st;
    }
    pt_sort_doubles(z, n);
    return PT_STATS_OK;
}

/* Median of the sorted z[0..n), n >= 1, as median_inplace computes it. */
static double median_of_sorted(const double *z, size_t n)
{
    size_t h = n / 2;

    if (n % 2 == 1)
        return z[h];
    return 0.5 * z[h - 1] + 0.5 * z[h];
}

pt_stats_status pt_stats_median_sorted(const double z[], size_t n,
                                       double *out)
{
    if (z == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    *out = median_of_sorted(z, n);
    return PT_STATS_OK;
}

/* The distances |z_i - med| of sorted z as two ascending sequences:
 * below[t] = |z[s - 1 - t] - med| (t < s) and above[t] = |z[s + t] - med|
 * (t < n - s), s the number of values below med. */
struct distances {
    const double *z;
    size_t n, s;
    double med;  /* in units of 1/unit */
    double unit; /* as from unit_of() */
};

static double below_at(const struct distances *d, size_t t)
{
    return fabs(in_unit(d->z[d->s - 1 - t], d->unit) - d->med);
}

static double above_at(const struct distances *d, size_t t)
{
    return fabs(in_unit(d->z[d->s + t], d->unit) - d->med);
}

/* The k-th smallest distance (0-based) of both sequences together: the
 * number i taken from below is found by bisection. */
static double kth_distance(const struct distances *d, size_t k)
{
    size_t na = d->s, nb = d->n - d->s;
    size_t lo = k + 1 > nb ? k + 1 - nb : 0, hi = k + 1 < na ? k + 1 : na;
    size_t i, j;
    double v = 0.0;

    while (lo < hi) {
        i = lo + (hi - lo) / 2;
        j = k + 1 - i;
        if (j > 0 && below_at(d, i) < above_at(d, j - 1))
            lo = i + 1;
        else
            hi = i;
    }
    i = lo;
    j = k + 1 - i;
    if (i > 0)
        v = below_at(d, i - 1);
    if (j > 0 && above_at(d, j - 1) > v)
        v = above_at(d, j - 1);
    return v;
}

pt_stats_status pt_stats_made_sorted(const double z[], size_t n, double *out)
{
    struct distances d;
    size_t a = 0, b, h = n / 2;
    double mad;

    if (z == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    d.z = z;
    d.n = n;
    d.unit = unit_of(z, n);
    if (n % 2 == 1)
        d.med = in_unit(z[h], d.unit);
    else
        d.med = 0.5 * in_unit(z[h - 1], d.unit) + 0.5 * in_unit(z[h], d.unit);
    b = n;
    while (a < b) { /* s = first index with z >= med */
        size_t m = a + (b - a) / 2;
        if (in_unit(z[m], d.unit) < d.med)
            a = m + 1;
        else
            b = m;
    }
    d.s = a;
    if (n % 2 == 1)
        mad = kth_distance(&d, h);
    else
        mad = 0.5 * kth_distance(&d, h - 1) + 0.5 * kth_distance(&d, h);
    mad = MADE_FACTOR * from_unit(mad, d.unit);
    if (!isfinite(mad))
        return PT_STATS_NONFINITE;
    *out = mad;
    return PT_STATS_OK;
}

/* Type-7 quantile of sorted z in units of 1/unit, as quantile_inplace
 * computes it. */
static double quantile_of_sorted(const double *z, size_t n, double h,
                                 double unit)
{
    size_t j = (size_t)floor(h);
    double g = h - (double)j;

    if (j >= n - 1)
        return in_unit(z[n - 1], unit);
    if (g == 0.0)
        return in_unit(z[j], unit);
    return lerp(in_unit(z[j], unit), in_unit(z[j + 1], unit), g);
}

pt_stats_status pt_stats_niqr_sorted(const double z[], size_t n, double *out)
{
    double q1, q3, unit;

    if (z == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    unit = unit_of(z, n);
    q1 = quantile_of_sorted(z, n, (double)(n - 1) * 0.25, unit);
    q3 = quantile_of_sorted(z, n, (double)(n - 1) * 0.75, unit);
    if (!isfinite(q3 - q1))
        return PT_STATS_NONFINITE;
    *out = NIQR_FACTOR * from_unit(q3 - q1, unit);
    return PT_STATS_OK;
}
