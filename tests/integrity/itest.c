/*
 * itest.c -- helpers for the integrity tests (see itest.h).
 */
#include "itest.h"
#include "pt_sqlfn.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "pt_sha256.h"

char it_out[1 << 16];
static char build[256], ptlims[1024], tmp[256];

const char *it_build(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    if (!build[0])
        snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    return build;
}

const char *it_ptlims(void)
{
    const char *w = getenv("PTLIMS_WRAP");
    if (!ptlims[0])
        snprintf(ptlims, sizeof ptlims, "%s %s/ptlims --plugin-dir %s/plugins",
                 w ? w : "", it_build(), it_build());
    return ptlims;
}

const char *it_tmp(void)
{
    if (!tmp[0]) {
        snprintf(tmp, sizeof tmp, "/tmp/ptlims-itest-XXXXXX");
        assert_non_null(mkdtemp(tmp));
    }
    return tmp;
}

void it_cleanup(void)
{
    if (tmp[0])
        it_run("rm -rf %s", tmp);
    tmp[0] = 0;
}

int it_run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    FILE *p;
    size_t n;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(it_out, 1, sizeof it_out - 1, p);
    it_out[n] = 0;
    while (fgetc(p) != EOF) /* drain what did not fit */
        ;
    st = pclose(p);
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
}

void it_expect(int status, int want, const char *words)
{
    if (status != want || (words && !strstr(it_out, words)))
        fail_msg("exit %d (wanted %d), output:\n%s\nwanted: %s", status,
                 want, it_out, words ? words : "");
}

char *it_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;

    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

void it_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out;
    char buf[65536];
    size_t n;

    if (!in)
        fail_msg("cannot open %s", from);
    out = fopen(to, "wb");
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

void it_file_sha256(const char *path, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[PT_SHA256_SIZE], buf[65536];
    FILE *f = fopen(path, "rb");
    pt_sha256 s;
    size_t n;
    int i;

    hex[0] = 0;
    if (!f)
        return;
    pt_sha256_init(&s);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        pt_sha256_update(&s, buf, n);
    fclose(f);
    pt_sha256_final(&s, d);
    for (i = 0; i < PT_SHA256_SIZE; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = 0;
}

static void append(char **s, size_t *len, size_t *cap, const char *t,
                   size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *s = realloc(*s, *cap);
        assert_non_null(*s);
    }
    memcpy(*s + *len, t, n);
    *len += n;
    (*s)[*len] = 0;
}

char *it_dump(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *tables, *rows;
    char *s = NULL, sql[512];
    size_t len = 0, cap = 0;
    int i;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(pt_sqlfn_register(db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT type, name, coalesce(sql, '') FROM "
                           "sqlite_schema ORDER BY type, name",
                           -1, &tables, NULL),
        SQLITE_OK);
    append(&s, &len, &cap, "", 0);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(tables, 0);
        const char *t = (const char *)sqlite3_column_text(tables, 1);
        const char *ddl = (const char *)sqlite3_column_text(tables, 2);
        append(&s, &len, &cap, ddl, strlen(ddl));
        append(&s, &len, &cap, "\n", 1);
        if (strcmp(type, "table") != 0)
            continue;
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", t);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL),
                         SQLITE_OK);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (i = 0; i < sqlite3_column_count(rows); i++) {
                const unsigned char *v = sqlite3_column_text(rows, i);
                int n = sqlite3_column_bytes(rows, i);
                if (v)
                    append(&s, &len, &cap, (const char *)v, (size_t)n);
                else
                    append(&s, &len, &cap, "NULL", 4);
                append(&s, &len, &cap, "|", 1);
            }
            append(&s, &len, &cap, "\n", 1);
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return s;
}

long long it_query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(pt_sqlfn_register(db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("%s: no row: %s", sql, sqlite3_errmsg(db));
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}
