/*
 * fuzz_import.c -- fuzz target for a whole CSV import.
 *
 * The input is written to a temporary file and imported into an in-memory
 * database that already holds the fixtures' laboratories and rounds.  A
 * refused import must leave the database exactly as it was and no
 * transaction open; an accepted one is undone by restoring the prepared
 * database, so every input starts from the same state.  Both scheme
 * plug-ins are linked in (their entry points renamed by the Makefile).
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
            fprintf(stderr, "fuzz_import: check failed: %s\n", #x);           \
            abort();                                                          \
        }                                                                     \
    } while (0)

static lims_instance *inst;
static sqlite3 *prepared; /* the database every input starts from */
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
    const char *dir = getenv("PTLIMS_FIXTURES");
    char err[1024], fx[512];
    int fd;

    snprintf(path, sizeof path, "/tmp/ptlims-fuzz-XXXXXX");
    fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = ":memory:";
    if (open_engine(&svc, &inst, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "fuzz_import: %s\n", err);
        abort();
    }
    snprintf(fx, sizeof fx, "%s/laboratories.csv", dir ? dir : "fixtures");
    if (lims_engine_entry_v1()->import_csv(inst, fx, NULL, err, sizeof err) != LIMS_OK ||
        (snprintf(fx, sizeof fx, "%s/rounds.csv", dir ? dir : "fixtures"),
         lims_engine_entry_v1()->import_csv(inst, fx, NULL, err, sizeof err) != LIMS_OK)) {
        fprintf(stderr, "fuzz_import: %s (run from the repository top or "
                        "set PTLIMS_FIXTURES)\n", err);
        abort();
    }
    CHECK(sqlite3_open(":memory:", &prepared) == SQLITE_OK);
    copy_db(prepared, inst->db);
}

/* A cheap fingerprint of everything an import can change. */
static void fingerprint(char *out, size_t outlen)
{
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(
              inst->db,
              "SELECT (SELECT count(*) || '/' || total(value) || '/' || "
              "coalesce(max(id), 0) FROM result), "
              "(SELECT count(*) || '/' || group_concat(code || name || "
              "coalesce(name_zh, '') || role || coalesce(accreditation, ''))"
              " FROM laboratory), "
              "(SELECT count(*) FROM round), "
              "(SELECT count(*) FROM round_measurand), "
              "(SELECT count(*) FROM scheme), "
              "(SELECT count(*) FROM audit_log)",
              -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    snprintf(out, outlen, "%s|%s|%d|%d|%d|%d", sqlite3_column_text(st, 0),
             sqlite3_column_text(st, 1), sqlite3_column_int(st, 2),
             sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
             sqlite3_column_int(st, 5));
    sqlite3_finalize(st);
}

int pt_fuzz_import(const uint8_t *data, size_t size)
{
    static char before[8192], after[8192];
    char err[1024];
    FILE *f;
    lims_status rc;

    if (!inst)
        setup();
    f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);
    fingerprint(before, sizeof before);
    err[0] = 0;
    rc = lims_engine_entry_v1()->import_csv(inst, path, NULL, err, sizeof err);
    CHECK(sqlite3_get_autocommit(inst->db));
    if (rc == LIMS_OK) {
        copy_db(inst->db, prepared);
        return 0;
    }
    /* refused: a message naming the file, nothing changed */
    CHECK(rc == LIMS_ERR_INPUT || rc == LIMS_ERR_NOMEM);
    CHECK(strncmp(err, path, strlen(path)) == 0);
    CHECK(err[strlen(path)] == ':');
    fingerprint(after, sizeof after);
    if (strcmp(before, after) != 0) {
        fprintf(stderr, "fuzz_import: refused import changed the database\n"
                        "before: %s\nafter:  %s\n", before, after);
        abort();
    }
    return 0;
}

void pt_fuzz_import_cleanup(void)
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
    return pt_fuzz_import(data, size);
}
#endif
