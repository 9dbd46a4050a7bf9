#!/usr/bin/env python3
"""test_readme_day.py -- README's "A day in the life" runs as written:
every `sh` block of the section, in order, in one shell with `set -e`,
in a fresh folder holding the fixtures, with the built `ptlims` first on
PATH.  Then what the prose says of it holds: status named the signal,
compare printed two series, the workbook was written and verify found
the log intact.
"""

import os
import re
import subprocess
import sys

import ptest

README = os.path.join(ptest.TOP, "README.md")


def day_blocks():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    start = text.index("\n## A day in the life\n")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```sh\n(.*?)```", text[start:end], re.S)


class ReadmeDay(ptest.TempDir):
    def test_the_walkthrough_runs_as_written(self):
        blocks = day_blocks()
        self.assertGreaterEqual(len(blocks), 6)
        os.symlink(ptest.FIXTURES, os.path.join(self.dir, "fixtures"))
        env = ptest.clean_env(
            PATH=ptest.BUILD + os.pathsep + os.environ.get("PATH", ""),
            PTLIMS_PLUGIN_PATH=ptest.PLUGINS)
        env.pop("PTLIMS_DB", None)
        outputs = []
        for i, block in enumerate(blocks):
            run = subprocess.run(
                ["bash", "-c", "set -e\ncd %s\nexport PTLIMS_DB=$PWD/2025.db"
                 "\n%s" % (self.dir, block)],
                capture_output=True, text=True, check=False, env=env)
            self.assertEqual(run.returncode, 0, "block %d:\n%s\n%s"
                             % (i + 1, block, run.stderr))
            outputs.append(run.stdout)
        status = outputs[0]
        self.assertRegex(status, r"signal without action\s+S-2025-PT1\s+"
                                 r"TC-BR\s+sulfur, item PT-25-2: "
                                 r"questionable")
        out = "".join(outputs)
        self.assertIn("sulfur, diesel, UV fluorescence (mg/kg)", out)
        self.assertIn("sulfur, fuel oil, low sulfur, EDXRF (mg/kg)", out)
        self.assertIn("superseded: version 2 is 4400 mg/kg", out)
        self.assertIn("audit log intact", out)
        self.assertTrue(os.path.getsize(os.path.join(self.dir,
                                                     "TC-BR-2025.xlsx")) > 0)


if __name__ == "__main__":
    sys.exit(ptest.main(sys.modules[__name__]))
