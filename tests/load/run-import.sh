#!/usr/bin/env bash
# The CSV import's benchmark through the management API: publishes PeopleAdmin in Release, starts it on 127.0.0.1,
# imports every second row of the benchmark file (the people that exist), then the whole file (half updates, half
# new people), and prints each import's rows per second, the server's peak resident memory, and the time sqlite3's
# own .import takes to load the same file into a plain table. The machine may be shared: each figure comes with the
# load average and the server's CPU seconds (user + system), so that runs under other loads can be compared.
# Usage: tests/load/run-import.sh [rows]
# LOAD_STORE=postgres runs it on a throwaway PostgreSQL server of its own (tests/postgres/cluster.sh, --durable: the
# server's default durability) and then PostgreSQL's own COPY of the whole file into a plain table, instead of sqlite3's.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
port=${LOAD_PORT:-5182}
out=${LOAD_OUT:-/tmp/peopleadmin-import}
token=import-benchmark-token
rm -rf "$out/data"
mkdir -p "$out"
store=()
if [[ ${LOAD_STORE:-sqlite} == postgres ]]; then
  tests/postgres/cluster.sh stop "$out/pg"
  postgres=$(tests/postgres/cluster.sh start "$out/pg" --durable)
  store=(PeopleAdmin__Database__Provider=Postgres "ConnectionStrings__PeopleAdmin=$postgres")
fi
dotnet publish src/PeopleAdmin.Web -c Release -o "$out/app" -nologo -clp:ErrorsOnly > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }
dotnet build tests/PeopleAdmin.Benchmarks -c Release -nologo -clp:ErrorsOnly > "$out/bench.log" 2>&1 || { cat "$out/bench.log"; exit 1; }
bench=tests/PeopleAdmin.Benchmarks/bin/Release/net10.0/PeopleAdmin.Benchmarks
"$bench" import-file "$rows" "$out/whole.csv"
# The existing half: every second row (the even ids), as the first import.
awk -F, 'NR == 1 || (substr($1, 6) % 2 == 0)' "$out/whole.csv" > "$out/half.csv"

env "${store[@]}" \
PeopleAdmin__DataDirectory="$out/data" \
PeopleAdmin__Admin__ApiToken=$token \
PeopleAdmin__Imports__MaxFileBytes=2147483648 \
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
api="http://127.0.0.1:$port/api/admin/v1/workspaces"
workspace=$(curl -fs -H "Authorization: Bearer $token" "$api" | sed -E 's/^\[\{"id":([0-9]+).*/\1/')

ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$server/stat"; }
# PostgreSQL's CPU: the postmaster's own and its children's (live ones, and those it has waited for).
database_cpu() {
  [[ -n ${postgres:-} ]] || { echo 0; return; }
  local main
  main=$(head -n 1 "$out/pg/data/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$main/stat"; for child in $(pgrep -P "$main"); do awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || true; done; } \
    | awk -v t="$ticks" '{ s += $1 } END { printf "%.2f", s / t }'
}
for file in half whole; do
  cpu_start=$(cpu)
  database_start=$(database_cpu)
  start=$(date +%s.%N)
  id=$(curl -fs -H "Authorization: Bearer $token" -F 'options={"identifier":"id"};type=application/json' -F "file=@$out/$file.csv;type=text/csv" \
    "$api/$workspace/imports" | sed -E 's/.*"import_id":([0-9]+).*/\1/')
  while :; do
    status=$(curl -fs -H "Authorization: Bearer $token" "$api/$workspace/imports/$id")
    [[ $status =~ \"state\":\"(imported|failed|canceled)\" ]] && break
    sleep 0.5
  done
  end=$(date +%s.%N)
  cpu_end=$(cpu)
  database_end=$(database_cpu)
  echo "$file.csv: $status"
  [[ -z ${postgres:-} ]] || echo "  PostgreSQL's CPU: $(echo "$database_end - $database_start" | bc) s"
  awk -v s="$start" -v e="$end" -v c="$(echo "$cpu_end - $cpu_start" | bc)" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" -v st="$status" 'BEGIN { match(st, /"rows_to_import":[0-9]+/); n = substr(st, RSTART + 17, RLENGTH - 17); printf "  %d rows in %.1f s end to end (upload included) = %.0f rows/s; server CPU %.1f s = %.0f rows per CPU second; load average %s\n", n, e - s, n / (e - s), c, n / c, l }'
done
echo "server peak resident memory: $(grep VmHWM /proc/$server/status | awk '{print $2 / 1024 " MB"}')"

if [[ -n ${postgres:-} ]]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pgport=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$postgres")
  columns=$(head -n 1 "$out/whole.csv" | sed -E 's/[^,]+/"&" text/g')
  "$bin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -q -c "CREATE TABLE plain ($columns)" peopleadmin
  start=$(date +%s.%N)
  TIMEFORMAT=%U+%S
  psql_cpu=$( { time "$bin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -q -c "\\copy plain FROM '$out/whole.csv' (FORMAT csv, HEADER true)" peopleadmin ; } 2>&1 )
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v n="$rows" -v c="$(echo "$psql_cpu" | bc)" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN { printf "psql \\copy of the whole file into a plain table: %.1f s = %.0f rows/s; psql CPU %.1f s; load average %s\n", e - s, n / (e - s), c, l }'
  exit 0
fi

rm -f "$out/plain.db"
start=$(date +%s.%N)
TIMEFORMAT=%U+%S
sqlite_cpu=$( { time sqlite3 "$out/plain.db" ".mode csv" ".import $out/whole.csv people" ; } 2>&1 )
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$rows" -v c="$(echo "$sqlite_cpu" | bc)" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN { printf "sqlite3 .import of the whole file into a plain table: %.1f s = %.0f rows/s; CPU %.1f s = %.0f rows per CPU second; load average %s\n", e - s, n / (e - s), c, n / c, l }'
