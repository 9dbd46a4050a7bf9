/*
 * cmd_export.c -- the whole record as CSV files, and a folder of such
 * files read back: ptlims export --out DIR, ptlims import DIR.
 *
 * The engine lists the record as the files an import takes (lims_engine
 * .look, "export laboratories" ... "export capa"); this file only writes
 * each list as RFC 4180 CSV, a number as the shortest text that reads
 * back to the same double, into a folder that is new or empty, each file
 * created afresh (O_EXCL) and no link followed.  Reading a folder back,
 * its files go in the order their contents depend on (laboratories,
 * rounds, results, plan, corrective actions, told by their columns, by
 * name within a kind), all in one transaction; a round a rounds file
 * says is closed is evaluated and closed once every file is in.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "pt_csv.h"

static const struct export_file {
    const char *what, *file;
} files[] = {
    {"export laboratories", "laboratories.csv"},
    {"export rounds", "rounds.csv"},
    {"export results", "results.csv"},
    {"export plan", "plan.csv"},
    {"export capa", "capa.csv"},
};

#define N_FILES (sizeof files / sizeof files[0])

/* One file being written. */
typedef struct writer {
    int dir;          /* the folder, O_DIRECTORY */
    const char *name; /* file name in it */
    FILE *f;          /* opened at the first row */
    unsigned long rows;
    int failed;       /* errno of a failure, or -1 */
} writer;

static void put_text(FILE *f, const char *s)
{
    size_t n = strlen(s);
    int quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
                      s[n - 1] == '\t');

    quote = quote || strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

/* The shortest decimal text that reads back to v (pt_csv_number_text:
 * no exponent from 1e-5 up to 1e15). */
static void put_number(FILE *f, double v)
{
    char buf[40];

    fputs(pt_csv_number_text(v, 0, buf, sizeof buf), f);
}

static int write_row(void *ctx, const lims_cell *c, size_t n)
{
    writer *w = ctx;
    size_t i;
    int fd;

    if (!w->f) {
        fd = openat(w->dir, w->name,
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0644);
        if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
            w->failed = errno ? errno : -1;
            if (fd >= 0)
                close(fd);
            return 1;
        }
        for (i = 0; i < n; i++) {
            if (i)
                putc(',', w->f);
            put_text(w->f, c[i].name);
        }
        putc('\n', w->f);
    }
    for (i = 0; i < n; i++) {
        if (i)
            putc(',', w->f);
        if (c[i].type == LIMS_CELL_REAL)
            put_number(w->f, c[i].number);
        else if (c[i].type != LIMS_CELL_NULL)
            put_text(w->f, c[i].text);
    }
    putc('\n', w->f);
    w->rows++;
    return 0;
}

/* The folder: created, or an empty one; never a link.  Its descriptor,
 * or -1 after a message. */
static int open_out(const char *dir)
{
    struct stat st;
    struct dirent *e;
    DIR *d;
    int fd, empty = 1;

    if (lstat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0755) != 0) {
            fprintf(stderr, "ptlims export: %s: %s\n", dir, strerror(errno));
            return -1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "ptlims export: %s is not a folder%s (give a new or "
                        "empty folder)\n",
                dir, S_ISLNK(st.st_mode) ? " but a link, not followed" : "");
        return -1;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "ptlims export: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    if ((d = opendir(dir)) != NULL) {
        while (empty && (e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                empty = 0;
        closedir(d);
    }
    if (!empty) {
        fprintf(stderr, "ptlims export: %s is not empty (give a new or "
                        "empty folder: no file is replaced)\n",
                dir);
        close(fd);
        return -1;
    }
    return fd;
}

static const char export_help[] =
    "usage: ptlims [--db PATH] export --out DIR [--json]\n\n"
    "Writes the whole record as the CSV files ptlims import takes, into DIR\n"
    "(created, or an empty folder; no link is followed, no file replaced):\n"
    "laboratories.csv, rounds.csv (with each round's status), results.csv\n"
    "(every version with the reason of its correction, and the conditions),\n"
    "plan.csv and capa.csv, each item's void in voided_at, voided_by and\n"
    "void_reason.  A list with no rows writes no file.  ptlims import DIR\n"
    "reads them back; evaluations are computed again (ptlims evaluate "
    "--all).\n";

