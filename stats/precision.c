/*
 * precision.c -- one level of an ISO 5725-2 precision experiment: the
 * cell means and SDs of p laboratories, the repeatability, between-
 * laboratory and reproducibility standard deviations and limits
 * (r = 2.8 s_r, R = 2.8 s_R), and the consistency and outlier statistics
 * of 7.3 with their 5 % (straggler) and 1 % (outlier) critical values.
 *
 * Unequal numbers of replicates follow ISO 5725-2 7.4.4:
 *   s_r^2 = sum (n_i - 1) s_i^2 / sum (n_i - 1),
 *   s_d^2 = sum n_i (y_i - y)^2 / (p - 1),  y = sum n_i y_i / sum n_i,
 *   n_bar = (sum n_i - sum n_i^2 / sum n_i) / (p - 1),
 *   s_L^2 = max(0, (s_d^2 - s_r^2) / n_bar),  s_R^2 = s_r^2 + s_L^2.
 * Mandel's h uses the plain mean and SD of the cell means, k the cell SDs
 * (7.3.1); the critical values of k and Cochran's C use the most frequent
 * number of replicates, as ISO suggests for unbalanced data.
 */
#include <math.h>

#include "pt_stats.h"

#define LIMIT_FACTOR 2.8

/* The replicate count that occurs most often (the larger on a tie). */
static size_t mode_count(const size_t counts[], size_t p)
{
    size_t best = counts[0], best_n = 0, i, j;

    for (i = 0; i < p; i++) {
        size_t c = 0;
        for (j = 0; j < p; j++)
            c += counts[j] == counts[i];
        if (c > best_n || (c == best_n && counts[i] > best)) {
            best = counts[i];
            best_n = c;
        }
    }
    return best;
}

