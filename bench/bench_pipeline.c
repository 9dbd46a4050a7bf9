/*
 * bench_pipeline.c -- how fast the whole ptlims pipeline is, for
 * `make bench`: import, evaluation and the workbook, each against the
 * machine's own limit measured in the same run.
 *
 * Data (fixed seed): a fuel-sulfur scheme of 200 laboratories (L001 is the
 * reference and reports in every round), rounds of 10 to 200 laboratories
 * with one diesel sample each, values around 5 to 50 mg/kg with 0.2 %
 * gross outliers (x 3 .. 10); 1e4, 1e5 and 1e6 results, written as the
 * laboratories, rounds and results CSV files of the README.
 *
 * Stages, each in a child process (peak memory from wait4's ru_maxrss):
 *   import      the results file through the plug-in's import_csv (full
 *               validation, conformity, warnings) into a fresh database;
 *   raw insert  the same rows by a minimal prepared-statement loop (split
 *               the line, look up two ids in arrays, bind, step) into the
 *               same schema in one transaction;
 *   raw eval    on a copy of that database, the columns evaluation needs
 *               of every result read in storage order and one evaluation
 *               row a group written by a minimal loop in one transaction
 *               (scores are a view of the evaluation);
 *   evaluate    evaluate_round(inst, NULL, ...): every open round;
 *   workbook    write_report for L001 (a workbook with every result);
 *   raw xlsx    the workbook's own cells (the same numbers and texts, read
 *               back from its XML by xlsx_cells.c) by a minimal
 *               libxlsxwriter loop with constant_memory on.
 *
 * usage: bench_pipeline PLUGIN_SO WORK_DIR [RESULTS_MD] [N ...]
 * With RESULTS_MD, the "Pipeline" section of that file is replaced by this
 * run's table.  BENCH_STAGES (environment) runs only the stages it names,
 * comma separated: import, raw_insert, raw_eval, evaluate, read_scores,
 * workbook, raw_xlsx; "workbook,raw_xlsx" writes the workbook from the
 * evaluated database an earlier run left in WORK_DIR.  Stages not run show
 * as nan and RESULTS_MD is then not written.
 */
#include <dlfcn.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "lims_plugin.h"
#include "pt_sha256.h"
#include "pt_sqlfn.h"
#include "pt_store.h"
#include "xlsx_cells.h"

#define N_LABS 200
#define MAX_SIZES 8

