/*
 * qmethod.c -- the Q method of ISO 13528:2022 C.5.2.2 (from DIN 38402-45
 * and Mueller and Uhlig): a robust reproducibility standard deviation
 * built from the differences between results of different laboratories,
 * each laboratory's replicates included.
 *
 * H1(x) is the weighted share of between-laboratory pairs with
 * |y_ik - y_jl| <= x, each pair of laboratories counting equally (so a
 * pair of results weighs 1/(n_i n_j)).  G1 joins (0, 0) and the points
 * (x_i, (H1(x_i) + H1(x_{i-1}))/2) at the jumps x_i > 0 of H1 by straight
 * lines, and s* = G1^-1(0.25 + 0.75 H1(0)) / (sqrt 2 Phi^-1(0.625 +
 * 0.375 H1(0))).
 *
 * With every result of every laboratory there can be millions of pairs,
 * so none is formed.  All results are sorted once with their laboratory;
 * H1 at any x then costs O(n): a two-pointer sweep counts all weighted
 * pairs within x (prefix sums of the weights) and the within-laboratory
 * pairs are subtracted, each laboratory's sorted results swept alike.  The
 * jump where G1 crosses the level is found by pairsel.c's selection among
 * the differences of the sorted results (O(log n) sweeps), and its
 * neighbouring jump by one more sweep, so the whole is O(n log n).
 *
 * When every laboratory reports the same number of results the weights
 * are 1 and all counts are exact integers; otherwise the weights 1/n_i are
 * summed in floating point.  With one result per laboratory (the usual PT
 * round, and ptlims stats) there are no within-laboratory pairs: the
 * results are just sorted (or come sorted, pt_stats_qmethod_sorted) and
 * H1 is a plain count of pairs.
 *
 * Results reported to fixed decimals are first made integers in units of
 * their resolution (decimals.c), so that differences equal as reported
 * are one jump of H1 (in binary 63.9 - 63.8 and 64.4 - 64.3 differ by a
 * few ulps, and each would count as a jump of its own); s* is scaled
 * back at the end.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "pairsel.h"
#include "pt_stats.h"

struct qm {
    const double *z;     /* all results, sorted */
    const size_t *lab;   /* laboratory of each z; NULL: one result each */
    const double *seg;   /* each laboratory's results, sorted, in turn */
    const size_t *off;   /* seg offsets, off[p] = n */
    const double *wlab;  /* weight of a result of each laboratory; NULL:
                            all 1 (every laboratory has as many results) */
    size_t n, p;
    double total;        /* weighted number of between-laboratory pairs */
    double q;            /* level 0.25 + 0.75 H1(0) */
    double scale;        /* z = results times scale (10^decimals, or 1) */
};

/* Weighted numbers of between-laboratory pairs with difference <= d
 * (*le) and < d (*lt), in one sweep. */
static void cross_counts(const struct qm *c, double d, double *le,
                         double *lt)
{
    double all_le = 0.0, all_lt = 0.0, in_le = 0.0, in_lt = 0.0;
    size_t l;

    if (c->wlab == NULL) {
        pt_pairsel_count2(c->z, c->n, d, &all_le, &all_lt);
    } else {
        double sum_all = 0.0, lo_le = 0.0, lo_lt = 0.0;
        size_t a = 0, b = 0, j;
        for (j = 0; j < c->n; j++) {
            double wj = c->wlab[c->lab[j]];
            while (a < j && !(c->z[j] - c->z[a] <= d))
                lo_le += c->wlab[c->lab[a++]];
            while (b < j && !(c->z[j] - c->z[b] < d))
                lo_lt += c->wlab[c->lab[b++]];
            all_le += wj * (sum_all - lo_le);
            all_lt += wj * (sum_all - lo_lt);
            sum_all += wj;
        }
    }
    if (c->lab != NULL) {
        for (l = 0; l < c->p; l++) {
            double w = c->wlab == NULL ? 1.0 : c->wlab[l], e, t;
            pt_pairsel_count2(c->seg + c->off[l], c->off[l + 1] - c->off[l],
                              d, &e, &t);
            in_le += w * w * e;
            in_lt += w * w * t;
        }
    }
    *le = all_le - in_le;
    *lt = all_lt - in_lt;
}

/* G1 at a jump d > 0 of H1, and H1 itself between jumps. */
static double g1(const struct qm *c, double d)
{
    double le, lt;

    if (!(d > 0.0))
        return 0.0;
    cross_counts(c, d, &le, &lt);
    return 0.5 * (le / c->total + lt / c->total);
}

static double g1_fn(double d, void *ctx)
{
    return g1(ctx, d);
}

/* Different laboratories at positions i and j of z. */
static int cross(const struct qm *c, size_t i, size_t j)
{
    return c->lab == NULL || c->lab[i] != c->lab[j];
}

/* Smallest between-laboratory difference > d (d >= 0), or NAN.  nd[j] is
 * the next index after j whose laboratory differs from lab[j] (unused
 * when lab is NULL). */
