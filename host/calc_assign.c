/*
 * calc_assign.c -- the calculators of the ptlims command for what a round
 * is scored against when it does not come from the round's own results:
 * `ptlims sigma-pt` (ISO 13528 clause 8: the Horwitz curve as modified by
 * Thompson, a precision experiment, a method's R and r, earlier rounds)
 * and `ptlims assigned` (clause 7: a certified reference material, a
 * reference laboratory's result, a formulation, the PT items measured
 * against a CRM, and the check of a consensus value against an
 * independent one).
 *
 * Each way is a sub-command that reads its numbers from options (or one
 * CSV file), calls one stats/ function and prints the result as text or,
 * with --json, as one object in the calculators' vocabulary (null for a
 * number that cannot be computed, numbers as the shortest text that reads
 * back to the same double).  Output is held until the command has
 * succeeded, so a failure leaves standard output empty.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "json.h"
#include "pt_stats.h"

/* A number option of a sub-command. */
struct num_opt {
    const char *name; /* "--value" */
    double v;
    int have;
    int need;     /* 1: required */
    int positive; /* 1: must be > 0; 2: must be >= 0 */
};

/* One text option (--unit) beside the numbers. */
struct text_opt {
    const char *name;
    const char *v;
};

/* Parse argv[1..] of the sub-command `cmd` ("sigma-pt rounds"): --json,
 * the number options o[0..n), the text option t (may be NULL), and one
 * positional argument into *pos when pos is not NULL (required then).
 * 0, or the exit code after printing the reason (the help on a missing
 * option). */
static int parse_opts(const char *cmd, const char *help, int argc,
                      char **argv, struct num_opt *o, size_t n,
                      struct text_opt *t, const char **pos, int *json)
{
    const char *v;
    size_t k;
    int i;

    *json = 0;
    if (pos != NULL)
        *pos = NULL;
    for (i = 1; i < argc; i++) {
        int done = 0;
        if (strcmp(argv[i], "--json") == 0) {
            *json = 1;
            continue;
        }
        for (k = 0; k < n && !done; k++) {
            if (!cli_opt(argc, argv, &i, o[k].name, &v))
                continue;
            if (calc_option_number(cmd, o[k].name, v, &o[k].v) != 0)
                return 1;
            if (o[k].positive == 1 && !(o[k].v > 0.0)) {
                fprintf(stderr, "ptlims %s: %s must be positive\n", cmd,
                        o[k].name);
                return 1;
            }
            if (o[k].positive == 2 && o[k].v < 0.0) {
                fprintf(stderr, "ptlims %s: %s must not be negative\n", cmd,
                        o[k].name);
                return 1;
            }
            o[k].have = done = 1;
        }
        if (done)
            continue;
        if (t != NULL && cli_opt(argc, argv, &i, t->name, &v)) {
            t->v = v;
        } else if (argv[i][0] == '-' && argv[i][1] &&
                   !(argv[i][1] == '.' || (argv[i][1] >= '0' &&
                                           argv[i][1] <= '9'))) {
            return cli_unknown(cmd, argv[i]);
        } else if (pos != NULL && *pos == NULL) {
            *pos = argv[i];
        } else {
            fprintf(stderr, "ptlims %s: unexpected argument \"%s\"\n", cmd,
                    argv[i]);
            return 1;
        }
    }
    for (k = 0; k < n; k++)
        if (o[k].need && !o[k].have) {
            fprintf(stderr, "ptlims %s: missing %s\n\n", cmd, o[k].name);
            fputs(help, stderr);
            return 1;
        }
    if (pos != NULL && *pos == NULL) {
        fputs(help, stderr);
        return 1;
    }
    return 0;
}

/* ", \"key\": number" into f (first: no comma). */
static void jnum(FILE *f, const char *key, double v, int first)
{
    fprintf(f, "%s\"%s\": ", first ? "" : ", ", key);
    json_num(f, v);
}

/* A status from stats/ as a user error naming the sub-command: 1. */
static int refused(const char *cmd, pt_stats_status st, const char *why)
{
    fprintf(stderr, "ptlims %s: %s (%s)\n", cmd, why, pt_stats_strerror(st));
    return 1;
}

/* ==== ptlims sigma-pt ==================================================== */

