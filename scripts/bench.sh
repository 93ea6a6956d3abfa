#!/usr/bin/env bash
# `npm run bench`: every benchmark of issue 18 in one run, each next to its reference, on a throwaway
# PostgreSQL cluster of its own (port OBIEG_BENCH_PG_PORT, default 55440; removed afterwards), the Temporal
# dev server and, for part 6, the Temporal server on that PostgreSQL. Prints one table and writes
# BENCHMARKS.md and BENCHMARKS.json at the repository root (scripts/bench/main.ts).
#   BENCH_QUICK=1          scaled down (a few minutes), for a quick look; the default is the full run
#   BENCH_ONLY=starts,decisions,worker,read,documents,engine   some parts only
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$OBIEG_ROOT"
started=$SECONDS

ensure_apt_packages
ensure_node_modules
ensure_temporal_cli
if [[ ",${BENCH_ONLY:-engine}," == *",engine,"* ]]; then ensure_temporal_server; fi
log "building (npm run build)"
npm run -s build

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/obieg-bench.XXXXXX")"
pg_name="pg-bench-$$"
pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_postgres "$pg_name"
  rm -rf "${OBIEG_DATA:?}/$pg_name" "${OBIEG_DATA:?}/$pg_name-run"
  [ -n "${BENCH_KEEP_RUN_DIR:-}" ] && log "logs kept in $run_dir" || rm -rf "$run_dir"
}
trap cleanup EXIT INT TERM

# A cluster of its own, thrown away at the end (never an existing DATABASE_URL: the benchmark drops databases).
unset DATABASE_URL
PG_FSYNC="${BENCH_PG_FSYNC:-off}" ensure_postgres "$pg_name" "${OBIEG_BENCH_PG_PORT:-55440}" obieg_bench
export BENCH_PG_BASE="${DATABASE_URL%/*}"
export BENCH_PG_LOG="$OBIEG_DATA/$pg_name/server.log"
unset DATABASE_URL

temporal_port="$(free_port)"
start_temporal_dev "$temporal_port" off "${BENCH_DEV_DB:-memory}" "$run_dir/temporal.log"
pids+=("$TEMPORAL_PID")

export BENCH_TEMPORAL_ADDRESS="127.0.0.1:$temporal_port"
export BENCH_RUN_DIR="$run_dir"
BENCH_COMMIT="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD 2>/dev/null || BENCH_COMMIT="$BENCH_COMMIT (with uncommitted changes)"
export BENCH_COMMIT
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}"
node dist/scripts/bench/main.js
log "benchmark took $((SECONDS - started)) s"
