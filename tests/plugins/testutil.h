/*
 * testutil.h -- helpers for the plug-in tests: load a built plug-in,
 * write a temporary CSV, and take a fingerprint of a whole database so a
 * test can prove that a refused import changed nothing.
 */
#ifndef PTLIMS_TESTUTIL_H
#define PTLIMS_TESTUTIL_H

#include <stddef.h>

#include "lims_plugin.h"

/* Path of the build directory ($PTLIMS_BUILD, default "build"). */
const char *tu_build(void);

/* dlopen build/plugins/<name>.so and return its descriptor (fails the
 * test when it cannot). */
const lims_plugin *tu_plugin(const char *name);

/* A fresh temporary directory for this test process. */
const char *tu_dir(void);

/* Write `text` to <tu_dir()>/<name> and return the path (static buffer
 * per call slot: up to 8 live paths). */
const char *tu_file(const char *name, const char *text);

/* The engine (linked into the test). */
const lims_engine *tu_engine(void);

/* Give an instance both scheme plug-ins (fails the test when it cannot). */
void tu_add_schemes(lims_instance *inst);

/* Open an engine instance on a new database <tu_dir()>/<db>, given both
 * scheme plug-ins (p, one of them, is kept for the callers' reading). */
lims_instance *tu_open(const lims_plugin *p, const char *db);

/* A text picture of every row of every table of the database, for
 * before/after comparisons.  Caller frees. */
char *tu_dump(const char *db_path);

/* The database path of the last tu_open(). */
const char *tu_db(void);

#endif /* PTLIMS_TESTUTIL_H */
