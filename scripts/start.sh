#!/usr/bin/env bash
# Starts the whole system on this machine: PostgreSQL, the Temporal dev server (with Web UI), an SMTP
# sink, migrations, reference and demo data, the worker and the API. Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$OBIEG_ROOT"

# One running system per data directory: a second start says so and leaves the running one alone (its
# database, its servers, its build), before it touches anything.
mkdir -p "$OBIEG_DATA"
pidfile="$OBIEG_DATA/start.pid"
if [ -f "$pidfile" ]; then
  running="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -n "$running" ] && [ "$running" != "$$" ] && kill -0 "$running" 2>/dev/null && tr '\0' ' ' <"/proc/$running/cmdline" 2>/dev/null | grep -q 'start\.sh'; then
    log "obieg is already running from this directory (process $running, data in $OBIEG_DATA); not starting a second one"
    log "stop it with Ctrl-C in its terminal (or: kill $running) first"
    exit 1
  fi
fi
echo "$$" >"$pidfile"

pids=()
cleanup() {
  trap - EXIT INT TERM
  log "stopping"
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -z "${OBIEG_EXTERNAL_DB:-}" ] && stop_postgres pg
  rm -f "$pidfile"
  log "stopped"
}
trap cleanup EXIT
# Ctrl-C or a TERM, at any point from here on: stop everything and end there, as a clean stop (not as a
# component that died).
trap 'cleanup; exit 0' INT TERM

API_PORT="${API_PORT:-3000}"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
SMTP_PORT="${SMTP_PORT:-1025}"
MAIL_UI_PORT="${MAIL_UI_PORT:-1080}"
PG_PORT="${PG_PORT:-55432}"
# The living demo (scripts/demo-scenario.ts) and known demo passwords: development only, OBIEG_DEMO=0 skips.
DEMO=1
{ [ "${OBIEG_DEMO:-1}" = 0 ] || [ "${NODE_ENV:-development}" = production ]; } && DEMO=0

ensure_apt_packages
ensure_node_modules
ensure_temporal_cli
log "building (tsc)"
npm run -s build

mkdir -p "$OBIEG_DATA/logs"
if [ -z "${PAYLOAD_KEY:-}" ]; then
  [ -f "$OBIEG_DATA/payload.key" ] || (umask 077 && openssl rand -base64 32 > "$OBIEG_DATA/payload.key")
  PAYLOAD_KEY="$(cat "$OBIEG_DATA/payload.key")"
fi
export PAYLOAD_KEY API_PORT SMTP_PORT
export TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT"
# As the image (Dockerfile): two malloc arenas, not one per thread (the worker's resident memory).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export TEMPORAL_STARTS_TASK_QUEUE="${TEMPORAL_STARTS_TASK_QUEUE:-obieg-starts}"
export TEMPORAL_UI_URL="http://127.0.0.1:$TEMPORAL_UI_PORT"
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$API_PORT}"
export SMTP_HOST=127.0.0.1
# Readable log lines in .data/logs (production keeps one JSON line per event).
export LOG_FORMAT="${LOG_FORMAT:-pretty}"

[ -n "${DATABASE_URL:-}" ] && OBIEG_EXTERNAL_DB=1
ensure_postgres pg "$PG_PORT" obieg
log "PostgreSQL ready"

start_temporal_dev "$TEMPORAL_PORT" "$TEMPORAL_UI_PORT" "$OBIEG_DATA/temporal/temporal.db" "$OBIEG_DATA/logs/temporal.log" "$PUBLIC_URL/codec"
pids+=("$TEMPORAL_PID")
log "Temporal dev server ready"

node dist/scripts/smtp-sink.js "$SMTP_PORT" "$MAIL_UI_PORT" "$OBIEG_DATA/mail" >"$OBIEG_DATA/logs/smtp.log" 2>&1 &
pids+=($!)
wait_port 127.0.0.1 "$SMTP_PORT" 30 "SMTP sink"

node dist/db/cli.js migrate
node dist/db/cli.js import-reference
passwords="$OBIEG_DATA/demo-passwords.txt"
if [ "$DEMO" = 1 ]; then node dist/db/cli.js demo "$OBIEG_DATA/demo-tokens.env" "$passwords"
else node dist/db/cli.js demo "$OBIEG_DATA/demo-tokens.env"; rm -f "$passwords"; fi

node dist/worker/main.js >>"$OBIEG_DATA/logs/worker.log" 2>&1 &
pids+=($!)
node dist/api/main.js >>"$OBIEG_DATA/logs/api.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$API_PORT/readyz" >/dev/null || die "the API is not ready (see $OBIEG_DATA/logs/api.log)"

demo_accounts=""
if [ "$DEMO" = 1 ]; then
  log "filling the demo scenario (OBIEG_DEMO=0 skips it; log: $OBIEG_DATA/logs/demo.log)"
  # The accepted applicant's login and temporary password are read from the sink's mail and listed too.
  if node dist/scripts/demo-scenario.js "$OBIEG_DATA/demo-tokens.env" "$OBIEG_DATA/mail" "$passwords" 2>&1 | tee -a "$OBIEG_DATA/logs/demo.log" >&2; then :
  else log "the demo scenario did not complete (see $OBIEG_DATA/logs/demo.log); the system runs without it"; fi
  demo_accounts="$(grep -E '^(ministerstwo|adm-woj-26|kier-2661011|ladm-2661011|prac-2661011) ' "$passwords" | awk '{printf "      %-16s %-18s %s\n", $1, $2, $3}' || true)"
  applicants="$(grep -E '^[^#].*  applicant ' "$passwords" | awk '{printf "      %-16s %-18s applicant of an accepted registration (%s; temporary, to be changed at first sign-in)\n", $1, $2, $4}' || true)"
  [ -n "$applicants" ] && demo_accounts="$demo_accounts
$applicants"
fi

cat <<MSG

  obieg is running.
    API:               http://127.0.0.1:$API_PORT   (readiness: /readyz, API description: /openapi.json)
    Temporal Web UI:   http://127.0.0.1:$TEMPORAL_UI_PORT
    Outgoing mail:     http://127.0.0.1:$MAIL_UI_PORT   (SMTP sink on 127.0.0.1:$SMTP_PORT)
    Demo API tokens:   source $OBIEG_DATA/demo-tokens.env
    Logs:              $OBIEG_DATA/logs/
MSG
if [ -n "$demo_accounts" ]; then
  cat <<MSG
    Sign in at http://127.0.0.1:$API_PORT/logowanie (development only; all accounts: $passwords):
$demo_accounts
MSG
fi
cat <<MSG
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}" || true
die "a component stopped unexpectedly (see $OBIEG_DATA/logs/)"
