#!/usr/bin/env python3
"""Writes tests/integrity/corpus2/: the second bad-input corpus (issue 17).

Each case is a CSV file that `ptlims import` must refuse, with exit status 1,
on a database holding fixtures/laboratories.csv, rounds.csv,
results-s-2025-bilateral.csv and plan.csv.  EXPECTED.tsv gives, for each
file, the exit status and the message's fragment "FILE:LINE:COLUMN: reason".
The line and column are computed here from the rows as written (the
column of a field is the character where it starts, its opening quote
included), independently of ptlims; the reasons are written by hand.

Run from the repository top: python3 tests/integrity/make_corpus2.py
"""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus2")

RESULTS_HEAD = ["round", "lab", "measurand", "item", "value", "unit"]
GOOD = ["S-2025-BIL2", "TC-BR", "sulfur", "D-9", "9.8", "mg/kg"]
LABS_HEAD = ["lab", "name", "name_zh", "role", "accreditation"]
LAB = ["ZZ-LAB", "Z Laboratory", "Z 試驗室", "external", "TAF 0001"]
ROUNDS_HEAD = ["round", "scheme", "measurand", "type", "title", "provider",
               "provider_accreditation", "opened", "closed", "reference_lab",
               "assigned", "x_pt", "u_x_pt", "sigma_pt"]
ROUND = ["ZZ-2025-1", "fuel-sulfur", "sulfur", "pt", "A round", "A provider",
         "", "2025-01-10", "", "", "", "", "", ""]
PLAN_HEAD = ["lab", "scheme", "technique", "property", "product",
             "measurand", "method", "risk", "per_year", "from", "to", "note"]
PLAN = ["TC-BR", "fuel-sulfur", "XRF", "sulfur content", "kerosene",
        "sulfur", "ASTM D4294", "low", "0.5", "2024", "2027", "a note"]
CAPA_HEAD = ["round", "lab", "measurand", "item", "trigger", "root_cause",
             "action", "owner", "opened", "due", "closed", "verified_by"]
CAPA = ["S-2025-BIL1", "TC-BR", "sulfur", "", "", "a cause", "an action",
        "Y.S.L.", "2025-08-01", "2025-09-30", "", ""]

cases = []  # (file name, bytes, fragment)


def quote(f):
    if any(c in f for c in ',"\r\n'):
        return '"' + f.replace('"', '""') + '"'
    return f


BIDI = {0x200E, 0x200F, 0x061C} | set(range(0x202A, 0x202F)) | \
    set(range(0x2066, 0x206A))


def esc(s):
    """A text as ptlims's messages show it: control characters escaped."""
    out = ""
    for ch in s:
        cp = ord(ch)
        if cp < 0x20 or cp == 0x7F:
            out += "\\x%02x" % cp
        elif (0x80 <= cp <= 0x9F or cp in (0x2028, 0x2029, 0xFFFE, 0xFFFF)
              or cp in BIDI):
            out += "\\u%04X" % cp
        else:
            out += ch
    return out


def clip(s):
    """Up to 40 bytes of s, else its first 37 or fewer (whole characters)
    and "..."."""
    b = s.encode("utf-8")
    if len(b) <= 40:
        return s
    n = 37
    while n > 0 and (b[n] & 0xC0) == 0x80:
        n -= 1
    return b[:n].decode("utf-8") + "..."


def code_msg(col, value, why):
    return '%s "%s" %s' % (col, esc(clip(value)), why)


def render(rows):
    """CSV text of rows, and the (line, column) of every field."""
    text = ""
    pos = []
    line = 1
    for row in rows:
        col = 1
        places = []
        for i, f in enumerate(row):
            if i:
                text += ","
                col += 1
            places.append((line, col))
            q = quote(f)
            text += q
            for ch in q:
                if ch == "\n":
                    line += 1
                    col = 1
                else:
                    col += 1
        text += "\n"
        line += 1
        pos.append(places)
    return text, pos


def add(name, rows, r, c, reason):
    """Case `name`: rows; the message names row r (0 = header), field c."""
    text, pos = render(rows)
    line, col = pos[r][c]
    cases.append((name, text.encode("utf-8"),
                  "%s:%d:%d: %s" % (name, line, col, reason)))


def add_raw(name, data, line, col, reason):
    cases.append((name, data, "%s:%d:%d: %s" % (name, line, col, reason)))


def with_field(base, i, v):
    row = list(base)
    row[i] = v
    return row


def cols(head, extra):
    return head + extra


