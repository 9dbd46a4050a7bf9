/*
 * pt_sqlfn.c -- the statistics library's scores as SQL functions (see
 * pt_sqlfn.h).  Each function only reads its arguments and calls stats/.
 */
#include "pt_sqlfn.h"

#ifdef PT_SQLFN_EXTENSION
SQLITE_EXTENSION_INIT3
#endif

#include <math.h>
#include <stddef.h>

#include "pt_stats.h"

/* argv[0..argc-1] as doubles (NULL: NaN); 0 when one is not a number. */
static int numbers(int argc, sqlite3_value **argv, double *x)
{
    int i;

    for (i = 0; i < argc; i++) {
        switch (sqlite3_value_numeric_type(argv[i])) {
        case SQLITE_NULL:
            x[i] = NAN;
            break;
        case SQLITE_INTEGER:
        case SQLITE_FLOAT:
            x[i] = sqlite3_value_double(argv[i]);
            break;
        default:
            return 0;
        }
    }
    return 1;
}

static void result_score(sqlite3_context *ctx, pt_stats_status st, double v)
{
    if (st == PT_STATS_OK && isfinite(v))
        sqlite3_result_double(ctx, v);
    else
        sqlite3_result_null(ctx);
}

typedef pt_stats_status (*fn2)(double, double, double *);
typedef pt_stats_status (*fn3)(double, double, double, double *);
typedef pt_stats_status (*fn4)(double, double, double, double, double *);

/* One scalar: its stats/ function by its number of arguments. */
static void score(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const void *f = sqlite3_user_data(ctx);
    double x[4], v = NAN;
    pt_stats_status st = PT_STATS_BAD_ARG;

    if (argc > 4 || !numbers(argc, argv, x)) {
        sqlite3_result_null(ctx);
        return;
    }
    if (argc == 2)
        st = (*(const fn2 *)f)(x[0], x[1], &v);
    else if (argc == 3)
        st = (*(const fn3 *)f)(x[0], x[1], x[2], &v);
    else if (argc == 4)
        st = (*(const fn4 *)f)(x[0], x[1], x[2], x[3], &v);
    result_score(ctx, st, v);
}

/* pt_score_*(x, U, k, x_pt, u_x_pt, U_x_pt, sigma_pt, by_reference,
 * en_le_one): the score a verdict is on (pt_stats_primary_score). */
enum { PRIMARY_KIND, PRIMARY_VALUE, PRIMARY_CLASS };
static const int primary_what[] = {PRIMARY_KIND, PRIMARY_VALUE,
                                   PRIMARY_CLASS};

static void primary(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int what = *(const int *)sqlite3_user_data(ctx);
    pt_stats_score_in in;
    pt_stats_score_kind kind;
    pt_stats_class cls;
    double x[9], v;

    if (argc != 9 || !numbers(argc, argv, x)) {
        sqlite3_result_null(ctx);
        return;
    }
    in.x = x[0];
    in.U = x[1];
    in.k = x[2];
    in.x_pt = x[3];
    in.u_x_pt = x[4];
    in.U_x_pt = x[5];
    in.sigma_pt = x[6];
    in.by_reference = !isnan(x[7]) && x[7] != 0;
    in.en_le_one_satisfactory = isnan(x[8]) || x[8] != 0;
    if (pt_stats_primary_score(&in, &kind, &v, &cls) != PT_STATS_OK)
        sqlite3_result_null(ctx);
    else if (what == PRIMARY_KIND)
        sqlite3_result_text(ctx, pt_stats_score_kind_name(kind), -1,
                            SQLITE_STATIC);
    else if (what == PRIMARY_VALUE)
        sqlite3_result_double(ctx, v);
    else
        sqlite3_result_text(ctx, pt_stats_class_name(cls), -1,
                            SQLITE_STATIC);
}

static const fn2 f_d = pt_stats_d, f_d_pct = pt_stats_d_pct;
static const fn3 f_z = pt_stats_z;
static const fn4 f_zprime = pt_stats_z_prime, f_zeta = pt_stats_zeta,
                 f_en = pt_stats_en;

#ifndef PT_SQLFN_EXTENSION
/* pt_reopening(round_id): 1 while this connection is reopening the round
 * (its id in the connection's temp.pt_reopen), else 0. */
static void reopening(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    sqlite3_stmt *q = NULL;
    int yes = 0;

    (void)argc;
    if (sqlite3_prepare_v2(sqlite3_context_db_handle(cx),
                           "SELECT 1 FROM temp.pt_reopen WHERE round_id = ?1",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_value(q, 1, argv[0]);
        yes = sqlite3_step(q) == SQLITE_ROW;
    }
    sqlite3_finalize(q);
    sqlite3_result_int(cx, yes);
}
#endif

int pt_sqlfn_register(sqlite3 *db)
{
    static const struct {
        const char *name;
        int argc;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
        const void *data;
    } fns[] = {
        {"pt_score_d", 2, score, &f_d},
        {"pt_score_d_pct", 2, score, &f_d_pct},
        {"pt_score_z", 3, score, &f_z},
        {"pt_score_zprime", 4, score, &f_zprime},
        {"pt_score_zeta", 4, score, &f_zeta},
        {"pt_score_en", 4, score, &f_en},
        {"pt_score_kind", 9, primary, &primary_what[PRIMARY_KIND]},
        {"pt_score_value", 9, primary, &primary_what[PRIMARY_VALUE]},
        {"pt_score_class", 9, primary, &primary_what[PRIMARY_CLASS]},
    };
    size_t i;
    int rc;

    for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        rc = sqlite3_create_function_v2(
            db, fns[i].name, fns[i].argc,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
            (void *)fns[i].data, fns[i].fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
#ifndef PT_SQLFN_EXTENSION
    return sqlite3_create_function_v2(db, "pt_reopening", 1,
                                      SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                                      reopening, NULL, NULL, NULL);
#else
    return SQLITE_OK;
#endif
}
