/*
 * pt_seal.h -- sealing the record: one digest per part of a round, written
 * once per operation and chained through the audit log (schema 005).
 *
 * A part is the rows of one table that belong to one round (its round row,
 * its measurands, its results, its evaluations), or the whole laboratory
 * table.  Sealing a part reads its rows in id order and records how many
 * there are, the SHA-256 of their canonical form and, per row, its id and
 * the row's own SHA-256, so that `ptlims verify` can name the row that
 * changed, went or appeared.  An operation marks the parts it rewrote
 * (pt_seals_touch: sealed by reading the part again) or the rows it only
 * appended (pt_seals_append_from: the new rows read once, in one pass,
 * and added to the part's last seal without reading the older rows again, so
 * that a change made to them outside ptlims stays visible), and ends with
 * pt_seals_commit, which appends one audit-log entry whose digest covers
 * every seal it writes.
 *
 * Canonical form of a row: the SHA-256 of, column by column in table
 * order, a type tag and the value as SQLite stores it: 'n' for NULL; 'i'
 * and 8 bytes big-endian for an integer; 'f' and the 8 bytes of the IEEE
 * double, big-endian, for a real (as a query of the table gives it: a
 * column declared REAL always gives reals); 't' or 'b', a 4-byte big-endian length and the bytes
 * for text and blobs.  A part's digest is the SHA-256 of "ptlims seal 1",
 * the part's name, its column names and every row's 32-byte digest in id
 * order.
 */
#ifndef PT_SEAL_H
#define PT_SEAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"
#include "pt_sha256.h"

typedef enum pt_part {
    PT_PART_LABORATORY, /* the whole table; round id 0 */
    PT_PART_ROUND,
    PT_PART_ROUND_MEASURAND,
    PT_PART_RESULT,
    PT_PART_EVALUATION,
    PT_PART_COUNT
} pt_part;

/* The table name of a part ("laboratory", "round", ...). */
const char *pt_part_name(pt_part part);

/* The state of one part as read now. */
typedef struct pt_part_state {
    long long rows;
    char digest[PT_SHA256_HEX_SIZE];
    unsigned char *row_hashes; /* rows x (8-byte id, 32-byte row hash) */
    size_t cap;                /* bytes allocated at row_hashes */
} pt_part_state;

#define PT_SEAL_ROW_BYTES (8 + PT_SHA256_SIZE)

/* The row id of one (id, hash) entry of row_hashes. */
long long pt_seal_entry_id(const unsigned char *entry);

/* The statements that read parts, prepared once. */
typedef struct pt_part_reader {
    sqlite3 *db;
    sqlite3_stmt *q[PT_PART_COUNT];
} pt_part_reader;

lims_status pt_part_reader_init(pt_part_reader *r, sqlite3 *db, char *err,
                                size_t errlen);
void pt_part_reader_release(pt_part_reader *r);

/* Read part of round round_id (0 for the laboratory table) into st; st's
 * row_hashes buffer is reused and grown as needed (free it when done). */
lims_status pt_part_read(pt_part_reader *r, pt_part part, long long round_id,
                         pt_part_state *st, char *err, size_t errlen);

/* A row an operation appended: its round, id and hash. */
typedef struct pt_seal_row {
    long long round_id, id;
    unsigned char hash[PT_SHA256_SIZE];
} pt_seal_row;

/* The parts one operation wrote, sealed when it ends. */
typedef struct pt_seals {
    pt_part_reader reader;
    long long *touched[PT_PART_COUNT];
    size_t n[PT_PART_COUNT], cap[PT_PART_COUNT];
    pt_seal_row *appended[PT_PART_COUNT];
    size_t n_app[PT_PART_COUNT], cap_app[PT_PART_COUNT];
    int all; /* seal every part of every round */
} pt_seals;

lims_status pt_seals_init(pt_seals *s, sqlite3 *db, char *err,
                          size_t errlen);
void pt_seals_release(pt_seals *s);

/* Mark a part of a round as written (round_id 0 for the laboratories). */
lims_status pt_seals_touch(pt_seals *s, pt_part part, long long round_id,
                           char *err, size_t errlen);

/* Record every row of the part's table whose id is first_id or more as
 * appended to its round's part: the rows the operation inserted, each
 * with an id above every older row's.  Reads them in one pass in id
 * order; call it once the operation has inserted them all. */
lims_status pt_seals_append_from(pt_seals *s, pt_part part,
                                 long long first_id, char *err,
                                 size_t errlen);

/* Mark every part of every round (after a change whose extent is not
 * known part by part, such as applying a changeset). */
void pt_seals_touch_all(pt_seals *s);

/* Append the operation's audit entry (action, detail) and one seal per
 * marked part, inside the caller's transaction. */
lims_status pt_seals_commit(pt_seals *s, const char *action,
                            const char *detail, char *err, size_t errlen);

/* The digest an audit entry records for its seals: the SHA-256 of each
 * seal's "part|round|rows|digest" line in seal id order. */
typedef struct pt_seal_chain {
    pt_sha256 sha;
} pt_seal_chain;

void pt_seal_chain_init(pt_seal_chain *c);
void pt_seal_chain_add(pt_seal_chain *c, const char *part, long long round_id,
                       long long rows, const char *digest);
void pt_seal_chain_hex(pt_seal_chain *c, char hex[PT_SHA256_HEX_SIZE]);

#endif /* PT_SEAL_H */
