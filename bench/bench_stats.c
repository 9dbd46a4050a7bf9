/*
 * bench_stats.c -- how fast the ISO 13528 estimators of stats/ are, for
 * `make bench`.  Speed is reported against the machine's own limit
 * measured in the same run: one full sort (qsort) of the same data.
 *
 * Data: 1e6 + N(0, 1) noise with 2 % gross outliers (+-(20 .. 120)), fixed
 * seed, n = 1e3 .. 1e6.  Each estimator runs on a fresh copy several times
 * for small n; the best time is kept.  The rows "on sorted" time the
 * *_sorted forms on data sorted beforehand (what ptlims stats does after
 * one pt_stats_sort).  Then `ptlims stats --json` runs end to end (parse +
 * every estimator) on a file of 1e6 such values and, when an R script is
 * given, `Rscript SCRIPT FILE` (bench/robust_summary.R: the same summary
 * in R) on the same file; and both again for the summary median + MADe +
 * nIQR + Algorithm A only (`--estimators median,made,niqr,alga`, R's
 * `--robust4`); best of 3 each, alternating.
 *
 * usage: bench_stats PTLIMS_BINARY WORK_DIR [R_SCRIPT]
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pt_stats.h"

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

enum {
    SORT,
    PTSORT,
    MEDIAN,
    MADE,
    NIQR,
    ALGA,
    QN,
    QMETHOD,
    QN_SORTED,
    QHAMPEL_SORTED,
    N_EST
};
static const char *const names[N_EST] = {
    "qsort", "pt_stats_sort", "median", "MADe", "nIQR",
    "Algorithm A (fixed)", "Qn", "Q method", "Qn on sorted",
    "Q/Hampel on sorted"};

static volatile double sink;

/* Seconds for one run of estimator e on x[n] (z[n]: x sorted). */
static double time_one(int e, const double *x, const double *z, size_t n,
                       double *w, size_t *iw, size_t *ones)
{
    double t0 = now(), v = 0.0;
    pt_alga_result a;
    pt_qmethod_result q;
    pt_qhampel_result qh;

    switch (e) {
    case SORT:
        memcpy(w, x, n * sizeof *w);
        qsort(w, n, sizeof *w, cmp);
        v = w[n / 2];
        break;
    case PTSORT:
        pt_stats_sort(x, n, w);
        v = w[n / 2];
        break;
    case MEDIAN:
        pt_stats_median(x, n, w, &v);
        break;
    case MADE:
        pt_stats_made(x, n, w, &v);
        break;
    case NIQR:
        pt_stats_niqr(x, n, w, &v);
        break;
    case ALGA:
        pt_stats_alga(x, n, NULL, w, &a);
        v = a.x;
        break;
    case QN:
        pt_stats_qn(x, n, w, iw, &v);
        break;
    case QMETHOD:
        pt_stats_qmethod(x, ones, n, w, iw, &q);
        v = q.s;
        break;
    case QN_SORTED:
        pt_stats_qn_sorted(z, n, w, iw, &v);
        break;
    case QHAMPEL_SORTED:
        pt_stats_qhampel_sorted(z, n, w, iw, &qh);
        v = qh.x;
        break;
    }
    sink = v;
    return now() - t0;
}

