/*
 * cmd_compare.c -- `ptlims compare`: a branch laboratory against the
 * reference laboratory, round after round, as the branch shows it to an
 * assessor: both results, the difference and its R-based limit, En, the
 * verdict, and the trend (running mean of En, signals in the last rounds,
 * the run of differences of one sign).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

typedef struct out {
    int json;
    unsigned long n, disagree, series;
    int longest_run;
    unsigned window;
    char *last; /* the series of the last row (text) */
} out;

static const char *member_text(const lims_compare_row *r, int technique)
{
    const char *s = NULL;

    if (technique && LIMS_HAS_MEMBER(r, lims_compare_row, technique))
        s = r->technique;
    else if (!technique && LIMS_HAS_MEMBER(r, lims_compare_row, matrix))
        s = r->matrix;
    return s ? s : "";
}

/* Decimals that show v to the place of its U at 2 significant digits
 * (as the workbook does); -1 without a U. */
static int places_of(double U)
{
    int p;

    if (!(U > 0) || !isfinite(U))
        return -1;
    p = 1 - (int)floor(log10(U));
    return p < 0 ? 0 : p > 10 ? 10 : p;
}

static void row_json(const lims_compare_row *r, unsigned long n)
{
    printf("%s\n  {\"round\": ", n ? "," : "");
    json_str(stdout, r->round);
    printf(", \"opened\": ");
    json_str(stdout, r->opened);
    printf(", \"measurand\": ");
    json_str(stdout, r->measurand);
    printf(", \"item\": ");
    json_str(stdout, r->item);
    printf(", \"unit\": ");
    json_str(stdout, r->unit);
    printf(", \"method\": ");
    json_str(stdout, r->method);
    printf(", \"lab_value\": ");
    json_num(stdout, r->lab_value);
    printf(", \"lab_U\": ");
    json_num(stdout, r->lab_U);
    printf(", \"ref_value\": ");
    json_num(stdout, r->ref_value);
    printf(", \"ref_U\": ");
    json_num(stdout, r->ref_U);
    printf(", \"diff\": ");
    json_num(stdout, r->diff);
    printf(", \"limit\": ");
    json_num(stdout, r->limit);
    printf(", \"En\": ");
    json_num(stdout, r->En);
    printf(", \"verdict\": ");
    json_str(stdout, r->verdict);
    printf(", \"en_mean\": ");
    json_num(stdout, r->en_mean);
    printf(", \"signals\": %u, \"same_sign_run\": %d, \"matrix\": ", r->signals,
           r->same_sign_run);
    json_str(stdout, member_text(r, 0));
    printf(", \"technique\": ");
    json_str(stdout, member_text(r, 1));
    putchar('}');
}

/* A new series starts at r: print its heading.  0, or 1 when out of
 * memory. */
static int series_heading(out *o, const lims_compare_row *r)
{
    const char *mx = member_text(r, 0), *tech = member_text(r, 1);
    size_t n = strlen(r->measurand) + strlen(mx) + strlen(tech) + 3;
    char *key = malloc(n);

    if (!key)
        return 1;
    snprintf(key, n, "%s\n%s\n%s", r->measurand, mx, tech);
    if (o->last && strcmp(o->last, key) == 0) {
        free(key);
        return 0;
    }
    free(o->last);
    o->last = key;
    o->series++;
    printf("%s%s, %s, %s (%s)\n", o->n ? "\n" : "", r->measurand,
           *mx ? mx : "matrix not given", *tech ? tech : "technique not known",
           r->unit);
    printf("%-14s %-10s %-8s %11s %11s %10s %9s %7s %-12s %7s %4s %4s\n",
           "round", "opened", "item", "lab", "reference", "diff", "limit R",
           "En", "verdict", "mean En", "sig", "run");
    return 0;
}

