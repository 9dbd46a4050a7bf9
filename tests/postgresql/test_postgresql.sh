#!/bin/sh
# test_postgresql.sh -- CREATE EXTENSION ptlims and the head office's
# record against a real PostgreSQL server, started for the test and thrown
# away.  Run by tests/run.sh from the top of the repository, with
# PTLIMS_BUILD naming the build directory; PG_CONFIG names the server
# (default pg_config), and $PTLIMS_BUILD/postgresql/NN/ptlims.so is the
# extension built for its major version NN.
#
# * Nothing is installed on the machine: the server's programs are copied,
#   and its share and lib directories linked file by file, into a
#   temporary tree that has the extension added (a PostgreSQL server finds
#   its files relative to its own program).
# * initdb refuses root: as root the cluster belongs to `nobody`, and
#   everything it reads is copied into the temporary folder it owns;
#   otherwise to the current user.
# * The server listens on a Unix socket in that folder only
#   (listen_addresses ''), so a server already running on the machine does
#   not matter; it is stopped and the folder removed on exit.
# * Tests: pg_regress over sql/*.sql against expected/*.out (one test each,
#   the E.3 atrazine values, NULLs and empty groups, scores, parallel
#   aggregation, window use); the aggregates against `ptlims stats --json`;
#   the head office: the demo record loaded with
#   schemas/postgresql/load-sqlite.sh and hq_consensus.sql against
#   `ptlims scores --json` (and shown in the README), loaded twice
#   without doubling; only the SQL functions exported by ptlims.so.
#
# Prints cmocka's summary lines, which tests/run.sh counts.  A server that
# cannot be found or started is a failure, never a skip.
set -u
umask 022

