/*
 * pt_report.c -- pt_report_write(), the one entry point of the audit
 * workbook (see pt_report.h).
 *
 * This file owns the parts of a write that are not about any one sheet:
 * checking the input, switching the calling thread to the "C" numeric locale
 * (libxlsxwriter formats numbers with snprintf, so a German locale would
 * write "1,25"), reproducible document properties, sheet names, and writing
 * to "<path>.tmp" then renaming, so that a failure leaves any previous
 * workbook in place and never half a new one.  The temporary file is
 * created afresh (O_EXCL, O_NOFOLLOW) in the target's folder: a symbolic
 * link, a folder or a device planted at that name is refused, never
 * followed, and a leftover regular file from an interrupted run is removed
 * first.  A target that exists and is not a regular file (a device node, a
 * folder, a symbolic link) is refused rather than replaced.
 *
 * Order of work: the sheets are added in the workbook's order first, then
 * written in the order their data become known: All results (the rows
 * streamed round by round, recording where each round begins), the round
 * sheets, the fixed sheets that link to those places, and the Index last,
 * with the data SHA-256 that is complete only once every row has been
 * read.  Each sheet still writes its own rows top to bottom, which is all
 * that constant-memory mode asks.
 */
#include "pt_report.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "pt_report_all.h"
#include "pt_report_audit.h"
#include "pt_report_check.h"
#include "pt_report_date.h"
#include "pt_report_label.h"
#include "pt_report_round.h"
#include "pt_report_sheet.h"
#include "pt_report_sheetname.h"
#include "pt_report_summary.h"

const char *pt_report_strerror(pt_report_status st)
{
    switch (st) {
    case PT_REPORT_OK:
        return "success";
    case PT_REPORT_ERR_ARG:
        return "invalid report data";
    case PT_REPORT_ERR_NOMEM:
        return "out of memory";
    case PT_REPORT_ERR_WRITE:
        return "cannot write the workbook";
    case PT_REPORT_ERR_SOURCE:
        return "cannot read the results";
    }
    return "unknown status";
}