static const char sigma_help[] =
    "usage: ptlims sigma-pt horwitz C [--unit fraction|%|mg/kg|ug/kg] "
    "[--json]\n"
    "       ptlims sigma-pt precision --sigma-R S [--sigma-r s] [--m M] "
    "[--json]\n"
    "       ptlims sigma-pt limits --R R [--r r] [--m M] [--json]\n"
    "       ptlims sigma-pt rounds FILE [--level X] [--json]\n\n"
    "The standard deviation for proficiency assessment from outside the\n"
    "round (ISO 13528 clause 8):\n"
    "  horwitz    the Horwitz curve as modified by Thompson (8.4) at the\n"
    "             concentration C, a mass fraction (--unit fraction, the\n"
    "             default) or in %, mg/kg or ug/kg; sigma_pt in C's unit.\n"
    "  precision  from a precision experiment (8.5): sigma_pt =\n"
    "             sqrt(sigma_R^2 - sigma_r^2 (1 - 1/m)) for a result that is\n"
    "             the mean of m replicates (m 1 and sigma_r 0 by default).\n"
    "  limits     the same from a method's reproducibility and\n"
    "             repeatability limits: sigma_R = R/2.77, sigma_r = r/2.77.\n"
    "  rounds     from earlier rounds (8.3): FILE is a CSV with columns\n"
    "             level (the round's assigned value) and sd (its robust\n"
    "             SD), and optionally round (a label), 3 rounds or more.  A\n"
    "             straight line sd = a + b level is fitted by least squares\n"
    "             and shown with every round's fitted value and residual;\n"
    "             --level X gives sigma_pt at X.\n\n"
    "JSON: one object with sigma_pt_basis (the subcommand) and the inputs,\n"
    "and sigma_pt (horwitz\n"
    "also mass_fraction and relative; limits also sigma_R, sigma_r; rounds\n"
    "p, intercept, slope, r_squared, s_residual, rounds: an array of {round,\n"
    "level, sd, fitted, residual}, level, sigma_pt (null without --level)).\n";

/* Units of a concentration for the Horwitz curve: the factor to a mass
 * fraction. */
static const struct {
    const char *name;
    double to_fraction;
} horwitz_units[] = {
    {"fraction", 1.0}, {"g/g", 1.0},     {"%", 1e-2},
    {"mg/kg", 1e-6},   {"ppm", 1e-6},    {"ug/kg", 1e-9},
    {"ppb", 1e-9},     {"mg/g", 1e-3},   {"g/100g", 1e-2},
};

static int sigma_horwitz(int argc, char **argv, calc_output *out)
{
    const char *cmd = "sigma-pt horwitz", *ctext;
    struct text_opt unit = {"--unit", "fraction"};
    double c, f = NAN, s;
    pt_stats_status st;
    size_t k;
    int json, rc;

    if ((rc = parse_opts(cmd, sigma_help, argc, argv, NULL, 0, &unit, &ctext,
                         &json)) != 0)
        return rc;
    if (calc_option_number(cmd, "C", ctext, &c) != 0)
        return 1;
    for (k = 0; k < sizeof horwitz_units / sizeof horwitz_units[0]; k++)
        if (strcmp(unit.v, horwitz_units[k].name) == 0)
            f = horwitz_units[k].to_fraction;
    if (isnan(f)) {
        fprintf(stderr,
                "ptlims %s: --unit must be fraction, g/g, %%, g/100g, mg/g, "
                "mg/kg, ppm, ug/kg or ppb, not \"%s\"\n",
                cmd, unit.v);
        return 1;
    }
    st = pt_stats_horwitz(c * f, &s);
    if (st != PT_STATS_OK)
        return refused(cmd, st,
                       "the concentration must be a mass fraction above 0 "
                       "and at most 1 (100 %)");
    s /= f;
    if (json) {
        fputs("{\"sigma_pt_basis\": \"horwitz\", ", out->f);
        jnum(out->f, "c", c, 1);
        fputs(", \"unit\": ", out->f);
        json_str(out->f, unit.v);
        jnum(out->f, "mass_fraction", c * f, 0);
        jnum(out->f, "sigma_pt", s, 0);
        jnum(out->f, "relative", s / c, 0);
        fputs("}\n", out->f);
    } else {
        fprintf(out->f,
                "Horwitz-Thompson (ISO 13528 8.4) at %s %s (mass "
                "fraction %s): sigma_pt %s %s, %s %% of c\n", num_g(c, 10), unit.v, num_g(c * f, 6), num_g(s, 6), unit.v, num_g(100.0 * s / c, 4));
    }
    return 0;
}

