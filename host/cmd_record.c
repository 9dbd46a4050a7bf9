/*
 * cmd_record.c -- putting a kept record right: ptlims reopen, ptlims
 * amend (round, lab, capa, plan) and ptlims void.  Each change is made by the engine with its reason, sealed and
 * chained in the audit log; the commands only gather the options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* Who makes a change: --by, else the login name. */
static const char *who(const char *by)
{
    const char *u = getenv("USER");
    return by ? by : u && *u ? u : NULL;
}

static const char reopen_help[] =
    "usage: ptlims [--db PATH] reopen ROUND --reason TEXT [--by NAME] "
    "[--json]\n\n"
    "Opens a closed round again so that its results and settings can be put\n"
    "right (correct, amend round).  The reason and who reopened it (--by, "
    "else\n$USER) go into the audit log.  Closing it again needs a fresh\n"
    "evaluation (ptlims evaluate ROUND, then ptlims close ROUND).\n";

int cmd_reopen(cli *c, int argc, char **argv)
{
    const char *round = NULL, *reason = NULL, *by = NULL;
    lims_instance *inst;
    char err[1024];
    lims_status st;
    int i, rc, json = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(reopen_help, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (cli_opt(argc, argv, &i, "--reason", &reason) ||
                 cli_opt(argc, argv, &i, "--by", &by))
            continue;
        else if (argv[i][0] == '-' || round)
            return cli_unknown("reopen", argv[i]);
        else
            round = argv[i];
    }
    if (cli_require("reopen", "ROUND", round, "--reason", reason, NULL))
        return 1;
    if ((rc = cli_open(c, &inst)))
        return rc;
    st = c->core->reopen_round(inst, round, reason, who(by), err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        fputs("{\"round\": ", stdout);
        json_str(stdout, round);
        fputs(", \"status\": \"open\"}\n", stdout);
    } else {
        printf("round %s is open again\n", round);
    }
    return 0;
}

/* The options of `amend round` and `amend lab`, and the field each
 * sets. */
static const struct amend_option {
    const char *option, *field;
    int lab;
} amend_options[] = {
    {"--title", "title", 0},
    {"--provider", "provider", 0},
    {"--opened", "opened", 0},
    {"--closed", "closed", 0},
    {"--reference-lab", "reference_lab", 0},
    {"--assigned", "assigned", 0},
    {"--x-pt", "x_pt", 0},
    {"--u-x-pt", "u_x_pt", 0},
    {"--sigma-pt", "sigma_pt", 0},
    {"--sigma-pt-basis", "sigma_pt_basis", 0},
    {"--matrix", "matrix", 0},
    {"--name", "name", 1},
    {"--name-zh", "name_zh", 1},
    {"--accreditation", "accreditation", 1},
};

#define N_AMEND (sizeof amend_options / sizeof amend_options[0])

static const char amend_help[] =
    "usage: ptlims [--db PATH] amend round ROUND [--measurand M]\n"
    "              [--title T] [--provider P] [--opened D] [--closed D]\n"
    "              [--reference-lab LAB] [--assigned reference|consensus|"
    "fixed]\n"
    "              [--x-pt X] [--u-x-pt U] [--sigma-pt S] "
    "[--sigma-pt-basis B]\n"
    "              [--matrix M] --reason TEXT [--by NAME] [--json]\n"
    "       ptlims [--db PATH] amend lab LAB [--name N] [--name-zh N]\n"
    "              [--accreditation A] --reason TEXT [--by NAME] [--json]\n\n"
    "Changes the settings of an open round (a closed one: ptlims reopen "
    "first)\nor of a laboratory, with the reason and who made the change "
    "(--by, else\n$USER) in the audit log; the earlier values stay in the "
    "chain.  \"\" clears an\noptional setting.  The settings of a measurand "
    "(--assigned to --matrix) need\n--measurand when the round has more "
    "than one.  The same rules hold as for a\nrounds file: assigned fixed "
    "needs x_pt and u_x_pt, reference needs a\nreference laboratory.  A "
    "round amended after its evaluation must be\nevaluated again before it "
    "is closed.\n";