static pt_report_status fail(char *err, size_t errlen, pt_report_status st,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static pt_report_status fail(char *err, size_t errlen, pt_report_status st,
                             const char *fmt, ...)
{
    va_list ap;

    if (err && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* Title, author, dates ... of the file.  `created` comes from
 * r->generated_at, so the same report gives the same bytes (libxlsxwriter
 * uses it for both dcterms:created and dcterms:modified). */
static void set_properties(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    const char *lab = r->lab_name && *r->lab_name ? r->lab_name
                      : r->lab_code               ? r->lab_code
                                                  : "";
    char title[512], subject[] = "ISO/IEC 17025:2017 7.7", author[] = "ptlims",
                     company[256], comments[256],
                     keywords[] = "proficiency testing; interlaboratory "
                                  "comparison; ISO 13528; ISO/IEC 17043; "
                                  "ISO/IEC 17025; TAF";
    lxw_doc_properties props;
    pt_report_date gen;
    lxw_error e;

    snprintf(title, sizeof title, "%s — %s",
             pt_report_label_pick(c->lang, "能力試驗及實驗室間比對紀錄",
                                  "Proficiency testing record"),
             lab);
    snprintf(company, sizeof company, "%s", lab);
    snprintf(comments, sizeof comments, "%s %s",
             pt_report_label_pick(c->lang, "產出軟體", "Written by"),
             r->software && *r->software ? r->software : "ptlims");
    pt_report_date_parse(r->generated_at, 1, &gen); /* checked already */

    memset(&props, 0, sizeof props);
    props.title = title;
    props.subject = subject;
    props.author = author;
    props.company = company;
    props.keywords = keywords;
    props.comments = comments;
    props.created = pt_report_date_unix(&gen);
    e = workbook_set_properties(c->wb, &props);
    if (e != LXW_NO_ERROR)
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "document properties: %s",
                       lxw_strerror(e));
}

/* Sheet names: the fixed sheets (PT_SHEET_*), the further sheets of All
 * results, then round i's at c->round_base + i for the rounds that have a
 * sheet ("" for the others).  A round code that clashes with another name,
 * once made valid, gets a suffix. */
static void name_sheets(pt_report_ctx *c,
                        char (*names)[PT_REPORT_SHEETNAME_SIZE])
{
    const pt_report *r = c->r;

    for (int k = 0; k < PT_SHEET_FIXED; k++)
        snprintf(names[k], PT_REPORT_SHEETNAME_SIZE, "%s",
                 pt_report_audit_sheet_name(c->lang, k));
    for (size_t k = 1; k < c->n_all_sheets; k++)
        pt_report_all_name(c->lang, k, names[PT_SHEET_FIXED + k - 1]);
    for (size_t i = 0; i < r->n_rounds; i++) {
        size_t at = c->round_base + i;
        char fallback[32];

        if (!pt_report_round_has_sheet(c, i))
            continue;
        snprintf(fallback, sizeof fallback, "Round %zu", i + 1);
        /* 100000 candidate suffixes: cannot all be taken by n_rounds
         * names unless n_rounds exceeds that, which Excel cannot hold. */
        if (pt_report_sheetname_make(
                r->rounds[i].code, fallback,
                (const char(*)[PT_REPORT_SHEETNAME_SIZE])names, at,
                names[at]) != 0)
            snprintf(names[at], PT_REPORT_SHEETNAME_SIZE, "%s", fallback);
    }
}

/* The SHA-256 of the data as a custom document property, so that it can
 * be read without opening a sheet. */
static void set_custom_properties(pt_report_ctx *c)
{
    lxw_error e;

    if (!c->digest || !*c->digest)
        return;
    e = workbook_set_custom_property_string(c->wb, "ptlims data SHA-256",
                                            c->digest);
    if (e != LXW_NO_ERROR)
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "document properties: %s",
                       lxw_strerror(e));
}

/* Adds the fixed sheets before All results in the workbook's order, to be
 * written later (pt_report_sheet_add() finds them by name). */
static void hold_places(pt_report_ctx *c)
{
    for (int k = 0; k < PT_SHEET_ALL && c->status == PT_REPORT_OK; k++)
        if (!workbook_add_worksheet(c->wb, c->names[k]))
            pt_report_fail(c, PT_REPORT_ERR_WRITE,
                           "cannot add a worksheet named '%s'", c->names[k]);
}

/* The round sheets, in the order of the rounds. */
static void write_round_sheets(pt_report_ctx *c)
{
    for (size_t i = 0; i < c->r->n_rounds && c->status == PT_REPORT_OK; i++) {
        const pt_report_row *rows;
        size_t n;

        if (!pt_report_round_has_sheet(c, i) ||
            pt_report_round_rows(c, i, &rows, &n) != 0)
            continue;
        pt_report_round_write(c, i, c->names[c->round_base + i], rows, n);
    }
}

/* Writes the workbook to `file`.  The caller has checked r and set the
 * numeric locale. */
static pt_report_status write_workbook(const pt_report *r, const char *file,
                                       char *err, size_t errlen)
{
    pt_report_ctx c;
    char(*names)[PT_REPORT_SHEETNAME_SIZE] = NULL;
    lxw_workbook_options opt;
    lxw_error e;
    int saved_errno;

    memset(&c, 0, sizeof c);
    c.r = r;
    c.lang = r->lang == PT_REPORT_EN ? PT_REPORT_EN : PT_REPORT_ZH_TW;
    c.err = err;
    c.errlen = errlen;
    c.today = pt_report_audit_day(r->generated_at);
    pt_report_all_plan(&c);
    c.round_base = PT_SHEET_FIXED + c.n_all_sheets - 1;

    /* each round's rows of r->rows, and which rounds get a sheet */
    if (pt_report_round_index(&c) != 0 || pt_report_round_select(&c) != 0) {
        pt_report_round_index_free(&c);
        return c.status;
    }
    names = calloc(c.round_base + r->n_rounds, sizeof *names);
    if (!names) {
        pt_report_round_index_free(&c);
        return fail(err, errlen, PT_REPORT_ERR_NOMEM, "out of memory");
    }
    name_sheets(&c, names);
    c.names = (const char(*)[PT_REPORT_SHEETNAME_SIZE])names;
    /* Rows go to disk as they are written (every sheet writes top to
     * bottom, see pt_report_audit.h). */
    memset(&opt, 0, sizeof opt);
    opt.constant_memory = 1;
    c.wb = workbook_new_opt(file, &opt);
    if (!c.wb) {
        free(names);
        pt_report_round_index_free(&c);
        return fail(err, errlen, PT_REPORT_ERR_NOMEM,
                    "%s: cannot start a workbook", file);
    }
    set_properties(&c);
    pt_report_styles_init(&c.st, c.wb, c.lang);
    hold_places(&c);
    if (c.status == PT_REPORT_OK)
        pt_report_all_write(&c);
    write_round_sheets(&c);
    if (c.status == PT_REPORT_OK) {
        pt_report_plan_write(&c);
        pt_report_subdisc_write(&c);
        pt_report_rounds_write(&c);
        pt_report_summary_write(&c);
        pt_report_trend_write(&c);
        pt_report_compare_write(&c);
        pt_report_capa_write(&c);
        pt_report_mu_write(&c);
        pt_report_equipment_write(&c);
        pt_report_methods_write(&c);
    }
    if (c.status == PT_REPORT_OK) {
        c.digest = r->source && r->source->digest
                       ? r->source->digest(r->source->ctx)
                       : r->data_sha256;
        set_custom_properties(&c);
        pt_report_cover_write(&c);
        pt_report_index_write(&c);
    }
    if (c.status == PT_REPORT_OK && c.digest && *c.digest) {
        lxw_worksheet *ws;
        LXW_FOREACH_WORKSHEET(ws, c.wb)
        {
            if (pt_report_page_texts(&c, ws) != LXW_NO_ERROR) {
                pt_report_fail(&c, PT_REPORT_ERR_WRITE,
                               "page header or footer");
                break;
            }
        }
    }
    pt_report_round_index_free(&c);

    /* Always close: it frees the workbook, even when something failed. */
    errno = 0;
    e = workbook_close(c.wb);
    saved_errno = errno;
    free(names);
    if (c.status != PT_REPORT_OK)
        return c.status;
    if (e != LXW_NO_ERROR)
        return fail(err, errlen,
                    e == LXW_ERROR_MEMORY_MALLOC_FAILED ? PT_REPORT_ERR_NOMEM
                                                        : PT_REPORT_ERR_WRITE,
                    "%s: %s%s%s", file, lxw_strerror(e),
                    saved_errno ? ": " : "",
                    saved_errno ? strerror(saved_errno) : "");
    return PT_REPORT_OK;
}

/* Creates `file` afresh to learn early, with the system's reason, whether
 * it can be written (libxlsxwriter only tries at the very end): never
 * through a symbolic link, never over anything but a leftover regular
 * file. */
static pt_report_status probe(const char *file, char *err, size_t errlen)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    struct stat st;

    if (fd < 0 && errno == EEXIST && lstat(file, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return fail(err, errlen, PT_REPORT_ERR_WRITE,
                        "%s: exists and is not a regular file (a link, a "
                        "folder or a device): remove it",
                        file);
        if (unlink(file) == 0)
            fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    }
    if (fd < 0)
        return fail(err, errlen, PT_REPORT_ERR_WRITE, "%s: %s", file,
                    strerror(errno));
    close(fd);
    return PT_REPORT_OK;
}

/* The target may be replaced only when it is a regular file or absent. */
static pt_report_status target_ok(const char *path, char *err,
                                  size_t errlen)
{
    struct stat st;

    if (lstat(path, &st) != 0 || S_ISREG(st.st_mode))
        return PT_REPORT_OK;
    return fail(err, errlen, PT_REPORT_ERR_WRITE,
                "%s: exists and is not a regular file (a link, a folder or "
                "a device): give another --out",
                path);
}

/* Flushes `file` to the disk so that the rename publishes a complete file
 * even across a power cut. */
static pt_report_status sync_file(const char *file, char *err, size_t errlen)
{
    int fd = open(file, O_RDONLY);

    if (fd < 0 || fsync(fd) != 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        return fail(err, errlen, PT_REPORT_ERR_WRITE, "%s: %s", file,
                    strerror(saved));
    }
    close(fd);
    return PT_REPORT_OK;
}

pt_report_status pt_report_write(const pt_report *r, const char *path,
                                 char *err, size_t errlen)
{
    pt_report_status st;
    locale_t base, numeric_c, old;
    char *tmp;
    size_t len;
    int created;

    if (err && errlen > 0)
        err[0] = '\0';
    if (!path || !*path)
        return fail(err, errlen, PT_REPORT_ERR_ARG, "no output path given");
    st = pt_report_check(r, err, errlen);
    if (st != PT_REPORT_OK)
        return st;

    len = strlen(path);
    tmp = malloc(len + sizeof ".tmp");
    if (!tmp)
        return fail(err, errlen, PT_REPORT_ERR_NOMEM, "out of memory");
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", sizeof ".tmp");

    /* The thread's own locale with LC_NUMERIC replaced by "C". */
    base = duplocale(uselocale((locale_t)0));
    numeric_c = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
    if (!numeric_c) {
        if (base)
            freelocale(base);
        free(tmp);
        return fail(err, errlen, PT_REPORT_ERR_NOMEM,
                    "cannot create the \"C\" numeric locale");
    }
    old = uselocale(numeric_c);

    st = target_ok(path, err, errlen);
    if (st != PT_REPORT_OK) {
        uselocale(old);
        freelocale(numeric_c);
        free(tmp);
        return st;
    }
    st = probe(tmp, err, errlen);
    created = st == PT_REPORT_OK;
    if (st == PT_REPORT_OK)
        st = write_workbook(r, tmp, err, errlen);
    if (st == PT_REPORT_OK)
        st = sync_file(tmp, err, errlen);
    if (st == PT_REPORT_OK)
        st = target_ok(path, err, errlen);
    if (st == PT_REPORT_OK && rename(tmp, path) != 0)
        st = fail(err, errlen, PT_REPORT_ERR_WRITE, "%s: cannot rename %s: %s",
                  path, tmp, strerror(errno));
    if (st != PT_REPORT_OK && created)
        unlink(tmp);

    uselocale(old);
    freelocale(numeric_c);
    free(tmp);
    return st;
}