static int row(void *ctx, const lims_compare_row *r)
{
    out *o = ctx;
    char lim[32], en[32];

    if (strcmp(r->verdict, "disagree") == 0)
        o->disagree++;
    if (abs(r->same_sign_run) > abs(o->longest_run))
        o->longest_run = r->same_sign_run;
    if (o->json) {
        row_json(r, o->n++);
        return 0;
    }
    if (series_heading(o, r))
        return 1;
    o->n++;
    {
        int pl = places_of(r->lab_U), pr = places_of(r->ref_U);
        int pd = pl > pr ? pl : pr;
        char d[64];

        snprintf(lim, sizeof lim, "%s",
                 isnan(r->limit) ? "-" : num_g(r->limit, 3));
        snprintf(en, sizeof en, isnan(r->En) ? "-" : "%+.2f", r->En);
        snprintf(d, sizeof d, "%s%s", r->diff > 0 ? "+" : "",
                 num_places(r->diff, pd));
        printf("%-14s %-10s %-8s %11s %11s %10s %9s %7s %-12s %+7.2f %4u "
               "%+4d\n",
               r->round, r->opened, r->item,
               num_places(r->lab_value, pl),
               num_places(r->ref_value, pr), d, lim, en,
               r->verdict, r->en_mean, r->signals, r->same_sign_run);
    }
    return 0;
}

static const char compare_help[] =
    "usage: ptlims [--db PATH] compare --lab LAB --ref REFLAB\n"
    "              [--measurand M] [--window N] [--json]\n\n"
    "Every round in which LAB and REFLAB both reported (a measurand and "
    "item),\nseries by series: one series is a measurand x matrix x "
    "technique (the\nplan's sub-discipline; the item's matrix, else the "
    "round's), oldest first\nwithin it.  Each row: both results (canonical "
    "unit, to the place of their U), "
    "the difference,\nthe method's reproducibility R at their mean (two "
    "single results agree when\n|x1 - x2| <= R), En from both expanded "
    "uncertainties, the verdict, and the\ntrend: running mean of En, "
    "signals (|En| beyond 1) in the last N rounds\n(--window, default 4) "
    "and the current run of same-sign differences\n(a long run is a "
    "bias);\nthe trend restarts with each series.  JSON: one flat array, "
    "each row with\nits matrix and technique (README \"JSON vocabulary\").\n";

int cmd_compare(cli *c, int argc, char **argv)
{
    const char *lab = NULL, *ref = NULL, *measurand = NULL, *w = NULL;
    lims_instance *inst;
    out o;
    char *end;
    int i, rc;

    memset(&o, 0, sizeof o);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(compare_help, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--json") == 0)
            o.json = 1;
        else if (!cli_opt(argc, argv, &i, "--lab", &lab) &&
                 !cli_opt(argc, argv, &i, "--ref", &ref) &&
                 !cli_opt(argc, argv, &i, "--measurand", &measurand) &&
                 !cli_opt(argc, argv, &i, "--window", &w))
            return cli_unknown("compare", argv[i]);
    }
    if (cli_require("compare", "--lab", lab, "--ref", ref, NULL))
        return 1;
    o.window = 4;
    if (w) {
        long v = strtol(w, &end, 10);
        if (*end || v < 1 || v > 64) {
            fprintf(stderr, "ptlims compare: --window %s is not 1 to 64\n",
                    w);
            return 1;
        }
        o.window = (unsigned)v;
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    rc = cli_compare(c, inst, lab, ref, measurand, o.window, o.json);
    c->core->close(inst);
    return rc;
}

int cli_compare(cli *c, lims_instance *inst, const char *lab,
                const char *ref, const char *measurand, unsigned window,
                int json)
{
    out o;
    char err[1024];
    lims_status st;

    memset(&o, 0, sizeof o);
    o.json = json;
    o.window = window;
    if (o.json)
        fputs("[", stdout);
    st = c->core->compare(inst, lab, ref, measurand, o.window, row, &o, err,
                          sizeof err);
    if (st != LIMS_OK) {
        free(o.last);
        return cli_fail(st, err);
    }
    if (o.json)
        fputs(o.n ? "\n]\n" : "]\n", stdout);
    else if (o.n == 0)
        printf("no rounds in which %s and %s both reported\n", lab, ref);
    else
        printf("\n%lu comparisons in %lu series, %lu disagreements; longest "
               "run of same-sign differences: %+d\n",
               o.n, o.series, o.disagree, o.longest_run);
    free(o.last);
    return 0;
}