static const lims_plugin *plug;
static char work[1024];

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds (user + system) of this process. */
static double cpu(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* The measured part of a stage: start() .. stop(). */
static double wall0, cpu0, stage_wall, stage_cpu;
static void start(void)
{
    wall0 = now();
    cpu0 = cpu();
}
static void stop(void)
{
    stage_wall = now() - wall0;
    stage_cpu = cpu() - cpu0;
}

/* splitmix64: small, fixed, the same on every machine */
static uint64_t rng_state = 13528;
static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(rng() >> 11) * 0x1.0p-53; }
static double gauss(void)
{
    double u = unif(), v = unif();
    return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

static void path_of(char *out, size_t len, size_t n, const char *name)
{
    snprintf(out, len, "%s/pipeline-%zu/%s", work, n, name);
}

static void die(const char *what)
{
    fprintf(stderr, "bench_pipeline: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* The three CSV files for n results; returns the number of rounds. */
static size_t generate(size_t n)
{
    char p[1200];
    FILE *labs, *rounds, *res;
    size_t done = 0, r = 0, i, k;

    path_of(p, sizeof p, n, "");
    mkdir(p, 0777);
    path_of(p, sizeof p, n, "laboratories.csv");
    if (!(labs = fopen(p, "w")))
        die(p);
    path_of(p, sizeof p, n, "rounds.csv");
    if (!(rounds = fopen(p, "w")))
        die(p);
    path_of(p, sizeof p, n, "results.csv");
    if (!(res = fopen(p, "w")))
        die(p);
    fprintf(labs, "lab,name,role,accreditation\n");
    for (i = 1; i <= N_LABS; i++)
        fprintf(labs, "L%03zu,Laboratory %zu,%s,TAF %zu\n", i, i,
                i == 1 ? "reference" : "external", 1000 + i);
    fprintf(rounds, "round,scheme,measurand,type,matrix,title,provider,"
                    "opened,reference_lab,sigma_pt\n");
    fprintf(res, "round,lab,measurand,item,value,unit,U,k,method,"
                 "instrument,analyst,tested_on\n");
    rng_state = 13528;
    while (done < n) {
        size_t labs_in = 10 + (size_t)(rng() % 191), left = n - done;
        double x = 5 + 45 * unif();
        int day = (int)(r % 28) + 1, month = (int)(r / 28 % 12) + 1,
            year = 1990 + (int)(r / 336);
        char date[32];

        if (labs_in > left)
            labs_in = left;
        if (left - labs_in < 10 && left - labs_in > 0)
            labs_in = left <= 200 ? left : labs_in - 10;
        snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
        fprintf(rounds, "R%06zu,fuel-sulfur,sulfur,pt,diesel,Sulfur in "
                        "diesel round %zu,Bench provider,%s,L001,%.3f\n",
                r, r, date, 0.05 * x + 0.2);
        for (k = 1; k <= labs_in; k++) {
            double v = x * (1 + 0.03 * gauss());
            if (unif() < 0.002)
                v *= 3 + 7 * unif(); /* gross outlier */
            if (v < 0.5)
                v = 0.5;
            fprintf(res, "R%06zu,L%03zu,sulfur,D-1,%.2f,mg/kg,%.2f,2,%s,"
                         "TN-%zu,A.%zu,%s\n",
                    r, k, v, 0.05 * v + 0.1,
                    k % 5 == 0 ? "ASTM D2622-16" : "ASTM D5453-19a", k % 7,
                    k % 13, date);
        }
        done += labs_in;
        r++;
    }
    if (fclose(labs) || fclose(rounds) || fclose(res))
        die("writing the data");
    return r;
}

/* ---- the stages (in a child process) ---------------------------------- */

static void host_log(void *host, lims_log_level level, const char *msg)
{
    (void)host;
    if (level >= LIMS_LOG_ERROR)
        fprintf(stderr, "bench_pipeline: %s\n", msg);
}

static lims_instance *open_db(const char *db)
{
    static lims_services svc;
    lims_instance *inst;
    char err[1024];

    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = db;
    svc.log = host_log;
    if (lims_engine_entry_v1()->open(&svc, &inst, err, sizeof err) !=
            LIMS_OK ||
        lims_engine_entry_v1()->scheme_add(inst, plug, err, sizeof err) !=
            LIMS_OK) {
        fprintf(stderr, "bench_pipeline: open %s: %s\n", db, err);
        exit(2);
    }
    return inst;
}

static void import(lims_instance *inst, const char *csv)
{
    lims_import_summary s = {sizeof s, 0, 0, 0, 0, 0};
    char err[1024];

    if (lims_engine_entry_v1()->import_csv(inst, csv, &s, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "bench_pipeline: import %s: %s\n", csv, err);
        exit(2);
    }
}

/* A fresh database with the laboratories and rounds of size n. */
static lims_instance *fresh(size_t n, const char *name)
{
    char db[1200], p[1200];
    const char *const ext[] = {"", "-wal", "-shm"};
    lims_instance *inst;

    for (int i = 0; i < 3; i++) {
        path_of(p, sizeof p, n, name);
        strncat(p, ext[i], sizeof p - strlen(p) - 1);
        unlink(p);
    }
    path_of(db, sizeof db, n, name);
    inst = open_db(db);
    path_of(p, sizeof p, n, "laboratories.csv");
    import(inst, p);
    path_of(p, sizeof p, n, "rounds.csv");
    import(inst, p);
    return inst;
}

static double stage_import(size_t n)
{
    char p[1200];
    lims_instance *inst = fresh(n, "bench.db");

    /* from the data's folder, as a user imports a file there: each result
     * then records the same source ("results.csv:LINE") as the raw loop
     * writes, instead of the whole path (the stage is a child process, so
     * the working directory changes for it alone) */
    path_of(p, sizeof p, n, "");
    if (chdir(p) != 0)
        die(p);
    start();
    import(inst, "results.csv");
    lims_engine_entry_v1()->close(inst);
    stop();
    return stage_cpu;
}

static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char hex[PT_SHA256_HEX_SIZE];

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    pt_sha256_hex(sqlite3_value_text(argv[0]),
                  (size_t)sqlite3_value_bytes(argv[0]), hex);
    sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

static void sql_check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench_pipeline: %s: %s\n", what,
                sqlite3_errmsg(db));
        exit(2);
    }
}

