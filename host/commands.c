/*
 * commands.c -- the ptlims subcommands that drive the plug-in ABI.
 *
 * Each command parses its own options, prints --help, calls the plug-in
 * through the lims_plugin descriptor and turns the status into an exit
 * code.  Results are printed for people, or as JSON with --json.
 */
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "json.h"
#include "pt_csv.h"

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

int cli_wants_help(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++)
        if (is_help(argv[i]))
            return 1;
    return 0;
}

static int help(const char *text)
{
    fputs(text, stdout);
    return 0;
}

/* --help prints the text and succeeds; missing arguments print it on
 * stderr and fail. */
static int help_or_usage(int argc, char **argv, const char *text)
{
    if (cli_wants_help(argc, argv))
        return help(text);
    fputs(text, stderr);
    return 1;
}

static const char *const condition_kinds[] = {"text", "number", "choice"};

/* Conditions a plug-in declares (none before they were in the ABI). */
static size_t n_conditions(const lims_plugin *d)
{
    return LIMS_HAS_MEMBER(d, lims_plugin, conditions) && d->conditions
               ? d->n_conditions
               : 0;
}

int cmd_plugins(cli *c, int argc, char **argv)
{
    int json = 0, i;
    size_t k, m;

    for (i = 1; i < argc; i++) {
        if (is_help(argv[i]))
            return help("usage: ptlims plugins [--json]\n\n"
                        "Lists the loaded scheme plug-ins: id, version, "
                        "ABI, file and measurands\n(id, canonical unit, "
                        "accepted units, plausible range).\n");
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else
            return cli_unknown("plugins", argv[i]);
    }
    if (json)
        fputs("[", stdout);
    for (k = 0; k < c->plugins.n; k++) {
        const lims_plugin *d = c->plugins.p[k].desc;
        if (json) {
            printf("%s{\"id\": ", k ? ", " : "");
            json_str(stdout, d->id);
            printf(", \"version\": ");
            json_str(stdout, d->version);
            printf(", \"abi\": \"%u.%u\", \"path\": ",
                   (unsigned)LIMS_ABI_MAJOR(d->abi),
                   (unsigned)LIMS_ABI_MINOR(d->abi));
            json_str(stdout, c->plugins.p[k].path);
            printf(", \"name_en\": ");
            json_str(stdout, d->name_en);
            printf(", \"name_zh\": ");
            json_str(stdout, d->name_zh);
            printf(", \"measurands\": [");
            for (m = 0; m < d->n_measurands; m++) {
                const lims_measurand *x = &d->measurands[m];
                printf("%s{\"id\": ", m ? ", " : "");
                json_str(stdout, x->id);
                printf(", \"unit\": ");
                json_str(stdout, x->unit);
                printf(", \"units\": ");
                json_str(stdout, x->units);
                printf(", \"min\": ");
                json_num(stdout, x->min);
                printf(", \"max\": ");
                json_num(stdout, x->max);
                printf("}");
            }
            printf("], \"conditions\": [");
            for (m = 0; m < n_conditions(d); m++) {
                const lims_condition *x = &d->conditions[m];
                printf("%s{\"name\": ", m ? ", " : "");
                json_str(stdout, x->name);
                printf(", \"kind\": \"%s\", \"name_en\": ",
                       condition_kinds[x->kind <= 2 ? x->kind : 0]);
                json_str(stdout, x->name_en);
                printf(", \"choices\": ");
                json_str(stdout, x->choices);
                printf("}");
            }
            printf("]}");
            continue;
        }
        printf("%s %s (ABI %u.%u) %s\n  %s\n  %s\n", d->id, d->version,
               (unsigned)LIMS_ABI_MAJOR(d->abi),
               (unsigned)LIMS_ABI_MINOR(d->abi), c->plugins.p[k].path,
               d->name_en, d->name_zh);
        for (m = 0; m < d->n_measurands; m++)
            printf("    %-22s %-6s accepts %s; range %s to %s\n",
                   d->measurands[m].id, d->measurands[m].unit,
                   d->measurands[m].units, num_g(d->measurands[m].min, 6),
                   num_g(d->measurands[m].max, 6));
        if (n_conditions(d))
            printf("  conditions (extra results columns):\n");
        for (m = 0; m < n_conditions(d); m++)
            printf("    %-22s %s%s%s\n", d->conditions[m].name,
                   d->conditions[m].name_en,
                   d->conditions[m].choices ? ": " : "",
                   d->conditions[m].choices ? d->conditions[m].choices : "");
    }
    if (json)
        fputs("]\n", stdout);
    return 0;
}

