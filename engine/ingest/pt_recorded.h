/*
 * pt_recorded.h -- is a row of a file already in the record, as it is?
 *
 * A file imported a second time (a folder imported again, a list of files
 * of which some were imported before) is recorded already: an import then
 * says so and writes nothing, instead of refusing its first row.  A row
 * is compared with the recorded row of the same key field by field, texts
 * as they were given (a missing value as ""), numbers by their value; the
 * first field that differs is named, so that a file that only partly
 * matches the record is refused at that cell.
 */
#ifndef PT_RECORDED_H
#define PT_RECORDED_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"

typedef enum pt_recorded_state {
    PT_NOT_RECORDED = 0, /* no row of that key */
    PT_RECORDED_SAME,    /* recorded, every field the same */
    PT_RECORDED_DIFFERS  /* recorded with another value of `field` */
} pt_recorded_state;

/* One field of a row: the SQL expression that gives the recorded value
 * (a column of the query's FROM), the name to show, the text the file
 * gives ("" for none) and whether it is compared as a number. */
typedef struct pt_recorded_field {
    const char *expr, *name, *text;
    int number;
} pt_recorded_field;

typedef struct pt_recorded {
    pt_recorded_state state;
    long long id;      /* the recorded row's id (id_expr) */
    size_t field;      /* PT_RECORDED_DIFFERS: the index of the field */
    char was[256];     /* its recorded text, clipped for a message */
} pt_recorded;

/* Compare: "SELECT id_expr, f[0].expr, … <from_where>" with keys[i] bound
 * as ?i+1 (NULL binds NULL).  The first row found is compared. */
lims_status pt_recorded_row(sqlite3 *db, const char *id_expr,
                            const char *from_where, const char *const *keys,
                            size_t n_keys, const pt_recorded_field *f,
                            size_t n, pt_recorded *out, char *err,
                            size_t errlen);

/* The conditions recorded with result result_id against the names[i] =
 * values[i] a file gives ("" where it gives none; a recorded condition
 * of a name the file has no column for is not compared): *same is 1 when
 * they are the same, else 0 and *which the index of the first that
 * differs. */
lims_status pt_recorded_conditions(sqlite3 *db, long long result_id,
                                   const char *const *names,
                                   const char *const *values, size_t n,
                                   int *same, size_t *which, char *err,
                                   size_t errlen);

#endif /* PT_RECORDED_H */
