/*
 * cmd_look.c -- looking at the record: ptlims rounds, show, results,
 * history, warnings and status.  The engine lists the rows
 * (lims_engine.look); these commands print them as an aligned table, or
 * with --json as an array of objects whose keys are the engine's column
 * names (the same key for the same thing in every list), null for a
 * missing value and numbers as numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "json_hold.h"
#include "pt_csv.h"

/* The rows of one list, kept for the text table's column widths. */
typedef struct rows {
    int json;
    size_t n, cap, ncol;
    char **names; /* ncol */
    char **cells; /* n x ncol, NULL for a missing value */
    int failed;
} rows;

static char *copy(const char *s)
{
    size_t len = strlen(s) + 1;
    char *d = malloc(len);
    if (d)
        memcpy(d, s, len);
    return d;
}

/* The columns that are yes/no: JSON true or false. */
static int is_flag(const char *name)
{
    static const char *const flags[] = {"superseded", "evaluated", "stale",
                                        "near_limit"};
    size_t i;

    for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(name, flags[i]) == 0)
            return 1;
    return 0;
}

static int json_row(rows *t, const lims_cell *c, size_t n)
{
    size_t i;

    printf("%s\n  {", t->n ? "," : "");
    for (i = 0; i < n; i++) {
        printf("%s", i ? ", " : "");
        json_str(stdout, c[i].name);
        fputs(": ", stdout);
        switch (c[i].type) {
        case LIMS_CELL_NULL:
            fputs("null", stdout);
            break;
        case LIMS_CELL_INTEGER:
            if (is_flag(c[i].name))
                fputs(c[i].number != 0 ? "true" : "false", stdout);
            else
                printf("%.0f", c[i].number);
            break;
        case LIMS_CELL_REAL:
            json_num(stdout, c[i].number);
            break;
        default:
            json_str(stdout, c[i].text);
            break;
        }
    }
    putchar('}');
    t->n++;
    return 0;
}

/* A cell as the table shows it: a number as the shortest text that
 * reads back (4520, not 4520.0), a score to two decimals as `scores`
 * prints it; other cells as they are. */
static const char *cell_text(const lims_cell *c, char *buf, size_t len)
{
    if (c->type != LIMS_CELL_REAL)
        return c->text;
    if (strcmp(c->name, "score") == 0) {
        snprintf(buf, len, "%+.2f", c->number);
        return buf;
    }
    return pt_csv_number_text(c->number, 0, buf, len);
}

static int keep_row(void *ctx, const lims_cell *c, size_t n)
{
    rows *t = ctx;
    char num[40];
    size_t i;
    char **grown;

    if (t->json)
        return json_row(t, c, n);
    if (!t->names) {
        t->ncol = n;
        if (!(t->names = calloc(n, sizeof *t->names)))
            return t->failed = 1;
        for (i = 0; i < n; i++)
            if (!(t->names[i] = copy(c[i].name)))
                return t->failed = 1;
    }
    if (n != t->ncol)
        return t->failed = 1;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        grown = realloc(t->cells, t->cap * t->ncol * sizeof *grown);
        if (!grown)
            return t->failed = 1;
        t->cells = grown;
    }
    for (i = 0; i < n; i++) {
        char **cell = &t->cells[t->n * t->ncol + i];
        *cell = NULL;
        if (c[i].type != LIMS_CELL_NULL &&
            !(*cell = copy(cell_text(&c[i], num, sizeof num))))
            return t->failed = 1;
    }
    t->n++;
    return 0;
}

/* Display width of UTF-8 text: code points, wide ones (CJK) as two. */
static size_t width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;

    for (; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE1 && *p <= 0xED ? 2 : 1;
    return w;
}

static void print_table(const rows *t)
{
    size_t *w = calloc(t->ncol ? t->ncol : 1, sizeof *w), r, i, k;

    if (!w)
        return;
    for (i = 0; i < t->ncol; i++) {
        w[i] = width(t->names[i]);
        for (r = 0; r < t->n; r++) {
            const char *s = t->cells[r * t->ncol + i];
            if (s && width(s) > w[i])
                w[i] = width(s);
        }
    }
    for (r = 0; r <= t->n; r++) {
        for (i = 0; i < t->ncol; i++) {
            const char *s = r ? t->cells[(r - 1) * t->ncol + i]
                              : t->names[i];
            if (!s)
                s = "-";
            fputs(s, stdout);
            if (i + 1 < t->ncol)
                for (k = width(s); k < w[i] + 2; k++)
                    putchar(' ');
        }
        putchar('\n');
    }
    free(w);
}