top=$(pwd)
build=${PTLIMS_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
pg_config=${PG_CONFIG:-pg_config}
here=$top/tests/postgresql
regress_tests="extension annex_e3 nulls_empty scores parallel window"
round=S-2025-PT1

passed=0
failed=0
failures=""
tmp=""

pass() {
    echo "[       OK ] $1"
    passed=$((passed + 1))
}

fail() {
    echo "[  FAILED  ] $1"
    failed=$((failed + 1))
    failures="$failures $1"
}

summary() {
    echo "[==========] $((passed + failed)) test(s) run."
    echo "[  PASSED  ] $passed test(s)."
    if [ "$failed" -gt 0 ]; then
        echo "[  FAILED  ] $failed test(s), listed below:"
        for f in $failures; do
            echo "[  FAILED  ] $f"
        done
    fi
}

# A failure that stops the run: the server is missing or does not start.
die() {
    echo "test_postgresql: $*"
    fail setup
    summary
    exit 1
}

# ---- The server's files and the temporary tree ---------------------------

command -v "$pg_config" >/dev/null 2>&1 ||
    die "$pg_config not found: make deps installs postgresql-15 and" \
        "postgresql-server-dev-15"
bindir=$("$pg_config" --bindir)
sharedir=$("$pg_config" --sharedir)
pkglibdir=$("$pg_config" --pkglibdir)
for p in postgres initdb pg_ctl psql; do
    [ -x "$bindir/$p" ] || die "$bindir/$p not found: install the server"
done
pg_regress=$pkglibdir/pgxs/src/test/regress/pg_regress
[ -x "$pg_regress" ] || die "$pg_regress not found: install the server's" \
    "development files"
major=$("$pg_config" --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
ext=$build/postgresql/$major/ptlims.so
[ -f "$ext" ] || die "$ext not built (make postgresql)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"

if [ "$(id -u)" = 0 ]; then
    user=nobody
    as_user() { runuser -u "$user" -- env TMPDIR="$tmp/t" "$@"; }
else
    user=$(id -un)
    as_user() { env TMPDIR="$tmp/t" "$@"; }
fi

# a short path: the socket's full name must fit in 107 bytes
tmp=$(mktemp -d /tmp/ptlims-pg.XXXXXX) || die "mktemp failed"
ibin=$tmp/inst$bindir
sock=$tmp/sock
stop_server() {
    if [ -f "$tmp/data/postmaster.pid" ]; then
        as_user "$ibin/pg_ctl" -D "$tmp/data" -m immediate -w stop \
            >/dev/null 2>&1
    fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

mkdir -p "$ibin" "$tmp/inst$sharedir/extension" "$tmp/inst$pkglibdir" \
    "$tmp/t" "$sock" "$tmp/regress" "$tmp/work" "$tmp/hq/loader" ||
    die "mkdir failed"
for p in postgres initdb pg_ctl; do
    cp "$bindir/$p" "$ibin/" || die "cannot copy $bindir/$p"
done
for f in "$sharedir"/*; do
    [ "${f##*/}" = extension ] || ln -s "$f" "$tmp/inst$sharedir/"
done
for f in "$sharedir"/extension/*; do
    [ -e "$f" ] && ln -s "$f" "$tmp/inst$sharedir/extension/"
done
for f in "$pkglibdir"/*; do
    ln -s "$f" "$tmp/inst$pkglibdir/"
done
cp plugins/postgresql/ptlims.control plugins/postgresql/ptlims--*.sql \
    "$tmp/inst$sharedir/extension/" &&
    cp "$ext" "$tmp/inst$pkglibdir/" &&
    cp -R "$here/sql" "$here/expected" "$tmp/regress/" &&
    cp "$here/hq_consensus.sql" "$tmp/hq/" &&
    cp schemas/postgresql/record.sql schemas/postgresql/load-sqlite.sh \
        schemas/postgresql/load-sqlite.sql "$tmp/hq/loader/" ||
    die "cannot copy the test's files"

# ---- What ptlims itself computes (as the invoking user) ------------------

printf '%s\n' 0.040 0.055 0.178 0.202 0.206 0.227 0.228 0.230 0.230 0.235 \
    0.236 0.237 0.243 0.244 0.245 0.2555 0.260 0.264 0.267 0.270 0.273 \
    0.274 0.274 0.278 0.2811 0.287 0.287 0.288 0.289 0.295 0.296 0.311 \
    0.331 0.4246 > "$tmp/work/e3.txt"
"$build/ptlims" --plugin-dir "$build/plugins" stats --json "$tmp/work/e3.txt" \
    > "$tmp/work/e3.json" 2> "$tmp/work/e3.err" ||
    die "ptlims stats failed: $(cat "$tmp/work/e3.err")"
"$build/ptlims" --plugin-dir "$build/plugins" --db "$tmp/hq/branch.db" \
    demo --fixtures fixtures --lab TC-BR --ref OIL-REF \
    --out "$tmp/hq/audit.xlsx" > "$tmp/hq/demo.log" 2>&1 ||
    die "ptlims demo failed: $(cat "$tmp/hq/demo.log")"
# a result the branch voided counts nowhere: not in its evaluation, and
# not loaded at headquarters
"$build/ptlims" --plugin-dir "$build/plugins" --db "$tmp/hq/branch.db" \
    void result "$round/L08/sulfur/PT-25-2" --reason "sample mix-up" \
    > "$tmp/hq/void.log" 2>&1 &&
"$build/ptlims" --plugin-dir "$build/plugins" --db "$tmp/hq/branch.db" \
    evaluate "$round" >> "$tmp/hq/void.log" 2>&1 ||
    die "ptlims void failed: $(cat "$tmp/hq/void.log")"
"$build/ptlims" --plugin-dir "$build/plugins" --db "$tmp/hq/branch.db" \
    scores --json > "$tmp/hq/scores.json" 2> "$tmp/hq/scores.err" ||
    die "ptlims scores failed: $(cat "$tmp/hq/scores.err")"

[ "$(id -u)" = 0 ] && { chown -hR "$user:" "$tmp" || die "chown failed"; }

# ---- The cluster ----------------------------------------------------------

as_user "$ibin/initdb" -D "$tmp/data" -U ptlims -A trust -E UTF8 \
    --locale=C --no-sync > "$tmp/t/initdb.log" 2>&1 ||
    die "initdb failed: $(cat "$tmp/t/initdb.log")"
cat >> "$tmp/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$sock'
port = 5432
fsync = off
jit = off
max_worker_processes = 8
max_parallel_workers = 8
EOF
as_user "$ibin/pg_ctl" -D "$tmp/data" -l "$tmp/t/server.log" -w -t 60 \
    start > /dev/null 2>&1 ||
    die "the server did not start: $(cat "$tmp/t/server.log")"

psql_as() {
    as_user "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p 5432 \
        -U ptlims "$@"
}

# ---- pg_regress ------------------------------------------------------------

# shellcheck disable=SC2086
as_user "$pg_regress" --inputdir="$tmp/regress" --outputdir="$tmp/regress" \
    --bindir="$bindir" --host="$sock" --port=5432 --user=ptlims \
    --dbname=ptlims_regress $regress_tests > "$tmp/t/regress.log" 2>&1
cat "$tmp/t/regress.log"
for t in $regress_tests; do
    # "test NAME ... ok" (PostgreSQL 13 to 15), "ok N - NAME" (16 and later)
    if grep -E "(^test +$t +\.\.\. +ok|^ok +[0-9]+ +[-+] +$t( |$))" \
        "$tmp/t/regress.log" > /dev/null; then
        pass "pg_regress_$t"
    else
        fail "pg_regress_$t"
    fi
done
[ -f "$tmp/regress/regression.diffs" ] && cat "$tmp/regress/regression.diffs"

# ---- The aggregates agree with ptlims stats on E.3 -----------------------

if psql_as -d postgres -c 'CREATE DATABASE stats' &&
    psql_as -d stats -c 'CREATE EXTENSION ptlims' &&
    (cd "$tmp/work" && psql_as -d stats -At -F ' ' <<'EOF' > "$tmp/work/e3.pg"
SET extra_float_digits = 3;
CREATE TEMP TABLE e3 (x float8);
\copy e3 FROM 'e3.txt'
SELECT 'median', pt_median(x) FROM e3 UNION ALL
SELECT 'made', pt_made(x) FROM e3 UNION ALL
SELECT 'niqr', pt_niqr(x) FROM e3 UNION ALL
SELECT 'alga_x', pt_alga_x(x) FROM e3 UNION ALL
SELECT 'alga_s', pt_alga_s(x) FROM e3 UNION ALL
SELECT 'alga_u', pt_alga_u(x) FROM e3 UNION ALL
SELECT 'qn', pt_qn(x) FROM e3 UNION ALL
SELECT 'qmethod_s', pt_qhampel_s(x) FROM e3 UNION ALL
SELECT 'hampel_x', pt_qhampel_x(x) FROM e3 UNION ALL
SELECT 'qhampel_u', pt_qhampel_u(x) FROM e3;
EOF
    ) &&
    python3 - "$tmp/work/e3.json" "$tmp/work/e3.pg" <<'EOF'
import json, sys
want = json.load(open(sys.argv[1]))
got = dict(l.split() for l in open(sys.argv[2]) if l.strip())
bad = 0
for key, text in got.items():
    w, g = want[key], float(text)
    if abs(g - w) > 1e-12 * abs(w):
        print(f"{key}: PostgreSQL {g!r}, ptlims stats {w!r}")
        bad += 1
if len(got) != 10:
    print(f"{len(got)} of 10 statistics computed")
    bad += 1
sys.exit(bad > 0)
EOF
then
    pass aggregates_agree_with_ptlims_stats
else
    fail aggregates_agree_with_ptlims_stats
fi

# ---- The head office: the demo record, one SELECT, ptlims's scores -------

load() {
    as_user env PGHOST="$sock" PGPORT=5432 PGUSER=ptlims PGDATABASE=hq \
        sh "$tmp/hq/loader/load-sqlite.sh" --site taichung \
        "$tmp/hq/branch.db"
}

# compare.py SCORES.json CONSENSUS.pg ROUND: PostgreSQL's consensus and z
# of every laboratory equal ptlims's
cat > "$tmp/hq/compare.py" <<'EOF'
import json, sys
round_ = sys.argv[3]
want = {s["lab"]: s for s in json.load(open(sys.argv[1]))
        if s["round"] == round_}
got = {}
for line in open(sys.argv[2]):
    lab, value, x_pt, u_x_pt, sigma_pt, z, cls = line.split()
    got[lab] = (float(x_pt), float(u_x_pt), float(z), cls)
bad = 0
if not want or sorted(want) != sorted(got):
    print(f"laboratories: PostgreSQL {sorted(got)}, ptlims {sorted(want)}")
    bad += 1
for lab in sorted(set(want) & set(got)):
    w, (x_pt, u_x_pt, z, cls) = want[lab], got[lab]
    for name, g, e in (("x_pt", x_pt, w["x_pt"]), ("u_x_pt", u_x_pt,
                       w["u_x_pt"]), ("z", z, w["z"])):
        if abs(g - e) > 1e-12 * max(1.0, abs(e)):
            print(f"{lab} {name}: PostgreSQL {g!r}, ptlims {e!r}")
            bad += 1
    if w["scored_by"] != "z" or cls != w["class"]:
        print(f"{lab}: PostgreSQL {cls} by z, ptlims {w['class']} by "
              f"{w['primary']}")
        bad += 1
print(f"{len(got)} laboratories of {round_} compared")
sys.exit(bad > 0)
EOF

consensus() {
    (cd "$tmp/hq" && psql_as -d hq -At -F ' ' -v round="$round" \
        -c 'SET extra_float_digits = 3' -f hq_consensus.sql)
}

if psql_as -d postgres -c 'CREATE DATABASE hq' &&
    psql_as -d hq -c 'CREATE EXTENSION ptlims' &&
    load > "$tmp/hq/load1.log" 2>&1 &&
    grep -q ' added, 0 already here, 0 conflicts$' "$tmp/hq/load1.log" &&
    consensus > "$tmp/hq/consensus.pg" &&
    python3 "$tmp/hq/compare.py" "$tmp/hq/scores.json" "$tmp/hq/consensus.pg" \
        "$round"
then
    pass hq_consensus_and_z_equal_ptlims_evaluate
else
    cat "$tmp/hq/load1.log"
    fail hq_consensus_and_z_equal_ptlims_evaluate
fi

if load > "$tmp/hq/load2.log" 2>&1 &&
    grep -q ': \([0-9]*\) records: 0 added, \1 already here, 0 conflicts$' \
        "$tmp/hq/load2.log" &&
    [ "$(psql_as -d hq -At -c 'SELECT count(*) FROM ptlims.result')" = \
        "$(sqlite3 "$tmp/hq/branch.db" 'SELECT count(*) FROM result WHERE
            id NOT IN (SELECT row_id FROM voided WHERE kind = '"'result'"')')" ] &&
    [ "$(psql_as -d hq -At -c "SELECT count(*) FROM ptlims.result r JOIN
            ptlims.laboratory l ON l.id = r.lab_id WHERE l.code = 'L08'")" = 0 ]
then
    pass hq_load_again_adds_nothing
else
    cat "$tmp/hq/load2.log"
    fail hq_load_again_adds_nothing
fi

# A result loaded before the branch voided it is marked voided here: the
# next load adds the void (who, when, why), and the consensus over what
# counts equals the branch's evaluation without it (L23, the low outlier)
"$build/ptlims" --plugin-dir "$build/plugins" --db "$tmp/hq/branch.db" \
    void result "$round/L23/sulfur/PT-25-2" --reason "bottle leaked" \
    --by "QA" > "$tmp/hq/void2.log" 2>&1 &&
"$build/ptlims" --plugin-dir "$build/plugins" --db "$tmp/hq/branch.db" \
    evaluate "$round" >> "$tmp/hq/void2.log" 2>&1 &&
"$build/ptlims" --plugin-dir "$build/plugins" --db "$tmp/hq/branch.db" \
    scores --json > "$tmp/hq/scores2.json" 2>> "$tmp/hq/void2.log" ||
    die "ptlims void failed: $(cat "$tmp/hq/void2.log")"
[ "$(id -u)" = 0 ] && { chown -hR "$user:" "$tmp/hq" || die "chown failed"; }
if load > "$tmp/hq/load3.log" 2>&1 &&
    grep -q ': \([0-9]*\) records: 1 added, [0-9]* already here, 0 conflicts$' \
        "$tmp/hq/load3.log" &&
    [ "$(psql_as -d hq -At -F '|' -c "SELECT kind, key, voided_by, reason,
            site FROM ptlims.voided")" = \
        "result|$round/L23/sulfur/PT-25-2|QA|bottle leaked|taichung" ] &&
    consensus > "$tmp/hq/consensus2.pg" &&
    python3 "$tmp/hq/compare.py" "$tmp/hq/scores2.json" \
        "$tmp/hq/consensus2.pg" "$round" &&
    ! grep -q '^L23 ' "$tmp/hq/consensus2.pg" &&
    load > "$tmp/hq/load4.log" 2>&1 &&
    grep -q ': \([0-9]*\) records: 0 added, \1 already here, 0 conflicts$' \
        "$tmp/hq/load4.log"
then
    pass hq_marks_a_result_voided_after_it_was_loaded
else
    cat "$tmp/hq/load3.log" "$tmp/hq/load4.log" 2>/dev/null
    fail hq_marks_a_result_voided_after_it_was_loaded
fi

# The README shows the very query the test runs.
if python3 - "$here/hq_consensus.sql" README.md "$round" <<'EOF'
import sys
query = "".join(l for l in open(sys.argv[1]) if not l.startswith("--"))
query = query.replace(":'round'", "'" + sys.argv[3] + "'")
sys.exit(query not in open(sys.argv[2]).read())
EOF
then
    pass readme_shows_the_hq_query
else
    echo "README.md does not show tests/postgresql/hq_consensus.sql"
    fail readme_shows_the_hq_query
fi

# ---- Only the SQL functions leave the module -----------------------------

extra=$(nm -D --defined-only "$ext" | awk '{ print $3 }' |
    grep -v -E '^(Pg_magic_func|_PG_init|pg_finfo_pt_pg_[a-z_]+|pt_pg_[a-z_]+)$')
if [ -z "$extra" ] && nm -D --defined-only "$ext" | grep -q pt_pg_median_final
then
    pass only_sql_functions_exported
else
    echo "exported besides the SQL functions: $extra"
    fail only_sql_functions_exported
fi

summary
[ "$failed" -eq 0 ]
