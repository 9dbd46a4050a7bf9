/*
 * test_sync_abi.c -- lims_plugin.sync_export and .sync_apply as a LIMS host
 * calls them: the conflict callback gets the table, key, column and both
 * values; a host that asks to stop gets LIMS_ERR_CANCELLED and an
 * unchanged database; all_or_nothing leaves it unchanged too; a summary
 * structure from an older host is filled only as far as its size; a
 * request structure too small is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static const lims_plugin *p;
static char branch_cs[512], other_cs[512];

typedef struct seen {
    int n;
    char last[512];
} seen;

static int on_conflict(void *ctx, const lims_sync_conflict *c)
{
    seen *s = ctx;
    snprintf(s->last, sizeof s->last, "%s|%s|%s|%s|%s|%s", c->table, c->key,
             c->column ? c->column : "-", c->here ? c->here : "-",
             c->theirs ? c->theirs : "-", c->reason);
    s->n++;
    return 0;
}

static void import(lims_instance *inst, const char *name, const char *text)
{
    lims_import_summary s;
    char err[512];

    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    if (tu_engine()->import_csv(inst, tu_file(name, text), &s, err, sizeof err) !=
        LIMS_OK)
        fail_msg("import %s: %s", name, err);
}

/* A database with one round and two results, exported to `cs`. */
static void make_branch(const char *db, const char *ref_name, char *cs,
                        size_t cslen)
{
    lims_instance *inst = tu_open(p, db);
    lims_sync_request req;
    char err[512], text[256];

    snprintf(text, sizeof text,
             "lab,name,role\nBR,Branch,branch\nREF,%s,reference\n", ref_name);
    import(inst, "labs.csv", text);
    import(inst, "rounds.csv",
           "round,scheme,measurand,type,opened,reference_lab\n"
           "R1,fuel-sulfur,sulfur,bilateral,2025-06-02,REF\n");
    import(inst, "results.csv",
           "round,lab,measurand,value,unit,U,method\n"
           "R1,REF,sulfur,9.0,mg/kg,0.4,ASTM D5453-19a\n"
           "R1,BR,sulfur,9.3,mg/kg,0.6,ASTM D5453-19a\n");
    snprintf(cs, cslen, "%s/%s.changeset", tu_dir(), db);
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.path = cs;
    req.site = db;
    if (tu_engine()->sync_export(inst, &req, NULL, err, sizeof err) != LIMS_OK)
        fail_msg("export: %s", err);
    tu_engine()->close(inst);
}

static int setup(void **state)
{
    (void)state;
    p = tu_plugin("fuel-sulfur");
    make_branch("other.db", "Another name", other_cs, sizeof other_cs);
    make_branch("branch.db", "Reference", branch_cs, sizeof branch_cs);
    return 0;
}

static lims_sync_request request(const char *path, int all_or_nothing)
{
    lims_sync_request req;
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.path = path;
    req.all_or_nothing = all_or_nothing;
    return req;
}

static void conflict_callback_names_table_key_column_and_values(void **st)
{
    lims_instance *inst;
    lims_sync_request req = request(other_cs, 0);
    lims_sync_summary sum;
    seen s = {0, ""};
    char err[512];

    (void)st;
    inst = tu_open(p, "hq.db");
    memset(&sum, 0, sizeof sum);
    sum.size = sizeof sum;
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, on_conflict, &s, &sum, err, sizeof err),
        LIMS_OK);
    /* 2 laboratories, a scheme, a round, its measurand, 2 results */
    assert_int_equal(sum.changes, 7);
    assert_int_equal(sum.added, 7);
    assert_string_equal(sum.site, "other.db");
    req = request(branch_cs, 0);
    memset(&sum, 0, sizeof sum);
    sum.size = sizeof sum;
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, on_conflict, &s, &sum, err, sizeof err),
        LIMS_OK);
    assert_int_equal(sum.added, 0);
    assert_int_equal(sum.present, 6);
    assert_int_equal(sum.conflicts, 1);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.last, "laboratory|REF|name|Another name|Reference|"
                                "differs");
    tu_engine()->close(inst);
}

