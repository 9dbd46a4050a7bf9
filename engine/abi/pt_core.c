/*
 * pt_core.c -- the engine instance: open, close, the schemes it was
 * given, logging, transactions.
 *
 * An instance is the engine's connection to one database, used by one
 * thread at a time.  It keeps a copy of the host's services table, which
 * the ABI boundary (pt_engine.c) has extended to the engine's size.
 */
#include "pt_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_assess.h"
#include "pt_store.h"

lims_status pt_core_open(const lims_services *svc, lims_instance **out,
                         char *err, size_t errlen)
{
    lims_instance *inst;
    lims_status rc;
    locale_t old;

    if (!svc->db_path || !*svc->db_path) {
        snprintf(err, errlen, "open: no database path given");
        return LIMS_ERR_INPUT;
    }
    inst = calloc(1, sizeof *inst);
    if (!inst) {
        snprintf(err, errlen, "open: out of memory");
        return LIMS_ERR_NOMEM;
    }
    inst->svc = *svc;
    inst->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (inst->c_locale == (locale_t)0) {
        free(inst);
        snprintf(err, errlen, "open: cannot create the C locale");
        return LIMS_ERR_NOMEM;
    }
    old = uselocale(inst->c_locale);
    /* the chain key file the host's configuration names (pt_chain.h) */
    rc = pt_store_open_keyed(
        svc->db_path,
        inst->svc.config ? inst->svc.config(inst->svc.host, "chain_key_file")
                         : NULL,
        &inst->db, err, errlen);
    uselocale(old);
    if (rc != LIMS_OK) {
        freelocale(inst->c_locale);
        free(inst);
        return rc;
    }
    *out = inst;
    return LIMS_OK;
}

void pt_core_close(lims_instance *inst)
{
    if (!inst)
        return;
    sqlite3_close(inst->db);
    freelocale(inst->c_locale);
    free(inst->schemes);
    free(inst);
}

lims_status pt_core_scheme_add(lims_instance *inst, const lims_plugin *p,
                               char *err, size_t errlen)
{
    lims_status rc;

    if (pt_core_scheme(inst, p->id)) {
        snprintf(err, errlen, "scheme_add: scheme %s was given already",
                 p->id);
        return LIMS_ERR_STATE;
    }
    if (inst->n_schemes == inst->cap_schemes) {
        size_t cap = inst->cap_schemes ? 2 * inst->cap_schemes : 4;
        const lims_plugin **a =
            realloc(inst->schemes, cap * sizeof *inst->schemes);
        if (!a) {
            snprintf(err, errlen, "scheme_add: out of memory");
            return LIMS_ERR_NOMEM;
        }
        inst->schemes = a;
        inst->cap_schemes = cap;
    }
    inst->schemes[inst->n_schemes++] = p;
    /* its results recorded under older method and limit data (schema
     * 008), or queued by the laboratory after a change of those data */
    if ((rc = pt_assess_rejudge(inst->db, p, NULL, err, errlen)) != LIMS_OK)
        inst->n_schemes--;
    return rc;
}

const lims_plugin *pt_core_scheme(const lims_instance *inst, const char *id)
{
    size_t i;

    for (i = 0; i < inst->n_schemes; i++)
        if (strcmp(inst->schemes[i]->id, id) == 0)
            return inst->schemes[i];
    return NULL;
}

const lims_measurand *pt_core_measurand(const lims_plugin *p, const char *id)
{
    size_t i;
    for (i = 0; i < p->n_measurands; i++)
        if (strcmp(p->measurands[i].id, id) == 0)
            return &p->measurands[i];
    return NULL;
}

void pt_core_log(const lims_instance *inst, lims_log_level level,
                 const char *msg)
{
    if (inst->svc.log)
        inst->svc.log(inst->svc.host, level, msg);
}

int pt_core_cancelled(const lims_instance *inst)
{
    return inst->svc.cancelled && inst->svc.cancelled(inst->svc.host);
}

lims_status pt_core_transaction(lims_instance *inst, lims_tx op, char *err,
                                size_t errlen)
{
    static const char *const end_sql[] = {NULL, "COMMIT", "ROLLBACK"};
    int open = !sqlite3_get_autocommit(inst->db);
    lims_status rc = LIMS_OK;

    if ((unsigned)op > LIMS_TX_ROLLBACK) {
        snprintf(err, errlen, "transaction: unknown operation %d", (int)op);
        return LIMS_ERR_INPUT;
    }
    if (open != (op != LIMS_TX_BEGIN)) {
        snprintf(err, errlen, "transaction: %s",
                 open ? "one is already open" : "none is open");
        return LIMS_ERR_STATE;
    }
    if (op == LIMS_TX_BEGIN)
        return pt_store_begin_write(inst->db, err, errlen);
    if (sqlite3_exec(inst->db, end_sql[op], NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "transaction: %s", sqlite3_errmsg(inst->db));
        if (op == LIMS_TX_COMMIT)
            sqlite3_exec(inst->db, "ROLLBACK", NULL, NULL, NULL);
        rc = LIMS_ERR_DB;
    }
    pt_store_after_write(inst->db);
    return rc;
}
