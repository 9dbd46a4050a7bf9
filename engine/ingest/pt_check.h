/*
 * pt_check.h -- the checks every scheme makes on a result: known
 * measurand, known unit, exact conversion to the canonical unit, a value
 * inside the plausible range.  A scheme plug-in describes its units as a
 * table and adds its own checks on top.
 */
#ifndef PT_CHECK_H
#define PT_CHECK_H

#include "lims_plugin.h"

/* One accepted unit: value_canonical = value * 10^pow10. */
typedef struct pt_unit {
    const char *measurand; /* measurand id this unit applies to */
    const char *name;      /* as written in the CSV: "µA", "% m/m" */
    int pow10;
} pt_unit;

/* text * 10^pow10, correctly rounded from the decimal text (the exponent
 * is shifted, the digits are not touched).  Returns 0, or -1 when the text
 * is not a plain decimal number. */
int pt_check_scale_text(const char *text, int pow10, double *out /* OUT */);

/* Find the measurand, convert value and U with the unit table (ended by a
 * zero entry) and check the range.  Returns LIMS_OK, or LIMS_ERR_INPUT with
 * a message and out->bad_field. */
lims_status pt_check_result(const lims_plugin *p, const pt_unit *units,
                            const lims_result_in *in, lims_result_out *out,
                            char *err, size_t errlen);

#endif /* PT_CHECK_H */
