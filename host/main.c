/*
 * main.c -- the ptlims command: the reference LIMS host.
 *
 * It loads the scheme plug-ins, opens the engine (libptlims.so, linked)
 * with the host services (logging, cancellation on Ctrl-C, progress),
 * gives it the schemes and drives every part of the ABI: init, import,
 * evaluate, scores, report and the demo.  Exit status: 0
 * success, 1 user error (the message names file:line:column), 2 internal.
 */
#include <gsl/gsl_errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calc.h"
#include "cli.h"
#include "json.h"
#include "json_hold.h"
#include "loader.h"
#include "progress.h"
#include "pt_csv.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* The warnings kept for a command's JSON (cli_warnings_keep). */
static struct {
    int on, lost;
    char **msg;
    size_t n, cap;
} kept;

void cli_warnings_keep(int on)
{
    cli_warnings_clear();
    kept.on = on;
}

void cli_warnings_clear(void)
{
    size_t i;

    for (i = 0; i < kept.n; i++)
        free(kept.msg[i]);
    kept.n = 0;
    kept.lost = 0;
}

size_t cli_warnings(const char *const **msg)
{
    *msg = (const char *const *)kept.msg;
    return kept.n;
}

static void keep_warning(const char *msg)
{
    size_t len = strlen(msg) + 1;
    char **grown, *copy;

    if (kept.n == kept.cap) {
        size_t cap = kept.cap ? 2 * kept.cap : 16;
        if (!(grown = realloc(kept.msg, cap * sizeof *grown))) {
            kept.lost = 1;
            return;
        }
        kept.msg = grown;
        kept.cap = cap;
    }
    if (!(copy = malloc(len))) {
        kept.lost = 1;
        return;
    }
    memcpy(copy, msg, len);
    kept.msg[kept.n++] = copy;
}

/* Messages reach a terminal: control and bidirectional characters in
 * them (from a file's text) are shown escaped.  Warnings are also kept
 * while a command asked for them (import --json). */
static void svc_log(void *host, lims_log_level level, const char *msg)
{
    char shown[2048];

    (void)host;
    if (kept.on && level == LIMS_LOG_WARN)
        keep_warning(msg);
    fprintf(stderr, "ptlims: %s%s\n",
            level >= LIMS_LOG_ERROR  ? "error: "
            : level == LIMS_LOG_WARN ? "warning: "
                                     : "",
            pt_csv_escape(msg, shown, sizeof shown));
}

/* The chain key file (README "Keyed chain"): --chain-key FILE, else
 * $PTLIMS_CHAIN_KEY. */
static const char *chain_key;

static const char *svc_config(void *host, const char *key)
{
    (void)host;
    if (strcmp(key, "chain_key_file") == 0)
        return chain_key && *chain_key ? chain_key
                                       : getenv("PTLIMS_CHAIN_KEY");
    return NULL;
}

static int svc_cancelled(void *host)
{
    (void)host;
    return interrupted;
}

int cli_exit_code(lims_status st)
{
    switch (st) {
    case LIMS_OK:
        return 0;
    case LIMS_ERR_INPUT:
    case LIMS_ERR_IO:
    case LIMS_ERR_STATE:
    case LIMS_ERR_ABI:
    case LIMS_ERR_CANCELLED:
    case LIMS_ERR_UNSUPPORTED:
        return 1;
    default:
        return 2;
    }
}

int cli_fail(lims_status st, const char *msg)
{
    char shown[4096];

    fprintf(stderr, "ptlims: %s\n", pt_csv_escape(msg, shown, sizeof shown));
    return cli_exit_code(st);
}

