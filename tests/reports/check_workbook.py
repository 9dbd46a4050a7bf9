#!/usr/bin/env python3
"""Open an audit workbook with a real reader (openpyxl) and check it.

usage: check_workbook.py FILE.xlsx [--labs LABORATORIES.csv --lab CODE
                                   [--rounds ROUNDS.csv ...]]
                                   [--db DATABASE] [--expect-round CODE ...]

Checks: the fixed sheets in order (Chinese or English names), then round
sheets; the Index shows a 64-digit SHA-256 and links to the sheets; the
Results rows hold numbers as numbers; All results has at least as many
rows; charts exist on the Trend, Branch vs reference and round sheets; the defined names exist; every sheet is set to
A4 landscape with frozen panes where a table starts; the Index counts
agree with the rows of the sheets they count.

Confidentiality, with --labs and --lab (and --rounds, the rounds files
the record was imported from): no part of the file (every XML part:
cells, shared strings, charts, sheet names, document properties)
contains the name or the code of another laboratory, except the
reference laboratory of a round in the workbook (its result is the
assigned value: named as its source), and the codes of external
participants (the codes the provider published).  On every round sheet
and on All results, a participant is shown only by the laboratory's own
code, an external code, the round's own reference laboratory, or as
"withheld N": a reference laboratory taking part in another round as an
ordinary participant is withheld there.  Organisers are named as the
round's provider is recorded.
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


CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")


def check_language(wb, path, db_path):
    """No English tool text in a zh-TW workbook (see the module's note)."""
    import sqlite3
    db = sqlite3.connect(db_path)
    # text the tool itself wrote into the record is no data: the reasons
    # of the evaluations, default triggers of actions, the audit log
    tool_written = {("evaluation", "reason"), ("corrective_action", "trigger"),
                    ("evaluation", "engine")}
    data = []
    for (t,) in db.execute("SELECT name FROM sqlite_master "
                           "WHERE type = 'table' AND name <> 'audit_log'"):
        cur = db.execute('SELECT * FROM "%s"' % t)
        names = [d[0] for d in cur.description]
        for row in cur:
            data += [v for k, v in zip(names, row)
                     if isinstance(v, str) and (t, k) not in tool_written]
    blob = "\n".join(data)

    def tool_text(v):
        # a digest, and the software's name and version, are no words
        v = re.sub(r"[0-9a-f]{16,}|^ptlims \S+ ISO \d+:\d+$", "", v)
        if CJK.search(v) or not re.search(r"[A-Za-z]{4,}", v):
            return False
        pieces = [p.strip() for p in re.split(r"; |\n| — |[()]", v)]
        return not all(p in blob or not re.search(r"[A-Za-z]{4,}", p)
                       for p in pieces if p)

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and tool_text(c.value):
                    problems.append("%s!%s: English tool text in a zh-TW "
                                    "workbook: %r" % (ws.title, c.coordinate,
                                                      c.value[:80]))
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if not part.startswith("xl/charts/"):
                continue
            xml = z.read(part).decode("utf-8")
            for t in re.findall(r"<(?:a:t|c:v)>([^<]*)</", xml):
                t = t.replace("&amp;", "&")
                if tool_text(t):
                    problems.append("%s: English tool text in a zh-TW "
                                    "workbook: %r" % (part, t[:80]))


def main(argv):
    path = argv[1]
    labs = lab = db_path = None
    rounds = []
    round_files = []
    i = 2
    while i < len(argv):
        if argv[i] == "--labs":
            labs = argv[i + 1]
            i += 2
        elif argv[i] == "--lab":
            lab = argv[i + 1]
            i += 2
        elif argv[i] == "--db":
            db_path = argv[i + 1]
            i += 2
        elif argv[i] == "--rounds":
            round_files.append(argv[i + 1])
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
            # the evidence behind each result, where it was recorded
            days = r[col["Days before the deadline"]]
            check(days is None or isinstance(days, (int, float)),
                  "Results: %s: days before the deadline %r is not a number"
                  % (r[0], days))
        check(any(isinstance(r[col["Analyst"]], str) for r in rows
                  if r[0] is not None), "Results: no analyst anywhere")

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

    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if part.startswith("xl/worksheets/sheet"):
                check('numberStoredAsText="1"' in z.read(part).decode(),
                      "%s: no ignoredErrors for numbers stored as text"
                      % part)

    defined = set(d.name for d in wb.defined_names.definedName)
    for n in NAMES:
        check(n in defined, "no defined name %s" % n)
    check(wb.properties.title is not None and wb.properties.creator == "ptlims",
          "document properties missing")

    # the Index counts against the rows they count
    index_status = {}
    for row in index.iter_rows(values_only=True):
        if isinstance(row[2], str) and isinstance(row[4], str):
            index_status[row[2]] = row[4]
    compare = wb[fixed[5]]
    head_c = header_row(compare, "Reference lab")
    if head_c:
        heads = [(c.value or "").split("\n")[-1] for c in compare[head_c]]
        vcol = heads.index("Verdict")
        crows = [r for r in compare.iter_rows(min_row=head_c + 1,
                                              values_only=True) if r[0]]
        n_dis = sum(1 for r in crows if r[vcol] in ("Disagree", "不一致"))
        st = index_status.get(fixed[5], "")
        m = re.match(r"(\d+)\D+(\d+)", st)
        check(m is not None and int(m.group(1)) == len(crows) and
              int(m.group(2)) == n_dis,
              "Index says %r; Branch vs reference has %d rows, %d disagree"
              % (st, len(crows), n_dis))
    if head:
        st = index_status.get(fixed[3], "")
        m = re.match(r"(\d+)", st)
        n_own = len([r for r in rows if r[0] is not None])
        check(m is not None and int(m.group(1)) == n_own,
              "Index says %r; Results has %d rows" % (st, n_own))

    if labs and lab:
        by_code = {}
        with open(labs, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                by_code[row["lab"]] = row
        reference = {}
        for rf in round_files:
            with open(rf, encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    if row.get("reference_lab"):
                        reference[row["round"]] = row["reference_lab"]
        in_book = set()
        ws_rounds = wb[fixed[2]]
        head_r = header_row(ws_rounds, "Round")
        for row in ws_rounds.iter_rows(min_row=(head_r or 4) + 1,
                                       values_only=True):
            if isinstance(row[0], str):
                in_book.add(row[0])
        named = set(reference[r] for r in in_book if r in reference)
        forbidden_names, forbidden_codes = [], []
        for code, row in by_code.items():
            if code == lab or code in named:
                continue
            forbidden_names += [n for n in (row["name"], row.get("name_zh"))
                                if n]
            if row["role"] != "external":
                forbidden_codes.append(code)
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                data = z.read(part).decode("utf-8", "replace")
                data = data.replace("&amp;", "&").replace("&quot;", '"')
                for n in forbidden_names:
                    check(n not in data, "%s names another laboratory: %s"
                          % (part, n))
                for n in forbidden_codes:
                    check(re.search(r"(?<![A-Za-z0-9-])%s(?![A-Za-z0-9-])"
                                    % re.escape(n), data) is None,
                          "%s shows another laboratory's code: %s"
                          % (part, n))

        def allowed(code, rnd):
            if not isinstance(code, str):
                return True
            c = code.split("（")[0].split(" (")[0]
            if c == lab or re.fullmatch(r"(withheld|不具名) \d+", c):
                return True
            if c == reference.get(rnd):
                return True
            return c in by_code and by_code[c]["role"] == "external"

        for name in names[len(fixed):]:
            ws = wb[name]
            if name.startswith(fixed[10]):
                continue
            h = None
            for r in ws.iter_rows(min_row=1, max_row=ws.max_row):
                v = r[2].value if len(r) > 2 else None
                if isinstance(v, str) and v.split("\n")[-1] == "Participant":
                    h = r[0].row
                    break
            if h is None:
                continue
            for r in ws.iter_rows(min_row=h + 1, values_only=True):
                if r[0] is None:
                    break
                check(allowed(r[2], name),
                      "%s: participant %r is neither the provider's code "
                      "nor the round's reference" % (name, r[2]))
        if head_all:
            heads = [(c.value or "").split("\n")[-1] for c in every[head_all]]
            pcol = heads.index("Participant")
            for r in every.iter_rows(min_row=head_all + 1, values_only=True):
                if r[0]:
                    check(allowed(r[pcol], r[0]),
                          "All results: %s participant %r is neither the "
                          "provider's code nor the round's reference"
                          % (r[0], r[pcol]))

    if db_path and fixed is FIXED_ZH:
        check_language(wb, path, db_path)

    if problems:
        for p in problems:
            print(p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
