#!/usr/bin/env bash
# The private PostgreSQL cluster the tests use, under target/test-pg (git-ignored), listening
# only on a Unix socket there. As root, the cluster belongs to the `postgres` system user,
# because PostgreSQL refuses to run as root.
#
#   scripts/test-db.sh start            create (first time) and start the cluster
#   scripts/test-db.sh stop             stop it
#   scripts/test-db.sh url [DB]         print a DATABASE_URL (default database: postgres)
#   scripts/test-db.sh recreate DB      drop and create database DB
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/target/test-pg"
data="$dir/data"
sock="$dir/run"
port=5433

bindir() {
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
  else
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1
  fi
}
BIN="$(bindir)"
[ -x "$BIN/pg_ctl" ] || { echo "test-db: no PostgreSQL binaries found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ "$(id -u)" = 0 ]; then
      install -d -o postgres -g postgres -m 700 "$data"
      install -d -o postgres -g postgres -m 755 "$sock"
    else
      install -d -m 700 "$data"; install -d -m 755 "$sock"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
    fi
    if ! as_owner "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      # fsync off: test data is disposable, and it makes per-test databases much faster.
      as_owner "$BIN/pg_ctl" -D "$data" -l "$sock/postgres.log" -w -t 60 \
        -o "-k $sock -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null
    fi
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ]; then as_owner "$BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; fi
    ;;
  url)
    echo "postgres://postgres@localhost/${2:-postgres}?host=$sock&port=$port"
    ;;
  recreate)
    db="${2:?database name}"
    psql -q -h "$sock" -p "$port" -U postgres -d postgres -c "drop database if exists \"$db\" with (force)" -c "create database \"$db\""
    ;;
  *)
    echo "usage: $0 start|stop|url [DB]|recreate DB" >&2; exit 2 ;;
esac
