/*
 * pt_lifecycle.h -- the life of a round after its first import: whether
 * its evaluation is still that of its record (pt_stale.c), and the
 * audited changes a user makes to a record already kept: reopen a closed
 * round, amend a round's or a laboratory's settings (pt_amend.c), a
 * corrective action's or a plan row's fields (pt_amend_entry.c), void an
 * item recorded by mistake (pt_void.c).
 */
#ifndef PT_LIFECYCLE_H
#define PT_LIFECYCLE_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"

/* Called once for each reason the evaluation of a round is not that of
 * its record, in words ("result of TC-BR, sulfur, item 1, version 2 was
 * recorded after the evaluation").  Non-zero stops. */
typedef int (*pt_stale_cb)(void *ctx, const char *reason);

/* Each reason the evaluation of round round_id is stale: a group of
 * results never evaluated, a result recorded after the evaluation, a
 * reference laboratory other than the one evaluated, measurand settings
 * changed after the evaluation.  *n (may be NULL) gets the count.  A
 * round without results is never stale. */
lims_status pt_stale_round(sqlite3 *db, long long round_id, pt_stale_cb cb,
                           void *ctx, unsigned long *n, char *err,
                           size_t errlen);

/* LIMS_OK when round `code` (id round_id) may be closed: its evaluation is
 * fresh.  Else LIMS_ERR_STATE and a message naming what changed. */
lims_status pt_stale_refuse_close(sqlite3 *db, long long round_id,
                                  const char *code, char *err,
                                  size_t errlen);

/* Set round round_id's status ("open" or "closed") inside the caller's
 * transaction; the caller seals the round part. */
lims_status pt_round_set_status(sqlite3 *db, long long round_id,
                                const char *status, char *err,
                                size_t errlen);

/* Void the round, result, laboratory, corrective action or plan row a
 * names (a->what; a->code, for a result ROUND/LAB/MEASURAND[/ITEM], for
 * an action or a plan row its id), inside the caller's transaction
 * (pt_void.c).  LIMS_ERR_STATE when it is voided already, its round is
 * closed, or (a laboratory) results or rounds that count still name it.
 * at: when it was voided, as a file of the record gives it (NULL: now,
 * the time of its audit entry). */
lims_status pt_void_in_tx(lims_instance *inst, const lims_amendment *a,
                          const char *at, char *err, size_t errlen);

/* Amend round or laboratory a->code (a->what "round" or "laboratory")
 * inside the caller's transaction, with the checks and the audit entry
 * of lims_engine.amend (pt_amend.c); a closed round is refused
 * (LIMS_ERR_STATE). */
lims_status pt_amend_in_tx(lims_instance *inst, const lims_amendment *a,
                           char *err, size_t errlen);

/* Reopen closed round `round` inside the caller's transaction, audited
 * with the reason and who (may be NULL); LIMS_ERR_STATE when it is open,
 * LIMS_ERR_INPUT (the nearest code named) when it is not recorded. */
lims_status pt_reopen_in_tx(lims_instance *inst, const char *round,
                            const char *reason, const char *by, char *err,
                            size_t errlen);

/* The items a file of the record voids (its voided_at, voided_by and
 * void_reason columns), voided once the file's rows are in. */
typedef struct pt_void_queue {
    struct pt_void_item {
        const char *kind;              /* "round", "result", … (static) */
        char *code, *at, *by, *reason; /* copies */
        unsigned long line;            /* of the file, for a message */
    } *items;
    size_t n, cap;
} pt_void_queue;

/* Queue item code of kind (a static text) to be voided at `at` by `by`
 * (may be "") for `reason`; an item queued already is not queued again
 * (a result's versions, a round's measurands).  LIMS_ERR_NOMEM or
 * LIMS_OK. */
lims_status pt_void_queue_add(pt_void_queue *q, const char *kind,
                              const char *code, const char *at,
                              const char *by, const char *reason,
                              unsigned long line);

/* Void every queued item inside the caller's transaction; a refusal is
 * "name:line: why". */
lims_status pt_void_queue_apply(lims_instance *inst, const pt_void_queue *q,
                                const char *name, char *err, size_t errlen);

void pt_void_queue_free(pt_void_queue *q);

/* Amend the fields of corrective action or plan row a->code (a->what
 * "capa" or "plan"), inside the caller's transaction
 * (pt_amend_entry.c). */
lims_status pt_amend_entry_in_tx(lims_instance *inst,
                                 const lims_amendment *a, char *err,
                                 size_t errlen);

/* The query of export list `what` ("export laboratories", "export
 * rounds", "export results", "export plan", "export capa"; pt_export.c)
 * into *sql (sqlite3_free it); *sql NULL when what is no export list.
 * LIMS_ERR_INPUT for "export " and an unknown name. */
lims_status pt_export_sql(sqlite3 *db, const char *what, char **sql,
                          char *err, size_t errlen);

#endif /* PT_LIFECYCLE_H */
