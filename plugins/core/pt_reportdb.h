/*
 * pt_reportdb.h -- private to pt_reportdb.c and pt_reportdb_audit.c: the
 * state of reading one laboratory's record into a pt_report.
 *
 * Every string the report points to is copied into a pool freed at the
 * end.  Every row read from the database is also fed, column by column,
 * into a SHA-256 (the "data SHA-256" on the Index sheet): the same database,
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

typedef struct pt_build {
    sqlite3 *db;
    lims_instance *inst;
    const lims_report_request *req;
    pt_pool pool;
    pt_report rep;
    pt_report_round *rounds;
    size_t n_rounds, cap_rounds;
    pt_report_row *rows;
    long long *row_result; /* result id of rows[i] */
    size_t n_rows, cap_rows, cap_row_result;
    long long lab_id;
    pt_sha256 sha;
    char sha_hex[PT_SHA256_HEX_SIZE];
    /* the audit arrays, freed by pt_reportdb_audit_free() */
    pt_report_plan *plans;
    size_t n_plans, cap_plans;
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

/* Feeds the current row of `st` into the data digest. */
void pt_reportdb_hash_row(pt_build *b, sqlite3_stmt *st);

/* The measurand's name in the report's language, or the id. */
const char *pt_reportdb_measurand_name(pt_build *b, const char *scheme,
                                       const char *id);

/* Reads the plan, corrective actions, compare history, methods and limits
 * (after the rounds and rows).  LIMS_OK or a status with a message. */
lims_status pt_reportdb_audit(pt_build *b, char *err, size_t errlen);
void pt_reportdb_audit_free(pt_build *b);

#endif /* PT_REPORTDB_H */
