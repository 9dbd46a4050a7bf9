/*
 * test_install.c -- `make install` as a packager and a LIMS vendor see it:
 * into a DESTDIR with PREFIX=/usr it puts the command, the ABI header, the
 * plug-ins, the SQLite extension, the schemas, ptlims.pc, the man page and
 * the example; the example host builds against ptlims.pc alone (with
 * PKG_CONFIG_SYSROOT_DIR pointing at the DESTDIR) and runs the installed
 * plug-in; `make uninstall` leaves no file behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"

static char root[512]; /* the DESTDIR */
static char pc[2048];  /* environment for pkg-config */
static char san[256];  /* sanitizer flags the plug-ins were built with */

/* make TARGET DESTDIR=root PREFIX=/usr on this build directory, outside
 * the make that runs the tests. */
static int make(const char *target)
{
    return run("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "
               "--no-print-directory %s BUILD=%s DESTDIR=%s PREFIX=/usr",
               target, build, root);
}

static void install_puts_every_part_in_place(void **state)
{
    static const char *const files[] = {
        "bin/ptlims",
        "include/lims_plugin.h",
        "lib/ptlims/plugins/dehumidifier.so",
        "lib/ptlims/plugins/fuel-sulfur.so",
        "lib/ptlims/ptlims_sqlite.so",
        "lib/pkgconfig/ptlims.pc",
        "share/man/man1/ptlims.1",
        "share/doc/ptlims/examples/minimal_host.c",
        "share/ptlims/schemas/001_init.sql",
    };
    size_t i;

    (void)state;
    expect(make("install"), 0, NULL);
    for (i = 0; i < sizeof files / sizeof files[0]; i++)
        if (run("test -f %s/usr/%s", root, files[i]) != 0)
            fail_msg("not installed: /usr/%s", files[i]);
    /* the pkg-config file names the real prefix, not the DESTDIR */
    expect(run("grep '^prefix=' %s/usr/lib/pkgconfig/ptlims.pc", root), 0,
           "prefix=/usr\n");
    /* the installed page is the manual of ptlims (read as text: a minimal
     * machine has no man(1)) */
    expect(run("sed -n '/^\\.TH/p;/^\\.SH NAME/,/^\\.SH SYNOPSIS/p' "
               "%s/usr/share/man/man1/ptlims.1",
               root),
           0, ".TH PTLIMS 1");
    assert_non_null(strstr(out, "proficiency testing (ISO 13528)"));
}

static void example_builds_against_the_pkg_config_file(void **state)
{
    char flags[sizeof out];

    (void)state;
    expect(run("%s pkg-config --modversion ptlims", pc), 0, "0.1.0");
    expect(run("%s pkg-config --cflags ptlims", pc), 0, NULL);
    snprintf(flags, sizeof flags, "%s", out);
    flags[strcspn(flags, "\n")] = 0;
    if (!strstr(flags, "-I") || !strstr(flags, root))
        fail_msg("cflags do not point into the DESTDIR: %s", flags);
    /* the installed copy of the example, so the header can only come from
     * the DESTDIR */
    expect(run("cc -std=c11 -Wall -Werror %s %s "
               "%s/usr/share/doc/ptlims/examples/minimal_host.c "
               "-o %s/minimal_host $(%s pkg-config --libs ptlims)",
               san, flags, root, tmp, pc),
           0, NULL);
    expect(run("%s/minimal_host \"$(%s pkg-config --variable=engine "
               "ptlims)\" \"$(%s pkg-config --variable=plugindir "
               "ptlims)/fuel-sulfur.so\" %s/installed.db",
               tmp, pc, pc, tmp),
           0, "3 scores, 1 signals");
    assert_non_null(strstr(out, "loaded fuel-sulfur"));
}

static void installed_extension_loads_in_sqlite3(void **state)
{
    (void)state;
    if (*san)
        skip(); /* the sanitized extension needs the sanitizer runtime;
                   test_sqlite_ext covers it */
    expect(run("sqlite3 :memory: \".load $(%s pkg-config "
               "--variable=sqlite_extension ptlims)\" "
               "\"SELECT pt_median(x) FROM (SELECT 1 x UNION ALL SELECT 3)\"",
               pc),
           0, "2.0");
}

static void uninstall_leaves_nothing(void **state)
{
    (void)state;
    expect(make("uninstall"), 0, NULL);
    expect(run("find %s -type f", root), 0, NULL);
    assert_string_equal(out, "");
    expect(run("find %s -mindepth 1 -name '*ptlims*'", root), 0, NULL);
    assert_string_equal(out, "");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(install_puts_every_part_in_place),
        cmocka_unit_test(example_builds_against_the_pkg_config_file),
        cmocka_unit_test(installed_extension_loads_in_sqlite3),
        cmocka_unit_test(uninstall_leaves_nothing),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-install-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    snprintf(root, sizeof root, "%s/root", tmp);
    snprintf(pc, sizeof pc,
             "PKG_CONFIG_PATH=%s/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=%s",
             root, root);
    if (run("nm -D %s/plugins/fuel-sulfur.so | grep -q __asan_init", build) ==
        0)
        snprintf(san, sizeof san, "-fsanitize=address,undefined");
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