static int sigma_precision(int argc, char **argv, calc_output *out,
                           int limits)
{
    const char *cmd = limits ? "sigma-pt limits" : "sigma-pt precision";
    struct num_opt o[3] = {
        {limits ? "--R" : "--sigma-R", 0, 0, 1, 1},
        {limits ? "--r" : "--sigma-r", 0, 0, 0, 2},
        {"--m", 1, 0, 0, 1},
    };
    pt_stats_status st;
    double s, sR, sr;
    int json, rc;

    if ((rc = parse_opts(cmd, sigma_help, argc, argv, o, 3, NULL, NULL,
                         &json)) != 0)
        return rc;
    if (o[2].v < 1.0) {
        fprintf(stderr, "ptlims %s: --m must be 1 or more\n", cmd);
        return 1;
    }
    sR = limits ? o[0].v / 2.77 : o[0].v;
    sr = limits ? o[1].v / 2.77 : o[1].v;
    st = limits ? pt_stats_sigma_pt_from_limits(o[0].v, o[1].v, o[2].v, &s)
                : pt_stats_sigma_pt_precision(o[0].v, o[1].v, o[2].v, &s);
    if (st != PT_STATS_OK)
        return refused(cmd, st,
                       limits ? "r must not exceed R"
                              : "sigma_r must not exceed sigma_R");
    if (json) {
        fprintf(out->f, "{\"sigma_pt_basis\": \"%s\", ",
                limits ? "limits" : "precision");
        if (limits) {
            jnum(out->f, "R", o[0].v, 1);
            jnum(out->f, "r", o[1].v, 0);
            jnum(out->f, "m", o[2].v, 0);
            jnum(out->f, "sigma_R", sR, 0);
            jnum(out->f, "sigma_r", sr, 0);
        } else {
            jnum(out->f, "sigma_R", sR, 1);
            jnum(out->f, "sigma_r", sr, 0);
            jnum(out->f, "m", o[2].v, 0);
        }
        jnum(out->f, "sigma_pt", s, 0);
        fputs("}\n", out->f);
    } else {
        if (limits)
            fprintf(out->f, "sigma_R = R/2.77 = %s, sigma_r = r/2.77 = "
                            "%s\n", num_g(sR, 6), num_g(sr, 6));
        fprintf(out->f,
                "sigma_pt = sqrt(sigma_R^2 - sigma_r^2 (1 - 1/m)) = %s "
                "(m %s; ISO 13528 8.5)\n", num_g(s, 6), num_g(o[2].v, 10));
    }
    return 0;
}

/* Two numbers and a label from each row of a CSV file (a rounds file:
 * level, sd, round; a CRM comparison: pt, crm, item). */
struct rounds_data {
    size_t p, cap;
    double *level, *sd; /* the first and the second number */
    char **name;
};

static void rounds_free(struct rounds_data *r)
{
    size_t i;

    for (i = 0; i < r->p; i++)
        free(r->name[i]);
    free(r->level);
    free(r->sd);
    free(r->name);
}

static int rounds_push(struct rounds_data *r, double level, double sd,
                       const char *name)
{
    if (r->p == r->cap) {
        size_t nc = r->cap ? 2 * r->cap : 16;
        double *nl = realloc(r->level, nc * sizeof *nl);
        double *ns;
        char **nn;
        if (nl == NULL)
            return -1;
        r->level = nl;
        if ((ns = realloc(r->sd, nc * sizeof *ns)) == NULL)
            return -1;
        r->sd = ns;
        if ((nn = realloc(r->name, nc * sizeof *nn)) == NULL)
            return -1;
        r->name = nn;
        r->cap = nc;
    }
    if ((r->name[r->p] = strdup(name)) == NULL)
        return -1;
    r->level[r->p] = level;
    r->sd[r->p++] = sd;
    return 0;
}

/* Read FILE's columns ca and cb (numbers; cb >= 0 when nonneg_b; cb
 * NULL: only ca, the second number 0) and the optional column clab (the
 * row's number when absent); 0 or the exit code. */
static int rounds_read(const char *path, const char *ca, const char *cb,
                       const char *clab, int nonneg_b,
                       struct rounds_data *r)
{
    const pt_csv_field *f;
    char err[1024], label[32];
    size_t nf;
    int rc = 0, cl, cs, cr;
    pt_csv_status st;
    pt_csv *csv = calc_open_header(path, &f, &nf, &rc);