# ---- class 1: misfiling (codes longer than the limit) -------------------
long127 = "S-2025-BIL2" + "X" * 116
assert len(long127) == 127
LONG = "is longer than 64 characters"
add("c1-round-127-prefix-of-previous.csv",
    [RESULTS_HEAD, GOOD, with_field(GOOD, 0, long127[:-1] + "Y"),
     with_field(GOOD, 0, long127)],
    2, 0, code_msg("round", long127[:-1] + "Y", LONG))
for n in (65, 128, 1000, 100000):
    add("c1-results-round-%d-chars.csv" % n,
        [RESULTS_HEAD, with_field(GOOD, 0, "R" * n)], 1, 0,
        code_msg("round", "R" * n, LONG))
    add("c1-results-lab-%d-chars.csv" % n,
        [RESULTS_HEAD, with_field(GOOD, 1, "L" * n)], 1, 1,
        code_msg("lab", "L" * n, LONG))
add("c1-results-item-65-chars.csv",
    [RESULTS_HEAD, with_field(GOOD, 3, "I" * 65)], 1, 3,
    code_msg("item", "I" * 65, LONG))
add("c1-labs-code-65-chars.csv",
    [LABS_HEAD, with_field(LAB, 0, "L" * 65)], 1, 0,
    code_msg("lab", "L" * 65, LONG))
add("c1-rounds-code-65-chars.csv",
    [ROUNDS_HEAD, with_field(ROUND, 0, "R" * 65)], 1, 0,
    code_msg("round", "R" * 65, LONG))
add("c1-rounds-code-100000-chars.csv",
    [ROUNDS_HEAD, with_field(ROUND, 0, "R" * 100000)], 1, 0,
    code_msg("round", "R" * 100000, LONG))
add("c1-closed-round-prefix.csv",
    [RESULTS_HEAD, GOOD, with_field(GOOD, 0, "S-2025-BIL1" + "Z" * 60)],
    2, 0, code_msg("round", "S-2025-BIL1" + "Z" * 60, LONG))

# ---- class 2: codes with control, bidirectional or blank edges ---------
bad_codes = [
    ("nul-like-soh", "TC\x01BR", "holds control character U+0001 at "
                                 "character 3"),
    ("escape-seq", "TC\x1b[31mBR", "holds an escape character at "
                                    "character 3"),
    ("del", "TC\x7fBR", "holds control character U+007F at character 3"),
    ("c1-nel", "TC\u0085BR", "holds control character U+0085 at "
                             "character 3"),
    ("rlo", "TC\u202eRB", "holds bidirectional formatting U+202E at "
                          "character 3"),
    ("lre", "\u202aTC-BR", "holds bidirectional formatting U+202A at "
                           "character 1"),
    ("pdf", "TC-BR\u202c", "holds bidirectional formatting U+202C at "
                           "character 6"),
    ("lri", "TC\u2066BR", "holds bidirectional formatting U+2066 at "
                          "character 3"),
    ("rli", "TC\u2067BR", "holds bidirectional formatting U+2067 at "
                          "character 3"),
    ("fsi", "TC\u2068BR", "holds bidirectional formatting U+2068 at "
                          "character 3"),
    ("pdi", "TC\u2069BR", "holds bidirectional formatting U+2069 at "
                          "character 3"),
    ("rlm", "TC\u200fBR", "holds bidirectional formatting U+200F at "
                          "character 3"),
    ("leading-space", " TC-BR", "begins or ends with a blank"),
    ("trailing-space", "TC-BR ", "begins or ends with a blank"),
    ("line-break", "TC\nBR", "holds a line break at character 3"),
    ("tab", "TC\tBR", "holds a tab at character 3"),
    ("line-separator", "TC\u2028BR", "holds control character U+2028 at "
                                     "character 3"),
]
for tag, code, why in bad_codes:
    add("c2-labs-code-%s.csv" % tag, [LABS_HEAD, with_field(LAB, 0, code)],
        1, 0, code_msg("lab", code, why))
    add("c2-results-lab-%s.csv" % tag,
        [RESULTS_HEAD, with_field(GOOD, 1, code)], 1, 1,
        code_msg("lab", code, why))
for tag, code, why in bad_codes[:9]:
    add("c2-rounds-code-%s.csv" % tag,
        [ROUNDS_HEAD, with_field(ROUND, 0, code)], 1, 0,
        code_msg("round", code, why))
    add("c2-results-item-%s.csv" % tag,
        [RESULTS_HEAD, with_field(GOOD, 3, code)], 1, 3,
        code_msg("item", code, why))
