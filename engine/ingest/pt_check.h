/*
 * pt_check.h -- the checks every result passes: the scheme's own checks,
 * known measurand, known unit, exact conversion to the canonical unit, a
 * value inside the plausible range.  A scheme describes its units as a
 * table (lims_plugin.units) and may add checks of its own.
 */
#ifndef PT_CHECK_H
#define PT_CHECK_H

#include "lims_plugin.h"

/* text * 10^pow10, correctly rounded from the decimal text (the exponent
 * is shifted, the digits are not touched).  Returns 0, or -1 when the text
 * is not a plain decimal number. */
int pt_check_scale_text(const char *text, int pow10, double *out /* OUT */);

/* The unit `name` of measurand `measurand` in scheme p's table, or NULL. */
const lims_unit *pt_check_unit(const lims_plugin *p, const char *measurand,
                               const char *name);

/* The scheme's own checks, then: find the measurand, convert value and U
 * with the scheme's unit table and check the range.  Returns LIMS_OK, or
 * LIMS_ERR_INPUT with a message and out->bad_field.  [any thread] */
lims_status pt_check_result(const lims_plugin *p, const lims_result_in *in,
                            lims_result_out *out, char *err, size_t errlen);

#endif /* PT_CHECK_H */
