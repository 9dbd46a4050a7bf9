/*
 * calc_tables.c -- the calculators of the ptlims command whose input is a
 * table of grouped results: `ptlims homogeneity` (ISO 13528 Annex B, items
 * by replicates) and `ptlims precision` (ISO 5725-2, laboratories by
 * replicates).  The rows are grouped by the item or laboratory column in
 * order of first appearance; the replicate column labels a row and is
 * otherwise not used.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "json.h"
#include "pt_stats.h"

void calc_groups_free(calc_groups *g)
{
    size_t i;

    for (i = 0; i < g->p; i++)
        free(g->names[i]);
    free(g->names);
    free(g->counts);
    free(g->lines);
    free(g->values);
    memset(g, 0, sizeof *g);
}

/* Index of the group called name, adding it when new (cap groups so far
 * allocated); (size_t)-1 when out of memory.  The last group is tried
 * first, so rows sorted by group cost O(1) each. */
static size_t group_of(calc_groups *g, size_t *cap, const char *name,
                       unsigned long line)
{
    size_t i;

    if (g->p > 0 && strcmp(g->names[g->p - 1], name) == 0)
        return g->p - 1;
    for (i = 0; i < g->p; i++)
        if (strcmp(g->names[i], name) == 0)
            return i;
    if (g->p == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        char **nn = realloc(g->names, nc * sizeof *nn);
        size_t *ncnt;
        unsigned long *nl;
        if (nn == NULL)
            return (size_t)-1;
        g->names = nn;
        ncnt = realloc(g->counts, nc * sizeof *ncnt);
        if (ncnt == NULL)
            return (size_t)-1;
        g->counts = ncnt;
        nl = realloc(g->lines, nc * sizeof *nl);
        if (nl == NULL)
            return (size_t)-1;
        g->lines = nl;
        *cap = nc;
    }
    g->names[g->p] = strdup(name);
    if (g->names[g->p] == NULL)
        return (size_t)-1;
    g->counts[g->p] = 0;
    g->lines[g->p] = line;
    return g->p++;
}

int calc_read_groups(const char *path, const char *key_col, calc_groups *g)
{
    const pt_csv_field *f;
    char err[1024], msg[128];
    size_t nf, cap = 0, vcap = 0, i, *which = NULL, *pos = NULL;
    double *raw = NULL;
    int rc = 0, ck, cv;
    pt_csv_status st;
    pt_csv *csv = calc_open_header(path, &f, &nf, &rc);

    memset(g, 0, sizeof *g);
    if (csv == NULL)
        return rc;
    ck = calc_column(f, nf, key_col);
    cv = calc_column(f, nf, "value");
    if (ck < 0 || cv < 0 || calc_column(f, nf, "replicate") < 0) {
        snprintf(msg, sizeof msg,
                 "the header needs the columns %s, replicate and value",
                 key_col);
        rc = calc_fail_at(csv, &f[0], msg);
        pt_csv_free(csv);
        return rc;
    }
    while ((st = pt_csv_next(csv, &f, &nf, err, sizeof err)) == PT_CSV_OK) {
        double x;
        size_t k;
        if ((size_t)ck >= nf || (size_t)cv >= nf) {
            rc = calc_fail_at(csv, &f[nf - 1], "missing columns");
            break;
        }
        if (f[ck].len == 0) {
            snprintf(msg, sizeof msg, "empty %s", key_col);
            rc = calc_fail_at(csv, &f[ck], msg);
            break;
        }
        if (calc_number(csv, &f[cv], &x) != 0) {
            rc = 1;
            break;
        }
        k = group_of(g, &cap, f[ck].text, f[ck].line);
        if (g->n == vcap) {
            size_t nc = vcap ? 2 * vcap : 1024;
            double *nr = realloc(raw, nc * sizeof *nr);
            size_t *nw = realloc(which, nc * sizeof *nw);
            if (nr != NULL)
                raw = nr;
            if (nw != NULL)
                which = nw;
            if (nr == NULL || nw == NULL)
                k = (size_t)-1;
            vcap = nc;
        }
        if (k == (size_t)-1) {
            fprintf(stderr, "ptlims: out of memory\n");
            rc = 2;
            break;
        }
        raw[g->n] = x;
        which[g->n++] = k;
        g->counts[k]++;
    }
    if (rc == 0 && st != PT_CSV_END) {
        fprintf(stderr, "ptlims: %s\n", err);
        rc = st == PT_CSV_NOMEM ? 2 : 1;
    }
    /* values grouped in order of the groups (a stable counting sort) */
    if (rc == 0) {
        g->values = malloc((g->n ? g->n : 1) * sizeof *g->values);
        pos = malloc((g->p ? g->p : 1) * sizeof *pos);
        if (g->values == NULL || pos == NULL) {
            fprintf(stderr, "ptlims: out of memory\n");
            rc = 2;
        } else {
            size_t start = 0;
            for (i = 0; i < g->p; i++) {
                pos[i] = start;
                start += g->counts[i];
            }
            for (i = 0; i < g->n; i++)
                g->values[pos[which[i]]++] = raw[i];
        }
    }
    pt_csv_free(csv);
    free(raw);
    free(which);
    free(pos);
    if (rc != 0)
        calc_groups_free(g);
    return rc;
}

