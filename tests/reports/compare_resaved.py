#!/usr/bin/env python3
"""An independent oracle: the same workbook after LibreOffice has opened
and saved it again must hold the same values.

usage: compare_resaved.py ORIGINAL.xlsx RESAVED.xlsx

Every sheet of the original, every cell with a value: the re-saved cell
holds the same value (numbers to 1e-12 relative, so that a decimal
round trip counts; text exactly; dates as dates) and a formula stays the
same formula.  Prints "ok" and exits 0, or lists the differences and
exits 1.
"""
import datetime
import sys

import openpyxl


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    if isinstance(a, datetime.datetime) and isinstance(b, datetime.datetime):
        return a == b
    return a == b


def main(argv):
    orig = openpyxl.load_workbook(argv[1])
    again = openpyxl.load_workbook(argv[2])
    problems = []
    if orig.sheetnames != again.sheetnames:
        problems.append("sheets: %r, re-saved %r"
                        % (orig.sheetnames, again.sheetnames))
    for name in orig.sheetnames:
        if name not in again.sheetnames:
            continue
        a, b = orig[name], again[name]
        cells = 0
        for row in a.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                cells += 1
                v = b[c.coordinate].value
                if not same(c.value, v):
                    problems.append("%s!%s: %r, re-saved %r"
                                    % (name, c.coordinate, c.value, v))
        if cells == 0:
            problems.append("%s: no values" % name)
    for p in problems[:50]:
        print(p)
    if problems:
        print("%d differences" % len(problems))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