    memset(r, 0, sizeof *r);
    if (csv == NULL)
        return rc;
    cl = calc_column(f, nf, ca);
    cs = cb != NULL ? calc_column(f, nf, cb) : -2;
    cr = calc_column(f, nf, clab);
    if (cl < 0 || cs == -1) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "the header needs the columns %s and %s (and optionally %s)",
                 ca, cb, clab);
        rc = calc_fail_at(csv, &f[0], msg);
        pt_csv_free(csv);
        return rc;
    }
    while ((st = pt_csv_next(csv, &f, &nf, err, sizeof err)) == PT_CSV_OK) {
        double lv, sd;
        if ((size_t)cl >= nf || (cs >= 0 && (size_t)cs >= nf)) {
            rc = calc_fail_at(csv, &f[nf - 1], "missing columns");
            break;
        }
        sd = 0.0;
        if (calc_number(csv, &f[cl], &lv) != 0 ||
            (cs >= 0 && calc_number(csv, &f[cs], &sd) != 0)) {
            rc = 1;
            break;
        }
        if (nonneg_b && sd < 0.0) {
            snprintf(err, sizeof err, "%s must not be negative", cb);
            rc = calc_fail_at(csv, &f[cs], err);
            break;
        }
        snprintf(label, sizeof label, "%lu", (unsigned long)(r->p + 1));
        if (rounds_push(r, lv, sd,
                        cr >= 0 && (size_t)cr < nf && f[cr].len > 0
                            ? f[cr].text
                            : label) != 0) {
            fprintf(stderr, "ptlims: out of memory\n");
            rc = 2;
            break;
        }
    }
    if (rc == 0 && st != PT_CSV_END) {
        fprintf(stderr, "ptlims: %s\n", err);
        rc = st == PT_CSV_NOMEM ? 2 : 1;
    }
    pt_csv_free(csv);
    if (rc != 0)
        rounds_free(r);
    return rc;
}

static int sigma_rounds(int argc, char **argv, calc_output *out)
{
    const char *cmd = "sigma-pt rounds", *file;
    struct num_opt o[1] = {{"--level", 0, 0, 0, 0}};
    struct rounds_data r;
    pt_rounds_fit fit;
    pt_stats_status st;
    double at = NAN;
    size_t i;
    int json, rc;

    if ((rc = parse_opts(cmd, sigma_help, argc, argv, o, 1, NULL, &file,
                         &json)) != 0)
        return rc;
    if ((rc = rounds_read(file, "level", "sd", "round", 1, &r)) != 0)
        return rc;
    st = pt_stats_sigma_pt_rounds(r.level, r.sd, r.p, &fit);
    if (st != PT_STATS_OK) {
        rounds_free(&r);
        return refused(cmd, st,
                       st == PT_STATS_ZERO_SCALE
                           ? "every round is at the same level: no line "
                             "can be fitted"
                           : "3 rounds or more are needed");
    }
    if (o[0].have && (st = pt_stats_sigma_pt_at(&fit, o[0].v, &at)) !=
                         PT_STATS_OK) {
        rounds_free(&r);
        return refused(cmd, st, "the fitted line gives no positive sigma_pt "
                                "at --level");
    }
    if (json) {
        fputs("{\"sigma_pt_basis\": \"rounds\", ", out->f);
        fprintf(out->f, "\"p\": %lu", (unsigned long)fit.p);
        jnum(out->f, "intercept", fit.intercept, 0);
        jnum(out->f, "slope", fit.slope, 0);
        jnum(out->f, "r_squared", fit.r_squared, 0);
        jnum(out->f, "s_residual", fit.s_residual, 0);
        fputs(", \"rounds\": [", out->f);
        for (i = 0; i < r.p; i++) {
            double fitted = fit.intercept + fit.slope * r.level[i];
            fputs(i ? ", {\"round\": " : "{\"round\": ", out->f);
            json_str(out->f, r.name[i]);
            jnum(out->f, "level", r.level[i], 0);
            jnum(out->f, "sd", r.sd[i], 0);
            jnum(out->f, "fitted", fitted, 0);
            jnum(out->f, "residual", r.sd[i] - fitted, 0);
            fputc('}', out->f);
        }
        fputc(']', out->f);
        jnum(out->f, "level", o[0].have ? o[0].v : NAN, 0);
        jnum(out->f, "sigma_pt", at, 0);
        fputs("}\n", out->f);
    } else {
        fprintf(out->f, "%-16s %12s %12s %12s %12s\n", "round", "level", "sd",
                "fitted", "residual");
        for (i = 0; i < r.p; i++) {
            double fitted = fit.intercept + fit.slope * r.level[i];
            fprintf(out->f, "%-16s %12s %12s %12s %12s\n", r.name[i], num_g(r.level[i], 6), num_g(r.sd[i], 6), num_g(fitted, 6), num_g(r.sd[i] - fitted, 4));
        }
        fprintf(out->f,
                "sd = %s + %s level (least squares over %lu rounds, "
                "r^2 %.4f, residual SD %s; ISO 13528 8.3)\n", num_g(fit.intercept, 6), num_g(fit.slope, 6), (unsigned long)fit.p,
                fit.r_squared, num_g(fit.s_residual, 4));
        if (o[0].have)
            fprintf(out->f, "sigma_pt at level %s: %s\n", num_g(o[0].v, 10), num_g(at, 6));
    }
    rounds_free(&r);
    return 0;
}

