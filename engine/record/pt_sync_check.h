/*
 * pt_sync_check.h -- the checks an import makes, made on each record a
 * changeset brings to sync apply.
 */
#ifndef PT_SYNC_CHECK_H
#define PT_SYNC_CHECK_H

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <sqlite3.h>
#include <stddef.h>

#include "pt_core.h"

/* Check the record `it` is on (an INSERT into the natural-key table
 * `table`, pt_sync.c) as an import would: codes, texts, dates, finite
 * numbers, and for a result its scheme's check_result, whose canonical
 * value and U must equal the record's.  The rounds a record refers to are
 * looked up in inst's database.  Returns LIMS_OK, or LIMS_ERR_INPUT and
 * the reason in why[whylen]. */
lims_status pt_sync_check_record(lims_instance *inst, const char *table,
                                 sqlite3_changeset_iter *it, char *why,
                                 size_t whylen);

/* The item an amendment's audit entry (action "amend" or "reopen", its
 * detail as pt_amend.c writes it) is about: "round" or "laboratory", its
 * code and, for a round's measurand named, the measurand, each as a
 * pointer into detail and a length (*measurand NULL when none).  Returns
 * 0, or -1 when the detail is not of that form. */
int pt_sync_amendment_item(const char *action, const char *detail,
                           const char **what, size_t *what_len,
                           const char **code, size_t *code_len,
                           const char **measurand, size_t *measurand_len);

/* Walk a changeset's bytes by the format: table headers (at most 64
 * columns, names of at most 64 bytes) and INSERT records whose values are
 * whole.  Returns 0, or -1 and where it went wrong in why[whylen].  Call
 * before any sqlite3changeset function sees the bytes. */
int pt_sync_check_changeset(const void *blob, size_t n, char *why,
                            size_t whylen);

#endif /* PT_SYNC_CHECK_H */