int cmd_init(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    int rc;

    if (cli_wants_help(argc, argv))
        return help("usage: ptlims [--db PATH] init [--json]\n\n"
                    "Creates the database, or migrates it to this version's "
                    "schema.\nA database made by a newer ptlims is "
                    "refused.\n");
    if (argc > 1 && (argc > 2 || strcmp(argv[1], "--json") != 0))
        return cli_unknown("init", argv[argc > 2 ? 2 : 1]);
    if ((rc = cli_open(c, &inst)))
        return rc;
    c->core->close(inst);
    if (argc > 1) {
        fputs("{\"database\": ", stdout);
        json_str(stdout, c->db);
        fputs(", \"ready\": true}\n", stdout);
    } else {
        printf("database %s is ready\n", c->db);
    }
    return 0;
}

/* ", "warnings": [...]" of the warnings kept since the last clear. */
static void json_warnings(void)
{
    const char *const *msg;
    size_t i, n = cli_warnings(&msg);

    fputs(", \"warnings\": [", stdout);
    for (i = 0; i < n; i++) {
        fputs(i ? ", " : "", stdout);
        json_str(stdout, msg[i]);
    }
    fputs("]", stdout);
    cli_warnings_clear();
}

/* json: one JSON object per file, comma separated, instead of a line. */
static int import_files(cli *c, lims_instance *inst, int n, char **files,
                        int json)
{
    lims_import_summary s;
    char err[1024];
    lims_status st;
    int i;

    for (i = 0; i < n; i++) {
        memset(&s, 0, sizeof s);
        s.size = sizeof s;
        st = c->core->import_csv(inst, files[i], &s, err, sizeof err);
        if (st != LIMS_OK)
            return cli_fail(st, err);
        if (json) {
            printf("%s{\"file\": ", i ? ",\n " : "");
            json_str(stdout, files[i]);
            printf(", \"dry_run\": false, \"rows\": %lu, \"laboratories\": "
                   "%lu, \"rounds\": %lu, \"results\": %lu, \"already\": %lu",
                   s.rows, s.laboratories, s.rounds, s.results, s.already);
            json_warnings();
            putchar('}');
        } else if (s.already && s.already == s.rows) {
            printf("%s: already recorded (%lu rows)\n", files[i], s.rows);
        } else {
            printf("%s: %lu rows: %lu laboratories, %lu rounds, %lu "
                   "results\n",
                   files[i], s.rows, s.laboratories, s.rounds, s.results);
        }
    }
    return 0;
}

static const char import_help[] =
    "usage: ptlims [--db PATH] import [--dry-run] [--json] FILE.csv|DIR "
    "[...]\n\n"
    "Imports laboratories, rounds or results (told by the columns; see "
    "README).\nEach file is one transaction: a bad row names "
    "file:line:column and nothing\nof that file is written.  Files are "
    "imported in order.  --json: a JSON array\nwith one object per file "
    "imported; nothing on stdout when a file fails.\n--dry-run checks every "
    "file as an import would, in order, names each refusal,\nsays what "
    "would be added and writes nothing (the database must exist).\n"
    "A file whose rows are all recorded already, as they are, says so and\n"
    "writes nothing.  DIR: its .csv files in the order they depend on\n"
    "(laboratories, rounds, results, plan, corrective actions; by name\n"
    "within a kind), all in one transaction; a round its rounds file says\n"
    "is closed is evaluated and closed at the end (ptlims export writes\n"
    "such a folder).\n";

/* --dry-run: every file imported inside one transaction that is rolled
 * back, each refusal named; the counts say what would be added. */
