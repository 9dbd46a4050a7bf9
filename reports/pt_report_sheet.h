/*
 * pt_report_sheet.h -- writing cells into one worksheet of the audit
 * workbook, safely and consistently.
 *
 * Every cell of the workbook goes through these helpers so that the rules
 * hold everywhere: text is always written as a string (a value such as
 * "=1+1" or "+886 2" is never a formula), malformed UTF-8 is repaired rather
 * than producing XML Excel refuses, a number that does not apply (NAN) leaves
 * the cell without a value, and the first libxlsxwriter failure is kept with
 * the sheet and cell it happened in.  The helpers also measure what they
 * write so that column widths can follow the content.
 */
#ifndef PT_REPORT_SHEET_H
#define PT_REPORT_SHEET_H

#include <stdarg.h>
#include <stddef.h>
#include <xlsxwriter.h>

#include "pt_report.h"
#include "pt_report_sheetname.h"
#include "pt_report_style.h"

#define PT_REPORT_MAX_COLS 32

/* State shared by the whole write. */
typedef struct pt_report_ctx {
    const pt_report *r;
    pt_report_lang lang;
    lxw_workbook *wb;
    pt_report_styles st;
    pt_report_status status; /* first failure, PT_REPORT_OK until then */
    /* r->rows indices ordered by round, then group, then as given; round
     * i's rows are order[round_start[i]] .. order[round_start[i + 1] - 1]
     * (see pt_report_round_index()) */
    size_t *order;
    size_t *round_start;
    char *err;
    size_t errlen;
    /* every sheet's name: the fixed sheets by pt_report_audit.h's
     * PT_SHEET_* index, then the further sheets of All results, then
     * round i's sheet at round_base + i ("" when it has none) */
    const char (*names)[PT_REPORT_SHEETNAME_SIZE];
    size_t round_base;
    long today; /* generated_at as a day number (pt_report_audit_day()) */
    /* the participants' results: how many, how many an All results sheet
     * holds and in how many sheets (pt_report_all.h) */
    size_t n_results, sheet_rows, n_all_sheets;
    /* per round: why it has a sheet or not (pt_report_round_why), and
     * where its first result is on All results (sheet 0.., row; row 0:
     * it has none) */
    unsigned char *why;
    size_t *all_sheet;
    lxw_row_t *all_row;
    size_t n_round_sheets, n_recent, n_signal_rounds;
    /* one round's rows when they are all in r->rows */
    pt_report_row *buf;
    const char *digest; /* the data SHA-256 to show, or NULL */
} pt_report_ctx;

/* One worksheet being written. */
typedef struct pt_report_sheet {
    pt_report_ctx *ctx;
    lxw_worksheet *ws;
    const char *name;
    double width[PT_REPORT_MAX_COLS];     /* widest content seen, chars */
    double set_width[PT_REPORT_MAX_COLS]; /* as fitted, 0 until then */
    int measuring; /* non-zero: the put functions only measure (a first
                      pass over the data, to fit the columns) */
} pt_report_sheet;

/* A column of a table: bilingual heading, kind of content, width bounds. */
typedef struct pt_report_column {
    const char *zh, *en;
    pt_report_kind kind;
    double min_width, max_width;
} pt_report_column;

/* Sets the sheet's printed header (laboratory, accreditation, period,
 * sheet name) and footer (software, the first digits of the data SHA-256
 * once known, page x of y, document number and revision, date).  Returns
 * libxlsxwriter's status. */
lxw_error pt_report_page_texts(pt_report_ctx *c, lxw_worksheet *ws);

/* Records a failure unless one is already recorded (the first one is the
 * one worth reading). */
