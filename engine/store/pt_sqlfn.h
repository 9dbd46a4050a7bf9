/*
 * pt_sqlfn.h -- the statistics library's scores as SQL functions on every
 * connection of the engine, so that the record's views compute nothing
 * themselves: pt_d, pt_d_pct, pt_z, pt_zprime, pt_zeta, pt_en, pt_class,
 * pt_class_en (as the SQLite extension names them) and pt_score_kind,
 * pt_score_value, pt_score_class (the score a verdict is on).  A score
 * that does not apply, or whose inputs are missing or out of range, is
 * NULL.
 */
#ifndef PT_SQLFN_H
#define PT_SQLFN_H

#include <sqlite3.h>

/* SQLITE_OK, or the error of the registration that failed. */
int pt_sqlfn_register(sqlite3 *db);

#endif /* PT_SQLFN_H */