add("c2-rounds-reference-lab-rlo.csv",
    [ROUNDS_HEAD, with_field(ROUND, 9, "OIL\u202eFER")], 1, 9,
    code_msg("reference_lab", "OIL\u202eFER",
             "holds bidirectional formatting U+202E at character 4"))
add("c2-labs-same-code-twice.csv",
    [LABS_HEAD, LAB, with_field(LAB, 1, "Another name")], 2, 0,
    "laboratory ZZ-LAB is given twice in this file")
add("c2-labs-same-code-twice-apart.csv",
    [LABS_HEAD, LAB, with_field(LAB, 0, "ZZ-OTHER"),
     with_field(LAB, 3, "branch")], 3, 0,
    "laboratory ZZ-LAB is given twice in this file")
add("c2-labs-existing-code-twice.csv",
    [LABS_HEAD, with_field(LAB, 0, "TC-BR"), with_field(LAB, 0, "TC-BR")],
    2, 0, "laboratory TC-BR is given twice in this file")
add("c2-escape-is-shown-escaped.csv",
    [RESULTS_HEAD, with_field(GOOD, 1, "X\x1b]0;owned\x07")], 1, 1,
    'lab "X\\x1b]0;owned\\x07" holds an escape character at character 2')
add("c2-condition-column-with-escape.csv",
    [RESULTS_HEAD + ["un\x1b[2Jit"], GOOD + ["x"]], 1, 6,
    'column "un\\x1b[2Jit" is neither a results column nor a condition')
add("c2-labs-unknown-column-with-escape.csv",
    [LABS_HEAD + ["ro\x1b[2Jle"], LAB + ["x"]], 0, 5,
    'unknown column "ro\\x1b[2Jle" in a laboratories file')

# ---- class 3: text the workbook cannot write ----------------------------
text_cases = [
    ("name-soh", LABS_HEAD, LAB, 1, "Z\x01 Lab",
     "name holds control character U+0001 at character 2"),
    ("name-vt", LABS_HEAD, LAB, 1, "Z\x0b Lab",
     "name holds control character U+000B at character 2"),
    ("name-ff", LABS_HEAD, LAB, 1, "Z\x0c Lab",
     "name holds control character U+000C at character 2"),
    ("name-line-break", LABS_HEAD, LAB, 1, "Z\nLab",
     "name holds a line break at character 2"),
    ("name-fffe", LABS_HEAD, LAB, 1, "Z\ufffeLab",
     "name holds U+FFFE, which is not a character, at character 2"),
    ("name-257-chars", LABS_HEAD, LAB, 1, "N" * 257,
     "name is longer than 256 characters"),
    ("name-40000-chars", LABS_HEAD, LAB, 1, "N" * 40000,
     "name is longer than 256 characters"),
    ("name-zh-esc", LABS_HEAD, LAB, 2, "試驗\x1b室",
     "name_zh holds an escape character at character 3"),
    ("accreditation-bidi", LABS_HEAD, LAB, 4, "TAF\u202e0001",
     "accreditation holds bidirectional formatting U+202E at character 4"),
    ("title-soh", ROUNDS_HEAD, ROUND, 4, "A\x01 round",
     "title holds control character U+0001 at character 2"),
    ("title-300-chars", ROUNDS_HEAD, ROUND, 4, "T" * 300,
     "title is longer than 256 characters"),
    ("provider-line-break", ROUNDS_HEAD, ROUND, 5, "A\nprovider",
     "provider holds a line break at character 2"),
]
for tag, head, base, i, v, why in text_cases:
    add("c3-%s.csv" % tag, [head, with_field(base, i, v)], 1, i, why)
RH = RESULTS_HEAD + ["instrument", "analyst", "method", "remarks"]
RG = GOOD + ["XRF-1", "A.B.", "ASTM D4294", "fine"]
for tag, i, v, why in [
        ("instrument-40000-chars", 6, "I" * 40000,
         "instrument is longer than 256 characters"),
        ("instrument-soh", 6, "XRF\x01", "instrument holds control "
                                         "character U+0001 at character 4"),
        ("instrument-line-break", 6, "XRF\n1", "instrument holds a line "
                                               "break at character 4"),
        ("analyst-esc", 7, "A.\x1bB.", "analyst holds an escape character "
                                       "at character 3"),
        ("method-257-chars", 8, "M" * 257, "method is longer than 256 "
                                           "characters"),
        ("remarks-soh", 9, "ok\x01", "remarks holds control character "
                                     "U+0001 at character 3"),
        ("remarks-40000-chars", 9, "r" * 40000, "remarks is longer than "
                                                "32767 characters"),
        ("remarks-ffff", 9, "r\uffff", "remarks holds U+FFFF, which is "
                                       "not a character, at character 2")]:
    add("c3-results-%s.csv" % tag, [RH, with_field(RG, i, v)], 1, i, why)
