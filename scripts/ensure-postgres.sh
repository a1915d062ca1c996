#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests that run the SQL store on PostgreSQL.
#
#   eval "$(bash scripts/ensure-postgres.sh start)"   # prints the exports below on stdout
#   bash scripts/ensure-postgres.sh stop "$JALUR_TEST_PG_DIR"
#
# `start` installs Debian's postgresql when it is missing and we are root (as ensure-java.sh does
# for Java), initialises a cluster in a new temporary folder, starts it listening on a Unix socket
# in that folder only (no TCP port, so parallel runs cannot collide), creates the database
# `jalur_test` and prints `export JALUR_TEST_PG_URL=…` and `export JALUR_TEST_PG_DIR=…`.
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user.
# When no server can be had, it prints nothing on stdout and explains on stderr: the
# PostgreSQL tests then skip locally and fail under CI (CI=true).
set -euo pipefail

find_bin() {
  # Debian keeps the server tools in /usr/lib/postgresql/NN/bin, off PATH; prefer the newest.
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
    "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/createdb" ]; then
      echo "$dir"
      return
    fi
  done
}

install_if_missing() {
  if [ -n "$(find_bin)" ]; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: installing postgresql" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # Debian's package starts its own cluster; ours is separate, so that one may keep running.
  fi
  [ -n "$(find_bin)" ]
}

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if ! install_if_missing; then
    echo "ensure-postgres: no PostgreSQL here (not root, or no apt-get); its tests will be skipped" >&2
    return 0
  fi
  local bin dir
  bin=$(find_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/jalur-test-pg.XXXXXX")
  if [ "$(id -u)" = "0" ]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null
  if ! as_owner "$bin/createdb" -h "$dir" -U postgres jalur_test; then
    stop "$dir"
    echo "ensure-postgres: could not create the test database" >&2
    return 1
  fi
  echo "export JALUR_TEST_PG_URL='postgresql://postgres@/jalur_test?host=$dir'"
  echo "export JALUR_TEST_PG_DIR='$dir'"
  echo "ensure-postgres: PostgreSQL running for the tests in $dir" >&2
}

stop() {
  local dir=${1:-}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then return 0; fi
  local bin
  bin=$(find_bin)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
