/*
 * test_import_io.c -- what an import writes to disk.
 *
 * A result insert may fail half-way (the result table has a trigger and
 * foreign keys), so SQLite keeps the pages each insert changes in a
 * statement journal.  Once one statement has needed more than 64 KiB that
 * journal moves to a temporary file, and on disk every insert of the rest
 * of the import wrote its pages to it again: tens of times the size of
 * the database.  A write transaction keeps temporary files in memory
 * (pt_store.h), so an import writes little more than its pages to the
 * WAL and, at the checkpoint, to the database.  Counted in bytes written
 * (/proc/self/io), not in time: for these 200 000 results about twice the
 * database, and 14 times with the journal on disk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#define LABS 100
#define ROUNDS 2000

/* Bytes this process has passed to write calls so far. */
static unsigned long long written(void)
{
    char line[128];
    unsigned long long n = 0;
    FILE *f = fopen("/proc/self/io", "r");

    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "wchar: %llu", &n) == 1)
            break;
    fclose(f);
    return n;
}

/* Text of n lines made by line(i, buf, len), after a header. */
static char *lines(const char *header, int n,
                   int (*line)(int i, char *buf, size_t len))
{
    size_t cap = (size_t)n * 96 + 128, used;
    char *text = malloc(cap);
    int i;

    assert_non_null(text);
    used = (size_t)snprintf(text, cap, "%s\n", header);
    for (i = 0; i < n; i++)
        used += (size_t)line(i, text + used, cap - used);
    return text;
}

static int lab_line(int i, char *buf, size_t len)
{
    return snprintf(buf, len, "L%03d,Laboratory %d,external\n", i, i);
}

static int round_line(int i, char *buf, size_t len)
{
    return snprintf(buf, len, "R%03d,fuel-sulfur,sulfur,2025-01-10,0.8\n",
                    i);
}

static int result_line(int i, char *buf, size_t len)
{
    int r = i / LABS, l = i % LABS;

    return snprintf(buf, len,
                    "R%03d,L%03d,sulfur,%.2f,mg/kg,0.5,2,ASTM D5453,TN-%d,"
                    "A.%d\n",
                    r, l, 8.0 + 0.01 * ((l * 37 + r * 11) % 97), l, r % 7);
}

static void import(const lims_plugin *p, lims_instance *inst,
                   const char *name, char *text)
{
    char err[512];
    (void)p; /* the engine checks every scheme */

    if (tu_engine()->import_csv(inst, tu_file(name, text), NULL, err, sizeof err) !=
        LIMS_OK)
        fail_msg("%s: %s", name, err);
    free(text);
}

static void an_import_writes_its_pages_a_few_times_not_tens(void **state)
{
    const lims_plugin *p = tu_plugin("fuel-sulfur");
    lims_instance *inst = tu_open(p, "io.db");
    unsigned long long before, bytes;
    char *results;
    struct stat st;

    (void)state;
    import(p, inst, "labs.csv", lines("lab,name,role", LABS, lab_line));
    import(p, inst, "rounds.csv",
           lines("round,scheme,measurand,opened,sigma_pt", ROUNDS,
                 round_line));
    results = lines("round,lab,measurand,value,unit,U,k,method,instrument,"
                    "analyst",
                    LABS * ROUNDS, result_line);
    before = written();
    import(p, inst, "results.csv", results);
    tu_engine()->close(inst); /* the last checkpoint */
    bytes = written() - before;
    assert_int_equal(stat(tu_db(), &st), 0);
    /* the WAL and the checkpoint: about twice the database */
    if (bytes > 4 * (unsigned long long)st.st_size)
        fail_msg("the import of %d results wrote %llu bytes for a database "
                 "of %lld bytes",
                 LABS * ROUNDS, bytes, (long long)st.st_size);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_import_writes_its_pages_a_few_times_not_tens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
