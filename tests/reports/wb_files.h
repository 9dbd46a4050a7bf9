/*
 * wb_files.h -- where a workbook test writes: a temporary directory with
 * audit.xlsx in it, the write that must succeed, and the parts read back
 * (header-only, included by the test programs after cmocka.h and
 * zipread.h).
 */
#ifndef PTLIMS_WB_FILES_H
#define PTLIMS_WB_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report.h"
#include "zipread.h"

typedef struct wb_files {
    char dir[64];
    char path[128]; /* <dir>/audit.xlsx */
    char err[512];
} wb_files;

/* Make the directory (named after `tag`); 0, or -1. */
static inline int wb_files_make(wb_files *w, const char *tag)
{
    snprintf(w->dir, sizeof w->dir, "/tmp/%s.XXXXXX", tag);
    if (!mkdtemp(w->dir))
        return -1;
    snprintf(w->path, sizeof w->path, "%s/audit.xlsx", w->dir);
    return 0;
}

static inline void wb_files_remove(const wb_files *w)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", w->dir);
}

/* Write r to w->path; fails the test when the writer fails. */
static inline void wb_files_write(wb_files *w, const pt_report *r)
{
    pt_report_status st = pt_report_write(r, w->path, w->err, sizeof w->err);
    if (st != PT_REPORT_OK)
        fail_msg("pt_report_write: %s: %s", pt_report_strerror(st), w->err);
}

/* A part of the written workbook; fails the test when it is missing.  The
 * caller frees it. */
static inline char *wb_files_part(const wb_files *w, const char *name)
{
    char *xml = zr_read_file(w->path, name);

    if (!xml)
        fail_msg("%s: no part %s", w->path, name);
    return xml;
}

/* Every string of the written workbook: the shared strings, or, as the
 * workbook is streamed, the worksheets' inline strings.  Caller frees. */
static inline char *wb_files_strings(const wb_files *w)
{
    char name[64], *all = NULL, *xml;
    size_t len = 0, n;
    int i;

    if ((xml = zr_read_file(w->path, "xl/sharedStrings.xml")))
        return xml;
    for (i = 1;; i++) {
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
        if (!(xml = zr_read_file(w->path, name)))
            break;
        n = strlen(xml);
        all = realloc(all, len + n + 1);
        if (!all)
            fail_msg("out of memory");
        memcpy(all + len, xml, n + 1);
        len += n;
        free(xml);
    }
    if (!all)
        fail_msg("%s: no worksheet", w->path);
    return all;
}

#endif /* PTLIMS_WB_FILES_H */