/* s_r: NULL when --s-r is not an option, else *s_r is NAN unless given. */
static int parse_common(const char *cmd, const char *help, int argc,
                        char **argv, int want_sigma, double *sigma,
                        int *json, const char **file,
                        const char **stability /* NULL: not an option */,
                        double *s_r)
{
    const char *v;
    int i, have_sigma = 0;

    if (s_r != NULL)
        *s_r = NAN;
    *json = 0;
    *file = NULL;
    if (stability != NULL)
        *stability = NULL;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            *json = 1;
        } else if (stability != NULL &&
                   cli_opt(argc, argv, &i, "--stability", &v)) {
            *stability = v;
        } else if (s_r != NULL && cli_opt(argc, argv, &i, "--s-r", &v)) {
            if (calc_option_number(cmd, "--s-r", v, s_r) != 0)
                return 1;
            if (*s_r < 0.0) {
                fprintf(stderr, "ptlims %s: --s-r must not be negative\n",
                        cmd);
                return 1;
            }
        } else if (want_sigma && cli_opt(argc, argv, &i, "--sigma-pt", &v)) {
            if (calc_option_number(cmd, "--sigma-pt", v, sigma) != 0)
                return 1;
            have_sigma = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_unknown(cmd, argv[i]);
        } else if (*file == NULL) {
            *file = argv[i];
        } else {
            fprintf(stderr, "ptlims %s: one FILE only\n", cmd);
            return 1;
        }
    }
    if (*file == NULL || (want_sigma && !have_sigma)) {
        fputs(help, stderr);
        return 1;
    }
    if (want_sigma && !(*sigma > 0.0)) {
        fprintf(stderr, "ptlims %s: --sigma-pt must be positive\n", cmd);
        return 1;
    }
    return 0;
}

static void key(const char *name, double v)
{
    printf(", \"%s\": ", name);
    json_num(stdout, v);
}

static const char *yes_no(int b) { return b ? "true" : "false"; }

/* ---- ptlims homogeneity ---- */

static const char homogeneity_help[] =
    "usage: ptlims homogeneity --sigma-pt S [--s-r SR] [--stability FILE2]\n"
    "                          [--json] FILE\n\n"
    "Homogeneity check of ISO 13528 Annex B: g items measured m times each\n"
    "(a balanced design, g >= 2, m >= 2).  FILE is a CSV with columns item,\n"
    "replicate and value; - reads standard input.  Reports s_x, s_w, s_s,\n"
    "the criterion 0.3 S, the expanded criterion with F1 and F2 from the\n"
    "chi-squared and F distributions, the ANOVA F, Cochran's C on the\n"
    "within-item variances and sigma'_pt = sqrt(S^2 + s_s^2).  When each\n"
    "item is measured once (m = 1, B.1.2), --s-r gives the method's\n"
    "repeatability SD known from elsewhere (its validation) and s_s =\n"
    "sqrt(s_x^2 - SR^2); --s-r 0 takes s_x as s_s, an upper bound; the\n"
    "expanded criterion, ANOVA and Cochran need replicates and are null.\n"
    "With --stability, FILE2 (the same columns) holds the results of the\n"
    "stability check, compared with these (B.5): |y1 - y2| <= 0.3 S, the\n"
    "expanded criterion 0.3 S + 2 sqrt(u^2(y1) + u^2(y2)) and Welch's t.\n\n"
    "JSON keys: g, m, mean, s_x, s_w, s_s, criterion, F1, F2,\n"
    "expanded_criterion, anova_F, passed, passed_expanded (and anova_F_crit,\n"
    "cochran_C, cochran_crit, sigma_pt_prime); with --stability also\n"
    "stability, {mean1, mean2, diff, criterion, expanded_criterion, t, df,\n"
    "p_value, passed, passed_expanded, t_significant}.\n";

