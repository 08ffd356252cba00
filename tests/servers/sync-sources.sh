#!/usr/bin/env bash
# Throwaway source databases for the database sync tests: a PostgreSQL and a MariaDB server on free ports,
# each with a database "source" and a password user "peopleadmin" (who may not connect to the database "locked"),
# all in one folder.
#
#   tests/servers/sync-sources.sh start [dir]   installs what is missing (as root, Debian), starts both, prints
#                                               the environment the tests read (eval it)
#   tests/servers/sync-sources.sh stop [dir]    stops both and removes the folder
#
# The tests start the servers themselves through this script when PEOPLEADMIN_SYNC_SOURCES is not set.
set -euo pipefail

command=${1:-}
dir=${2:-${TMPDIR:-/tmp}/peopleadmin-sync-sources}
password=peopleadmin-sync-test

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_missing() {
  local missing=()
  [[ -n $(pg_bin) ]] || missing+=(postgresql)
  command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server)
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} with apt-get" >&2
  apt-get update -qq >&2
  # The packages' own services stay off: only the throwaway servers below run.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

start() {
  install_missing
  stop_servers
  rm -rf "$dir"
  mkdir -p "$dir"

  local bin pg_port my_port
  bin=$(pg_bin)
  pg_port=$(free_port)
  mkdir -p "$dir/pg"
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user when there is one.
  local run=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$dir/pg"
    chmod 755 "$dir"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/pg/data" -A trust -U postgres >/dev/null
  printf "host all all 127.0.0.1/32 scram-sha-256\n" > "$dir/pg/hba"
  "${run[@]}" sh -c "cat '$dir/pg/hba' '$dir/pg/data/pg_hba.conf' > '$dir/pg/data/pg_hba.new' && mv '$dir/pg/data/pg_hba.new' '$dir/pg/data/pg_hba.conf'"
  "${run[@]}" "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
  "$bin/psql" -h "$dir/pg" -p "$pg_port" -U postgres -q -v ON_ERROR_STOP=1 <<SQL
create database source;
create database locked;
revoke connect on database locked from public;
create role peopleadmin login password '$password';
grant connect on database source to peopleadmin;
\c source
grant all on schema public to peopleadmin;
SQL

  my_port=$(free_port)
  mkdir -p "$dir/my"
  mariadb-install-db --datadir="$dir/my/data" --user=root --auth-root-authentication-method=socket >/dev/null 2>&1
  mariadbd --datadir="$dir/my/data" --socket="$dir/my/s" --port="$my_port" --bind-address=127.0.0.1 --skip-name-resolve \
    --user=root --pid-file="$dir/my/pid" --log-error="$dir/my/log" --innodb-flush-log-at-trx-commit=0 >/dev/null 2>&1 &
  for _ in $(seq 1 100); do [[ -S $dir/my/s ]] && break; sleep 0.1; done
  [[ -S $dir/my/s ]] || { echo "MariaDB did not start; see $dir/my/log" >&2; exit 1; }
  mariadb --socket="$dir/my/s" -uroot <<SQL
create database source;
create database locked;
create user 'peopleadmin'@'%' identified by '$password';
grant all on source.* to 'peopleadmin'@'%';
SQL

  cat > "$dir/env" <<ENV
export PEOPLEADMIN_SYNC_SOURCES=$dir
export PEOPLEADMIN_SYNC_POSTGRES_PORT=$pg_port
export PEOPLEADMIN_SYNC_MYSQL_PORT=$my_port
export PEOPLEADMIN_SYNC_PASSWORD=$password
ENV
  cat "$dir/env"
}

stop_servers() {
  local bin
  bin=$(pg_bin)
  if [[ -f $dir/pg/data/postmaster.pid && -n $bin ]]; then
    if [[ $(id -u) -eq 0 ]]; then
      runuser -u postgres -- "$bin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
    else
      "$bin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
    fi
  fi
  if [[ -S $dir/my/s ]]; then
    mariadb-admin --socket="$dir/my/s" -uroot shutdown >/dev/null 2>&1 || true
  fi
}

case $command in
  start) start ;;
  stop) stop_servers; rm -rf "$dir" ;;
  *) echo "usage: $0 start|stop [dir]" >&2; exit 2 ;;
esac
