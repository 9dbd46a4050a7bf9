/*
 * pairsel.c -- selection among the n(n - 1)/2 pairwise differences of
 * sorted data in O(n log n) time and O(n) space, never forming the pairs;
 * and the sort of doubles that Qn, the Q method and Hampel start from.
 *
 * Qn needs the k-th smallest |x_i - x_j| and the Q method the point where
 * a weighted count of between-laboratory differences crosses a level.  Both
 * are "the smallest difference d with f(d) >= target" for a
 * non-decreasing f.  For sorted z the differences z[j] - z[i] (j > i) form
 * a matrix whose rows and columns are sorted, so the candidates left in
 * each row are a contiguous range of columns, [lo[i], hi[i]), and the
 * candidates in an interval (dL, dR] are found by one two-pointer sweep.
 *
 * Sampling rounds: draw m candidates uniformly (about n/8, from 64 up to
 * 4096), sort them, and take the two sample values that bracket the
 * answer's expected place (f at the bracket ends gives the place by
 * interpolation; for Qn f is the rank itself) with a margin of three
 * standard deviations of a binomial count.  Two calls of f confirm the
 * bracket (dL, dR), or move whichever end they can, and one sweep drops
 * the candidates outside it (dR, known to reach target, is kept aside as
 * the answer if no smaller candidate does, so that rounded data with many
 * tied differences lose a whole run of ties at once).  With m = 4096 each
 * round keeps about 3 % of the candidates, so 5e11 pairs of a million
 * values fall to under 2n in four rounds.  The answer is exact whatever
 * the samples are; only the speed depends on them.  If rounds stop halving the candidates
 * (adversarial f) the deterministic scheme of Johnson and Mizoguchi (1978)
 * that Croux and Rousseeuw (1992) used for Qn finishes the job: pivot on
 * the weighted median of the row medians, which drops at least a quarter
 * of the candidates per step.
 *
 * The last <= 2n candidates are listed and searched with interpolation on
 * f (bisection whenever interpolation fails to halve the range), each
 * probe a quickselect of the interpolated rank: O(n) on average, and two
 * or three calls of f for Qn.
 */
#include <math.h>

#include "pairsel.h"

/* ---- sort ---- */

#define SORT_SMALL 24

static void insertion_sort(double *x, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        double v = x[i];
        for (j = i; j > 0 && x[j - 1] > v; j--)
            x[j] = x[j - 1];
        x[j] = v;
    }
}

static void sift_down(double *x, size_t root, size_t n)
{
    double v = x[root];

    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= n)
            break;
        if (c + 1 < n && x[c + 1] > x[c])
            c++;
        if (!(x[c] > v))
            break;
        x[root] = x[c];
        root = c;
    }
    x[root] = v;
}

static void heap_sort(double *x, size_t n)
{
    size_t i;

    for (i = n / 2; i-- > 0;)
        sift_down(x, i, n);
    for (i = n; i-- > 1;) {
        double t = x[0];
        x[0] = x[i];
        x[i] = t;
        sift_down(x, 0, i);
    }
}

static void swap_d(double *a, double *b)
{
    double t = *a;

    *a = *b;
    *b = t;
}

static void intro_sort(double *x, size_t n, int depth)
{
    while (n > SORT_SMALL) {
        size_t i = 0, j = n - 1, mid = n / 2;
        double p;

        if (depth-- == 0) {
            heap_sort(x, n);
            return;
        }
        /* x[0] <= x[mid] <= x[n - 1]: the ends stop both scans */
        if (x[mid] < x[0])
            swap_d(&x[mid], &x[0]);
        if (x[n - 1] < x[mid]) {
            swap_d(&x[n - 1], &x[mid]);
            if (x[mid] < x[0])
                swap_d(&x[mid], &x[0]);
        }
        p = x[mid];
        for (;;) {
            do
                i++;
            while (x[i] < p);
            do
                j--;
            while (x[j] > p);
            if (i >= j)
                break;
            swap_d(&x[i], &x[j]);
        }
        /* [0, i) <= p <= [i, n); recurse into the smaller side */
        if (i < n - i) {
            intro_sort(x, i, depth);
            x += i;
            n -= i;
        } else {
            intro_sort(x + i, n - i, depth);
            n = i;
        }
    }
    insertion_sort(x, n);
}

void pt_sort_doubles(double x[], size_t n)
{
    int depth = 0;
    size_t m;

    for (m = n; m > 1; m >>= 1)
        depth += 2;
    intro_sort(x, n, depth);
}

