/*
 * pt_report_style.c -- creates the workbook's cell formats (see
 * pt_report_style.h).  Numbers keep full precision in the file; the formats
 * here only decide how many digits are shown.
 */
#include "pt_report_style.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NAVY 0x1F3864
#define HEADER_FILL 0x1F4E78
#define GRID 0xBFBFBF
#define LABEL_FILL 0xF2F2F2
#define OWN_FILL 0xFFF2CC

/* Fill and font colours of the verdicts, by pt_report_verdict. */
static const lxw_color_t verdict_fill[4] = {0xEDEDED, 0xC6EFCE, 0xFFEB9C,
                                            0xFFC7CE};
static const lxw_color_t verdict_font[4] = {0x595959, 0x006100, 0x9C5700,
                                            0x9C0006};

static lxw_format *bordered(lxw_workbook *wb)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, GRID);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static lxw_format *table_cell(lxw_workbook *wb, pt_report_kind kind, int own,
                              pt_report_lang lang)
{
    lxw_format *f = bordered(wb);

    if (own) {
        format_set_bg_color(f, OWN_FILL);
        format_set_bold(f);
    }
    switch (kind) {
    case PT_KIND_TEXT:
        break;
    case PT_KIND_WRAP:
        format_set_text_wrap(f);
        break;
    case PT_KIND_CENTER:
        format_set_align(f, LXW_ALIGN_CENTER);
        break;
    case PT_KIND_DATE:
        format_set_num_format(f, "yyyy-mm-dd");
        format_set_align(f, LXW_ALIGN_CENTER);
        break;
    case PT_KIND_ROC:
        format_set_num_format(f, lang == PT_REPORT_ZH_TW ? "\"民國\"0\"年\""
                                                         : "\"ROC \"0");
        format_set_align(f, LXW_ALIGN_CENTER);
        break;
    case PT_KIND_VALUE:
        format_set_num_format(f, "0.0###");
        break;
    case PT_KIND_SCORE:
        format_set_num_format(f, "0.00");
        break;
    case PT_KIND_PERCENT:
        format_set_num_format(f, "0.0");
        break;
    case PT_KIND_FACTOR:
        format_set_num_format(f, "0.0#");
        format_set_align(f, LXW_ALIGN_CENTER);
        break;
    case PT_KIND_COUNT:
        format_set_num_format(f, "0");
        format_set_align(f, LXW_ALIGN_CENTER);
        break;
    case PT_KIND_N:
        break;
    }
    return f;
}

static void add_rule_signal(pt_report_styles *st, lxw_workbook *wb);