add("c3-results-item-40000-chars.csv",
    [RESULTS_HEAD, with_field(GOOD, 3, "I" * 40000)], 1, 3,
    code_msg("item", "I" * 40000, LONG))

# ---- class 4: numbers --------------------------------------------------
RU = RESULTS_HEAD + ["U", "k", "tested_on"]
GU = GOOD + ["1.2", "2", "2025-05-01"]
for tag, i, v, why in [
        ("value-1e-400", 4, "1e-400", 'value: "1e-400" is too small for a '
                                      'double'),
        ("value-minus-1e-400", 4, "-1e-400", 'value: "-1e-400" is too small '
                                             'for a double'),
        ("value-1e-310", 4, "1e-310", 'value: "1e-310" is too small to be '
                                      'kept with its digits'),
        ("value-4.9e-324", 4, "4.9e-324", 'value: "4.9e-324" is too small '
                                          'to be kept with its digits'),
        ("U-1e-400", 6, "1e-400", 'U: "1e-400" is too small for a double'),
        ("U-1e-320", 6, "1e-320", 'U: "1e-320" is too small to be kept'),
        ("k-1e-400", 7, "1e-400", 'k: "1e-400" is too small for a double'),
        ("tested-on-2999", 8, "2999-01-01", "tested_on 2999-01-01 is in the "
                                            "future"),
        ("tested-on-2100", 8, "2100-12-31", "tested_on 2100-12-31 is in the "
                                            "future"),
        ("value-1e400", 4, "1e400", 'value: "1e400" is too large'),
        ("value-nan", 4, "nan", 'value: "nan" is not a number'),
        ("value-minus-inf", 4, "-inf", 'value: "-inf" is not a number'),
        ("value-hex", 4, "0x1p3", 'value: "0x1p3" is not a number'),
        ("value-space", 4, " 9.8", 'value: " 9.8" is not a number')]:
    add("c4-results-%s.csv" % tag, [RU, with_field(GU, i, v)], 1, i, why)
RR = RESULTS_HEAD + ["replicates"]
for tag, v, why in [
        ("abc", "9.8;abc", 'replicates: "abc" is not a number'),
        ("decimal-comma", "9,8;9,9", 'replicates: "9,8" is not a number '
                                     '(decimal comma'),
        ("empty-second", "9.8;", "replicates: empty where a number is "
                                 "needed"),
        ("empty-first", ";9.8", "replicates: empty where a number is "
                                "needed"),
        ("nan", "9.8;NaN", 'replicates: "NaN" is not a number'),
        ("1e-400", "9.8;1e-400", 'replicates: "1e-400" is too small'),
        ("space", "9.8; 9.9", 'replicates: " 9.9" is not a number'),
        ("long", "9.8;" + "9" * 100, "replicates: a value of 100 "
                                     "characters is not a number")]:
    add("c4-replicates-%s.csv" % tag, [RR, GOOD + [v]], 1, 6, why)
RX = ["round", "scheme", "measurand", "opened", "assigned", "x_pt", "u_x_pt",
      "sigma_pt"]
XR = ["ZZ-2025-X", "fuel-sulfur", "sulfur", "2025-01-10", "fixed", "10",
      "0.5", "1"]
for tag, i, v, why in [
        ("sigma-1e-310", 7, "1e-310", 'sigma_pt: "1e-310" is too small to '
                                      'be kept'),
        ("sigma-4.9e-324", 7, "4.9e-324", 'sigma_pt: "4.9e-324" is too '
                                          'small to be kept'),
        ("sigma-1e-400", 7, "1e-400", 'sigma_pt: "1e-400" is too small for '
                                      'a double'),
        ("sigma-zero", 7, "0", "sigma_pt must be positive"),
        ("sigma-minus-zero", 7, "-0", "sigma_pt must be positive"),
        ("x-pt-negative", 5, "-3", "x_pt -3 is negative, and sulfur is "
                                   "never below 0 mg/kg"),
        ("x-pt-1e-400", 5, "1e-400", 'x_pt: "1e-400" is too small for a '
                                     'double'),
        ("u-x-pt-negative", 6, "-0.1", "u_x_pt must not be negative"),
        ("u-x-pt-1e-315", 6, "1e-315", 'u_x_pt: "1e-315" is too small to be '
                                       'kept')]:
    add("c4-rounds-%s.csv" % tag, [RX, with_field(XR, i, v)], 1, i, why)

