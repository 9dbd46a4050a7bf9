#!/usr/bin/env python3
"""test_stats.py -- ptlims.stats as a Python user sees it: summary(),
scores(), homogeneity() and precision() give what the `ptlims`
calculators print with --json on the same data, key for key; summary()
gives the ISO 13528 E.3 values to the printed digits; refusals raise
ptlims.Error with the library's status; the ctypes structures have the
members of stats/pt_stats.h in its order.

Run by tests/run.sh from the top of the repository with PTLIMS_BUILD set:
the package from host/python, the library $PTLIMS_BUILD/libptstats.so,
the command $PTLIMS_BUILD/ptlims.  Prints cmocka's summary lines, which
tests/run.sh counts.
"""

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

TOP = os.getcwd()
BUILD = os.path.join(TOP, os.environ.get("PTLIMS_BUILD", "build"))
sys.path.insert(0, os.path.join(TOP, "host", "python"))
os.environ["PTLIMS_LIBPTSTATS"] = os.path.join(BUILD, "libptstats.so")

import ptlims  # noqa: E402
import ptlims.stats  # noqa: E402
from ptlims import _lib  # noqa: E402

# ISO 13528:2022 E.3, atrazine (as transcribed in kanunimurat/pt13528).
E3 = [0.040, 0.055, 0.178, 0.202, 0.206, 0.227, 0.228, 0.230, 0.230, 0.235,
      0.236, 0.237, 0.243, 0.244, 0.245, 0.2555, 0.260, 0.264, 0.267, 0.270,
      0.273, 0.274, 0.274, 0.278, 0.2811, 0.287, 0.287, 0.288, 0.289, 0.295,
      0.296, 0.311, 0.331, 0.4246]


