/*
 * ptlims_sqlite.c -- the ISO 13528 statistics as SQL functions, for any
 * SQLite-based LIMS: a loadable extension (build/ptlims_sqlite.so).
 *
 *     sqlite> .load ./ptlims_sqlite
 *     sqlite> SELECT measurand, pt_alga_x(value), pt_alga_s(value)
 *        ...>   FROM result GROUP BY measurand;
 *
 * Aggregates (NULLs skipped; NULL for a group too small for the statistic,
 * or with nothing to scale; a value that is not a number is an error that
 * stops the statement):
 *   pt_median(x)  pt_made(x)  pt_niqr(x)  pt_alga_x(x)  pt_alga_s(x)
 *   pt_alga_u(x)  -- u(x_pt) = 1.25 s* / sqrt(n)
 *   pt_alga_fixed_x(x)             -- C.3.2: s* held at MADe
 *   pt_qn(x)  pt_qmethod_s(x)  pt_hampel_x(x)  pt_qhampel_u(x)
 *   pt_qmethod_s(x, lab)           -- replicates grouped by laboratory
 *   pt_algs(sd, nu)                -- Algorithm S w* (nu the same in every
 *                                     row of the group)
 *   pt_kernel_mode(x, h)           -- kernel density mode, bandwidth h
 * Scalars (NULL when an argument is NULL; an error for a σ or uncertainty
 * that is not positive, or a text that is not a number):
 *   pt_z(x, xpt, sigma)            pt_zprime(x, xpt, uxpt, sigma)
 *   pt_zeta(x, u, xpt, uxpt)       pt_en(x, U, xpt, Uxpt)
 *   pt_d(x, xpt)  pt_d_pct(x, xpt)  pt_pa(x, xpt, delta_e)
 *   pt_class(score)                -- for z, z', zeta
 *   pt_class_en(en [, le_one])     -- le_one 1 (default): |En| <= 1 passes
 *   pt_horwitz(c)                  -- sigma, c a mass fraction
 *   pt_sigma_pt_precision(sR, sr, m)  pt_sigma_from_limit(R)
 *   pt_unc_flags(u, uxpt, s)       -- 9.8: 1 u < u(x_pt), 2 u > 1.5 s*
 *   pt_assigned_u(U, k, u_hom, u_stab)  -- u(x_pt) of a CRM, formulation
 *                                     or reference laboratory (clause 7)
 * The classes are the texts 'satisfactory', 'questionable',
 * 'unsatisfactory', as ptlims stores them.
 *
 * Everything is computed by the statistics library (stats/, linked in
 * statically), so the SQL functions give the very numbers `ptlims` stores.
 * GSL is linked in statically too, so its error handler (which aborts by
 * default) is the extension's own and is switched off when it loads: a
 * GSL failure then comes back as a status, never stops the host.
 * Only the entry points are exported (ptlims_sqlite.map).  The functions
 * keep no state between calls and may be used from any connection and
 * thread.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <sqlite3ext.h>
#include <stdlib.h>
#include <string.h>

#include "pt_sqlfn.h"
#include "pt_stats.h"

SQLITE_EXTENSION_INIT1

/* The values of one aggregate group, in SQLite's aggregate context;
 * with a second argument its value per row too (a laboratory's name, or
 * the parameter nu or h, which must not change within the group). */
typedef struct values {
    double *v;
    char **lab;      /* pt_qmethod_s(x, lab): each row's laboratory */
    double param;    /* pt_algs(sd, nu), pt_kernel_mode(x, h) */
    int have_param;
    sqlite3_int64 n, cap;
} values;

enum agg_kind {
    AGG_MEDIAN,
    AGG_MADE,
    AGG_NIQR,
    AGG_ALGA_X,
    AGG_ALGA_S,
    AGG_ALGA_U,
    AGG_ALGA_FIXED_X,
    AGG_QN,
    AGG_QMETHOD_S,
    AGG_HAMPEL_X,
    AGG_QHAMPEL_U,
    AGG_QMETHOD_LAB,
    AGG_ALGS,
    AGG_KERNEL_MODE
};

