/*
 * ptlims_sqlite.c -- the ISO 13528 statistics as SQL functions, for any
 * SQLite-based LIMS: a loadable extension (build/ptlims_sqlite.so).
 *
 *     sqlite> .load ./ptlims_sqlite
 *     sqlite> SELECT measurand, pt_alga_x(value), pt_alga_s(value)
 *        ...>   FROM result GROUP BY measurand;
 *
 * Aggregates (NULLs skipped; NULL for a group too small for the statistic,
 * or with nothing to scale for Algorithm A; a value that is not a number is
 * an error that stops the statement):
 *   pt_median(x)  pt_made(x)  pt_niqr(x)  pt_alga_x(x)  pt_alga_s(x)
 *   pt_alga_u(x)  -- u(x_pt) = 1.25 s* / sqrt(n)
 * Scalars (NULL when an argument is NULL; an error for a σ or uncertainty
 * that is not positive, or a text that is not a number):
 *   pt_z(x, xpt, sigma)            pt_zprime(x, xpt, uxpt, sigma)
 *   pt_zeta(x, u, xpt, uxpt)       pt_en(x, U, xpt, Uxpt)
 *   pt_class(score)                -- for z, z', zeta
 *   pt_class_en(en [, le_one])     -- le_one 1 (default): |En| <= 1 passes
 * The classes are the texts 'satisfactory', 'questionable',
 * 'unsatisfactory', as ptlims stores them.
 *
 * Everything is computed by the statistics library (stats/, linked in
 * statically), so the SQL functions give the very numbers `ptlims` stores.
 * Only the entry points are exported (ptlims_sqlite.map).  The functions
 * keep no state between calls and may be used from any connection and
 * thread.
 */
#include <math.h>
#include <sqlite3ext.h>

#include "pt_stats.h"

SQLITE_EXTENSION_INIT1

/* The values of one aggregate group, in SQLite's aggregate context. */
typedef struct values {
    double *v;
    sqlite3_int64 n, cap;
} values;

enum agg_kind {
    AGG_MEDIAN,
    AGG_MADE,
    AGG_NIQR,
    AGG_ALGA_X,
    AGG_ALGA_S,
    AGG_ALGA_U
};

/* What an aggregate function's user data points to. */
typedef struct aggregate {
    const char *name;
    enum agg_kind kind;
} aggregate;

static const aggregate *agg_of(sqlite3_context *ctx)
{
    return sqlite3_user_data(ctx);
}

/* The argument as a double: 1, or 0 after setting the error (text that is
 * not a number, a blob).  NULL is the caller's business. */
static int number_arg(sqlite3_context *ctx, sqlite3_value *arg, const char *fn,
                      int pos, double *out)
{
    int t = sqlite3_value_numeric_type(arg);

    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        *out = sqlite3_value_double(arg);
        return 1;
    }
    {
        char *msg = sqlite3_mprintf(
            "%s: argument %d is not a number: '%.40s'", fn, pos,
            t == SQLITE_TEXT ? (const char *)sqlite3_value_text(arg)
                             : "(blob)");
        if (msg) {
            sqlite3_result_error(ctx, msg, -1);
            sqlite3_free(msg);
        } else {
            sqlite3_result_error_nomem(ctx);
        }
    }
    return 0;
}

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    values *g;
    double x;

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    g = sqlite3_aggregate_context(ctx, sizeof *g);
    if (!g) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!number_arg(ctx, argv[0], agg_of(ctx)->name, 1, &x))
        return;
    if (g->n == g->cap) {
        sqlite3_int64 cap = g->cap ? 2 * g->cap : 64;
        double *v = sqlite3_realloc64(g->v, (sqlite3_uint64)cap * sizeof *v);
        if (!v) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        g->v = v;
        g->cap = cap;
    }
    g->v[g->n++] = x;
}

static void agg_final(sqlite3_context *ctx)
{
    values *g = sqlite3_aggregate_context(ctx, 0);
    enum agg_kind kind = agg_of(ctx)->kind;
    pt_stats_status st = PT_STATS_EMPTY;
    pt_alga_result a;
    double *work, r = 0;
    size_t n;

    if (!g || g->n == 0) {
        sqlite3_result_null(ctx);
        if (g)
            sqlite3_free(g->v);
        return;
    }
    n = (size_t)g->n;
    work = sqlite3_malloc64((sqlite3_uint64)n * sizeof *work);
    if (!work) {
        sqlite3_free(g->v);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    switch (kind) {
    case AGG_MEDIAN:
        st = pt_stats_median(g->v, n, work, &r);
        break;
    case AGG_MADE:
        st = pt_stats_made(g->v, n, work, &r);
        break;
    case AGG_NIQR:
        st = pt_stats_niqr(g->v, n, work, &r);
        break;
    case AGG_ALGA_X:
    case AGG_ALGA_S:
    case AGG_ALGA_U:
        st = pt_stats_alga(g->v, n, NULL, work, &a);
        r = kind == AGG_ALGA_X ? a.x : kind == AGG_ALGA_S ? a.s : a.u_x;
        break;
    }
    sqlite3_free(work);
    sqlite3_free(g->v);
    if (st == PT_STATS_OK)
        sqlite3_result_double(ctx, r);
    else if (st == PT_STATS_TOO_FEW || st == PT_STATS_ZERO_SCALE)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_error(ctx, pt_stats_strerror(st), -1);
}

/* Reads argc numbers into x[]: 1 when all are there, 0 when one is NULL
 * (result NULL) or not a number (error set). */
static int number_args(sqlite3_context *ctx, int argc, sqlite3_value **argv,
                       const char *fn, double x[])
{
    int i;

    for (i = 0; i < argc; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            sqlite3_result_null(ctx);
            return 0;
        }
    for (i = 0; i < argc; i++)
        if (!number_arg(ctx, argv[i], fn, i + 1, &x[i]))
            return 0;
    return 1;
}

static void score_result(sqlite3_context *ctx, const char *fn,
                         pt_stats_status st, double r)
{
    char *msg;

    if (st == PT_STATS_OK) {
        sqlite3_result_double(ctx, r);
        return;
    }
    msg = sqlite3_mprintf("%s: %s", fn, pt_stats_strerror(st));
    if (!msg) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
}

static void fn_z(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[3], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_z", x))
        return;
    st = pt_stats_z(x[0], x[1], x[2], &r);
    score_result(ctx, "pt_z", st, r);
}

static void fn_zprime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[4], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_zprime", x))
        return;
    st = pt_stats_z_prime(x[0], x[1], x[2], x[3], &r);
    score_result(ctx, "pt_zprime", st, r);
}

