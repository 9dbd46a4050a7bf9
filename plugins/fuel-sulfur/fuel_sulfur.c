/*
 * fuel_sulfur.c -- the sulfur-in-fuel scheme plug-in: sulfur mass fraction
 * in diesel, gasoline, fuel oil and marine fuel, reported in mg/kg or
 * % m/m (ASTM D5453 / ISO 20846, ASTM D2622 / ISO 20884, ASTM D4294 /
 * ISO 8754 and others).
 *
 * Bilateral comparisons with the oil company's laboratory are scored
 * against its value with its uncertainty; large PT rounds by consensus.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lims_plugin.h"

static const lims_measurand measurands[] = {
    {sizeof(lims_measurand), "sulfur", "Sulfur (mass fraction)",
     "硫含量（質量分率）", "mg/kg", "mg/kg,µg/g,μg/g,g/kg,% m/m,%m/m,% (m/m),wt%",
     0.0, 1e6},
};

static const lims_unit units[] = {
    {"sulfur", "mg/kg", 0},   {"sulfur", "µg/g", 0},
    {"sulfur", "μg/g", 0},    {"sulfur", "g/kg", 3},
    {"sulfur", "% m/m", 4},   {"sulfur", "%m/m", 4},
    {"sulfur", "% (m/m)", 4}, {"sulfur", "wt%", 4},
};

/* Duplicate determinations, checked against the method's r. */
static const lims_condition conditions[] = {
    {sizeof(lims_condition), "replicates",
     "Replicate results, separated by ';' (the value is their mean)",
     "重複測定值（以 ; 分隔）", LIMS_CONDITION_TEXT, NULL, 0, 0, NULL},
};

/* Products with a sulfur limit, as named in the limit_spec table. */
static const char *const matrices[] = {"diesel", "gasoline", "fuel oil",
                                       "fuel oil, low sulfur", "marine fuel"};

static lims_status limit_key(const char *measurand, const char *matrix,
                             const lims_condition_value *c, size_t n,
                             lims_limit_key *out, char *err, size_t errlen)
{
    size_t i;

    (void)c;
    (void)n;
    out->rated_power = NAN;
    snprintf(out->measurand, sizeof out->measurand, "%s", measurand);
    if (!matrix || !*matrix) {
        snprintf(err, errlen, "the round names no matrix (product), so no "
                              "limit applies");
        return LIMS_ERR_UNSUPPORTED;
    }
    for (i = 0; i < sizeof matrices / sizeof matrices[0]; i++) {
        if (strcmp(matrix, matrices[i]) == 0) {
            snprintf(out->category, sizeof out->category, "%s", matrix);
            return LIMS_OK;
        }
    }
    snprintf(err, errlen, "matrix \"%s\" is not diesel, gasoline, fuel oil, "
             "\"fuel oil, low sulfur\" or marine fuel", matrix);
    return LIMS_ERR_INPUT;
}

static lims_status check_result(const lims_result_in *in,
                                lims_result_out *out, char *err,
                                size_t errlen)
{
    out->bad_field = LIMS_FIELD_NONE;
    if (in->unit && strcmp(in->unit, "ppm") == 0) {
        out->bad_field = LIMS_FIELD_UNIT;
        snprintf(err, errlen, "unit \"ppm\" is ambiguous (by mass or by "
                 "volume?): write mg/kg");
        return LIMS_ERR_INPUT;
    }
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
    .id = "fuel-sulfur",
    .name_en = "Sulfur in fuel",
    .name_zh = "燃料油品硫含量",
    .n_measurands = sizeof measurands / sizeof measurands[0],
    .measurands = measurands,
    .n_units = sizeof units / sizeof units[0],
    .units = units,
    .check_result = check_result,
    .policy = policy,
    .n_conditions = sizeof conditions / sizeof conditions[0],
    .conditions = conditions,
    .limit_key = limit_key,
};

LIMS_PLUGIN_EXPORT const lims_plugin *lims_plugin_entry_v1(void)
{
    return &descriptor;
}
