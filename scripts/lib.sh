# Shared helpers for the project's shell scripts. Source it; it defines functions and paths only.
OBIEG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OBIEG_CACHE="${OBIEG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/obieg}"
OBIEG_DATA="${OBIEG_DATA:-$OBIEG_ROOT/.data}"
TEMPORAL_CLI_VERSION="v1.5.1"

log() { printf '[obieg] %s\n' "$*" >&2; }
die() { printf '[obieg] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Node dependencies: npm ci only when package-lock.json changed since the last install.
ensure_node_modules() {
  local stamp="$OBIEG_ROOT/node_modules/.obieg-lock-sha"
  local want; want="$(sha256sum "$OBIEG_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing node modules (npm ci)"
    (cd "$OBIEG_ROOT" && npm ci --no-audit --no-fund >&2) || die "npm ci failed"
    echo "$want" > "$stamp"
  fi
}

# Debian packages: Chromium for PDFs and browser tests, poppler-utils for pdftotext.
ensure_apt_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
  # 7-Zip: the tests open the CSIZS package ZIP (AES-256) with it, as a gmina would (Debian 12+: 7zz).
  command -v 7zz >/dev/null 2>&1 || command -v 7z >/dev/null 2>&1 || missing+=(7zip)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
  fi
}

# Temporal CLI (dev server + Web UI): a temporal on PATH, else the cached build, else go install it.
ensure_temporal_cli() {
  if [ -n "${TEMPORAL_BIN:-}" ] && [ -x "$TEMPORAL_BIN" ]; then return; fi
  if command -v temporal >/dev/null 2>&1; then TEMPORAL_BIN="$(command -v temporal)"; return; fi
  TEMPORAL_BIN="$OBIEG_CACHE/bin/temporal"
  if [ ! -x "$TEMPORAL_BIN" ]; then
    command -v go >/dev/null 2>&1 || die "Go is needed to build the Temporal CLI"
    log "building the Temporal CLI $TEMPORAL_CLI_VERSION from its Go module (first time only, a few minutes)"
    mkdir -p "$OBIEG_CACHE/bin"
    GOBIN="$OBIEG_CACHE/bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2 \
      || die "go install of the Temporal CLI failed"
  fi
}

# Time-skipping test server: resolve the Maven artifact once, cache its classpath and a wrapper script.
ensure_test_server() {
  local dir="$OBIEG_CACHE/test-server"
  local pom="$OBIEG_ROOT/tools/test-server/pom.xml"
  local want; want="$(sha256sum "$pom" | cut -d' ' -f1)"
  TEMPORAL_TEST_SERVER="$dir/temporal-test-server"
  if [ ! -f "$dir/classpath.txt" ] || [ "$(cat "$dir/pom.sha" 2>/dev/null)" != "$want" ]; then
    mkdir -p "$dir"
    log "resolving the Temporal time-skipping test server with Maven"
    mvn -q -f "$pom" dependency:build-classpath -Dmdep.outputFile="$dir/classpath.txt" >&2 \
      || die "Maven could not resolve io.temporal:temporal-test-server"
    echo "$want" > "$dir/pom.sha"
  fi
  # The wrapper the SDK starts: it notes its pid in the test run's directory, so that a server the SDK
  # gave up on (it waits about 5 s for it) is stopped with the run. Replaced atomically: runs may overlap.
  cat > "$TEMPORAL_TEST_SERVER.$$" <<WRAP
#!/usr/bin/env bash
[ -n "\${OBIEG_TEST_RUN_DIR:-}" ] && echo \$\$ >> "\$OBIEG_TEST_RUN_DIR/test-server.pids"
exec java -Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "\$(cat '$dir/classpath.txt')" io.temporal.testserver.TestServer "\$@"
WRAP
  chmod +x "$TEMPORAL_TEST_SERVER.$$" && mv -f "$TEMPORAL_TEST_SERVER.$$" "$TEMPORAL_TEST_SERVER"
}

