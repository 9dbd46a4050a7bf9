"""ptest.py -- what the Python tests share: the checkout and build tree,
the package on sys.path, the `ptlims` command with --json, a dump of a
database, and a runner that prints cmocka's summary lines, which
tests/run.sh counts (a skipped test is counted as skipped, never passed).

Run from the top of the repository with PTLIMS_BUILD set (tests/run.sh
does both).  When the engine was built with AddressSanitizer (make asan),
a test that loads it re-executes itself with the sanitizer's runtime
preloaded, as python3 itself is not built with it.
"""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

TOP = os.getcwd()
BUILD = os.path.join(TOP, os.environ.get("PTLIMS_BUILD", "build"))
PLUGINS = os.path.join(BUILD, "plugins")
FIXTURES = os.path.join(TOP, "fixtures")
sys.path.insert(0, os.path.join(TOP, "host", "python"))
os.environ["PTLIMS_ENGINE"] = os.path.join(BUILD, "libptlims.so")
os.environ["PTLIMS_LIBPTSTATS"] = os.path.join(BUILD, "libptstats.so")


def clean_env(**extra):
    """The environment for a program the test starts: no make variables of
    the make running the tests, no sanitizer preload, no ptlims paths."""
    drop = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "LD_PRELOAD",
            "PTLIMS_ENGINE", "PTLIMS_LIBPTSTATS", "PTLIMS_PLUGIN_PATH")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def preload_sanitizer():
    """Re-execute this test with libasan preloaded when the engine needs
    it and it is not loaded yet."""
    if "LD_PRELOAD" in os.environ:
        return
    run = subprocess.run(["ldd", os.environ["PTLIMS_ENGINE"]],
                         capture_output=True, text=True, check=False)
    for line in run.stdout.splitlines():
        if "libasan.so" in line and "=>" in line:
            env = dict(os.environ, LD_PRELOAD=line.split("=>")[1].split()[0],
                       ASAN_OPTIONS="detect_leaks=0")
            sys.stdout.flush()
            os.execve(sys.executable, [sys.executable] + sys.argv, env)


def ptlims_json(*args, db=None):
    """`ptlims [--db DB] ARGS --json`, parsed; AssertionError on failure."""
    cmd = [os.path.join(BUILD, "ptlims"), "--plugin-dir", PLUGINS]
    if db:
        cmd += ["--db", db]
    run = subprocess.run(cmd + list(args) + ["--json"], capture_output=True,
                         text=True, check=False, env=clean_env())
    if run.returncode != 0:
        raise AssertionError("ptlims %s: %s" % (" ".join(args), run.stderr))
    return json.loads(run.stdout)


def dump(path):
    """Every row of the database at `path`, as SQL text."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


class TempDir(unittest.TestCase):
    """A test case with a fresh folder self.dir."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="ptlims-py-")
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()


def main(module):
    """Run the tests of `module`; cmocka's summary lines; exit status."""
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromModule(module))
    bad = result.failures + result.errors
    skipped = len(result.skipped)
    print("[==========] %d test(s) run." % result.testsRun)
    print("[  PASSED  ] %d test(s)." % (result.testsRun - len(bad) - skipped))
    if skipped:
        print("[  SKIPPED ] %d test(s), listed below:" % skipped)
        for test, _ in result.skipped:
            print("[  SKIPPED ] %s" % test.id())
    if bad:
        print("[  FAILED  ] %d test(s), listed below:" % len(bad))
        for test, _ in bad:
            print("[  FAILED  ] %s" % test.id())
    sys.stdout.flush()
    return 0 if result.wasSuccessful() and not skipped else 1