pt_stats_status pt_stats_precision(const double y[], const size_t counts[],
                                   size_t p, double work[], pt_prec_lab labs[],
                                   pt_prec_result *out)
{
    pt_stats_status st;
    double sum_n = 0.0, sum_n2 = 0.0, sum_ny = 0.0, ss_r = 0.0, df_r = 0.0;
    double sum_s2 = 0.0, mean_w, s_d2 = 0.0, n_bar, s_r2, s_L2;
    double hm, hs, dp = (double)p;
    size_t l, m0 = 0;

    if (y == NULL || counts == NULL || work == NULL || work == y ||
        labs == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 3)
        return PT_STATS_TOO_FEW;
    for (l = 0; l < p; l++)
        if (counts[l] < 2)
            return PT_STATS_TOO_FEW;

    for (l = 0; l < p; l++) {
        double dn = (double)counts[l];
        st = pt_stats_mean_sd(y + m0, counts[l], &labs[l].mean, &labs[l].sd);
        if (st != PT_STATS_OK)
            return st;
        labs[l].n = counts[l];
        sum_n += dn;
        sum_n2 += dn * dn;
        ss_r += (dn - 1.0) * labs[l].sd * labs[l].sd;
        df_r += dn - 1.0;
        sum_s2 += labs[l].sd * labs[l].sd;
        m0 += counts[l];
    }
    /* weighted general mean, shifted by the first cell mean */
    for (l = 0; l < p; l++)
        sum_ny += (double)counts[l] * (labs[l].mean - labs[0].mean);
    mean_w = labs[0].mean + sum_ny / sum_n;
    for (l = 0; l < p; l++) {
        double d = labs[l].mean - mean_w;
        s_d2 += (double)counts[l] * d * d;
    }
    s_d2 /= dp - 1.0;
    n_bar = (sum_n - sum_n2 / sum_n) / (dp - 1.0);
    s_r2 = ss_r / df_r;
    s_L2 = (s_d2 - s_r2) / n_bar;
    if (s_L2 < 0.0)
        s_L2 = 0.0;

    out->p = p;
    out->n_mode = mode_count(counts, p);
    out->mean = mean_w;
    out->s_r = sqrt(s_r2);
    out->s_L = sqrt(s_L2);
    out->s_R = sqrt(s_r2 + s_L2);
    out->r = LIMIT_FACTOR * out->s_r;
    out->R = LIMIT_FACTOR * out->s_R;
    if (!isfinite(out->R) || !isfinite(mean_w))
        return PT_STATS_NONFINITE;

    /* Mandel's h and k: cell means in h (the plain mean and SD of the
     * cell means); cell SDs in k */
    {
        double shift = labs[0].mean, s1 = 0.0, s2 = 0.0, comp = 0.0;
        for (l = 0; l < p; l++)
            s1 += labs[l].mean - shift;
        hm = shift + s1 / dp;
        for (l = 0; l < p; l++) {
            double d = labs[l].mean - hm;
            s2 += d * d;
            comp += d;
        }
        hs = sqrt(fmax(0.0, (s2 - comp * comp / dp) / (dp - 1.0)));
    }
    for (l = 0; l < p; l++) {
        labs[l].h = hs > 0.0 ? (labs[l].mean - hm) / hs : NAN;
        labs[l].k = sum_s2 > 0.0 ? labs[l].sd * sqrt(dp / sum_s2) : NAN;
    }

    /* Cochran's C on the cell variances */
    out->cochran_C = NAN;
    out->cochran_lab = 0;
    if (sum_s2 > 0.0) {
        double mx = 0.0;
        for (l = 0; l < p; l++) {
            if (labs[l].sd * labs[l].sd > mx) {
                mx = labs[l].sd * labs[l].sd;
                out->cochran_lab = l;
            }
        }
        out->cochran_C = mx / sum_s2;
    }
    /* Grubbs on the cell means: single with the mean and SD of h,
     * double on the sorted means */
    out->grubbs_max = out->grubbs_min = NAN;
    out->grubbs2_max = out->grubbs2_min = NAN;
    if (hs > 0.0) {
        double mx = labs[0].mean, mn = labs[0].mean;
        for (l = 1; l < p; l++) {
            mx = fmax(mx, labs[l].mean);
            mn = fmin(mn, labs[l].mean);
        }
        out->grubbs_max = (mx - hm) / hs;
        out->grubbs_min = (hm - mn) / hs;
        if (p >= 4) {
            for (l = 0; l < p; l++)
                work[l] = labs[l].mean;
            st = pt_stats_grubbs2(work, p, work + p, &out->grubbs2_max,
                                  &out->grubbs2_min);
            if (st != PT_STATS_OK)
                return st;
        }
    }
    if (pt_stats_grubbs2_crit(p, 0.05, &out->grubbs2_crit_5) != PT_STATS_OK ||
        pt_stats_grubbs2_crit(p, 0.01, &out->grubbs2_crit_1) != PT_STATS_OK)
        out->grubbs2_crit_5 = out->grubbs2_crit_1 = NAN;
    if ((st = pt_stats_cochran_crit(p, out->n_mode, 0.05,
                                    &out->cochran_crit_5)) != PT_STATS_OK ||
        (st = pt_stats_cochran_crit(p, out->n_mode, 0.01,
                                    &out->cochran_crit_1)) != PT_STATS_OK ||
        (st = pt_stats_grubbs_crit(p, 0.05, &out->grubbs_crit_5)) !=
            PT_STATS_OK ||
        (st = pt_stats_grubbs_crit(p, 0.01, &out->grubbs_crit_1)) !=
            PT_STATS_OK ||
        (st = pt_stats_mandel_h_crit(p, 0.05, &out->h_crit_5)) !=
            PT_STATS_OK ||
        (st = pt_stats_mandel_h_crit(p, 0.01, &out->h_crit_1)) !=
            PT_STATS_OK ||
        (st = pt_stats_mandel_k_crit(p, out->n_mode, 0.05,
                                     &out->k_crit_5)) != PT_STATS_OK ||
        (st = pt_stats_mandel_k_crit(p, out->n_mode, 0.01,
                                     &out->k_crit_1)) != PT_STATS_OK)
        return st;
    return PT_STATS_OK;
}
