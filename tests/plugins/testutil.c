/*
 * testutil.c -- shared fixtures for the plug-in tests (see testutil.h).
 */
#include "testutil.h"

#include <dlfcn.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[256];
static char paths[8][512];
static int next_path;
static char db_path[512];

const char *tu_build(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    return b && *b ? b : "build";
}

const lims_plugin *tu_plugin(const char *name)
{
    char path[512];
    void *h;
    lims_plugin_entry_v1_fn entry;

    snprintf(path, sizeof path, "%s/plugins/%s.so", tu_build(), name);
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        fail_msg("dlopen %s: %s", path, dlerror());
    *(void **)&entry = dlsym(h, LIMS_PLUGIN_ENTRY_V1);
    assert_non_null(entry);
    return entry();
}

const char *tu_dir(void)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/ptlims-test-XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    return dir;
}

const char *tu_file(const char *name, const char *text)
{
    char *p = paths[next_path++ % 8];
    FILE *f;

    snprintf(p, sizeof paths[0], "%s/%s", tu_dir(), name);
    f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

const lims_engine *tu_engine(void)
{
    return lims_engine_entry_v1();
}

void tu_add_schemes(lims_instance *inst)
{
    char err[512] = "";

    if (tu_engine()->scheme_add(inst, tu_plugin("dehumidifier"), err,
                                sizeof err) != LIMS_OK ||
        tu_engine()->scheme_add(inst, tu_plugin("fuel-sulfur"), err,
                                sizeof err) != LIMS_OK)
        fail_msg("scheme_add: %s", err);
}

lims_instance *tu_open(const lims_plugin *p, const char *db)
{
    (void)p;
    static lims_services svc;
    lims_instance *inst = NULL;
    char err[512] = "";

    snprintf(db_path, sizeof db_path, "%s/%s", tu_dir(), db);
    unlink(db_path);
    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = db_path;
    if (tu_engine()->open(&svc, &inst, err, sizeof err) != LIMS_OK)
        fail_msg("open: %s", err);
    tu_add_schemes(inst);
    return inst;
}

const char *tu_db(void)
{
    return db_path;
}

static void append(char **s, size_t *len, size_t *cap, const char *t)
{
    size_t n = strlen(t);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *s = realloc(*s, *cap);
        assert_non_null(*s);
    }
    memcpy(*s + *len, t, n + 1);
    *len += n;
}

char *tu_dump(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *tables, *rows;
    char *s = NULL, sql[256];
    size_t len = 0, cap = 0;
    int i;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_schema WHERE type = "
                           "'table' ORDER BY name",
                           -1, &tables, NULL),
        SQLITE_OK);
    append(&s, &len, &cap, "");
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tables, 0);
        append(&s, &len, &cap, t);
        append(&s, &len, &cap, ":\n");
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", t);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL),
                         SQLITE_OK);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (i = 0; i < sqlite3_column_count(rows); i++) {
                const unsigned char *v = sqlite3_column_text(rows, i);
                append(&s, &len, &cap, v ? (const char *)v : "NULL");
                append(&s, &len, &cap, "|");
            }
            append(&s, &len, &cap, "\n");
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return s;
}
