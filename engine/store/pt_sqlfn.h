/*
 * pt_sqlfn.h -- the record's scores as SQL functions, so that the record's
 * views compute nothing themselves: pt_score_d, pt_score_d_pct,
 * pt_score_z, pt_score_zprime, pt_score_zeta, pt_score_en, and
 * pt_score_kind, pt_score_value, pt_score_class (the score a verdict is
 * on).  Each calls stats/; a score that does not apply, or whose inputs
 * are missing or out of range, is NULL (the SQLite extension's pt_z & co.
 * refuse such input with an error instead).
 *
 * Registered on every connection of the engine, and by the SQLite
 * extension (this file compiled with PT_SQLFN_EXTENSION), so that the
 * sqlite3 shell reads the record's views once ptlims_sqlite is loaded.
 *
 * Besides the scores, on the engine's connections only:
 * pt_reopening(round_id), the gate of schema 011: 1 only while the engine
 * itself reopens that round on this connection (pt_round_set_status).
 */
#ifndef PT_SQLFN_H
#define PT_SQLFN_H

#ifdef PT_SQLFN_EXTENSION
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
#endif

/* SQLITE_OK, or the error of the registration that failed. */
int pt_sqlfn_register(sqlite3 *db);

#endif /* PT_SQLFN_H */
