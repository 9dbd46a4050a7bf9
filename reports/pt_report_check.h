/*
 * pt_report_check.h -- refuses a pt_report that would give a wrong or
 * broken workbook, before anything is written.
 *
 * The caller's structures are checked as a whole first so that a bad index
 * or a malformed date is reported by name ("rows[12].group: 3 is out of
 * range, round DH-2025-01 has 2 groups") instead of surfacing as a crash or
 * a half-written file.
 */
#ifndef PT_REPORT_CHECK_H
#define PT_REPORT_CHECK_H

#include <stddef.h>

#include "pt_report.h"

/* Returns PT_REPORT_OK, or PT_REPORT_ERR_ARG with the first problem
 * described in err[errlen]. */
pt_report_status pt_report_check(const pt_report *r, char *err, size_t errlen);

#endif /* PT_REPORT_CHECK_H */
