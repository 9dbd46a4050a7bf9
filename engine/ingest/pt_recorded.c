/*
 * pt_recorded.c -- comparing a file's row with the record (see
 * pt_recorded.h).
 */
#include "pt_recorded.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_store.h"

static lims_status no_memory(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    return LIMS_ERR_NOMEM;
}

/* Is the recorded value in column i of q the file's text t? */
static int same_value(sqlite3_stmt *q, int i, const pt_recorded_field *f)
{
    char *end;
    double x;

    if (sqlite3_column_type(q, i) == SQLITE_NULL ||
        (sqlite3_column_type(q, i) == SQLITE_TEXT &&
         !*pt_store_text(q, i) && !*f->text))
        return !*f->text;
    if (!f->number)
        return strcmp(pt_store_text(q, i), f->text) == 0;
    if (!*f->text)
        return 0;
    x = strtod(f->text, &end);
    return !*end && x == sqlite3_column_double(q, i);
}

lims_status pt_recorded_row(sqlite3 *db, const char *id_expr,
                            const char *from_where, const char *const *keys,
                            size_t n_keys, const pt_recorded_field *f,
                            size_t n, pt_recorded *out, char *err,
                            size_t errlen)
{
    sqlite3_stmt *q;
    char *sql = sqlite3_mprintf("SELECT %s", id_expr), *t;
    lims_status rc;
    size_t i;

    memset(out, 0, sizeof *out);
    for (i = 0; sql && i < n; i++) {
        t = sqlite3_mprintf("%s, %s", sql, f[i].expr);
        sqlite3_free(sql);
        sql = t;
    }
    t = sql ? sqlite3_mprintf("%s %s", sql, from_where) : NULL;
    sqlite3_free(sql);
    if (!t)
        return no_memory(err, errlen);
    rc = pt_store_prepare(db, t, &q, err, errlen);
    sqlite3_free(t);
    if (rc)
        return rc;
    for (i = 0; i < n_keys; i++)
        pt_store_bind_text(q, (int)i + 1, keys[i]);
    if (sqlite3_step(q) == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->state = PT_RECORDED_SAME;
        for (i = 0; i < n; i++)
            if (!same_value(q, (int)i + 1, &f[i])) {
                out->state = PT_RECORDED_DIFFERS;
                out->field = i;
                snprintf(out->was, sizeof out->was, "%.200s",
                         pt_store_text(q, (int)i + 1));
                break;
            }
    }
    sqlite3_finalize(q);
    return LIMS_OK;
}

lims_status pt_recorded_conditions(sqlite3 *db, long long result_id,
                                   const char *const *names,
                                   const char *const *values, size_t n,
                                   int *same, size_t *which, char *err,
                                   size_t errlen)
{
    sqlite3_stmt *q;
    size_t i, given = 0, found = 0;
    lims_status rc = pt_store_prepare(
        db, "SELECT name, value FROM result_condition WHERE result_id = ?1",
        &q, err, errlen);

    if (rc)
        return rc;
    *same = 1;
    *which = n;
    for (i = 0; i < n; i++)
        given += *values[i] != 0;
    sqlite3_bind_int64(q, 1, result_id);
    while (*same && sqlite3_step(q) == SQLITE_ROW) {
        const char *name = pt_store_text(q, 0), *v = pt_store_text(q, 1);
        for (i = 0; i < n; i++)
            if (strcmp(names[i], name) == 0)
                break;
        if (i == n)
            continue; /* a column the file does not have */
        if (strcmp(values[i], v) != 0) {
            *same = 0;
            *which = i;
        }
        found++;
    }
    sqlite3_finalize(q);
    if (*same && found != given) {
        *same = 0; /* a condition the record lacks */
        for (i = 0; i < n && *which == n; i++)
            if (*values[i])
                *which = i;
    }
    return LIMS_OK;
}
