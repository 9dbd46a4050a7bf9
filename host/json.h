/*
 * json.h -- the JSON writing helpers of every ptlims command's --json
 * output (README "JSON vocabulary"): escaped strings, null for a missing
 * text, and numbers as the shortest text that reads back to the same
 * double (null for NaN or infinity).  num_text gives the same shortest
 * text for tables, so no command prints 1.23457e+06 or
 * 13.199999999999999.
 */
#ifndef PTLIMS_JSON_H
#define PTLIMS_JSON_H

#include <stddef.h>
#include <stdio.h>

/* s as a JSON string; null when s is NULL or empty (a missing text). */
void json_str(FILE *f, const char *s);

/* v as a JSON number (num_text), null when v is not finite. */
void json_num(FILE *f, double v);

/* The shortest text that reads back (strtod) to v: the fewest significant
 * digits that do, written without an exponent from 1e-5 up to 1e15 and
 * with one outside; "-0" is written "0".  Writes into buf[len] (32 bytes
 * are enough) and returns buf; "" when v is not finite. */
char *num_text(char *buf, size_t len, double v);

/* v rounded to `sig` significant digits, as num_text writes it and with
 * no trailing zeros (%g without its exponent: 1234567 at 4 digits is
 * "1235000", never "1.235e+06"); "" when v is not finite. */
char *num_text_sig(char *buf, size_t len, double v, int sig);

/* num_text_sig for a table or a message: one of 16 static buffers used
 * in turn (so one printf may show up to 16), "n/a" for NaN.  Host only:
 * not thread-safe. */
const char *num_g(double v, int sig);

#endif /* PTLIMS_JSON_H */
