/*
 * json.h -- the JSON writing helpers of every ptlims command's --json
 * output (README "JSON vocabulary"): escaped strings, null for a missing
 * text, and numbers as the shortest text that reads back to the same
 * double (null for NaN or infinity), as pt_csv_number_text writes it
 * for tables too, so no command prints 1.23457e+06 or
 * 13.199999999999999.
 */
#ifndef PTLIMS_JSON_H
#define PTLIMS_JSON_H

#include <stddef.h>
#include <stdio.h>

/* s as a JSON string; null when s is NULL or empty (a missing text). */
void json_str(FILE *f, const char *s);

/* v as a JSON number (the shortest text that reads back), null when v is
 * not finite. */
void json_num(FILE *f, double v);

/* v rounded to sig significant digits (pt_csv_number_text) for a table
 * or a message: one of 16 static buffers used in turn (so one printf may
 * show up to 16), "n/a" for NaN.  Host only: not thread-safe. */
const char *num_g(double v, int sig);

/* v with `places` decimals for a table (num_g(v, 6) when places < 0),
 * "-" for NaN; one of 8 static buffers used in turn, as num_g. */
const char *num_places(double v, int places);

#endif /* PTLIMS_JSON_H */
