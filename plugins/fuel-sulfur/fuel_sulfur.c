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

#include "pt_check.h"
#include "pt_core.h"

static const lims_measurand measurands[] = {
    {sizeof(lims_measurand), "sulfur", "Sulfur (mass fraction)",
     "硫含量（質量分率）", "mg/kg", "mg/kg,µg/g,g/kg,% m/m,%m/m,wt%",
     0.0, 1e6},
};

static const pt_unit units[] = {
    {"sulfur", "mg/kg", 0},   {"sulfur", "µg/g", 0},
    {"sulfur", "μg/g", 0},    {"sulfur", "g/kg", 3},
    {"sulfur", "% m/m", 4},   {"sulfur", "%m/m", 4},
    {"sulfur", "% (m/m)", 4}, {"sulfur", "wt%", 4},
    {0, 0, 0},
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

static const lims_plugin descriptor;

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
    return pt_check_result(&descriptor, units, in, out, err, errlen);
}

PT_CORE_DEFINE_OPEN(plugin_open, descriptor)

static const lims_plugin descriptor = {
    .id = "fuel-sulfur",
    .name_en = "Sulfur in fuel",
    .name_zh = "燃料油品硫含量",
    .n_measurands = sizeof measurands / sizeof measurands[0],
    .measurands = measurands,
    .check_result = check_result,
    .policy = pt_core_policy,
    PT_CORE_GENERIC_MEMBERS(plugin_open),
    .n_conditions = sizeof conditions / sizeof conditions[0],
    .conditions = conditions,
    .limit_key = limit_key,
};

PT_CORE_DEFINE_ENTRY(descriptor)