int cmd_homogeneity(cli *c, int argc, char **argv)
{
    calc_groups g, g2;
    pt_homog_result h;
    pt_stab_result sb;
    pt_stats_status st;
    const char *file, *stab_file;
    double sigma = 0.0, s_r;
    int json, rc;
    size_t i;

    (void)c;
    if (cli_wants_help(argc, argv)) {
        fputs(homogeneity_help, stdout);
        return 0;
    }
    if ((rc = parse_common("homogeneity", homogeneity_help, argc, argv, 1,
                           &sigma, &json, &file, &stab_file, &s_r)) != 0)
        return rc;
    if ((rc = calc_read_groups(file, "item", &g)) != 0)
        return rc;
    for (i = 1; i < g.p; i++) {
        if (g.counts[i] != g.counts[0]) {
            fprintf(stderr,
                    "ptlims: %s:%lu:1: item \"%s\" has %lu replicates, item "
                    "\"%s\" %lu (a balanced design is needed)\n",
                    file, g.lines[i], g.names[i], (unsigned long)g.counts[i],
                    g.names[0], (unsigned long)g.counts[0]);
            calc_groups_free(&g);
            return 1;
        }
    }
    if (g.p > 0 && g.counts[0] == 1 && isnan(s_r)) {
        fprintf(stderr,
                "ptlims homogeneity: %s: each item was measured once (m = "
                "1): give --s-r, the method's repeatability SD (e.g. from "
                "its validation), so that s_s^2 = s_x^2 - s_r^2 (ISO "
                "13528:2022 B.1.2; --s-r 0 takes s_x itself as s_s, an "
                "upper bound)\n",
                file);
        calc_groups_free(&g);
        return 1;
    }
    if (g.p > 0 && g.counts[0] > 1 && !isnan(s_r)) {
        fprintf(stderr,
                "ptlims homogeneity: %s: --s-r is for items measured once; "
                "with %lu replicates per item s_w comes from them\n",
                file, (unsigned long)g.counts[0]);
        calc_groups_free(&g);
        return 1;
    }
    if (g.p > 0 && g.counts[0] == 1)
        st = pt_stats_homogeneity_single(g.values, g.p, s_r, sigma, &h);
    else
        st = pt_stats_homogeneity(g.values, g.p, g.p ? g.counts[0] : 0,
                                  sigma, &h);
    if (st != PT_STATS_OK) {
        calc_groups_free(&g);
        fprintf(stderr, "ptlims: %s: %s (g >= 2 items with m >= 2 "
                        "replicates each, or measured once with --s-r, are "
                        "needed)\n",
                file, pt_stats_strerror(st));
        return st == PT_STATS_BAD_ARG ? 2 : 1;
    }
    if (stab_file != NULL) {
        if ((rc = calc_read_groups(stab_file, "item", &g2)) != 0) {
            calc_groups_free(&g);
            return rc;
        }
        st = pt_stats_stability(g.values, g.n, g2.values, g2.n, sigma, &sb);
        calc_groups_free(&g2);
        if (st != PT_STATS_OK) {
            calc_groups_free(&g);
            fprintf(stderr, "ptlims: %s: %s (at least 2 results are "
                            "needed)\n",
                    stab_file, pt_stats_strerror(st));
            return st == PT_STATS_BAD_ARG ? 2 : 1;
        }
    }
    calc_groups_free(&g);
    if (json) {
        printf("{\"g\": %lu, \"m\": %lu", (unsigned long)h.g,
               (unsigned long)h.m);
        key("mean", h.mean);
        key("s_x", h.s_x);
        key("s_w", h.s_w);
        key("s_s", h.s_s);
        key("criterion", h.criterion);
        key("F1", h.F1);
        key("F2", h.F2);
        key("expanded_criterion", h.expanded_criterion);
        key("anova_F", h.anova_F);
        printf(", \"passed\": %s, \"passed_expanded\": %s",
               yes_no(h.passed),
               h.m == 1 ? "null" : yes_no(h.passed_expanded));
        key("anova_F_crit", h.anova_F_crit);
        key("cochran_C", h.cochran_C);
        key("cochran_crit", h.cochran_crit);
        key("sigma_pt_prime", h.sigma_pt_prime);
        if (stab_file != NULL) {
            printf(", \"stability\": {\"mean1\": ");
            json_num(stdout, sb.mean1);
            key("mean2", sb.mean2);
            key("diff", sb.diff);
            key("criterion", sb.criterion);
            key("expanded_criterion", sb.expanded_criterion);
            key("t", sb.t);
            key("df", sb.df);
            key("p_value", sb.p_value);
            printf(", \"passed\": %s, \"passed_expanded\": %s, "
                   "\"t_significant\": %s}",
                   yes_no(sb.passed), yes_no(sb.passed_expanded),
                   yes_no(sb.t_significant));
        }
        fputs("}\n", stdout);
        return 0;
    }
    printf("items g %lu, replicates m %lu, mean %s\n", (unsigned long)h.g,
           (unsigned long)h.m, num_g(h.mean, 6));
    printf("s_x %s  s_w %s%s  s_s %s\n", num_g(h.s_x, 4), num_g(h.s_w, 4),
           h.m == 1 ? " (the given s_r)" : "", num_g(h.s_s, 4));
    printf("s_s <= 0.3 sigma_pt = %s: %s\n", num_g(h.criterion, 4),
           h.passed ? "passed" : "FAILED");
    if (h.m == 1) {
        printf("one measurement per item: s_s = sqrt(s_x^2 - s_r^2) (ISO "
               "13528:2022 B.1.2); the expanded criterion, ANOVA and "
               "Cochran need replicates\n");
    } else {
        printf("expanded: s_s <= sqrt(F1 (0.3 sigma_pt)^2 + F2 s_w^2) = %s "
               "(F1 %.3f, F2 %.3f): %s\n", num_g(h.expanded_criterion, 4), h.F1, h.F2,
               h.passed_expanded ? "passed" : "FAILED");
        printf("ANOVA F %s (5 %% critical %s)%s\n", num_g(h.anova_F, 4), num_g(h.anova_F_crit, 4), h.anova_significant ? ": significant" : "");
        printf("Cochran C %s (5 %% critical %s)\n", num_g(h.cochran_C, 4), num_g(h.cochran_crit, 4));
    }
    printf("sigma'_pt = sqrt(sigma_pt^2 + s_s^2) = %s\n", num_g(h.sigma_pt_prime, 4));
    if (stab_file != NULL)
        printf("stability: means %s and %s, |difference| %s <= 0.3 "
               "sigma_pt = %s: %s; expanded %s: %s; Welch t %s, p "
               "%s\n",
               num_g(sb.mean1, 6), num_g(sb.mean2, 6), num_g(sb.diff, 4),
               num_g(sb.criterion, 4), sb.passed ? "passed" : "FAILED",
               num_g(sb.expanded_criterion, 4),
               sb.passed_expanded ? "passed" : "FAILED", num_g(sb.t, 3),
               num_g(sb.p_value, 3));
    return 0;
}

