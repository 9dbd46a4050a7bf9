/*
 * pt_engine.c -- the engine's table and its one exported symbol.
 */
#include "pt_check.h"
#include "pt_core.h"

static const lims_engine engine = {
    .size = sizeof(lims_engine),
    .abi = LIMS_ABI_VERSION,
    .version = PTLIMS_VERSION,
    .open = pt_core_open,
    .close = pt_core_close,
    .scheme_add = pt_core_scheme_add,
    .laboratory_add = pt_core_laboratory_add,
    .round_add = pt_core_round_add,
    .result_add = pt_core_result_add,
    .check_result = pt_check_result,
    .import_csv = pt_core_import_csv,
    .evaluate_round = pt_core_evaluate_round,
    .scores = pt_core_scores,
    .write_report = pt_core_write_report,
    .compare = pt_core_compare,
    .plan_add = pt_core_plan_add,
    .plans = pt_core_plans,
    .capa_add = pt_core_capa_add,
    .capa_close = pt_core_capa_close,
    .capas = pt_core_capas,
    .sync_export = pt_core_sync_export,
    .sync_apply = pt_core_sync_apply,
    .verify = pt_core_verify,
    .close_round = pt_core_close_round,
    .correct_result = pt_core_correct_result,
    .transaction = pt_core_transaction,
};

LIMS_PLUGIN_EXPORT const lims_engine *lims_engine_entry_v1(void)
{
    return &engine;
}
