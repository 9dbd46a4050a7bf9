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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lims_plugin.h"

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

static const lims_unit units[] = {
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
};

/* Recorded with every result (clause 10, 13 and 16 conditions). */
static const lims_condition conditions[] = {
    {sizeof(lims_condition), "rated_voltage", "Rated voltage", "額定電壓",
     LIMS_CONDITION_NUMBER, "V", 1, 1000, NULL},
    {sizeof(lims_condition), "rated_power", "Rated power input",
     "額定消耗功率", LIMS_CONDITION_NUMBER, "W", 1, 100000, NULL},
    {sizeof(lims_condition), "test_voltage_factor",
     "Test voltage / rated voltage", "試驗電壓倍數", LIMS_CONDITION_NUMBER, "",
     0.5, 1.5, NULL},
    {sizeof(lims_condition), "appliance_class", "Protection class",
     "器具類別", LIMS_CONDITION_CHOICE, NULL, 0, 0, "0,0I,I,II,III"},
    {sizeof(lims_condition), "mounting", "Portable or stationary",
     "可攜式或固定式", LIMS_CONDITION_CHOICE, NULL, 0, 0,
     "portable,stationary"},
    {sizeof(lims_condition), "appliance_kind", "Kind of appliance",
     "器具種類", LIMS_CONDITION_CHOICE, NULL, 0, 0,
     "motor-operated,heating,combined"},
    {sizeof(lims_condition), "supply_pole", "Supply pole measured",
     "量測電源極", LIMS_CONDITION_TEXT, NULL, 0, 0, NULL},
    {sizeof(lims_condition), "humidity_treatment",
     "Humidity treatment (clause 15.3)", "濕度處理條件", LIMS_CONDITION_TEXT,
     NULL, 0, 0, NULL},
    {sizeof(lims_condition), "resolution", "Instrument resolution",
     "儀器解析度", LIMS_CONDITION_NUMBER, "", 0, 1000, NULL},
};

static const char *cond(const lims_condition_value *c, size_t n,
                        const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(c[i].name, name) == 0 && c[i].value && *c[i].value)
            return c[i].value;
    return NULL;
}

/* Part 1 limits by class; 60335-2-40 (dehumidifiers) for stationary
 * class I; Table 1 power-input deviations for motor-operated appliances. */
static lims_status limit_key(const char *measurand, const char *matrix,
                             const lims_condition_value *c, size_t n,
                             lims_limit_key *out, char *err, size_t errlen)
{
    const char *cls = cond(c, n, "appliance_class");
    const char *mount = cond(c, n, "mounting");
    const char *kind = cond(c, n, "appliance_kind");
    const char *rated = cond(c, n, "rated_power");
    const char *cat = NULL;

    (void)matrix;
    out->rated_power = rated ? strtod(rated, NULL) : NAN;
    if (strcmp(measurand, "power_input") == 0) {
        snprintf(out->measurand, sizeof out->measurand, "power_input");
        if (!rated || (kind && strcmp(kind, "motor-operated") != 0)) {
            snprintf(err, errlen, "power input deviation needs rated_power "
                                  "of a motor-operated appliance");
            return LIMS_ERR_UNSUPPORTED;
        }
        cat = out->rated_power <= 300 ? "motor-operated, rated <= 300 W"
                                      : "motor-operated, rated > 300 W";
    } else {
        snprintf(out->measurand, sizeof out->measurand, "leakage_current");
        if (!cls) {
            snprintf(err, errlen, "the leakage-current limit needs "
                                  "appliance_class");
            return LIMS_ERR_UNSUPPORTED;
        }
        if (strcmp(cls, "II") == 0)
            cat = "class II";
        else if (strcmp(cls, "I") != 0)
            cat = "class 0, 0I, III";
        else if (!mount) {
            snprintf(err, errlen, "a class I limit needs mounting "
                                  "(portable or stationary)");
            return LIMS_ERR_UNSUPPORTED;
        } else if (strcmp(mount, "portable") == 0)
            cat = "class I portable";
        else
            cat = "class I stationary (60335-2-40)";
    }
    snprintf(out->category, sizeof out->category, "%s", cat);
    return LIMS_OK;
}

/* Consensus from 12 results, σ_pt from the round from 11 (where |z| >= 3
 * becomes reachable), "|En| <= 1 satisfactory". */
static void policy(lims_policy *out)
{
    out->min_consensus = 12;
    out->min_sigma_from_round = 11;
    out->en_le_one_satisfactory = 1;
}

static const lims_plugin descriptor = {
    .size = sizeof(lims_plugin),
    .abi = LIMS_ABI_VERSION,
    .version = PTLIMS_VERSION,
    .id = "dehumidifier",
    .name_en = "Dehumidifier electrical safety (IEC/CNS 60335-2-40)",
    .name_zh = "除濕機電氣安全（CNS 60335-2-40）",
    .n_measurands = sizeof measurands / sizeof measurands[0],
    .measurands = measurands,
    .n_units = sizeof units / sizeof units[0],
    .units = units,
    .policy = policy,
    .n_conditions = sizeof conditions / sizeof conditions[0],
    .conditions = conditions,
    .limit_key = limit_key,
};

LIMS_PLUGIN_EXPORT const lims_plugin *lims_plugin_entry_v1(void)
{
    return &descriptor;
}