/* The raw limit: the same rows by a minimal loop into the same schema. */
static double stage_raw_insert(size_t n)
{
    char db_path[1200], p[1200], line[1024], src[64];
    long long *round_id, lab_id[N_LABS + 1];
    size_t n_rounds = 0, cap = 1024;
    sqlite3 *db;
    sqlite3_stmt *q, *ins;
    FILE *f;
    unsigned long lineno = 1;

    lims_engine_entry_v1()->close(fresh(n, "raw.db"));
    path_of(db_path, sizeof db_path, n, "raw.db");
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        die(db_path);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_create_function_v2(db, "sha256", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                               sql_sha256, NULL, NULL, NULL);
    sql_check(db,
              sqlite3_exec(db,
                           "PRAGMA foreign_keys = ON; PRAGMA journal_mode = "
                           "WAL; " PT_STORE_PRAGMAS,
                           NULL, NULL, NULL),
              "pragmas");
    round_id = malloc(cap * sizeof *round_id);
    sql_check(db, sqlite3_prepare_v2(db, "SELECT id FROM round ORDER BY code",
                                     -1, &q, NULL),
              "rounds");
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (n_rounds == cap)
            round_id = realloc(round_id, (cap *= 2) * sizeof *round_id);
        round_id[n_rounds++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    sql_check(db, sqlite3_prepare_v2(db, "SELECT id FROM laboratory ORDER BY "
                                         "code",
                                     -1, &q, NULL),
              "labs");
    for (size_t i = 1; i <= N_LABS && sqlite3_step(q) == SQLITE_ROW; i++)
        lab_id[i] = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sql_check(db,
              sqlite3_prepare_v2(
                  db,
                  "INSERT INTO result (round_id, lab_id, measurand, item, "
                  "value_text, unit_text, value, U_text, U, k, method, "
                  "instrument, analyst, tested_on, remarks, source) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                  "?14, ?15, ?16)",
                  -1, &ins, NULL),
              "insert");
    path_of(p, sizeof p, n, "results.csv");
    if (!(f = fopen(p, "r")))
        die(p);
    start();
    sql_check(db, sqlite3_exec(db, PT_STORE_BEGIN_WRITE, NULL, NULL, NULL),
              "begin");
    if (!fgets(line, sizeof line, f))
        die("results.csv header");
    while (fgets(line, sizeof line, f)) {
        char *fld[12], *s = line;
        int nf = 0;

        lineno++;
        line[strcspn(line, "\n")] = 0;
        while (nf < 12) {
            fld[nf++] = s;
            s = strchr(s, ',');
            if (!s)
                break;
            *s++ = 0;
        }
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, round_id[atol(fld[0] + 1)]);
        sqlite3_bind_int64(ins, 2, lab_id[atol(fld[1] + 1)]);
        sqlite3_bind_text(ins, 3, fld[2], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, fld[3], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 5, fld[4], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 6, fld[5], -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 7, strtod(fld[4], NULL));
        sqlite3_bind_text(ins, 8, fld[6], -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 9, strtod(fld[6], NULL));
        sqlite3_bind_double(ins, 10, strtod(fld[7], NULL));
        sqlite3_bind_text(ins, 11, fld[8], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 12, fld[9], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 13, fld[10], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 14, fld[11], -1, SQLITE_TRANSIENT);
        sqlite3_bind_null(ins, 15);
        snprintf(src, sizeof src, "results.csv:%lu", lineno);
        sqlite3_bind_text(ins, 16, src, -1, SQLITE_TRANSIENT);
        sql_check(db, sqlite3_step(ins), "insert");
    }
    sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
    sqlite3_finalize(ins);
    sqlite3_close(db);
    fclose(f);
    free(round_id);
    stop();
    return stage_cpu;
}

