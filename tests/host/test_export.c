/*
 * test_export.c -- the whole record written out as CSV files and read
 * back: export, import into a new database, export again gives the same
 * files byte for byte, and the evaluation of the new record is the
 * original's (invariance: the same record through another path); the
 * files are read by Python's csv module, a reader that is not ptlims's.
 * A file recorded already is said so and writes nothing; one that only
 * partly matches the record is refused at the cell.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"

static void demo_db(const char *name)
{
    expect(run(PTLIMS " demo --fixtures fixtures --lab TC-BR --out "
                      "%s/%s.xlsx",
               exe, build, tmp, name, tmp, name),
           0, "scores of TC-BR");
}

static char after[1 << 16];

/* How many audit entries and results db has, as text into buf. */
static void counts(const char *db, char *buf, size_t len)
{
    expect(run("sqlite3 %s/%s 'SELECT count(*) FROM audit_log; SELECT "
               "count(*) FROM result; SELECT count(*) FROM laboratory'",
               tmp, db),
           0, NULL);
    snprintf(buf, len, "%s", out);
}

static void the_record_goes_out_and_back_unchanged(void **state)
{
    static char a[sizeof out];

    (void)state;
    demo_db("orig.db");
    /* a record with a life: a correction whose reason needs quoting, an
     * amendment to a number that needs 17 digits, voids, a closed
     * round */
    expect(run(PTLIMS " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                      "sulfur --item FO-1 --value 4400 --unit mg/kg --reason "
                      "'transcription error, \"4483\" read as 4400' && "
               PTLIMS " amend round S-2025-PT1 --sigma-pt "
                      "0.30000000000000004 "
                      "--sigma-pt-basis 'fitness for purpose' --reason x && "
               PTLIMS " void result S-2025-PT1/L08/sulfur/PT-25-2 --reason "
                      "'mix-up' --by QM && " PTLIMS " void capa 1 --reason "
                      "dup && " PTLIMS " void plan 3 --reason 'no gasoline' "
                      "&& " PTLIMS " evaluate --all && " PTLIMS " close "
                      "S-2025-Q3",
               exe, build, tmp, "orig.db", exe, build, tmp, "orig.db", exe,
               build, tmp, "orig.db", exe, build, tmp, "orig.db", exe, build,
               tmp, "orig.db", exe, build, tmp, "orig.db", exe, build, tmp,
               "orig.db"),
           0, "round S-2025-Q3 is closed");
    expect(run(PTLIMS " export --out %s/e1 --json", exe, build, tmp,
               "orig.db", tmp),
           0, "{\"file\": \"results.csv\", \"rows\": 107}");
    /* another reader: the texts as recorded, every version */
    expect(run("python3 -c \"import csv; r = [x for x in csv.DictReader("
               "open('%s/e1/results.csv', encoding='utf-8')) if x['round'] "
               "== 'S-2025-BIL1' and x['lab'] == 'TC-BR' and x['item'] == "
               "'FO-1']; print(len(r), r[0]['value'], r[0]['version'], "
               "r[1]['value'], r[1]['version'], '|' + r[1]['reason'] + "
               "'|')\"",
               tmp),
           0, "2 4483 1 4400 2 |transcription error, \"4483\" read as "
              "4400|");
    expect(run("python3 -c \"import csv; r = [x for x in csv.DictReader("
               "open('%s/e1/rounds.csv', encoding='utf-8')) if x['round'] "
               "in ('S-2025-Q3', 'S-2025-PT1')]; print([(x['round'], "
               "x['status'], x['sigma_pt']) for x in r])\"",
               tmp),
           0, "[('S-2025-Q3', 'closed', ''), ('S-2025-PT1', 'open', "
              "'0.30000000000000004')]");
    /* the shortest text that reads back to the same double: 0.1 + 0.2 */
    expect(run("python3 -c \"import csv; r = [x for x in csv.DictReader("
               "open('%s/e1/rounds.csv', encoding='utf-8')) if x['round'] "
               "== 'S-2025-PT1']; print(float(r[0]['sigma_pt']) == 0.1 + "
               "0.2, float(r[0]['sigma_pt']) == 0.3)\"",
               tmp),
           0, "True False");

    /* into a new database, and out again: the same bytes */
    expect(run(PTLIMS " import %s/e1", exe, build, tmp, "copy.db", tmp), 0,
           "capa.csv: 3 rows");
    expect(run(PTLIMS " export --out %s/e2 && cd %s && for f in e1/*; do "
                      "cmp $f e2/${f#e1/} || exit 1; done && ls e2 | wc -l",
               exe, build, tmp, "copy.db", tmp, tmp),
           0, "5");
    /* what the new record holds is the original's */
    expect(run(PTLIMS " rounds --status closed", exe, build, tmp, "copy.db"),
           0, "S-2025-Q3");
    expect(run(PTLIMS " results --lab L08 --json", exe, build, tmp,
               "copy.db"),
           0, "by QM: mix-up\"}");
    expect(run(PTLIMS " evaluate --all && " PTLIMS " scores --json > "
               "%s/s2.json && " PTLIMS " scores --json > %s/s1.json && cmp "
               "%s/s1.json %s/s2.json && " PTLIMS " compare --lab TC-BR --ref "
               "OIL-REF --json > %s/c2.json && " PTLIMS " compare --lab "
               "TC-BR --ref OIL-REF --json > %s/c1.json && cmp %s/c1.json "
               "%s/c2.json && echo same",
               exe, build, tmp, "copy.db", exe, build, tmp, "copy.db", tmp,
               exe, build, tmp, "orig.db", tmp, tmp, tmp, exe, build, tmp,
               "copy.db", tmp, exe, build, tmp, "orig.db", tmp, tmp, tmp),
           0, "same");
    expect(run("grep -c '\"round\"' %s/s1.json", tmp), 0, NULL);
    assert_true(atoi(out) > 50);
    expect(run(PTLIMS " verify", exe, build, tmp, "copy.db"), 0,
           "audit log intact");

    /* the folder again: every file recorded already, nothing written */
    counts("copy.db", a, sizeof a);
    expect(run(PTLIMS " import %s/e1", exe, build, tmp, "copy.db", tmp), 0,
           "e1/results.csv: already recorded (107 rows)");
    assert_non_null(strstr(out, "e1/laboratories.csv: already recorded"));
    counts("copy.db", after, sizeof after);
    assert_string_equal(after, a);
}