static void free_rows(rows *t)
{
    size_t i;

    for (i = 0; t->names && i < t->ncol; i++)
        free(t->names[i]);
    for (i = 0; i < t->n * t->ncol && t->cells; i++)
        free(t->cells[i]);
    free(t->names);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* List req on inst: a JSON array or a table (`none` when empty).  0 or
 * an exit code. */
static int list(cli *c, lims_instance *inst, const lims_look_request *req,
                int json, const char *none)
{
    rows t;
    char err[1024];
    lims_status st;

    memset(&t, 0, sizeof t);
    t.json = json;
    if (json)
        fputs("[", stdout);
    st = c->core->look(inst, req, keep_row, &t, err, sizeof err);
    if (json)
        fputs(t.n ? "\n]" : "]", stdout);
    if (st == LIMS_OK && t.failed)
        st = LIMS_ERR_NOMEM, snprintf(err, sizeof err, "out of memory");
    if (st == LIMS_OK && !json) {
        if (t.n)
            print_table(&t);
        else
            printf("%s\n", none);
    }
    free_rows(&t);
    return st == LIMS_OK ? 0 : cli_fail(st, err);
}

static const struct look_command {
    const char *name, *what, *help, *none;
    const char *positional; /* sets round (NULL: none) */
} looks[] = {
    {"rounds", "rounds",
     "usage: ptlims [--db PATH] rounds [--scheme S] [--from YYYY-MM-DD]\n"
     "              [--to YYYY-MM-DD] [--status open|closed] [--json]\n\n"
     "Lists the rounds, oldest first, by the day they opened: scheme, type,\n"
     "title, dates, status, reference laboratory, how many laboratories "
     "and\nresults (latest versions), whether the round was evaluated, "
     "whether it was\nvoided (when, by whom, why) and whether that "
     "evaluation is stale (results\nor settings changed since).\n",
     "no rounds", NULL},
    {"results", "results",
     "usage: ptlims [--db PATH] results [--round R] [--lab L] "
     "[--measurand M]\n              [--json]\n\n"
     "Lists every result, every version, as reported (with the item's\n"
     "matrix: its own, else the round's), with the score its\n"
     "verdict is on, the verdict, the conformity with the limit and the\n"
     "warnings.  superseded is 1 (true in JSON) for a version a later one\n"
     "replaced; voided says when, by whom and why a result (or its round)\n"
     "was voided: it counts nowhere.  value and U are in unit, the\n"
     "measurand's canonical unit; value_text is in unit_text, as reported.\n",
     "no results", NULL},
    {"history", "history",
     "usage: ptlims [--db PATH] history [ROUND | --lab L] [--json]\n\n"
     "The audit trail in words, oldest first: every operation that wrote "
     "the\nrecord (imports, evaluations, corrections, amendments, "
     "reopening, closing)\nwith its time and detail; of one round, or of "
     "one laboratory.\n",
     "no history", "round"},
    {"warnings", "warnings",
     "usage: ptlims [--db PATH] warnings [--round R] [--lab L] [--json]\n\n"
     "Lists the warnings recorded with results at import (method scope,\n"
     "replicates ...).\n",
     "no warnings", NULL},
    {"status", "status",
     "usage: ptlims [--db PATH] status [--lab L] [--json]\n\n"
     "What needs attention: open rounds whose evaluation is stale or "
     "missing,\nquestionable or unsatisfactory results without a "
     "corrective action, and\ncorrective actions past their due date.  "
     "Nothing: \"nothing needs attention\".\n",
     "nothing needs attention", NULL},
};

int cmd_look(cli *c, int argc, char **argv)
{
    const struct look_command *lc = NULL;
    lims_look_request req;
    lims_instance *inst;
    size_t k;
    int i, rc, json = 0;

    for (k = 0; k < sizeof looks / sizeof looks[0]; k++)
        if (strcmp(argv[0], looks[k].name) == 0)
            lc = &looks[k];
    if (!lc)
        return 2;
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.what = lc->what;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(lc->help, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (cli_opt(argc, argv, &i, "--round", &req.round) ||
                 cli_opt(argc, argv, &i, "--lab", &req.lab) ||
                 cli_opt(argc, argv, &i, "--measurand", &req.measurand) ||
                 cli_opt(argc, argv, &i, "--scheme", &req.scheme) ||
                 cli_opt(argc, argv, &i, "--from", &req.from) ||
                 cli_opt(argc, argv, &i, "--to", &req.to) ||
                 cli_opt(argc, argv, &i, "--status", &req.status))
            continue;
        else if (lc->positional && argv[i][0] != '-' && !req.round)
            req.round = argv[i];
        else
            return cli_unknown(lc->name, argv[i]);
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    rc = list(c, inst, &req, json, lc->none);
    if (json && !rc)
        putchar('\n');
    c->core->close(inst);
    return rc;
}

static const char show_help[] =
    "usage: ptlims [--db PATH] show ROUND [--json]\n\n"
    "One round whole: its settings (per measurand), its evaluation per\n"
    "measurand and item beside the provider's official values and scores\n"
    "where they are recorded, every result with its score, verdict, warnings "
    "and\ncorrections (every version), and its history.\n";

int cmd_show(cli *c, int argc, char **argv)
{
    static const char *const parts[][3] = {
        {"rounds", "round", ""},
        {"round", "settings", "settings"},
        {"evaluations", "evaluations", "evaluation"},
        {"official", "official", "provider's report (official values)"},
        {"official_scores", "official_scores",
         "provider's report (official scores)"},
        {"results", "results", "results"},
        {"history", "history", "history"}};
    const char *round = NULL;
    lims_look_request req;
    lims_instance *inst;
    size_t k;
    int i, rc = 0, json = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(show_help, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' || round)
            return cli_unknown("show", argv[i]);
        else
            round = argv[i];
    }
    if (cli_require("show", "ROUND", round, NULL))
        return 1;
    if ((rc = cli_open(c, &inst)))
        return rc;
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.round = round;
    if (json)
        fputs("{", stdout);
    for (k = 0; k < sizeof parts / sizeof parts[0] && !rc; k++) {
        req.what = parts[k][0];
        if (json) {
            printf("%s", k ? ",\n " : "");
            json_str(stdout, parts[k][1]);
            fputs(": ", stdout);
        } else if (*parts[k][2]) {
            printf("\n%s\n", parts[k][2]);
        }
        rc = list(c, inst, &req, json, "(none)");
    }
    if (json)
        fputs("}\n", stdout);
    c->core->close(inst);
    return rc;
}

/* The rounds evaluate --all takes one by one. */
typedef struct pending {
    char **codes;
    size_t n, cap;
    int failed;
} pending;

static const lims_cell *cell(const lims_cell *c, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(c[i].name, name) == 0)
            return &c[i];
    return NULL;
}

static int keep_pending(void *ctx, const lims_cell *c, size_t n)
{
    pending *p = ctx;
    const lims_cell *status = cell(c, n, "status"),
                    *results = cell(c, n, "results"),
                    *evaluated = cell(c, n, "evaluated"),
                    *round = cell(c, n, "round");
    char **grown;

    if (!status || !results || !evaluated || !round)
        return p->failed = 1;
    if (results->number <= 0 || (strcmp(status->text, "open") != 0 &&
                                 evaluated->number != 0))
        return 0;
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        if (!(grown = realloc(p->codes, p->cap * sizeof *grown)))
            return p->failed = 1;
        p->codes = grown;
    }
    if (!(p->codes[p->n] = copy(round->text)))
        return p->failed = 1;
    p->n++;
    return 0;
}

