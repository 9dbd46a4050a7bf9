#!/usr/bin/env python3
"""test_json_vocabulary.py -- one JSON vocabulary (README "JSON
vocabulary"): every command, reading or writing, run with --json prints
one document that Python's json module reads, whose keys are all in the
README's list, with null for a missing value (never "", NaN or "-") and
every number written as the shortest text that reads back to the same
double; a failing command leaves stdout empty, says why on stderr and
exits 1.  And `compare` runs its trend per sub-discipline: a round with a
diesel and a fuel oil item gives two series, each with its own running
mean of En and its own same-sign run.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys

import ptest

README = os.path.join(ptest.TOP, "README.md")
PTLIMS = os.path.join(ptest.BUILD, "ptlims")

# Two products in one bilateral round (item_matrix), and a diesel round
# before it: the fuel oil item must not join the diesel series.
ROUNDS = (
    "round,scheme,measurand,type,opened,closed,reference_lab,assigned,"
    "matrix,item_matrix\n"
    "MX-1,fuel-sulfur,sulfur,bilateral,2026-01-10,,OIL-REF,reference,"
    "diesel,\n"
    "MX-2,fuel-sulfur,sulfur,bilateral,2026-02-10,,OIL-REF,reference,"
    "diesel,\"D-2=diesel; FO-2=fuel oil, low sulfur\"\n")
RESULTS = (
    "round,lab,measurand,item,value,unit,U,k,method\n"
    "MX-1,TC-BR,sulfur,D-1,8.4,mg/kg,1.2,2,ASTM D5453-19a\n"
    "MX-1,OIL-REF,sulfur,D-1,8.0,mg/kg,1.1,2,ASTM D5453-19a\n"
    "MX-2,TC-BR,sulfur,D-2,8.6,mg/kg,1.2,2,ASTM D5453-19a\n"
    "MX-2,OIL-REF,sulfur,D-2,8.1,mg/kg,1.1,2,ASTM D5453-19a\n"
    "MX-2,TC-BR,sulfur,FO-2,4400,mg/kg,120,2,ASTM D5453-19a\n"
    "MX-2,OIL-REF,sulfur,FO-2,4520,mg/kg,110,2,ASTM D5453-19a\n")


def readme_keys():
    """The backquoted keys of README's "JSON vocabulary" key list."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    start = text.index("\n## JSON vocabulary")
    end = text.index("\n## ", start + 1)
    section = text[start:end]
    keys = set()
    for line in section.splitlines():
        m = re.match(r"^\s*[-*] ((?:`[^`]+`(?:, )?)+)", line)
        if m:
            keys.update(re.findall(r"`([^`]+)`", m.group(1)))
    return keys


def significant(text):
    """The significant digits of a number's text: "0.00120" -> "12"."""
    mantissa = re.split(r"[eE]", text.lstrip("-"))[0].replace(".", "")
    return mantissa.lstrip("0").rstrip("0") or "0"


class Checked:
    """A JSON text read with every number and constant checked."""

    def __init__(self, where):
        self.where = where
        self.problems = []

    def number(self, text):
        value = float(text)
        shortest = significant(repr(value))
        if significant(text) != shortest:
            self.problems.append("%s: %s is not the shortest text of %r"
                                 % (self.where, text, value))
        if "e" in text.lower() and 1e-5 <= abs(value) < 1e15:
            self.problems.append("%s: %s has an exponent" % (self.where, text))
        return int(text) if re.fullmatch(r"-?\d+", text) else value

    def constant(self, name):
        self.problems.append("%s: %s is not JSON" % (self.where, name))
        return None

    def load(self, text):
        return json.loads(text, parse_float=self.number,
                          parse_int=self.number, parse_constant=self.constant)


def walk(value, keys, strings):
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(k)
            walk(v, keys, strings)
    elif isinstance(value, list):
        for v in value:
            walk(v, keys, strings)
    elif isinstance(value, str):
        strings.append(value)