static void export_writes_only_into_a_new_or_empty_folder(void **state)
{
    (void)state;
    demo_db("ex.db");
    expect(run(PTLIMS " export", exe, build, tmp, "ex.db"), 1,
           "ptlims export: missing --out");
    expect(run("mkdir -p %s/full && echo x > %s/full/keep.txt && " PTLIMS
               " export --out %s/full",
               tmp, tmp, exe, build, tmp, "ex.db", tmp),
           1, "is not empty");
    expect(run("ls %s/full", tmp), 0, "keep.txt");
    expect(run("mkdir -p %s/real && ln -sfn %s/real %s/link && " PTLIMS
               " export --out %s/link",
               tmp, tmp, tmp, exe, build, tmp, "ex.db", tmp),
           1, "is not a folder but a link, not followed");
    expect(run("ls %s/real | wc -l", tmp), 0, "0");
    expect(run(PTLIMS " export --out %s/ex.db", exe, build, tmp, "ex.db",
               tmp),
           1, "is not a folder");
    /* an empty folder is fine */
    expect(run(PTLIMS " export --out %s/real", exe, build, tmp, "ex.db",
               tmp),
           0, "real/rounds.csv: 21 rows");
    expect(run(PTLIMS " export --out %s/none", exe, build, tmp, "nodb.db",
               tmp),
           1, "no database at");
}

