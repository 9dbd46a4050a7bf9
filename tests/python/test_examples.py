#!/usr/bin/env python3
"""test_examples.py -- the README's Python examples do what it says: the
LabKey transform script (host/python/examples/labkey_transform.py) run on
a run as LabKey lays it out (runProperties.tsv, a data file, an errors
file) writes z from Algorithm A computed here, and a bad value goes to the
errors file; the SENAITE calculation's formula, with its [keywords]
replaced by numbers as SENAITE does, evaluates to the z of the formula.
"""

import csv
import math
import os
import subprocess
import sys

import ptest

import ptlims.stats  # noqa: E402
from test_stats_iso import algorithm_a  # noqa: E402

SCRIPT = os.path.join(ptest.TOP, "host", "python", "examples",
                      "labkey_transform.py")
SENAITE_FORMULA = ('scores((("x", [S]),), [XPT], [UXPT], [SIGMAPT])'
                   '.pop().get("z")')
VALUES = [8.1, 8.4, 7.9, 8.3, 8.2, 8.6, 8.0, 8.25, 8.15, 7.8, 8.5, 12.9]


class LabKeyTest(ptest.TempDir):
    def run_script(self, rows, sigma_pt="0.5"):
        data = os.path.join(self.dir, "data.tsv")
        self.out = os.path.join(self.dir, "transformed.tsv")
        self.errors = os.path.join(self.dir, "errors.txt")
        with open(data, "w", newline="") as f:
            w = csv.writer(f, delimiter="\t")
            w.writerow(["lab", "value", "U"])
            w.writerows(rows)
        props = os.path.join(self.dir, "runProperties.tsv")
        with open(props, "w") as f:
            f.write("assayName\tSulfur PT\tjava.lang.String\n"
                    "sigma_pt\t%s\tjava.lang.Double\n"
                    "runDataFile\t%s\ttsv\t%s\n"
                    "errorsFile\t%s\tjava.lang.String\n"
                    % (sigma_pt, data, self.out, self.errors))
        env = ptest.clean_env(
            PYTHONPATH=os.path.join(ptest.TOP, "host", "python"),
            PTLIMS_LIBPTSTATS=os.environ["PTLIMS_LIBPTSTATS"])
        return subprocess.run([sys.executable, SCRIPT, props], env=env,
                              capture_output=True, text=True, check=False)

    def test_the_transform_adds_consensus_scores(self):
        rows = [("L%02d" % i, repr(v), "0.8" if i % 2 else "")
                for i, v in enumerate(VALUES)]
        run = self.run_script(rows)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertFalse(os.path.exists(self.errors))
        with open(self.out, newline="") as f:
            out = list(csv.DictReader(f, delimiter="\t"))
        x, s = algorithm_a(VALUES)
        u = 1.25 * s / math.sqrt(len(VALUES))
        self.assertEqual(len(out), len(VALUES))
        for row, v in zip(out, VALUES):
            self.assertLess(abs(float(row["x_pt"]) - x), 1e-9 * x)
            self.assertLess(abs(float(row["u_x_pt"]) - u), 1e-9 * u)
            self.assertAlmostEqual(float(row["z"]), (v - x) / 0.5,
                                   delta=1e-8)
            if row["U"]:
                self.assertAlmostEqual(float(row["En"]), (v - x) / math.hypot(
                    0.8, 2 * u), delta=1e-8)
            else:
                self.assertEqual(row["En"], "")
        self.assertEqual(out[-1]["verdict"], "unsatisfactory")
        self.assertEqual(out[0]["lab"], "L00")

    def test_a_bad_value_goes_to_the_errors_file(self):
        run = self.run_script([("A", "8.1", ""), ("B", "8,4", ""),
                               ("C", "8.0", "")])
        self.assertEqual(run.returncode, 1)
        with open(self.errors) as f:
            self.assertEqual(f.read(), 'error\t%s:3: "8,4" is not a '
                             'number\n' % os.path.join(self.dir, "data.tsv"))
        self.assertFalse(os.path.exists(self.out))


class SenaiteTest(ptest.TempDir):
    def test_the_readme_shows_the_formula(self):
        with open(os.path.join(ptest.TOP, "README.md")) as f:
            self.assertTrue(SENAITE_FORMULA in f.read(),
                            "README.md does not show the formula")

    def test_the_formula_gives_z(self):
        values = {"S": 10.6, "XPT": 8.27, "UXPT": 0.13, "SIGMAPT": 1.01}
        formula = SENAITE_FORMULA
        for key, v in values.items():
            formula = formula.replace("[%s]" % key, repr(v))
        z = eval(formula, {"scores": ptlims.stats.scores})
        self.assertAlmostEqual(z, (10.6 - 8.27) / 1.01, delta=1e-14)


if __name__ == "__main__":
    sys.exit(ptest.main(sys.modules[__name__]))
