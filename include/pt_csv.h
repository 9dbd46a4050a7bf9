/*
 * pt_csv.h -- a strict RFC 4180 reader that knows where every field came
 * from, and strict number parsing: the one CSV reader of ptlims (the
 * engine's imports and the ptlims command's calculators), built as its own
 * small library, libptcsv.a, with no SQLite.
 *
 * The whole file is read into memory once; records are then returned one
 * by one with each field's line and column, so any message about the data
 * can name "file:line:column".  Accepted: a UTF-8 byte-order mark (skipped),
 * CRLF or LF line ends, quoted fields with "" escapes and embedded line
 * breaks.  Refused, with the position: invalid UTF-8, a NUL byte, a quote
 * inside an unquoted field, a carriage return without a line feed outside
 * quotes, text after a closing quote, an unterminated quoted field.  One
 * reader per thread; no global state.
 */
#ifndef PT_CSV_H
#define PT_CSV_H

#include <stddef.h>

#include "lims_plugin.h"

typedef struct pt_csv pt_csv;

typedef struct pt_csv_field {
    const char *text; /* NUL-terminated, unquoted; owned by the reader */
    size_t len;
    unsigned long line; /* 1-based line where the field starts */
    unsigned long col;  /* 1-based column (in characters) */
} pt_csv_field;

typedef enum pt_csv_status {
    PT_CSV_OK = 0,    /* a record was returned */
    PT_CSV_END = 1,   /* no more records */
    PT_CSV_ERROR = 2, /* malformed input: message in err */
    PT_CSV_NOMEM = 3,
    PT_CSV_IO = 4
} pt_csv_status;

/* Open `path` and read it.  Returns PT_CSV_OK and *out (free with
 * pt_csv_free), or an error with a message naming the file. */
pt_csv_status pt_csv_open(const char *path, pt_csv **out /* OUT */,
                          char *err, size_t errlen);

/* Same, over a caller's buffer (copied); `name` is used in messages. */
pt_csv_status pt_csv_open_buffer(const char *name, const char *data,
                                 size_t len, pt_csv **out /* OUT */,
                                 char *err, size_t errlen);

void pt_csv_free(pt_csv *csv);

/* The engine's status for a reader's: an error (not PT_CSV_OK or
 * PT_CSV_END) is LIMS_ERR_INPUT, LIMS_ERR_NOMEM or LIMS_ERR_IO. */
lims_status pt_csv_lims_status(pt_csv_status st);

/* The name used in messages (the path). */
const char *pt_csv_name(const pt_csv *csv);

/* Read the next record.  On PT_CSV_OK, *fields points to *n fields valid
 * until the next call.  A blank line is skipped. */
pt_csv_status pt_csv_next(pt_csv *csv, const pt_csv_field **fields /* OUT */,
                          size_t *n /* OUT */, char *err, size_t errlen);

/* Parse a decimal number exactly as C's strtod in the "C" locale, but
 * refuse what a laboratory result must not be: empty text, surrounding
 * blanks, hex, NaN, infinity, a decimal comma, trailing characters,
 * and overflow.  Minus zero is returned as 0: "-0", "-0.0" and "0" are
 * the same result and are stored alike.  Returns 0 and *out, or -1 and a
 * reason in why[whylen]. */
int pt_csv_number(const char *text, double *out /* OUT */, char *why,
                  size_t whylen);

/* The same, and refuse a number a double cannot hold with its digits:
 * one that reads as 0 though a digit is not 0 (1e-400), or a subnormal
 * one (1e-310, below 2.2e-308).  What a result, a limit or a plan keeps. */
int pt_csv_number_normal(const char *text, double *out /* OUT */, char *why,
                         size_t whylen);

/* The text a number is written as (the inverse of pt_csv_number), into
 * buf[len] (32 bytes are enough); returns buf.  sig 0: the shortest text
 * that reads back to the same double (13.2, never 13.199999999999999);
 * sig 1 to 17: v rounded to that many significant digits, trailing zeros
 * dropped.  Fixed notation from 1e-5 up to 1e15 (1234567, never
 * 1.23457e+06), %e notation outside; 0 for -0; "" when v is not
 * finite. */
char *pt_csv_number_text(double v, int sig, char *buf, size_t len);

/* The longest code (laboratory, round, measurand, item, method table
 * code) and the longest short text (a name, an instrument, an analyst, a
 * method, a title) and long text (remarks, notes, actions), in characters.
 * Long text is bounded by what a spreadsheet cell holds (32 767). */
#define PT_CSV_CODE_MAX 64
#define PT_CSV_SHORT_MAX 256
#define PT_CSV_LONG_MAX 32767

/* Checks a code: 1 to PT_CSV_CODE_MAX characters, no leading or trailing
 * blank, no control character (C0, DEL, C1, line or paragraph separator)
 * and no bidirectional formatting (U+200E, U+200F, U+061C, U+202A to
 * U+202E, U+2066 to U+2069), which would make two codes look alike or
 * one look like another.  `text` is valid UTF-8.  Returns 0, or -1 and a
 * reason (without the text) in why[whylen]. */
int pt_csv_code(const char *text, char *why, size_t whylen);

/* Checks text that the workbook writes: at most `max` characters, no
 * control character but tab and line feed (a workbook's XML cannot hold
 * them), no U+FFFE or U+FFFF, and, when `one_line`, no tab or line break
 * either.  Returns 0, or -1 and a reason in why[whylen]. */
int pt_csv_text(const char *text, size_t max, int one_line, char *why,
                size_t whylen);

/* Copies `text` to out[outlen] (always NUL-terminated, cut at a whole
 * character) with every control character and bidirectional formatting
 * character written as \xNN or \uNNNN, so a message never carries them
 * to a terminal.  Returns out. */
char *pt_csv_escape(const char *text, char *out, size_t outlen);

/* Up to 40 bytes of `text` for a message: the text itself when it is no
 * longer, else its first 37 bytes or fewer (whole characters) and "..."
 * copied to buf, which has PT_CSV_CLIP_SIZE bytes.  Returns the one to
 * show. */
#define PT_CSV_CLIP_SIZE 48
const char *pt_csv_clip(const char *text, char *buf);

/* Non-zero when `text` is an ISO calendar date YYYY-MM-DD that exists. */
int pt_csv_is_date(const char *text);

/* How far the reader has got: bytes read so far and the input's size
 * (for a progress report). */
void pt_csv_offset(const pt_csv *csv, size_t *done /* OUT */,
                   size_t *size /* OUT */);

#endif /* PT_CSV_H */