pt_stats_status pt_sorted_integers(const double z[], size_t n, double ints[],
                                   const double **k, double *scale)
{
    size_t i;
    int dec;

    for (i = 0; i < n; i++) {
        if (!isfinite(z[i]))
            return PT_STATS_NONFINITE;
        if (i > 0 && z[i] < z[i - 1])
            return PT_STATS_BAD_ARG;
    }
    (void)pt_stats_decimals(z, n, &dec); /* finite: cannot fail */
    if (dec < 0) {
        *k = z;
        *scale = 1.0;
    } else {
        pt_stats_decimals_scale(z, n, dec, ints);
        *k = ints;
        *scale = pt_stats_pow10(dec);
    }
    return PT_STATS_OK;
}

/* ---- counting ---- */

double pt_pairsel_count(const double z[], size_t n, double d, int strict)
{
    double count = 0.0;
    size_t i = 0, j;

    for (j = 1; j < n; j++) {
        if (strict)
            while (i < j && !(z[j] - z[i] < d))
                i++;
        else
            while (i < j && !(z[j] - z[i] <= d))
                i++;
        count += (double)(j - i);
    }
    return count;
}

void pt_pairsel_count2(const double z[], size_t n, double d, double *le,
                       double *lt)
{
    double cle = 0.0, clt = 0.0;
    size_t a = 0, b = 0, j;

    for (j = 1; j < n; j++) {
        while (a < j && !(z[j] - z[a] <= d))
            a++;
        if (b < a)
            b = a;
        while (b < j && !(z[j] - z[b] < d))
            b++;
        cle += (double)(j - a);
        clt += (double)(j - b);
    }
    *le = cle;
    *lt = clt;
}

/* ---- trimming the candidate rows ---- */

/* lo[i] = max(lo[i], first column j > i with z[j] - z[i] > d). */
static void trim_below(const double *z, size_t n, size_t *lo, double d)
{
    size_t i, j = 1;

    for (i = 0; i + 1 < n; i++) {
        if (j < i + 1)
            j = i + 1;
        while (j < n && !(z[j] - z[i] > d))
            j++;
        if (lo[i] < j)
            lo[i] = j;
    }
}

/* hi[i] = min(hi[i], first column j > i with z[j] - z[i] > d), or with
 * z[j] - z[i] >= d when strict. */
static void trim_above(const double *z, size_t n, size_t *hi, double d,
                       int strict)
{
    size_t i, j = 1;

    for (i = 0; i + 1 < n; i++) {
        if (j < i + 1)
            j = i + 1;
        if (strict)
            while (j < n && z[j] - z[i] < d)
                j++;
        else
            while (j < n && z[j] - z[i] <= d)
                j++;
        if (hi[i] > j)
            hi[i] = j;
    }
}

/* Drop the candidates outside (dl, dr) from every row in one sweep, and
 * return how many are left, with the running totals cum[i] = candidates
 * in rows 0..i. */
static double trim_both(const double *z, size_t n, size_t *lo, size_t *hi,
                        double dl, double dr, double *cum)
{
    double t = 0.0;
    size_t i, a = 1, b = 1;

    for (i = 0; i + 1 < n; i++) {
        if (a < i + 1)
            a = i + 1;
        while (a < n && !(z[a] - z[i] > dl))
            a++;
        if (b < a)
            b = a; /* below a every difference is <= dl < dr */
        while (b < n && z[b] - z[i] < dr)
            b++;
        if (lo[i] < a)
            lo[i] = a;
        if (hi[i] > b)
            hi[i] = b;
        if (hi[i] > lo[i])
            t += (double)(hi[i] - lo[i]);
        cum[i] = t;
    }
    return t;
}

/* ---- deterministic steps (Johnson and Mizoguchi) ---- */

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

static void swap2(double *v, double *w, size_t a, size_t b)
{
    swap_d(&v[a], &v[b]);
    swap_d(&w[a], &w[b]);
}

/* The smallest v[i] such that the weights of the values <= it add up to
 * at least target (0 < target <= sum of w).  Quickselect with a three-way
 * partition on (v, w) pairs; v and w are reordered. */
