#!/usr/bin/env python3
"""Read the round charts of an audit workbook back and check them.

usage: check_charts.py FILE.xlsx [--kde N] [--histograms N] [--youden N]
                                 [--youden-round CODE ...]
                                 [--no-youden-round CODE ...]

The workbook is streamed (inline strings), so its parts are read as XML
with the standard library only.  For every chart of a round sheet:

* its title names the round, a measurand and an item of that round's
  evaluation table (both items for a Youden plot);
* kernel density: the curve's cells equal the normal-kernel density of
  the results the chart marks, recomputed by tests/stats/kde_oracle.py
  (Python math only) with the bandwidth rule stated on the sheet: 0.75
  sigma_pt, sigma_pt read back from the chart's x_pt +- 2 sigma_pt marks,
  or Silverman's robust rule when the chart marks x_pt +- U(x_pt); the
  results it marks are those of the results table for that measurand and
  item;
* histogram: drawn from 10 results on, integer count ticks, bin edges on
  multiples of the bin width, counts adding up to the results;
* Youden plot: both axes span the same width on the same tick step, and
  the own point is a series of its own;
* no page break falls inside a chart, and no print titles repeat a table
  heading over the chart pages.

Counts of each kind are compared with --kde, --histograms and --youden;
--youden-round / --no-youden-round name rounds that must (not) have one.
Prints "ok" and exits 0, or prints what is wrong and exits 1.
"""
import math
import os
import re
import sys
import zipfile
from xml.etree import ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "stats"))
import kde_oracle  # noqa: E402

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/"
           "spreadsheetDrawing",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
KDE = ("kernel density of results", "結果之核密度")
HIST = ("histogram of results", "結果分布")
YOUDEN = ("Youden plot", "Youden 圖")

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def split_ref(ref):
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    return int(m.group(2)) - 1, col_index(m.group(1))


def rels(z, part):
    d, f = os.path.split(part)
    path = os.path.join(d, "_rels", f + ".rels")
    if path not in z.namelist():
        return {}
    out = {}
    for r in ET.fromstring(z.read(path)).findall("pr:Relationship", NS):
        target = r.get("Target")
        if not target.startswith("/"):
            target = os.path.normpath(os.path.join(d, target))
        else:
            target = target[1:]
        out[r.get("Id")] = target
    return out


