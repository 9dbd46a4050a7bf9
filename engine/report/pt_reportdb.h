/*
 * pt_reportdb.h -- private to pt_reportdb.c and pt_reportdb_audit.c: the
 * state of reading one laboratory's record into a pt_report.
 *
 * Before the workbook is written, everything but the other participants'
 * results is read into the pt_report (rounds, evaluations, the
 * laboratory's own results, plan, actions, methods, limits); every string
 * it points to is copied into a pool freed at the end.  Every
 * participant's result is then read round by round while the workbook is
 * written (pt_report_source), into a buffer reused from round to round.
 *
 * Every row read is also fed, column by column, into a SHA-256 (the "data
 * SHA-256" on the Index sheet), in a fixed order whatever the workbook
 * asks for first: the request, the laboratory, the rounds with their
 * evaluations, plan, actions, compare history, methods, limits, then the
 * results with their scores round by round.  The same database,
 * laboratory and period give the same digest, whatever the language.
 */
#ifndef PT_REPORTDB_H
#define PT_REPORTDB_H

#include <sqlite3.h>
#include <stddef.h>

#include "pt_core.h"
#include "pt_report.h"
#include "pt_sha256.h"

typedef struct pt_pool {
    char **s;
    size_t n, cap;
    int failed;
} pt_pool;

/* Strings of one round's results: blocks kept from round to round. */
typedef struct pt_arena {
    char **blocks;
    size_t n_blocks, cap_blocks;
    size_t at, used; /* the block being filled and its bytes used */
    char **big;      /* strings longer than a block, freed on reset */
    size_t n_big, cap_big;
    int failed;
} pt_arena;

typedef struct pt_build {
    sqlite3 *db;
    lims_instance *inst;
    const lims_report_request *req;
    pt_pool pool;
    pt_report rep;
    pt_report_round *rounds;
    size_t n_rounds, cap_rounds;
    /* the laboratory's own results */
    pt_report_row *rows;
    long long *row_result; /* result id of rows[i] */
    size_t n_rows, cap_rows, cap_row_result;
    long long lab_id;
    /* evaluation ids of every round's groups: round i's are
     * evals[first_group[i]] .. evals[first_group[i + 1] - 1] */
    long long *evals;
    size_t n_evals, cap_evals;
    size_t *first_group;
    size_t n_first, cap_first;
    size_t n_results; /* every participant's, all rounds */
    /* reading the results round by round (pt_report_source) */
    pt_report_source source;
    sqlite3_stmt *rq;   /* one group's results */
    pt_report_row *buf; /* one round's */
    size_t n_buf, cap_buf;
    pt_arena arena;
    long long *withheld; /* laboratories of the round shown as withheld */
    size_t n_withheld, cap_withheld;
    size_t hashed; /* rounds whose results are in the digest */
    pt_sha256 sha;
    char sha_hex[PT_SHA256_HEX_SIZE];
    /* the audit arrays, freed by pt_reportdb_audit_free() */
    pt_report_plan *plans;
    size_t n_plans, cap_plans;
    long long *plan_ids; /* pt_plan.id of plans[i] */
    size_t n_plan_ids, cap_plan_ids;
    pt_report_capa *capas;
    size_t n_capas, cap_capas;
    pt_report_compare *compares;
    size_t n_compares, cap_compares;
    pt_report_method *methods;
    size_t n_methods, cap_methods;
    pt_report_limit *limits;
    size_t n_limits, cap_limits;
    void **blocks; /* other allocations (plan counts) */
    size_t n_blocks, cap_blocks;
} pt_build;

/* A copy of s owned by the pool ("" on allocation failure, noted). */
const char *pt_reportdb_keep(pt_pool *p, const char *s);

/* Grows *arr (elements of `size`) by one zeroed element; NULL on failure. */
void *pt_reportdb_push(void *arr, size_t *n, size_t *cap, size_t size);

/* Feeds the current row of `st` into the data digest: each column as a
 * type letter and its value, 'i' and the integer as 8 bytes (two's
 * complement, most significant first), 'f' and the IEEE 754 double as 8
 * bytes (most significant first), 't', the length as 4 bytes (most
 * significant first) and the bytes of the text, or 'n' for NULL; then
 * '\n'. */
void pt_reportdb_hash_row(pt_build *b, sqlite3_stmt *st);

/* Feeds a text (as a 't' column above) or a number ('f') into the digest,
 * for what is read otherwise than as a row of a statement. */
void pt_reportdb_hash_text(pt_build *b, const char *s);
void pt_reportdb_hash_double(pt_build *b, double v);

/* The measurand's name in the report's language, or the id. */
const char *pt_reportdb_measurand_name(pt_build *b, const char *scheme,
                                       const char *id);

/* The scheme's name in the report's language, or the id. */
const char *pt_reportdb_scheme_name(pt_build *b, const char *scheme);

/* Reads the plan, corrective actions, compare history, methods and limits
 * (after the rounds and rows).  LIMS_OK or a status with a message. */
lims_status pt_reportdb_audit(pt_build *b, char *err, size_t errlen);
void pt_reportdb_audit_free(pt_build *b);

/* SQL: item x of kind k is not voided (schema 012), so it counts in the
 * workbook. */
#define PT_COUNTS(k, x)                                                      \
    "NOT EXISTS (SELECT 1 FROM voided v WHERE v.kind = '" k "' AND "         \
    "v.row_id = " x ")"

#endif /* PT_REPORTDB_H */