/* What an aggregate function's user data points to. */
typedef struct aggregate {
    const char *name;
    enum agg_kind kind;
    int argc;
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

static void agg_error(sqlite3_context *ctx, const char *fn, const char *why)
{
    char *msg = sqlite3_mprintf("%s: %s", fn, why);

    if (msg) {
        sqlite3_result_error(ctx, msg, -1);
        sqlite3_free(msg);
    } else {
        sqlite3_result_error_nomem(ctx);
    }
}

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const aggregate *a = agg_of(ctx);
    values *g;
    double x;

    if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
        (argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_NULL))
        return;
    g = sqlite3_aggregate_context(ctx, sizeof *g);
    if (!g) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!number_arg(ctx, argv[0], a->name, 1, &x))
        return;
    if (argc > 1 && a->kind != AGG_QMETHOD_LAB) {
        double p;
        if (!number_arg(ctx, argv[1], a->name, 2, &p))
            return;
        if (g->have_param && p != g->param) {
            agg_error(ctx, a->name, "argument 2 changes within the group");
            return;
        }
        g->param = p;
        g->have_param = 1;
    }
    if (g->n == g->cap) {
        sqlite3_int64 cap = g->cap ? 2 * g->cap : 64;
        double *v = sqlite3_realloc64(g->v, (sqlite3_uint64)cap * sizeof *v);
        if (!v) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        g->v = v;
        if (a->kind == AGG_QMETHOD_LAB) {
            char **l = sqlite3_realloc64(g->lab,
                                         (sqlite3_uint64)cap * sizeof *l);
            if (!l) {
                sqlite3_result_error_nomem(ctx);
                return;
            }
            g->lab = l;
        }
        g->cap = cap;
    }
    if (a->kind == AGG_QMETHOD_LAB) {
        g->lab[g->n] =
            sqlite3_mprintf("%s", (const char *)sqlite3_value_text(argv[1]));
        if (!g->lab[g->n]) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    g->v[g->n++] = x;
}

static void values_free(values *g)
{
    sqlite3_int64 i;

    if (g->lab)
        for (i = 0; i < g->n; i++)
            sqlite3_free(g->lab[i]);
    sqlite3_free(g->lab);
    sqlite3_free(g->v);
}

/* Rows ordered by laboratory, for grouping (qsort's comparison needs the
 * names: a file-scope pointer is not wanted, so the index carries them). */
typedef struct lab_row {
    const char *lab;
    double v;
    sqlite3_int64 at; /* row order, to keep the sort stable */
} lab_row;

static int lab_row_cmp(const void *pa, const void *pb)
{
    const lab_row *a = pa, *b = pb;
    int c = strcmp(a->lab, b->lab);

    if (c != 0)
        return c;
    return (a->at > b->at) - (a->at < b->at);
}

/* The Q method over the group's values with replicates per laboratory. */
static pt_stats_status qmethod_by_lab(const values *g, double *s)
{
    size_t n = (size_t)g->n, p = 0, i;
    lab_row *rows = sqlite3_malloc64((sqlite3_uint64)n * sizeof *rows);
    double *y = sqlite3_malloc64((sqlite3_uint64)n * sizeof *y);
    double *w = sqlite3_malloc64((sqlite3_uint64)PT_STATS_QMETHOD_WORK(n) *
                                 sizeof *w);
    size_t *c = sqlite3_malloc64((sqlite3_uint64)n * sizeof *c);
    size_t *iw = sqlite3_malloc64(
        (sqlite3_uint64)PT_STATS_QMETHOD_IWORK(n, n) * sizeof *iw);
    pt_qmethod_result q;
    pt_stats_status st = PT_STATS_NO_MEMORY;

    if (rows && y && w && c && iw) {
        for (i = 0; i < n; i++) {
            rows[i].lab = g->lab[i];
            rows[i].v = g->v[i];
            rows[i].at = (sqlite3_int64)i;
        }
        qsort(rows, n, sizeof *rows, lab_row_cmp);
        for (i = 0; i < n; i++) {
            y[i] = rows[i].v;
            if (i == 0 || strcmp(rows[i].lab, rows[i - 1].lab) != 0)
                c[p++] = 0;
            c[p - 1]++;
        }
        st = pt_stats_qmethod(y, c, p, w, iw, &q);
        if (st == PT_STATS_OK)
            *s = q.s;
    }
    sqlite3_free(rows);
    sqlite3_free(y);
    sqlite3_free(w);
    sqlite3_free(c);
    sqlite3_free(iw);
    return st;
}