# ---- class 5: plan and corrective-action files -------------------------
add("c5-plan-extra-field.csv", [PLAN_HEAD, PLAN + ["extra"]], 1, 0,
    "row has 13 fields, the header has 12")
add("c5-plan-too-few-fields.csv", [PLAN_HEAD, PLAN[:-1]], 1, 0,
    "row has 11 fields, the header has 12")
add("c5-plan-lab-twice.csv", [PLAN_HEAD + ["lab"], PLAN + ["KH-BR"]], 0, 12,
    'column "lab" twice')
add("c5-plan-per-year-twice.csv",
    [PLAN_HEAD + ["per_year"], PLAN + ["2"]], 0, 12,
    'column "per_year" twice')
add("c5-plan-unknown-column.csv", [PLAN_HEAD + ["colour"], PLAN + ["red"]],
    0, 12, 'unknown column "colour" in a plan file')
add("c5-plan-missing-risk-column.csv",
    [PLAN_HEAD[:7] + PLAN_HEAD[8:], PLAN[:7] + PLAN[8:]], 0, 0,
    'required column "risk" is missing')
for tag, v, why in [
        ("4294967296", "4294967296", "per_year 4294967296 is outside 0.1 to "
                                     "52"),
        ("1e-30", "1e-30", "per_year 1e-30 is outside 0.1 to 52"),
        ("zero", "0", "per_year 0 is outside 0.1 to 52"),
        ("negative", "-1", "per_year -1 is outside 0.1 to 52"),
        ("53", "53", "per_year 53 is outside 0.1 to 52"),
        ("decimal-comma", "0,5", 'per_year: "0,5" is not a number (decimal '
                                 'comma'),
        ("nan", "NaN", 'per_year: "NaN" is not a number'),
        ("empty", "", "per_year is empty"),
        ("1e-400", "1e-400", 'per_year: "1e-400" is too small for a '
                             'double')]:
    add("c5-plan-per-year-%s.csv" % tag,
        [PLAN_HEAD, with_field(PLAN, 8, v)], 1, 8, why)
for tag, i, v, why in [
        ("from-leading-space", 9, " 2024", 'from " 2024" is not a year'),
        ("from-trailing-space", 9, "2024 ", 'from "2024 " is not a year'),
        ("from-decimal", 9, "2024.0", 'from "2024.0" is not a year'),
        ("from-two-digits", 9, "24", 'from "24" is not a year'),
        ("from-letters", 9, "2024a", 'from "2024a" is not a year'),
        ("from-1911", 9, "1911", 'from "1911" is not a year'),
        ("from-plus", 9, "+2024", 'from "+2024" is not a year'),
        ("to-exponent", 10, "2.027e3", 'to "2.027e3" is not a year'),
        ("to-before-from", 10, "2023", "to 2023 is before from 2024"),
        ("measurand-of-other-scheme", 5, "power_input",
         'scheme fuel-sulfur has no measurand "power_input"'),
        ("measurand-unknown", 5, "sulphur",
         'scheme fuel-sulfur has no measurand "sulphur"'),
        ("scheme-unknown", 1, "fuel-nitrogen",
         'no plug-in is loaded for scheme "fuel-nitrogen"'),
        ("lab-unknown", 0, "XX-BR", 'plan: unknown laboratory "XX-BR"'),
        ("lab-rlo", 0, "TC\u202eBR",
         code_msg("lab", "TC\u202eBR", "holds bidirectional formatting "
                                       "U+202E at character 3")),
        ("risk-bad", 7, "extreme", 'risk "extreme" is not low, medium or '
                                   'high'),
        ("technique-soh", 2, "XRF\x01", "technique holds control character "
                                        "U+0001"),
        ("technique-300-chars", 2, "T" * 300, "technique is longer than 256 "
                                              "characters"),
        ("note-esc", 11, "see \x1b[1m", "note holds an escape character"),
        ("product-empty", 4, "", "product is empty")]:
    add("c5-plan-%s.csv" % tag, [PLAN_HEAD, with_field(PLAN, i, v)], 1, i,
        why)