static int cancel_now(void *host)
{
    (void)host;
    return 1;
}

static void cancelled_apply_changes_nothing(void **st)
{
    lims_services svc;
    lims_instance *inst = NULL;
    lims_sync_request req = request(branch_cs, 0);
    char err[512], *before, *after;
    char path[512];

    (void)st;
    tu_engine()->close(tu_open(p, "cancel.db")); /* a new, migrated database */
    snprintf(path, sizeof path, "%s", tu_db());
    before = tu_dump(path);
    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = path;
    svc.cancelled = cancel_now;
    assert_int_equal(tu_engine()->open(&svc, &inst, err, sizeof err), LIMS_OK);
    tu_add_schemes(inst);
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, NULL, NULL, NULL, err, sizeof err),
        LIMS_ERR_CANCELLED);
    tu_engine()->close(inst);
    after = tu_dump(path);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void all_or_nothing_changes_nothing_on_a_conflict(void **st)
{
    lims_instance *inst = tu_open(p, "aon.db");
    lims_sync_request req = request(other_cs, 0);
    char err[512], *before, *after;

    (void)st;
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, NULL, NULL, NULL, err, sizeof err), LIMS_OK);
    before = tu_dump(tu_db());
    req = request(branch_cs, 1);
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, NULL, NULL, NULL, err, sizeof err),
        LIMS_ERR_STATE);
    assert_non_null(strstr(err, "1 conflicts with this database; nothing "
                                "applied"));
    after = tu_dump(tu_db());
    assert_string_equal(before, after);
    free(before);
    free(after);
    tu_engine()->close(inst);
}

static void older_summary_is_filled_only_as_far_as_its_size(void **st)
{
    lims_instance *inst = tu_open(p, "old.db");
    lims_sync_request req = request(branch_cs, 0);
    union {
        lims_sync_summary sum;
        unsigned char bytes[sizeof(lims_sync_summary)];
    } u;
    size_t cut = offsetof(lims_sync_summary, added), i;
    char err[512];

    (void)st;
    memset(&u, 0xa5, sizeof u);
    u.sum.size = cut;
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, NULL, NULL, &u.sum, err, sizeof err),
        LIMS_OK);
    assert_int_equal(u.sum.size, cut);
    assert_int_equal(u.sum.changes, 7);
    for (i = cut; i < sizeof u; i++)
        assert_int_equal(u.bytes[i], 0xa5);
    tu_engine()->close(inst);
}

/* An older host's request reads as if its missing members were 0; one
 * that does not reach the changeset's path names no file. */
static void an_older_request_reads_as_the_default(void **st)
{
    lims_instance *inst = tu_open(p, "small.db");
    lims_sync_request req = request(branch_cs, 1);
    char err[512];

    (void)st;
    req.size = offsetof(lims_sync_request, site);
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, NULL, NULL, NULL, err, sizeof err),
        LIMS_OK);
    req.size = offsetof(lims_sync_request, path);
    assert_int_equal(
        tu_engine()->sync_apply(inst, &req, NULL, NULL, NULL, err, sizeof err),
        LIMS_ERR_INPUT);
    assert_non_null(strstr(err, "no file given"));
    req = request(NULL, 0);
    assert_int_equal(tu_engine()->sync_export(inst, &req, NULL, err, sizeof err),
                     LIMS_ERR_INPUT);
    tu_engine()->close(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conflict_callback_names_table_key_column_and_values),
        cmocka_unit_test(cancelled_apply_changes_nothing),
        cmocka_unit_test(all_or_nothing_changes_nothing_on_a_conflict),
        cmocka_unit_test(older_summary_is_filled_only_as_far_as_its_size),
        cmocka_unit_test(an_older_request_reads_as_the_default),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
