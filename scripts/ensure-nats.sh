#!/usr/bin/env bash
# A throwaway NATS server with JetStream for the stream tests and the demo.
#
#   eval "$(bash scripts/ensure-nats.sh start)"   # prints the exports below on stdout
#   bash scripts/ensure-nats.sh stop "$JALUR_TEST_NATS_DIR"
#
# `start` installs Debian's nats-server when it is missing and we are root (as
# ensure-postgres.sh does for PostgreSQL), starts it with JetStream on 127.0.0.1 and a free
# private port, its store in a new temporary folder, and prints
# `export JALUR_TEST_NATS_URL=nats://127.0.0.1:PORT` and `export JALUR_TEST_NATS_DIR=…`.
# When no server can be had, it prints nothing on stdout and explains on stderr: the NATS
# tests then skip locally and fail under CI (CI=true).
set -euo pipefail

find_bin() {
  local candidate
  for candidate in /usr/sbin/nats-server /usr/bin/nats-server "$(command -v nats-server 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return
    fi
  done
}

install_if_missing() {
  if [ -n "$(find_bin)" ]; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-nats: installing nats-server" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
    # Debian's package may start its own service on 4222; ours is separate, on its own port.
  fi
  [ -n "$(find_bin)" ]
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  if ! install_if_missing; then
    echo "ensure-nats: no nats-server here (not root, or no apt-get); its tests will be skipped" >&2
    return 0
  fi
  local bin dir port
  bin=$(find_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/jalur-test-nats.XXXXXX")
  port=$(free_port)
  "$bin" -js -a 127.0.0.1 -p "$port" -sd "$dir/store" -P "$dir/pid" -l "$dir/server.log" \
    </dev/null >/dev/null 2>&1 &
  local waited=0
  until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null; do
    sleep 0.2
    waited=$((waited + 1))
    if [ "$waited" -ge 100 ]; then
      echo "ensure-nats: the server did not start (see $dir/server.log)" >&2
      stop "$dir"
      return 1
    fi
  done
  echo "export JALUR_TEST_NATS_URL='nats://127.0.0.1:$port'"
  echo "export JALUR_TEST_NATS_DIR='$dir'"
  echo "ensure-nats: nats-server with JetStream on 127.0.0.1:$port, store in $dir" >&2
}

stop() {
  local dir=${1:-}
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then return 0; fi
  if [ -f "$dir/pid" ]; then
    local pid
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