static double weighted_select(double *v, double *w, size_t n, double target)
{
    size_t lo = 0, hi = n;
    double below = 0.0;

    for (;;) {
        size_t a, i, b;
        double p, wl = 0.0, we = 0.0;

        if (hi - lo == 1)
            return v[lo];
        p = median_of_3(v[lo], v[lo + (hi - lo) / 2], v[hi - 1]);
        a = lo;
        i = lo;
        b = hi;
        while (i < b) {
            if (v[i] < p) {
                wl += w[i];
                swap2(v, w, a++, i++);
            } else if (v[i] > p) {
                swap2(v, w, i, --b);
            } else {
                we += w[i];
                i++;
            }
        }
        if (below + wl >= target) {
            hi = a;
        } else if (below + wl + we >= target) {
            return p;
        } else {
            below += wl + we;
            lo = b;
        }
    }
}

/* Finish by pivoting on the weighted median of the row medians; best is
 * the smallest difference known to reach target so far. */
static double deterministic(const double *z, size_t n, pt_pairsel_fn f,
                            void *ctx, double target, size_t *lo, size_t *hi,
                            double *med, double *wt, double best)
{
    for (;;) {
        size_t r = 0, i;
        double total = 0.0, pivot;

        for (i = 0; i + 1 < n; i++) {
            if (lo[i] >= hi[i])
                continue;
            med[r] = z[lo[i] + (hi[i] - 1 - lo[i]) / 2] - z[i];
            wt[r] = (double)(hi[i] - lo[i]);
            total += wt[r];
            r++;
        }
        if (r == 0)
            return best;
        pivot = weighted_select(med, wt, r, 0.5 * total);
        if (f(pivot, ctx) >= target) {
            best = pivot; /* drop every candidate >= pivot */
            trim_above(z, n, hi, pivot, 1);
        } else {
            trim_below(z, n, lo, pivot); /* drop every candidate <= pivot */
        }
    }
}

/* ---- sampling rounds ---- */

#define SAMPLES 4096