static void agg_final(sqlite3_context *ctx)
{
    values *g = sqlite3_aggregate_context(ctx, 0);
    enum agg_kind kind = agg_of(ctx)->kind;
    pt_stats_status st = PT_STATS_EMPTY;
    pt_alga_options opt;
    pt_alga_result a;
    pt_algs_result as;
    pt_qhampel_result qh;
    double *work, r = 0;
    size_t n, *iwork;

    if (!g || g->n == 0) {
        sqlite3_result_null(ctx);
        if (g)
            values_free(g);
        return;
    }
    n = (size_t)g->n;
    work = sqlite3_malloc64((sqlite3_uint64)PT_STATS_QMETHOD_WORK(n) *
                            sizeof *work);
    iwork = sqlite3_malloc64((sqlite3_uint64)PT_STATS_QMETHOD_IWORK(n, n) *
                             sizeof *iwork);
    if (!work || !iwork) {
        sqlite3_free(work);
        sqlite3_free(iwork);
        values_free(g);
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
    case AGG_ALGA_FIXED_X:
        pt_stats_alga_defaults(&opt);
        opt.fixed_scale = 1;
        st = pt_stats_alga(g->v, n, &opt, work, &a);
        r = a.x;
        break;
    case AGG_QN:
        st = pt_stats_qn(g->v, n, work, iwork, &r);
        break;
    case AGG_QMETHOD_S:
    case AGG_HAMPEL_X:
    case AGG_QHAMPEL_U: {
        size_t *ones = sqlite3_malloc64((sqlite3_uint64)n * sizeof *ones), i;
        if (!ones) {
            st = PT_STATS_NO_MEMORY;
            break;
        }
        for (i = 0; i < n; i++)
            ones[i] = 1;
        st = pt_stats_qhampel(g->v, ones, n, work, iwork, &qh);
        sqlite3_free(ones);
        r = kind == AGG_QMETHOD_S ? qh.s : kind == AGG_HAMPEL_X ? qh.x
                                                                : qh.u_x;
        break;
    }
    case AGG_QMETHOD_LAB:
        st = qmethod_by_lab(g, &r);
        break;
    case AGG_ALGS:
        st = pt_stats_algs(g->v, n, g->param, PT_ALGA_STOP_FIXED, work, &as);
        r = as.w;
        break;
    case AGG_KERNEL_MODE:
        st = pt_stats_kernel_mode(g->v, n, g->param, work, &r);
        break;
    }
    sqlite3_free(work);
    sqlite3_free(iwork);
    values_free(g);
    if (st == PT_STATS_OK)
        sqlite3_result_double(ctx, r);
    else if (st == PT_STATS_TOO_FEW || st == PT_STATS_ZERO_SCALE)
        sqlite3_result_null(ctx);
    else if (st == PT_STATS_NO_MEMORY)
        sqlite3_result_error_nomem(ctx);
    else
        agg_error(ctx, agg_of(ctx)->name, pt_stats_strerror(st));
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

static void fn_d(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[2], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_d", x))
        return;
    st = pt_stats_d(x[0], x[1], &r);
    score_result(ctx, "pt_d", st, r);
}

static void fn_d_pct(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[2], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_d_pct", x))
        return;
    st = pt_stats_d_pct(x[0], x[1], &r);
    score_result(ctx, "pt_d_pct", st, r);
}

static void fn_pa(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[3], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_pa", x))
        return;
    st = pt_stats_pa(x[0], x[1], x[2], &r);
    score_result(ctx, "pt_pa", st, r);
}

static void fn_horwitz(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[1], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_horwitz", x))
        return;
    st = pt_stats_horwitz(x[0], &r);
    score_result(ctx, "pt_horwitz", st, r);
}

static void fn_sigma_pt_precision(sqlite3_context *ctx, int argc,
                                  sqlite3_value **argv)
{
    double x[3], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_sigma_pt_precision", x))
        return;
    st = pt_stats_sigma_pt_precision(x[0], x[1], x[2], &r);
    score_result(ctx, "pt_sigma_pt_precision", st, r);
}

static void fn_sigma_from_limit(sqlite3_context *ctx, int argc,
                                sqlite3_value **argv)
{
    double x[1], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_sigma_from_limit", x))
        return;
    st = pt_stats_sigma_from_limit(x[0], &r);
    score_result(ctx, "pt_sigma_from_limit", st, r);
}

static void fn_unc_flags(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x[3];
    unsigned flags = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_unc_flags", x))
        return;
    st = pt_stats_uncertainty_flags(x[0], x[1], x[2], &flags);
    if (st == PT_STATS_OK)
        sqlite3_result_int(ctx, (int)flags);
    else
        score_result(ctx, "pt_unc_flags", st, 0.0);
}

static void fn_assigned_u(sqlite3_context *ctx, int argc,
                          sqlite3_value **argv)
{
    double x[4], xpt = 0, r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_assigned_u", x))
        return;
    st = pt_stats_assigned_known(0.0, x[0], x[1], x[2], x[3], &xpt, &r);
    score_result(ctx, "pt_assigned_u", st, r);
}

static void fn_sigma_pt_limits(sqlite3_context *ctx, int argc,
                               sqlite3_value **argv)
{
    double x[3], r = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_sigma_pt_limits", x))
        return;
    st = pt_stats_sigma_pt_from_limits(x[0], x[1], x[2], &r);
    score_result(ctx, "pt_sigma_pt_limits", st, r);
}

/* pt_consensus_check(x*, u(x*), x_ref, u_ref): 1 when x_ref - x* is
 * significant (7.8), else 0. */
static void fn_consensus_check(sqlite3_context *ctx, int argc,
                               sqlite3_value **argv)
{
    double x[4], d, ud;
    int sig = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, "pt_consensus_check", x))
        return;
    st = pt_stats_consensus_check(x[0], x[1], x[2], x[3], &d, &ud, &sig);
    if (st == PT_STATS_OK)
        sqlite3_result_int(ctx, sig);
    else
        score_result(ctx, "pt_consensus_check", st, 0.0);
}

