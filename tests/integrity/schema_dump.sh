#!/bin/sh
# schema_dump.sh PTLIMS: the schema of a new ptlims database, as
# schemas/CURRENT.sql holds it.  PTLIMS is the command that runs ptlims
# (with its --plugin-dir); the database is made in a temporary folder.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$1 --db "$tmp/new.db" init >/dev/null
version=$(sqlite3 "$tmp/new.db" 'PRAGMA user_version')
echo "-- schemas/CURRENT.sql: the schema a new database has, schema version"
echo "-- $version, as replaying the numbered migrations gives it.  Made by"
echo "-- \`make schema\`; tests/integrity/test_schema.c checks it.  Read it"
echo "-- here; change the schema with a new numbered migration."
sqlite3 -batch "$tmp/new.db" \
    "SELECT char(10) || sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL
     AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