int cmd_sigma_pt(cli *c, int argc, char **argv)
{
    calc_output out;
    int rc;

    (void)c;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(sigma_help, argc < 2 ? stderr : stdout);
        return argc < 2;
    }
    if (cli_wants_help(argc, argv)) {
        fputs(sigma_help, stdout);
        return 0;
    }
    if (calc_output_open(&out) != 0) {
        fprintf(stderr, "ptlims: out of memory\n");
        return 2;
    }
    if (strcmp(argv[1], "horwitz") == 0)
        rc = sigma_horwitz(argc - 1, argv + 1, &out);
    else if (strcmp(argv[1], "precision") == 0)
        rc = sigma_precision(argc - 1, argv + 1, &out, 0);
    else if (strcmp(argv[1], "limits") == 0)
        rc = sigma_precision(argc - 1, argv + 1, &out, 1);
    else if (strcmp(argv[1], "rounds") == 0)
        rc = sigma_rounds(argc - 1, argv + 1, &out);
    else {
        fprintf(stderr,
                "ptlims sigma-pt: unknown way \"%s\": horwitz, precision, "
                "limits or rounds (see ptlims sigma-pt --help)\n",
                argv[1]);
        rc = 1;
    }
    return calc_output_close(&out, rc);
}

/* ==== ptlims assigned ==================================================== */

static const char assigned_help[] =
    "usage: ptlims assigned crm --value V --U U [--k K] [--u-hom S]\n"
    "                       [--u-stab S] [--json]\n"
    "       ptlims assigned reference --value V --U U [--k K] [--u-hom S]\n"
    "                       [--u-stab S] [--json]\n"
    "       ptlims assigned formulation --purity P --u-purity u --mass M\n"
    "                       --u-mass u --total T --u-total u [--blank X]\n"
    "                       [--u-blank u] [--factor F] [--u-hom S]\n"
    "                       [--u-stab S] [--json]\n"
    "       ptlims assigned crm-compare FILE --value V --U U [--k K] "
    "[--json]\n"
    "       ptlims assigned check --x X --u-x U --value V --U U [--k K] "
    "[--json]\n\n"
    "The assigned value x_pt and its standard uncertainty u(x_pt) from\n"
    "outside the round (ISO 13528 clause 7):\n"
    "  crm          a certified reference material's value V with its\n"
    "               expanded uncertainty U and coverage factor K (2 by\n"
    "               default) from the certificate (7.4);\n"
    "  reference    a reference laboratory's result V with its U and K\n"
    "               (7.5);\n"
    "               both: u(x_pt) = sqrt((U/K)^2 + u_hom^2 + u_stab^2), with\n"
    "               the between-item SD s_s of the homogeneity check and the\n"
    "               uncertainty from instability (0 by default).\n"
    "  formulation  an analyte of purity P weighed in at mass M into a total\n"
    "               mass T of a base material of content X (7.3):\n"
    "               x_pt = X + F P M/T, F the factor from a mass fraction to\n"
    "               the reporting unit (1 by default; 1e6 for mg/kg), and\n"
    "               u_char^2 = u_X^2 + (F P M/T)^2 ((u_P/P)^2 + (u_M/M)^2 +\n"
    "               (u_T/T)^2) (the GUM's propagation, independent inputs),\n"
    "               combined with u_hom and u_stab as above.\n"
    "  crm-compare  the PT items measured against the CRM by one\n"
    "               laboratory (7.5, Annex E.5): FILE has columns pt and crm\n"
    "               (and optionally item), each row the results on a PT item\n"
    "               and on the CRM, or a column d of their differences;\n"
    "               x_pt = V + mean(d), d = pt - crm, u(x_pt) =\n"
    "               sqrt((U/K)^2 + s_d^2/p), p >= 2 rows.\n"
    "  check        a consensus value X with u(X) against an independent\n"
    "               value V with U and K (7.8, Annex E.7): the difference\n"
    "               V - X is significant when it exceeds 2 sqrt(u(X)^2 +\n"
    "               (U/K)^2).\n\n"
    "JSON: one object with assigned (the subcommand), the inputs, x_pt,\n"
    "u_x_pt and U_x_pt =\n"
    "2 u(x_pt) (crm-compare also p, d_mean, u_d and items, an array of\n"
    "{item, pt, crm, d}; check instead diff, u_diff, significant).\n";

