/*
 * ptlims_pg.c -- the ISO 13528 statistics as PostgreSQL functions, for a
 * PostgreSQL-based LIMS or a head office: CREATE EXTENSION ptlims.
 *
 *     SELECT round_id, pt_alga_x(value), pt_alga_s(value)
 *       FROM result GROUP BY round_id;
 *     SELECT lab, pt_z(value, pt_alga_x(value) OVER w, 1.01)
 *       FROM result WINDOW w AS (PARTITION BY round_id);
 *
 * The SQL names and what they return are those of the SQLite extension
 * (plugins/sqlite/ptlims_sqlite.c); ptlims--*.sql declares them.
 *
 * Aggregates.  Every estimator needs all the values of its group, so the
 * transition state is one growing array of doubles (pt_values) in the
 * memory context PostgreSQL gives the aggregate; it may exceed 1 GB
 * (huge allocations).  NULLs are skipped.  Partial states of parallel
 * workers travel as bytea (the array's bytes) and are combined by
 * appending, so the aggregates are PARALLEL SAFE; a partial state of more
 * than 1 GB cannot travel and stops the statement with a hint.  The final
 * functions sort the state's values in place and then use the statistics
 * library's *_sorted forms: the state stays the same multiset, so the
 * final functions are READ_ONLY in PostgreSQL's sense (one state can serve
 * pt_alga_x and pt_alga_s of one query, and a window frame can go on
 * growing after a final call), and the result does not depend on the order
 * the rows arrived in, serial or parallel.  NULL comes back for a group
 * with no value, too few values for the estimator (pt_stats_status
 * PT_STATS_TOO_FEW), or no scale (PT_STATS_ZERO_SCALE: all values equal);
 * any other status (NaN or infinity among the values) is an ERROR naming
 * the function.
 *
 * Scalars (declared STRICT: NULL in, NULL out) call the score functions
 * and the classifications of stats/; a σ or uncertainty that is not
 * positive is an ERROR, as in the SQLite extension.
 *
 * Everything is computed by the statistics library (stats/, linked in
 * statically): the SQL functions give the very numbers `ptlims` stores.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include <gsl/gsl_errno.h>

#include "pt_stats.h"

PG_MODULE_MAGIC;

void _PG_init(void);

/* GSL's default error handler aborts the process: in a PostgreSQL backend
 * that would end every session of the server (crash and recovery).  The
 * statistics library checks the results of the GSL calls it makes. */
void _PG_init(void)
{
    gsl_set_error_handler_off();
}

/* ---- The aggregates' state ---------------------------------------------- */

/* The values of one group, in the aggregate's memory context. */
typedef struct pt_values {
    Size n;      /* values held */
    Size cap;    /* room in v[] */
    bool sorted; /* v[0..n) is in ascending order */
    double *v;
} pt_values;

#define PT_VALUES_FIRST 64
#define PT_VALUES_MAX (MaxAllocHugeSize / sizeof(double))

/* A new empty state in `cx`; never NULL (PostgreSQL raises the error). */
static pt_values *values_new(MemoryContext cx, Size cap)
{
    pt_values *s = MemoryContextAllocZero(cx, sizeof *s);

    if (cap < PT_VALUES_FIRST)
        cap = PT_VALUES_FIRST;
    s->v = MemoryContextAllocHuge(cx, cap * sizeof(double));
    s->cap = cap;
    s->sorted = true;
    return s;
}

/* Room for `more` values after the n held, in the context v[] lives in. */
static void values_reserve(pt_values *s, Size more)
{
    Size cap = s->cap;

    if (more > PT_VALUES_MAX - s->n)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("ptlims: more than %zu values in one group",
                               (size_t)PT_VALUES_MAX)));
    if (s->n + more <= cap)
        return;
    while (cap < s->n + more)
        cap = cap > PT_VALUES_MAX / 2 ? PT_VALUES_MAX : 2 * cap;
    s->v = repalloc_huge(s->v, cap * sizeof(double));
    s->cap = cap;
}

static void values_append(pt_values *s, const double *x, Size n)
{
    if (n == 0)
        return;
    values_reserve(s, n);
    memcpy(s->v + s->n, x, n * sizeof(double));
    s->n += n;
    s->sorted = false;
}

/* The aggregate's memory context, or an ERROR outside an aggregate. */
static MemoryContext agg_context(FunctionCallInfo fcinfo, const char *fn)
{
    MemoryContext cx;

    if (!AggCheckCallContext(fcinfo, &cx))
        ereport(ERROR,
                (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                 errmsg("%s can only be called by a ptlims aggregate", fn)));
    return cx;
}