static void json_changes(const char *const *fields,
                         const char *const *values, size_t n)
{
    size_t k;

    fputs(", \"changes\": {", stdout);
    for (k = 0; k < n; k++) {
        printf("%s", k ? ", " : "");
        json_str(stdout, fields[k]);
        fputs(": ", stdout);
        if (*values[k])
            json_str(stdout, values[k]);
        else
            fputs("null", stdout);
    }
    fputs("}}\n", stdout);
}

static const char amend_entry_help[] =
    "usage: ptlims [--db PATH] amend capa ID [--trigger T] [--root-cause T]\n"
    "              [--action T] [--owner N] [--opened D] [--due D] "
    "[--closed D]\n"
    "              [--verified-by N] [--car-no T] [--impact T]\n"
    "              [--effectiveness T] [--effective-on D]\n"
    "              [--effective effective|\"not effective\"]\n"
    "              --reason TEXT [--by NAME] [--json]\n"
    "       ptlims [--db PATH] amend plan ID [--lab L] [--scheme S] "
    "[--technique T]\n"
    "              [--property P] [--product P] [--measurand M] "
    "[--method M]\n"
    "              [--risk low|medium|high] [--per-year N] [--from YYYY] "
    "[--to YYYY]\n"
    "              [--note T] --reason TEXT [--by NAME] [--json]\n\n"
    "Changes fields of a corrective action or a plan row (ID as ptlims capa\n"
    "list and ptlims plan list show it).  Each --name is the column of a "
    "capa or\nplan file (--root-cause: root_cause); \"\" clears an optional "
    "field.  The\nold and the new text, the reason and who (--by, else "
    "$USER) go into the\naudit log.  The rules of a capa or plan file "
    "hold.\n";

/* amend capa|plan ID --field-name VALUE …: every option other than
 * --reason, --by and --json names a field (dashes for underscores), so a
 * field the engine adds needs no code here. */
static int amend_entry(cli *c, int argc, char **argv)
{
    const char **fields, **values;
    char **names;
    lims_amendment a;
    lims_instance *inst;
    char err[1024];
    lims_status st;
    size_t k, n = 0;
    int i, rc = 1, json = 0;
    const char *what = argv[1];

    fields = calloc((size_t)argc, sizeof *fields);
    values = calloc((size_t)argc, sizeof *values);
    names = calloc((size_t)argc, sizeof *names);
    if (!fields || !values || !names) {
        fprintf(stderr, "ptlims amend: out of memory\n");
        goto out;
    }
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.what = what;
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (cli_opt(argc, argv, &i, "--reason", &a.reason) ||
                   cli_opt(argc, argv, &i, "--by", &a.by)) {
            continue;
        } else if (strncmp(argv[i], "--", 2) == 0 && argv[i][2]) {
            const char *eq = strchr(argv[i], '=');
            size_t len = eq ? (size_t)(eq - argv[i]) - 2 : strlen(argv[i]) - 2;
            if (!eq && i + 1 >= argc) {
                fprintf(stderr, "ptlims amend %s: %s needs a value\n", what,
                        argv[i]);
                goto out;
            }
            if (!(names[n] = malloc(len + 1))) {
                fprintf(stderr, "ptlims amend: out of memory\n");
                goto out;
            }
            for (k = 0; k < len; k++)
                names[n][k] = argv[i][2 + k] == '-' ? '_' : argv[i][2 + k];
            names[n][len] = 0;
            fields[n] = names[n];
            values[n++] = eq ? eq + 1 : argv[++i];
        } else if (argv[i][0] == '-' || a.code) {
            rc = cli_unknown(strcmp(what, "capa") == 0 ? "amend capa"
                                                       : "amend plan",
                             argv[i]);
            goto out;
        } else {
            a.code = argv[i];
        }
    }
    if (cli_require(strcmp(what, "capa") == 0 ? "amend capa" : "amend plan",
                    "ID", a.code, "--reason", a.reason, NULL))
        goto out;
    if (!n) {
        fprintf(stderr, "ptlims amend %s: nothing to change (see ptlims "
                        "amend --help)\n",
                what);
        goto out;
    }
    a.fields = fields;
    a.values = values;
    a.n_fields = n;
    a.by = who(a.by);
    if ((rc = cli_open(c, &inst)))
        goto out;
    st = c->core->amend(inst, &a, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK) {
        rc = cli_fail(st, err);
        goto out;
    }
    rc = 0;
    if (json) {
        fputs("{\"amended\": ", stdout);
        json_str(stdout, what);
        fputs(", \"code\": ", stdout);
        json_str(stdout, a.code);
        json_changes(fields, values, n);
    } else {
        printf("%s %s amended:",
               strcmp(what, "capa") == 0 ? "corrective action" : "plan row",
               a.code);
        for (k = 0; k < n; k++)
            printf("%s %s %s", k ? "," : "", fields[k],
                   *values[k] ? values[k] : "(cleared)");
        putchar('\n');
    }