def ptlims_json(args, stdin_text):
    """`ptlims ARGS --json FILE` on a file holding stdin_text, parsed."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv") as f:
        f.write(stdin_text)
        f.flush()
        run = subprocess.run([os.path.join(BUILD, "ptlims")] + args +
                             ["--json", f.name], capture_output=True,
                             text=True, check=False)
    if run.returncode != 0:
        raise AssertionError("ptlims %s: %s" % (" ".join(args), run.stderr))
    return json.loads(run.stdout)


class Close:
    def assert_same(self, got, want, where=""):
        """Equal structures; numbers to 1e-12 relative."""
        if isinstance(want, dict):
            self.assertEqual(sorted(got), sorted(want), where)
            for k in want:
                self.assert_same(got[k], want[k], "%s.%s" % (where, k))
        elif isinstance(want, list):
            self.assertEqual(len(got), len(want), where)
            for i, (g, w) in enumerate(zip(got, want)):
                self.assert_same(g, w, "%s[%d]" % (where, i))
        elif isinstance(want, float) and not isinstance(got, bool):
            self.assertIsInstance(got, float, where)
            self.assertLessEqual(abs(got - want), 1e-12 * max(1, abs(want)),
                                 "%s: %r, ptlims %r" % (where, got, want))
        else:
            self.assertEqual(got, want, where)


class SummaryTest(unittest.TestCase, Close):
    def test_summary_equals_ptlims_stats_on_e3(self):
        want = ptlims_json(["stats"], "".join("%r\n" % v for v in E3))
        got = ptlims.stats.summary(E3)
        self.assertEqual(list(got), list(ptlims.stats.SUMMARY_KEYS))
        self.assert_same(got, want)

    def test_summary_gives_the_printed_e3_values(self):
        s = ptlims.stats.summary(E3)
        printed = {"median": 0.2620, "niqr": 0.0402, "made": 0.0386,
                   "alga_x": 0.2570, "alga_s": 0.0395, "alga_u": 0.0085,
                   "hampel_x": 0.2600, "qmethod_s": 0.0426,
                   "qhampel_u": 0.0091}
        for key, value in printed.items():
            self.assertLess(abs(s[key] - value), 0.00005, key)

    def test_sig3_stop_rule_equals_ptlims_stats(self):
        values = [1, 2, 3, 4, 5, 6, 7, 30]
        want = ptlims_json(["stats", "--stop", "sig3"],
                           "".join("%d\n" % v for v in values))
        self.assert_same(ptlims.stats.summary(values, stop="sig3"), want)

    def test_estimators_choose_the_keys(self):
        got = ptlims.stats.summary(E3, estimators=["median", "alga_x"])
        self.assertEqual(list(got), ["n", "max_consensus_z", "small_group",
                                     "median", "alga_x"])
        self.assertEqual(got["median"], ptlims.stats.summary(E3)["median"])
        with self.assertRaises(ValueError):
            ptlims.stats.summary(E3, estimators=["nonsense"])

    def test_too_few_values_give_none(self):
        got = ptlims.stats.summary([1.0, 2.0])
        self.assertEqual(got["n"], 2)
        self.assertEqual(got["median"], 1.5)
        for key in ("alga_x", "alga_s", "alga_iterations", "alga_u"):
            self.assertIsNone(got[key], key)
        empty = ptlims.stats.summary([])
        self.assertEqual(empty["n"], 0)
        self.assertTrue(all(empty[k] is None for k in empty if k != "n"))

    def test_nan_raises_error_with_the_status(self):
        with self.assertRaises(ptlims.Error) as e:
            ptlims.stats.summary([1.0, math.nan, 3.0])
        self.assertEqual(e.exception.status, 3)
        self.assertIn("NaN", e.exception.message)


class ScoresTest(unittest.TestCase, Close):
    CSV = ("lab,value,U,k\nA,10.6,1.2,2\nB,8.1,,\nC,7.0,0.9,1.96\n"
           "D,14.9,2.0,\n")

    def results(self):
        return [{"lab": "A", "value": 10.6, "U": 1.2, "k": 2},
                ("B", 8.1), ("C", 7.0, 0.9, 1.96),
                {"lab": "D", "value": 14.9, "U": 2.0}]

    def test_scores_equal_ptlims_score(self):
        for u_x_pt in (0.1278, 0.5):  # z, then z' (u >= 0.3 sigma)
            want = ptlims_json(["score", "--xpt", "8.269", "--u-xpt",
                                repr(u_x_pt), "--sigma-pt", "1.01"], self.CSV)
            got = ptlims.stats.scores(self.results(), 8.269, u_x_pt, 1.01)
            self.assert_same(got, want)
        self.assertEqual(got[0]["primary"], "z_prime")

    def test_scores_options_equal_ptlims_score(self):
        want = ptlims_json(["score", "--xpt", "8.269", "--u-xpt", "0.3",
                            "--sigma-pt", "1.01", "--en-boundary", "le1",
                            "--delta-e", "2.5", "--s-star", "0.35"], self.CSV)
        got = ptlims.stats.scores(self.results(), 8.269, 0.3, 1.01,
                                  en_boundary="le1", delta_e=2.5,
                                  s_star=0.35)
        self.assert_same(got, want)
        self.assertTrue(any(r["u_flags"] for r in got))

    def test_bad_sigma_is_refused(self):
        with self.assertRaises(ValueError):
            ptlims.stats.scores(self.results(), 8.269, 0.1, 0)


class TablesTest(unittest.TestCase, Close):
    ITEMS = {"I%02d" % i: [10 + 0.1 * ((i * 7) % 5) + 0.03 * r
                            + 0.01 * ((i + r) % 3) for r in range(2)]
             for i in range(1, 11)}
    LABS = {"L1": [8.1, 8.3, 8.2], "L2": [8.9, 9.1], "L3": [7.9, 8.0],
            "L4": [8.4, 8.6], "L5": [10.2, 10.6]}

    def test_homogeneity_equals_ptlims_homogeneity(self):
        csv = "item,replicate,value\n" + "".join(
            "%s,%d,%r\n" % (item, r + 1, v)
            for item, vs in self.ITEMS.items() for r, v in enumerate(vs))
        want = ptlims_json(["homogeneity", "--sigma-pt", "0.3"], csv)
        self.assert_same(ptlims.stats.homogeneity(self.ITEMS, 0.3), want)
        self.assert_same(
            ptlims.stats.homogeneity(list(self.ITEMS.values()), 0.3), want)

    def test_unbalanced_homogeneity_is_refused(self):
        with self.assertRaises(ptlims.Error):
            ptlims.stats.homogeneity([[1, 2], [1, 2, 3]], 0.3)

    def test_precision_equals_ptlims_precision(self):
        csv = "lab,replicate,value\n" + "".join(
            "%s,%d,%r\n" % (lab, r + 1, v)
            for lab, vs in self.LABS.items() for r, v in enumerate(vs))
        want = ptlims_json(["precision"], csv)
        self.assert_same(ptlims.stats.precision(self.LABS), want)

    def test_precision_needs_three_laboratories_of_two(self):
        with self.assertRaises(ptlims.Error) as e:
            ptlims.stats.precision({"A": [1, 2], "B": [1, 2]})
        self.assertEqual(e.exception.status, 2)
        with self.assertRaises(ptlims.Error):
            ptlims.stats.precision([[1, 2], [1, 2], [3]])


class BindingTest(unittest.TestCase):
    STRUCTS = {"pt_alga_options": _lib.AlgaOptions,
               "pt_alga_result": _lib.AlgaResult,
               "pt_qhampel_result": _lib.QhampelResult,
               "pt_algs_result": _lib.AlgsResult,
               "pt_homog_result": _lib.HomogResult,
               "pt_prec_lab": _lib.PrecLab,
               "pt_prec_result": _lib.PrecResult}

    def test_structures_have_the_members_of_pt_stats_h(self):
        header = open(os.path.join(TOP, "stats", "pt_stats.h")).read()
        header = re.sub(r"/\*.*?\*/", "", header, flags=re.S)
        for name, struct in self.STRUCTS.items():
            body = re.search(r"typedef struct %s \{(.*?)\} %s;" %
                             (name, name), header, re.S)
            self.assertIsNotNone(body, name)
            members = []
            for decl in body.group(1).split(";"):
                words = decl.replace(",", " ").split()
                if words:
                    members += [w for w in words[1:]]
            self.assertEqual(members, [f[0] for f in struct._fields_], name)

    def test_work_arrays_are_as_large_as_pt_stats_h_asks(self):
        header = open(os.path.join(TOP, "stats", "pt_stats.h")).read()
        for name, have in (("QN_SORTED_WORK", _lib.WORK_PER_VALUE),
                           ("QHAMPEL_SORTED_WORK", _lib.WORK_PER_VALUE),
                           ("QN_SORTED_IWORK", _lib.IWORK_PER_VALUE),
                           ("QHAMPEL_SORTED_IWORK", _lib.IWORK_PER_VALUE)):
            m = re.search(r"#define PT_STATS_%s\(n\) \((\d+) \* \(n\)\)" %
                          name, header)
            self.assertIsNotNone(m, name)
            self.assertLessEqual(int(m.group(1)), have, name)
        self.assertIn("#define PT_STATS_QMETHOD_WORK(n) (%d * (n))" %
                      _lib.QMETHOD_WORK_PER_VALUE, header)
        self.assertIn("#define PT_STATS_QMETHOD_IWORK(n, p) (%d * (n) + (p) "
                      "+ 1)" % _lib.QMETHOD_IWORK_PER_VALUE, header)

    def test_only_the_api_is_exported(self):
        out = subprocess.run(["nm", "-D", "--defined-only",
                              os.environ["PTLIMS_LIBPTSTATS"]],
                             capture_output=True, text=True, check=True)
        names = [line.split()[-1] for line in out.stdout.splitlines()]
        self.assertIn("pt_stats_alga", names)
        self.assertEqual([n for n in names if not n.startswith("pt_stats_")],
                         [])


class InstallTest(unittest.TestCase):
    def test_installed_package_imports_with_its_library(self):
        with tempfile.TemporaryDirectory() as root:
            env = {k: v for k, v in os.environ.items()
                   if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL",
                                "PTLIMS_LIBPTSTATS")}
            subprocess.run(["make", "-s", "--no-print-directory",
                            "install-python", "BUILD=" + BUILD,
                            "DESTDIR=" + root, "PREFIX=/usr"],
                           env=env, check=True, capture_output=True)
            site = os.path.join(root, "usr/lib/python3/dist-packages")
            env["PYTHONPATH"] = site
            run = subprocess.run(
                [sys.executable, "-c", "import ptlims, ptlims.stats; "
                 "print(ptlims.stats.summary([1, 2, 3, 4, 100])['median'])"],
                env=env, cwd=root, capture_output=True, text=True,
                check=False)
            self.assertEqual(run.stdout, "3.0\n", run.stderr)
            subprocess.run(["make", "-s", "--no-print-directory",
                            "uninstall-python", "BUILD=" + BUILD,
                            "DESTDIR=" + root, "PREFIX=/usr"],
                           env=env, check=True, capture_output=True)
            self.assertFalse(os.path.exists(os.path.join(site, "ptlims")))


def main():
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    bad = result.failures + result.errors
    print("[==========] %d test(s) run." % result.testsRun)
    print("[  PASSED  ] %d test(s)." % (result.testsRun - len(bad)))
    if bad:
        print("[  FAILED  ] %d test(s), listed below:" % len(bad))
        for test, _ in bad:
            print("[  FAILED  ] %s" % test.id())
    return 0 if result.wasSuccessful() and not result.skipped else 1


if __name__ == "__main__":
    sys.exit(main())
