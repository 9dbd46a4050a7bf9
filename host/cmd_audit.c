/*
 * cmd_audit.c -- the ptlims commands that keep the accreditation record
 * besides the results: the participation plan (`ptlims plan`) and the
 * corrective-action register (`ptlims capa`).  Both go through the plug-in
 * ABI (lims_plugin.plan_add, .plans, .capa_add, .capa_close, .capas) and
 * end up in the audit workbook's "PT plan" and "Corrective actions"
 * sheets.  Exit status 0, 1 (user error, the message names the input) or
 * 2 (internal).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "pt_csv.h"

/* Parses a whole decimal integer in [lo, hi]; 0 on success. */
static int parse_int(const char *opt, const char *s, long lo, long hi,
                     long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "ptlims: %s \"%s\" is not a whole number from %ld "
                        "to %ld\n",
                opt, s, lo, hi);
        return 1;
    }
    *out = v;
    return 0;
}

/* Parses a positive decimal number (a point, never a comma); 0 on success. */
static int parse_rate(const char *opt, const char *s, double *out)
{
    char *end;
    double v;

    if (strspn(s, "0123456789.") != strlen(s) || !*s) {
        fprintf(stderr, "ptlims: %s \"%s\" is not a number such as 1 or "
                        "0.25\n",
                opt, s);
        return 1;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !(v > 0)) {
        fprintf(stderr, "ptlims: %s \"%s\" must be a positive number\n", opt,
                s);
        return 1;
    }
    *out = v;
    return 0;
}

static void json_opt(const char *key, const char *v, int first)
{
    printf("%s\"%s\": ", first ? "" : ", ", key);
    if (v && *v)
        json_str(stdout, v);
    else
        fputs("null", stdout);
}

/* ---- CSV files of plan rows and corrective actions ---- */

/* Records a plan or corrective-action file (kind 'p' or 'c') through
 * lims_plugin.import_csv, which tells the file by its header and checks
 * every cell: the first bad one stops the import with file:line:column
 * and nothing of the file is recorded.  The header is read here first
 * only to refuse a file of another kind.  Returns an exit code. */
static int import_file(cli *c, lims_instance *inst, const char *path,
                       int kind, unsigned long *rows /* OUT */)
{
    const char *want = kind == 'p' ? "per_year" : "root_cause";
    lims_import_summary s;
    pt_csv *csv = NULL;
    const pt_csv_field *f;
    size_t n, i;
    char err[1024];
    pt_csv_status cs;
    lims_status st;

    cs = pt_csv_open(path, &csv, err, sizeof err);
    if (cs == PT_CSV_OK) {
        cs = pt_csv_next(csv, &f, &n, err, sizeof err);
        if (cs == PT_CSV_END) {
            snprintf(err, sizeof err,
                     "%s:1:1: empty file (a header row is needed)", path);
            cs = PT_CSV_ERROR;
        }
    }
    if (cs != PT_CSV_OK) {
        pt_csv_free(csv);
        return cli_fail(cs == PT_CSV_NOMEM ? LIMS_ERR_NOMEM
                        : cs == PT_CSV_IO  ? LIMS_ERR_IO
                                           : LIMS_ERR_INPUT,
                        err);
    }
    for (i = 0; i < n && strcmp(f[i].text, want) != 0; i++)
        ;
    if (i == n) {
        fprintf(stderr, "ptlims: %s:%lu:1: not a %s file (it has no %s "
                        "column)\n",
                path, f[0].line, kind == 'p' ? "plan" : "corrective-action",
                want);
        pt_csv_free(csv);
        return 1;
    }
    pt_csv_free(csv);
    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    st = c->core->import_csv(inst, path, &s, err, sizeof err);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    *rows = s.rows;
    return 0;
}

static void say_recorded(const char *path, unsigned long rows, int kind)
{
    printf("%s: %lu %s recorded\n", path, rows,
           kind == 'p' ? "plan rows" : "corrective actions");
}