/* ---- ptlims precision ---- */

static const char precision_help[] =
    "usage: ptlims precision [--json] FILE\n\n"
    "One level of an ISO 5725-2 precision experiment: p >= 3 laboratories\n"
    "with at least 2 replicates each.  FILE is a CSV with columns lab,\n"
    "replicate and value; - reads standard input.  Reports s_r, s_L, s_R,\n"
    "r = 2.8 s_r, R = 2.8 s_R, Cochran's C, Grubbs' statistics on the cell\n"
    "means, and Mandel's h and k per laboratory, each with its 5 %\n"
    "(straggler) and 1 % (outlier) critical value.  Robust too (ISO 13528\n"
    "Annex C): the Q method's reproducibility s* over every replicate with\n"
    "the Hampel x* of the laboratory means (Q/Hampel), and Algorithm S's\n"
    "pooled w* of the laboratories' SDs (nu = n - 1, equal n only).\n\n"
    "JSON keys: p, s_r, s_L, s_R, r, R, cochran_C, cochran_crit_5,\n"
    "cochran_crit_1, grubbs_max, grubbs_min, grubbs_crit_5, grubbs_crit_1,\n"
    "h_crit_5, h_crit_1, k_crit_5, k_crit_1, labs (an array of {lab, mean,\n"
    "sd, h, k}); also grubbs2_max, grubbs2_min, grubbs2_crit_5,\n"
    "grubbs2_crit_1 (double Grubbs), qmethod_s, qhampel_x, algs_w (null\n"
    "for unequal replicate counts).\n";