PG_FUNCTION_INFO_V1(pt_pg_values_add);
PG_FUNCTION_INFO_V1(pt_pg_values_combine);
PG_FUNCTION_INFO_V1(pt_pg_values_serialize);
PG_FUNCTION_INFO_V1(pt_pg_values_deserialize);

/* pt_values_add(internal, float8) RETURNS internal: the transition. */
Datum pt_pg_values_add(PG_FUNCTION_ARGS)
{
    MemoryContext cx = agg_context(fcinfo, "pt_values_add");
    pt_values *s = PG_ARGISNULL(0) ? NULL : (pt_values *)PG_GETARG_POINTER(0);
    double x;

    if (PG_ARGISNULL(1)) {
        if (!s)
            PG_RETURN_NULL();
        PG_RETURN_POINTER(s);
    }
    if (!s)
        s = values_new(cx, 0);
    x = PG_GETARG_FLOAT8(1);
    values_append(s, &x, 1);
    PG_RETURN_POINTER(s);
}

/* pt_values_combine(internal, internal) RETURNS internal: the second
 * state's values appended to the first; the result lives in the
 * aggregate's context (the second may be a deserialized copy in a
 * short-lived one). */
Datum pt_pg_values_combine(PG_FUNCTION_ARGS)
{
    MemoryContext cx = agg_context(fcinfo, "pt_values_combine");
    pt_values *a = PG_ARGISNULL(0) ? NULL : (pt_values *)PG_GETARG_POINTER(0);
    pt_values *b = PG_ARGISNULL(1) ? NULL : (pt_values *)PG_GETARG_POINTER(1);

    if (!b || b->n == 0) {
        if (!a)
            PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (!a)
        a = values_new(cx, b->n);
    values_append(a, b->v, b->n);
    PG_RETURN_POINTER(a);
}

/* pt_values_serialize(internal) RETURNS bytea: the values' bytes, for a
 * parallel worker's partial state (same machine, same layout). */
Datum pt_pg_values_serialize(PG_FUNCTION_ARGS)
{
    pt_values *s = (pt_values *)PG_GETARG_POINTER(0);
    Size len = s->n * sizeof(double);
    bytea *out;

    if (len > MaxAllocSize - VARHDRSZ)
        ereport(ERROR,
                (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                 errmsg("ptlims: a parallel worker's %zu values do not fit "
                        "in 1 GB",
                        (size_t)s->n),
                 errhint("SET max_parallel_workers_per_gather = 0 for this "
                         "query.")));
    out = palloc(VARHDRSZ + len);
    SET_VARSIZE(out, VARHDRSZ + len);
    if (len)
        memcpy(VARDATA(out), s->v, len);
    PG_RETURN_BYTEA_P(out);
}

/* pt_values_deserialize(bytea, internal) RETURNS internal: a state in the
 * current memory context. */
Datum pt_pg_values_deserialize(PG_FUNCTION_ARGS)
{
    bytea *b = PG_GETARG_BYTEA_PP(0);
    Size len = VARSIZE_ANY_EXHDR(b), n = len / sizeof(double);
    pt_values *s;

    (void)agg_context(fcinfo, "pt_values_deserialize");
    if (len % sizeof(double) != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("ptlims: a partial state of %zu bytes is not an "
                               "array of float8",
                               (size_t)len)));
    s = values_new(CurrentMemoryContext, n);
    if (n) {
        memcpy(s->v, VARDATA_ANY(b), len);
        s->n = n;
        s->sorted = false;
    }
    PG_RETURN_POINTER(s);
}

/* ---- Final functions --------------------------------------------------- */