# PostgreSQL: DATABASE_URL when set; otherwise a local cluster in $OBIEG_DATA/<name> (run as postgres:
# initdb refuses root), listening on 127.0.0.1:$port only. Exports DATABASE_URL.
ensure_postgres() {
  local name="$1" port="$2" db="$3"
  if [ -n "${DATABASE_URL:-}" ]; then return; fi
  local pgbin; pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$pgbin/initdb" ] || die "PostgreSQL server binaries not found (set DATABASE_URL or install postgresql)"
  local dir="$OBIEG_DATA/$name" run="$OBIEG_DATA/$name-run"
  local pguser=postgres; [ "$(id -u)" = 0 ] || pguser="$(id -un)"
  mkdir -p "$dir" "$run"
  pgrun() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if [ ! -f "$dir/PG_VERSION" ]; then
    [ "$(id -u)" = 0 ] && chown postgres: "$dir" "$run" && chmod 700 "$dir"
    log "creating PostgreSQL cluster in $dir"
    pgrun "$pgbin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
      || die "initdb failed"
  fi
  [ "$(id -u)" = 0 ] && chown postgres: "$run"
 PG_STARTED_HERE=""
  if ! pgrun "$pgbin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    PG_STARTED_HERE=1
    pgrun "$pgbin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $run -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
      || die "PostgreSQL did not start (see $dir/server.log)"
  fi
  local url="postgres://postgres@127.0.0.1:$port"
  if ! psql "$url/postgres" -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    psql "$url/postgres" -qc "create database \"$db\"" >/dev/null || die "could not create database $db"
  fi
  export DATABASE_URL="$url/$db"
}

stop_postgres() {
  local name="$1" dir="$OBIEG_DATA/$1"
  [ -f "$dir/PG_VERSION" ] || return 0
  local pgbin; pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
  else "$pgbin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true; fi
}

# A free TCP port on loopback, for servers a test run starts (runs may overlap).
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Wait until host:port accepts TCP connections.
wait_port() {
  local host="$1" port="$2" secs="${3:-60}" what="${4:-$1:$2}"
  for _ in $(seq 1 $((secs * 5))); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  die "$what did not come up on $host:$port within ${secs}s"
}

# The project's custom search attributes, registered on the dev server at start.
OBIEG_SEARCH_ATTRIBUTES=(ObiegCaseType=Keyword ObiegStatus=Keyword ObiegUnit=Keyword ObiegVoivodeship=Keyword ObiegDeadline=Datetime ObiegLateStep=Keyword)

# Temporal dev server with a SQLite file (cases survive a restart), Web UI on, search attributes registered.
start_temporal_dev() {
  local port="$1" ui_port="$2" dbfile="$3" logfile="$4" codec="${5:-}"
  ensure_temporal_cli
  local sa=(); for a in "${OBIEG_SEARCH_ATTRIBUTES[@]}"; do sa+=(--search-attribute "$a"); done
  local ui=(--ui-port "$ui_port"); [ "$ui_port" = off ] && ui=(--headless)
  # The Web UI unseals payloads through obieg's remote codec (/codec, signed in as the ministry).
  [ -n "$codec" ] && [ "$ui_port" != off ] && ui+=(--ui-codec-endpoint "$codec")
  # "memory": no file (the benchmark's throwaway engine; SQLite in memory, no fsync per write).
  local db=(--db-filename "$dbfile"); [ "$dbfile" = memory ] && db=() || mkdir -p "$(dirname "$dbfile")"
  "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$port" "${ui[@]}" "${db[@]}" \
    --log-level warn "${sa[@]}" >"$logfile" 2>&1 &
  TEMPORAL_PID=$!
  wait_port 127.0.0.1 "$port" 120 "Temporal dev server"
}

# Temporal server (the production server, all services in one process) and its SQL schema tool, built
# once from the server's Go module into the cache, for the topology part of the tests (test/topology).
# Sets TEMPORAL_SERVER_BIN, TEMPORAL_SQL_TOOL and TEMPORAL_SCHEMA_DIR (schema/postgresql/v12 of the module).
TEMPORAL_SERVER_VERSION="v1.29.1"
ensure_temporal_server() {
  local dir="$OBIEG_CACHE/bin/temporal-server-$TEMPORAL_SERVER_VERSION"
  TEMPORAL_SERVER_BIN="$dir/server"
  TEMPORAL_SQL_TOOL="$dir/sql"
  if [ ! -x "$TEMPORAL_SERVER_BIN" ] || [ ! -x "$TEMPORAL_SQL_TOOL" ]; then
    command -v go >/dev/null 2>&1 || die "Go is needed to build the Temporal server"
    # Another run may be building the CLI (same module cache): two Go builds at once only slow each other.
    for _ in $(seq 1 120); do pgrep -f "go install github.com/temporalio/cli" >/dev/null || break; sleep 5; done
    log "building the Temporal server $TEMPORAL_SERVER_VERSION from its Go module (first time only, about 3 minutes)"
    mkdir -p "$dir"
    GOBIN="$dir" go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
      "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" >&2 \
      || die "go install of the Temporal server failed"
  fi
  TEMPORAL_SCHEMA_DIR="$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION/schema/postgresql/v12"
  if [ ! -d "$TEMPORAL_SCHEMA_DIR" ]; then
    go mod download "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" >&2 || die "could not fetch the Temporal server module's schema"
  fi
  export TEMPORAL_SERVER_BIN TEMPORAL_SQL_TOOL TEMPORAL_SCHEMA_DIR
}
