#!/usr/bin/env python3
"""test_database.py -- ptlims.Database as a LIMS script uses it: the ctypes
structures have the sizes and offsets a C compiler gives the header; a
round recorded through the structured calls gets the scores computed here
from ISO 13528's formulas (En, zeta, z, Algorithm A) and the ones
`ptlims scores --json` lists; values are kept as the texts given; a
refused call raises ptlims.Error naming the call and the field (or
file:line:column) and leaves the database as it was; recording writes no
file; the installed package records and evaluates with nothing but
python3.
"""

import ctypes
import glob
import math
import os
import re
import subprocess
import sys
import unittest
import zipfile

import ptest

ptest.preload_sanitizer()

import ptlims  # noqa: E402
from ptlims import Status, _abi  # noqa: E402
from test_stats_iso import algorithm_a  # noqa: E402

SULFUR = os.path.join(ptest.PLUGINS, "fuel-sulfur.so")


def bilateral(db):
    """A reference laboratory and two branches, one bilateral round of
    sulfur in diesel."""
    db.add_laboratory("REF", name="Reference", role="reference")
    db.add_laboratory("BR1", name="Branch 1", role="branch",
                      accreditation="TAF 0001")
    db.add_laboratory("BR2", name="Branch 2", role="branch")
    db.add_round("R1", scheme="fuel-sulfur", measurand="sulfur",
                 type="bilateral", opened="2025-06-02", reference_lab="REF",
                 matrix="diesel")


class StructureTest(ptest.TempDir):
    def test_sizes_and_offsets_are_the_c_compilers(self):
        lines = ['#include <stddef.h>', '#include <stdio.h>',
                 '#include "lims_plugin.h"', 'int main(void) {']
        want = []
        for cname, struct in sorted(_abi.STRUCTS.items()):
            lines.append('printf("%%s %%zu\\n", "%s", sizeof(%s));'
                         % (cname, cname))
            want.append("%s %d" % (cname, ctypes.sizeof(struct)))
            for name, _ in struct._fields_:
                lines.append('printf("%%s.%%s %%zu\\n", "%s", "%s", '
                             'offsetof(%s, %s));' % (cname, name, cname,
                                                     name))
                want.append("%s.%s %d" % (cname, name,
                                          getattr(struct, name).offset))
        lines.append("return 0; }")
        src = os.path.join(self.dir, "sizes.c")
        exe = os.path.join(self.dir, "sizes")
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run([os.environ.get("CC", "cc"), "-std=c11", "-I",
                        os.path.join(ptest.TOP, "include"), src, "-o", exe],
                       check=True, env=ptest.clean_env())
        got = subprocess.run([exe], capture_output=True, text=True,
                             check=True).stdout.split("\n")[:-1]
        self.assertEqual(got, want)

    def test_the_header_has_no_structure_the_binding_lacks(self):
        with open(os.path.join(ptest.TOP, "include", "lims_plugin.h")) as f:
            header = f.read()
        declared = set(re.findall(r"typedef struct (lims_\w+) \{", header))
        self.assertEqual(declared, set(_abi.STRUCTS))

    def test_status_names_follow_the_header(self):
        with open(os.path.join(ptest.TOP, "include", "lims_plugin.h")) as f:
            header = f.read()
        enum = dict((name, int(v)) for name, v in
                    re.findall(r"LIMS_(OK|ERR_\w+) = (\d+)", header))
        self.assertEqual(enum, {s.name: int(s) for s in Status})


