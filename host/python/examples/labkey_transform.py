#!/usr/bin/env python3
"""labkey_transform.py -- a LabKey assay transform script: scores a
proficiency-testing round with ptlims.stats as the results are imported.

Attach it to an assay design whose results have the columns `lab` and
`value` (and optionally `U`, the expanded uncertainty with k = 2) and whose
run properties have `sigma_pt`.  LabKey replaces ${runInfo} below with the
path of runProperties.tsv (property, value, type, transformed-data path;
tab separated).  The script reads the run's data file, takes the
assigned value as ISO 13528 Algorithm A over the round's values (u(x_pt) =
1.25 s*/sqrt(p)), and writes the rows back with the columns x_pt, u_x_pt,
z, z_prime, zeta, En and verdict added.  A refusal of ptlims (a value that
is not a number, too few results) goes to the run's errors file and the
import stops.

Run by hand: python3 labkey_transform.py runProperties.tsv
"""

import csv
import sys

import ptlims.stats

RUN_INFO = "${runInfo}"


def run_properties(path):
    """name -> (value, type, transformed path) of runProperties.tsv."""
    props = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if row:
                props[row[0]] = (row + ["", "", ""])[1:4]
    return props


def number(text, where):
    try:
        return float(text)
    except ValueError:
        raise ValueError('%s: "%s" is not a number' % (where, text)) \
            from None


def transform(props):
    data_in, _, data_out = props["runDataFile"]
    sigma_pt = number(props["sigma_pt"][0], "run property sigma_pt")
    with open(data_in, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t")
        fields = list(reader.fieldnames)
        rows = list(reader)
    results = []
    for line, row in enumerate(rows, start=2):
        where = "%s:%d" % (data_in, line)
        U = row.get("U") or None
        results.append((row["lab"], number(row["value"], where),
                        None if U is None else number(U, where)))
    consensus = ptlims.stats.summary([r[1] for r in results],
                                     estimators=["alga_x", "alga_u"])
    if consensus["alga_x"] is None:
        raise ValueError("%s: %d results, Algorithm A needs 3 or more that "
                         "are not all equal" % (data_in, len(rows)))
    x_pt, u_x_pt = consensus["alga_x"], consensus["alga_u"]
    scores = ptlims.stats.scores(results, x_pt, u_x_pt, sigma_pt)
    added = ["x_pt", "u_x_pt", "z", "z_prime", "zeta", "En", "verdict"]
    with open(data_out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fields + added, delimiter="\t")
        writer.writeheader()
        for row, score in zip(rows, scores):
            row.update({k: score[k] for k in added[2:]})
            row.update(x_pt=repr(x_pt), u_x_pt=repr(u_x_pt))
            writer.writerow({k: "" if v is None else v
                             for k, v in row.items()})


def main():
    path = sys.argv[1] if RUN_INFO.startswith("$") else RUN_INFO
    props = run_properties(path)
    try:
        transform(props)
    except (ptlims.Error, ValueError) as e:
        with open(props["errorsFile"][0], "a", encoding="utf-8") as f:
            f.write("error\t%s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
