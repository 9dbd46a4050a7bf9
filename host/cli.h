/*
 * cli.h -- what the ptlims subcommands share: the engine, the loaded
 * scheme plug-ins, the services table, option parsing and exit codes.
 */
#ifndef PTLIMS_CLI_H
#define PTLIMS_CLI_H

#include "lims_plugin.h"
#include "loader.h"

typedef struct cli {
    const char *db;
    host_plugins plugins;
    lims_services svc;
    const lims_engine *core; /* the engine (libptlims.so) */
    int may_create; /* the command may create the database (init, import) */
} cli;

/* Open an engine instance on c->db (migrating it; creating it only when
 * c->may_create, else "no database at PATH") and give it every loaded
 * scheme.  0, or an exit code after printing the message. */
int cli_open(cli *c, lims_instance **inst /* OUT */);

/* Option "--name VALUE" or "--name=VALUE" at argv[*i]: 1 and *value when
 * it matches (advancing *i past the value), else 0. */
int cli_opt(int argc, char **argv, int *i, const char *name,
            const char **value);

/* Print the message and return the exit code for st. */
int cli_fail(lims_status st, const char *msg);
int cli_exit_code(lims_status st);
int cli_unknown(const char *cmd, const char *arg);

/* cli_require("report", "--lab", lab, "--out", out, NULL): the pairs of
 * an option's name and its value (NULL or "": not given).  Prints
 * "ptlims report: missing --out (see ptlims report --help)" and returns 1
 * when any is missing, else 0. */
int cli_require(const char *cmd, ...);

/* Keep the engine's warnings from now on (on) or stop keeping them; the
 * ones kept so far are dropped either way.  They still reach stderr. */
void cli_warnings_keep(int on);
/* Drop the warnings kept so far. */
void cli_warnings_clear(void);
/* The warnings kept so far, oldest first: their count, *msg the texts
 * (valid until the next clear). */
size_t cli_warnings(const char *const **msg /* OUT */);

/* Non-zero when argv (a subcommand's) contains --help or -h. */
int cli_wants_help(int argc, char **argv);

int cmd_plugins(cli *c, int argc, char **argv);
int cmd_init(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_evaluate(cli *c, int argc, char **argv);
int cmd_scores(cli *c, int argc, char **argv);
int cmd_report(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);

/* cmd_audit.c: the participation plan and the corrective actions. */
int cmd_plan(cli *c, int argc, char **argv);
int cmd_capa(cli *c, int argc, char **argv);
/* Records DIR/plan.csv and DIR/capa.csv when they exist (the demo).
 * 0, or an exit code after printing the message. */
int cli_audit_fixtures(cli *c, lims_instance *inst, const char *dir);

/* cmd_compare.c: branch versus reference laboratory. */
int cmd_compare(cli *c, int argc, char **argv);
/* Print lab against ref (table or JSON); 0 or an exit code. */
int cli_compare(cli *c, lims_instance *inst, const char *lab,
                const char *ref, const char *measurand, unsigned window,
                int json);

/* cmd_sync.c: multi-site consolidation. */
int cmd_sync(cli *c, int argc, char **argv);

/* cmd_integrity.c: verify the audit log, close a round, correct a result. */
int cmd_verify(cli *c, int argc, char **argv);
int cmd_close(cli *c, int argc, char **argv);
int cmd_correct(cli *c, int argc, char **argv);

/* cmd_record.c: reopen a round; amend a round, a laboratory, a
 * corrective action or a plan row; void an item. */
int cmd_reopen(cli *c, int argc, char **argv);
int cmd_amend(cli *c, int argc, char **argv);
int cmd_void(cli *c, int argc, char **argv);

/* cmd_look.c: rounds, results, history, warnings, status (cmd_look, by
 * argv[0]) and show ROUND. */
int cmd_look(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
/* evaluate --all: every round in one transaction; when one cannot be
 * evaluated, each round on its own, naming each refusal (then 1). */
int cli_evaluate_each(cli *c, lims_instance *inst, int json);

/* cmd_export.c: the record as CSV files (export), and a folder of them
 * read back (import DIR): the folder's .csv files in dependency order
 * (*files: free each and the array; 0, or 1 after a message), and the
 * rounds a rounds file says are closed, evaluated and closed. */
int cmd_export(cli *c, int argc, char **argv);
int cli_dir_files(const char *dir, char ***files, size_t *n);
int cli_close_imported(cli *c, lims_instance *inst, const char *path);

/* cmd_methods.c: the method and limit data with status and source. */
int cmd_methods(cli *c, int argc, char **argv);

#endif /* PTLIMS_CLI_H */