/* x_pt and u(x_pt) as JSON members and as text. */
static void print_assigned(FILE *f, int json, double x, double u)
{
    if (json) {
        jnum(f, "x_pt", x, 0);
        jnum(f, "u_x_pt", u, 0);
        jnum(f, "U_x_pt", 2.0 * u, 0);
    } else {
        fprintf(f, "x_pt %s, u(x_pt) %s (U %s with k = 2)\n", num_g(x, 10), num_g(u, 6), num_g(2.0 * u, 6));
    }
}

static int assigned_known(int argc, char **argv, calc_output *out,
                          const char *way)
{
    char cmd[32];
    struct num_opt o[5] = {
        {"--value", 0, 0, 1, 0},  {"--U", 0, 0, 1, 2},
        {"--k", 2, 0, 0, 1},      {"--u-hom", 0, 0, 0, 2},
        {"--u-stab", 0, 0, 0, 2},
    };
    pt_stats_status st;
    double x, u;
    int json, rc;

    snprintf(cmd, sizeof cmd, "assigned %s", way);
    if ((rc = parse_opts(cmd, assigned_help, argc, argv, o, 5, NULL, NULL,
                         &json)) != 0)
        return rc;
    st = pt_stats_assigned_known(o[0].v, o[1].v, o[2].v, o[3].v, o[4].v, &x,
                                 &u);
    if (st != PT_STATS_OK)
        return refused(cmd, st, "the uncertainty cannot be combined");
    if (json) {
        fprintf(out->f, "{\"assigned\": \"%s\", ", way);
        jnum(out->f, "value", o[0].v, 1);
        jnum(out->f, "U", o[1].v, 0);
        jnum(out->f, "k", o[2].v, 0);
        jnum(out->f, "u_char", o[1].v / o[2].v, 0);
        jnum(out->f, "u_hom", o[3].v, 0);
        jnum(out->f, "u_stab", o[4].v, 0);
        print_assigned(out->f, 1, x, u);
        fputs("}\n", out->f);
    } else {
        fprintf(out->f,
                "%s (ISO 13528 %s): u_char = U/k = %s, u_hom %s, "
                "u_stab %s\n",
                strcmp(way, "crm") == 0 ? "certified reference material"
                                        : "reference laboratory",
                strcmp(way, "crm") == 0 ? "7.4" : "7.5", num_g(o[1].v / o[2].v, 6), num_g(o[3].v, 6), num_g(o[4].v, 6));
        print_assigned(out->f, 0, x, u);
    }
    return 0;
}