out:
    for (k = 0; names && k < n; k++)
        free(names[k]);
    free(names);
    free(fields);
    free(values);
    return rc;
}

int cmd_amend(cli *c, int argc, char **argv)
{
    const char *fields[N_AMEND], *values[N_AMEND], *v;
    lims_amendment a;
    lims_instance *inst;
    char err[1024];
    lims_status st;
    size_t k, n = 0;
    int i, rc, json = 0, lab;

    if (cli_wants_help(argc, argv)) {
        fputs(amend_help, stdout);
        putchar('\n');
        fputs(amend_entry_help, stdout);
        return 0;
    }
    if (argc >= 2 &&
        (strcmp(argv[1], "capa") == 0 || strcmp(argv[1], "plan") == 0))
        return amend_entry(c, argc, argv);
    if (argc < 2 || (strcmp(argv[1], "round") != 0 &&
                     strcmp(argv[1], "lab") != 0)) {
        fprintf(stderr, "ptlims amend: say what to amend: round, lab, capa "
                        "or plan (see ptlims amend --help)\n");
        return 1;
    }
    lab = strcmp(argv[1], "lab") == 0;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.what = lab ? "laboratory" : "round";
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
            continue;
        }
        if (cli_opt(argc, argv, &i, "--reason", &a.reason) ||
            cli_opt(argc, argv, &i, "--by", &a.by) ||
            (!lab && cli_opt(argc, argv, &i, "--measurand", &a.measurand)))
            continue;
        for (k = 0; k < N_AMEND; k++)
            if (amend_options[k].lab == lab &&
                cli_opt(argc, argv, &i, amend_options[k].option, &v))
                break;
        if (k < N_AMEND) {
            fields[n] = amend_options[k].field;
            values[n++] = v;
        } else if (argv[i][0] == '-' || a.code) {
            return cli_unknown(lab ? "amend lab" : "amend round", argv[i]);
        } else {
            a.code = argv[i];
        }
    }
    if (cli_require(lab ? "amend lab" : "amend round", lab ? "LAB" : "ROUND",
                    a.code, "--reason", a.reason, NULL))
        return 1;
    if (!n) {
        fprintf(stderr, "ptlims amend %s: nothing to change (see ptlims "
                        "amend --help)\n",
                argv[1]);
        return 1;
    }
    a.fields = fields;
    a.values = values;
    a.n_fields = n;
    a.by = who(a.by);
    if ((rc = cli_open(c, &inst)))
        return rc;
    st = c->core->amend(inst, &a, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        fputs("{\"amended\": ", stdout);
        json_str(stdout, lab ? "laboratory" : "round");
        fputs(", \"code\": ", stdout);
        json_str(stdout, a.code);
        json_changes(fields, values, n);
    } else {
        printf("%s %s amended:", lab ? "laboratory" : "round", a.code);
        for (k = 0; k < n; k++)
            printf("%s %s %s", k ? "," : "", fields[k],
                   *values[k] ? values[k] : "(cleared)");
        putchar('\n');
    }
    return 0;
}