static int import_dry_run(cli *c, lims_instance *inst, int n, char **files,
                          int json)
{
    lims_import_summary s;
    char err[1024];
    lims_status st;
    int i, done = 0, bad = 0;

    if ((st = c->core->transaction(inst, LIMS_TX_BEGIN, err, sizeof err)))
        return cli_fail(st, err);
    for (i = 0; i < n; i++) {
        memset(&s, 0, sizeof s);
        s.size = sizeof s;
        st = c->core->import_csv(inst, files[i], &s, err, sizeof err);
        if (st != LIMS_OK) {
            fprintf(stderr, "ptlims: %s\n", err);
            cli_warnings_clear();
            bad++;
            continue;
        }
        if (json) {
            printf("%s{\"file\": ", done ? ",\n " : "");
            json_str(stdout, files[i]);
            printf(", \"dry_run\": true, \"rows\": %lu, \"laboratories\": "
                   "%lu, \"rounds\": %lu, \"results\": %lu, \"already\": "
                   "%lu",
                   s.rows, s.laboratories, s.rounds, s.results, s.already);
            json_warnings();
            putchar('}');
        } else if (s.already && s.already == s.rows) {
            printf("%s: already recorded (%lu rows)\n", files[i], s.rows);
        } else {
            printf("%s: %lu rows: would add %lu laboratories, %lu rounds, "
                   "%lu results\n",
                   files[i], s.rows, s.laboratories, s.rounds, s.results);
        }
        done++;
    }
    st = c->core->transaction(inst, LIMS_TX_ROLLBACK, err, sizeof err);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (!json)
        printf("dry run: nothing was written%s\n",
               bad ? "; the files named above would be refused" : "");
    return bad ? 1 : 0;
}

/* The files to import: each argument, a folder's .csv files in
 * dependency order in its place.  *dirs: a folder was given.  0, or an
 * exit code after a message. */
static int expand(int n, char **args, char ***files, size_t *nf, int *dirs)
{
    struct stat st;
    char **v = NULL, **d, **grown;
    size_t cap = 0, nd, k;
    int i;

    *nf = 0;
    *dirs = 0;
    for (i = 0; i < n; i++) {
        d = &args[i];
        nd = 1;
        if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (cli_dir_files(args[i], &d, &nd))
                goto fail;
            *dirs = 1;
        }
        if (*nf + nd > cap) {
            cap = 2 * (*nf + nd);
            if (!(grown = realloc(v, cap * sizeof *v)))
                goto fail;
            v = grown;
        }
        for (k = 0; k < nd; k++)
            v[(*nf)++] = d == &args[i] ? strdup(args[i]) : d[k];
        if (d != &args[i])
            free(d);
        if (!v[*nf - 1])
            goto fail;
    }
    *files = v;
    return 0;
fail:
    for (k = 0; k < *nf; k++)
        free(v[k]);
    free(v);
    return 1;
}

int cmd_import(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    char **files = NULL, err[1024];
    size_t nf = 0, k;
    int rc, i, n = 0, json = 0, dry = 0, dirs = 0;
    lims_status st;

    if (cli_wants_help(argc, argv))
        return help_or_usage(argc, argv, import_help);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_unknown("import", argv[i]);
        else
            argv[1 + n++] = argv[i]; /* the files, in order */
    }
    if (n == 0)
        return cli_require("import", "FILE.csv", NULL, NULL);
    if (expand(n, argv + 1, &files, &nf, &dirs))
        return 1;
    if (dry)
        c->may_create = 0;
    if ((rc = cli_open(c, &inst)))
        goto out;
    /* a folder: its files in one transaction */
    if (dirs && !dry &&
        (st = c->core->transaction(inst, LIMS_TX_BEGIN, err, sizeof err))) {
        c->core->close(inst);
        rc = cli_fail(st, err);
        goto out;
    }
    cli_warnings_keep(json);
    if (json)
        fputs("[", stdout);
    rc = dry ? import_dry_run(c, inst, (int)nf, files, json)
             : import_files(c, inst, (int)nf, files, json);
    for (k = 0; dirs && !dry && !rc && k < nf; k++)
        rc = cli_close_imported(c, inst, files[k]);
    if (dirs && !dry) {
        st = c->core->transaction(inst, rc ? LIMS_TX_ROLLBACK
                                           : LIMS_TX_COMMIT,
                                  err, sizeof err);
        if (st != LIMS_OK && !rc)
            rc = cli_fail(st, err);
    }
    if (json)
        fputs("]\n", stdout);
    c->core->close(inst);