int cmd_export(cli *c, int argc, char **argv)
{
    const char *out = NULL;
    lims_look_request req;
    lims_instance *inst;
    writer w[N_FILES];
    char err[1024], rb[256];
    lims_status st = LIMS_OK;
    size_t k;
    int i, rc, dir, json = 0, bad = 0;

    if (cli_wants_help(argc, argv)) {
        fputs(export_help, stdout);
        return 0;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!cli_opt(argc, argv, &i, "--out", &out))
            return cli_unknown("export", argv[i]);
    }
    if (cli_require("export", "--out", out, NULL))
        return 1;
    if ((rc = cli_open(c, &inst)))
        return rc;
    if ((dir = open_out(out)) < 0) {
        c->core->close(inst);
        return 1;
    }
    memset(w, 0, sizeof w);
    err[0] = 0;
    /* one read transaction: the files are one picture of the record */
    st = c->core->transaction(inst, LIMS_TX_BEGIN, err, sizeof err);
    for (k = 0; k < N_FILES && st == LIMS_OK; k++) {
        memset(&req, 0, sizeof req);
        req.size = sizeof req;
        req.what = files[k].what;
        w[k].dir = dir;
        w[k].name = files[k].file;
        st = c->core->look(inst, &req, write_row, &w[k], err, sizeof err);
        if (w[k].failed || st == LIMS_ERR_CANCELLED) {
            snprintf(err, sizeof err, "export: %s/%s: %s", out, files[k].file,
                     w[k].failed > 0 ? strerror(w[k].failed)
                                     : "cannot be written");
            st = LIMS_ERR_IO;
        }
        if (w[k].f && (ferror(w[k].f) | fclose(w[k].f)) && st == LIMS_OK) {
            snprintf(err, sizeof err, "export: %s/%s: write failed", out,
                     files[k].file);
            st = LIMS_ERR_IO;
        }
        w[k].f = NULL;
    }
    c->core->transaction(inst, LIMS_TX_ROLLBACK, rb, sizeof rb);
    c->core->close(inst);
    close(dir);
    if (st != LIMS_OK)
        return cli_fail(st, err);
    if (json) {
        fputs("{\"out\": ", stdout);
        json_str(stdout, out);
        fputs(", \"files\": [", stdout);
    }
    for (k = 0; k < N_FILES; k++) {
        if (!w[k].rows)
            continue;
        if (json) {
            printf("%s{\"file\": ", bad++ ? ", " : "");
            json_str(stdout, files[k].file);
            printf(", \"rows\": %lu}", w[k].rows);
        } else {
            printf("%s/%s: %lu rows\n", out, files[k].file, w[k].rows);
        }
    }
    if (json)
        fputs("]}\n", stdout);
    return 0;
}

/* ---- import DIR ---- */

/* The rank of a file by its header: laboratories 0, rounds 1, results
 * 2, plan 3, corrective actions 4; -1 after a message. */
static int file_rank(const char *path)
{
    /* told as the engine tells them (pt_import.c, pt_import_record.c) */
    static const struct {
        const char *column;
        int rank;
    } told[] = {{"per_year", 3}, {"root_cause", 4}, {"value", 2},
                {"scheme", 1}, {"role", 0}};
    const pt_csv_field *f;
    pt_csv *csv;
    char err[1024];
    size_t n = 0, i, k;
    int rank = 5;

    if (pt_csv_open(path, &csv, err, sizeof err) != PT_CSV_OK) {
        fprintf(stderr, "ptlims: %s\n", err);
        return -1;
    }
    if (pt_csv_next(csv, &f, &n, err, sizeof err) != PT_CSV_OK)
        n = 0;
    for (k = 0; k < sizeof told / sizeof told[0] && rank == 5; k++)
        for (i = 0; i < n; i++)
            if (strcmp(f[i].text, told[k].column) == 0)
                rank = told[k].rank;
    pt_csv_free(csv);
    if (rank == 5) {
        fprintf(stderr, "ptlims: %s:1:1: cannot tell what this file holds "
                        "(see ptlims import --help)\n",
                path);
        return -1;
    }
    return rank;
}