/* ERROR for a status the SQL function cannot turn into NULL. */
static void pt_error(const char *fn, pt_stats_status st)
{
    ereport(ERROR, (errcode(st == PT_STATS_NONFINITE
                                ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE
                                : ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s: %s", fn, pt_stats_strerror(st))));
}

/* The group's values sorted ascending, or NULL when there are none. */
static const pt_values *final_values(FunctionCallInfo fcinfo, const char *fn)
{
    pt_values *s;
    pt_stats_status st;

    if (PG_ARGISNULL(0))
        return NULL;
    s = (pt_values *)PG_GETARG_POINTER(0);
    if (s->n == 0)
        return NULL;
    if (!s->sorted) {
        st = pt_stats_sort(s->v, s->n, s->v);
        if (st != PT_STATS_OK)
            pt_error(fn, st);
        s->sorted = true;
    }
    return s;
}

/* 1 when the aggregate's result is r, 0 when it is NULL; ERROR otherwise. */
static int final_status(const char *fn, pt_stats_status st)
{
    if (st == PT_STATS_OK)
        return 1;
    if (st == PT_STATS_TOO_FEW || st == PT_STATS_ZERO_SCALE)
        return 0;
    pt_error(fn, st);
    return 0;
}

enum pt_estimate {
    EST_X, /* location x* */
    EST_S, /* scale s* */
    EST_U  /* u(x_pt) = 1.25 s* / sqrt(n) */
};

/* Algorithm A (ISO 13528 C.3.1, default options) of sorted values. */
static pt_stats_status alga(const pt_values *s, enum pt_estimate e, double *out)
{
    pt_alga_result a;
    double median, made;
    pt_stats_status st;

    if (s->n < 3)
        return PT_STATS_TOO_FEW;
    if ((st = pt_stats_median_sorted(s->v, s->n, &median)) ||
        (st = pt_stats_made_sorted(s->v, s->n, &made)) ||
        (st = pt_stats_alga_from(s->v, s->n, NULL, median, made, &a)))
        return st;
    *out = e == EST_X ? a.x : e == EST_S ? a.s : a.u_x;
    return PT_STATS_OK;
}

/* Qn (C.5.2.1), or Q/Hampel (C.5.4) with one value per laboratory, of
 * sorted values; the work arrays are freed before returning. */
static pt_stats_status qn_or_qhampel(const pt_values *s, int qhampel,
                                     enum pt_estimate e, double *out)
{
    Size nw = qhampel ? PT_STATS_QHAMPEL_SORTED_WORK(s->n)
                      : PT_STATS_QN_SORTED_WORK(s->n);
    Size ni = qhampel ? PT_STATS_QHAMPEL_SORTED_IWORK(s->n)
                      : PT_STATS_QN_SORTED_IWORK(s->n);
    double *work;
    size_t *iwork;
    pt_qhampel_result q;
    pt_stats_status st;

    if (s->n < 2)
        return PT_STATS_TOO_FEW;
    work = palloc_extended(nw * sizeof *work, MCXT_ALLOC_HUGE);
    iwork = palloc_extended(ni * sizeof *iwork, MCXT_ALLOC_HUGE);
    if (!qhampel) {
        st = pt_stats_qn_sorted(s->v, s->n, work, iwork, out);
    } else {
        st = pt_stats_qhampel_sorted(s->v, s->n, work, iwork, &q);
        if (st == PT_STATS_OK)
            *out = e == EST_X ? q.x : e == EST_S ? q.s : q.u_x;
    }
    pfree(work);
    pfree(iwork);
    return st;
}

/* What each aggregate computes from its sorted values. */
enum pt_agg {
    AGG_MEDIAN,
    AGG_MADE,
    AGG_NIQR,
    AGG_ALGA_X,
    AGG_ALGA_S,
    AGG_ALGA_U,
    AGG_QN,
    AGG_QHAMPEL_X,
    AGG_QHAMPEL_S,
    AGG_QHAMPEL_U
};

static const char *const agg_names[] = {
    "pt_median", "pt_made", "pt_niqr",      "pt_alga_x",    "pt_alga_s",
    "pt_alga_u", "pt_qn",   "pt_qhampel_x", "pt_qhampel_s", "pt_qhampel_u"};

/* The final function of aggregate `k`: float8 or NULL. */
static Datum agg_final(FunctionCallInfo fcinfo, enum pt_agg k)
{
    const char *fn = agg_names[k];
    const pt_values *s = final_values(fcinfo, fn);
    pt_stats_status st = PT_STATS_OK;
    double r = 0;

    if (!s)
        PG_RETURN_NULL();
    switch (k) {
    case AGG_MEDIAN:
        st = pt_stats_median_sorted(s->v, s->n, &r);
        break;
    case AGG_MADE:
        st = pt_stats_made_sorted(s->v, s->n, &r);
        break;
    case AGG_NIQR:
        st = pt_stats_niqr_sorted(s->v, s->n, &r);
        break;
    case AGG_ALGA_X:
        st = alga(s, EST_X, &r);
        break;
    case AGG_ALGA_S:
        st = alga(s, EST_S, &r);
        break;
    case AGG_ALGA_U:
        st = alga(s, EST_U, &r);
        break;
    case AGG_QN:
        st = qn_or_qhampel(s, 0, EST_S, &r);
        break;
    case AGG_QHAMPEL_X:
        st = qn_or_qhampel(s, 1, EST_X, &r);
        break;
    case AGG_QHAMPEL_S:
        st = qn_or_qhampel(s, 1, EST_S, &r);
        break;
    case AGG_QHAMPEL_U:
        st = qn_or_qhampel(s, 1, EST_U, &r);
        break;
    }
    if (!final_status(fn, st))
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(r);
}

PG_FUNCTION_INFO_V1(pt_pg_median_final);
PG_FUNCTION_INFO_V1(pt_pg_made_final);
PG_FUNCTION_INFO_V1(pt_pg_niqr_final);
PG_FUNCTION_INFO_V1(pt_pg_alga_x_final);
PG_FUNCTION_INFO_V1(pt_pg_alga_s_final);
PG_FUNCTION_INFO_V1(pt_pg_alga_u_final);
PG_FUNCTION_INFO_V1(pt_pg_qn_final);
PG_FUNCTION_INFO_V1(pt_pg_qhampel_x_final);
PG_FUNCTION_INFO_V1(pt_pg_qhampel_s_final);
PG_FUNCTION_INFO_V1(pt_pg_qhampel_u_final);

Datum pt_pg_median_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_MEDIAN);
}

Datum pt_pg_made_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_MADE);
}