out:
    for (k = 0; k < nf; k++)
        free(files[k]);
    free(files);
    return rc;
}

/* json: a JSON object instead of a line. */
static int evaluate(cli *c, lims_instance *inst, const char *round,
                    int json)
{
    lims_eval_summary s;
    char err[1024];
    lims_status st;

    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    st = c->core->evaluate_round(inst, round, &s, err, sizeof err);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        fputs("{\"round\": ", stdout);
        if (round)
            json_str(stdout, round);
        else
            fputs("null", stdout);
        printf(", \"groups\": %lu, \"scores\": %lu, \"signals\": %lu}",
               s.groups, s.scores, s.signals);
    } else {
        printf("%s: %lu groups, %lu scores, %lu signals\n",
               round ? round : "all open rounds", s.groups, s.scores,
               s.signals);
    }
    return 0;
}

static const char evaluate_help[] =
    "usage: ptlims [--db PATH] evaluate [--json] ROUND [ROUND ...] | --all\n"
    "\n"
    "Computes the assigned value and sigma_pt of each measurand and item of "
    "the\nround(s) and stores them, replacing an earlier evaluation; the "
    "scores follow\nfrom them (the view score).\n--all evaluates every "
    "open round that has results (round null in JSON), and a round that\n"
    "arrived closed without an evaluation; when one of them cannot be\n"
    "evaluated, each is evaluated on its own: every round that cannot be\n"
    "is named and the others are evaluated (exit status 1 at the end).\n"
    "--json: a JSON array, one object per round evaluated.\n";

int cmd_evaluate(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    int rc = 0, i, all = 0, n = 0, json = 0;

    if (cli_wants_help(argc, argv))
        return help_or_usage(argc, argv, evaluate_help);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0)
            all = 1;
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-')
            return cli_unknown("evaluate", argv[i]);
        else
            n++;
    }
    if (all && n) {
        fprintf(stderr, "ptlims evaluate: give rounds or --all, not both\n");
        return 1;
    }
    if (!all && !n)
        return cli_require("evaluate", "ROUND or --all", NULL, NULL);
    if ((rc = cli_open(c, &inst)))
        return rc;
    if (json)
        fputs("[", stdout);
    if (all)
        rc = cli_evaluate_each(c, inst, json);
    for (i = 1, n = 0; !all && i < argc && !rc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        if (json && n++)
            fputs(",\n ", stdout);
        rc = evaluate(c, inst, argv[i], json);
    }
    if (json)
        fputs("]\n", stdout);
    c->core->close(inst);
    return rc;
}

typedef struct table {
    int json;
    unsigned long n;
    unsigned long signals;
    const host_plugins *plugins; /* for the canonical units */
} table;

/* The canonical unit of a scheme's measurand, "" when not loaded. */
static const char *canonical_unit(const host_plugins *hp, const char *scheme,
                                  const char *measurand)
{
    size_t k, m;

    for (k = 0; hp && k < hp->n; k++) {
        const lims_plugin *d = hp->p[k].desc;
        if (strcmp(d->id, scheme) != 0)
            continue;
        for (m = 0; m < d->n_measurands; m++)
            if (strcmp(d->measurands[m].id, measurand) == 0)
                return d->measurands[m].unit;
    }
    return "";
}

/* The canonical unit of a score row: the engine's, else the loaded
 * scheme's; "" when neither knows it. */
static const char *score_unit(const host_plugins *hp,
                              const lims_score_row *r)
{
    if (LIMS_HAS_MEMBER(r, lims_score_row, canonical_unit) &&
        r->canonical_unit && *r->canonical_unit)
        return r->canonical_unit;
    return canonical_unit(hp, r->scheme, r->measurand);
}

/* Decimals of a number as written ("4.50" 2, "4483" 0, "1e3" -1: not
 * plain). */