static double stage_evaluate(size_t n)
{
    char db[1200], err[1024];
    lims_eval_summary s = {sizeof s, 0, 0, 0};
    lims_instance *inst;

    path_of(db, sizeof db, n, "bench.db");
    inst = open_db(db);
    start();
    if (lims_engine_entry_v1()->evaluate_round(inst, NULL, &s, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "bench_pipeline: evaluate: %s\n", err);
        exit(2);
    }
    stop();
    lims_engine_entry_v1()->close(inst);
    return stage_cpu;
}

/* Copies file `from` to `to`. */
static void copy_file(const char *from, const char *to)
{
    char buf[1 << 16];
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    size_t n;

    if (!in || !out)
        die(to);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            die(to);
    fclose(in);
    if (fclose(out))
        die(to);
}

/* The raw limit of an evaluation: on a copy of the imported database,
 * read the columns evaluation needs of every result in storage order (the
 * generated file stores each group's rows together) and write one
 * evaluation row per group (scores are the view computed from it), by a
 * minimal loop in one transaction. */
static volatile double sink; /* keeps the values read */

static double stage_raw_eval(size_t n)
{
    char from[1200], db_path[1200], p[1300];
    const char *const ext[] = {"-wal", "-shm"};
    sqlite3 *db;
    sqlite3_stmt *q, *ev;
    long long round = -1;
    double sum = 0;
    char measurand[64] = "", item[64] = "";

    path_of(from, sizeof from, n, "bench.db");
    path_of(db_path, sizeof db_path, n, "scores.db");
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, ext[i]);
        unlink(p);
    }
    copy_file(from, db_path);
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        die(db_path);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_create_function_v2(db, "sha256", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                               sql_sha256, NULL, NULL, NULL);
    sql_check(db,
              sqlite3_exec(db,
                           "PRAGMA foreign_keys = ON; PRAGMA journal_mode = "
                           "WAL; " PT_STORE_PRAGMAS,
                           NULL, NULL, NULL),
              "pragmas");
    sql_check(db,
              sqlite3_prepare_v2(
                  db,
                  "SELECT round_id, measurand, item, id, value, U, k, "
                  "lab_id, version FROM result",
                  -1, &q, NULL),
              "select");
    sql_check(db,
              sqlite3_prepare_v2(
                  db,
                  "INSERT INTO evaluation (round_id, measurand, item, n, "
                  "assigned, x_pt, reason, engine) VALUES (?1, ?2, ?3, 0, "
                  "'consensus', 10, 'raw', 'raw')",
                  -1, &ev, NULL),
              "insert evaluation");
    start();
    sql_check(db, sqlite3_exec(db, PT_STORE_BEGIN_WRITE, NULL, NULL, NULL),
              "begin");
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(q, 1);
        const char *it = (const char *)sqlite3_column_text(q, 2);

        if (sqlite3_column_int64(q, 0) != round || strcmp(m, measurand) ||
            strcmp(it, item)) {
            round = sqlite3_column_int64(q, 0);
            snprintf(measurand, sizeof measurand, "%s", m);
            snprintf(item, sizeof item, "%s", it);
            sqlite3_reset(ev);
            sqlite3_bind_int64(ev, 1, round);
            sqlite3_bind_text(ev, 2, measurand, -1, SQLITE_STATIC);
            sqlite3_bind_text(ev, 3, item, -1, SQLITE_STATIC);
            sql_check(db, sqlite3_step(ev), "insert evaluation");
        }
        sum += sqlite3_column_double(q, 4);
    }
    sqlite3_reset(q);
    sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
    sqlite3_finalize(q);
    sqlite3_finalize(ev);
    sqlite3_close(db);
    stop();
    sink = sum;
    return stage_cpu;
}

