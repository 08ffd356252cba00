#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and for trying PeopleAdmin on PostgreSQL.
#
#   tests/postgres/cluster.sh start DIR [--durable]
#       makes a cluster in DIR (new or empty) on a free port, starts it and prints its Npgsql connection string
#       (database "peopleadmin"). Without --durable it skips fsync, which the tests do not need; measurements use
#       --durable, PostgreSQL's own defaults.
#   tests/postgres/cluster.sh stop DIR    stops it and removes DIR
#
# The server refuses to run as root: as root the cluster belongs to the "postgres" user, otherwise to whoever runs
# this. It listens on 127.0.0.1 only and trusts every local connection, so it is for tests, never for data.
set -euo pipefail

bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [[ -z $bin || ! -x $bin/initdb ]]; then
  echo "PostgreSQL's server is not installed (Debian: apt-get install postgresql), or set PG_BIN to its bin folder." >&2
  exit 1
fi

usage() { echo "usage: $0 start DIR [--durable] | stop DIR" >&2; exit 2; }
[[ $# -eq 2 || ($# -eq 3 && $1 == start && $3 == --durable) ]] || usage
command=$1
dir=$2
durability="-c fsync=off -c full_page_writes=off"
[[ ${3:-} == --durable ]] && durability=""

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case $command in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 $durability" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres peopleadmin
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=peopleadmin"
    ;;
  stop)
    [[ -d $dir ]] || exit 0
    if [[ -f $dir/data/postmaster.pid ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