static int decimals_of(const char *text)
{
    const char *dot = strchr(text, '.');
    size_t n = 0;

    if (strpbrk(text, "eE"))
        return -1;
    if (!dot)
        return 0;
    while (dot[1 + n] >= '0' && dot[1 + n] <= '9')
        n++;
    return (int)n;
}

/* The decimals that show the canonical value with the resolution of the
 * reported text: the text's own in the canonical unit, shifted by the
 * unit's power of ten otherwise (0.45 % m/m is 4500 mg/kg: 0 decimals);
 * -1 when not known. */
static int canonical_decimals(const lims_score_row *r, const char *unit)
{
    int d = decimals_of(r->value_text);
    double reported = strtod(r->value_text, NULL), shift;

    if (d < 0)
        return -1;
    if (strcmp(r->unit, unit) == 0)
        return d;
    if (!(reported != 0) || !isfinite(r->value) || r->value == 0)
        return -1;
    shift = floor(log10(fabs(r->value / reported)) + 0.5);
    d -= (int)shift;
    return d < 0 ? 0 : d > 12 ? 12 : d;
}

static void score_text(const lims_score_row *r, char *buf, size_t len)
{
    double v = NAN;
    if (strcmp(r->primary, "En") == 0)
        v = r->En;
    else if (strcmp(r->primary, "z") == 0)
        v = r->z;
    else if (strcmp(r->primary, "z'") == 0)
        v = r->z_prime;
    else if (strcmp(r->primary, "zeta") == 0)
        v = r->zeta;
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%s = %+.2f", r->primary, v);
}

/* The row scores a version of its result that a later one replaced. */
static int superseded(const lims_score_row *r)
{
    return LIMS_HAS_MEMBER(r, lims_score_row, latest_unit) &&
           r->latest_version > r->version;
}

static int print_row(void *ctx, const lims_score_row *r)
{
    table *t = ctx;
    char score[32];

    if (strcmp(r->verdict, "questionable") == 0 ||
        strcmp(r->verdict, "unsatisfactory") == 0)
        t->signals++;
    if (t->json) {
        printf("%s\n  {\"round\": ", t->n ? "," : "");
        json_str(stdout, r->round);
        printf(", \"scheme\": ");
        json_str(stdout, r->scheme);
        printf(", \"measurand\": ");
        json_str(stdout, r->measurand);
        printf(", \"item\": ");
        json_str(stdout, r->item);
        printf(", \"lab\": ");
        json_str(stdout, r->lab);
        printf(", \"value_text\": ");
        json_str(stdout, r->value_text);
        printf(", \"unit_text\": ");
        json_str(stdout, r->unit);
        printf(", \"value\": ");
        json_num(stdout, r->value);
        printf(", \"unit\": ");
        json_str(stdout, score_unit(t->plugins, r));
        printf(", \"x_pt\": ");
        json_num(stdout, r->x_pt);
        printf(", \"u_x_pt\": ");
        json_num(stdout, r->u_x_pt);
        printf(", \"sigma_pt\": ");
        json_num(stdout, r->sigma_pt);
        printf(", \"assigned\": ");
        json_str(stdout, r->assigned);
        printf(", \"D\": ");
        json_num(stdout, r->D);
        printf(", \"D_pct\": ");
        json_num(stdout, r->D_pct);
        printf(", \"z\": ");
        json_num(stdout, r->z);
        printf(", \"z_prime\": ");
        json_num(stdout, r->z_prime);
        printf(", \"zeta\": ");
        json_num(stdout, r->zeta);
        printf(", \"En\": ");
        json_num(stdout, r->En);
        printf(", \"scored_by\": ");
        json_str(stdout,
                 strcmp(r->primary, "z'") == 0 ? "z_prime" : r->primary);
        printf(", \"class\": ");
        json_str(stdout, r->verdict);
        printf(", \"conformity\": ");
        json_str(stdout, r->conformity);
        printf(", \"limit\": ");
        json_num(stdout, r->limit);
        printf(", \"near_limit\": %s", r->near_limit ? "true" : "false");
        printf(", \"version\": %u, \"superseded\": %s", r->version,
               superseded(r) ? "true" : "false");
        printf(", \"latest_value_text\": ");
        json_str(stdout, superseded(r) ? r->latest_value_text : r->value_text);
        printf("}");
    } else {
        const char *unit = score_unit(t->plugins, r);
        int places;

        if (!*unit)
            unit = r->unit;
        places = canonical_decimals(r, unit);
        if (t->n == 0)
            printf("%-14s %-8s %-22s %-8s %12s %12s %-8s %-12s %-15s %s\n",
                   "round", "lab", "measurand", "item", "result", "x_pt",
                   "unit", "score", "verdict", "limit");
        score_text(r, score, sizeof score);
        /* the result and x_pt in the canonical unit, to the result's
         * resolution; a consensus x_pt one decimal finer */
        printf("%-14s %-8s %-22s %-8s %12s %12s %-8s %-12s %-15s %s%s",
               r->round, r->lab, r->measurand, r->item,
               num_places(r->value, places),
               num_places(r->x_pt,
                          places < 0                              ? -1
                          : strcmp(r->assigned, "consensus") == 0 ? places + 1
                                                                  : places),
               unit, score, r->verdict,
               strcmp(r->conformity, "not assessed") == 0 ? "-" : r->conformity,
               r->near_limit ? " (near the limit)" : "");
        if (strcmp(r->unit, unit) != 0)
            printf(" (reported %s %s)", r->value_text, r->unit);
        putchar('\n');
        if (superseded(r))
            printf("%-14s %-8s   superseded: version %u is %s %s; the score "
                   "above is of version %u until the round is evaluated "
                   "again\n",
                   "", "", r->latest_version, r->latest_value_text,
                   r->latest_unit, r->version);
    }
    t->n++;
    return 0;
}