static void a_folder_is_imported_in_order_and_whole(void **state)
{
    static char before[sizeof out];

    (void)state;
    /* names that sort against the order the files depend on */
    expect(run("mkdir -p %s/fold && cp fixtures/results-s-2025-pt.csv "
               "%s/fold/a-results.csv && cp fixtures/rounds.csv "
               "%s/fold/b-rounds.csv && cp fixtures/laboratories.csv "
               "%s/fold/c-labs.csv && " PTLIMS " import %s/fold",
               tmp, tmp, tmp, tmp, exe, build, tmp, "fold.db", tmp),
           0, "a-results.csv: 34 rows");
    assert_true(strstr(out, "c-labs.csv") < strstr(out, "b-rounds.csv"));
    assert_true(strstr(out, "b-rounds.csv") < strstr(out, "a-results.csv"));
    /* one bad file: nothing of the folder is written */
    counts("fold.db", before, sizeof before);
    expect(run("mkdir -p %s/bad && cp fixtures/rounds-history.csv "
               "%s/bad/r.csv && cp fixtures/bad/value-nan.csv "
               "%s/bad/x.csv && " PTLIMS " import %s/bad",
               tmp, tmp, tmp, exe, build, tmp, "fold.db", tmp),
           1, "x.csv:3:30: value: \"NaN\"");
    counts("fold.db", after, sizeof after);
    assert_string_equal(after, before);
    expect(run(PTLIMS " rounds", exe, build, tmp, "fold.db"), 0, NULL);
    assert_null(strstr(out, "S-2023-Q1"));
    /* a link in the folder is not followed */
    expect(run("mkdir -p %s/lnk && ln -sfn %s/fold/c-labs.csv "
               "%s/lnk/labs.csv && " PTLIMS " import %s/lnk",
               tmp, tmp, tmp, exe, build, tmp, "fold.db", tmp),
           1, "lnk/labs.csv is not a regular file (a link: not followed)");
    expect(run("mkdir -p %s/txt && echo a > %s/txt/x.csv && " PTLIMS
               " import %s/txt",
               tmp, tmp, exe, build, tmp, "fold.db", tmp),
           1, "txt/x.csv:1:1: cannot tell what this file holds");
}

static void a_file_recorded_already_is_said_so(void **state)
{
    static char before[sizeof out];

    (void)state;
    demo_db("again.db");
    counts("again.db", before, sizeof before);
    expect(run(PTLIMS " import fixtures/laboratories.csv fixtures/rounds.csv "
                      "fixtures/results-s-2025-pt.csv fixtures/plan.csv "
                      "fixtures/capa.csv",
               exe, build, tmp, "again.db"),
           0, "fixtures/laboratories.csv: already recorded (38 rows)\n"
              "fixtures/rounds.csv: already recorded (6 rows)\n"
              "fixtures/results-s-2025-pt.csv: already recorded (34 rows)\n"
              "fixtures/plan.csv: already recorded (5 rows)\n"
              "fixtures/capa.csv: already recorded (3 rows)");
    expect(run(PTLIMS " import --json fixtures/rounds.csv", exe, build, tmp,
               "again.db"),
           0, "\"rows\": 6, \"laboratories\": 0, \"rounds\": 0, "
              "\"results\": 0, \"already\": 6, \"warnings\": []}");
    counts("again.db", after, sizeof after);
    assert_string_equal(after, before);

    /* the same key with another value: refused at that cell */
    expect(run("head -2 fixtures/results-s-2025-pt.csv > %s/v.csv && sed -n "
               "3p fixtures/results-s-2025-pt.csv | sed 's/,8.1,/,8.2,/' >> "
               "%s/v.csv && " PTLIMS " import %s/v.csv",
               tmp, tmp, exe, build, tmp, "again.db", tmp),
           1, "v.csv:3:35: the result of OIL-REF for round S-2025-PT1, "
              "sulfur, item PT-25-2 (version 1) is recorded with value "
              "\"8.1\"; this file gives \"8.2\"");
    expect(run("sed 's/,2027,/,2028,/' fixtures/plan.csv > %s/p.csv && "
               PTLIMS " import %s/p.csv",
               tmp, exe, build, tmp, "again.db", tmp),
           1, "p.csv:2:106: this row is recorded with to \"2027\"; this file "
              "gives \"2028\"");
    /* recorded rows and new ones in one file: the first recorded named */
    expect(run("head -3 fixtures/results-s-2025-pt.csv > %s/m.csv && printf "
               "'S-2025-PT1,L09,sulfur,PT-26-1,9.0,mg/kg,,,,,,,,,\\n' >> "
               "%s/m.csv && " PTLIMS " import %s/m.csv",
               tmp, tmp, exe, build, tmp, "again.db", tmp),
           1, "m.csv:2:1: this row is recorded already, as it is, and line "
              "4 is not");
    counts("again.db", after, sizeof after);
    assert_string_equal(after, before);
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_record_goes_out_and_back_unchanged),
        cmocka_unit_test(export_writes_only_into_a_new_or_empty_folder),
        cmocka_unit_test(a_folder_is_imported_in_order_and_whole),
        cmocka_unit_test(a_file_recorded_already_is_said_so),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-export-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