static double next_cross(const struct qm *c, const size_t *nd, double d)
{
    double best = NAN;
    size_t i, j = 0;

    for (i = 0; i + 1 < c->n; i++) {
        size_t k;
        if (j < i + 1)
            j = i + 1;
        while (j < c->n && !(c->z[j] - c->z[i] > d))
            j++;
        if (j == c->n)
            break;
        k = cross(c, i, j) ? j : nd[j];
        if (k < c->n && !(c->z[k] - c->z[i] >= best))
            best = c->z[k] - c->z[i];
    }
    return best;
}

/* Largest between-laboratory difference < d (d > 0), or NAN.  pd[j] is
 * the last index before j whose laboratory differs from lab[j] (n when
 * none; unused when lab is NULL). */
static double prev_cross(const struct qm *c, const size_t *pd, double d)
{
    double best = NAN;
    size_t i, j = 0;

    for (i = 0; i + 1 < c->n; i++) {
        size_t k;
        if (j < i)
            j = i;
        while (j + 1 < c->n && c->z[j + 1] - c->z[i] < d)
            j++;
        if (j == i)
            continue;
        k = cross(c, i, j) ? j : pd[j];
        if (k < c->n && k > i && !(c->z[k] - c->z[i] <= best))
            best = c->z[k] - c->z[i];
    }
    return best;
}

/* Merge the p sorted runs of (v, lv) bounded by off[0..p] into one sorted
 * sequence, using (bv, blv) as the other buffer; *rv and *rl receive
 * whichever buffer holds the result.  off[] is overwritten.  O(n log p). */
static void merge_runs(double *v, size_t *lv, double *bv, size_t *blv,
                       size_t *off, size_t nr, size_t n, double **rv,
                       size_t **rl)
{
    while (nr > 1) {
        size_t r, out = 0;
        for (r = 0; r < nr; r += 2) {
            size_t a = off[r], am = off[r + 1];
            size_t b = am, bm = r + 2 <= nr ? off[r + 2] : am;
            size_t k = a;
            while (a < am && b < bm) {
                if (v[b] < v[a]) {
                    bv[k] = v[b];
                    blv[k++] = lv[b++];
                } else {
                    bv[k] = v[a];
                    blv[k++] = lv[a++];
                }
            }
            while (a < am) {
                bv[k] = v[a];
                blv[k++] = lv[a++];
            }
            while (b < bm) {
                bv[k] = v[b];
                blv[k++] = lv[b++];
            }
            off[out++] = off[r];
        }
        off[out] = n;
        nr = out;
        {
            double *tv = v;
            size_t *tl = lv;
            v = bv;
            lv = blv;
            bv = tv;
            blv = tl;
        }
    }
    *rv = v;
    *rl = lv;
}

/* s* from the prepared c (z sorted, lab, seg, off, wlab, n, p set);
 * lo[n], hi[n] and buf[2n] are scratch. */
static pt_stats_status qmethod_core(struct qm *c, size_t *lo, size_t *hi,
                                    const size_t *nd, const size_t *pd,
                                    double *buf, pt_qmethod_result *out)
{
    double d, le, lt, x_hi, x_lo, g_lo, g_hi, num, h0, arg, s;

    if (!isfinite(c->z[c->n - 1] - c->z[0]))
        return PT_STATS_NONFINITE;
    if (c->lab == NULL) /* every pair is between laboratories */
        c->total = 0.5 * (double)c->n * (double)(c->n - 1);
    else
        cross_counts(c, INFINITY, &c->total, &lt);
    cross_counts(c, 0.0, &le, &lt);
    h0 = le / c->total;
    if (!(h0 < 1.0))
        return PT_STATS_ZERO_SCALE;
    c->q = 0.25 + 0.75 * h0;

    d = pt_pairsel_smallest(c->z, c->n, g1_fn, c, c->q, PT_PAIRSEL_ROUNDS,
                            lo, hi, buf);
    cross_counts(c, d, &le, &lt);
    if (le > lt)
        x_hi = d; /* d is a jump of H1 */
    else
        x_hi = next_cross(c, nd, d);
    x_lo = prev_cross(c, pd, x_hi);
    if (isnan(x_lo))
        x_lo = 0.0;
    g_lo = g1(c, x_lo);
    g_hi = g1(c, x_hi);
    num = x_lo + (c->q - g_lo) * (x_hi - x_lo) / (g_hi - g_lo);
    arg = 0.625 + 0.375 * h0; /* in [0.625, 1) */
    s = num / c->scale / (sqrt(2.0) * gsl_cdf_ugaussian_Pinv(arg));
    if (!isfinite(s))
        return PT_STATS_NONFINITE;
    out->s = s;
    out->h0 = h0;
    out->u_x = 1.25 * s / sqrt((double)c->p);
    return PT_STATS_OK;
}

