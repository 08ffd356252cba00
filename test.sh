#!/usr/bin/env bash
# Installs what the tests need and is missing, then runs every test, e2e included.
# Ends with "Tests: N passed, N failed" and exits non-zero on any failure or when no test ran.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\n== %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
if ((${#need_apt[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "Installing ${need_apt[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "Missing: ${need_apt[*]}. Install them (Debian: sudo apt-get install ${need_apt[*]}) and run ./test.sh again." >&2
    exit 1
  fi
fi

results=TestResults
rm -rf "$results" artifacts/e2e
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say "Restoring and building"
dotnet tool restore >/dev/null
dotnet build PeopleAdmin.sln -c Debug -nologo -clp:ErrorsOnly

for client in tests/*/package.json; do
  [[ -e $client ]] || continue
  say "Installing the Node packages of $(dirname "$client")"
  (cd "$(dirname "$client")" && npm ci --no-audit --no-fund --loglevel=error)
done

# Database sync's source servers (PostgreSQL and MariaDB, installed when missing), shared by every test project.
sources_dir=$(mktemp -d)
trap 'tests/servers/sync-sources.sh stop "$sources_dir"' EXIT
say "Starting the database sync's source servers"
eval "$(tests/servers/sync-sources.sh start "$sources_dir")"

say "Starting a throwaway PostgreSQL server"
postgres_dir=$(mktemp -d "${TMPDIR:-/tmp}/peopleadmin-postgres.XXXXXX")
# One trap for both: a second `trap ... EXIT` would replace the first and leave the source servers running.
trap 'tests/servers/sync-sources.sh stop "$sources_dir"; tests/postgres/cluster.sh stop "$postgres_dir"' EXIT
PEOPLEADMIN_TEST_POSTGRES=$(tests/postgres/cluster.sh start "$postgres_dir")
export PEOPLEADMIN_TEST_POSTGRES

status=0
run_tests() {
  local project=$1
  say "Testing $project"
  dotnet test "$project" --no-build -nologo --logger "trx" --results-directory "$results/$(basename "$project")" || status=1
}

# The provider-specific classes ([BothStores]) again, on PostgreSQL; everything else ran once, on SQLite.
run_tests_on_postgres() {
  local project=$1
  say "Testing $project on PostgreSQL"
  PEOPLEADMIN_TEST_STORE=Postgres dotnet test "$project" --no-build -nologo --filter "Store=Both" --logger "trx" \
    --results-directory "$results/$(basename "$project")-postgres" || status=1
}

# Unit and component tests first; the e2e suite on its own afterwards so Chromium has the cores.
for project in tests/*/*.csproj; do
  grep -q '<IsTestProject>false</IsTestProject>' "$project" && continue
  [[ $(basename "$project") == *Benchmarks* ]] && continue
  run_tests "$project"
  if grep -q 'TestStores.cs' "$project"; then
    run_tests_on_postgres "$project"
  fi
done
run_tests e2e/PeopleAdmin.E2E/PeopleAdmin.E2E.csproj

passed=0
failed=0
while IFS= read -r trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done < <(find "$results" -name '*.trx' 2>/dev/null)

echo
echo "Tests: $passed passed, $failed failed"
if ((passed == 0)); then
  echo "No test ran." >&2
  exit 1
fi
if ((failed > 0 || status != 0)); then
  [[ -d artifacts/e2e ]] && echo "Screenshots and traces of failing e2e tests: artifacts/e2e" >&2
  exit 1
fi
