/*
 * pt_report_sheetname.h -- worksheet names Excel accepts.
 *
 * Round codes become sheet names, and Excel is strict about those: at most
 * 31 characters, none of [ ] : * ? / \, no apostrophe at either end, and no
 * two names equal when compared without regard to case.  A name Excel
 * rejects means a repair prompt or a refused file, so every name goes
 * through here.
 */
#ifndef PT_REPORT_SHEETNAME_H
#define PT_REPORT_SHEETNAME_H

#include <stddef.h>

/* Room for 31 UTF-16 units of UTF-8 (4 bytes each) and the NUL. */
#define PT_REPORT_SHEETNAME_SIZE 128

/* Makes a valid name from `want` that differs from the first n_taken names in
 * `taken` (case-insensitively for ASCII letters) and from Excel's reserved
 * "History".  Invalid characters and malformed UTF-8 become "_", long names
 * are cut at a character boundary, and a clash gets " (2)", " (3)" ...  An
 * empty result falls back to `fallback` (which must itself be valid).
 * Writes the name into out and returns 0; returns -1 only if no unique name
 * could be found. */
int pt_report_sheetname_make(const char *want, const char *fallback,
                             const char (*taken)[PT_REPORT_SHEETNAME_SIZE],
                             size_t n_taken,
                             char out[PT_REPORT_SHEETNAME_SIZE] /* OUT */);

#endif /* PT_REPORT_SHEETNAME_H */
