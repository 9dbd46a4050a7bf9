/*
 * pairsel.c -- selection among the n(n - 1)/2 pairwise differences of
 * sorted data in O(n log n) time and O(n) space, never forming the pairs.
 *
 * Qn needs the k-th smallest |x_i - x_j| and the Q method the point where
 * a weighted count of between-laboratory differences crosses a level.  For
 * sorted z the differences z[j] - z[i] (j > i) form a matrix whose rows and
 * columns are sorted, so each row keeps a contiguous range of candidate
 * columns.  Each step takes the weighted median of the row medians as the
 * pivot (at least a quarter of the candidates lie on each side of it),
 * asks the caller's monotone predicate about it, and drops the candidates
 * on the side that cannot hold the answer by one two-pointer sweep.  This
 * is the scheme of Johnson and Mizoguchi (1978) that Croux and Rousseeuw
 * (1992) used for Qn, written here around a predicate so that both
 * estimators share it.
 */
#include <stdlib.h>

#include "pairsel.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

void pt_sort_doubles(double x[], size_t n)
{
    if (n > 1)
        qsort(x, n, sizeof x[0], cmp_double);
}

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
    double t = v[a];

    v[a] = v[b];
    v[b] = t;
    t = w[a];
    w[a] = w[b];
    w[b] = t;
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

double pt_pairsel_smallest(const double z[], size_t n, pt_pairsel_pred pred,
                           void *ctx, size_t lo[], size_t hi[], double med[],
                           double wt[])
{
    double best = z[n - 1] - z[0];
    size_t i;

    for (i = 0; i < n; i++) {
        lo[i] = i + 1;
        hi[i] = n - 1;
    }
    for (;;) {
        size_t r = 0, j;
        double total = 0.0, pivot;

        for (i = 0; i + 1 < n; i++) {
            if (lo[i] > hi[i])
                continue;
            med[r] = z[lo[i] + (hi[i] - lo[i]) / 2] - z[i];
            wt[r] = (double)(hi[i] - lo[i] + 1);
            total += wt[r];
            r++;
        }
        if (r == 0)
            return best;
        pivot = weighted_select(med, wt, r, 0.5 * total);
        if (pred(pivot, ctx)) {
            /* the answer is the pivot or a smaller candidate: drop every
             * candidate >= pivot */
            best = pivot;
            j = 1;
            for (i = 0; i + 1 < n; i++) {
                if (j < i + 1)
                    j = i + 1;
                while (j < n && z[j] - z[i] < pivot)
                    j++;
                if (hi[i] > j - 1)
                    hi[i] = j - 1;
            }
        } else {
            /* the answer is larger: drop every candidate <= pivot */
            j = 1;
            for (i = 0; i + 1 < n; i++) {
                if (j < i + 1)
                    j = i + 1;
                while (j < n && z[j] - z[i] <= pivot)
                    j++;
                if (lo[i] < j)
                    lo[i] = j;
            }
        }
    }
}
