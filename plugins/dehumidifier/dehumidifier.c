/*
 * dehumidifier.c -- the dehumidifier electrical-safety scheme plug-in
 * (IEC/CNS 60335-1 with 60335-2-40): rated power input and leakage current
 * at operating temperature (clause 13) and after the humidity treatment
 * (clause 16).
 *
 * Rounds are small (3 to 6 laboratories, one of them the reference), so
 * the policy scores against the reference laboratory's value with its
 * uncertainty unless a round is large enough for a consensus.
 */
#include <stdio.h>

#include "pt_check.h"
#include "pt_core.h"

static const lims_measurand measurands[] = {
    {sizeof(lims_measurand), "power_input", "Power input (clause 10)",
     "輸入功率（第 10 節）", "W", "W,kW", 0.0, 20000.0},
    {sizeof(lims_measurand), "leakage_current_op",
     "Leakage current at operating temperature (clause 13)",
     "操作溫度下之洩漏電流（第 13 節）", "mA", "uA,µA,μA,mA,A", 0.0, 100.0},
    {sizeof(lims_measurand), "leakage_current_humid",
     "Leakage current after humidity treatment (clause 16)",
     "濕度處理後之洩漏電流（第 16 節）", "mA", "uA,µA,μA,mA,A", 0.0, 100.0},
};

static const pt_unit units[] = {
    {"power_input", "W", 0},
    {"power_input", "kW", 3},
    {"leakage_current_op", "uA", -3},
    {"leakage_current_op", "µA", -3},
    {"leakage_current_op", "μA", -3},
    {"leakage_current_op", "mA", 0},
    {"leakage_current_op", "A", 3},
    {"leakage_current_humid", "uA", -3},
    {"leakage_current_humid", "µA", -3},
    {"leakage_current_humid", "μA", -3},
    {"leakage_current_humid", "mA", 0},
    {"leakage_current_humid", "A", 3},
    {0, 0, 0},
};

static const lims_plugin descriptor;

static lims_status check_result(const lims_result_in *in,
                                lims_result_out *out, char *err,
                                size_t errlen)
{
    if (in->value < 0 && in->measurand &&
        pt_core_measurand(&descriptor, in->measurand)) {
        out->bad_field = LIMS_FIELD_VALUE;
        snprintf(err, errlen, "%s cannot be negative (%g %s)", in->measurand,
                 in->value, in->unit);
        return LIMS_ERR_INPUT;
    }
    return pt_check_result(&descriptor, units, in, out, err, errlen);
}

PT_CORE_DEFINE_OPEN(plugin_open, descriptor)

static const lims_plugin descriptor = {
    .size = sizeof(lims_plugin),
    .abi = LIMS_ABI_VERSION,
    .id = "dehumidifier",
    .version = PTLIMS_VERSION,
    .name_en = "Dehumidifier electrical safety (IEC/CNS 60335-2-40)",
    .name_zh = "除濕機電氣安全（CNS 60335-2-40）",
    .n_measurands = sizeof measurands / sizeof measurands[0],
    .measurands = measurands,
    .check_result = check_result,
    .policy = pt_core_policy,
    PT_CORE_GENERIC_MEMBERS(plugin_open),
};

LIMS_PLUGIN_EXPORT const lims_plugin *lims_plugin_entry_v1(void)
{
    return &descriptor;
}