/* Wall-clock seconds of one run of cmd, or -1 if it fails. */
static double time_cmd(const char *cmd)
{
    double t0 = now();

    if (system(cmd) != 0)
        return -1.0;
    return now() - t0;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {1000, 10000, 100000, 1000000};
    size_t nmax = 1000000, i, s;
    double *x = malloc(nmax * sizeof *x), *z = malloc(nmax * sizeof *z);
    double *w = malloc(PT_STATS_QMETHOD_WORK(nmax) * sizeof *w);
    size_t *iw = malloc(PT_STATS_QMETHOD_IWORK(nmax, nmax) * sizeof *iw);
    size_t *ones = malloc(nmax * sizeof *ones);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    char path[1024], cmd[2200], rcmd[2200], cmd4[2200], rcmd4[2200];
    double t_sort_1e6 = 0.0, t_e2e = 1e30, t_r = 1e30, t_4 = 1e30;
    double t_r4 = 1e30;
    int k, r_ok = argc == 4;
    FILE *f;

    if ((argc != 3 && argc != 4) || !x || !z || !w || !iw || !ones || !r) {
        fprintf(stderr,
                "usage: bench_stats PTLIMS_BINARY WORK_DIR [R_SCRIPT]\n");
        return 2;
    }
    gsl_rng_set(r, 13528);
    for (i = 0; i < nmax; i++) {
        double e = gsl_ran_ugaussian(r);
        if (gsl_rng_uniform(r) < 0.02)
            e += (gsl_rng_uniform(r) < 0.5 ? -1 : 1) *
                 (20.0 + 100.0 * gsl_rng_uniform(r));
        x[i] = 1e6 + e;
        ones[i] = 1;
    }
    printf("ns per value (ratio to one qsort of the same data in this "
           "run)\n\n");
    printf("%-22s", "n");
    for (s = 0; s < 4; s++)
        printf(" %20lu", (unsigned long)sizes[s]);
    printf("\n");
    {
        double best[N_EST][4];
        int e;
        for (s = 0; s < 4; s++) {
            size_t n = sizes[s];
            int reps = n <= 10000 ? 50 : n <= 100000 ? 5 : 2;
            pt_stats_sort(x, n, z);
            for (e = 0; e < N_EST; e++) {
                best[e][s] = 1e30;
                for (k = 0; k < reps; k++) {
                    double t = time_one(e, x, z, n, w, iw, ones);
                    if (t < best[e][s])
                        best[e][s] = t;
                }
            }
        }
        for (e = 0; e < N_EST; e++) {
            printf("%-22s", names[e]);
            for (s = 0; s < 4; s++) {
                double ns = 1e9 * best[e][s] / (double)sizes[s];
                printf(" %9.1f (%6.2fx)", ns, best[e][s] / best[SORT][s]);
            }
            printf("\n");
        }
        t_sort_1e6 = best[SORT][3];
    }

    snprintf(path, sizeof path, "%s/values-1e6.txt", argv[2]);
    f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    for (i = 0; i < nmax; i++)
        fprintf(f, "%.10g\n", x[i]);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s stats --json %s > %s/stats.json", argv[1],
             path, argv[2]);
    snprintf(cmd4, sizeof cmd4,
             "%s stats --estimators median,made,niqr,alga --json %s > "
             "%s/stats4.json",
             argv[1], path, argv[2]);
    if (r_ok) {
        snprintf(rcmd, sizeof rcmd,
                 "Rscript %s %s > %s/stats-r.json 2> %s/stats-r.log",
                 argv[3], path, argv[2], argv[2]);
        snprintf(rcmd4, sizeof rcmd4,
                 "Rscript %s --robust4 %s > %s/stats4-r.json 2> "
                 "%s/stats4-r.log",
                 argv[3], path, argv[2], argv[2]);
    }
    for (k = 0; k < 3; k++) {
        double t = time_cmd(cmd), t4 = time_cmd(cmd4);
        if (t < 0.0 || t4 < 0.0) {
            fprintf(stderr, "failed: %s\n", t < 0.0 ? cmd : cmd4);
            return 2;
        }
        if (t < t_e2e)
            t_e2e = t;
        if (t4 < t_4)
            t_4 = t4;
        if (r_ok) {
            t = time_cmd(rcmd);
            t4 = time_cmd(rcmd4);
            if (t < 0.0 || t4 < 0.0) {
                fprintf(stderr, "failed: %s\n", t < 0.0 ? rcmd : rcmd4);
                r_ok = 0;
            } else {
                if (t < t_r)
                    t_r = t;
                if (t4 < t_r4)
                    t_r4 = t4;
            }
        }
    }
    printf("\nptlims stats --json on 1e6 values (file %s), best of 3: "
           "%.3f s (%.0f ns per value, %.1fx one qsort)\n",
           path, t_e2e, 1e9 * t_e2e / (double)nmax, t_e2e / t_sort_1e6);
    printf("ptlims stats --estimators median,made,niqr,alga --json, best "
           "of 3: %.3f s\n",
           t_4);
    if (r_ok)
        printf("Rscript %s on the same file, best of 3: %.3f s; ptlims "
               "is %.1fx faster (target: 5x)\n"
               "Rscript %s --robust4, best of 3: %.3f s; ptlims takes "
               "%.2fx its time (target: at most 0.2x)\n",
               argv[3], t_r, t_r / t_e2e, argv[3], t_r4, t_4 / t_r4);
    else
        printf("R comparison not run (no R script given, or Rscript "
               "failed: see make bench-deps)\n");
    gsl_rng_free(r);
    free(x);
    free(z);
    free(w);
    free(iw);
    free(ones);
    return 0;
}