int cli_audit_fixtures(cli *c, lims_instance *inst, const char *dir)
{
    char path[4096];
    unsigned long rows;
    FILE *f;
    int rc = 0;

    for (int k = 0; k < 2 && !rc; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, k ? "capa.csv" : "plan.csv");
        if (!(f = fopen(path, "r")))
            continue;
        fclose(f);
        if (!(rc = import_file(c, inst, path, k ? 'c' : 'p', &rows)))
            say_recorded(path, rows, k ? 'c' : 'p');
    }
    return rc;
}

static int import_cmd(cli *c, int argc, char **argv, int kind)
{
    lims_instance *inst;
    unsigned long rows;
    int rc, i, json = 0, n = 0;

    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_unknown(kind == 'p' ? "plan import" : "capa import",
                               argv[i]);
        else
            n++;
    if (!n) {
        fprintf(stderr, "ptlims %s import: give FILE.csv\n",
                kind == 'p' ? "plan" : "capa");
        return 1;
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    if (json)
        fputs("[", stdout);
    for (i = 2, n = 0; i < argc && !rc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        if ((rc = import_file(c, inst, argv[i], kind, &rows)))
            break;
        if (json) {
            printf("%s{\"file\": ", n++ ? ",\n " : "");
            json_str(stdout, argv[i]);
            printf(", \"rows\": %lu}", rows);
        } else {
            say_recorded(argv[i], rows, kind);
        }
    }
    if (json)
        fputs("]\n", stdout);
    c->core->close(inst);
    return rc;
}

/* ---- plan ---- */

static const char plan_help[] =
    "usage: ptlims [--db PATH] plan add --lab LAB --scheme SCHEME\n"
    "              --technique T --property P --product X\n"
    "              --risk low|medium|high --per-year N --from YYYY --to YYYY\n"
    "              [--measurand PREFIX] [--method PREFIX] [--note TEXT]\n"
    "              [--json]\n"
    "       ptlims [--db PATH] plan list [--lab LAB] [--json]\n"
    "       ptlims [--db PATH] plan import [--json] FILE.csv [FILE.csv ...]\n\n"
    "Records the laboratory's proficiency-testing participation plan, one\n"
    "sub-discipline (technique x property x product) at a time, with its\n"
    "risk level and the rounds required a year (0.25: one in four years)\n"
    "over the years FROM to TO.  A round counts towards the row when the\n"
    "laboratory reported in it a result of SCHEME, of a measurand beginning\n"
    "with --measurand and by a method beginning with --method (when given).\n"
    "The audit workbook compares the plan with the rounds taken, year by\n"
    "year, and flags the gaps.\n"
    "import reads rows with the columns lab, scheme, technique, property,\n"
    "product, measurand, method, risk, per_year, from, to, note (any order);\n"
    "the file is one transaction: the first bad row stops the import\n"
    "with its file:line and nothing of the file is recorded.\n"
    "--json: add prints {recorded: \"plan\", id, ...the row}, list an array\n"
    "of rows, import an array of {file, rows} (README \"JSON vocabulary\").\n";

typedef struct list_state {
    int json;
    unsigned long n;
} list_state;

/* A plan row's keys after its id (plan list, plan add). */
static void plan_json(const lims_plan_entry *e)
{
    json_opt("lab", e->lab, 1);
    json_opt("technique", e->technique, 0);
    json_opt("property", e->property, 0);
    json_opt("product", e->product, 0);
    json_opt("scheme", e->scheme, 0);
    json_opt("measurand", e->measurand, 0);
    json_opt("method", e->method, 0);
    json_opt("risk", e->risk, 0);
    printf(", \"per_year\": ");
    json_num(stdout, e->per_year);
    printf(", \"year_from\": %d, \"year_to\": %d, ", e->year_from, e->year_to);
    json_opt("note", e->note, 1);
}

static int print_plan(void *ctx, const lims_plan_entry *e)
{
    list_state *t = ctx;

    if (t->json) {
        printf("%s\n  {\"id\": %lld, ", t->n ? "," : "", e->id);
        plan_json(e);
        putchar('}');
    } else {
        if (t->n == 0)
            printf("%-4s %-8s %-18s %-16s %-14s %-6s %-8s %s\n", "id", "lab",
                   "technique", "property", "product", "risk", "a year",
                   "years");
        printf("%-4lld %-8s %-18s %-16s %-14s %-6s %-8s %d-%d\n", e->id, e->lab,
               e->technique, e->property, e->product, e->risk,
               num_g(e->per_year, 6), e->year_from, e->year_to);
    }
    t->n++;
    return 0;
}

/* The options of `plan list` and `capa list`: --json and --lab.  0, or an
 * exit code after a message. */
static int list_options(int argc, char **argv, const char *cmd,
                        list_state *t, const char **lab)
{
    int i;

    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            t->json = 1;
        else if (!cli_opt(argc, argv, &i, "--lab", lab))
            return cli_unknown(cmd, argv[i]);
    }
    return 0;
}