void pt_report_styles_init(pt_report_styles *st, lxw_workbook *wb,
                           pt_report_lang lang)
{
    st->title = workbook_add_format(wb);
    format_set_bold(st->title);
    format_set_font_size(st->title, 16);
    format_set_font_color(st->title, NAVY);
    format_set_align(st->title, LXW_ALIGN_VERTICAL_CENTER);

    st->section = workbook_add_format(wb);
    format_set_bold(st->section);
    format_set_font_size(st->section, 12);
    format_set_font_color(st->section, NAVY);
    format_set_bottom(st->section, LXW_BORDER_MEDIUM);
    format_set_bottom_color(st->section, NAVY);
    format_set_align(st->section, LXW_ALIGN_VERTICAL_BOTTOM);

    st->info_label = bordered(wb);
    format_set_bold(st->info_label);
    format_set_bg_color(st->info_label, LABEL_FILL);
    format_set_text_wrap(st->info_label);

    st->info_value = bordered(wb);
    format_set_text_wrap(st->info_value);
    format_set_align(st->info_value, LXW_ALIGN_LEFT);

    st->header = bordered(wb);
    format_set_bold(st->header);
    format_set_font_color(st->header, LXW_COLOR_WHITE);
    format_set_bg_color(st->header, HEADER_FILL);
    format_set_text_wrap(st->header);
    format_set_align(st->header, LXW_ALIGN_CENTER);

    st->header_run = workbook_add_format(wb);
    format_set_bold(st->header_run);
    format_set_font_color(st->header_run, LXW_COLOR_WHITE);

    st->header_sub = workbook_add_format(wb);
    format_set_bold(st->header_sub);
    format_set_font_color(st->header_sub, LXW_COLOR_WHITE);
    format_set_font_script(st->header_sub, LXW_FONT_SUBSCRIPT);

    st->link = bordered(wb);
    format_set_font_color(st->link, 0x0563C1);
    format_set_underline(st->link, LXW_UNDERLINE_SINGLE);

    st->note = workbook_add_format(wb);
    format_set_italic(st->note);
    format_set_font_size(st->note, 9);
    format_set_font_color(st->note, 0x595959);
    format_set_text_wrap(st->note);
    format_set_align(st->note, LXW_ALIGN_VERTICAL_TOP);

    for (int own = 0; own < 2; own++)
        for (int k = 0; k < PT_KIND_N; k++)
            st->cell[own][k] = table_cell(wb, (pt_report_kind)k, own, lang);
    for (int v = 0; v < 4; v++) {
        lxw_format *f = bordered(wb);
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_bg_color(f, verdict_fill[v]);
        format_set_font_color(f, verdict_font[v]);
        st->verdict[v] = f;
        f = bordered(wb);
        format_set_bold(f);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        format_set_bg_color(f, verdict_fill[v]);
        format_set_font_color(f, verdict_font[v]);
        st->verdict_wrap[v] = f;
    }
    for (int own = 0; own < 2; own++) {
        for (int d = 0; d < PT_REPORT_DECIMALS; d++) {
            char fmt[16] = "0";
            lxw_format *f = table_cell(wb, PT_KIND_TEXT, own, lang);

            if (d > 0) {
                fmt[1] = '.';
                memset(fmt + 2, '0', (size_t)d);
                fmt[2 + d] = '\0';
            }
            format_set_num_format(f, fmt);
            st->fixed[own][d] = f;
        }
        for (int v = 0; v < 4; v++) {
            lxw_format *f = table_cell(wb, PT_KIND_SCORE, own, lang);
            if (v != PT_VERDICT_NONE) {
                format_set_bg_color(f, verdict_fill[v]);
                format_set_font_color(f, verdict_font[v]);
            }
            st->score[own][v] = f;
        }
    }
    add_rule_signal(st, wb);
}

static void add_rule_signal(pt_report_styles *st, lxw_workbook *wb)
{
    lxw_format *f = bordered(wb);

    format_set_text_wrap(f);
    format_set_bold(f);
    format_set_bg_color(f, verdict_fill[PT_VERDICT_UNSATISFACTORY]);
    format_set_font_color(f, verdict_font[PT_VERDICT_UNSATISFACTORY]);
    st->rule_signal = f;
}

int pt_report_sig_decimals(double v, int sig)
{
    int d;

    if (!isfinite(v) || v == 0)
        return 0;
    d = sig - 1 - (int)floor(log10(fabs(v)));
    /* 0.095 to 2 figures is 0.095, but 0.0995 rounds up to 0.10 */
    if (d >= 0 && d < 15 && fabs(v) * pow(10, d) >= pow(10, sig) - 0.5)
        d--;
    return d < 0 ? 0 : d >= PT_REPORT_DECIMALS ? PT_REPORT_DECIMALS - 1 : d;
}

int pt_report_text_decimals(const char *t)
{
    int d = 0, after = 0, digits = 0;
    long e = 0;

    if (!t)
        return -1;
    if (*t == '+' || *t == '-')
        t++;
    for (; *t; t++) {
        if (*t >= '0' && *t <= '9') {
            digits++;
            d += after;
        } else if (*t == '.' && !after) {
            after = 1;
        } else {
            break;
        }
    }
    if (!digits)
        return -1;
    if (*t == 'e' || *t == 'E') {
        char *end;
        e = strtol(t + 1, &end, 10);
        if (end == t + 1 || *end)
            return -1;
        t = end;
    }
    if (*t)
        return -1;
    d -= (int)e;
    return d < 0 ? 0 : d >= PT_REPORT_DECIMALS ? PT_REPORT_DECIMALS - 1 : d;
}
