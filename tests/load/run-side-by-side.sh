#!/usr/bin/env bash
# PostgreSQL beside SQLite in one run on the same machine: the CSV import through the management API (run-import.sh),
# identify over HTTP (run-identify.sh; on PostgreSQL followed by pgbench's simple-update on the same server, the
# ceiling) and identify in process (the benchmarks' identify-rate, creating and updating), SQLite first, then
# PostgreSQL (tests/postgres/cluster.sh --durable: the server's default durability). Every section starts with the
# time and the load average; the in-process runs end with their CPU seconds.
# Usage: tests/load/run-side-by-side.sh [rows] [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
connections=${2:-64}
seconds=${3:-20}
out=${LOAD_OUT:-/tmp/peopleadmin-side-by-side}
mkdir -p "$out"
section() { echo; echo "== $1: $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"; }

for store in sqlite postgres; do
  section "CSV import of $rows rows, $store"
  LOAD_STORE=$store LOAD_OUT="$out/import" tests/load/run-import.sh "$rows"
done

for store in sqlite postgres; do
  section "identify over HTTP, $store"
  LOAD_STORE=$store LOAD_OUT="$out/identify" tests/load/run-identify.sh "$connections" "$seconds"
done

dotnet build tests/PeopleAdmin.Benchmarks -c Release -nologo -clp:ErrorsOnly > "$out/bench.log" 2>&1 || { cat "$out/bench.log"; exit 1; }
bench=tests/PeopleAdmin.Benchmarks/bin/Release/net10.0/PeopleAdmin.Benchmarks
tests/postgres/cluster.sh stop "$out/pg"
postgres=$(tests/postgres/cluster.sh start "$out/pg" --durable)
trap 'tests/postgres/cluster.sh stop "$out/pg"' EXIT
for store in sqlite postgres; do
  variable=()
  [[ $store == postgres ]] && variable=("PEOPLEADMIN_BENCH_POSTGRES=$postgres")
  for kind in create update; do
    section "identify in process, $kind, $store"
    env "${variable[@]}" /usr/bin/time -f "  process CPU %U s user + %S s system, %e s wall" "$bench" identify-rate 5000 "$connections" Normal "$kind"
  done
done