typedef struct dir_file {
    char *path;
    const char *name;
    int rank;
} dir_file;

static int by_rank(const void *a, const void *b)
{
    const dir_file *x = a, *y = b;

    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The .csv files of dir in dependency order (*out: free each path and
 * the array).  0, or 1 after a message. */
int cli_dir_files(const char *dir, char ***out, size_t *n_out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    dir_file *v = NULL, *grown;
    size_t n = 0, cap = 0, i, len;
    int bad = 0;

    *out = NULL;
    *n_out = 0;
    if (!d) {
        fprintf(stderr, "ptlims: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    while (!bad && (e = readdir(d)) != NULL) {
        len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            if (!(grown = realloc(v, cap * sizeof *v))) {
                bad = 1;
                break;
            }
            v = grown;
        }
        v[n].path = malloc(strlen(dir) + len + 2);
        if (!v[n].path) {
            bad = 1;
            break;
        }
        snprintf(v[n].path, strlen(dir) + len + 2, "%s/%s", dir, e->d_name);
        v[n].name = v[n].path + strlen(dir) + 1;
        n++;
        if (lstat(v[n - 1].path, &st) != 0 || !S_ISREG(st.st_mode)) {
            fprintf(stderr, "ptlims: %s is not a regular file%s\n",
                    v[n - 1].path,
                    S_ISLNK(st.st_mode) ? " (a link: not followed)" : "");
            bad = 1;
        } else if ((v[n - 1].rank = file_rank(v[n - 1].path)) < 0) {
            bad = 1;
        }
    }
    closedir(d);
    if (!bad && n == 0) {
        fprintf(stderr, "ptlims: %s holds no .csv file\n", dir);
        bad = 1;
    }
    if (!bad && !(*out = malloc(n * sizeof **out)))
        bad = 1;
    if (!bad) {
        qsort(v, n, sizeof *v, by_rank);
        for (i = 0; i < n; i++)
            (*out)[i] = v[i].path;
        *n_out = n;
    } else {
        for (i = 0; i < n; i++)
            free(v[i].path);
    }
    free(v);
    return bad;
}

/* The rounds a rounds file says are closed and are open here: evaluated
 * and closed.  0 or an exit code after a message. */
int cli_close_imported(cli *c, lims_instance *inst, const char *path)
{
    const pt_csv_field *f;
    pt_csv *csv;
    lims_eval_summary es;
    char err[1024], *last = NULL;
    size_t n, i;
    int round = -1, status = -1, rc = 0;
    lims_status st;

    if (pt_csv_open(path, &csv, err, sizeof err) != PT_CSV_OK ||
        pt_csv_next(csv, &f, &n, err, sizeof err) != PT_CSV_OK) {
        return 0; /* the import read it already */
    }
    for (i = 0; i < n; i++) {
        if (strcmp(f[i].text, "round") == 0)
            round = (int)i;
        if (strcmp(f[i].text, "status") == 0)
            status = (int)i;
    }
    while (!rc && round >= 0 && status >= 0 &&
           pt_csv_next(csv, &f, &n, err, sizeof err) == PT_CSV_OK) {
        if ((size_t)status >= n || strcmp(f[status].text, "closed") != 0 ||
            (last && strcmp(last, f[round].text) == 0))
            continue;
        free(last);
        last = strdup(f[round].text);
        memset(&es, 0, sizeof es);
        es.size = sizeof es;
        st = c->core->evaluate_round(inst, f[round].text, &es, err,
                                     sizeof err);
        if (st == LIMS_ERR_STATE && strstr(err, "is closed"))
            continue; /* closed here already */
        if (st == LIMS_OK)
            st = c->core->close_round(inst, f[round].text, err, sizeof err);
        if (st != LIMS_OK)
            rc = cli_fail(st, err);
    }
    free(last);
    pt_csv_free(csv);
    return rc;
}
