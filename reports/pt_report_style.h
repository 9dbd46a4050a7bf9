/*
 * pt_report_style.h -- the look of the audit workbook: one set of cell
 * formats shared by every sheet.
 *
 * Keeping the formats in one place keeps the sheets consistent (an assessor
 * compares them side by side) and keeps the number of distinct formats in
 * styles.xml small.  Colours of verdicts follow the spreadsheet convention
 * readers already know: green good, amber neutral/warning, red bad, grey
 * not scored.
 */
#ifndef PT_REPORT_STYLE_H
#define PT_REPORT_STYLE_H

#include <xlsxwriter.h>

#include "pt_report.h"

/* What a table cell holds, which decides its number format. */
typedef enum pt_report_kind {
    PT_KIND_TEXT = 0, /* left-aligned text */
    PT_KIND_WRAP,     /* long text, wrapped */
    PT_KIND_CENTER,   /* short codes, centred */
    PT_KIND_DATE,     /* yyyy-mm-dd */
    PT_KIND_ROC,      /* 民國 year as a number: "民國114年" */
    PT_KIND_VALUE,    /* a measured quantity: 0.0### */
    PT_KIND_SCORE,    /* z, z′, ζ, En: 0.00 */
    PT_KIND_PERCENT,  /* D%: 0.0 */
    PT_KIND_FACTOR,   /* coverage factor k: 0.0# */
    PT_KIND_COUNT,    /* integers */
    PT_KIND_N
} pt_report_kind;

#define PT_REPORT_DECIMALS 10

typedef struct pt_report_styles {
    lxw_format *title;      /* the sheet's title line */
    lxw_format *section;    /* a heading above a table */
    lxw_format *info_label; /* key of a key/value block */
    lxw_format *info_value; /* value of a key/value block */
    lxw_format *header;     /* column headings of a table */
    lxw_format *header_run; /* a run of text inside a heading ... */
    lxw_format *header_sub; /* ... and a subscript run ("pt" of x_pt) */
    lxw_format *link;       /* a round code linking to its sheet */
    lxw_format *note;       /* small explanatory text */
    /* [0] an ordinary row, [1] the workbook's own laboratory */
    lxw_format *cell[2][PT_KIND_N];
    lxw_format *verdict[4]; /* indexed by pt_report_verdict */
    /* appended: a number with d decimals (fixed[own][d], d 0..9), for
     * results as reported and uncertainties to 2 significant figures */
    lxw_format *fixed[2][PT_REPORT_DECIMALS];
    /* a score (0.00) coloured by its class, indexed by pt_report_verdict */
    lxw_format *score[2][4];
    lxw_format *rule_signal; /* wrapped text of a trend rule that fires */
    /* appended: wrapped text in a verdict's colours, indexed by
     * pt_report_verdict (an official value against the recomputed one) */
    lxw_format *verdict_wrap[4];
} pt_report_styles;

/* The number of decimals that shows v to `sig` significant figures (0 ..
 * PT_REPORT_DECIMALS - 1; 0 for 0 or a non-finite v). */
int pt_report_sig_decimals(double v, int sig);

/* The decimals of a number as reported ("4483" 0, "0.452" 3, "1.2e-3"
 * 4), at most PT_REPORT_DECIMALS - 1; -1 when the text is no plain
 * number. */
int pt_report_text_decimals(const char *text);

/* Adds the formats to wb (libxlsxwriter owns and frees them). */
void pt_report_styles_init(pt_report_styles *st /* OUT */, lxw_workbook *wb,
                           pt_report_lang lang);

#endif /* PT_REPORT_STYLE_H */
