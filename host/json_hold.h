/*
 * json_hold.h -- a command given --json leaves stdout empty when it fails.
 *
 * JSON is written as it is produced (an array of scores streams row by
 * row), so a row that fails half-way would leave "[" and the rows before
 * it on stdout, which a reader takes for a document.  While a command
 * with --json runs, stdout goes to a temporary file; it is copied to the
 * real stdout only when the command exits 0, or when the command said
 * that what it wrote is whole (json_hold_keep).
 */
#ifndef PTLIMS_JSON_HOLD_H
#define PTLIMS_JSON_HOLD_H

/* When argv holds "--json", send stdout to a temporary file.  Returns 1
 * when it does, 0 otherwise (no --json, or no temporary file could be
 * made: stdout is then left as it is). */
int json_hold_begin(int argc, char **argv);

/* The command has written a whole document that reports a partial
 * success (evaluate --all: the rounds evaluated, while it exits 1 for the
 * others): keep it on stdout whatever the exit status. */
void json_hold_keep(void);

/* End what json_hold_begin(held) began: the held output reaches stdout
 * when rc is 0 and is dropped otherwise.  Returns rc, or 2 when the held
 * output could not be written. */
int json_hold_end(int held, int rc);

#endif /* PTLIMS_JSON_HOLD_H */
