"""Checks the JSON of `ptlims methods --json` (a file named on the command
line) against the method and limit data of schema 008: every edition with
its scope, every precision row with its status and source, and the limits
with their legal source and effective date.  Exits 1 naming the first
difference."""
import json
import sys


def fail(msg):
    print("check_methods_json: " + msg)
    sys.exit(1)


def edition(doc, code, ed):
    for m in doc["methods"]:
        if m["code"] == code and m["edition"] == ed:
            return m
    fail("no %s edition %s" % (code, ed))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    if set(doc) != {"methods", "limits"}:
        fail("keys %s" % sorted(doc))
    for m in doc["methods"]:
        if m["scheme"] != "fuel-sulfur":
            fail("--scheme fuel-sulfur listed %s" % m["scheme"])
        for key in ("status", "source"):
            if not m[key]:
                fail("%s %s has no %s" % (m["code"], m["edition"], key))
        for p in m["precision"]:
            if p["status"] not in ("published", "unverified", "missing"):
                fail("status %r" % p["status"])
            if p["status"] == "missing" and (p["r"] or p["R"]):
                fail("a missing row of %s has an equation" % m["code"])
            if not p["source"]:
                fail("a precision row of %s has no source" % m["code"])
    # D4294: the older scope, and 17 mg/kg to 4.6 % since 2008
    old = edition(doc, "ASTM D4294", "older edition")
    if (old["scope_min"], old["scope_max"], old["scope_unit"]) != \
            (0.015, 5, "% m/m"):
        fail("D4294 older scope %r" % old)
    for ed, year in (("08", 2008), ("21", 2021)):
        e = edition(doc, "ASTM D4294", ed)
        if (e["scope_min"], e["scope_max"], e["scope_unit"], e["issued"]) \
                != (17, 46000, "mg/kg", year):
            fail("D4294-%s scope %r" % (ed, e))
        if [p["status"] for p in e["precision"]] != ["missing"]:
            fail("D4294-%s precision %r" % (ed, e["precision"]))
    # D5453-19a: general rows (unverified) and the product r rows
    d = edition(doc, "ASTM D5453", "19a")
    rows = {(p["product"], p["x_from"]): p for p in d["precision"]}
    gen = rows[(None, None)]
    if gen["R"] != {"a": 0.5797, "b": 0, "c": 0.75} or gen["x_to"] != 400:
        fail("D5453 general %r" % gen)
    if gen["status"] != "unverified":
        fail("D5453 general status %r" % gen["status"])
    if rows[(None, 400)]["R"] != {"a": 0.1267, "b": 0, "c": 1}:
        fail("D5453 linear branch %r" % rows[(None, 400)])
    for product, a, b in (("diesel", 0.02777, 28.158),
                          ("gasoline", 0.04356, 14.844)):
        p = rows[(product, None)]
        if p["r"] != {"a": a, "b": b, "c": 1} or p["R"] is not None:
            fail("D5453 %s %r" % (product, p))
    # D2622-24a: general, diesel and gasoline rows, all missing
    d = edition(doc, "ASTM D2622", "24a")
    if sorted((p["product"] or "", p["status"]) for p in d["precision"]) != \
            [("", "missing"), ("diesel", "missing"),
             ("gasoline", "missing")]:
        fail("D2622-24a precision %r" % d["precision"])
    codes = {m["code"] for m in doc["methods"]}
    for code in ("ASTM D7039", "ISO 8754", "ISO 20846", "ISO 20884",
                 "ISO 20847", "NIEA A446.72C"):
        if code not in codes:
            fail("%s is not listed" % code)
    # limits with their source and effective date
    lim = {l["category"]: l for l in doc["limits"]}
    for cat, value, since in (("diesel", 10, "2011-07-01"),
                              ("gasoline", 10, "2012-01-01"),
                              ("marine fuel", 5000, "2019-01-01"),
                              ("fuel oil", 10000, None),
                              ("fuel oil, low sulfur", 5000, None)):
        l = lim[cat]
        if (l["value"], l["effective_from"]) != (value, since) or \
                not l["standard"] or not l["source"]:
            fail("limit %s %r" % (cat, l))


main()
