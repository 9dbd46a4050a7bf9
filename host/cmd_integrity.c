/*
 * cmd_integrity.c -- the ptlims commands that keep the record honest:
 * `verify` (the hash-chained audit log against the data), `close` (a round
 * becomes immutable) and `correct` (a new version of a result, with a
 * reason).  All go through the plug-in ABI (lims_plugin.verify,
 * .close_round, .correct_result).  Exit status 0, 1 (user error, or a
 * broken record for verify) or 2 (internal).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static int usage_text(int argc, char **argv, const char *text)
{
    if (cli_wants_help(argc, argv)) {
        fputs(text, stdout);
        return 0;
    }
    fputs(text, stderr);
    return 1;
}

static const char verify_help[] =
    "usage: ptlims [--db PATH] verify [--expect-head HASH] [--json]\n\n"
    "Recomputes the audit log's SHA-256 hash chain, checks every seal\n"
    "against its audit entry and every part (a round's rounds, measurands,\n"
    "results or evaluations rows, or the laboratories) against its last\n"
    "seal, rebuilds every group's packed results (result_pack) from the\n"
    "result rows, and checks the protecting triggers, every other table\n"
    "and every definition (tables, views, triggers, indexes) against the\n"
    "state the chain recorded last, and the file's structure (PRAGMA\n"
    "integrity_check).  Names the first problem (entry, round, table and\n"
    "row id, or group); every problem is listed as a warning.  Prints the\n"
    "head hash: write it down outside the database.  --expect-head HASH: a\n"
    "head written down earlier must still be in the chain (a rollback to an\n"
    "older copy is found).  A database that does not exist is an error and\n"
    "is not created.  Exit 0 intact, 1 broken, 2 internal error.\n";

int cmd_verify(cli *c, int argc, char **argv)
{
    lims_verify_summary s;
    lims_instance *inst;
    char err[2048] = "";
    const char *expect = NULL;
    lims_status st;
    int json = 0, i, rc;

    if (cli_wants_help(argc, argv))
        return usage_text(argc, argv, verify_help);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!cli_opt(argc, argv, &i, "--expect-head", &expect))
            return cli_unknown("verify", argv[i]);
    }
    if (expect && strlen(expect) >= sizeof s.expect_head) {
        fprintf(stderr, "ptlims verify: --expect-head takes a 64-digit "
                        "hash\n");
        return 1;
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    if (expect)
        memcpy(s.expect_head, expect, strlen(expect) + 1);
    st = c->core->verify(inst, &s, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK && st != LIMS_ERR_STATE)
        return cli_fail(st, err);
    if (json) {
        printf("{\"intact\": %s, \"entries\": %lu, \"rows\": %lu, "
               "\"problems\": %lu, \"head\": ",
               st == LIMS_OK ? "true" : "false", s.entries, s.rows,
               s.problems);
        json_str(stdout, s.head);
        printf(", \"first_problem\": ");
        json_str(stdout, st == LIMS_OK ? NULL : err);
        printf("}\n");
    } else if (st == LIMS_OK) {
        printf("audit log intact: %lu entries, %lu rows match their seals"
               "\nhead %s\n",
               s.entries, s.rows, s.head);
    }
    if (st != LIMS_OK)
        return cli_fail(st, err);
    return 0;
}

static const char close_help[] =
    "usage: ptlims [--db PATH] close ROUND [--json]\n\n"
    "Closes a round: from then on its results, measurands, evaluations and\n"
    "scores cannot change (the database refuses it).  Evaluate first.\n"
    "--json: {\"round\": ROUND, \"status\": \"closed\"}.\n";

int cmd_close(cli *c, int argc, char **argv)
{
    lims_instance *inst;
    const char *round = NULL;
    char err[1024];
    lims_status st;
    int rc, i, json = 0;

    if (cli_wants_help(argc, argv))
        return usage_text(argc, argv, close_help);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' || round)
            return cli_unknown("close", argv[i]);
        else
            round = argv[i];
    }
    if (!round)
        return cli_require("close", "ROUND", NULL, NULL);
    if ((rc = cli_open(c, &inst)))
        return rc;
    st = c->core->close_round(inst, round, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        fputs("{\"round\": ", stdout);
        json_str(stdout, round);
        fputs(", \"status\": \"closed\"}\n", stdout);
    } else {
        printf("round %s is closed\n", round);
    }
    return 0;
}

static const char correct_help[] =
    "usage: ptlims [--db PATH] correct --round R --lab L --measurand M\n"
    "              [--item I] --value V --unit U [--U X [--k K]]\n"
    "              --reason TEXT [--json]\n\n"
    "Records a corrected result as version n+1 of the latest result, with\n"
    "the reason; the earlier versions stay.  What is not given is kept from\n"
    "version n: method, instrument, analyst, test date, remarks, conditions,\n"
    "and U and k while the unit stays the same (a new unit needs --U in\n"
    "it).  The new version is checked and judged against its limit like an\n"
    "imported result.  Evaluation uses the latest version.  Only while the\n"
    "round is open.  --json: {\"round\", \"lab\", \"measurand\", \"item\",\n"
    "\"value_text\", \"unit_text\", \"version\", \"reason\"} of the version "
    "recorded.\n";

int cmd_correct(cli *c, int argc, char **argv)
{
    lims_correction k;
    lims_instance *inst;
    char err[1024];
    unsigned version = 0;
    lims_status st;
    int i, rc, json = 0;

    if (cli_wants_help(argc, argv))
        return usage_text(argc, argv, correct_help);
    memset(&k, 0, sizeof k);
    k.size = sizeof k;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
            continue;
        }
        if (!(cli_opt(argc, argv, &i, "--round", &k.round) ||
              cli_opt(argc, argv, &i, "--lab", &k.lab) ||
              cli_opt(argc, argv, &i, "--measurand", &k.measurand) ||
              cli_opt(argc, argv, &i, "--item", &k.item) ||
              cli_opt(argc, argv, &i, "--value", &k.value) ||
              cli_opt(argc, argv, &i, "--unit", &k.unit) ||
              cli_opt(argc, argv, &i, "--U", &k.U) ||
              cli_opt(argc, argv, &i, "--k", &k.k) ||
              cli_opt(argc, argv, &i, "--reason", &k.reason)))
            return cli_unknown("correct", argv[i]);
    }
    if (cli_require("correct", "--round", k.round, "--lab", k.lab,
                    "--measurand", k.measurand, "--value", k.value, "--unit",
                    k.unit, "--reason", k.reason, NULL))
        return 1;
    if ((rc = cli_open(c, &inst)))
        return rc;
    st = c->core->correct_result(inst, &k, &version, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        fputs("{\"round\": ", stdout);
        json_str(stdout, k.round);
        fputs(", \"lab\": ", stdout);
        json_str(stdout, k.lab);
        fputs(", \"measurand\": ", stdout);
        json_str(stdout, k.measurand);
        fputs(", \"item\": ", stdout);
        json_str(stdout, k.item && *k.item ? k.item : "1");
        fputs(", \"value_text\": ", stdout);
        json_str(stdout, k.value);
        fputs(", \"unit_text\": ", stdout);
        json_str(stdout, k.unit);
        printf(", \"version\": %u, \"reason\": ", version);
        json_str(stdout, k.reason);
        fputs("}\n", stdout);
        return 0;
    }
    printf("%s %s %s item %s: version %u recorded\n", k.round, k.lab,
           k.measurand, k.item && *k.item ? k.item : "1", version);
    return 0;
}