/* One result per laboratory: every pair is between laboratories. */
static void single_results(struct qm *c, const double *z, size_t n,
                           double scale)
{
    c->scale = scale;
    c->z = z;
    c->lab = NULL;
    c->seg = NULL;
    c->off = NULL;
    c->wlab = NULL;
    c->n = n;
    c->p = n;
}

pt_stats_status pt_stats_qmethod(const double y[], const size_t counts[],
                                 size_t p, double work[], size_t iwork[],
                                 pt_qmethod_result *out)
{
    struct qm c;
    double *seg, *buf, *v, *z, *wlab;
    size_t *lv, *blv, *lo, *hi, *nd, *pd, *off, *lab;
    size_t n = 0, l, i, m0;
    int balanced = 1, dec;
    pt_stats_status st;

    if (y == NULL || counts == NULL || work == NULL || iwork == NULL ||
        out == NULL || work == y)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 2)
        return PT_STATS_TOO_FEW;
    for (l = 0; l < p; l++) {
        if (counts[l] == 0)
            return PT_STATS_BAD_ARG;
        if (counts[l] != counts[0])
            balanced = 0;
        n += counts[l];
    }
    /* size_t: lv blv lo hi nd pd (n each), off (p + 1) */
    lv = iwork;
    blv = iwork + n;
    lo = iwork + 2 * n;
    hi = iwork + 3 * n;
    nd = iwork + 4 * n;
    pd = iwork + 5 * n;
    off = iwork + 6 * n;

    st = pt_stats_decimals(y, n, &dec);
    if (st != PT_STATS_OK)
        return st;
    if (n == p) { /* one result each: sort them, no laboratories to track */
        st = pt_stats_sort(y, n, work);
        if (st != PT_STATS_OK)
            return st;
        pt_stats_decimals_scale(work, n, dec, work);
        single_results(&c, work, n, dec >= 0 ? pt_stats_pow10(dec) : 1.0);
        return qmethod_core(&c, lo, hi, NULL, NULL, work + n, out);
    }

    /* doubles: seg, v, buf (n each), then 2n for the selection */
    seg = work;
    v = work + n;
    buf = work + 2 * n;

    m0 = 0;
    for (l = 0; l < p; l++) {
        off[l] = m0;
        pt_stats_decimals_scale(y + m0, counts[l], dec, seg + m0);
        for (i = 0; i < counts[l]; i++)
            lv[m0 + i] = l;
        pt_sort_doubles(seg + m0, counts[l]);
        for (i = 0; i < counts[l]; i++)
            v[m0 + i] = seg[m0 + i];
        m0 += counts[l];
    }
    off[p] = n;
    merge_runs(v, lv, buf, blv, off, p, n, &z, &lab);
    /* off[] was consumed by the merge: rebuild it */
    m0 = 0;
    for (l = 0; l < p; l++) {
        off[l] = m0;
        m0 += counts[l];
    }
    off[p] = n;
    /* the per-laboratory weights go in the merge buffer that is free now
     * (p <= n); equal counts need none */
    wlab = z == v ? buf : v;
    for (l = 0; l < p; l++)
        wlab[l] = 1.0 / (double)counts[l];

    nd[n - 1] = n;
    for (i = n - 1; i-- > 0;)
        nd[i] = lab[i + 1] != lab[i] ? i + 1 : nd[i + 1];
    pd[0] = n;
    for (i = 1; i < n; i++)
        pd[i] = lab[i - 1] != lab[i] ? i - 1 : pd[i - 1];

    c.z = z;
    c.lab = lab;
    c.seg = seg;
    c.off = off;
    c.wlab = balanced ? NULL : wlab;
    c.n = n;
    c.p = p;
    c.scale = dec >= 0 ? pt_stats_pow10(dec) : 1.0;
    return qmethod_core(&c, lo, hi, nd, pd, work + 3 * n, out);
}

pt_stats_status pt_stats_qmethod_sorted(const double z[], size_t n,
                                        double work[], size_t iwork[],
                                        pt_qmethod_result *out)
{
    pt_stats_status st;
    double scale;

    if (z == NULL || work == NULL || iwork == NULL || out == NULL ||
        work == z)
        return PT_STATS_BAD_ARG;
    if (n == 0)
        return PT_STATS_EMPTY;
    if (n < 2)
        return PT_STATS_TOO_FEW;
    st = pt_sorted_integers(z, n, work + 2 * n, &z, &scale);
    if (st != PT_STATS_OK)
        return st;
    return pt_qmethod_sorted_core(z, n, scale, work, iwork, out);
}

pt_stats_status pt_qmethod_sorted_core(const double k[], size_t n,
                                       double scale, double work[],
                                       size_t iwork[],
                                       pt_qmethod_result *out)
{
    struct qm c;

    single_results(&c, k, n, scale);
    return qmethod_core(&c, iwork, iwork + n, NULL, NULL, work, out);
}

pt_stats_status pt_stats_u_robust(double s, size_t p, double *out)
{
    if (out == NULL || !(isfinite(s) && s >= 0.0))
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    *out = 1.25 * s / sqrt((double)p);
    return PT_STATS_OK;
}