static const char void_help[] =
    "usage: ptlims [--db PATH] void round|result|lab|capa|plan CODE... "
    "--reason TEXT\n"
    "              [--by NAME] [--json]\n\n"
    "Marks items recorded by mistake as void: they stay in the record, with "
    "who\nvoided them (--by, else $USER), when and why, and count nowhere "
    "from then\non (evaluation, scores, compare, the workbook, status).  A "
    "round or a\nlaboratory by its code; a result as ROUND/LAB/MEASURAND/ITEM "
    "(ITEM may be\nleft out when it is 1), every version of it; a corrective "
    "action or a plan\nrow by its id.  Every CODE or none: one transaction.  "
    "An item is voided\nonce; a closed round is reopened first; a "
    "laboratory is voided once no\nresult or round that counts names it.  "
    "A round with a voided result is\nevaluated again before it is "
    "closed.\n";

int cmd_void(cli *c, int argc, char **argv)
{
    static const char *const kinds[][2] = {{"round", "round"},
                                           {"result", "result"},
                                           {"lab", "laboratory"},
                                           {"capa", "capa"},
                                           {"plan", "plan"}};
    static const char *const field[] = {"void"};
    static const char *const value[] = {""};
    const char **codes, *reason = NULL, *by = NULL, *kind = NULL;
    lims_amendment a;
    lims_instance *inst;
    char err[1024], terr[256];
    lims_status st = LIMS_OK;
    size_t k, n = 0;
    int i, rc, json = 0;

    if (cli_wants_help(argc, argv)) {
        fputs(void_help, stdout);
        return 0;
    }
    for (k = 0; argc >= 2 && k < sizeof kinds / sizeof kinds[0]; k++)
        if (strcmp(argv[1], kinds[k][0]) == 0)
            kind = kinds[k][1];
    if (!kind) {
        fprintf(stderr, "ptlims void: say what to void: round, result, lab, "
                        "capa or plan (see ptlims void --help)\n");
        return 1;
    }
    if (!(codes = calloc((size_t)argc, sizeof *codes))) {
        fprintf(stderr, "ptlims void: out of memory\n");
        return 2;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (cli_opt(argc, argv, &i, "--reason", &reason) ||
                 cli_opt(argc, argv, &i, "--by", &by))
            continue;
        else if (argv[i][0] == '-') {
            free(codes);
            return cli_unknown("void", argv[i]);
        } else
            codes[n++] = argv[i];
    }
    if (cli_require("void", "CODE", n ? codes[0] : NULL, "--reason", reason,
                    NULL)) {
        free(codes);
        return 1;
    }
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.what = kind;
    a.fields = field;
    a.values = value;
    a.n_fields = 1;
    a.reason = reason;
    a.by = who(by);
    if ((rc = cli_open(c, &inst))) {
        free(codes);
        return rc;
    }
    if (n > 1)
        st = c->core->transaction(inst, LIMS_TX_BEGIN, err, sizeof err);
    for (k = 0; k < n && st == LIMS_OK; k++) {
        a.code = codes[k];
        st = c->core->amend(inst, &a, err, sizeof err);
    }
    if (n > 1)
        c->core->transaction(inst, st == LIMS_OK ? LIMS_TX_COMMIT
                                                 : LIMS_TX_ROLLBACK,
                             st == LIMS_OK ? err : terr,
                             st == LIMS_OK ? sizeof err : sizeof terr);
    c->core->close(inst);
    if (st != LIMS_OK) {
        free(codes);
        return cli_fail(st, err);
    }
    if (json) {
        fputs("{\"void\": ", stdout);
        json_str(stdout, kind);
        fputs(", \"codes\": [", stdout);
        for (k = 0; k < n; k++) {
            fputs(k ? ", " : "", stdout);
            json_str(stdout, codes[k]);
        }
        fputs("], \"reason\": ", stdout);
        json_str(stdout, reason);
        fputs(", \"by\": ", stdout);
        if (a.by)
            json_str(stdout, a.by);
        else
            fputs("null", stdout);
        fputs("}\n", stdout);
    } else {
        for (k = 0; k < n; k++)
            printf("%s %s voided\n", kind, codes[k]);
    }
    free(codes);
    return 0;
}