class BilateralRoundTest(ptest.TempDir):
    def test_en_zeta_and_verdicts_are_the_formulas(self):
        db_path = os.path.join(self.dir, "lims.db")
        results = [("REF", "9.0", "0.4"), ("BR1", 9.3, 0.6),
                   ("BR2", "11.20", "0.7")]
        with ptlims.Database(db_path) as db:
            bilateral(db)
            for lab, value, U in results:
                db.record_result("R1", lab, "sulfur", value=value,
                                 unit="mg/kg", U=U, method="ASTM D5453-19a")
            ev = db.evaluate("R1")
            rows = {r["lab"]: r for r in db.scores()}
            only = db.scores(lab="BR2")
        self.assertEqual(ev, {"round": "R1", "groups": 1, "scores": 3,
                              "signals": 1})
        x_ref, U_ref = 9.0, 0.4
        for lab, x, U in (("BR1", 9.3, 0.6), ("BR2", 11.2, 0.7)):
            r = rows[lab]
            en = (x - x_ref) / math.sqrt(U ** 2 + U_ref ** 2)
            zeta = (x - x_ref) / math.sqrt((U / 2) ** 2 + (U_ref / 2) ** 2)
            self.assertAlmostEqual(r["En"], en, delta=1e-12)
            self.assertAlmostEqual(r["zeta"], zeta, delta=1e-12)
            self.assertAlmostEqual(r["D"], x - x_ref, delta=1e-12)
            self.assertEqual(r["x_pt"], x_ref)
            self.assertAlmostEqual(r["u_x_pt"], U_ref / 2, delta=1e-15)
            self.assertEqual(r["assigned"], "reference")
            self.assertEqual(r["scored_by"], "En")
            self.assertIsNone(r["z"])  # no sigma_pt given
            self.assertEqual(r["class"], "satisfactory" if abs(en) < 1
                             else "unsatisfactory")
        self.assertEqual(rows["BR1"]["class"], "satisfactory")
        self.assertEqual(rows["BR2"]["class"], "unsatisfactory")
        # the value is kept as the text given: a str as it is, a float as
        # repr() writes it
        self.assertEqual(rows["BR2"]["value_text"], "11.20")
        self.assertEqual(rows["BR1"]["value_text"], "9.3")
        self.assertEqual([r["lab"] for r in only], ["BR2"])
        self.assertEqual(list(only[0]), list(ptlims.database.SCORE_KEYS))

    def test_scores_and_compare_are_what_the_command_lists(self):
        db_path = os.path.join(self.dir, "lims.db")
        with ptlims.Database(db_path) as db:
            bilateral(db)
            for lab, value, U in (("REF", "9.0", "0.4"), ("BR1", "9.3",
                                                          "0.6")):
                db.record_result("R1", lab, "sulfur", value=value,
                                 unit="mg/kg", U=U, method="ASTM D5453-19a")
            db.evaluate("R1")
            scores = db.scores()
            compare = db.compare("BR1", "REF")
            verify = db.verify()
        self.assertEqual(scores, ptest.ptlims_json("scores", db=db_path))
        self.assertEqual(compare, ptest.ptlims_json(
            "compare", "--lab", "BR1", "--ref", "REF", db=db_path))
        self.assertEqual(len(compare), 1)
        self.assertAlmostEqual(compare[0]["En"], 0.3 / math.sqrt(0.52),
                               delta=1e-12)
        self.assertEqual(compare[0]["verdict"], "agree")
        self.assertTrue(verify["intact"])
        self.assertEqual(verify, ptest.ptlims_json("verify", db=db_path))


class ConsensusRoundTest(ptest.TempDir):
    VALUES = [8.1, 8.4, 7.9, 8.3, 8.2, 8.6, 8.0, 8.25, 8.15, 7.8, 8.5, 8.05,
              12.9]

    def test_consensus_and_z_are_algorithm_a_and_the_formula(self):
        sigma = 0.5
        with ptlims.Database(os.path.join(self.dir, "lims.db")) as db:
            with db.transaction():
                db.add_round("PT1", scheme="fuel-sulfur", measurand="sulfur",
                             opened="2025-03-01", assigned="consensus",
                             sigma_pt=sigma, sigma_pt_basis="fixed by the "
                             "provider", matrix="diesel")
                for i, v in enumerate(self.VALUES):
                    db.add_laboratory("L%02d" % i, name="Lab %d" % i,
                                      role="external")
                    db.record_result("PT1", "L%02d" % i, "sulfur", value=v,
                                     unit="mg/kg", item="S-1")
            db.evaluate("PT1")
            rows = db.scores()
        x, s = algorithm_a(self.VALUES)
        u = 1.25 * s / math.sqrt(len(self.VALUES))
        self.assertEqual(len(rows), len(self.VALUES))
        for r, v in zip(sorted(rows, key=lambda r: r["lab"]), self.VALUES):
            self.assertEqual(r["assigned"], "consensus")
            self.assertLess(abs(r["x_pt"] - x), 1e-9 * x)
            self.assertLess(abs(r["u_x_pt"] - u), 1e-9 * u)
            self.assertEqual(r["sigma_pt"], sigma)
            self.assertEqual(r["item"], "S-1")
            # u(x_pt) < 0.3 sigma_pt: scored by z
            self.assertLess(u, 0.3 * sigma)
            self.assertEqual(r["scored_by"], "z")
            self.assertAlmostEqual(r["z"], (v - x) / sigma, delta=1e-9)
            az = abs((v - x) / sigma)
            self.assertEqual(r["class"], "satisfactory" if az <= 2 else
                             "questionable" if az < 3 else "unsatisfactory")
        self.assertEqual(rows[-1]["class"], "unsatisfactory")