int cli_evaluate_each(cli *c, lims_instance *inst, int json)
{
    lims_eval_summary s;
    lims_look_request req;
    pending p;
    char err[1024];
    lims_status st;
    size_t i, done = 0, refused = 0;

    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    st = c->core->evaluate_round(inst, NULL, &s, err, sizeof err);
    if (st == LIMS_OK || cli_exit_code(st) != 1) {
        if (st != LIMS_OK)
            return cli_fail(st, err);
        if (json)
            printf("{\"round\": null, \"groups\": %lu, \"scores\": %lu, "
                   "\"signals\": %lu}",
                   s.groups, s.scores, s.signals);
        else
            printf("all open rounds: %lu groups, %lu scores, %lu signals\n",
                   s.groups, s.scores, s.signals);
        return 0;
    }
    /* one round cannot be evaluated: each on its own, every refusal
     * named */
    memset(&p, 0, sizeof p);
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.what = "rounds";
    st = c->core->look(inst, &req, keep_pending, &p, err, sizeof err);
    if (st == LIMS_OK && p.failed)
        st = LIMS_ERR_NOMEM, snprintf(err, sizeof err, "out of memory");
    for (i = 0; st == LIMS_OK && i < p.n; i++) {
        memset(&s, 0, sizeof s);
        s.size = sizeof s;
        if (c->core->evaluate_round(inst, p.codes[i], &s, err, sizeof err) !=
            LIMS_OK) {
            fprintf(stderr, "ptlims evaluate: %s: %s\n", p.codes[i], err);
            refused++;
            continue;
        }
        if (json) {
            printf("%s{\"round\": ", done ? ",\n " : "");
            json_str(stdout, p.codes[i]);
            printf(", \"groups\": %lu, \"scores\": %lu, \"signals\": %lu}",
                   s.groups, s.scores, s.signals);
        } else {
            printf("%s: %lu groups, %lu scores, %lu signals\n", p.codes[i],
                   s.groups, s.scores, s.signals);
        }
        done++;
    }
    for (i = 0; i < p.n; i++)
        free(p.codes[i]);
    free(p.codes);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (refused) {
        fprintf(stderr,
                "ptlims evaluate: %lu of %lu rounds could not be evaluated\n",
                (unsigned long)refused, (unsigned long)(done + refused));
        json_hold_keep(); /* the rounds evaluated, a whole document */
    }
    return refused ? 1 : 0;
}
