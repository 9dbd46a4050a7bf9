/*
 * calc.h -- the calculators of the ptlims command (stats, score,
 * homogeneity, precision): ISO 13528 and ISO 5725-2 statistics on a CSV
 * file, with no plug-in and no database.  host/calc.c reads the input and
 * runs stats and score; host/calc_tables.c the two grouped designs.
 */
#ifndef PTLIMS_CALC_H
#define PTLIMS_CALC_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "pt_csv.h"

int cmd_stats(cli *c, int argc, char **argv);
int cmd_score(cli *c, int argc, char **argv);
int cmd_homogeneity(cli *c, int argc, char **argv);
int cmd_precision(cli *c, int argc, char **argv);
/* host/calc_assign.c: sigma_pt and x_pt from outside the round. */
int cmd_sigma_pt(cli *c, int argc, char **argv);
int cmd_assigned(cli *c, int argc, char **argv);

/* Shared by the calculators (host/calc.c). */

/* Open FILE, or standard input for "-", as CSV; NULL after printing the
 * message (the exit code is then *rc: 1 user error, 2 internal). */
pt_csv *calc_open(const char *path, int *rc);

/* calc_open, then the header row into *f, *nf; NULL after printing the
 * message (an empty file is one), the exit code then in *rc. */
pt_csv *calc_open_header(const char *path, const pt_csv_field **f,
                         size_t *nf, int *rc);

/* Index of the header column `name` in fields[0..n), or -1. */
int calc_column(const pt_csv_field *f, size_t n, const char *name);

/* The checks every number read by a calculator passes after parsing:
 * a value that underflows to 0 ("1e-400") or to a subnormal double is
 * refused (-1 and the reason in why[len]); -0 becomes 0. */
int calc_value_check(const char *text, double *v, char *why, size_t len);

/* Parse field f as a number (and calc_value_check it); on failure print
 * "file:line:col: why" and return -1. */
int calc_number(const pt_csv *csv, const pt_csv_field *f, double *out);

/* A number option's value (--xpt 1.5); -1 after printing the reason. */
int calc_option_number(const char *cmd, const char *opt, const char *text,
                       double *out);

/* Print "ptlims: file:line:col: msg" and return 1. */
int calc_fail_at(const pt_csv *csv, const pt_csv_field *f, const char *msg);

/* Output held back until a calculator has succeeded, so that a failure
 * leaves standard output empty (never half a table or JSON array). */
typedef struct calc_output {
    FILE *f; /* write here */
    char *buf;
    size_t len;
} calc_output;

/* Start holding output: 0, or -1 when out of memory. */
int calc_output_open(calc_output *o);

/* Stop holding output: when rc is 0 write what was held to standard
 * output; free it either way.  Returns rc, or 2 when writing fails. */
int calc_output_close(calc_output *o, int rc);

/* Values grouped by a text key (an item or a laboratory), in order of
 * first appearance: values[] holds group 0's, then group 1's, ... */
typedef struct calc_groups {
    size_t n, p;             /* values, groups */
    double *values;
    size_t *counts;
    char **names;
    unsigned long *lines;    /* line of each group's first row */
} calc_groups;

/* Read a CSV with columns key_col and "value" into groups; 0, or the exit
 * code after printing the message. */
int calc_read_groups(const char *path, const char *key_col, calc_groups *g);
void calc_groups_free(calc_groups *g);

#endif /* PTLIMS_CALC_H */