/* Every score of the evaluated database read through the view `score`
 * (scores are computed when read): what reading them costs. */
static double stage_read_scores(size_t n)
{
    char db_path[1200];
    sqlite3 *db;
    sqlite3_stmt *q;
    long long rows = 0, signals = 0;
    double sum = 0;

    path_of(db_path, sizeof db_path, n, "bench.db");
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) !=
            SQLITE_OK ||
        pt_sqlfn_register(db) != SQLITE_OK)
        die(db_path);
    start();
    sql_check(db,
              sqlite3_prepare_v2(db,
                                 "SELECT id, D, D_pct, z, z_prime, zeta, En, "
                                 "primary_score, verdict FROM score",
                                 -1, &q, NULL),
              "select scores");
    while (sqlite3_step(q) == SQLITE_ROW) {
        rows++;
        sum += sqlite3_column_double(q, 3);
        signals += sqlite3_column_bytes(q, 8) != 12; /* "satisfactory" */
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    stop();
    if (rows < (long long)n / 2) {
        fprintf(stderr, "bench_pipeline: only %lld scores for %zu results "
                        "(%lld signals, sum %g)\n",
                rows, n, signals, sum);
        exit(2);
    }
    return stage_cpu;
}

static double stage_report(size_t n)
{
    char db[1200], out[1200], err[1024];
    lims_report_request req;
    lims_instance *inst;

    path_of(db, sizeof db, n, "bench.db");
    path_of(out, sizeof out, n, "workbook.xlsx");
    inst = open_db(db);
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.out_path = out;
    req.lab = "L001";
    req.lang = "en";
    req.generated_at = "2026-01-01T00:00:00";
    start();
    if (lims_engine_entry_v1()->write_report(inst, &req, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "bench_pipeline: report: %s\n", err);
        exit(2);
    }
    stop();
    lims_engine_entry_v1()->close(inst);
    return stage_cpu;
}

/* The cells of the workbook stage_report wrote, read back into
 * cells.bin for the raw loop. */
static unsigned long long cells_read;

static void read_cells(size_t n)
{
    char xlsx[1200], bin[1200];
    FILE *out;

    path_of(xlsx, sizeof xlsx, n, "workbook.xlsx");
    path_of(bin, sizeof bin, n, "cells.bin");
    if (!(out = fopen(bin, "wb")))
        die(bin);
    if (xlsx_cells_extract(xlsx, out, &cells_read) != 0)
        exit(2);
    if (fclose(out))
        die(bin);
}

/* The raw limit: the workbook's own cells, the same numbers and texts in
 * the same order, by a minimal loop into one sheet (more when it is
 * full), 20 a row, with constant_memory on; a styled blank stays one. */
static double stage_raw_xlsx(size_t n)
{
    char out[1200], bin[1200], *text = NULL;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = NULL};
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *blank;
    unsigned long long c = 0, at;
    size_t cap = 0;
    double number;
    FILE *in;
    int kind;

    path_of(out, sizeof out, n, "raw.xlsx");
    path_of(bin, sizeof bin, n, "cells.bin");
    if (!(in = fopen(bin, "rb")))
        die(bin);
    start();
    wb = workbook_new_opt(out, &opt);
    ws = workbook_add_worksheet(wb, NULL);
    blank = workbook_add_format(wb);
    format_set_border(blank, LXW_BORDER_THIN);
    for (at = 0; (kind = xlsx_cells_next(in, &number, &text, &cap)); c++) {
        lxw_row_t row = (lxw_row_t)((c - at) / 20);
        lxw_col_t col = (lxw_col_t)((c - at) % 20);

        if (row == LXW_ROW_MAX) { /* a sheet is full: go on in another */
            ws = workbook_add_worksheet(wb, NULL);
            at = c;
            row = col = 0;
        }
        if (kind == 'n')
            worksheet_write_number(ws, row, col, number, NULL);
        else if (kind == 's')
            worksheet_write_string(ws, row, col, text, NULL);
        else
            worksheet_write_blank(ws, row, col, blank);
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
        fprintf(stderr, "bench_pipeline: raw workbook failed\n");
        exit(2);
    }
    stop();
    fclose(in);
    free(text);
    if (c != cells_read && cells_read) {
        fprintf(stderr, "bench_pipeline: %llu of %llu cells written\n", c,
                cells_read);
        exit(2);
    }
    return stage_cpu;
}