/* Close a listing: the status of the plug-in's call, the JSON bracket, or
 * "<none>[ for LAB]<hint>" when nothing was listed.  Returns the exit
 * code. */
static int list_done(lims_status st, const char *err, const list_state *t,
                     const char *none, const char *lab, const char *hint)
{
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (t->json)
        fputs(t->n ? "\n]\n" : "]\n", stdout);
    else if (t->n == 0)
        printf("%s%s%s%s\n", none, lab ? " for " : "", lab ? lab : "",
               hint);
    return 0;
}

static int plan_list(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    const char *lab = NULL;
    list_state t = {0, 0};
    char err[1024];
    lims_status st;
    int rc;

    if ((rc = list_options(argc, argv, "plan list", &t, &lab)) ||
        (rc = cli_open(c, &inst)))
        return rc;
    if (t.json)
        fputs("[", stdout);
    st = c->core->plans(inst, lab, print_plan, &t, err, sizeof err);
    c->core->close(inst);
    return list_done(st, err, &t, "no plan recorded", lab,
                     " (ptlims plan add)");
}

static int plan_add(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    lims_plan_entry e;
    const char *per = NULL, *from = NULL, *to = NULL;
    long y0 = 0, y1 = 0;
    long long id = 0;
    char err[1024];
    lims_status st;
    int i, rc, json = 0;

    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!cli_opt(argc, argv, &i, "--lab", &e.lab) &&
                 !cli_opt(argc, argv, &i, "--scheme", &e.scheme) &&
                 !cli_opt(argc, argv, &i, "--technique", &e.technique) &&
                 !cli_opt(argc, argv, &i, "--property", &e.property) &&
                 !cli_opt(argc, argv, &i, "--product", &e.product) &&
                 !cli_opt(argc, argv, &i, "--measurand", &e.measurand) &&
                 !cli_opt(argc, argv, &i, "--method", &e.method) &&
                 !cli_opt(argc, argv, &i, "--risk", &e.risk) &&
                 !cli_opt(argc, argv, &i, "--per-year", &per) &&
                 !cli_opt(argc, argv, &i, "--from", &from) &&
                 !cli_opt(argc, argv, &i, "--to", &to) &&
                 !cli_opt(argc, argv, &i, "--note", &e.note))
            return cli_unknown("plan add", argv[i]);
    if (cli_require("plan add", "--lab", e.lab, "--scheme", e.scheme,
                    "--technique", e.technique, "--property", e.property,
                    "--product", e.product, "--risk", e.risk, "--per-year",
                    per, "--from", from, "--to", to, NULL))
        return 1;
    if (parse_rate("--per-year", per, &e.per_year) ||
        parse_int("--from", from, 1912, 9999, &y0) ||
        parse_int("--to", to, 1912, 9999, &y1))
        return 1;
    e.year_from = (int)y0;
    e.year_to = (int)y1;
    if ((rc = cli_open(c, &inst)))
        return rc;
    st = c->core->plan_add(inst, &e, &id, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        printf("{\"recorded\": \"plan\", \"id\": %lld, ", id);
        plan_json(&e);
        fputs("}\n", stdout);
        return 0;
    }
    printf("plan row %lld: %s %s / %s / %s, %s risk, %s a year, %d-%d\n", id,
           e.lab, e.technique, e.property, e.product, e.risk,
           num_g(e.per_year, 6), e.year_from, e.year_to);
    return 0;
}

