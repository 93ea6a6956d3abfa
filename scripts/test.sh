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

# Known advisories of high or critical severity in the dependency tree fail the run. Where the registry
# cannot answer audit requests (the development machine's registry answers 405), the run says so and goes
# on: advisories are then NOT checked here (CI, with the public registry, checks them).
audit_status=0
audit_out="$(npm audit --audit-level=high 2>&1)" || audit_status=$?
if [ "$audit_status" -eq 0 ]; then
  log "npm audit: no high or critical advisories"
elif grep -q "audit endpoint returned an error" <<<"$audit_out"; then
  log "npm audit: NOT CHECKED, the registry cannot answer audit requests ($(grep -m1 -oE '[0-9]{3} [A-Za-z ]+ - POST' <<<"$audit_out" || echo 'no answer'))"
else
  printf '%s\n' "$audit_out" >&2
  die "npm audit found high or critical advisories (npm audit --audit-level=high)"
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
# Test data is thrown away: fsync off makes creating a database per test file cheap. Another clone
# testing at the same time needs its own port (OBIEG_TEST_PG_PORT).
PG_FSYNC=off ensure_postgres pg-test "${OBIEG_TEST_PG_PORT:-55433}" obieg_test

start_temporal_dev "$TEST_TEMPORAL_PORT" off "$run_dir/temporal.db" "$run_dir/temporal.log"
pids+=("$TEMPORAL_PID")

export TEST_DATABASE_URL="$DATABASE_URL"
export TEST_TEMPORAL_ADDRESS="127.0.0.1:$TEST_TEMPORAL_PORT"
export TEMPORAL_TEST_SERVER
# The fault tests start and restart a Temporal dev server of their own (test/faults/temporal-restart.test.ts).
export TEMPORAL_BIN
export OBIEG_TEST_RUN_DIR="$run_dir"
export OBIEG_TEST_TEMPLATE_DB="obieg_tpl_$$"
# The named parts below run by default on a whole run (no arguments) and not on a targeted one;
# OBIEG_FAULT_TESTS=only or OBIEG_TOPOLOGY=only runs that part and nothing else.
whole_run=0
[ $# -eq 0 ] && [ "${OBIEG_FAULT_TESTS:-}" != only ] && [ "${OBIEG_TOPOLOGY:-}" != only ] && whole_run=1
status=0
reports=()
if [ "${OBIEG_TOPOLOGY:-}" != only ] && [ "${OBIEG_FAULT_TESTS:-}" != only ]; then
  log "running jest"
  npx jest --json --outputFile="$run_dir/jest.json" "$@" || status=$?
  reports+=("$run_dir/jest.json")
fi

# The production topology (test/topology, jest.topology.config.js): the Temporal server built from its Go
# module (ensure_temporal_server) on PostgreSQL with TLS, obieg built with `npm run build` and run from dist
# as two workers and two APIs; a registration and a CSIZS campaign with a worker killed. On by default for
# a whole run; OBIEG_TOPOLOGY=0 skips it, =1 forces it, =only runs nothing else.
if [ "${OBIEG_TOPOLOGY:-$whole_run}" != 0 ]; then
  ensure_temporal_server
  log "topology: building obieg (npm run build)"
  npm run build >&2 || die "npm run build failed"
  log "topology: two workers and two APIs on the Temporal server $TEMPORAL_SERVER_VERSION"
  npx jest -c jest.topology.config.js --json --outputFile="$run_dir/jest-topology.json" || status=$?
  reports+=("$run_dir/jest-topology.json")
fi

# The fault tests (issue 14 item 6, test/faults, jest.faults.config.js): real processes refused, restarted
# and killed while cases run; a plain jest run leaves them out. On by default for a whole run;
# OBIEG_FAULT_TESTS=0 skips them, =1 adds them to a targeted run, =only runs nothing else (extra arguments
# then go to the fault tests' jest, e.g. OBIEG_FAULT_TESTS=only scripts/test.sh test/faults/smtp-outage).
fault_mode="${OBIEG_FAULT_TESTS:-$whole_run}"
if [ "$fault_mode" = 1 ] || [ "$fault_mode" = only ]; then
  log "fault tests (test/faults)"
  faults_started=$SECONDS
  fault_args=()
  [ "$fault_mode" = only ] && fault_args=("$@")
  npx jest -c jest.faults.config.js --json --outputFile="$run_dir/jest-faults.json" "${fault_args[@]}" || status=$?
  reports+=("$run_dir/jest-faults.json")
  log "fault tests took $((SECONDS - faults_started)) s"
fi

# The shifted-clock check: the unit tests and the workflow tests on the time-skipping server again, with
# the clock moved to dates where calendars go wrong: a month and quarter end whose Warsaw date is already
# the next day (1 May, a holiday), the day before Wigilia, and a leap day. Each test file starts at that
# instant (OBIEG_CLOCK_AT; test/support/shifted-clock.ts) and its time-skipping server is moved to it.
# The dev server keeps the machine's clock, so tests on it are not part of this check. On by default for
# a whole run; OBIEG_SHIFTED_CLOCK=0 skips it, =1 forces it; OBIEG_SHIFTED_CLOCK_PATHS narrows it
# (default: test/unit test/workflows).
SHIFTED_CLOCK_DATES=("2027-04-30T22:30:00Z" "2027-12-23T10:00:00Z" "2028-02-29T12:00:00Z")
if [ "${OBIEG_SHIFTED_CLOCK:-$whole_run}" = 1 ]; then
  i=0
  for when in "${SHIFTED_CLOCK_DATES[@]}"; do
    i=$((i + 1))
    log "shifted clock ($i/${#SHIFTED_CLOCK_DATES[@]}): ${OBIEG_SHIFTED_CLOCK_PATHS:-test/unit test/workflows} at $when"
    # shellcheck disable=SC2086 # the paths are words
    OBIEG_CLOCK_AT="$when" npx jest --json --outputFile="$run_dir/jest-shifted-$i.json" ${OBIEG_SHIFTED_CLOCK_PATHS:-test/unit test/workflows} || status=$?
    reports+=("$run_dir/jest-shifted-$i.json")
  done
fi

# Every log line the run wrote (test processes log into $run_dir/logs) is scanned for passwords, tokens,
# e-mail addresses and the fixtures' personal names (test/logs/log-scan.ts).
log "scanning the run's log lines for secrets and personal data"
expect_requests=0
{ [ $# -eq 0 ] || [[ " $* " == *" test/api"* ]]; } && [ "${OBIEG_TOPOLOGY:-}" != only ] && [ "${OBIEG_FAULT_TESTS:-}" != only ] && expect_requests=1
OBIEG_LOG_SCAN_EXPECT_REQUESTS=$expect_requests npx jest -c test/logs/jest.config.js --json --outputFile="$run_dir/jest-log-scan.json" || status=$?
reports+=("$run_dir/jest-log-scan.json")

# The plain closing line CI reads: "N passed, N failed, N skipped", over every jest run above.
node -e '
const fs = require("fs");
const t = { p: 0, f: 0, s: 0 };
for (const f of process.argv.slice(1)) {
  if (!fs.existsSync(f)) { t.f += 1; console.error(`[obieg] no results in ${f}`); continue; }
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  t.p += r.numPassedTests; t.f += r.numFailedTests + r.numRuntimeErrorTestSuites; t.s += r.numPendingTests;
}
console.log(`${t.p} passed, ${t.f} failed, ${t.s} skipped`);' "${reports[@]}" || true
exit "$status"