/* How many times a stage runs at size n, the best run counted: single
 * runs move with the machine's load (a small one by up to half, one of a
 * million results by up to a third). */
static int runs_for(size_t n)
{
    return n <= 10000 ? 5 : n <= 100000 ? 3 : 2;
}

/* Run stage f(n) in a child: CPU and wall seconds of the measured part,
 * and the child's peak resident set in MiB. */
static void run(double (*f)(size_t), size_t n, double *secs, double *wall,
                double *mib)
{
    int fd[2], status;
    struct rusage ru;
    pid_t pid;
    double t[2] = {NAN, NAN};

    fflush(NULL);
    if (pipe(fd) != 0 || (pid = fork()) < 0)
        die("fork");
    if (pid == 0) {
        close(fd[0]);
#ifdef __GLIBC__
        /* every stage, raw loops included, under the malloc settings the
         * ptlims command uses (host/main.c) */
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
        f(n);
        t[0] = stage_cpu;
        t[1] = stage_wall;
        if (write(fd[1], t, sizeof t) != (ssize_t)sizeof t)
            _exit(2);
        _exit(0);
    }
    close(fd[1]);
    if (read(fd[0], t, sizeof t) != (ssize_t)sizeof t)
        t[0] = t[1] = NAN;
    close(fd[0]);
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_pipeline: a stage failed for n = %zu\n", n);
        exit(2);
    }
    *secs = t[0];
    *wall = t[1];
    *mib = (double)ru.ru_maxrss / 1024.0;
}

/* ---- the table ---------------------------------------------------------- */

enum { IMPORT, RAW_INSERT, RAW_EVAL, EVALUATE, READ_SCORES, REPORT,
       RAW_XLSX, N_STAGES };
static const char *const stage_keys[N_STAGES] = {
    "import",      "raw_insert", "raw_eval", "evaluate",
    "read_scores", "workbook",   "raw_xlsx"};

/* Is stage s one of the comma-separated names in BENCH_STAGES (all when
 * it is not set)? */
static int stage_wanted(int s)
{
    const char *list = getenv("BENCH_STAGES"), *p;
    size_t len = strlen(stage_keys[s]);

    if (!list || !*list)
        return 1;
    for (p = list; (p = strstr(p, stage_keys[s])) != NULL; p += len)
        if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
            return 1;
    return 0;
}
static const char *const stage_names[N_STAGES] = {
    "import (plug-in)",
    "raw insert loop",
    "raw evaluation loop (read results, write evaluations)",
    "evaluate every round (plug-in)",
    "read every score (view `score`)",
    "workbook (plug-in)",
    "raw libxlsxwriter loop"};

/* Least-squares slope of log t against log n. */
static double exponent(const double *t, const size_t *n, int k)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < k; i++) {
        double x = log((double)n[i]), y = log(t[i]);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    return k > 1 ? (k * sxy - sx * sy) / (k * sxx - sx * sx) : NAN;
}

