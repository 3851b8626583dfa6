#!/usr/bin/env bash
# The deadline-rush fault run (issue 9, docs/benchmarks.md "Deadline rush"): PostgreSQL restarts in the middle
# of the rush. Requests may fail with a clear error while it is away, but nothing acknowledged may be lost and
# the app must recover without being restarted itself.
#
# It starts a throwaway PostgreSQL cluster of its own (initdb + pg_ctl on a free port under /tmp; never the
# machine's server, which others use), one `pitchfest serve` process on it with blobs on local disk, and
# cmd/rush against that server with retries (applicants press the button again after a failure, as people
# do). At RESTART_AT of the ramp it restarts the cluster with `pg_ctl restart -m fast` (every connection is
# cut). Then it checks:
#   1. rush's verify step: every acknowledged submission and deck exists exactly once, none after the deadline;
#   2. the server process is still the one started (no restart of its own) and /readyz answers 200;
#   3. a second, short rush on the same server without retries succeeds entirely (requests after the restart
#      succeed).
# Everything it started is stopped at exit.
#
#   scripts/faultrun.sh                        # N=2000 over 90 s, restart at 50 % of the ramp
#   N=600 RAMP=60 RESTART_AT=0.5 SIGNED_IN=1 scripts/faultrun.sh
#
# Run as root (the cluster runs as the postgres user through runuser) or as a user who can run initdb.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
RAMP=${RAMP:-90}             # seconds from the first arrival to the last
RESTART_AT=${RESTART_AT:-0.5} # share of the ramp after which PostgreSQL restarts
SIGNED_IN=${SIGNED_IN:-1}    # 1: seeded sessions (the rush without argon2id); 0: every applicant signs in
WORKERS=${WORKERS:-64}

RUN=$(mktemp -d /tmp/pitchfest-faultrun.XXXXXX)
chmod 755 "$RUN"
PG_STARTED="" SERVER_PID="" RUSH_PID=""
log() { printf '\n== %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'faultrun: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}
cleanup() {
  local rc=$?
  set +e
  [ -n "$RUSH_PID" ] && kill "$RUSH_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$PG_STARTED" ] && as_pg "$PG_BIN/pg_ctl" -D "$RUN/pg/data" -m immediate -w stop >/dev/null 2>&1
  if [ "$rc" = 0 ]; then rm -rf "$RUN"; else echo "faultrun: failed; logs kept in $RUN" >&2; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG_BIN" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
PG_PORT=$(free_port)
log "throwaway PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT, data in $RUN/pg"
mkdir -p "$RUN/pg"
is_root && chown postgres "$RUN/pg"
as_pg "$PG_BIN/initdb" -D "$RUN/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null
PG_OPTS="-p $PG_PORT -k $RUN/pg -c listen_addresses=127.0.0.1 -c max_connections=200"
as_pg "$PG_BIN/pg_ctl" -D "$RUN/pg/data" -l "$RUN/pg/log" -w -o "$PG_OPTS" start >/dev/null
PG_STARTED=1
psql "postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable" -qc "CREATE DATABASE rush" >/dev/null

log "building pitchfest and rush"
go build -o "$RUN/pitchfest" ./cmd/pitchfest
go build -o "$RUN/rush" ./cmd/rush

APP_PORT=$(free_port)
export PITCHFEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/rush?sslmode=disable"
export PITCHFEST_DATA_DIR="$RUN/data"
export PITCHFEST_ADDR="127.0.0.1:$APP_PORT"
export PITCHFEST_BASE_URL="http://127.0.0.1:$APP_PORT"
export PITCHFEST_TRUSTED_PROXIES=127.0.0.1
export PITCHFEST_LOG_LEVEL=${PITCHFEST_LOG_LEVEL:-warn}
mkdir -p "$RUN/data"
"$RUN/pitchfest" serve >"$RUN/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
  curl -fsS -o /dev/null "$PITCHFEST_BASE_URL/readyz" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited: $(tail -5 "$RUN/server.log")"
  sleep 0.2
done
curl -fsS -o /dev/null "$PITCHFEST_BASE_URL/readyz" || die "the server never became ready"
log "server pid $SERVER_PID on $PITCHFEST_BASE_URL; load: $(uptime)"

FLAGS=(-url "$PITCHFEST_BASE_URL" -n "$N" -ramp "${RAMP}s" -workers "$WORKERS" -retries 10 -retry-wait 2s)
[ "$SIGNED_IN" = 1 ] && FLAGS+=(-signed-in)
log "rush ${FLAGS[*]}"
"$RUN/rush" "${FLAGS[@]}" >"$RUN/rush.out" 2>&1 &
RUSH_PID=$!
# The ramp starts 2 s after rush prints the edition line (after seeding).
until grep -q '^edition ' "$RUN/rush.out"; do
  kill -0 "$RUSH_PID" 2>/dev/null || { cat "$RUN/rush.out"; die "rush ended before the rush began"; }
  sleep 0.5
done
sleep "$(awk -v r="$RAMP" -v a="$RESTART_AT" 'BEGIN { printf "%.1f", 2 + r * a }')"
log "restarting PostgreSQL (pg_ctl restart -m fast)"
T0=$(date +%s.%N)
as_pg "$PG_BIN/pg_ctl" -D "$RUN/pg/data" -l "$RUN/pg/log" -w -m fast -o "$PG_OPTS" restart >/dev/null
log "PostgreSQL back after $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
set +e
wait "$RUSH_PID"
RUSH_RC=$?
set -e
RUSH_PID=""
cat "$RUN/rush.out"
[ "$RUSH_RC" = 0 ] || die "rush failed (exit $RUSH_RC): see the verify lines above"

log "after the restart: the same server process, ready, and a short rush without retries"
kill -0 "$SERVER_PID" 2>/dev/null || die "the server process died"
curl -fsS -o /dev/null "$PITCHFEST_BASE_URL/readyz" || die "/readyz does not answer 200 after the restart"
"$RUN/rush" -url "$PITCHFEST_BASE_URL" -n 50 -ramp 5s -late 0 -signed-in | tee "$RUN/after.out"
grep -Eq '^[1-9][0-9]* complete submissions' "$RUN/after.out" || die "no submission succeeded after the restart"
awk '$1 ~ /^(create_draft|save_draft|upload_deck|submit)$/ && $NF != 0 { bad = 1 } END { exit bad }' "$RUN/after.out" ||
  die "requests failed after the restart (see the errors column above)"

log "server log lines at warn and above: $(grep -c . "$RUN/server.log" || true); the first ones:"
head -n 15 "$RUN/server.log" | cut -c1-400
log "fault run passed; load: $(uptime)"
