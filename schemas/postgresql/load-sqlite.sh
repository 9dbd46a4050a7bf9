#!/bin/sh
# load-sqlite.sh -- load branch laboratories' ptlims databases (SQLite)
# into the PostgreSQL record of record.sql, at a head office.
#
#   load-sqlite.sh [-d CONNINFO] [--site NAME] BRANCH.db [BRANCH.db ...]
#
# The connection is psql's: -d, or PGHOST, PGPORT, PGDATABASE, PGUSER.
# record.sql (next to this script) is applied first, so an empty database
# is fine.  Each file is read with the sqlite3 shell (CSV, every REAL with
# 17 significant digits, so each value arrives bit for bit) and loaded in
# one transaction: all of it or nothing.  Records are matched by their
# natural keys; a record already here is kept as it is, and one that
# differs from the file is reported as a conflict (the head office
# resolves it).  --site names the branch (default: the file name without
# its extension); it is stored with every result and in ptlims.load.
# Prints one line per file; exit status 0, 1 for a usage error or a file
# that could not be loaded (nothing of that file is kept).
set -eu

usage() {
    echo "usage: load-sqlite.sh [-d CONNINFO] [--site NAME] BRANCH.db..." >&2
    exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
schema=$here/record.sql
[ -r "$schema" ] || { echo "load-sqlite.sh: $schema not found" >&2; exit 1; }

conninfo=
site=
while [ $# -gt 0 ]; do
    case $1 in
    -d) [ $# -ge 2 ] || usage; conninfo=$2; shift 2 ;;
    --site) [ $# -ge 2 ] || usage; site=$2; shift 2 ;;
    --site=*) site=${1#--site=}; shift ;;
    -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || usage

psql_run() {
    if [ -n "$conninfo" ]; then
        psql -X -q -v ON_ERROR_STOP=1 -d "$conninfo" "$@"
    else
        psql -X -q -v ON_ERROR_STOP=1 "$@"
    fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptlims-load.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# A REAL column as text that reads back to the same double; NULL stays NULL.
real() {
    echo "CASE WHEN $1 IS NULL THEN NULL ELSE printf('%!.17g', $1) END"
}

# dump FILE NAME QUERY: the query's rows as CSV in $tmp/NAME.csv
dump() {
    sqlite3 -bail -csv -header -nullvalue '\N' "$1" "$3" > "$tmp/$2.csv" || {
        echo "load-sqlite.sh: $1: not read as a ptlims database" >&2
        exit 1
    }
}

psql_run -c 'SET client_min_messages = warning' -f "$schema"

for db in "$@"; do
    [ -r "$db" ] || { echo "load-sqlite.sh: cannot read $db" >&2; exit 1; }
    name=${site:-$(basename "$db" | sed 's/\.[^.]*$//')}
    # results voided, or of a voided round (schema 012), count nowhere:
    # headquarters does not load them
    # headquarters does not load them; one loaded before it was voided is
    # marked voided there (ptlims.voided)
    counts="1"
    voids="SELECT NULL AS kind, NULL AS key, NULL AS at, NULL AS voided_by,
                  NULL AS reason WHERE 0"
    if [ "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE
            type = 'table' AND name = 'voided'" 2>/dev/null)" = 1 ]; then
        counts="NOT EXISTS (SELECT 1 FROM voided v WHERE (v.kind = 'result'
                AND v.row_id = r.id) OR (v.kind = 'round'
                AND v.row_id = r.round_id))"
        voids="SELECT 'round' AS kind, o.code AS key, v.at, v.voided_by,
                      v.reason
                 FROM voided v JOIN round o ON o.id = v.row_id
                WHERE v.kind = 'round'
               UNION ALL
               SELECT 'result', o.code || '/' || l.code || '/' ||
                      r.measurand || '/' || r.item, min(v.at), v.voided_by,
                      v.reason
                 FROM voided v JOIN result r ON r.id = v.row_id
                 JOIN round o ON o.id = r.round_id
                 JOIN laboratory l ON l.id = r.lab_id
                WHERE v.kind = 'result'
                GROUP BY o.code, l.code, r.measurand, r.item"
    fi
    dump "$db" laboratory \
        "SELECT code, name, name_zh, role, accreditation FROM laboratory"
    dump "$db" scheme \
        "SELECT code, name_en, name_zh, plugin_version FROM scheme"
    dump "$db" round \
        "SELECT r.code, s.code AS scheme, r.type, r.title, r.provider,
                r.provider_accreditation, r.opened, r.closed,
                l.code AS reference_lab, r.status
           FROM round r JOIN scheme s ON s.id = r.scheme_id
           LEFT JOIN laboratory l ON l.id = r.reference_lab_id"
    dump "$db" round_measurand \
        "SELECT r.code AS round, m.measurand, m.unit, m.assigned,
                $(real m.x_pt), $(real m.u_x_pt), $(real m.sigma_pt),
                m.sigma_pt_basis, m.matrix, m.estimator, m.sigma_pt_method,
                m.override_reason
           FROM round_measurand m JOIN round r ON r.id = m.round_id"
    dump "$db" result \
        "SELECT o.code AS round, l.code AS lab, r.measurand, r.item,
                r.value_text, r.unit_text, $(real r.value), r.U_text,
                $(real r.U), $(real r.k), r.method, r.instrument, r.analyst,
                r.tested_on, r.remarks, r.version, r.reason, r.source
           FROM result r JOIN round o ON o.id = r.round_id
           JOIN laboratory l ON l.id = r.lab_id WHERE $counts"
    dump "$db" result_condition \
        "SELECT o.code AS round, l.code AS lab, r.measurand, r.item,
                r.version, c.name, c.value
           FROM result_condition c JOIN result r ON r.id = c.result_id
           JOIN round o ON o.id = r.round_id
           JOIN laboratory l ON l.id = r.lab_id WHERE $counts"
    dump "$db" voided "$voids"
    (cd "$tmp" && psql_run -At --single-transaction -v site="$name" \
        -v file="$db" -f "$here/load-sqlite.sql") || {
        echo "load-sqlite.sh: $db: not loaded" >&2
        exit 1
    }
done