static void table(FILE *o, const size_t *n, const size_t *rounds, int k,
                  double t[][N_STAGES], double w[][N_STAGES],
                  double m[][N_STAGES],
                  unsigned long long *cells)
{
    int i, s;

    fprintf(o, "| stage | exponent |");
    for (i = 0; i < k; i++)
        fprintf(o, " n = %zu (%zu rounds) |", n[i], rounds[i]);
    fprintf(o, "\n|---|---|");
    for (i = 0; i < k; i++)
        fprintf(o, "---|");
    fprintf(o, "\n");
    for (s = 0; s < N_STAGES; s++) {
        double col[MAX_SIZES];
        for (i = 0; i < k; i++)
            col[i] = t[i][s];
        fprintf(o, "| %s | %.2f |", stage_names[s], exponent(col, n, k));
        for (i = 0; i < k; i++)
            fprintf(o, " %.3f s (%.3f s), %.0f MiB |", t[i][s], w[i][s],
                    m[i][s]);
        fprintf(o, "\n");
    }
    fprintf(o, "| import / raw insert rate | |");
    for (i = 0; i < k; i++)
        fprintf(o, " %.0f %% |", 100 * t[i][RAW_INSERT] / t[i][IMPORT]);
    fprintf(o, "\n| evaluate / raw evaluation rate | |");
    for (i = 0; i < k; i++)
        fprintf(o, " %.0f %% |", 100 * t[i][RAW_EVAL] / t[i][EVALUATE]);
    fprintf(o, "\n| workbook / raw write rate | |");
    for (i = 0; i < k; i++)
        fprintf(o, " %.0f %% |", 100 * t[i][RAW_XLSX] / t[i][REPORT]);
    fprintf(o, "\n| workbook cells | |");
    for (i = 0; i < k; i++)
        fprintf(o, " %llu |", cells[i]);
    fprintf(o, "\n");
}

static void machine(char *out, size_t len)
{
    char line[256], model[160] = "unknown CPU";
    FILE *f = fopen("/proc/cpuinfo", "r");
    struct utsname u;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long long mem = (long long)sysconf(_SC_PHYS_PAGES) *
                    sysconf(_SC_PAGE_SIZE);

    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');
            if (c) {
                snprintf(model, sizeof model, "%s", c + 2);
                model[strcspn(model, "\n")] = 0;
            }
            break;
        }
    if (f)
        fclose(f);
    uname(&u);
    snprintf(out, len, "%s, %ld CPUs, %.0f GiB; %s %s %s; SQLite %s", model,
             cpus, (double)mem / (1 << 30), u.sysname, u.release, u.machine,
             sqlite3_libversion());
}

/* Replace the "## Pipeline" section of `md` (to the next "## " or the
 * end) with `text`, or append it. */
static void write_section(const char *md, const char *text)
{
    FILE *f = fopen(md, "r");
    char *old = NULL, *start, *end, *tmp;
    long len = 0;
    size_t tl = strlen(md) + 8;

    if (f) {
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        fseek(f, 0, SEEK_SET);
        old = calloc(1, (size_t)len + 1);
        if (!old || fread(old, 1, (size_t)len, f) != (size_t)len)
            die(md);
        fclose(f);
    } else {
        old = calloc(1, 1);
    }
    start = strstr(old, "\n## Pipeline");
    end = start ? strstr(start + 1, "\n## ") : NULL;
    tmp = malloc(tl);
    snprintf(tmp, tl, "%s.tmp", md);
    if (!(f = fopen(tmp, "w")))
        die(tmp);
    if (start) {
        fwrite(old, 1, (size_t)(start - old) + 1, f);
    } else {
        fputs(old, f);
        if (len && old[len - 1] != '\n')
            fputc('\n', f);
        fputc('\n', f);
    }
    fputs(text, f);
    if (end)
        fputs(end, f);
    if (fclose(f) || rename(tmp, md))
        die(md);
    free(tmp);
    free(old);
}