class RefusalTest(ptest.TempDir):
    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.dir, "lims.db")
        self.db = ptlims.Database(self.path)
        bilateral(self.db)
        self.db.record_result("R1", "REF", "sulfur", value="9.0",
                              unit="mg/kg", U="0.4")

    def tearDown(self):
        self.db.close()
        super().tearDown()

    def refused(self, fn, *args, **kwargs):
        """The Error fn raises; the database must be unchanged."""
        before = ptest.dump(self.path)
        with self.assertRaises(ptlims.Error) as e:
            fn(*args, **kwargs)
        self.assertEqual(ptest.dump(self.path), before)
        return e.exception

    def test_a_refused_result_names_the_field_and_writes_nothing(self):
        cases = [({"U": "-1"}, "result_add: U: "),
                 ({"U": -1.0}, "result_add: U: "),
                 ({"value": "1,2"}, "result_add: value: "),
                 ({"value": math.nan}, "result_add: value: "),
                 ({"unit": "ppm"}, "result_add: unit: "),
                 ({"lab": "NOPE"}, "result_add: lab: "),
                 ({"measurand": "lead"}, "result_add: measurand: ")]
        for change, prefix in cases:
            kw = dict(round="R1", lab="BR1", measurand="sulfur", value="9.3",
                      unit="mg/kg", U="0.6")
            kw.update(change)
            e = self.refused(self.db.record_result, **kw)
            self.assertIs(e.status, Status.ERR_INPUT, change)
            self.assertEqual(e.status.name, "ERR_INPUT")
            self.assertEqual(e.status, 1)
            self.assertTrue(e.message.startswith(prefix),
                            "%s: %s" % (change, e.message))
            self.assertEqual(str(e), e.message)

    def test_refused_laboratories_and_rounds_name_the_field(self):
        e = self.refused(self.db.add_laboratory, "X1", name="X",
                         role="boss")
        self.assertTrue(e.message.startswith("laboratory_add: role: "))
        e = self.refused(self.db.add_round, "R2", scheme="nope",
                         measurand="sulfur", opened="2025-01-01")
        self.assertTrue(e.message.startswith("round_add: scheme: "))
        with self.assertRaises(TypeError):
            self.db.add_round("R2", scheme="fuel-sulfur", colour="red")
        with self.assertRaises(TypeError):
            self.db.record_result("R1", "BR1", "sulfur", value=object(),
                                  unit="mg/kg")

    def test_a_nul_in_a_text_is_refused_before_the_engine(self):
        e = self.refused(self.db.record_result, "R1", "BR1", "sulfur",
                         value="9.3\0", unit="mg/kg")
        self.assertEqual(e.message, "result_add: value: the text holds a "
                         "NUL character")

    def test_bad_files_are_refused_at_file_line_column(self):
        self.db.close()
        os.remove(self.path)
        self.db = ptlims.Database(self.path)
        for f in ("laboratories.csv", "rounds.csv",
                  "results-s-2025-bilateral.csv"):
            self.db.import_csv(os.path.join(ptest.FIXTURES, f))
        bad = os.path.join(ptest.FIXTURES, "bad")
        with open(os.path.join(bad, "EXPECTED.tsv")) as f:
            expected = [line.rstrip("\n").split("\t") for line in f
                        if not line.startswith("#")]
        self.assertGreater(len(expected), 50)
        for name, _, fragment in expected:
            e = self.refused(self.db.import_csv, os.path.join(bad, name))
            self.assertIn(fragment, e.message, name)
            self.assertRegex(e.message, r"^[^:]+:\d+:\d+: ", name)

    def test_a_refused_call_in_a_transaction_is_undone_alone(self):
        before = ptest.dump(self.path)
        with self.assertRaises(ptlims.Error):
            with self.db.transaction():
                self.db.record_result("R1", "BR1", "sulfur", value="9.3",
                                      unit="mg/kg", U="0.6")
                self.db.record_result("R1", "BR2", "sulfur", value="9.4",
                                      unit="mg/kg", U="0")
        self.assertEqual(ptest.dump(self.path), before)
        with self.db.transaction():
            self.db.record_result("R1", "BR1", "sulfur", value="9.3",
                                  unit="mg/kg", U="0.6")
            with self.assertRaises(ptlims.Error):
                self.db.record_result("R1", "BR2", "sulfur", value="9.4",
                                      unit="mg/kg", U="0")
        self.assertEqual(self.db.evaluate("R1")["scores"], 2)

    def test_a_closed_database_refuses_every_call(self):
        self.db.close()
        e = self.refused(self.db.scores)
        self.assertIs(e.status, Status.ERR_STATE)
        self.db.close()