int cmd_plan(cli *c, int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(plan_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (strcmp(argv[1], "add") == 0)
        return plan_add(c, argc, argv);
    if (strcmp(argv[1], "list") == 0)
        return plan_list(c, argc, argv);
    if (strcmp(argv[1], "import") == 0)
        return import_cmd(c, argc, argv, 'p');
    fprintf(stderr,
            "ptlims plan: unknown subcommand \"%s\" (add, list, import)\n",
            argv[1]);
    return 1;
}

/* ---- capa ---- */

static const char capa_help[] =
    "usage: ptlims [--db PATH] capa add --round R --lab L --measurand M\n"
    "              [--item I] --root-cause TEXT --action TEXT --owner NAME\n"
    "              --due YYYY-MM-DD [--opened YYYY-MM-DD] [--trigger TEXT]\n"
    "              [--car-no TEXT] [--impact TEXT] [--effectiveness TEXT\n"
    "              --effective-on YYYY-MM-DD --effective effective|\n"
    "              \"not effective\"] [--json]\n"
    "       ptlims [--db PATH] capa add --plan ID --year YYYY [--lab L]\n"
    "              --root-cause TEXT --action TEXT --owner NAME\n"
    "              --due YYYY-MM-DD [the options above] [--json]\n"
    "       ptlims [--db PATH] capa close ID --closed YYYY-MM-DD\n"
    "              --verified-by NAME [--json]\n"
    "       ptlims [--db PATH] capa list [--lab LAB] [--json]\n"
    "       ptlims [--db PATH] capa import [--json] FILE.csv [FILE.csv ...]\n\n"
    "The corrective-action register (ISO/IEC 17025 7.7.3): an action on a\n"
    "scored result, normally a questionable or unsatisfactory one.  The\n"
    "trigger is written from the score unless --trigger is given; --opened\n"
    "defaults to today (UTC).  close records when the action was closed and\n"
    "who verified its effect.  The audit workbook lists every signal with\n"
    "its action and highlights the open, overdue and missing ones.\n"
    "--car-no: the CAR number; --impact: the impact on results already\n"
    "issued; --effectiveness, --effective-on and --effective: the check that\n"
    "the action worked, its date and outcome (given together).  --plan and\n"
    "--year: an action on a gap in the participation plan (plan row ID as\n"
    "ptlims plan list shows it, a year of the cycle that fell short)\n"
    "instead of a result.\n"
    "import reads rows with the columns round, lab, measurand, item,\n"
    "trigger, root_cause, action, owner, opened, due, closed, verified_by,\n"
    "car_no, impact, effectiveness, effective_on, effective, plan,\n"
    "plan_year;\n"
    "a row with closed is recorded and closed.  The file is one transaction:\n"
    "the first bad row stops the import with its file:line and nothing of\n"
    "the file is recorded.\n"
    "--json: add prints {recorded: \"capa\", id, ...the action as recorded},\n"
    "close {id, closed, verified_by}, list an array of actions, import an\n"
    "array of {file, rows}.\n";

/* A corrective action's keys after its id (capa list, capa add). */
static void capa_json(const lims_capa_entry *e)
{
    json_opt("round", e->round, 1);
    json_opt("lab", e->lab, 0);
    json_opt("measurand", e->measurand, 0);
    json_opt("item", e->item, 0);
    json_opt("class", e->verdict, 0);
    json_opt("trigger", e->trigger, 0);
    json_opt("root_cause", e->root_cause, 0);
    json_opt("action", e->action, 0);
    json_opt("owner", e->owner, 0);
    json_opt("opened", e->opened, 0);
    json_opt("due", e->due, 0);
    json_opt("closed", e->closed, 0);
    json_opt("verified_by", e->verified_by, 0);
    json_opt("car_no", e->car_no, 0);
    json_opt("impact", e->impact, 0);
    json_opt("effectiveness", e->effectiveness, 0);
    json_opt("effective_on", e->effective_on, 0);
    json_opt("effective", e->effective, 0);
    if (e->plan_id)
        printf(", \"plan\": %lld, \"plan_year\": %d", e->plan_id,
               e->plan_year);
    else
        fputs(", \"plan\": null, \"plan_year\": null", stdout);
}

/* capa add --json: the action as recorded (trigger and opened filled
 * in by the engine), found by its id. */
typedef struct capa_found {
    long long id;
    int shown;
} capa_found;

static int show_added_capa(void *ctx, const lims_capa_entry *e)
{
    capa_found *f = ctx;

    if (e->id != f->id)
        return 0;
    printf("{\"recorded\": \"capa\", \"id\": %lld, ", e->id);
    capa_json(e);
    fputs("}\n", stdout);
    f->shown = 1;
    return 1;
}

static int print_capa(void *ctx, const lims_capa_entry *e)
{
    list_state *t = ctx;

    if (t->json) {
        printf("%s\n  {\"id\": %lld, ", t->n ? "," : "", e->id);
        capa_json(e);
        putchar('}');
    } else {
        char gap[64];
        if (t->n == 0)
            printf("%-4s %-14s %-8s %-22s %-10s %-10s %-10s %s\n", "id",
                   "round", "lab", "measurand", "owner", "due", "closed",
                   "trigger");
        snprintf(gap, sizeof gap, "plan %lld, %d", e->plan_id, e->plan_year);
        printf("%-4lld %-14s %-8s %-22s %-10s %-10s %-10s %s\n", e->id,
               e->plan_id ? gap : e->round, e->lab,
               e->plan_id ? "-" : e->measurand, e->owner, e->due,
               e->closed ? e->closed : "open", e->trigger);
    }
    t->n++;
    return 0;
}

static int capa_list(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    const char *lab = NULL;
    list_state t = {0, 0};
    char err[1024];
    lims_status st;
    int rc;

    if ((rc = list_options(argc, argv, "capa list", &t, &lab)) ||
        (rc = cli_open(c, &inst)))
        return rc;
    if (t.json)
        fputs("[", stdout);
    st = c->core->capas(inst, lab, print_capa, &t, err, sizeof err);
    c->core->close(inst);
    return list_done(st, err, &t, "no corrective actions recorded", lab, "");
}

static int capa_add(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    lims_capa_entry e;
    long long id = 0;
    const char *plan = NULL, *year = NULL;
    char err[1024];
    lims_status st;
    int i, rc, json = 0;

    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!cli_opt(argc, argv, &i, "--round", &e.round) &&
                 !cli_opt(argc, argv, &i, "--plan", &plan) &&
                 !cli_opt(argc, argv, &i, "--year", &year) &&
                 !cli_opt(argc, argv, &i, "--car-no", &e.car_no) &&
                 !cli_opt(argc, argv, &i, "--impact", &e.impact) &&
                 !cli_opt(argc, argv, &i, "--effectiveness", &e.effectiveness) &&
                 !cli_opt(argc, argv, &i, "--effective-on", &e.effective_on) &&
                 !cli_opt(argc, argv, &i, "--effective", &e.effective) &&
                 !cli_opt(argc, argv, &i, "--lab", &e.lab) &&
                 !cli_opt(argc, argv, &i, "--measurand", &e.measurand) &&
                 !cli_opt(argc, argv, &i, "--item", &e.item) &&
                 !cli_opt(argc, argv, &i, "--trigger", &e.trigger) &&
                 !cli_opt(argc, argv, &i, "--root-cause", &e.root_cause) &&
                 !cli_opt(argc, argv, &i, "--action", &e.action) &&
                 !cli_opt(argc, argv, &i, "--owner", &e.owner) &&
                 !cli_opt(argc, argv, &i, "--opened", &e.opened) &&
                 !cli_opt(argc, argv, &i, "--due", &e.due))
            return cli_unknown("capa add", argv[i]);
    if (plan || year) {
        long v;
        if (cli_require("capa add", "--plan", plan, "--year", year,
                        "--root-cause", e.root_cause, "--action", e.action,
                        "--owner", e.owner, "--due", e.due, NULL))
            return 1;
        if (parse_int("--plan", plan, 1, 2147483647L, &v))
            return 1;
        e.plan_id = v;
        if (parse_int("--year", year, 1912, 9999, &v))
            return 1;
        e.plan_year = (int)v;
    } else if (cli_require("capa add", "--round", e.round, "--lab", e.lab,
                           "--measurand", e.measurand, "--root-cause",
                           e.root_cause, "--action", e.action, "--owner",
                           e.owner, "--due", e.due, NULL)) {
        return 1;
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    st = c->core->capa_add(inst, &e, &id, err, sizeof err);
    if (st == LIMS_OK && json) {
        capa_found f = {id, 0};
        st = c->core->capas(inst, e.lab, show_added_capa, &f, err, sizeof err);
        if (st == LIMS_ERR_CANCELLED && f.shown)
            st = LIMS_OK;
        if (st == LIMS_OK && !f.shown) {
            st = LIMS_ERR_INTERNAL;
            snprintf(err, sizeof err, "capa add: action %lld not listed", id);
        }
    }
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json)
        return 0;
    if (e.plan_id)
        printf("corrective action %lld recorded for plan row %lld, %d, due "
               "%s\n", id, e.plan_id, e.plan_year, e.due);
    else
        printf("corrective action %lld recorded for %s %s %s%s%s, due %s\n",
               id, e.round, e.lab, e.measurand, e.item ? " " : "",
               e.item ? e.item : "", e.due);
    return 0;
}

