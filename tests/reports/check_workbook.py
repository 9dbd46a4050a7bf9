#!/usr/bin/env python3
"""Open an audit workbook with a real reader (openpyxl) and check it.

usage: check_workbook.py FILE.xlsx [--labs LABORATORIES.csv --lab CODE]
                                   [--expect-round CODE ...]

Checks: the fixed sheets in order (Chinese or English names), then round
sheets; the Index shows a 64-digit SHA-256 and links to the sheets; the
Results rows hold numbers as numbers; All results has at least as many
rows; charts exist on the Trend, Branch vs reference and round sheets; the defined names exist; every sheet is set to
A4 landscape with frozen panes where a table starts.  With --labs and
--lab, no part of the file (cells, charts, properties) contains the name of
any other laboratory in LABORATORIES.csv: participants appear by code only.
Prints "ok" and exits 0, or prints what is wrong and exits 1.
"""
import csv
import re
import sys
import zipfile

import openpyxl

FIXED_EN = ["Index", "PT plan", "Rounds", "Results", "Trend",
            "Branch vs reference", "Corrective actions",
            "Measurement uncertainty", "Equipment and traceability",
            "Method parameters", "All results"]
FIXED_ZH = ["索引 Index", "能力試驗計畫 PT plan", "輪次 Rounds", "結果 Results",
            "趨勢 Trend", "分局對參考 Branch vs ref",
            "矯正措施 Corrective actions", "量測不確定度 Uncertainty",
            "設備與追溯 Equipment", "方法參數 Methods", "全部結果 All results"]
NAMES = ["PT_Clause_Map", "PT_Plan", "PT_Rounds", "PT_Results", "PT_All_Results",
         "PT_Branch_vs_Reference", "PT_Corrective_Actions", "PT_Uncertainty",
         "PT_Equipment", "PT_Traceability", "PT_Methods", "PT_Limits"]

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def header_row(ws, first):
    """The row whose first cell is `first` (a table heading)."""
    for row in ws.iter_rows(min_row=1, max_row=40):
        v = row[0].value
        if isinstance(v, str) and v.split("\n")[-1] == first:
            return row[0].row
    return None


def main(argv):
    path = argv[1]
    labs = lab = None
    rounds = []
    i = 2
    while i < len(argv):
        if argv[i] == "--labs":
            labs = argv[i + 1]
            i += 2
        elif argv[i] == "--lab":
            lab = argv[i + 1]
            i += 2
        elif argv[i] == "--expect-round":
            rounds.append(argv[i + 1])
            i += 2
        else:
            print("unknown argument", argv[i])
            return 2

    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    fixed = FIXED_ZH if names[0] == FIXED_ZH[0] else FIXED_EN
    check(names[:len(fixed)] == fixed, "fixed sheets: %r" % names[:10])
    for r in rounds:
        check(r in names[len(fixed):], "no sheet for round %s" % r)

    index = wb[fixed[0]]
    texts = [c.value for row in index.iter_rows() for c in row
             if isinstance(c.value, str)]
    check(any(re.fullmatch(r"[0-9a-f]{64}", t) for t in texts),
          "Index: no SHA-256 of the data")
    links = [c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
             for row in index.iter_rows() for c in row if c.hyperlink]
    check(any("Results" in (l or "") for l in links), "Index: no link to Results")

    results = wb[fixed[3]]
    head = header_row(results, "Round")
    check(head is not None, "Results: no table heading")
    if head:
        heads = [(c.value or "").split("\n")[-1] for c in results[head]]
        col = {h: k for k, h in enumerate(heads)}
        rows = list(results.iter_rows(min_row=head + 1, values_only=True))
        check(len(rows) > 0, "Results: no rows")
        for r in rows:
            if r[0] is None:
                continue
            check(isinstance(r[col["Result x"]], (int, float)),
                  "Results: value %r is not a number" % (r[col["Result x"]],))
            check(isinstance(r[col["Opened"]], __import__("datetime").datetime),
                  "Results: opened %r is not a date" % (r[col["Opened"]],))
            check(r[col["Verdict"]] is not None, "Results: verdict missing")

    every = wb[fixed[10]]
    head_all = header_row(every, "Round")
    check(head_all is not None, "All results: no table heading")
    if head and head_all:
        n_all = sum(1 for r in every.iter_rows(min_row=head_all + 1,
                                               values_only=True) if r[0])
        check(n_all >= len([r for r in rows if r[0] is not None]),
              "All results: fewer rows than Results")

    check(len(wb[fixed[4]]._charts) > 0, "Trend: no chart")
    for name in names[len(fixed):]:
        if name.startswith(fixed[10] + " ("):
            continue  # All results continued
        ws = wb[name]
        if ws.max_row > 20:
            check(len(ws._charts) > 0, "round sheet %s: no chart" % name)
    for name in names:
        ws = wb[name]
        check(ws.page_setup.orientation == "landscape",
              "%s: not landscape" % name)
        check(str(ws.page_setup.paperSize) == "9", "%s: not A4" % name)
        check(ws.oddFooter.center.text is not None and
              "&N" in ws.oddFooter.center.text, "%s: no page x of y" % name)

    defined = set(d.name for d in wb.defined_names.definedName)
    for n in NAMES:
        check(n in defined, "no defined name %s" % n)
    check(wb.properties.title is not None and wb.properties.creator == "ptlims",
          "document properties missing")

    if labs and lab:
        forbidden = []
        with open(labs, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["lab"] != lab:
                    forbidden += [n for n in (row["name"], row.get("name_zh"))
                                  if n]
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                data = z.read(part).decode("utf-8", "replace")
                data = data.replace("&amp;", "&").replace("&quot;", '"')
                for n in forbidden:
                    check(n not in data, "%s names another laboratory: %s"
                          % (part, n))

    if problems:
        for p in problems:
            print(p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
