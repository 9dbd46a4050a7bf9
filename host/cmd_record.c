/*
 * cmd_record.c -- putting a kept record right: ptlims reopen and ptlims
 * amend.  Each change is made by the engine with its reason, sealed and
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
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "round") != 0 &&
                     strcmp(argv[1], "lab") != 0)) {
        fprintf(stderr, "ptlims amend: say what to amend: round or lab (see "
                        "ptlims amend --help)\n");
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
    } else {
        printf("%s %s amended:", lab ? "laboratory" : "round", a.code);
        for (k = 0; k < n; k++)
            printf("%s %s %s", k ? "," : "", fields[k],
                   *values[k] ? values[k] : "(cleared)");
        putchar('\n');
    }
    return 0;
}
