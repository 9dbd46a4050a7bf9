/*
 * fuzz_record.c -- fuzz target for plan and corrective-action files: the
 * input, imported as a CSV file, with a plan header or a corrective-action
 * header put before it when its first byte is 'p' or 'c' (the byte is
 * dropped), so that most inputs reach the cells of those files rather than
 * their header check.
 *
 * The database holds the fixtures' laboratories, rounds and the
 * bilateral round's results, evaluated, so that a corrective action finds
 * a scored result.  A refused import must leave the database as it was and
 * no transaction open; an accepted one must leave a record that verifies,
 * and is then undone by restoring the prepared database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_targets.h"
#include "pt_core.h"

const lims_plugin *pt_fuzz_entry_dehumidifier(void);
const lims_plugin *pt_fuzz_entry_fuel_sulfur(void);

#define CHECK(x)                                                              \
    do {                                                                      \
        if (!(x)) {                                                           \
            fprintf(stderr, "fuzz_record: check failed: %s\n", #x);           \
            abort();                                                          \
        }                                                                     \
    } while (0)

static lims_instance *inst;
static sqlite3 *prepared;
static char path[64];
static lims_services svc;

/* Open an engine instance and give it both schemes. */
static lims_status open_engine(const lims_services *s, lims_instance **out,
                               char *err, size_t errlen)
{
    const lims_engine *e = lims_engine_entry_v1();
    lims_status rc = e->open(s, out, err, errlen);

    if (rc == LIMS_OK &&
        ((rc = e->scheme_add(*out, pt_fuzz_entry_dehumidifier(), err,
                             errlen)) ||
         (rc = e->scheme_add(*out, pt_fuzz_entry_fuel_sulfur(), err,
                             errlen)))) {
        e->close(*out);
        *out = NULL;
    }
    return rc;
}

static void copy_db(sqlite3 *to, sqlite3 *from)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    CHECK(b != NULL);
    CHECK(sqlite3_backup_step(b, -1) == SQLITE_DONE);
    CHECK(sqlite3_backup_finish(b) == SQLITE_OK);
}

static void setup(void)
{
    static const char *const files[] = {"laboratories.csv", "rounds.csv",
                                        "results-s-2025-bilateral.csv"};
    const lims_engine *p = lims_engine_entry_v1();
    const char *dir = getenv("PTLIMS_FIXTURES");
    char err[1024], fx[512];
    size_t i;
    int fd;

    snprintf(path, sizeof path, "/tmp/ptlims-fuzz-XXXXXX");
    fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = ":memory:";
    CHECK(open_engine(&svc, &inst, err, sizeof err) == LIMS_OK);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(fx, sizeof fx, "%s/%s", dir ? dir : "fixtures", files[i]);
        if (p->import_csv(inst, fx, NULL, err, sizeof err) != LIMS_OK) {
            fprintf(stderr, "fuzz_record: %s (run from the repository top "
                            "or set PTLIMS_FIXTURES)\n", err);
            abort();
        }
    }
    CHECK(p->evaluate_round(inst, "S-2025-BIL1", NULL, err, sizeof err) ==
          LIMS_OK);
    CHECK(sqlite3_open(":memory:", &prepared) == SQLITE_OK);
    copy_db(prepared, inst->db);
}

/* Everything a plan or corrective-action file can change. */
static void fingerprint(char *out, size_t outlen)
{
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(
              inst->db,
              "SELECT (SELECT count(*) || '/' || coalesce(max(id), 0) FROM "
              "pt_plan) || '|' || (SELECT count(*) || '/' || "
              "coalesce(max(id), 0) || '/' || count(closed) FROM "
              "corrective_action) || '|' || (SELECT count(*) FROM audit_log)",
              -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    snprintf(out, outlen, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

int pt_fuzz_record(const uint8_t *data, size_t size)
{
    static const char plan[] = "lab,scheme,technique,property,product,"
                               "measurand,method,risk,per_year,from,to,"
                               "note\n";
    static const char capa[] = "round,lab,measurand,item,trigger,root_cause,"
                               "action,owner,opened,due,closed,"
                               "verified_by\n";
    static char before[256], after[256];
    lims_verify_summary v;
    char err[2048];
    FILE *f;
    lims_status rc;

    if (!inst)
        setup();
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (size > 0 && (data[0] == 'p' || data[0] == 'c')) {
        const char *h = data[0] == 'p' ? plan : capa;
        CHECK(fwrite(h, 1, strlen(h), f) == strlen(h));
        data++, size--;
    }
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);
    fingerprint(before, sizeof before);
    err[0] = 0;
    rc = lims_engine_entry_v1()->import_csv(inst, path, NULL, err, sizeof err);
    CHECK(sqlite3_get_autocommit(inst->db));
    if (rc == LIMS_OK) {
        memset(&v, 0, sizeof v);
        v.size = sizeof v;
        if (lims_engine_entry_v1()->verify(inst, &v, err, sizeof err) != LIMS_OK) {
            fprintf(stderr, "fuzz_record: an accepted file left a record "
                            "that does not verify: %s\n", err);
            abort();
        }
        copy_db(inst->db, prepared);
        return 0;
    }
    CHECK(rc == LIMS_ERR_INPUT || rc == LIMS_ERR_STATE ||
          rc == LIMS_ERR_NOMEM);
    CHECK(strncmp(err, path, strlen(path)) == 0);
    CHECK(err[strlen(path)] == ':');
    fingerprint(after, sizeof after);
    if (strcmp(before, after) != 0) {
        fprintf(stderr, "fuzz_record: refused import changed the database\n"
                        "before: %s\nafter:  %s\n", before, after);
        abort();
    }
    return 0;
}

void pt_fuzz_record_cleanup(void)
{
    if (!inst)
        return;
    lims_engine_entry_v1()->close(inst);
    sqlite3_close(prepared);
    unlink(path);
    inst = NULL;
    prepared = NULL;
}

#ifdef PT_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return pt_fuzz_record(data, size);
}
#endif
