/*
 * fuzz_sync.c -- fuzz target for `sync apply`: the input is a changeset
 * file, applied to a database holding the fixtures' laboratories, rounds
 * and the bilateral round's results.
 *
 * A refused changeset must leave the database as it was and no
 * transaction open; an accepted one must leave a record that verifies
 * (whatever a changeset holds, nothing it adds may break the record), and
 * is then undone by restoring the prepared database.  sync apply reads the
 * database through a second connection, so it lives in a temporary file.
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
            fprintf(stderr, "fuzz_sync: check failed: %s\n", #x);             \
            abort();                                                          \
        }                                                                     \
    } while (0)

static lims_instance *inst;
static sqlite3 *prepared;
static char dir[64], db_path[128], cs_path[128];
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
    const char *fx_dir = getenv("PTLIMS_FIXTURES");
    char err[1024], fx[512];
    size_t i;

    snprintf(dir, sizeof dir, "/tmp/ptlims-fuzz-sync-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(db_path, sizeof db_path, "%s/hq.db", dir);
    snprintf(cs_path, sizeof cs_path, "%s/in.changeset", dir);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = db_path;
    CHECK(open_engine(&svc, &inst, err, sizeof err) == LIMS_OK);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(fx, sizeof fx, "%s/%s", fx_dir ? fx_dir : "fixtures",
                 files[i]);
        if (p->import_csv(inst, fx, NULL, err, sizeof err) != LIMS_OK) {
            fprintf(stderr, "fuzz_sync: %s (run from the repository top "
                            "or set PTLIMS_FIXTURES)\n", err);
            abort();
        }
    }
    CHECK(sqlite3_open(":memory:", &prepared) == SQLITE_OK);
    copy_db(prepared, inst->db);
}

static void fingerprint(char *out, size_t outlen)
{
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(
              inst->db,
              "SELECT (SELECT count(*) || '/' || total(value) || '/' || "
              "coalesce(max(id), 0) FROM result) || '|' || (SELECT count(*) "
              "FROM laboratory) || '|' || (SELECT count(*) FROM round) || "
              "'|' || (SELECT count(*) FROM round_measurand) || '|' || "
              "(SELECT count(*) FROM result_condition) || '|' || (SELECT "
              "count(*) FROM audit_log)",
              -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    snprintf(out, outlen, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static int no_conflict_report(void *ctx, const lims_sync_conflict *c)
{
    (void)ctx;
    (void)c;
    return 0;
}

int pt_fuzz_sync(const uint8_t *data, size_t size)
{
    static char before[512], after[512];
    lims_sync_request req;
    lims_verify_summary v;
    char err[2048];
    FILE *f;
    lims_status rc;

    if (!inst)
        setup();
    f = fopen(cs_path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);
    fingerprint(before, sizeof before);
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.path = cs_path;
    err[0] = 0;
    rc = lims_engine_entry_v1()->sync_apply(inst, &req, no_conflict_report, NULL, NULL,
                                err, sizeof err);
    CHECK(sqlite3_get_autocommit(inst->db));
    if (rc == LIMS_OK) {
        memset(&v, 0, sizeof v);
        v.size = sizeof v;
        if (lims_engine_entry_v1()->verify(inst, &v, err, sizeof err) != LIMS_OK) {
            fprintf(stderr, "fuzz_sync: an applied changeset left a record "
                            "that does not verify: %s\n", err);
            abort();
        }
        copy_db(inst->db, prepared);
        return 0;
    }
    CHECK(rc == LIMS_ERR_INPUT || rc == LIMS_ERR_STATE ||
          rc == LIMS_ERR_IO || rc == LIMS_ERR_NOMEM);
    fingerprint(after, sizeof after);
    if (strcmp(before, after) != 0) {
        fprintf(stderr, "fuzz_sync: refused changeset changed the database\n"
                        "before: %s\nafter:  %s\n", before, after);
        abort();
    }
    return 0;
}

void pt_fuzz_sync_cleanup(void)
{
    char p[160];

    if (!inst)
        return;
    lims_engine_entry_v1()->close(inst);
    sqlite3_close(prepared);
    unlink(cs_path);
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    rmdir(dir);
    inst = NULL;
    prepared = NULL;
}

#ifdef PT_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return pt_fuzz_sync(data, size);
}
#endif