class Sheet:
    def __init__(self, z, name, part):
        self.name, self.part = name, part
        self.root = ET.fromstring(z.read(part))
        self.cells = {}
        for c in self.root.iter("{%s}c" % NS["m"]):
            r, k = split_ref(c.get("r"))
            if c.get("t") == "inlineStr":
                self.cells[(r, k)] = "".join(
                    t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            else:
                v = c.find("m:v", NS)
                if v is not None:
                    self.cells[(r, k)] = float(v.text)

    def range(self, ref):
        a, _, b = ref.partition(":")
        (r1, c1), (r2, c2) = split_ref(a), split_ref(b or a)
        return [self.cells.get((r, k)) for r in range(r1, r2 + 1)
                for k in range(c1, c2 + 1)]

    def breaks(self):
        return [int(b.get("id")) for b in
                self.root.findall("m:rowBreaks/m:brk", NS)]

    def evaluation(self):
        """(measurand, item) pairs of the evaluation table, and the
        results (measurand, item) -> values of the results table."""
        heads = [(r, k) for (r, k), v in self.cells.items()
                 if k == 0 and isinstance(v, str) and
                 v.split("\n")[-1] in ("Measurand", "量測項目")]
        heads.sort()
        groups, results = set(), {}
        if not heads:
            return groups, results
        r = heads[0][0] + 1
        while isinstance(self.cells.get((r, 1)), str):
            groups.add((self.cells[(r, 0)], self.cells[(r, 1)]))
            r += 1
        # the results table: its heading has "Result x" in column G
        for (hr, _) in heads:
            if str(self.cells.get((hr, 6), "")).split("\n")[-1] in (
                    "Result x", "結果 x"):
                r = hr + 1
                while isinstance(self.cells.get((r, 1)), str):
                    v = self.cells.get((r, 6))
                    if isinstance(v, float):
                        key = (self.cells[(r, 0)], self.cells[(r, 1)])
                        results.setdefault(key, []).append(v)
                    r += 1
        return groups, results


def text(el):
    return "".join(t.text or "" for t in el.iter("{%s}t" % NS["a"]))


def series(chart):
    out = []
    for s in chart.iter("{%s}ser" % NS["c"]):
        name = s.find("c:tx/c:v", NS)
        refs = {}
        for tag in ("xVal", "yVal", "cat", "val"):
            f = s.find("c:%s/c:numRef/c:f" % tag, NS)
            if f is not None:
                refs[tag] = f.text.split("!")[1]
        out.append((name.text if name is not None else "", refs))
    return out


def axes(chart):
    out = []
    for ax in chart.iter("{%s}valAx" % NS["c"]):
        sc = ax.find("c:scaling", NS)
        get = (lambda tag: float(sc.find("c:" + tag, NS).get("val"))
               if sc.find("c:" + tag, NS) is not None else None)
        mu = ax.find("c:majorUnit", NS)
        fmt = ax.find("c:numFmt", NS)
        out.append({"min": get("min"), "max": get("max"),
                    "unit": float(mu.get("val")) if mu is not None else None,
                    "format": fmt.get("formatCode") if fmt is not None
                    else None})
    return out


def kind_of(title):
    for kind, names in (("kde", KDE), ("hist", HIST), ("youden", YOUDEN)):
        if any(title.endswith(n) for n in names):
            return kind
    return "other"


def check_kde(sheet, title, chart, results):
    ser = series(chart)
    curve = ser[0][1]
    xs = sheet.range(curve["xVal"])
    fs = sheet.range(curve["yVal"])
    rug = [s for s in ser if s[0] in ("Results", "各結果")]
    check(len(rug) == 1, "%s: no results marked" % title)
    if not rug:
        return
    vals = sheet.range(rug[0][1]["xVal"])
    item = title.split(" — ")[0].split(" ")[-1]
    mine = [v for (m, i), vs in results.items() for v in vs
            if i == item and m in title]
    check(sorted(vals) == sorted(mine),
          "%s: marks %r, the results table has %r" % (title, vals, mine))
    band = [s for s in ser if s[0].startswith("x_pt ±")]
    sigma = float("nan")
    if band and "σ_pt" in band[0][0]:
        lo = sheet.range(band[0][1]["xVal"])[0]
        hi = sheet.range(ser[ser.index(band[0]) + 1][1]["xVal"])[0]
        sigma = (hi - lo) / 4
    h = kde_oracle.bandwidth(sigma, vals)
    m = re.search(r"h = ([0-9.e+-]+)", ser[0][0])
    check(m and abs(float(m.group(1)) - h) <= 0.0051 * h,
          "%s: the legend states h %s, the rule gives %.6g"
          % (title, m.group(1) if m else "?", h))
    check(len(xs) >= 50 and all(isinstance(x, float) for x in xs),
          "%s: the grid is not written" % title)
    for x, f in zip(xs, fs):
        want = kde_oracle.density(h, x, vals)
        if not (isinstance(f, float) and abs(f - want) <= 1e-12 * want +
                1e-300):
            problems.append("%s: density at %r is %r, the oracle gives %r"
                            % (title, x, f, want))
            break


def check_hist(sheet, title, chart):
    ser = series(chart)
    edges = sheet.range(ser[0][1]["cat"])
    counts = sheet.range(ser[0][1]["val"])
    n = sum(counts)
    check(n >= 10, "%s: a histogram of %d results" % (title, n))
    check(all(c == int(c) for c in counts), "%s: counts %r" % (title, counts))
    w = edges[1] - edges[0] if len(edges) > 1 else None
    check(w is not None and all(
        abs(e / w - round(e / w)) < 1e-6 for e in edges),
        "%s: bin edges %r are not multiples of the width" % (title, edges))
    ax = axes(chart)
    y = ax[-1] if ax else {}
    check(y.get("format") == "0" and (max(counts) > 10 or y.get("unit") == 1),
          "%s: count ticks are not whole numbers (%r)" % (title, y))


def check_youden(sheet, title, chart, lab_points):
    ax = axes(chart)
    check(len(ax) == 2, "%s: %d value axes" % (title, len(ax)))
    if len(ax) == 2:
        x, y = ax
        check(None not in (x["min"], x["max"], y["min"], y["max"]) and
              abs((x["max"] - x["min"]) - (y["max"] - y["min"])) < 1e-9 and
              x["unit"] == y["unit"],
              "%s: axes not on one scale: %r %r" % (title, x, y))
    names = [s[0] for s in series(chart)]
    check(any(n.endswith("(own)") or n.endswith("（本室）") for n in names),
          "%s: no own point" % title)
    lab_points.append(title)


def main(argv):
    path = argv[1]
    want = {}
    youden_rounds, no_youden_rounds = [], []
    i = 2
    while i < len(argv):
        a = argv[i]
        if a in ("--kde", "--histograms", "--youden"):
            want[a[2:]] = int(argv[i + 1])
        elif a == "--youden-round":
            youden_rounds.append(argv[i + 1])
        elif a == "--no-youden-round":
            no_youden_rounds.append(argv[i + 1])
        else:
            print("unknown argument", a)
            return 2
        i += 2
    z = zipfile.ZipFile(path)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    wrels = rels(z, "xl/workbook.xml")
    sheets = {}
    for s in wb.findall("m:sheets/m:sheet", NS):
        sheets[s.get("name")] = wrels[s.get("{%s}id" % NS["r"])]
    titles_defined = [d.text or "" for d in
                      wb.findall("m:definedNames/m:definedName", NS)
                      if d.get("name") == "_xlnm.Print_Titles"]
    counts = {"kde": 0, "hist": 0, "youden": 0}
    youden_titles = []
    for name, part in sheets.items():
        srels = rels(z, part)
        drawings = [t for t in srels.values() if "drawings/" in t]
        if not drawings:
            continue
        sheet = Sheet(z, name, part)
        groups, results = sheet.evaluation()
        if groups:
            check(not any(("'%s'!" % name) in t or (name + "!") in t
                          for t in titles_defined),
                  "%s: print titles repeat a heading over the charts" % name)
        drawing = ET.fromstring(z.read(drawings[0]))
        drels = rels(z, drawings[0])
        breaks = sheet.breaks()
        for anchor in drawing:
            frm = anchor.find("xdr:from/xdr:row", NS)
            to = anchor.find("xdr:to/xdr:row", NS)
            gf = anchor.find(".//c:chart", NS)
            if frm is None or to is None or gf is None:
                continue
            r1, r2 = int(frm.text), int(to.text)
            chart_part = drels[gf.get("{%s}id" % NS["r"])]
            chart = ET.fromstring(z.read(chart_part))
            title_el = chart.find("c:chart/c:title", NS)
            title = text(title_el) if title_el is not None else ""
            if groups:
                check(not any(r1 < b <= r2 for b in breaks),
                      "%s: a page break inside the chart %r (rows %d-%d, "
                      "breaks %r)" % (name, title, r1 + 1, r2 + 1, breaks))
            kind = kind_of(title)
            if not groups or kind == "other" and not title.startswith(
                    name.split(" ")[0]):
                continue
            check(any(m in title and (" %s" % it) in title
                      for m, it in groups),
                  "%s: chart title %r names no measurand and item of the "
                  "round" % (name, title))
            if kind == "kde":
                counts["kde"] += 1
                check_kde(sheet, title, chart, results)
            elif kind == "hist":
                counts["hist"] += 1
                check_hist(sheet, title, chart)
            elif kind == "youden":
                counts["youden"] += 1
                check_youden(sheet, title, chart, youden_titles)
                items = [it for _, it in groups if (" %s" % it) in title]
                check(len(items) >= 2, "%s: Youden title %r names %r"
                      % (name, title, items))
    for k, key in (("kde", "kde"), ("histograms", "hist"),
                   ("youden", "youden")):
        if k in want:
            check(counts[key] == want[k], "%d %s charts, expected %d"
                  % (counts[key], k, want[k]))
    for r in youden_rounds:
        check(any(t.startswith(r + " ") for t in youden_titles),
              "no Youden plot for round %s" % r)
    for r in no_youden_rounds:
        check(not any(t.startswith(r + " ") for t in youden_titles),
              "a Youden plot for round %s" % r)
    if problems:
        for p in problems:
            print(p)
        return 1
    print("ok (%d kernel density, %d histogram, %d Youden charts)"
          % (counts["kde"], counts["hist"], counts["youden"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
