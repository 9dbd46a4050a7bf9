/*
 * xlsx_cells.h -- the cells of a written workbook, read back from its XML,
 * so that the benchmark's raw libxlsxwriter loop writes the very same
 * values (the digits of a number and the length of a string change what
 * writing and compressing a cell costs).
 */
#ifndef XLSX_CELLS_H
#define XLSX_CELLS_H

#include <stdio.h>

/* Every cell of every worksheet of the workbook at xlsx, in the order of
 * its XML, written to out as records: 'n' and the 8-byte double, 's', a
 * 4-byte length and the text (shared strings looked up, entities
 * decoded), or 'b' for a styled blank.  Returns 0, or -1 with a message
 * on stderr. */
int xlsx_cells_extract(const char *xlsx, FILE *out,
                       unsigned long long *cells /* OUT: how many */);

/* The next record of in: its kind ('n', 's', 'b'; 0 at the end), the
 * number or the text (in *text, grown as needed; caller frees). */
int xlsx_cells_next(FILE *in, double *number, char **text, size_t *cap);

#endif /* XLSX_CELLS_H */