int cli_open(cli *c, lims_instance **inst)
{
    char err[1024];
    lims_status st;
    size_t i;

    if (!c->may_create && strcmp(c->db, ":memory:") != 0 &&
        strncmp(c->db, "file:", 5) != 0 && access(c->db, F_OK) != 0) {
        fprintf(stderr, "ptlims: no database at %s (ptlims init creates "
                        "one)\n", c->db);
        return 1;
    }
    c->svc.size = sizeof c->svc;
    c->svc.abi = LIMS_ABI_VERSION;
    c->svc.host = &c->plugins;
    c->svc.db_path = c->db;
    c->svc.log = svc_log;
    c->svc.config = svc_config;
    c->svc.cancelled = svc_cancelled;
    c->svc.progress = host_progress_callback();
    c->core = lims_engine_entry_v1();
    st = c->core->open(&c->svc, inst, err, sizeof err);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    for (i = 0; i < c->plugins.n; i++) {
        st = c->core->scheme_add(*inst, c->plugins.p[i].desc, err,
                                 sizeof err);
        if (st != LIMS_OK) {
            c->core->close(*inst);
            *inst = NULL;
            return cli_fail(st, err);
        }
    }
    return 0;
}

/* --name VALUE or --name=VALUE at argv[*i]; advances *i. */
int cli_opt(int argc, char **argv, int *i, const char *name,
            const char **value)
{
    size_t n = strlen(name);
    const char *a = argv[*i];

    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != 0)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "ptlims: %s needs a value\n", name);
        exit(1);
    }
    *value = argv[++*i];
    return 1;
}

int cli_unknown(const char *cmd, const char *arg)
{
    fprintf(stderr, "ptlims %s: unknown option \"%s\" (see ptlims %s --help)\n",
            cmd, arg, cmd);
    return 1;
}

static const struct command {
    const char *name;
    int (*run)(cli *c, int argc, char **argv);
    const char *summary;
    int needs_plugins; /* 0: a calculator, runs without plug-ins */
} commands[] = {
    {"plugins", cmd_plugins, "list the loaded schemes and their measurands", 1},
    {"init", cmd_init, "create or migrate the database", 1},
    {"import", cmd_import, "import laboratories, rounds or results (CSV)", 1},
    {"evaluate", cmd_evaluate, "evaluate a round: assigned values, scores", 1},
    {"scores", cmd_scores, "list the scores", 1},
    {"report", cmd_report, "write the audit workbook (.xlsx)", 1},
    {"demo", cmd_demo, "import the fixtures, evaluate, report", 1},
    {"compare", cmd_compare, "a laboratory against the reference, by round",
     1},
    {"stats", cmd_stats, "robust statistics of a list of results", 0},
    {"score", cmd_score, "z, z', zeta, En of each laboratory's result", 0},
    {"homogeneity", cmd_homogeneity, "ISO 13528 Annex B homogeneity check",
     0},
    {"precision", cmd_precision, "ISO 5725-2 precision of one level", 0},
    {"sigma-pt", cmd_sigma_pt,
     "sigma_pt: Horwitz, precision data, method R and r, earlier rounds", 0},
    {"assigned", cmd_assigned,
     "x_pt and u(x_pt): CRM, reference, formulation, consensus check", 0},
    {"plan", cmd_plan, "record or list the PT participation plan", 1},
    {"capa", cmd_capa, "record, close or list corrective actions", 1},
    {"sync", cmd_sync, "export or apply a multi-site changeset", 1},
    {"verify", cmd_verify, "check the hash-chained audit log against the data",
     1},
    {"close", cmd_close, "close a round: it can no longer change", 1},
    {"correct", cmd_correct, "record a corrected result (new version)", 1},
    {"reopen", cmd_reopen, "open a closed round again, with a reason", 1},
    {"amend", cmd_amend,
     "change a round's, laboratory's, action's or plan row's fields", 1},
    {"void", cmd_void, "mark an item recorded by mistake as void", 1},
    {"export", cmd_export, "write the whole record as CSV files", 1},
    {"rounds", cmd_look, "list the rounds, their status and evaluation", 1},
    {"show", cmd_show, "one round: settings, evaluation, results, history",
     1},
    {"results", cmd_look, "list the results, every version, with scores", 1},
    {"history", cmd_look, "the audit trail in words", 1},
    {"warnings", cmd_look, "list the warnings recorded with results", 1},
    {"status", cmd_look, "what needs attention", 1},
    {"methods", cmd_methods, "the method and limit data, with status and source", 1},
};