Datum pt_pg_niqr_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_NIQR);
}

Datum pt_pg_alga_x_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_ALGA_X);
}

Datum pt_pg_alga_s_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_ALGA_S);
}

Datum pt_pg_alga_u_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_ALGA_U);
}

Datum pt_pg_qn_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_QN);
}

Datum pt_pg_qhampel_x_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_QHAMPEL_X);
}

Datum pt_pg_qhampel_s_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_QHAMPEL_S);
}

Datum pt_pg_qhampel_u_final(PG_FUNCTION_ARGS)
{
    return agg_final(fcinfo, AGG_QHAMPEL_U);
}

/* ---- Scores and classes ------------------------------------------------- */

static Datum score_result(const char *fn, pt_stats_status st, double r)
{
    if (st != PT_STATS_OK)
        pt_error(fn, st);
    return Float8GetDatum(r);
}

PG_FUNCTION_INFO_V1(pt_pg_z);
PG_FUNCTION_INFO_V1(pt_pg_zprime);
PG_FUNCTION_INFO_V1(pt_pg_zeta);
PG_FUNCTION_INFO_V1(pt_pg_en);
PG_FUNCTION_INFO_V1(pt_pg_class_z);
PG_FUNCTION_INFO_V1(pt_pg_class_en);

/* pt_z(x, xpt, sigma) */
Datum pt_pg_z(PG_FUNCTION_ARGS)
{
    double r = 0;
    pt_stats_status st = pt_stats_z(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
                                    PG_GETARG_FLOAT8(2), &r);
    return score_result("pt_z", st, r);
}

/* pt_zprime(x, xpt, uxpt, sigma) */
Datum pt_pg_zprime(PG_FUNCTION_ARGS)
{
    double r = 0;
    pt_stats_status st =
        pt_stats_z_prime(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
                         PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), &r);
    return score_result("pt_zprime", st, r);
}

/* pt_zeta(x, u, xpt, uxpt) */
Datum pt_pg_zeta(PG_FUNCTION_ARGS)
{
    double r = 0;
    pt_stats_status st =
        pt_stats_zeta(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
                      PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), &r);
    return score_result("pt_zeta", st, r);
}

/* pt_en(x, U, xpt, Uxpt) */
Datum pt_pg_en(PG_FUNCTION_ARGS)
{
    double r = 0;
    pt_stats_status st =
        pt_stats_en(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
                    PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), &r);
    return score_result("pt_en", st, r);
}

/* The class as ptlims stores it ("satisfactory", ...). */
static text *class_text(pt_stats_class c)
{
    return cstring_to_text(pt_stats_class_name(c));
}

/* pt_class(score), pt_class_z, pt_class_zprime, pt_class_zeta */
Datum pt_pg_class_z(PG_FUNCTION_ARGS)
{
    PG_RETURN_TEXT_P(class_text(pt_stats_classify_z(PG_GETARG_FLOAT8(0))));
}

/* pt_class_en(en, le_one_satisfactory) */
Datum pt_pg_class_en(PG_FUNCTION_ARGS)
{
    PG_RETURN_TEXT_P(class_text(
        pt_stats_classify_en(PG_GETARG_FLOAT8(0), PG_GETARG_BOOL(1))));
}
