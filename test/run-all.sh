#!/usr/bin/env bash
# npm test: lint, types and the three tiers, against one Kafka broker started for the whole run.
# Every tier runs even when an earlier one fails; the exit code is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf test-results && mkdir -p test-results

run_all() {
  local failed_checks=()
  check() {
    echo; echo "=== $1 ==="
    local name="$1"
    shift
    "$@" || failed_checks+=("$name")
  }
  check lint npx eslint .
  check types npx tsc -p tsconfig.json --noEmit
  # The e2e tier runs compiled apps as their own processes, as a deployment does.
  check build npm run build
  for tier in unit int faults e2e; do
    # A failing tier is counted from its JSON report below, not here.
    check "$tier" npx jest -c "test/jest.$tier.config.js" --json --outputFile="test-results/$tier.json"
  done
  echo; echo "=== summary ==="
  node test/summarize-results.js "${failed_checks[@]}"
}
export -f run_all

exec bash deploy/kafka/with-broker.sh bash -c run_all
