#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, CI and the benchmark.
#
#   tests/pg/cluster.sh start DIR   initdb in DIR/data, start the server listening only on a unix
#                                   socket in DIR (no TCP, no system service), and print the
#                                   admin address: postgresql:///postgres?host=DIR&user=reckon_admin
#   tests/pg/cluster.sh stop DIR    stop the server and remove DIR
#   tests/pg/cluster.sh createdb DIR NAME   create database NAME and print its address
#
# As root (CI on a fresh Debian), the server runs as the `postgres` user that the Debian package
# creates (or a created `reckon-pg` user): PostgreSQL refuses to run as root. Authentication is
# `trust` on the socket only, which is why the socket lives in DIR (mode 0777 directory, private
# to this run) -- never use this for a real ledger (see docs/postgresql.md).
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop|createdb DIR [NAME]}
dir=${2:?usage: cluster.sh start|stop|createdb DIR [NAME]}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "cluster.sh: no PostgreSQL server found (install the postgresql package)" >&2; exit 1; }

# The user that owns and runs the server: the caller, or as root the `postgres` user (created
# by the Debian package) or else a created system user `reckon-pg`.
owner() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if id -u postgres >/dev/null 2>&1; then echo postgres; return; fi
  id -u reckon-pg >/dev/null 2>&1 || useradd --system --no-create-home reckon-pg
  echo reckon-pg
}
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$(owner)" -- "$@"; else "$@"; fi
}

url() { echo "postgresql:///$1?host=$dir&user=reckon_admin"; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chmod 0777 "$dir"
    mkdir -p "$dir/data"
    chown "$(owner)" "$dir/data"
    chmod 0700 "$dir/data"
    as_owner "$bin/initdb" -D "$dir/data" -U reckon_admin -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=on -c max_connections=100" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    url postgres
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  createdb)
    name=${3:?usage: cluster.sh createdb DIR NAME}
    psql -X -q -v ON_ERROR_STOP=1 "$(url postgres)" -c "CREATE DATABASE \"$name\"" >/dev/null
    url "$name"
    ;;
  *) echo "usage: cluster.sh start|stop|createdb DIR [NAME]" >&2; exit 2 ;;
esac
