/*
 * cmd_sync.c -- `ptlims sync`: headquarters consolidates the branches.
 *
 *   ptlims --db branch.db sync export [--since DATE] [--site NAME]
 *                                     --out F.changeset [--json]
 *   ptlims --db hq.db sync apply F.changeset [--all-or-nothing] [--json]
 *
 * The work is done by the plug-in (lims_plugin.sync_export, .sync_apply;
 * plugins/core/pt_sync.c); this file parses options and prints the
 * summary and every conflict, for people or as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static const char sync_help[] =
    "usage: ptlims [--db PATH] sync export [--since YYYY-MM-DD] "
    "[--site NAME]\n"
    "                                 --out FILE.changeset [--json]\n"
    "       ptlims [--db PATH] sync apply FILE.changeset [--all-or-nothing] "
    "[--json]\n\n"
    "Multi-site consolidation (SQLite session changesets).  export writes "
    "this\ndatabase's laboratories, rounds, round measurands, results and "
    "their\nconditions, by natural key (lab code, round code, round x lab x "
    "measurand x\nitem x version), with every void, amendment and reopening "
    "(who, when,\nwhy); --since keeps the rounds opened on or after the "
    "date; --site names\nthis site (default: the database file name).  apply "
    "adds a changeset's\nrecords to this database in one transaction: "
    "records already here and\nidentical are skipped; a record that differs, "
    "or that cannot be added (a\nround closed here), is a conflict: listed, "
    "written to the audit log, and\nthis database keeps its own.  Nothing is "
    "overwritten but by the branch's\nvoids and amendments, applied as void "
    "and amend apply them; one of an\nitem not here refuses the file.  With "
    "--all-or-nothing any conflict\napplies nothing (exit 1).  Evaluations "
    "are not carried: run ptlims\nevaluate after applying.\n";

static int sync_export(cli *c, int argc, char **argv)
{
    lims_sync_request req;
    lims_sync_summary sum;
    lims_instance *inst;
    char err[1024];
    lims_status st;
    int i, json = 0, rc;

    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!cli_opt(argc, argv, &i, "--out", &req.path) &&
                 !cli_opt(argc, argv, &i, "--since", &req.since) &&
                 !cli_opt(argc, argv, &i, "--site", &req.site))
            return cli_unknown("sync export", argv[i]);
    }
    if (!req.path) {
        fprintf(stderr, "ptlims sync export: --out is required\n");
        return 1;
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    memset(&sum, 0, sizeof sum);
    sum.size = sizeof sum;
    st = c->core->sync_export(inst, &req, &sum, err, sizeof err);
    c->core->close(inst);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        printf("{\"file\": ");
        json_str(stdout, req.path);
        printf(", \"site\": ");
        json_str(stdout, sum.site);
        printf(", \"exported_at\": ");
        json_str(stdout, sum.exported_at);
        printf(", \"since\": ");
        if (req.since)
            json_str(stdout, req.since);
        else
            fputs("null", stdout);
        printf(", \"records\": %lu}\n", sum.changes);
    } else {
        printf("wrote %s: %lu records of site %s%s%s\n", req.path, sum.changes,
               sum.site, req.since ? " since " : "",
               req.since ? req.since : "");
    }
    return 0;
}

typedef struct conflicts {
    FILE *json; /* conflicts as JSON objects, or NULL: print for people */
    unsigned long n;
} conflicts;

static int on_conflict(void *ctx, const lims_sync_conflict *k)
{
    conflicts *s = ctx;

    if (!s->json) {
        if (k->column)
            printf("conflict: %s %s: %s here \"%s\", theirs \"%s\" (%s); "
                   "kept ours\n",
                   k->table, k->key, k->column, k->here ? k->here : "NULL",
                   k->theirs ? k->theirs : "NULL", k->reason);
        else
            printf("conflict: %s %s not added: %s\n", k->table, k->key,
                   k->reason);
    } else {
        fprintf(s->json, "%s\n    {\"table\": ", s->n ? "," : "");
        json_str(s->json, k->table);
        fputs(", \"key\": ", s->json);
        json_str(s->json, k->key);
        fputs(", \"column\": ", s->json);
        if (k->column)
            json_str(s->json, k->column);
        else
            fputs("null", s->json);
        fputs(", \"here\": ", s->json);
        if (k->here)
            json_str(s->json, k->here);
        else
            fputs("null", s->json);
        fputs(", \"theirs\": ", s->json);
        if (k->theirs)
            json_str(s->json, k->theirs);
        else
            fputs("null", s->json);
        fputs(", \"reason\": ", s->json);
        json_str(s->json, k->reason);
        fputs("}", s->json);
    }
    s->n++;
    return 0;
}

static int sync_apply(cli *c, int argc, char **argv)
{
    lims_sync_request req;
    lims_sync_summary sum;
    lims_instance *inst;
    conflicts cs = {NULL, 0};
    char err[1024], *buf = NULL;
    size_t len = 0;
    lims_status st;
    int i, json = 0, rc;

    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--all-or-nothing") == 0)
            req.all_or_nothing = 1;
        else if (argv[i][0] == '-' || req.path)
            return cli_unknown("sync apply", argv[i]);
        else
            req.path = argv[i];
    }
    if (!req.path) {
        fputs(sync_help, stderr);
        return 1;
    }
    if (json && !(cs.json = open_memstream(&buf, &len)))
        return cli_fail(LIMS_ERR_NOMEM, "out of memory");
    if ((rc = cli_open(c, &inst))) {
        if (cs.json)
            fclose(cs.json);
        free(buf);
        return rc;
    }
    memset(&sum, 0, sizeof sum);
    sum.size = sizeof sum;
    st = c->core->sync_apply(inst, &req, on_conflict, &cs, &sum, err,
                             sizeof err);
    c->core->close(inst);
    if (cs.json)
        fclose(cs.json);
    if (st != LIMS_OK) {
        free(buf);
        return cli_fail(st, err);
    }
    if (json) {
        printf("{\"file\": ");
        json_str(stdout, req.path);
        printf(", \"site\": ");
        json_str(stdout, sum.site);
        printf(", \"exported_at\": ");
        json_str(stdout, sum.exported_at);
        printf(", \"records\": %lu, \"added\": %lu, \"present\": %lu, "
               "\"conflicting_records\": %lu,\n  \"conflicts\": [%s%s]}\n",
               sum.changes, sum.added, sum.present, sum.conflicts,
               buf ? buf : "", cs.n ? "\n  " : "");
    } else {
        printf("%s from %s (exported %s): %lu records: %lu added, %lu "
               "already here, %lu conflicts\n",
               req.path, sum.site, sum.exported_at, sum.changes, sum.added,
               sum.present, sum.conflicts);
    }
    free(buf);
    return 0;
}

int cmd_sync(cli *c, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(sync_help, stdout);
        return 0;
    }
    if (argc < 2) {
        fputs(sync_help, stderr);
        return 1;
    }
    if (strcmp(argv[1], "export") == 0)
        return sync_export(c, argc, argv);
    if (strcmp(argv[1], "apply") == 0)
        return sync_apply(c, argc, argv);
    fprintf(stderr, "ptlims sync: unknown action \"%s\" (export or apply)\n",
            argv[1]);
    return 1;
}