static int capa_close(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    const char *closed = NULL, *by = NULL, *id_text = NULL;
    long id = 0;
    char err[1024];
    lims_status st;
    int i, rc, json = 0;

    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
            continue;
        }
        if (cli_opt(argc, argv, &i, "--closed", &closed) ||
            cli_opt(argc, argv, &i, "--verified-by", &by))
            continue;
        if (argv[i][0] == '-' || id_text)
            return cli_unknown("capa close", argv[i]);
        id_text = argv[i];
    }
    if (cli_require("capa close", "ID", id_text, "--closed", closed,
                    "--verified-by", by, NULL))
        return 1;
    if (parse_int("corrective action id", id_text, 1, 2147483647L, &id))
        return 1;
    if ((rc = cli_open(c, &inst)))
        return rc;
    st = c->core->capa_close(inst, id, closed, by, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        printf("{\"id\": %ld, ", id);
        json_opt("closed", closed, 1);
        json_opt("verified_by", by, 0);
        fputs("}\n", stdout);
        return 0;
    }
    printf("corrective action %ld closed on %s, verified by %s\n", id, closed,
           by);
    return 0;
}

int cmd_capa(cli *c, int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(capa_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (strcmp(argv[1], "add") == 0)
        return capa_add(c, argc, argv);
    if (strcmp(argv[1], "close") == 0)
        return capa_close(c, argc, argv);
    if (strcmp(argv[1], "list") == 0)
        return capa_list(c, argc, argv);
    if (strcmp(argv[1], "import") == 0)
        return import_cmd(c, argc, argv, 'c');
    fprintf(stderr,
            "ptlims capa: unknown subcommand \"%s\" (add, close, list, "
            "import)\n",
            argv[1]);
    return 1;
}