static int assigned_formulation(int argc, char **argv, calc_output *out)
{
    const char *cmd = "assigned formulation";
    struct num_opt o[11] = {
        {"--purity", 0, 0, 1, 1},  {"--u-purity", 0, 0, 1, 2},
        {"--mass", 0, 0, 1, 1},    {"--u-mass", 0, 0, 1, 2},
        {"--total", 0, 0, 1, 1},   {"--u-total", 0, 0, 1, 2},
        {"--blank", 0, 0, 0, 0},   {"--u-blank", 0, 0, 0, 2},
        {"--factor", 1, 0, 0, 1},  {"--u-hom", 0, 0, 0, 2},
        {"--u-stab", 0, 0, 0, 2},
    };
    pt_formulation fm;
    pt_stats_status st;
    double xc, uc, x, u;
    int json, rc;

    if ((rc = parse_opts(cmd, assigned_help, argc, argv, o, 11, NULL, NULL,
                         &json)) != 0)
        return rc;
    fm.purity = o[0].v;
    fm.u_purity = o[1].v;
    fm.m_analyte = o[2].v;
    fm.u_m_analyte = o[3].v;
    fm.m_total = o[4].v;
    fm.u_m_total = o[5].v;
    fm.x0 = o[6].v;
    fm.u_x0 = o[7].v;
    fm.factor = o[8].v;
    st = pt_stats_assigned_formulation(&fm, &xc, &uc);
    if (st != PT_STATS_OK)
        return refused(cmd, st, "--mass must not exceed --total");
    st = pt_stats_assigned_known(xc, uc, 1.0, o[9].v, o[10].v, &x, &u);
    if (st != PT_STATS_OK)
        return refused(cmd, st, "the uncertainty cannot be combined");
    if (json) {
        fputs("{\"assigned\": \"formulation\", ", out->f);
        jnum(out->f, "purity", fm.purity, 1);
        jnum(out->f, "u_purity", fm.u_purity, 0);
        jnum(out->f, "mass", fm.m_analyte, 0);
        jnum(out->f, "u_mass", fm.u_m_analyte, 0);
        jnum(out->f, "total", fm.m_total, 0);
        jnum(out->f, "u_total", fm.u_m_total, 0);
        jnum(out->f, "blank", fm.x0, 0);
        jnum(out->f, "u_blank", fm.u_x0, 0);
        jnum(out->f, "factor", fm.factor, 0);
        jnum(out->f, "u_char", uc, 0);
        jnum(out->f, "u_hom", o[9].v, 0);
        jnum(out->f, "u_stab", o[10].v, 0);
        print_assigned(out->f, 1, x, u);
        fputs("}\n", out->f);
    } else {
        fprintf(out->f,
                "formulation (ISO 13528 7.3): x = %s + %s x %s x "
                "%s / %s = %s, u_char %s, u_hom %s, u_stab "
                "%s\n", num_g(fm.x0, 10), num_g(fm.factor, 10), num_g(fm.purity, 10), num_g(fm.m_analyte, 10), num_g(fm.m_total, 10), num_g(xc, 10), num_g(uc, 6), num_g(o[9].v, 6), num_g(o[10].v, 6));
        print_assigned(out->f, 0, x, u);
    }
    return 0;
}

/* 1 when FILE's header has a column d (the differences themselves), 0
 * when not, -(exit code) when it cannot be read. */
static int crm_file_has_d(const char *path)
{
    const pt_csv_field *f;
    char err[1024];
    size_t nf;
    int rc = 0, has;
    pt_csv_status st;
    pt_csv *csv = calc_open(path, &rc);

    if (csv == NULL)
        return -rc;
    st = pt_csv_next(csv, &f, &nf, err, sizeof err);
    has = st == PT_CSV_OK && calc_column(f, nf, "d") >= 0;
    pt_csv_free(csv);
    return has;
}

static int assigned_crm_compare(int argc, char **argv, calc_output *out)
{
    const char *cmd = "assigned crm-compare", *file;
    struct num_opt o[3] = {
        {"--value", 0, 0, 1, 0}, {"--U", 0, 0, 1, 2}, {"--k", 2, 0, 0, 1}};
    struct rounds_data r;
    pt_crm_result res;
    pt_stats_status st = PT_STATS_OK;
    double *d;
    size_t i;
    int json, rc;

    if ((rc = parse_opts(cmd, assigned_help, argc, argv, o, 3, NULL, &file,
                         &json)) != 0)
        return rc;
    if ((rc = crm_file_has_d(file)) < 0)
        return -rc;
    if ((rc = rc ? rounds_read(file, "d", NULL, "item", 0, &r)
                 : rounds_read(file, "pt", "crm", "item", 0, &r)) != 0)
        return rc;
    d = malloc((r.p ? r.p : 1) * sizeof *d);
    if (d == NULL) {
        rounds_free(&r);
        fprintf(stderr, "ptlims: out of memory\n");
        return 2;
    }
    for (i = 0; i < r.p && st == PT_STATS_OK; i++)
        st = pt_stats_d(r.level[i], r.sd[i], &d[i]); /* d alone: d - 0 */
    if (st == PT_STATS_OK)
        st = pt_stats_assigned_crm(d, r.p, o[0].v, o[1].v / o[2].v, &res);
    if (st != PT_STATS_OK) {
        free(d);
        rounds_free(&r);
        return refused(cmd, st, "2 or more PT items measured against the "
                                "CRM are needed");
    }
    if (json) {
        fputs("{\"assigned\": \"crm_compare\", ", out->f);
        jnum(out->f, "value", o[0].v, 1);
        jnum(out->f, "U", o[1].v, 0);
        jnum(out->f, "k", o[2].v, 0);
        fprintf(out->f, ", \"p\": %lu", (unsigned long)r.p);
        jnum(out->f, "d_mean", res.d_mean, 0);
        jnum(out->f, "u_d", res.u_d, 0);
        print_assigned(out->f, 1, res.x, res.u_x);
        fputs(", \"items\": [", out->f);
        for (i = 0; i < r.p; i++) {
            fputs(i ? ", {\"item\": " : "{\"item\": ", out->f);
            json_str(out->f, r.name[i]);
            jnum(out->f, "pt", r.level[i], 0);
            jnum(out->f, "crm", r.sd[i], 0);
            jnum(out->f, "d", d[i], 0);
            fputc('}', out->f);
        }
        fputs("]}\n", out->f);
    } else {
        fprintf(out->f, "%-16s %14s %14s %12s\n", "item", "pt", "crm", "d");
        for (i = 0; i < r.p; i++)
            fprintf(out->f, "%-16s %14s %14s %12s\n", r.name[i], num_g(r.level[i], 10), num_g(r.sd[i], 10), num_g(d[i], 6));
        fprintf(out->f,
                "PT items against the CRM (ISO 13528 7.5, E.5): mean "
                "difference %s, u_d = s_d/sqrt(%lu) = %s, u_CRM = "
                "U/k = %s\n", num_g(res.d_mean, 6), (unsigned long)r.p, num_g(res.u_d, 6), num_g(o[1].v / o[2].v, 6));
        print_assigned(out->f, 0, res.x, res.u_x);
    }
    free(d);
    rounds_free(&r);
    return 0;
}

