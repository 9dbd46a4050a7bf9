/*
 * pt_import_record.h -- importing the participation plan and the
 * corrective-action register from CSV, as strictly as results files.
 *
 * lims_plugin.import_csv tells these files by their header (a plan file
 * has a per_year column, a corrective-action file root_cause) and hands
 * them here with the same reader (pt_csv.h): unknown or repeated columns,
 * a missing required column, a row whose field count differs from the
 * header's, and every bad cell are refused with file:line:column, and the
 * file is one transaction.
 */
#ifndef PT_IMPORT_RECORD_H
#define PT_IMPORT_RECORD_H

#include "pt_core.h"
#include "pt_csv.h"

/* The fewest and most rounds a year a plan row may require: one round in
 * ten years, and one a week. */
#define PT_PLAN_PER_YEAR_MIN 0.1
#define PT_PLAN_PER_YEAR_MAX 52.0

typedef enum pt_record_kind {
    PT_RECORD_NONE = 0,
    PT_RECORD_PLAN = 1,
    PT_RECORD_CAPA = 2
} pt_record_kind;

/* What a header row names: a plan file, a corrective-action file or
 * neither. */
pt_record_kind pt_import_record_kind(const pt_csv_field *header, size_t n);

/* Record every row after `header` (the reader's last record) in one
 * transaction.  sum->rows counts the rows recorded.  On an error the
 * message names name:line:column and nothing of the file is written. */
lims_status pt_import_record_csv(lims_instance *inst, pt_csv *csv,
                                 const char *name, pt_record_kind kind,
                                 const pt_csv_field *header, size_t n,
                                 lims_import_summary *sum /* OUT */,
                                 char *err, size_t errlen);

#endif /* PT_IMPORT_RECORD_H */