static int list_scores(cli *c, lims_instance *inst, const char *lab,
                       int json)
{
    table t = {json, 0, 0, &c->plugins};
    char err[1024];
    lims_status st;

    if (json)
        fputs("[", stdout);
    st = c->core->scores(inst, lab, print_row, &t, err, sizeof err);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json)
        fputs(t.n ? "\n]\n" : "]\n", stdout);
    else if (t.n == 0)
        printf("no scores%s%s (import and evaluate rounds first)\n",
               lab ? " for " : "", lab ? lab : "");
    else
        printf("%lu scores, %lu signals (questionable or "
               "unsatisfactory)\n",
               t.n, t.signals);
    return 0;
}

int cmd_scores(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    const char *lab = NULL;
    int json = 0, i, rc;

    for (i = 1; i < argc; i++) {
        if (is_help(argv[i]))
            return help("usage: ptlims [--db PATH] scores [--lab LAB] "
                        "[--json]\n\n"
                        "Lists the stored scores (of one laboratory with "
                        "--lab), oldest round first.\nJSON: README \"JSON "
                        "vocabulary\"; a score that does not apply is "
                        "null.\n");
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!cli_opt(argc, argv, &i, "--lab", &lab))
            return cli_unknown("scores", argv[i]);
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    rc = list_scores(c, inst, lab, json);
    c->core->close(inst);
    return rc;
}

/* The workbook date: --date, else $SOURCE_DATE_EPOCH, else NULL (now). */
static const char *report_date(const char *given, char *buf, size_t len)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t;
    struct tm tm;

    if (given)
        return given;
    if (!sde || !*sde)
        return NULL;
    t = (time_t)strtoll(sde, NULL, 10);
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

static int write_report(cli *c, lims_instance *inst, lims_report_request *r,
                        int json)
{
    char err[1024];
    lims_status st = c->core->write_report(inst, r, err, sizeof err);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        fputs("{\"file\": ", stdout);
        json_str(stdout, r->out_path);
        fputs(", \"lab\": ", stdout);
        json_str(stdout, r->lab);
        fputs("}\n", stdout);
    } else {
        printf("wrote %s\n", r->out_path);
    }
    return 0;
}