/* The robust estimates of a precision experiment (ISO 13528 Annex C). */
struct robust_prec {
    double qmethod_s, qhampel_x, algs_w;
};

/* Q/Hampel over the grouped results and Algorithm S over the cell SDs
 * (NAN where they cannot be computed, with the reason on stderr). */
static int robust_precision(const calc_groups *g, const pt_prec_lab *l,
                            struct robust_prec *rp)
{
    double *w = malloc(PT_STATS_QMETHOD_WORK(g->n) * sizeof *w);
    size_t *iw = malloc(PT_STATS_QMETHOD_IWORK(g->n, g->p) * sizeof *iw);
    double *sd = malloc(g->p * sizeof *sd);
    pt_qhampel_result q;
    pt_algs_result a;
    pt_stats_status st;
    size_t i;
    int equal = 1;

    rp->qmethod_s = rp->qhampel_x = rp->algs_w = NAN;
    if (w == NULL || iw == NULL || sd == NULL) {
        free(w);
        free(iw);
        free(sd);
        fprintf(stderr, "ptlims: out of memory\n");
        return 2;
    }
    st = pt_stats_qhampel(g->values, g->counts, g->p, w, iw, &q);
    if (st == PT_STATS_OK) {
        rp->qmethod_s = q.s;
        rp->qhampel_x = q.x;
    } else {
        fprintf(stderr, "ptlims precision: Q method: %s\n",
                pt_stats_strerror(st));
    }
    for (i = 0; i < g->p; i++) {
        sd[i] = l[i].sd;
        if (g->counts[i] != g->counts[0])
            equal = 0;
    }
    if (equal) {
        st = pt_stats_algs(sd, g->p, (double)(g->counts[0] - 1),
                           PT_ALGA_STOP_FIXED, w, &a);
        if (st == PT_STATS_OK)
            rp->algs_w = a.w;
        else
            fprintf(stderr, "ptlims precision: Algorithm S: %s\n",
                    pt_stats_strerror(st));
    }
    free(w);
    free(iw);
    free(sd);
    return 0;
}

static void print_precision_json(const calc_groups *g, const pt_prec_lab *l,
                                 const pt_prec_result *r,
                                 const struct robust_prec *rp)
{
    size_t i;

    printf("{\"p\": %lu", (unsigned long)r->p);
    key("s_r", r->s_r);
    key("s_L", r->s_L);
    key("s_R", r->s_R);
    key("r", r->r);
    key("R", r->R);
    key("cochran_C", r->cochran_C);
    key("cochran_crit_5", r->cochran_crit_5);
    key("cochran_crit_1", r->cochran_crit_1);
    key("grubbs_max", r->grubbs_max);
    key("grubbs_min", r->grubbs_min);
    key("grubbs_crit_5", r->grubbs_crit_5);
    key("grubbs_crit_1", r->grubbs_crit_1);
    key("grubbs2_max", r->grubbs2_max);
    key("grubbs2_min", r->grubbs2_min);
    key("grubbs2_crit_5", r->grubbs2_crit_5);
    key("grubbs2_crit_1", r->grubbs2_crit_1);
    key("h_crit_5", r->h_crit_5);
    key("h_crit_1", r->h_crit_1);
    key("k_crit_5", r->k_crit_5);
    key("k_crit_1", r->k_crit_1);
    key("qmethod_s", rp->qmethod_s);
    key("qhampel_x", rp->qhampel_x);
    key("algs_w", rp->algs_w);
    fputs(", \"labs\": [", stdout);
    for (i = 0; i < r->p; i++) {
        printf("%s{\"lab\": ", i ? ", " : "");
        json_str(stdout, g->names[i]);
        key("mean", l[i].mean);
        key("sd", l[i].sd);
        key("h", l[i].h);
        key("k", l[i].k);
        fputs("}", stdout);
    }
    fputs("]}\n", stdout);
}

static const char *flag(double v, double c5, double c1)
{
    if (fabs(v) > c1)
        return " outlier";
    if (fabs(v) > c5)
        return " straggler";
    return "";
}