static void fn_zeta(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[4], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_zeta", x))
        return;
    st = pt_stats_zeta(x[0], x[1], x[2], x[3], &r);
    score_result(ctx, "pt_zeta", st, r);
}

static void fn_en(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[4], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_en", x))
        return;
    st = pt_stats_en(x[0], x[1], x[2], x[3], &r);
    score_result(ctx, "pt_en", st, r);
}

static const char *class_text(pt_stats_class c)
{
    switch (c) {
    case PT_CLASS_SATISFACTORY:
        return "satisfactory";
    case PT_CLASS_QUESTIONABLE:
        return "questionable";
    default:
        return "unsatisfactory";
    }
}

static void fn_class(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[1];
    if (number_args(ctx, argc, argv, "pt_class", x))
        sqlite3_result_text(ctx, class_text(pt_stats_classify_z(x[0])), -1,
                            SQLITE_STATIC);
}

static void fn_class_en(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[2] = {0, 1};
    if (number_args(ctx, argc, argv, "pt_class_en", x))
        sqlite3_result_text(ctx,
                            class_text(pt_stats_classify_en(x[0], x[1] != 0)),
                            -1, SQLITE_STATIC);
}

static const aggregate aggregates[] = {
    {"pt_median", AGG_MEDIAN}, {"pt_made", AGG_MADE},
    {"pt_niqr", AGG_NIQR},     {"pt_alga_x", AGG_ALGA_X},
    {"pt_alga_s", AGG_ALGA_S}, {"pt_alga_u", AGG_ALGA_U},
};

static const struct scalar {
    const char *name;
    int argc;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
} scalars[] = {
    {"pt_z", 3, fn_z},
    {"pt_zprime", 4, fn_zprime},
    {"pt_zeta", 4, fn_zeta},
    {"pt_en", 4, fn_en},
    {"pt_class", 1, fn_class},
    {"pt_class_en", 1, fn_class_en},
    {"pt_class_en", 2, fn_class_en},
};

#define PT_FLAGS (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* Registers every function on `db`: SQLITE_OK, or the error code with a
 * message in *pzErrMsg (SQLite frees it). */
static int register_all(sqlite3 *db, char **pzErrMsg)
{
    size_t i;
    int rc;

    for (i = 0; i < sizeof aggregates / sizeof aggregates[0]; i++) {
        rc = sqlite3_create_function(db, aggregates[i].name, 1, PT_FLAGS,
                                     (void *)&aggregates[i], NULL, agg_step,
                                     agg_final);
        if (rc != SQLITE_OK)
            goto fail;
    }
    for (i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        rc = sqlite3_create_function(db, scalars[i].name, scalars[i].argc,
                                     PT_FLAGS, NULL, scalars[i].fn, NULL, NULL);
        if (rc != SQLITE_OK)
            goto fail;
    }
    return SQLITE_OK;
fail:
    if (pzErrMsg)
        *pzErrMsg = sqlite3_mprintf("ptlims_sqlite: cannot register the "
                                    "functions: %s",
                                    sqlite3_errmsg(db));
    return rc;
}

#define PT_EXPORT __attribute__((visibility("default")))

/* The entry point SQLite derives from the file name ptlims_sqlite.so. */
PT_EXPORT int sqlite3_ptlimssqlite_init(sqlite3 *db, char **pzErrMsg,
                                        const sqlite3_api_routines *pApi);
PT_EXPORT int sqlite3_ptlimssqlite_init(sqlite3 *db, char **pzErrMsg,
                                        const sqlite3_api_routines *pApi)
{
    SQLITE_EXTENSION_INIT2(pApi);
    return register_all(db, pzErrMsg);
}

/* The generic name, for hosts that load the file under another name. */
PT_EXPORT int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg,
                                     const sqlite3_api_routines *pApi);
PT_EXPORT int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg,
                                     const sqlite3_api_routines *pApi)
{
    SQLITE_EXTENSION_INIT2(pApi);
    return register_all(db, pzErrMsg);
}