static const char report_help[] =
    "usage: ptlims [--db PATH] report --lab LAB --out FILE.xlsx\n"
    "              [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang zh-TW|en]\n"
    "              [--date YYYY-MM-DDTHH:MM:SS] [--tz ZONE]\n"
    "              [--roc-dates iso|slash|full] [--doc-no TEXT]\n"
    "              [--revision TEXT] [--prepared-by NAME]\n"
    "              [--reviewed-by NAME] [--approved-by NAME]\n"
    "              [--prepared-on D] [--reviewed-on D] [--approved-on D]\n"
    "              [--json]\n\n"
    "Writes the ISO/IEC 17025 clause 7.7 audit workbook for laboratory LAB:\n"
    "the rounds it took part in (opened within the period), every result "
    "with its\nscores, a sheet per round (for at most 100 rounds: the most "
    "recent and those\nwith a questionable or unsatisfactory result).  "
    "Other participants appear by\ncode only.\n--date (or $SOURCE_DATE_EPOCH) fixes the document date: "
    "the same data and\ndate give the same bytes.  --json: {\"file\": ..., "
    "\"lab\": ...} when written.\n"
    "--tz: the laboratory's time zone \"generated at\" is shown in "
    "(Asia/Taipei;\nUTC, another zone name ptlims knows, or +HH:MM).  "
    "--roc-dates: dates written as\ntext as 民國 dates, \"slash\" 114/08/04 "
    "or \"full\" 114年8月4日 (default \"iso\":\n2025-08-04 with the 民國 "
    "year).  --doc-no and --revision: the document's number\nand revision, "
    "in every page footer and on the cover.  --prepared-by,\n--reviewed-by, "
    "--approved-by: the names on the cover sheet (blank lines\nto sign "
    "when not given); --prepared-on, --reviewed-on, --approved-on: their\n"
    "dates (YYYY-MM-DD).  FILE.xlsx.sha256 is written beside the workbook.\n";

int cmd_report(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    lims_report_request r;
    const char *date = NULL, *roc = NULL;
    char buf[32];
    int i, rc, json = 0;

    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    for (i = 1; i < argc; i++) {
        if (is_help(argv[i]))
            return help(report_help);
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!cli_opt(argc, argv, &i, "--lab", &r.lab) &&
            !cli_opt(argc, argv, &i, "--out", &r.out_path) &&
            !cli_opt(argc, argv, &i, "--from", &r.from) &&
            !cli_opt(argc, argv, &i, "--to", &r.to) &&
            !cli_opt(argc, argv, &i, "--lang", &r.lang) &&
            !cli_opt(argc, argv, &i, "--date", &date) &&
            !cli_opt(argc, argv, &i, "--tz", &r.tz) &&
            !cli_opt(argc, argv, &i, "--roc-dates", &roc) &&
            !cli_opt(argc, argv, &i, "--doc-no", &r.document_no) &&
            !cli_opt(argc, argv, &i, "--revision", &r.revision) &&
            !cli_opt(argc, argv, &i, "--prepared-by", &r.prepared_by) &&
            !cli_opt(argc, argv, &i, "--reviewed-by", &r.reviewed_by) &&
            !cli_opt(argc, argv, &i, "--approved-by", &r.approved_by) &&
            !cli_opt(argc, argv, &i, "--prepared-on", &r.prepared_on) &&
            !cli_opt(argc, argv, &i, "--reviewed-on", &r.reviewed_on) &&
            !cli_opt(argc, argv, &i, "--approved-on", &r.approved_on))
            return cli_unknown("report", argv[i]);
    }
    {
        const char *const on[3] = {r.prepared_on, r.reviewed_on,
                                   r.approved_on};
        static const char *const opt[3] = {"--prepared-on", "--reviewed-on",
                                           "--approved-on"};
        for (int k = 0; k < 3; k++)
            if (on[k] && !pt_csv_is_date(on[k])) {
                fprintf(stderr, "ptlims report: %s \"%s\" is not a date "
                                "(write YYYY-MM-DD)\n", opt[k], on[k]);
                return 1;
            }
    }
    if (roc) {
        if (strcmp(roc, "iso") == 0)
            r.roc_dates = 0;
        else if (strcmp(roc, "slash") == 0)
            r.roc_dates = 1;
        else if (strcmp(roc, "full") == 0)
            r.roc_dates = 2;
        else {
            fprintf(stderr, "ptlims report: --roc-dates \"%s\" is not iso, "
                            "slash or full\n", roc);
            return 1;
        }
    }
    if (cli_require("report", "--lab", r.lab, "--out", r.out_path, NULL))
        return 1;
    r.generated_at = report_date(date, buf, sizeof buf);
    if ((rc = cli_open(c, &inst)))
        return rc;
    rc = write_report(c, inst, &r, json);
    c->core->close(inst);
    return rc;
}