/* pt_formulation_x(P, m_a, m_t, x0, f) and pt_formulation_u(P, u_P, m_a,
 * u_a, m_t, u_t, u_x0, f): a formulation's value and u_char (7.3). */
static void fn_formulation(sqlite3_context *ctx, int argc,
                           sqlite3_value **argv)
{
    const char *fn = argc == 5 ? "pt_formulation_x" : "pt_formulation_u";
    pt_formulation f;
    double x[8], xv = 0, uv = 0;
    pt_stats_status st;
    if (!number_args(ctx, argc, argv, fn, x))
        return;
    if (argc == 5) {
        f.purity = x[0];
        f.m_analyte = x[1];
        f.m_total = x[2];
        f.x0 = x[3];
        f.factor = x[4];
        f.u_purity = f.u_m_analyte = f.u_m_total = f.u_x0 = 0.0;
    } else {
        f.purity = x[0];
        f.u_purity = x[1];
        f.m_analyte = x[2];
        f.u_m_analyte = x[3];
        f.m_total = x[4];
        f.u_m_total = x[5];
        f.u_x0 = x[6];
        f.factor = x[7];
        f.x0 = 0.0;
    }
    st = pt_stats_assigned_formulation(&f, &xv, &uv);
    score_result(ctx, fn, st, argc == 5 ? xv : uv);
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
    {"pt_median", AGG_MEDIAN, 1},
    {"pt_made", AGG_MADE, 1},
    {"pt_niqr", AGG_NIQR, 1},
    {"pt_alga_x", AGG_ALGA_X, 1},
    {"pt_alga_s", AGG_ALGA_S, 1},
    {"pt_alga_u", AGG_ALGA_U, 1},
    {"pt_alga_fixed_x", AGG_ALGA_FIXED_X, 1},
    {"pt_qn", AGG_QN, 1},
    {"pt_qmethod_s", AGG_QMETHOD_S, 1},
    {"pt_hampel_x", AGG_HAMPEL_X, 1},
    {"pt_qhampel_u", AGG_QHAMPEL_U, 1},
    {"pt_qmethod_s", AGG_QMETHOD_LAB, 2},
    {"pt_algs", AGG_ALGS, 2},
    {"pt_kernel_mode", AGG_KERNEL_MODE, 2},
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
    {"pt_d", 2, fn_d},
    {"pt_d_pct", 2, fn_d_pct},
    {"pt_pa", 3, fn_pa},
    {"pt_horwitz", 1, fn_horwitz},
    {"pt_sigma_pt_precision", 3, fn_sigma_pt_precision},
    {"pt_sigma_from_limit", 1, fn_sigma_from_limit},
    {"pt_unc_flags", 3, fn_unc_flags},
    {"pt_assigned_u", 4, fn_assigned_u},
    {"pt_sigma_pt_limits", 3, fn_sigma_pt_limits},
    {"pt_consensus_check", 4, fn_consensus_check},
    {"pt_formulation_x", 5, fn_formulation},
    {"pt_formulation_u", 8, fn_formulation},
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

    gsl_set_error_handler_off(); /* this library's private copy of GSL */
    for (i = 0; i < sizeof aggregates / sizeof aggregates[0]; i++) {
        rc = sqlite3_create_function(db, aggregates[i].name,
                                     aggregates[i].argc, PT_FLAGS,
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
    /* the record's score functions, which its views call */
    if ((rc = pt_sqlfn_register(db)) != SQLITE_OK)
        goto fail;
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
