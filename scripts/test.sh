#!/usr/bin/env bash
# make test: vet, staticcheck, and the whole suite twice (SQLite and PostgreSQL side by side), with the S3
# contract and the browser tests running against real servers. Starts whatever is missing and stops everything
# it started, also on failure. Tools are cached under .cache/ (gitignored) so reruns are fast.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.cache
BIN=$CACHE/bin
mkdir -p "$BIN"
export PATH="$BIN:$PATH"

STATICCHECK_VERSION=v0.8.2
VERSITYGW_VERSION=v1.8.0
MAILPIT_VERSION=v1.33.1

RUN=$(mktemp -d /tmp/pitchfest-test.XXXXXX)
chmod 755 "$RUN"
PG_STARTED="" PG_DB_CREATED="" VGW_PID="" MAILPIT_PID="" SQLITE_TEST_PID="" PG_TEST_PID=""

log() { printf '\n== %s\n' "$*"; }
die() { printf 'make test: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local rc=$?
  set +e
  # Interrupted while the passes run: stop them, test binaries and browsers included, before the servers go.
  for pid in $SQLITE_TEST_PID $PG_TEST_PID; do kill_tree "$pid"; wait "$pid" 2>/dev/null; done
  [ -n "$VGW_PID" ] && kill "$VGW_PID" 2>/dev/null && wait "$VGW_PID" 2>/dev/null
  [ -n "$MAILPIT_PID" ] && kill "$MAILPIT_PID" 2>/dev/null && wait "$MAILPIT_PID" 2>/dev/null
  if [ -n "$PG_DB_CREATED" ]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB_CREATED WITH (FORCE)" >/dev/null 2>&1
  fi
  if [ -n "$PG_STARTED" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$RUN/pg/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$RUN"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

kill_tree() { # kill_tree PID: the process and everything it started
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
  kill "$1" 2>/dev/null
}
is_root() { [ "$(id -u)" = 0 ]; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
apt_install() {
  is_root || die "$1 is missing and installing it needs root: apt-get install -y $*"
  log "installing $* from Debian packages"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
free_port() { # a port nothing listens on
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}
wait_port() { # wait_port PORT WHAT
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.2; done
  die "$2 did not start listening on port $1"
}

# --- tools -------------------------------------------------------------------------------------------------
go_tool() { # go_tool NAME MODULE@VERSION
  local stamp="$BIN/.$1-${2##*@}"
  if [ ! -x "$BIN/$1" ] || [ ! -e "$stamp" ]; then
    log "installing $1 ${2##*@} (cached in .cache/bin)"
    GOBIN="$BIN" go install "$2"
    touch "$stamp"
  fi
}
go_tool staticcheck honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION
go_tool versitygw github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION
go_tool mailpit github.com/axllent/mailpit@$MAILPIT_VERSION

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then apt_install chromium; CHROMIUM=$(command -v chromium); fi

# --- PostgreSQL: the running server if one answers on 127.0.0.1:5432, else a throwaway cluster ------------------
command -v psql >/dev/null || apt_install postgresql-client
# PITCHFEST_TEST_FRESH_PG=1 forces the throwaway cluster, to check the path a machine without PostgreSQL takes.
if [ -z "${PITCHFEST_TEST_FRESH_PG:-}" ] &&
  psql "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=3" -qAtc 'select 1' >/dev/null 2>&1; then
  PG_BASE="postgres://postgres@127.0.0.1:5432"
  log "using the PostgreSQL server on 127.0.0.1:5432"
else
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PG_BIN" ]; then apt_install postgresql; PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  PG_PORT=$(free_port)
  log "starting a throwaway PostgreSQL ($PG_BIN) on port $PG_PORT"
  mkdir -p "$RUN/pg"
  is_root && chown postgres "$RUN/pg"
  as_pg "$PG_BIN/initdb" -D "$RUN/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$RUN/pg/data" -l "$RUN/pg/log" -w \
    -o "-p $PG_PORT -k $RUN/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  PG_STARTED=1
  PG_BASE="postgres://postgres@127.0.0.1:$PG_PORT"
fi
PG_ADMIN="$PG_BASE/postgres?sslmode=disable"
PG_DB_CREATED="pitchfest_test_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB_CREATED" >/dev/null
PG_TEST_DSN="$PG_BASE/$PG_DB_CREATED?sslmode=disable"

# --- S3: versitygw with its posix backend in a temp dir ---------------------------------------------------------
S3_PORT=$(free_port)
S3_KEY="pitchfest-test"
S3_SECRET="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$RUN/s3"
log "starting versitygw on port $S3_PORT"
versitygw --access "$S3_KEY" --secret "$S3_SECRET" --port "127.0.0.1:$S3_PORT" posix "$RUN/s3" >"$RUN/versitygw.log" 2>&1 &
VGW_PID=$!
wait_port "$S3_PORT" versitygw

# --- SMTP: mailpit, a real SMTP server whose HTTP API lets tests read what was sent ---------------------------
# It offers AUTH without TLS (accepting any login), so tests can prove we never send a password in clear text;
# --max 0 keeps every message of the run, since tests find theirs by recipient.
SMTP_PORT=$(free_port)
MAILPIT_PORT=$(free_port)
while [ "$MAILPIT_PORT" = "$SMTP_PORT" ] || [ "$MAILPIT_PORT" = "$S3_PORT" ]; do MAILPIT_PORT=$(free_port); done
mkdir -p "$RUN/mailpit"
log "starting mailpit (SMTP on port $SMTP_PORT, API on port $MAILPIT_PORT)"
mailpit --smtp "127.0.0.1:$SMTP_PORT" --listen "127.0.0.1:$MAILPIT_PORT" --database "$RUN/mailpit/mailpit.db" \
  --max 0 --disable-version-check --quiet --smtp-auth-accept-any --smtp-auth-allow-insecure \
  >"$RUN/mailpit.log" 2>&1 &
MAILPIT_PID=$!
wait_port "$SMTP_PORT" "mailpit (SMTP)"
wait_port "$MAILPIT_PORT" "mailpit (API)"

export PITCHFEST_TEST_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT?tls=none"
export PITCHFEST_TEST_MAILPIT_URL="http://127.0.0.1:$MAILPIT_PORT"
export PITCHFEST_TEST_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
export PITCHFEST_TEST_S3_ACCESS_KEY="$S3_KEY"
export PITCHFEST_TEST_S3_SECRET_KEY="$S3_SECRET"
export PITCHFEST_TEST_CHROMIUM="$CHROMIUM"
# Inside make test every service is present, so a test that would skip for lack of one fails instead.
export CI="${CI:-1}"

# --- checks -------------------------------------------------------------------------------------------------
log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
[ -z "$unformatted" ] || die "gofmt would change: $unformatted"
log "go vet"
go vet ./...
log "staticcheck"
staticcheck ./...

# The two passes run at the same time: each spends most of its time in a few long packages (e2e above all) while
# the other core waits, on fsync or on Chromium, so side by side they take little longer than the slower one.
# They share nothing but the servers, where every test makes its own schema, bucket and mail addresses. Each
# line is tagged with its pass; the packages of one pass are printed in order, as usual.
log "go test on SQLite and on PostgreSQL, side by side (S3 and Chromium included)"
go test -count=1 -timeout 30m ./... > >(sed -u 's/^/[sqlite] /') 2>&1 &
SQLITE_TEST_PID=$!
PITCHFEST_TEST_POSTGRES="$PG_TEST_DSN" go test -count=1 -timeout 30m ./... > >(sed -u 's/^/[postgres] /') 2>&1 &
PG_TEST_PID=$!
sqlite_rc=0 pg_rc=0
wait "$SQLITE_TEST_PID" || sqlite_rc=$?
SQLITE_TEST_PID=""
wait "$PG_TEST_PID" || pg_rc=$?
PG_TEST_PID=""
[ "$sqlite_rc" = 0 ] || printf 'make test: go test failed on SQLite (lines tagged [sqlite] above)\n' >&2
[ "$pg_rc" = 0 ] || printf 'make test: go test failed on PostgreSQL (lines tagged [postgres] above)\n' >&2
[ "$sqlite_rc" = 0 ] && [ "$pg_rc" = 0 ] || exit 1

log "all checks passed on SQLite and PostgreSQL, with S3 (versitygw), SMTP (mailpit) and Chromium"
