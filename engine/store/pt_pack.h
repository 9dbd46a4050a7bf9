/*
 * pt_pack.h -- the results of each group packed for evaluation (schema
 * 006).
 *
 * A group is the results of one round for one measurand and item.  Its
 * pack (table result_pack) holds, for every version of every result that
 * is not voided (schema 012), the
 * six numbers evaluation reads: id, laboratory, version, value, U and k,
 * as one record of PT_PACK_RECORD_BYTES bytes, so that evaluating every
 * round reads one blob per group instead of one row per result.
 *
 * Record layout, every field little-endian: id (8-byte integer), laboratory
 * id (8-byte integer), version (4-byte integer), value, U and k (8-byte
 * IEEE doubles; U and k are NaN where the result row has NULL).  Records
 * are ordered by laboratory id, and for one laboratory the latest version
 * first: the first record of each laboratory is the result evaluation
 * scores.
 *
 * Operations that write results record what they wrote (pt_packs_add for
 * rows they insert, pt_packs_touch for a round to pack again from its
 * result rows) and end with pt_packs_commit inside their transaction.
 * pt_packs_check compares every stored pack with the result rows.
 */
#ifndef PT_PACK_H
#define PT_PACK_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"

#define PT_PACK_RECORD_BYTES 44

typedef struct pt_pack_record {
    long long id, lab;
    int version;
    double value, U, k; /* U and k: NAN for NULL */
} pt_pack_record;

/* Write r as one record at out. */
void pt_pack_encode(const pt_pack_record *r, unsigned char *out);

/* Read the record at in into r (OUT). */
void pt_pack_decode(const unsigned char *in, pt_pack_record *r);

/* Does a come before b in a pack (laboratory, then the latest version
 * first)?  Records of one group never tie. */
int pt_pack_before(const pt_pack_record *a, const pt_pack_record *b);

/* The groups one operation wrote, packed when it ends. */
typedef struct pt_pack_group pt_pack_group;

typedef struct pt_packs {
    sqlite3 *db;
    pt_pack_group *g;         /* groups with added records */
    size_t n, cap;
    size_t *slot;             /* open addressing on g: index + 1, 0 empty */
    size_t nslot;
    size_t last;              /* the group added to last, + 1 */
    long long *touched;       /* rounds to pack again from their rows */
    size_t n_touched, cap_touched;
    int all;                  /* pack every round again */
} pt_packs;

void pt_packs_init(pt_packs *p, sqlite3 *db);
void pt_packs_release(pt_packs *p);

/* Record r, a result row just inserted into group (round_id, measurand,
 * item). */
lims_status pt_packs_add(pt_packs *p, long long round_id,
                         const char *measurand, const char *item,
                         const pt_pack_record *r, char *err, size_t errlen);

/* Mark round_id to be packed again from its result rows. */
lims_status pt_packs_touch(pt_packs *p, long long round_id, char *err,
                           size_t errlen);

/* Mark every round (after a migration or a change applied from another
 * database). */
void pt_packs_touch_all(pt_packs *p);

/* Write the packs of every group added to or round touched, inside the
 * caller's transaction; the records added are freed as their groups are
 * written. */
lims_status pt_packs_commit(pt_packs *p, char *err, size_t errlen);

/* Pack round_id again from its result rows, or every round when round_id
 * is 0, inside the caller's transaction. */
lims_status pt_packs_rebuild(sqlite3 *db, long long round_id, char *err,
                             size_t errlen);

/* Called by pt_packs_check for each group whose stored pack is not the
 * pack of its result rows; what says how: "differ from the result rows",
 * "are missing" or "have no result rows". */
typedef void (*pt_pack_problem_fn)(void *ctx, long long round_id,
                                   const char *measurand, const char *item,
                                   const char *what);

/* Compare every stored pack with the pack its result rows give; returns
 * the number of groups found wrong in *bad (OUT). */
lims_status pt_packs_check(sqlite3 *db, pt_pack_problem_fn problem,
                           void *ctx, unsigned long *bad, char *err,
                           size_t errlen);

#endif /* PT_PACK_H */