/* splitmix64: a fixed sequence, so that runs repeat exactly. */
static unsigned long long next_random(unsigned long long *s)
{
    unsigned long long x = (*s += 0x9E3779B97F4A7C15ULL);

    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* s[0..m) = m candidates drawn uniformly (with replacement), cum[] as
 * left by trim_both() with total > 0 candidates: m random ranks, sorted,
 * are walked along the rows in one pass, which reads cum[] in order
 * rather than bisecting it m times. */
static void draw(const double *z, const size_t *lo, const double *cum,
                 double total, double *s, size_t m, unsigned long long *rs)
{
    size_t k, a = 0;

    for (k = 0; k < m; k++) {
        double u = floor((double)(next_random(rs) >> 11) *
                         (total / 9007199254740992.0));
        s[k] = u < total ? u : total - 1.0;
    }
    pt_sort_doubles(s, m);
    for (k = 0; k < m; k++) {
        double u = s[k];
        while (!(cum[a] > u)) /* the first row past u: not empty */
            a++;
        s[k] = z[lo[a] + (size_t)(u - (a > 0 ? cum[a - 1] : 0.0))] - z[a];
    }
}

/* Where in (0, 1) of the way from fl to fh the target lies. */
static double place(double target, double fl, double fh)
{
    double p = fh > fl ? (target - fl) / (fh - fl) : 0.5;

    return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

/* Three-way partition of c[lo, hi) around p: afterwards [lo, *lt) < p,
 * [*lt, *gt) == p and [*gt, hi) > p. */
static void partition3(double *c, size_t lo, size_t hi, double p, size_t *lt,
                       size_t *gt)
{
    size_t a = lo, i = lo, b = hi;

    while (i < b) {
        if (c[i] < p)
            swap_d(&c[a++], &c[i++]);
        else if (c[i] > p)
            swap_d(&c[i], &c[--b]);
        else
            i++;
    }
    *lt = a;
    *gt = b;
}

/* Rearrange c[a, e) so that [a, *lt) < v, [*lt, *gt) == v and [*gt, e) > v
 * for the value v of rank g (a <= g < e), and return v.  Quickselect,
 * with a sort of the range as the guarantee when pivots keep missing. */
static double select_rank(double *c, size_t a, size_t e, size_t g,
                          size_t *lt, size_t *gt)
{
    size_t lo = a, hi = e, m;
    int budget = 8;

    for (m = e - a; m > 1; m >>= 1)
        budget += 2;
    while (budget-- > 0) {
        size_t l, r;
        double p = median_of_3(c[lo], c[lo + (hi - lo) / 2], c[hi - 1]);
        partition3(c, lo, hi, p, &l, &r);
        if (g < l) {
            hi = l;
        } else if (g >= r) {
            lo = r;
        } else {
            *lt = l;
            *gt = r;
            return p;
        }
    }
    pt_sort_doubles(c + lo, hi - lo);
    for (*lt = g; *lt > lo && c[*lt - 1] == c[g]; (*lt)--)
        ;
    for (*gt = g + 1; *gt < hi && c[*gt] == c[g]; (*gt)++)
        ;
    return c[g];
}

/* The answer among the candidates c[0..t) (in any order): the smallest
 * that reaches target, or vh (f = fh) if none does; f at every value
 * below all of them is fl.  Each probe selects the value of the
 * interpolated rank and keeps the side that holds the answer, so the work
 * is O(t) on average like quickselect's. */
static double search(double *c, size_t t, pt_pairsel_fn f, void *ctx,
                     double target, double fl, double vh, double fh)
{
    size_t a = 0, e = t; /* the answer is in c[a, e), or is vh */
    int bisect = 0;

    while (a < e) {
        size_t width = e - a, g, lt, gt;
        double v, fv;

        if (bisect) {
            g = a + (e - a) / 2;
        } else {
            /* for Qn, f counts candidates exactly: this is the answer */
            double pos = ceil(place(target, fl, fh) * (double)(e - a + 1) *
                              (1.0 - 1e-12));
            g = pos >= (double)(e - a) ? e - 1
                : pos < 1.0            ? a
                                       : a + (size_t)pos - 1;
        }
        v = select_rank(c, a, e, g, &lt, &gt);
        fv = f(v, ctx);
        if (fv >= target) {
            vh = v;
            fh = fv;
            e = lt;
        } else {
            fl = fv;
            a = gt;
        }
        bisect = !bisect && 2 * (e - a) > width;
    }
    return vh;
}

double pt_pairsel_smallest(const double z[], size_t n, pt_pairsel_fn f,
                           void *ctx, double target, int rounds, size_t lo[],
                           size_t hi[], double buf[])
{
    unsigned long long rs = 13528;
    double dl = -INFINITY, dr = z[n - 1] - z[0];
    double fl = 0.0, fr = f(dr, ctx), t;
    size_t i, m = n / 8 + 1, k; /* samples: draws cost well under a sweep */
    int stalls = 0;

    if (m < 64)
        m = n < 64 ? n : 64;
    if (m > SAMPLES)
        m = SAMPLES;
    for (i = 0; i < n; i++) {
        lo[i] = i + 1;
        hi[i] = n;
    }
    t = 0.5 * (double)n * (double)(n - 1);
    for (i = 0; i + 1 < n; i++) /* rows 0..i hold sum of n - 1 - r pairs */
        buf[i] = (double)(i + 1) * (double)(n - 1) -
                 0.5 * (double)i * (double)(i + 1);
    while (t > 2.0 * (double)n) {
        double *s = buf + n, p, half, before = t;
        long ia, ib;

        if (rounds-- <= 0 || stalls >= 3)
            return deterministic(z, n, f, ctx, target, lo, hi, buf, buf + n,
                                 dr);
        draw(z, lo, buf, t, s, m, &rs);
        pt_sort_doubles(s, m);
        p = place(target, fl, fr);
        half = 3.0 * sqrt((double)m * p * (1.0 - p)) + 2.0;
        ia = (long)floor(p * (double)m - half);
        ib = (long)ceil(p * (double)m + half);
        if (ia >= 0) {
            double fa = f(s[ia], ctx);
            if (fa >= target) {
                dr = s[ia];
                fr = fa;
                ib = (long)m; /* s[ib] >= dr: nothing to learn there */
            } else {
                dl = s[ia];
                fl = fa;
            }
        }
        if (ib < (long)m && s[ib] < dr && s[ib] > dl) {
            double fb = f(s[ib], ctx);
            if (fb >= target) {
                dr = s[ib];
                fr = fb;
            } else {
                dl = s[ib];
                fl = fb;
            }
        }
        t = trim_both(z, n, lo, hi, dl, dr, buf); /* dr is kept as best */
        if (2.0 * t > before)
            stalls++;
    }

    /* list the <= 2n candidates in (dl, dr) */
    k = 0;
    for (i = 0; i + 1 < n; i++) {
        size_t j;
        for (j = lo[i]; j < hi[i] && z[j] - z[i] < dr; j++)
            buf[k++] = z[j] - z[i];
    }
    return search(buf, k, f, ctx, target, fl, dr, fr);
}