class FilesTest(ptest.TempDir):
    def test_recording_writes_no_file(self):
        path = os.path.join(self.dir, "lims.db")
        with ptlims.Database(path) as db:
            bilateral(db)
            before = sorted(os.listdir(self.dir))
            db.record_result("R1", "REF", "sulfur", value="9.0",
                             unit="mg/kg", U="0.4")
            db.record_result("R1", "BR1", "sulfur", value="9.3",
                             unit="mg/kg", U="0.6")
            self.assertEqual(sorted(os.listdir(self.dir)), before)
            self.assertEqual(before, ["lims.db", "lims.db-shm",
                                      "lims.db-wal"])

    def test_import_is_what_the_command_prints_warnings_included(self):
        files = [os.path.join(ptest.FIXTURES, f) for f in
                 ("laboratories.csv", "rounds.csv",
                  "results-s-2025-bilateral.csv")]
        with ptlims.Database(os.path.join(self.dir, "a.db"),
                             log=lambda level, msg: None) as db:
            got = [db.import_csv(f) for f in files]
        want = ptest.ptlims_json("import", *files,
                                 db=os.path.join(self.dir, "b.db"))
        self.assertEqual(got, want)
        self.assertTrue(any("ASTM D4294" in w for w in got[-1]["warnings"]))

    def test_import_evaluate_report_and_verify_the_fixtures(self):
        path = os.path.join(self.dir, "lims.db")
        out = os.path.join(self.dir, "tc.xlsx")
        files = ["laboratories.csv", "rounds.csv",
                 "results-s-2025-pt.csv"]
        with ptlims.Database(path) as db:
            imported = [db.import_csv(os.path.join(ptest.FIXTURES, f))
                        for f in files]
            ev = db.evaluate("S-2025-PT1")
            report = db.report("TC-BR", out, lang="en",
                               generated_at="2026-01-05T08:00:00",
                               tz="UTC", document_no="QP-0701-01",
                               prepared_by="P.-Y. Chen (QA)")
            verify = db.verify()
        self.assertEqual(imported[-1]["rows"], imported[-1]["results"])
        self.assertGreater(imported[-1]["results"], 10)
        self.assertEqual(ev["scores"], imported[-1]["results"])
        self.assertEqual(report, {"file": out, "lab": "TC-BR"})
        with zipfile.ZipFile(out) as z:
            self.assertIn("xl/workbook.xml", z.namelist())
            text = b"".join(z.read(n) for n in z.namelist()
                            if n.endswith(".xml"))
        # the document control fields reach the workbook
        self.assertIn(b"QP-0701-01", text)
        self.assertIn(b"P.-Y. Chen (QA)", text)
        self.assertTrue(verify["intact"])
        self.assertEqual(len(verify["head"]), 64)
        with ptlims.Database(path) as db:
            self.assertTrue(db.verify(expect_head=verify["head"])["intact"])
            self.assertFalse(db.verify(expect_head="0" * 64)["intact"])

    def test_plugin_path_chooses_the_schemes(self):
        path = os.path.join(self.dir, "lims.db")
        with ptlims.Database(path, plugin_path=SULFUR) as db:
            self.assertEqual([s["id"] for s in db.schemes], ["fuel-sulfur"])
            self.assertIn("sulfur", db.schemes[0]["measurands"])
            with self.assertRaises(ptlims.Error) as e:
                db.add_round("DH", scheme="dehumidifier",
                             measurand="power_input", opened="2025-01-01")
            self.assertTrue(e.exception.message.startswith(
                "round_add: scheme: "))
        with ptlims.Database(path, plugin_path=[ptest.PLUGINS]) as db:
            self.assertEqual(sorted(s["id"] for s in db.schemes),
                             ["dehumidifier", "fuel-sulfur"])
        with self.assertRaises(ptlims.Error) as e:
            ptlims.Database(path, plugin_path=os.path.join(self.dir, "none"))
        self.assertIs(e.exception.status, Status.ERR_IO)

    def test_a_plug_in_of_another_abi_is_refused_or_skipped(self):
        abi2 = os.path.join(ptest.BUILD, "tests", "plugins", "abi2.so")
        path = os.path.join(self.dir, "lims.db")
        with self.assertRaises(ptlims.Error) as e:
            ptlims.Database(path, plugin_path=abi2)
        self.assertIs(e.exception.status, Status.ERR_ABI)
        self.assertEqual(e.exception.message, "%s: not a ptlims plug-in of "
                         "ABI 1.x" % abi2)
        self.assertFalse(os.path.exists(path))
        folder = os.path.join(self.dir, "plugins")
        os.mkdir(folder)
        for f in (abi2, SULFUR):
            os.symlink(f, os.path.join(folder, os.path.basename(f)))
        seen = []
        with ptlims.Database(path, plugin_path=folder,
                             log=lambda level, msg: seen.append(msg)) as db:
            self.assertEqual([s["id"] for s in db.schemes], ["fuel-sulfur"])
        self.assertEqual(seen, ["%s/abi2.so: not a ptlims plug-in of ABI "
                                "1.x" % folder])

    def test_engine_warnings_reach_the_log_callback(self):
        seen = []
        path = os.path.join(self.dir, "lims.db")
        with ptlims.Database(path, log=lambda level, msg:
                             seen.append((level, msg))) as db:
            bilateral(db)
            # ASTM D5453's scope ends at 8000 mg/kg (schemas/002): warned
            db.record_result("R1", "BR1", "sulfur", value="9500",
                             unit="mg/kg", U="400", method="ASTM D5453-19a")
        self.assertTrue(seen, "no warning logged")
        self.assertTrue(all(isinstance(m, str) for _, m in seen))


