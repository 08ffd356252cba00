#!/usr/bin/env bash
# Identify over HTTP on one PostgreSQL: one instance, then two instances of one deployment (one database, one data
# folder) each given half the connections, then pgbench's simple-update on the same server as the ceiling.
# Usage: tests/load/run-instances.sh [connections] [seconds]   (LOAD_WARMUP: seconds of load before each run, default 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-64}
seconds=${2:-20}
half=$(( connections / 2 ))
warmup=${LOAD_WARMUP:-20}
out=${LOAD_OUT:-/tmp/peopleadmin-instances}
ports=(${LOAD_PORT:-5191} $(( ${LOAD_PORT:-5191} + 1 )))
rm -rf "$out"
mkdir -p "$out"
dotnet publish src/PeopleAdmin.Web -c Release -o "$out/app" -nologo -clp:ErrorsOnly > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }
database=$(tests/postgres/cluster.sh start "$out/pg" --durable)
servers=()
stop_servers() { for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; wait "$s" 2>/dev/null || true; done; servers=(); }
trap 'stop_servers; tests/postgres/cluster.sh stop "$out/pg"' EXIT
credentials=$(printf '%s' loadsite:loadkey | base64)

start() { # start PORT DATABASE-NAME
  PeopleAdmin__DataDirectory="$out/data-$2" \
  PeopleAdmin__Database__Provider=Postgres \
  ConnectionStrings__PeopleAdmin="${database/Database=peopleadmin/Database=$2}" \
  PeopleAdmin__DefaultWorkspace__SiteId=loadsite \
  PeopleAdmin__DefaultWorkspace__TrackApiKey=loadkey \
  PeopleAdmin__RateLimit__RequestsPerSecond=1000000 \
  Logging__LogLevel__Default=Warning \
  ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$out/app/PeopleAdmin.Web.dll" --urls "http://127.0.0.1:$1" > "$out/server-$1-$2.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 900); do
    curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.2
  done
  echo "The server on port $1 did not start; see $out/server-$1-$2.log" >&2
  exit 1
}

load() { # load SECONDS CONNECTIONS PORT...: wrk against each port at once
  local duration=$1 each=$2; shift 2
  local pids=()
  for port in "$@"; do
    wrk -t2 -c"$each" -d"${duration}s" --latency -s tests/load/identify.lua "http://127.0.0.1:$port" -- "$credentials" > "$out/wrk-$port.txt" &
    pids+=($!)
  done
  wait "${pids[@]}"
}

ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }

timed() { # timed SECONDS CONNECTIONS PORT...: the measured load, and each server's CPU seconds (user + system) during it
  local before=() s i=0
  for s in "${servers[@]}"; do before+=("$(cpu "$s")"); done
  load "$@"
  cpu_used=()
  for s in "${servers[@]}"; do cpu_used+=("$(echo "$(cpu "$s") - ${before[i]}" | bc)"); i=$((i + 1)); done
}

report() { # report LABEL PORT...
  local label=$1; shift
  echo "== $label (load average: $(cut -d' ' -f1-3 /proc/loadavg); server CPU during the run: ${cpu_used[*]} s)"
  for port in "$@"; do echo "-- port $port"; grep -E 'requests/s|^p|non-2xx' "$out/wrk-$port.txt"; done
}

# One instance on its own database.
start "${ports[0]}" one
load "$warmup" "$connections" "${ports[0]}"
timed "$seconds" "$connections" "${ports[0]}"
report "one instance, $connections connections" "${ports[0]}"
stop_servers

# Two instances on one database and one data folder (as a shared volume gives them); the second starts once the first has migrated.
start "${ports[0]}" two
start "${ports[1]}" two
load "$warmup" "$half" "${ports[@]}"
timed "$seconds" "$half" "${ports[@]}"
report "two instances, $half connections each" "${ports[@]}"
stop_servers

# The ceiling: pgbench on the same server.
host=$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$database")
port=$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$database")
user=$(sed -E 's/.*Username=([^;]+).*/\1/' <<<"$database")
pgbench=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pgbench
createdb=$(dirname "$pgbench")/createdb
"$createdb" -h "$host" -p "$port" -U "$user" pgbench
"$pgbench" -h "$host" -p "$port" -U "$user" -i -s 10 -q pgbench > "$out/pgbench-init.log" 2>&1
echo "== pgbench simple-update, 64 clients (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
"$pgbench" -h "$host" -p "$port" -U "$user" -b simple-update -c 64 -j 2 -T "$seconds" -M prepared pgbench 2>&1 | grep -E 'tps|latency average'