add("c5-plan-second-row-bad.csv",
    [PLAN_HEAD, PLAN, with_field(with_field(PLAN, 4, "petrol"), 9, "2O24")],
    2, 9, 'from "2O24" is not a year')
add_raw("c5-plan-header-only.csv", (",".join(PLAN_HEAD) + "\n").encode(),
        2, 1, "no data rows")
add("c5-capa-verifier-without-closed.csv",
    [CAPA_HEAD, with_field(CAPA, 11, "C.Y.W.")], 1, 10,
    "verified_by is given but closed is empty")
add("c5-capa-closed-without-verifier.csv",
    [CAPA_HEAD, with_field(CAPA, 10, "2025-09-01")], 1, 11,
    "closed is given but verified_by is empty")
add("c5-capa-extra-field.csv", [CAPA_HEAD, CAPA + ["x"]], 1, 0,
    "row has 13 fields, the header has 12")
add("c5-capa-lab-twice.csv", [CAPA_HEAD + ["lab"], CAPA + ["KH-BR"]], 0, 12,
    'column "lab" twice')
add("c5-capa-unknown-column.csv",
    [CAPA_HEAD + ["severity"], CAPA + ["high"]], 0, 12,
    'unknown column "severity" in a corrective-action file')
add("c5-capa-missing-due-column.csv",
    [CAPA_HEAD[:9] + CAPA_HEAD[10:], CAPA[:9] + CAPA[10:]], 0, 0,
    'required column "due" is missing')
for tag, i, v, why in [
        ("due-not-a-date", 9, "soon", 'due "soon" is not a date'),
        ("due-day-first", 9, "30-09-2025", 'due "30-09-2025" is not a date'),
        ("opened-feb-30", 8, "2025-02-30", 'opened "2025-02-30" is not a '
                                           'date'),
        ("due-before-opened", 9, "2025-07-01", "due 2025-07-01 is before "
                                               "opened 2025-08-01"),
        ("round-unknown", 0, "S-1999-X", "capa: no scored result of TC-BR"),
        ("round-65-chars", 0, "R" * 65, code_msg("round", "R" * 65, LONG)),
        ("lab-esc", 1, "TC\x1bBR",
         code_msg("lab", "TC\x1bBR", "holds an escape character")),
        ("item-bidi", 3, "D\u20669",
         code_msg("item", "D\u20669", "holds bidirectional formatting "
                                      "U+2066")),
        ("measurand-nl", 2, "sul\nfur",
         code_msg("measurand", "sul\nfur", "holds a line break")),
        ("owner-soh", 7, "Y.\x01", "owner holds control character U+0001"),
        ("root-cause-empty", 5, "", "root_cause is empty"),
        ("action-40000-chars", 6, "a" * 40000, "action is longer than 32767 "
                                               "characters"),
        ("trigger-fffe", 4, "z \ufffe", "trigger holds U+FFFE")]:
    add("c5-capa-%s.csv" % tag, [CAPA_HEAD, with_field(CAPA, i, v)], 1, i,
        why)
add_raw("c5-plan-broken-header-quote.csv",
        ('lab,scheme,"technique,property\n' + ",".join(PLAN) +
         "\n").encode(), 1, len("lab,scheme,") + 1,
        "quoted field is never closed")
add_raw("c5-capa-header-text-after-quote.csv",
        ('round,lab,"measurand"x,item\n').encode(), 1, 22,
        "text after the closing quote")
add_raw("c5-plan-bad-utf8-in-header.csv",
        b"lab,scheme,techn\xffique,property\n", 1, 17,
        "invalid UTF-8 byte 0xff")


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    names = set()
    lines = [
        "# The second bad-input corpus (issue 17), written by",
        "# tests/integrity/make_corpus2.py: each file, the exit status",
        "# `ptlims import FILE` must give on a database holding",
        "# fixtures/laboratories.csv, rounds.csv, results-s-2025-bilateral.csv",
        "# and plan.csv, and a fragment of its message (file:line:column:",
        "# reason), which must be the last line ptlims writes.  The database",
        "# must be unchanged after each.  Checked by",
        "# tests/integrity/test_corpus2.c."]
    for name, data, frag in cases:
        assert name not in names, name
        names.add(name)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        assert "\t" not in frag and "\n" not in frag, name
        lines.append("%s\t1\t%s" % (name, frag))
    with open(os.path.join(OUT, "EXPECTED.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("%d files" % len(cases))


main()