int main(int argc, char **argv)
{
    size_t n[MAX_SIZES] = {10000, 100000, 1000000}, rounds[MAX_SIZES];
    int k = 3, i, s, r;
    double t[MAX_SIZES][N_STAGES], w[MAX_SIZES][N_STAGES],
        m[MAX_SIZES][N_STAGES];
    unsigned long long n_cells[MAX_SIZES] = {0};
    const char *md = argc > 3 && *argv[3] ? argv[3] : NULL;
    int all = 1;
    void *so;
    lims_plugin_entry_v1_fn entry;
    double (*const fn[N_STAGES])(size_t) = {
        stage_import,      stage_raw_insert, stage_raw_eval,
        stage_evaluate,    stage_read_scores, stage_report,
        stage_raw_xlsx};

    if (argc < 3) {
        fprintf(stderr, "usage: bench_pipeline PLUGIN_SO WORK_DIR "
                        "[RESULTS_MD] [N ...]\n");
        return 1;
    }
    if (argc > 4) {
        for (k = 0; k < argc - 4 && k < MAX_SIZES; k++)
            n[k] = strtoul(argv[4 + k], NULL, 10);
    }
    snprintf(work, sizeof work, "%s", argv[2]);
    mkdir(work, 0777);
    if (!(so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL))) {
        fprintf(stderr, "bench_pipeline: %s\n", dlerror());
        return 2;
    }
    *(void **)&entry = dlsym(so, LIMS_PLUGIN_ENTRY_V1);
    if (!entry || !(plug = entry())) {
        fprintf(stderr, "bench_pipeline: %s: no entry point\n", argv[1]);
        return 2;
    }
    for (i = 0; i < k; i++) {
        rounds[i] = generate(n[i]);
        for (s = 0; s < N_STAGES; s++) {
            if (!stage_wanted(s)) {
                t[i][s] = w[i][s] = m[i][s] = NAN;
                all = 0;
                continue;
            }
            if (s == RAW_XLSX) {
                read_cells(n[i]);
                n_cells[i] = cells_read;
            }
            for (r = 0; r < runs_for(n[i]); r++) {
                double c, wall, mib;

                run(fn[s], n[i], &c, &wall, &mib);
                if (r == 0 || c < t[i][s]) {
                    t[i][s] = c;
                    w[i][s] = wall;
                }
                if (r == 0 || mib > m[i][s])
                    m[i][s] = mib;
            }
            fprintf(stderr, "n = %zu: %s: %.3f s CPU, %.3f s wall, %.0f "
                            "MiB\n",
                    n[i], stage_names[s], t[i][s], w[i][s], m[i][s]);
        }
    }
    table(stdout, n, rounds, k, t, w, m, n_cells);
    if (md && all) {
        char *buf;
        size_t size;
        FILE *o = open_memstream(&buf, &size);
        char mach[512], date[32];
        time_t now_t = time(NULL);

        machine(mach, sizeof mach);
        strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now_t));
        fprintf(o, "## Pipeline\n\n"
                   "Command: `make bench-pipeline` (part of `make bench`; "
                   "runs `build/bench/bench_pipeline "
                   "build/plugins/fuel-sulfur.so build/bench "
                   "bench/RESULTS.md`).\n\n"
                   "* Machine: %s.\n* Date: %s.\n"
                   "* Data: fuel-sulfur, 200 laboratories, rounds of 10 to "
                   "200 laboratories (one diesel sample each), 0.2 %% gross "
                   "outliers, splitmix64 seed 13528.\n"
                   "* Each stage runs in its own process, the best of 5 "
                   "runs at n <= 1e4, of 3 at n <= 1e5 and of 2 above.  "
                   "Times are CPU seconds (user + system) of the stage, "
                   "wall seconds in brackets (the machine is shared: "
                   "wall time varies with the load); memory is the "
                   "process's peak resident set (ru_maxrss), the highest "
                   "of the runs.  Ratios are the raw loop's CPU time "
                   "over the plug-in's (100 %% = as fast as the raw loop); "
                   "the exponent is the least-squares slope of log CPU "
                   "time against log n.\n\n",
                mach, date);
        table(o, n, rounds, k, t, w, m, n_cells);
        fclose(o);
        write_section(md, buf);
        free(buf);
    }
    return 0;
}
