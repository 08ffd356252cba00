#!/usr/bin/env bash
# Database sync's benchmark: a sync of a table of 1,000,000 rows and 10 columns from a throwaway local PostgreSQL
# (tests/servers/sync-sources.sh), through the management API's Run now: the run is an import of the import engine.
# Prints the run's wall time and rows per second, the server's CPU seconds during the run, the machine's load average
# (it is shared: compare rows per CPU second), the run's import as the engine reports it, and the server's resident
# memory sampled every 10 s (flat means streamed).
# Usage: tests/load/run-sync.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
port=${LOAD_PORT:-5183}
out=${LOAD_OUT:-/tmp/peopleadmin-sync}
token=sync-benchmark-token
rm -rf "$out/data"
mkdir -p "$out"
eval "$(tests/servers/sync-sources.sh start "$out/sources")"
trap 'tests/servers/sync-sources.sh stop "$out/sources"' EXIT
PGPASSWORD=$PEOPLEADMIN_SYNC_PASSWORD psql -h 127.0.0.1 -p "$PEOPLEADMIN_SYNC_POSTGRES_PORT" -U peopleadmin source -q -c "
  create table people as select 'user-' || g as id, 'user' || g || '@example.com' as email, (array['free','pro','team'])[1 + g % 3] as plan,
    g % 97 as seats, g % 2 = 0 as active, 'City ' || g % 500 as city, 'Company ' || g % 10000 as company,
    timestamptz '2025-01-01' + g * interval '1 second' as signed_up_at, md5(g::text) as token, now() as updated_at
  from generate_series(1, $rows) g"
dotnet publish src/PeopleAdmin.Web -c Release -o "$out/app" -nologo -clp:ErrorsOnly > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }

PeopleAdmin__DataDirectory="$out/data" PeopleAdmin__Admin__ApiToken=$token Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$out/app/PeopleAdmin.Web.dll" --urls "http://127.0.0.1:$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; tests/servers/sync-sources.sh stop "$out/sources"' EXIT
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
api="http://127.0.0.1:$port/api/admin/v1/workspaces"
auth="Authorization: Bearer $token"
workspace=$(curl -fs -H "$auth" "$api" | sed -E 's/^\[\{"id":([0-9]+).*/\1/')
connection=$(curl -fs -H "$auth" -H 'Content-Type: application/json' "$api/$workspace/sync-connections" -d "{\"name\": \"bench\", \"kind\": \"postgres\",
  \"host\": \"127.0.0.1\", \"port\": $PEOPLEADMIN_SYNC_POSTGRES_PORT, \"database\": \"source\", \"user\": \"peopleadmin\", \"password\": \"$PEOPLEADMIN_SYNC_PASSWORD\", \"ssl_mode\": \"disable\"}" \
  | sed -E 's/.*"connection_id":([0-9]+).*/\1/')
sync=$(curl -fs -H "$auth" -H 'Content-Type: application/json' "$api/$workspace/syncs" -d "{\"name\": \"bench\", \"connection_id\": $connection, \"interval\": \"24h\",
  \"identifier\": \"id\", \"paused\": true, \"query\": \"select id, email, plan, seats, active, city, company, signed_up_at, token, updated_at from people where updated_at > {{last_sync_time}}\"}" \
  | sed -E 's/.*"sync_id":([0-9]+).*/\1/')
cpu() { awk '{print ($14 + $15) / 100}' "/proc/$server/stat"; }
cpu_start=$(cpu)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
run=$(curl -fs -X POST -H "$auth" "$api/$workspace/syncs/$sync/run" | sed -E 's/.*"run_id":([0-9]+).*/\1/')
while :; do
  status=$(curl -fs -H "$auth" "$api/$workspace/syncs/$sync/runs/$run")
  [[ $status =~ \"state\":\"(succeeded|failed)\" ]] && break
  echo "  $(date -u +%T) resident $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server/status") MB, $(sed -E 's/.*"rows_read":([0-9]+).*/\1/' <<<"$status") rows read"
  sleep 10
done
end=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$status"
import=$(sed -E 's/.*"import_id":([0-9]+).*/\1/' <<<"$status")
echo "its import: $(curl -fs -H "$auth" "$api/$workspace/imports/$import")"
awk -v s="$start" -v e="$end" -v n="$rows" -v c="$(awk -v a="$cpu_start" -v b="$(cpu)" 'BEGIN { print b - a }')" \
  'BEGIN { printf "%d rows in %.1f s = %.0f rows/s; server CPU %.1f s = %.0f rows per CPU second\n", n, e - s, n / (e - s), c, n / c }'
echo "server peak resident memory: $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status") MB"
