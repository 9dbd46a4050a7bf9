#!/usr/bin/env python3
"""Open an audit workbook with a real reader (openpyxl) and check it.

usage: check_workbook.py FILE.xlsx [--labs LABORATORIES.csv --lab CODE
                                   [--rounds ROUNDS.csv ...]]
                                   [--db DATABASE] [--expect-round CODE ...]
                                   [--expect-official]

Checks: the fixed sheets in order (Chinese or English names), then round
sheets; the Index shows a 64-digit SHA-256 and links to the sheets; the
Results rows hold numbers as numbers; All results has at least as many
rows; charts exist on the Trend, Branch vs reference and round sheets; the defined names exist; every sheet is set to
A4 landscape with frozen panes where a table starts; the Index counts
agree with the rows of the sheets they count.  The Cover's counts equal
the rows of Rounds, Results and All results, its statement of analysis
carries them, its data SHA-256 is the Index's and (with --db) its audit
log head is the database's.  Every official value or score beside a
recomputed one is flagged as a rule computed here in decimal gives it
(--expect-official: at least one agreement and one disagreement).

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

FIXED_EN = ["Cover", "Index", "PT plan", "Sub-discipline summary", "Rounds",
            "Results", "Trend",
            "Branch vs reference", "Corrective actions",
            "Measurement uncertainty", "Equipment and traceability",
            "Method parameters", "All results"]
FIXED_ZH = ["封面 Cover", "索引 Index", "能力試驗計畫 PT plan",
            "次領域摘要 Sub-disciplines", "輪次 Rounds", "結果 Results",
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


def table_rows(ws, first):
    """The data rows under the heading whose first cell is `first`."""
    head = header_row(ws, first)
    if head is None:
        return None, []
    return head, [r for r in ws.iter_rows(min_row=head + 1, values_only=True)
                  if r[0] is not None]


def info_values(ws):
    """The key/value rows of a sheet, as a lookup by the English label (a
    zh-TW label is "中文 English")."""
    rows = [(row[0], row[1]) for row in ws.iter_rows(values_only=True)
            if isinstance(row[0], str) and len(row) > 1 and
            row[1] is not None]

    def get(label):
        for k, v in rows:
            if k == label or k.endswith(" " + label):
                return v
        return None
    return get


def agrees(recomputed, official):
    """The reconciliation rule, computed here in decimal: the official text
    is the recomputed value rounded to the official's decimals (either way
    on a tie)."""
    from decimal import Decimal
    off = Decimal(official)
    d = -off.as_tuple().exponent
    rec = Decimal(repr(float(recomputed)))
    return abs(rec - off) <= Decimal(5) * Decimal(10) ** (-(d + 1))


def check_cover(wb, F, fixed, names, db_path):
    """The cover's counts against the rows they count, its digests against
    the Index and the database."""
    cover = info_values(wb[F["Cover"]])
    _, rounds = table_rows(wb[F["Rounds"]], "Round")
    _, own = table_rows(wb[F["Results"]], "Round")
    n_all = 0
    for name in names:
        if name == F["All results"] or name.startswith(F["All results"] +
                                                      " ("):
            n_all += len(table_rows(wb[name], "Round")[1])
    for label, want in (("Rounds", len(rounds)), ("Own results", len(own)),
                        ("Participants' results", n_all)):
        got = cover(label)
        check(got is not None and int(got) == want,
              "Cover: %s says %r; the sheets have %d rows" % (label, got,
                                                              want))
    analysed = cover("Rounds analysed")
    check(analysed is not None and int(analysed) <= len(rounds),
          "Cover: rounds analysed %r of %d" % (analysed, len(rounds)))
    statement = [c for row in wb[F["Cover"]].iter_rows(values_only=True)
                 for c in row if isinstance(c, str) and
                 ("participants' results" in c or "筆參加者結果" in c)]
    check(len(statement) == 1 and str(len(rounds)) in statement[0] and
          str(n_all) in statement[0] and str(len(own)) in statement[0],
          "Cover: no statement of analysis with the counts: %r" % statement)
    index = info_values(wb[F["Index"]])
    check(cover("Data SHA-256") is not None and
          cover("Data SHA-256") == index("Data SHA-256"),
          "Cover: data SHA-256 %r, Index %r" % (cover("Data SHA-256"),
                                                 index("Data SHA-256")))
    if db_path:
        import sqlite3
        db = sqlite3.connect(db_path)
        n, h = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC "
                          "LIMIT 1").fetchone()
        check(cover("Audit log head") == "#%d  %s" % (n, h),
              "Cover: audit log head %r, the database's #%d %s"
              % (cover("Audit log head"), n, h))


def check_official(wb, F, fixed, names, db_path, expect):
    """Official against recomputed: every flag on Results and on the round
    sheets as the rule computed here in decimal gives it."""
    symbol = {"z": "z", "z′": "z′", "ζ": "ζ", "En": "En"}
    flags = []
    head, rows = table_rows(wb[F["Results"]], "Round")
    if head:
        heads = [(c.value or "").split("\n")[-1]
                 for c in wb[F["Results"]][head]]
        col = {h: k for k, h in enumerate(heads)}
        for r in rows:
            off = r[col["Provider's official score"]]
            if not off:
                continue
            kind, text = off.split(" = ")
            rec = r[col[symbol[kind]]]
            flag = r[col["Official vs recomputed"]]
            ok = agrees(rec, text)
            flags.append(ok)
            check(flag.startswith("agrees" if ok else "differs") or
                  flag.startswith("一致" if ok else "超出捨入差異"),
                  "Results: %s %s official %s, recomputed %r: flag %r"
                  % (r[0], kind, text, rec, flag))
    if db_path:
        import sqlite3
        db = sqlite3.connect(db_path)
        which = {"Assigned value x_pt": "x_pt", "指定值 x_pt": "x_pt",
                 "Standard uncertainty u(x_pt)": "u_x_pt",
                 "標準不確定度 u(x_pt)": "u_x_pt", "σ_pt": "sigma_pt"}
        for name in names[len(fixed):]:
            ws = wb[name]
            h = None
            for r in ws.iter_rows(min_row=1, max_row=ws.max_row):
                v = r[3].value if len(r) > 3 else None
                if isinstance(v, str) and v.split("\n")[-1] == \
                        "Provider's report":
                    h = r[0].row
                    break
            if h is None:
                continue
            for r in ws.iter_rows(min_row=h + 1, values_only=True):
                if r[0] is None:
                    break
                if r[2] not in which:
                    continue
                rec, = db.execute(
                    "SELECT e.%s FROM evaluation e JOIN round r ON r.id = "
                    "e.round_id WHERE r.code = ? AND e.item = ?"
                    % which[r[2]], (name, r[1])).fetchone()
                ok = agrees(rec, r[3])
                flags.append(ok)
                check(r[4].startswith("agrees" if ok else "differs") or
                      r[4].startswith("一致" if ok else "超出捨入差異"),
                      "%s: %s official %s, recomputed %r: flag %r"
                      % (name, r[2], r[3], rec, r[4]))
    if expect:
        check(True in flags and False in flags,
              "official values: want one agreement and one disagreement, "
              "have %r" % flags)


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
        pieces = [p.strip() for p in re.split(r"; |\n| — | / |[()]", v)]
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
    expect_official = False
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
        elif argv[i] == "--expect-official":
            expect_official = True
            i += 1
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

    F = dict(zip(FIXED_EN, fixed))
    index = wb[F["Index"]]
    texts = [c.value for row in index.iter_rows() for c in row
             if isinstance(c.value, str)]
    check(any(re.fullmatch(r"[0-9a-f]{64}", t) for t in texts),
          "Index: no SHA-256 of the data")
    links = [c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
             for row in index.iter_rows() for c in row if c.hyperlink]
    check(any("Results" in (l or "") for l in links), "Index: no link to Results")

    results = wb[F["Results"]]
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

    every = wb[F["All results"]]
    head_all = header_row(every, "Round")
    check(head_all is not None, "All results: no table heading")
    if head and head_all:
        n_all = sum(1 for r in every.iter_rows(min_row=head_all + 1,
                                               values_only=True) if r[0])
        check(n_all >= len([r for r in rows if r[0] is not None]),
              "All results: fewer rows than Results")

    check(len(wb[F["Trend"]]._charts) > 0, "Trend: no chart")
    for name in names[len(fixed):]:
        if name.startswith(F["All results"] + " ("):
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
    compare = wb[F["Branch vs reference"]]
    head_c = header_row(compare, "Reference lab")
    if head_c:
        heads = [(c.value or "").split("\n")[-1] for c in compare[head_c]]
        vcol = heads.index("Verdict")
        crows = [r for r in compare.iter_rows(min_row=head_c + 1,
                                              values_only=True) if r[0]]
        n_dis = sum(1 for r in crows if r[vcol] in ("Disagree", "不一致"))
        st = index_status.get(F["Branch vs reference"], "")
        m = re.match(r"(\d+)\D+(\d+)", st)
        check(m is not None and int(m.group(1)) == len(crows) and
              int(m.group(2)) == n_dis,
              "Index says %r; Branch vs reference has %d rows, %d disagree"
              % (st, len(crows), n_dis))
    if head:
        st = index_status.get(F["Results"], "")
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
        ws_rounds = wb[F["Rounds"]]
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
            if name.startswith(F["All results"]):
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

    check_cover(wb, F, fixed, names, db_path)
    check_official(wb, F, fixed, names, db_path, expect_official)
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
