/*
 * test_loading.c -- plug-in files that are not loadable plug-ins: a
 * missing file (dangling link), a truncated copy of a real plug-in, a
 * text file named x.so, an empty file and a plug-in for another machine
 * architecture (a copy with the ELF e_machine field patched).  Each is
 * refused with a message naming the file and the reason; the host never
 * crashes, and the good plug-ins beside them still load.  (A plug-in of
 * another ABI major version is tested in tests/host/test_cli.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"

static char dir[600];

/* Copy the first `len` bytes of `from` to `to` (all when len < 0). */
static void copy_prefix(const char *from, const char *to, long len)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    int ch;

    assert_non_null(in);
    assert_non_null(out);
    while ((len < 0 || len-- > 0) && (ch = fgetc(in)) != EOF)
        fputc(ch, out);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static int setup(void **state)
{
    char real[600], path[700];
    FILE *f;

    (void)state;
    snprintf(dir, sizeof dir, "%s/plugins", it_tmp());
    it_expect(it_run("mkdir -p %s", dir), 0, NULL);
    snprintf(real, sizeof real, "%s/plugins/fuel-sulfur.so", it_build());
    /* a good plug-in in the same directory */
    snprintf(path, sizeof path, "%s/dehumidifier.so", dir);
    copy_prefix(real, path, -1);
    snprintf(real, sizeof real, "%s/plugins/dehumidifier.so", it_build());
    copy_prefix(real, path, -1);
    /* truncated: the ELF header and a little more */
    snprintf(real, sizeof real, "%s/plugins/fuel-sulfur.so", it_build());
    snprintf(path, sizeof path, "%s/truncated.so", dir);
    copy_prefix(real, path, 4096);
    /* a text file */
    snprintf(path, sizeof path, "%s/x.so", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("this is not a shared object\n", f);
    fclose(f);
    /* an empty file */
    snprintf(path, sizeof path, "%s/empty.so", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    /* another architecture: e_machine (offset 18) = EM_AARCH64 (183) */
    snprintf(path, sizeof path, "%s/aarch64.so", dir);
    copy_prefix(real, path, -1);
    f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 18, SEEK_SET), 0);
    fputc(183, f);
    fputc(0, f);
    fclose(f);
    /* missing: a link to nothing */
    snprintf(path, sizeof path, "%s/missing.so", dir);
    assert_int_equal(symlink("/nonexistent/ptlims-plugin.so", path), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    it_cleanup();
    return 0;
}

static void broken_plugins_are_refused_and_the_good_one_loads(void **state)
{
    static const char *const refused[] = {"truncated.so", "x.so",
                                          "empty.so", "aarch64.so",
                                          "missing.so"};
    char want[700];
    size_t i;
    int rc;

    (void)state;
    /* PTLIMS_PLUGIN_PATH= and no other plug-ins: only this directory */
    rc = it_run("PTLIMS_PLUGIN_PATH= %s/ptlims --plugin-dir %s --db %s/l.db "
                "plugins",
                it_build(), dir, it_tmp());
    assert_true(rc < 128); /* no crash */
    assert_non_null(strstr(it_out, "dehumidifier"));
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        snprintf(want, sizeof want, "%s/%s: not loaded: ", dir, refused[i]);
        if (!strstr(it_out, want))
            fail_msg("no refusal of %s in:\n%s", refused[i], it_out);
    }
    assert_non_null(strstr(it_out, "aarch64.so: not loaded: "));
    /* the reasons are the dynamic loader's, e.g. for the architecture */
    assert_true(strstr(it_out, "ELF") != NULL ||
                strstr(it_out, "machine") != NULL);
}

static void a_directory_of_only_broken_plugins_is_a_user_error(void **state)
{
    char only[700];
    int rc;

    (void)state;
    snprintf(only, sizeof only, "%s/only-broken", it_tmp());
    it_expect(it_run("mkdir -p %s && cp %s/truncated.so %s/x.so %s/aarch64.so "
                  "%s/",
                  only, dir, dir, dir, only),
           0, NULL);
    /* a copy of ptlims and its engine with no plugins/ directory next to
     * them */
    it_expect(it_run("mkdir -p %s/bin && cp %s/ptlims %s/libptlims.so %s/bin/",
                     it_tmp(), it_build(), it_build(), it_tmp()),
           0, NULL);
    rc = it_run("PTLIMS_PLUGIN_PATH= %s/bin/ptlims --plugin-dir %s --db "
                "%s/l2.db plugins",
                it_tmp(), only, it_tmp());
    it_expect(rc, 1, "no plug-ins found");
    assert_non_null(strstr(it_out, "truncated.so: not loaded"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(broken_plugins_are_refused_and_the_good_one_loads),
        cmocka_unit_test(a_directory_of_only_broken_plugins_is_a_user_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