class InstallTest(ptest.TempDir):
    def test_the_installed_package_records_and_evaluates(self):
        prefix = os.path.join(self.dir, "prefix")
        env = ptest.clean_env()
        make = ["make", "-s", "--no-print-directory", "BUILD=" + ptest.BUILD,
                "PREFIX=" + prefix]
        subprocess.run(make + ["install"], env=env, check=True,
                       capture_output=True, cwd=ptest.TOP)
        sites = glob.glob(os.path.join(prefix, "lib", "python3*",
                                       "*-packages"))
        self.assertEqual(len(sites), 1, sites)
        script = (
            "import ptlims, ptlims.stats\n"
            "db = ptlims.Database('lims.db')\n"
            "db.add_laboratory('REF', name='R', role='reference')\n"
            "db.add_laboratory('BR1', name='B', role='branch')\n"
            "db.add_round('R1', scheme='fuel-sulfur', measurand='sulfur',\n"
            "             opened='2025-06-02', reference_lab='REF')\n"
            "db.record_result('R1', 'REF', 'sulfur', value='9.0',\n"
            "                 unit='mg/kg', U='0.4')\n"
            "db.record_result('R1', 'BR1', 'sulfur', value='9.3',\n"
            "                 unit='mg/kg', U='0.6')\n"
            "db.evaluate('R1')\n"
            "print(round(db.scores('BR1')[0]['En'], 6),\n"
            "      ptlims.stats.summary([1, 2, 3, 4, 100])['median'])\n"
            "db.close()\n")
        # the sanitizer's runtime when the engine needs it (make asan)
        sanitizer = {k: os.environ[k] for k in ("LD_PRELOAD", "ASAN_OPTIONS")
                     if k in os.environ}
        run = subprocess.run([sys.executable, "-c", script], cwd=self.dir,
                             env=dict(env, PYTHONPATH=sites[0], **sanitizer),
                             capture_output=True, text=True, check=False)
        self.assertEqual(run.stdout, "%s 3.0\n"
                         % round(0.3 / math.sqrt(0.52), 6), run.stderr)
        subprocess.run(make + ["uninstall"], env=env, check=True,
                       capture_output=True, cwd=ptest.TOP)
        left = [os.path.join(d, f) for d, _, fs in os.walk(prefix)
                for f in fs]
        self.assertEqual(left, [])


if __name__ == "__main__":
    sys.exit(ptest.main(sys.modules[__name__]))
