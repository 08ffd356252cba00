#!/usr/bin/env bash
# Publishes PeopleAdmin in Release, starts it on 127.0.0.1 with a fixed workspace and a raised rate limit,
# runs wrk's identify load against it, and stops it. Usage: tests/load/run-identify.sh [connections] [seconds]
# (LOAD_WARMUP: seconds of load before the measured run, default 30)
# LOAD_STORE=postgres runs it on a throwaway PostgreSQL server of its own (tests/postgres/cluster.sh, --durable: the
# server's default durability), and then pgbench's simple-update with as many clients on the same server: the ceiling.
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-64}
seconds=${2:-20}
threads=$(( connections < 2 ? connections : 2 ))
port=${LOAD_PORT:-5181}
out=${LOAD_OUT:-/tmp/peopleadmin-load}
rm -rf "$out/data"
mkdir -p "$out"
store=()
if [[ ${LOAD_STORE:-sqlite} == postgres ]]; then
  tests/postgres/cluster.sh stop "$out/pg"
  postgres=$(tests/postgres/cluster.sh start "$out/pg" --durable)
  store=(PeopleAdmin__Database__Provider=Postgres "ConnectionStrings__PeopleAdmin=$postgres")
fi
dotnet publish src/PeopleAdmin.Web -c Release -o "$out/app" -nologo -clp:ErrorsOnly > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }
env "${store[@]}" \
PeopleAdmin__DataDirectory="$out/data" \
PeopleAdmin__DefaultWorkspace__SiteId=loadsite \
PeopleAdmin__DefaultWorkspace__TrackApiKey=loadkey \
PeopleAdmin__RateLimit__RequestsPerSecond=1000000 \
Logging__LogLevel__Default=Warning \
ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$out/app/PeopleAdmin.Web.dll" --urls "http://127.0.0.1:$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; [[ -z ${postgres:-} ]] || tests/postgres/cluster.sh stop "$out/pg"' EXIT
up=
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && { up=1; break; }
  sleep 0.2
done
[[ -n $up ]] || { echo "The server did not start; see $out/server.log" >&2; exit 1; }
credentials=$(printf '%s' loadsite:loadkey | base64)
status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Basic $credentials" -H 'Content-Type: application/json' \
  -d '{"plan":"check"}' "http://127.0.0.1:$port/api/v1/customers/load-check")
[[ $status == 200 ]] || { echo "A check identify answered $status instead of 200" >&2; exit 1; }
# A warm-up (connection pools, and the JIT: .NET's tiered compilation keeps recompiling hot methods, on these two
# cores for about half a minute of load), then the measured run. LOAD_WARMUP sets the warm-up's seconds.
wrk -t"$threads" -c"$connections" -d"${LOAD_WARMUP:-30}s" -s tests/load/identify.lua "http://127.0.0.1:$port" -- "$credentials" >/dev/null
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s tests/load/identify.lua "http://127.0.0.1:$port" -- "$credentials"
if [[ -n ${postgres:-} ]]; then
  kill $server && wait $server 2>/dev/null || true
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$postgres")
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres pgbench
  "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -q -s 10 pgbench >/dev/null 2>&1
  echo "pgbench simple-update, $connections clients, the same server (the ceiling):"
  "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -b simple-update -c "$connections" -j "$threads" -T "$seconds" -M prepared pgbench 2>&1 \
    | grep -E '^(tps|latency average)'
fi