class JsonVocabulary(ptest.TempDir):
    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.dir, "v.db")
        self.keys = set()
        self.problems = []

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def run_ptlims(self, *args, db=True):
        cmd = [PTLIMS, "--plugin-dir", ptest.PLUGINS]
        if db:
            cmd += ["--db", self.db]
        return subprocess.run(cmd + list(args), capture_output=True,
                              text=True, check=False, env=ptest.clean_env(),
                              cwd=ptest.TOP)

    def json(self, *args, db=True):
        """Run ARGS --json; check and return the document."""
        run = self.run_ptlims(*args, "--json", db=db)
        where = " ".join(args)
        self.assertEqual(run.returncode, 0, "%s: %s" % (where, run.stderr))
        checked = Checked(where)
        doc = checked.load(run.stdout)
        self.problems += checked.problems
        strings = []
        walk(doc, self.keys, strings)
        for s in strings:
            if s in ("", "-", "nan", "NaN", "n/a"):
                self.problems.append("%s: the string %r stands for a "
                                     "missing value" % (where, s))
        return doc

    def fails_quietly(self, *args):
        run = self.run_ptlims(*args, "--json")
        where = " ".join(args)
        self.assertEqual(run.returncode, 1, where)
        self.assertEqual(run.stdout, "", where + ": stdout not empty")
        self.assertNotEqual(run.stderr.strip(), "", where + ": no message")

    def import_fixtures(self):
        fx = ptest.FIXTURES
        self.json("init")
        files = [os.path.join(fx, f) for f in
                 ("laboratories.csv", "rounds.csv", "rounds-history.csv",
                  "results-s-2025-pt.csv", "results-s-history.csv",
                  "results-s-2025-bilateral.csv",
                  "results-dh-2025-1.csv")]
        return self.json("import", *files)

    def test_every_command_speaks_the_one_vocabulary(self):
        imported = self.import_fixtures()
        # import warnings are in the JSON, not only on stderr
        warned = [w for f in imported for w in f["warnings"]]
        self.assertTrue(any("ASTM D4294" in w for w in warned), imported)
        self.json("import", "--dry-run", self.write("mx-r.csv", ROUNDS))
        self.json("evaluate", "--all")
        scores = self.json("scores", "--lab", "TC-BR")
        self.assertTrue(all(r["scored_by"] in ("En", "z", "z_prime", "zeta",
                                             None) for r in scores))
        self.json("compare", "--lab", "TC-BR", "--ref", "OIL-REF")
        self.json("rounds")
        self.json("show", "S-2025-BIL1")
        self.json("results", "--round", "S-2025-PT1")
        self.json("history", "S-2025-BIL1")
        self.json("warnings")
        self.json("status")
        self.json("methods")
        self.json("plugins")
        planned = self.json("plan", "import",
                            os.path.join(ptest.FIXTURES, "plan.csv"))
        self.assertEqual(planned[0]["rows"], 5)
        self.json("capa", "import", os.path.join(ptest.FIXTURES, "capa.csv"))
        self.json("plan", "add", "--lab", "TC-BR", "--scheme", "fuel-sulfur",
                  "--technique", "UV fluorescence", "--property",
                  "sulfur content", "--product", "diesel", "--risk", "high",
                  "--per-year", "1", "--from", "2025", "--to", "2026")
        self.json("plan", "list")
        added = self.json("capa", "add", "--round", "S-2025-PT1", "--lab",
                          "TC-BR", "--measurand", "sulfur", "--root-cause",
                          "calibration drift", "--action", "recalibrate",
                          "--owner", "Lin", "--opened", "2026-01-05",
                          "--due", "2026-03-31")
        self.assertEqual(added["round"], "S-2025-PT1")
        self.assertIsNotNone(added["opened"])
        self.json("capa", "close", str(added["id"]), "--closed",
                  "2026-03-01", "--verified-by", "Chen")
        self.json("capa", "list")
        corrected = self.json("correct", "--round", "S-2025-Q3", "--lab",
                              "TC-BR", "--measurand", "sulfur", "--item",
                              "D-253", "--value", "6.4", "--unit", "mg/kg",
                              "--reason", "transcription error")
        self.assertEqual((corrected["version"], corrected["unit_text"]),
                         (2, "mg/kg"))
        self.json("evaluate", "S-2025-Q3")
        self.json("amend", "round", "S-2025-Q3", "--title", "Q3 diesel",
                  "--reason", "title")
        self.json("close", "S-2025-Q3")
        self.json("reopen", "S-2025-Q3", "--reason", "late correction")
        self.json("verify")
        out = os.path.join(self.dir, "c.cs")
        self.json("sync", "export", "--site", "HQ", "--out", out)
        self.json("sync", "apply", out)
        self.json("report", "--lab", "TC-BR", "--out",
                  os.path.join(self.dir, "r.xlsx"), "--date",
                  "2026-01-01T00:00:00")
        # the calculators
        values = self.write("v.csv", "lab,value,U\nA,13.2,0.4\nB,12.9,0.5\n"
                            "C,13.6,0.4\nD,1234567,0.4\nE,13.1,\n")
        self.json("stats", values, db=False)
        self.json("score", "--xpt", "13.2", "--u-xpt", "0.1",
                  "--sigma-pt", "0.5", values, db=False)
        hom = self.write("h.csv", "item,replicate,value\n" + "".join(
            "%d,%d,%s\n" % (i, r, 10 + 0.1 * ((i * 7 + r * 3) % 5))
            for i in range(1, 11) for r in (1, 2)))
        self.json("homogeneity", "--sigma-pt", "0.5", hom, db=False)
        prec = self.write("p.csv", "lab,replicate,value\n" + "".join(
            "%s,%d,%s\n" % (lab, r, 10 + 0.1 * ((i * 5 + r * 3) % 7))
            for i, lab in enumerate("ABCDE") for r in (1, 2)))
        self.json("precision", prec, db=False)
        self.json("sigma-pt", "horwitz", "10", "--unit", "mg/kg", db=False)
        self.json("sigma-pt", "precision", "--sigma-R", "1.2", "--sigma-r",
                  "0.4", "--m", "2", db=False)
        self.json("sigma-pt", "limits", "--R", "3.3", "--r", "1.1", db=False)
        levels = self.write("lv.csv", "round,level,sd\nA,5,0.9\nB,8,1.2\n"
                            "C,12,1.5\nD,20,2.3\n")
        self.json("sigma-pt", "rounds", levels, "--level", "10", db=False)
        self.json("assigned", "crm", "--value", "10.2", "--U", "0.4",
                  db=False)
        self.json("assigned", "reference", "--value", "10.2", "--U", "0.4",
                  "--u-hom", "0.05", db=False)
        self.json("assigned", "formulation", "--purity", "0.99",
                  "--u-purity", "0.005", "--mass", "0.01", "--u-mass",
                  "0.0001", "--total", "1000", "--u-total", "0.5",
                  "--factor", "1e6", db=False)
        pairs = self.write("cc.csv", "item,pt,crm\n1,10.1,9.9\n2,10.3,"
                           "10.0\n3,10.2,10.1\n")
        self.json("assigned", "crm-compare", pairs, "--value", "10",
                  "--U", "0.3", db=False)
        self.json("assigned", "check", "--x", "10.1", "--u-x", "0.1",
                  "--value", "10.4", "--U", "0.2", db=False)
        # the record's life: void and export
        self.json("void", "result", "S-2025-PT1/L08/sulfur/PT-25-2",
                  "--reason", "sample mix-up")
        self.json("export", "--out", os.path.join(self.dir, "export"))

        self.assertEqual(self.problems, [])
        unknown = self.keys - readme_keys()
        self.assertEqual(unknown, set(),
                         "keys missing from README \"JSON vocabulary\"")

    def test_a_failing_command_leaves_stdout_empty(self):
        self.import_fixtures()
        self.fails_quietly("show", "NO-SUCH-ROUND")
        self.fails_quietly("close", "NO-SUCH-ROUND")
        self.fails_quietly("import", self.write("bad.csv",
                                                "lab,name,role\nZ,Z,boss\n"))
        self.fails_quietly("correct", "--round", "S-2025-Q3", "--lab",
                           "TC-BR", "--measurand", "sulfur", "--item",
                           "D-253", "--value", "x", "--unit", "mg/kg",
                           "--reason", "r")

    def test_compare_runs_one_series_per_sub_discipline(self):
        self.json("init")
        self.json("import", os.path.join(ptest.FIXTURES, "laboratories.csv"),
                  self.write("mx-r.csv", ROUNDS),
                  self.write("mx-x.csv", RESULTS))
        rows = self.json("compare", "--lab", "TC-BR", "--ref", "OIL-REF")
        series = [(r["matrix"], r["item"]) for r in rows]
        self.assertEqual(series, [("diesel", "D-1"), ("diesel", "D-2"),
                                  ("fuel oil, low sulfur", "FO-2")])
        self.assertEqual({r["technique"] for r in rows}, {"UV fluorescence"})
        d1, d2, fo = rows
        # En = (x - X) / sqrt(U^2 + U_ref^2) of each row, from the data
        en = [(8.4 - 8.0) / (1.2 ** 2 + 1.1 ** 2) ** 0.5,
              (8.6 - 8.1) / (1.2 ** 2 + 1.1 ** 2) ** 0.5,
              (4400 - 4520) / (120 ** 2 + 110 ** 2) ** 0.5]
        for r, want in zip(rows, en):
            self.assertAlmostEqual(r["En"], want, places=12)
        self.assertAlmostEqual(d2["en_mean"], (en[0] + en[1]) / 2, places=12)
        self.assertEqual(d2["same_sign_run"], 2)
        # the fuel oil series starts afresh: its own En, a run of -1
        self.assertAlmostEqual(fo["en_mean"], en[2], places=12)
        self.assertEqual(fo["same_sign_run"], -1)
        self.assertEqual(fo["signals"], 0)
        # the fuel oil item is judged against the fuel oil limit, not
        # diesel's 10 mg/kg
        self.json("evaluate", "--all")
        fo2 = [r for r in self.json("scores", "--lab", "TC-BR")
               if r["item"] == "FO-2"][0]
        self.assertEqual((fo2["conformity"], fo2["limit"]),
                         ("conforms", 5000))
        d2 = [r for r in self.json("scores", "--lab", "TC-BR")
              if r["item"] == "D-2"][0]
        self.assertEqual(d2["limit"], 10)
        matrices = {(r["item"], r["matrix"]) for r in
                    self.json("results", "--round", "MX-2")}
        self.assertEqual(matrices, {("D-2", "diesel"),
                                    ("FO-2", "fuel oil, low sulfur")})
        text = self.run_ptlims("compare", "--lab", "TC-BR", "--ref",
                               "OIL-REF").stdout
        self.assertIn("sulfur, diesel, UV fluorescence (mg/kg)", text)
        self.assertIn("sulfur, fuel oil, low sulfur, UV fluorescence "
                      "(mg/kg)", text)
        self.assertIn("3 comparisons in 2 series", text)

    def test_item_matrices_reach_headquarters(self):
        self.json("init")
        self.json("import", os.path.join(ptest.FIXTURES, "laboratories.csv"),
                  self.write("mx-r.csv", ROUNDS),
                  self.write("mx-x.csv", RESULTS))
        self.json("evaluate", "--all")
        self.json("close", "MX-2")
        cs = os.path.join(self.dir, "mx.cs")
        self.json("sync", "export", "--site", "TC", "--out", cs)
        branch = self.json("compare", "--lab", "TC-BR", "--ref", "OIL-REF")
        self.db = os.path.join(self.dir, "hq.db")
        self.json("init")
        applied = self.json("sync", "apply", cs)
        self.assertEqual(applied["conflicts"], [])
        self.json("evaluate", "--all")
        self.assertEqual(self.json("compare", "--lab", "TC-BR", "--ref",
                                   "OIL-REF"), branch)
        # applied again: every record is present, nothing added
        again = self.json("sync", "apply", cs)
        self.assertEqual((again["added"], again["conflicts"]), (0, []))

    def test_item_matrices_are_exported_and_read_back(self):
        self.json("init")
        self.json("import", os.path.join(ptest.FIXTURES, "laboratories.csv"),
                  self.write("mx-r.csv", ROUNDS),
                  self.write("mx-x.csv", RESULTS))
        self.json("evaluate", "--all")
        first = os.path.join(self.dir, "first")
        self.json("export", "--out", first)
        with open(os.path.join(first, "rounds.csv"), encoding="utf-8") as f:
            self.assertIn('"D-2=diesel; FO-2=fuel oil, low sulfur"', f.read())
        branch = self.json("compare", "--lab", "TC-BR", "--ref", "OIL-REF")
        self.db = os.path.join(self.dir, "again.db")
        self.json("init")
        self.json("import", first)
        self.json("evaluate", "--all")
        self.assertEqual(self.json("compare", "--lab", "TC-BR", "--ref",
                                   "OIL-REF"), branch)
        second = os.path.join(self.dir, "second")
        self.json("export", "--out", second)
        for name in sorted(os.listdir(first)):
            with open(os.path.join(first, name), "rb") as a, \
                    open(os.path.join(second, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_a_rounds_file_recorded_already_compares_its_item_matrix(self):
        self.json("init")
        self.json("import", os.path.join(ptest.FIXTURES, "laboratories.csv"),
                  self.write("mx-r.csv", ROUNDS))
        same = ROUNDS.replace("D-2=diesel; FO-2=", " D-2 = diesel ;FO-2=")
        again = self.json("import", self.write("same.csv", same))
        self.assertEqual(again[0]["already"], again[0]["rows"])
        other = ROUNDS.replace("FO-2=fuel oil, low sulfur", "FO-2=fuel oil")
        run = self.run_ptlims("import", self.write("other.csv", other))
        self.assertEqual(run.returncode, 1)
        self.assertRegex(run.stderr, r"other\.csv:3:\d+: round MX-2, sulfur "
                                     r"is recorded with item_matrix")

    def test_verify_covers_the_item_matrices(self):
        self.json("init")
        self.json("import", os.path.join(ptest.FIXTURES, "laboratories.csv"),
                  self.write("mx-r.csv", ROUNDS))
        self.assertTrue(self.json("verify")["intact"])
        con = sqlite3.connect(self.db)
        con.execute("UPDATE round_item SET matrix = 'gasoline' "
                    "WHERE item = 'FO-2'")
        con.commit()
        con.close()
        run = self.run_ptlims("verify")
        self.assertEqual(run.returncode, 1)
        self.assertIn("table round_item was changed outside ptlims",
                      run.stderr)

    def test_a_bad_item_matrix_names_its_cell(self):
        self.json("init")
        self.json("import", os.path.join(ptest.FIXTURES, "laboratories.csv"))
        bad = self.write("bad-r.csv", ROUNDS.replace("FO-2=", "FO-2 "))
        run = self.run_ptlims("import", bad)
        self.assertEqual(run.returncode, 1)
        self.assertRegex(run.stderr, r"bad-r\.csv:3:\d+: item_matrix")
        self.assertEqual(self.json("rounds"), [])


if __name__ == "__main__":
    sys.exit(ptest.main(sys.modules[__name__]))