void pt_report_fail(pt_report_ctx *c, pt_report_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records a failed sheet-wide libxlsxwriter call such as
 * worksheet_autofilter(); `what` names it in the message. */
void pt_report_sheet_check(pt_report_sheet *sh, lxw_error e, const char *what);

/* Adds a worksheet called `name`, or takes the one of that name added
 * before (to hold its place in the workbook's order), and sets it up (A4
 * landscape, header and footer, no screen gridlines).  Returns 0, or -1
 * with the failure recorded. */
int pt_report_sheet_add(pt_report_ctx *c, pt_report_sheet *sh /* OUT */,
                        const char *name);

/* Text as a string cell; NULL or "" leaves the cell blank (with format f). */
void pt_report_put_text(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                        const char *s, lxw_format *f);

/* Text that wraps within its column (format f must wrap); returns the
 * number of lines it needs at the fitted width, for the row's height. */
int pt_report_put_wrapped(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                          const char *s, lxw_format *f);

/* Text across columns first..last of one row. */
void pt_report_put_merged(pt_report_sheet *sh, lxw_row_t row, lxw_col_t first,
                          lxw_col_t last, const char *s, lxw_format *f);

/* A number at full precision; NAN or an infinity leaves the cell without a
 * value (blank with format f). */
void pt_report_put_number(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                          double v, lxw_format *f);

/* An ISO date (already validated) as a date serial; NULL/"" is blank. */
void pt_report_put_date(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                        const char *iso, lxw_format *f);

/* Total width of columns first..last as fitted (default width for columns
 * not fitted), in characters. */
double pt_report_span_width(const pt_report_sheet *sh, lxw_col_t first,
                            lxw_col_t last);

/* One key/value pair of an information block: the label "中文 English"
 * across columns span[0]..span[1], the value across span[2]..span[3].
 * Returns the number of lines the taller of the two needs. */
int pt_report_put_info(pt_report_sheet *sh, lxw_row_t row,
                       const lxw_col_t span[4], const char *zh, const char *en,
                       const char *value);

/* One heading ("中文\nEnglish", or once when both are the same) in a cell or
 * across columns first..last, with "_xy" shown as a subscript xy.  Returns
 * the number of lines it needs at the fitted column widths. */
int pt_report_put_heading(pt_report_sheet *sh, lxw_row_t row, lxw_col_t first,
                          lxw_col_t last, const char *zh, const char *en);

/* A number shown with `decimals` decimals (clamped to the formats of
 * pt_report_styles.fixed), in the own row's colours when `own`. */
void pt_report_put_fixed(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                         double v, int decimals, int own);

/* The decimals of x->value as reported, moved by the power of ten between
 * the reported unit and the canonical one; -1 when the text is no plain
 * number. */
int pt_report_value_decimals(const pt_report_row *x);

/* v to `sig` significant figures (an uncertainty to 2, R to 3). */
void pt_report_put_sig(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                       double v, int sig, int own);

/* v (the result, or its difference D) with the decimals of x as reported
 * (pt_report_value_decimals), or the general value format. */
void pt_report_put_as_value(pt_report_sheet *sh, lxw_row_t row,
                            lxw_col_t col, double v, const pt_report_row *x,
                            int own);

/* The assigned value to the decimal place of its uncertainty u(x_pt)
 * shown to 2 significant figures. */
void pt_report_put_xpt(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                       const pt_report_group *g, int own);

/* The headings of a table in one row starting at column `first`, and a row
 * height that shows every line of them (call after
 * pt_report_sheet_fit_columns() so that the height matches the widths). */
void pt_report_put_headers(pt_report_sheet *sh, lxw_row_t row, lxw_col_t first,
                           const pt_report_column *cols, size_t n);

/* Sets the widths of columns first.. from what was written and from the
 * headings, bounded by each column's min_width and max_width. */
void pt_report_sheet_fit_columns(pt_report_sheet *sh, lxw_col_t first,
                                 const pt_report_column *cols, size_t n);

/* Sets a row's height to show `lines` lines of text. */
void pt_report_set_height(pt_report_sheet *sh, lxw_row_t row, int lines);

/* Display width of text in character cells (CJK counts 2); for multi-line
 * text, of its longest line. */
double pt_report_text_width(const char *s);

/* Lines needed to show s wrapped in a column `width` characters wide. */
int pt_report_text_lines(const char *s, double width);

#endif /* PT_REPORT_SHEET_H */