static const char demo_help[] =
    "usage: ptlims [--db PATH] demo --fixtures DIR --lab LAB [--ref REFLAB]\n"
    "                           --out FILE.xlsx\n"
    "\n"
    "Creates a new database, imports DIR/laboratories.csv, DIR/rounds*.csv "
    "and\nDIR/results-*.csv, evaluates every round, prints LAB's scores (and its "
    "history\nagainst REFLAB) and writes the audit workbook.  The database "
    "must not exist yet.\nDIR/plan.csv and DIR/capa.csv, when present, are "
    "recorded after the evaluation\n(see ptlims plan --help, ptlims capa "
    "--help).\n";

int cmd_demo(cli *c, int argc, char **argv)
{
    const char *dir = NULL, *lab = NULL, *out = NULL, *ref = NULL;
    lims_instance *inst;
    lims_report_request r;
    char labs[4096], rounds[4096], pattern[4096], buf[32];
    char *first[1] = {labs};
    glob_t g, gr;
    struct stat st;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (is_help(argv[i]))
            return help(demo_help);
        if (!cli_opt(argc, argv, &i, "--fixtures", &dir) &&
            !cli_opt(argc, argv, &i, "--lab", &lab) &&
            !cli_opt(argc, argv, &i, "--ref", &ref) &&
            !cli_opt(argc, argv, &i, "--out", &out))
            return cli_unknown("demo", argv[i]);
    }
    if (cli_require("demo", "--fixtures", dir, "--lab", lab, "--out", out,
                    NULL))
        return 1;
    if (stat(c->db, &st) == 0) {
        fprintf(stderr,
                "ptlims demo: %s already exists; the demo needs a new "
                "database (--db PATH)\n",
                c->db);
        return 1;
    }
    snprintf(labs, sizeof labs, "%s/laboratories.csv", dir);
    snprintf(rounds, sizeof rounds, "%s/rounds*.csv", dir);
    snprintf(pattern, sizeof pattern, "%s/results-*.csv", dir);
    if (glob(rounds, 0, NULL, &gr) != 0 || glob(pattern, 0, NULL, &g) != 0) {
        fprintf(stderr, "ptlims demo: no %s or %s\n", rounds, pattern);
        globfree(&gr);
        return 1;
    }
    if ((rc = cli_open(c, &inst))) {
        globfree(&gr);
        globfree(&g);
        return rc;
    }
    rc = import_files(c, inst, 1, first, 0);
    if (!rc)
        rc = import_files(c, inst, (int)gr.gl_pathc, gr.gl_pathv, 0);
    if (!rc)
        rc = import_files(c, inst, (int)g.gl_pathc, g.gl_pathv, 0);
    globfree(&gr);
    globfree(&g);
    if (!rc)
        rc = evaluate(c, inst, NULL, 0);
    if (!rc)
        rc = cli_audit_fixtures(c, inst, dir);
    if (!rc) {
        printf("\nscores of %s\n", lab);
        rc = list_scores(c, inst, lab, 0);
    }
    if (!rc && ref) {
        printf("\n%s against %s\n", lab, ref);
        rc = cli_compare(c, inst, lab, ref, NULL, 4, 0);
    }
    if (!rc) {
        memset(&r, 0, sizeof r);
        r.size = sizeof r;
        r.lab = lab;
        r.out_path = out;
        r.generated_at = report_date(NULL, buf, sizeof buf);
        putchar('\n');
        rc = write_report(c, inst, &r, 0);
    }
    c->core->close(inst);
    return rc;
}