/* The commands that may create a new database: the others only read or
 * change a record that must already be there. */
static int is_creating(int argc, char **argv)
{
    static const char *const creating[] = {"init", "import", "demo"};
    size_t k;

    for (k = 0; k < sizeof creating / sizeof creating[0]; k++)
        if (strcmp(argv[0], creating[k]) == 0)
            return 1;
    return strcmp(argv[0], "sync") == 0 && argc > 1 &&
           strcmp(argv[1], "apply") == 0;
}

static void usage(FILE *f)
{
    size_t i;
    fprintf(f,
            "usage: ptlims [--db PATH] [--plugin-dir DIR] COMMAND [ARGS]\n"
            "\n"
            "Proficiency testing for a laboratory's LIMS (ISO 13528).\n"
            "\n"
            "  --db PATH          database file (default $PTLIMS_DB, else\n"
            "                     ./ptlims.db); only init, import, demo and\n"
            "                     sync apply create it\n"
            "  --plugin-dir DIR   look for plug-ins here first, then in\n"
            "                     $PTLIMS_PLUGIN_PATH and %s\n"
            "  --chain-key FILE   key the audit log's chain with the keys\n"
            "                     of FILE (default $PTLIMS_CHAIN_KEY)\n"
            "  --version          print the version\n"
            "\ncommands:\n",
            PTLIMS_PLUGIN_DIR);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nptlims COMMAND --help tells more.  Exit status: 0 ok, 1 "
               "user error, 2 internal error.\n");
}

int main(int argc, char **argv)
{
    cli c;
    const char *plugin_dir = NULL, *v;
    char err[1024];
    int i, rc;
    size_t k;
    struct sigaction sa;
    int held;

    memset(&c, 0, sizeof c);
    c.db = getenv("PTLIMS_DB") && *getenv("PTLIMS_DB") ? getenv("PTLIMS_DB")
                                                       : "ptlims.db";
    gsl_set_error_handler_off();
#ifdef __GLIBC__
    /* The workbook's ~600 parts are each deflated with a stream that
     * allocates about 270 KB and frees it; by default glibc gives that back
     * to the kernel at once and takes it again for the next part (five brk
     * calls and their page faults a part, a third of the workbook's CPU
     * time at 1e4 results).  Keeping freed memory for reuse is the host's
     * choice, process-wide; the engine never makes it. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (cli_opt(argc, argv, &i, "--db", &v))
            c.db = v;
        else if (cli_opt(argc, argv, &i, "--plugin-dir", &v))
            plugin_dir = v;
        else if (cli_opt(argc, argv, &i, "--chain-key", &v))
            chain_key = v;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("ptlims %s (ABI %d.%d)\n", PTLIMS_VERSION,
                   LIMS_ABI_MAJOR_VERSION, LIMS_ABI_MINOR_VERSION);
            return 0;
        } else {
            fprintf(stderr, "ptlims: unknown option \"%s\"\n", argv[i]);
            usage(stderr);
            return 1;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 1;
    }
    for (k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(argv[i], commands[k].name) == 0)
            break;
    if (k == sizeof commands / sizeof commands[0]) {
        fprintf(stderr, "ptlims: unknown command \"%s\"\n", argv[i]);
        usage(stderr);
        return 1;
    }
    c.may_create = is_creating(argc - i, argv + i);
    c.plugins.verbose = 1;
    if (commands[k].needs_plugins && !cli_wants_help(argc - i, argv + i) &&
        host_load_all(&c.plugins, plugin_dir, err, sizeof err) != 0) {
        fprintf(stderr, "ptlims: %s\n", err);
        host_unload(&c.plugins);
        return 1;
    }
    held = json_hold_begin(argc - i, argv + i);
    rc = json_hold_end(held, commands[k].run(&c, argc - i, argv + i));
    cli_warnings_keep(0);
    free(kept.msg);
    host_unload(&c.plugins);
    return rc;
}
