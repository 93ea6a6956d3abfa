#!/usr/bin/env bash
# Runs the whole test suite against real components: PostgreSQL, the Temporal dev server, the Java
# time-skipping test server, Chromium and an in-process SMTP peer. Installs what is missing first.
# Extra arguments go to jest (e.g. scripts/test.sh test/unit).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$OBIEG_ROOT"

ensure_apt_packages
ensure_node_modules
ensure_temporal_cli
ensure_test_server

if [ -z "${OBIEG_SKIP_TYPECHECK:-}" ]; then
  log "type-checking (tsc --noEmit)"
  npx tsc -p tsconfig.json --noEmit
  # Floating promises and the workflow sandbox's imports (eslint.config.mjs); zero warnings allowed.
  log "linting (eslint)"
  npx eslint . --max-warnings 0 --cache --cache-location node_modules/.cache/eslint/
fi

TEST_TEMPORAL_PORT="${TEST_TEMPORAL_PORT:-$(free_port)}"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/obieg-test.XXXXXX")"
pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  # Time-skipping servers left behind by a start the SDK gave up on.
  [ -f "$run_dir/test-server.pids" ] && xargs -r kill -TERM <"$run_dir/test-server.pids" 2>/dev/null || true
  # Test runs may overlap and share the cluster: the last one out stops it.
  rm -f "$users/$$"
  for f in "$users"/*; do [ -e "$f" ] && ! kill -0 "${f##*/}" 2>/dev/null && rm -f "$f"; done
  if [ -z "${OBIEG_EXTERNAL_DB:-}" ] && [ -z "$(ls -A "$users" 2>/dev/null)" ]; then stop_postgres pg-test; fi
  rm -rf "$run_dir"
}
trap cleanup EXIT INT TERM

users="$OBIEG_DATA/pg-test-users"
mkdir -p "$users" && touch "$users/$$"
[ -n "${DATABASE_URL:-}" ] && OBIEG_EXTERNAL_DB=1
# Test data is thrown away: fsync off makes creating a database per test file cheap.
PG_FSYNC=off ensure_postgres pg-test 55433 obieg_test

start_temporal_dev "$TEST_TEMPORAL_PORT" off "$run_dir/temporal.db" "$run_dir/temporal.log"
pids+=("$TEMPORAL_PID")

export TEST_DATABASE_URL="$DATABASE_URL"
export TEST_TEMPORAL_ADDRESS="127.0.0.1:$TEST_TEMPORAL_PORT"
export TEMPORAL_TEST_SERVER
export OBIEG_TEST_RUN_DIR="$run_dir"
export OBIEG_TEST_TEMPLATE_DB="obieg_tpl_$$"
log "running jest"
status=0
npx jest --json --outputFile="$run_dir/jest.json" "$@" || status=$?
# The plain closing line CI reads: "N passed, N failed, N skipped".
node -e 'const r=require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' "$run_dir/jest.json" || true
exit "$status"