static int assigned_check(int argc, char **argv, calc_output *out)
{
    const char *cmd = "assigned check";
    struct num_opt o[5] = {
        {"--x", 0, 0, 1, 0},     {"--u-x", 0, 0, 1, 2},
        {"--value", 0, 0, 1, 0}, {"--U", 0, 0, 1, 2},
        {"--k", 2, 0, 0, 1},
    };
    pt_stats_status st;
    double diff, ud, u_ref;
    int json, rc, sig;

    if ((rc = parse_opts(cmd, assigned_help, argc, argv, o, 5, NULL, NULL,
                         &json)) != 0)
        return rc;
    u_ref = o[3].v / o[4].v;
    st = pt_stats_consensus_check(o[0].v, o[1].v, o[2].v, u_ref, &diff, &ud,
                                  &sig);
    if (st != PT_STATS_OK)
        return refused(cmd, st, "the values cannot be compared");
    if (json) {
        fputs("{\"assigned\": \"check\", ", out->f);
        jnum(out->f, "x_star", o[0].v, 1);
        jnum(out->f, "u_x_star", o[1].v, 0);
        jnum(out->f, "x_ref", o[2].v, 0);
        jnum(out->f, "u_ref", u_ref, 0);
        jnum(out->f, "diff", diff, 0);
        jnum(out->f, "u_diff", ud, 0);
        fprintf(out->f, ", \"significant\": %s}\n", sig ? "true" : "false");
    } else {
        fprintf(out->f,
                "x_ref - x* = %s, u = sqrt(u(x*)^2 + u_ref^2) = %s: %s "
                "(|difference| %s 2u = %s; ISO 13528 7.8)\n", num_g(diff, 6), num_g(ud, 6), sig ? "SIGNIFICANT" : "not significant",
                sig ? ">" : "<=", num_g(2.0 * ud, 6));
    }
    return 0;
}

int cmd_assigned(cli *c, int argc, char **argv)
{
    calc_output out;
    int rc;

    (void)c;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(assigned_help, argc < 2 ? stderr : stdout);
        return argc < 2;
    }
    if (cli_wants_help(argc, argv)) {
        fputs(assigned_help, stdout);
        return 0;
    }
    if (calc_output_open(&out) != 0) {
        fprintf(stderr, "ptlims: out of memory\n");
        return 2;
    }
    if (strcmp(argv[1], "crm") == 0 || strcmp(argv[1], "reference") == 0)
        rc = assigned_known(argc - 1, argv + 1, &out, argv[1]);
    else if (strcmp(argv[1], "formulation") == 0)
        rc = assigned_formulation(argc - 1, argv + 1, &out);
    else if (strcmp(argv[1], "crm-compare") == 0)
        rc = assigned_crm_compare(argc - 1, argv + 1, &out);
    else if (strcmp(argv[1], "check") == 0)
        rc = assigned_check(argc - 1, argv + 1, &out);
    else {
        fprintf(stderr,
                "ptlims assigned: unknown way \"%s\": crm, reference, "
                "formulation, crm-compare or check (see ptlims assigned "
                "--help)\n",
                argv[1]);
        rc = 1;
    }
    return calc_output_close(&out, rc);
}