static void print_precision_text(const calc_groups *g, const pt_prec_lab *l,
                                 const pt_prec_result *r,
                                 const struct robust_prec *rp)
{
    size_t i;

    printf("p %lu laboratories, general mean %s\n", (unsigned long)r->p,
           num_g(r->mean, 6));
    printf("s_r %s  s_L %s  s_R %s  r %s  R %s\n", num_g(r->s_r, 4),
           num_g(r->s_L, 4), num_g(r->s_R, 4), num_g(r->r, 4), num_g(r->R, 4));
    printf("Cochran C %s (lab %s; critical 5 %% %s, 1 %% %s)\n",
           num_g(r->cochran_C, 4), g->names[r->cochran_lab],
           num_g(r->cochran_crit_5, 4), num_g(r->cochran_crit_1, 4));
    printf("Grubbs max %s, min %s (critical 5 %% %s, 1 %% %s)\n",
           num_g(r->grubbs_max, 4), num_g(r->grubbs_min, 4),
           num_g(r->grubbs_crit_5, 4), num_g(r->grubbs_crit_1, 4));
    if (!isnan(r->grubbs2_max))
        printf("double Grubbs max %s, min %s (lower critical 5 %% %s, "
               "1 %% %s)\n",
               num_g(r->grubbs2_max, 4), num_g(r->grubbs2_min, 4),
               num_g(r->grubbs2_crit_5, 4), num_g(r->grubbs2_crit_1, 4));
    printf("%-12s %4s %12s %10s %7s %7s\n", "lab", "n", "mean", "sd", "h",
           "k");
    for (i = 0; i < r->p; i++)
        printf("%-12s %4lu %12s %10s %7.2f %7.2f%s%s\n", g->names[i],
               (unsigned long)l[i].n, num_g(l[i].mean, 6), num_g(l[i].sd, 4),
               l[i].h, l[i].k, flag(l[i].h, r->h_crit_5, r->h_crit_1),
               flag(l[i].k, r->k_crit_5, r->k_crit_1));
    printf("critical h %s / %s, k %s / %s (5 %% / 1 %%)\n",
           num_g(r->h_crit_5, 3), num_g(r->h_crit_1, 3), num_g(r->k_crit_5, 3),
           num_g(r->k_crit_1, 3));
    printf("robust: Q/Hampel x* %s, Q method s_R* %s; Algorithm S w* "
           "%s\n",
           num_g(rp->qhampel_x, 6), num_g(rp->qmethod_s, 4),
           num_g(rp->algs_w, 4));
}

int cmd_precision(cli *c, int argc, char **argv)
{
    calc_groups g;
    pt_prec_result r;
    struct robust_prec rp;
    pt_prec_lab *labs;
    pt_stats_status st;
    const char *file;
    double sigma = 0.0, *w;
    int json, rc;
    size_t i;

    (void)c;
    if (cli_wants_help(argc, argv)) {
        fputs(precision_help, stdout);
        return 0;
    }
    if ((rc = parse_common("precision", precision_help, argc, argv, 0,
                           &sigma, &json, &file, NULL, NULL)) != 0)
        return rc;
    if ((rc = calc_read_groups(file, "lab", &g)) != 0)
        return rc;
    for (i = 0; i < g.p; i++) {
        if (g.counts[i] < 2) {
            fprintf(stderr,
                    "ptlims: %s:%lu:1: laboratory \"%s\" has %lu result "
                    "(at least 2 replicates are needed)\n",
                    file, g.lines[i], g.names[i], (unsigned long)g.counts[i]);
            calc_groups_free(&g);
            return 1;
        }
    }
    if (g.p < 3) {
        fprintf(stderr, "ptlims: %s: %lu laboratories (at least 3 are "
                        "needed)\n",
                file, (unsigned long)g.p);
        calc_groups_free(&g);
        return 1;
    }
    labs = malloc(g.p * sizeof *labs);
    w = malloc(2 * g.p * sizeof *w);
    if (labs == NULL || w == NULL) {
        free(labs);
        free(w);
        calc_groups_free(&g);
        fprintf(stderr, "ptlims: out of memory\n");
        return 2;
    }
    st = pt_stats_precision(g.values, g.counts, g.p, w, labs, &r);
    if (st != PT_STATS_OK) {
        fprintf(stderr, "ptlims: %s: %s\n", file, pt_stats_strerror(st));
        rc = st == PT_STATS_BAD_ARG ? 2 : 1;
    } else {
        rc = robust_precision(&g, labs, &rp);
        if (rc == 0 && json)
            print_precision_json(&g, labs, &r, &rp);
        else if (rc == 0)
            print_precision_text(&g, labs, &r, &rp);
    }
    free(labs);
    free(w);
    calc_groups_free(&g);
    return rc;
}
