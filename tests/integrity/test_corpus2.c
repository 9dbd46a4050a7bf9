/*
 * test_corpus2.c -- the second bad-input corpus (tests/integrity/corpus2/,
 * issue 17: codes, names, text, numbers, plan and corrective-action
 * files), imported by the real ptlims command into a prepared database:
 * each file is refused with exit status 1, the message naming
 * file:line:column is the last line ptlims writes, no raw control byte
 * reaches the terminal, and the database file is exactly as it was.
 *
 * tests/integrity/corpus2/EXPECTED.tsv (written with the files by
 * tests/integrity/make_corpus2.py, which computes each place from the rows
 * it writes) lists each file, the exit status and a fragment of the
 * message ("name.csv:LINE:COL: reason").  The database is
 * in WAL mode: ptlims checkpoints and removes the WAL when it closes, so
 * after it exits the main file holds everything; the test compares its
 * SHA-256 before and after, checks that no WAL with content is left, and
 * compares a logical dump (schema and every row) as well, so a difference
 * is shown in readable form.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "itest.h"

#define BAD_DIR "tests/integrity/corpus2"

typedef struct expected {
    char file[256];
    int exit;
    char fragment[1024];
} expected;

static expected table[512];
static size_t n_table;
static char prepared[512];

static void read_table(void)
{
    FILE *f = fopen(BAD_DIR "/EXPECTED.tsv", "r");
    char line[2048], *tab1, *tab2, *nl;

    if (!f)
        fail_msg("cannot open " BAD_DIR "/EXPECTED.tsv");
    n_table = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if ((nl = strchr(line, '\n')))
            *nl = 0;
        tab1 = strchr(line, '\t');
        tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2)
            fail_msg("EXPECTED.tsv: bad line \"%s\"", line);
        *tab1 = *tab2 = 0;
        assert_true(n_table < sizeof table / sizeof table[0]);
        if (strlen(line) >= sizeof table[0].file)
            fail_msg("EXPECTED.tsv: file name too long: %s", line);
        memcpy(table[n_table].file, line, strlen(line) + 1);
        table[n_table].exit = atoi(tab1 + 1);
        if (strlen(tab2 + 1) >= sizeof table[0].fragment)
            fail_msg("EXPECTED.tsv: fragment too long: %s", tab2 + 1);
        memcpy(table[n_table].fragment, tab2 + 1, strlen(tab2 + 1) + 1);
        n_table++;
    }
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    read_table();
    snprintf(prepared, sizeof prepared, "%s/prepared.db", it_tmp());
    if (it_run("%s --db %s import fixtures/laboratories.csv "
               "fixtures/rounds.csv fixtures/results-s-2025-bilateral.csv "
               "fixtures/plan.csv",
               it_ptlims(), prepared) != 0)
        fail_msg("preparing the database: %s", it_out);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    it_cleanup();
    return 0;
}

static void corpus_has_150_files_each_with_an_expectation(void **state)
{
    DIR *d = opendir(BAD_DIR);
    struct dirent *e;
    size_t files = 0, i;

    (void)state;
    assert_non_null(d);
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "EXPECTED.tsv") == 0)
            continue;
        files++;
        for (i = 0; i < n_table; i++)
            if (strcmp(table[i].file, e->d_name) == 0)
                break;
        if (i == n_table)
            fail_msg(BAD_DIR "/%s has no line in EXPECTED.tsv", e->d_name);
    }
    closedir(d);
    assert_int_equal(files, n_table);
    assert_true(files >= 150);
}

/* "name.csv:12:3: ..." -- the fragment itself must name a place. */
static int names_a_place(const char *frag)
{
    const char *p = strstr(frag, ".csv:");
    unsigned long line, col;
    return p && sscanf(p + 5, "%lu:%lu:", &line, &col) == 2 && line >= 1 &&
           col >= 1;
}

/* The last line of out (without its line feed). */
static const char *last_line(char *out)
{
    size_t n = strlen(out);
    char *p;

    while (n > 0 && out[n - 1] == '\n')
        out[--n] = 0;
    p = strrchr(out, '\n');
    return p ? p + 1 : out;
}

/* Non-zero when out holds a control byte other than a line feed. */
static int raw_control(const char *out)
{
    const unsigned char *p;

    for (p = (const unsigned char *)out; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            return 1;
    return 0;
}

static void every_bad_file_is_refused_and_changes_nothing(void **state)
{
    char db[512], wal[600], before[65], after[65], want[1024];
    char *dump_before, *dump_after;
    struct stat st;
    size_t i;

    (void)state;
    snprintf(db, sizeof db, "%s/bad.db", it_tmp());
    snprintf(wal, sizeof wal, "%s-wal", db);
    it_copy(prepared, db);
    dump_before = it_dump(db);
    for (i = 0; i < n_table; i++) {
        const expected *x = &table[i];
        int rc;

        assert_true(names_a_place(x->fragment));
        it_copy(prepared, db);
        it_file_sha256(db, before);
        rc = it_run("%s --db %s import " BAD_DIR "/%s", it_ptlims(), db,
                    x->file);
        snprintf(want, sizeof want, BAD_DIR "/%s", x->fragment);
        if (rc != x->exit || !strstr(it_out, want))
            fail_msg("%s: exit %d (wanted %d), said:\n%.2000s\nwanted: %s",
                     x->file, rc, x->exit, it_out, want);
        if (!strstr(last_line(it_out), want))
            fail_msg("%s: the place is not the last line:\n%.2000s",
                     x->file, it_out);
        if (raw_control(it_out))
            fail_msg("%s: a raw control byte in the output:\n%.2000s",
                     x->file, it_out);
        if (strstr(it_out, "AddressSanitizer") ||
            strstr(it_out, "runtime error"))
            fail_msg("%s: sanitizer report:\n%s", x->file, it_out);
        /* ptlims checkpointed and removed its WAL on close */
        assert_true(stat(wal, &st) != 0 || st.st_size == 0);
        it_file_sha256(db, after);
        if (strcmp(before, after) != 0) {
            dump_after = it_dump(db);
            fail_msg("%s: the database file changed (%s)", x->file,
                     strcmp(dump_before, dump_after) == 0
                         ? "same rows, other bytes"
                         : "its rows changed");
        }
        dump_after = it_dump(db);
        assert_string_equal(dump_before, dump_after);
        free(dump_after);
    }
    free(dump_before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_has_150_files_each_with_an_expectation),
        cmocka_unit_test(every_bad_file_is_refused_and_changes_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
