#!/usr/bin/env bash
# Issue 9's figures: fills a data folder with the demo generator (when it holds no database yet), then measures the
# People page over it: the service calls behind the page and the attribute filters in the app's process, and the page
# loads in Chromium (e2e/PeopleAdmin.E2E/Console/PeoplePageMeasurement.cs). Nothing asserts on time; the figures are
# printed and kept in artifacts/e2e/measurements/people-page.md.
# Usage: tests/load/measure-people-page.sh [data folder] [people]
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-/tmp/pa-1m}
people=${2:-1000000}
if [[ ! -f "$data/peopleadmin.db" ]]; then
  mkdir -p "$data"
  dotnet build src/PeopleAdmin.Web -c Release -nologo -clp:ErrorsOnly
  PeopleAdmin__DataDirectory="$data" Logging__LogLevel__Default=Warning \
    dotnet src/PeopleAdmin.Web/bin/Release/net10.0/PeopleAdmin.Web.dll seed-demo --people "$people"
fi
log=$(mktemp)
if ! PEOPLEADMIN_MEASURE_DATA="$data" dotnet test e2e/PeopleAdmin.E2E -c Release -nologo \
  --filter "FullyQualifiedName~PeoplePageMeasurement" > "$log" 2>&1; then
  cat "$log"
  exit 1
fi
cat artifacts/e2e/measurements/people-page.md
