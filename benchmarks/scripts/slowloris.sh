#!/usr/bin/env bash
# benchmarks/scripts/slowloris.sh: rating latency with 200 slow connections open, against without.
#
# What it measures
#   POST /v1/rate (tenant acme-bank, body examples/requests/applicant.json) with wrk and
#   benchmarks/scripts/rate.lua, twice against the same rater: first alone, then while
#   benchmarks/scripts/slowloris.py holds SLOW (200) connections to the rating port, each sending
#   one more byte of an unfinished request every second (MODE headers: a header that never ends;
#   body: a body that never ends; idle: nothing). The rater closes them at its header/body/idle
#   timeout and the helper opens them again at once, so the slow connections stay open throughout.
#   During the slow run, /healthz on the health port is fetched once a second; its worst time is
#   reported. First a warm-up (WARMUP, default 15s, not reported: long enough for the model to
#   leave the interpreter, which the first measured run would otherwise pay for), then each
#   measured run (DURATION, default 20s), keep-alive, CONNECTIONS (16) connections, THREADS (2).
#   Prints both runs' requests/s, p50 and p99, how many slow connections the rater closed, and
#   the worst /healthz time.
#
# What it needs (installs nothing)
#   wrk, curl, python3, awk, a JDK 17, and the rater jar, built first with:
#     cd <repo> && mvn -q -o -ntp -DskipTests package
#   Free loopback ports RATER_PORT (18090) and RATER_HEALTH_PORT (18091).
#
# How to run
#   benchmarks/scripts/slowloris.sh
#   DURATION=60 SLOW=500 MODE=body benchmarks/scripts/slowloris.sh
#   Environment: DURATION (20), WARMUP (15), CONNECTIONS (16), THREADS (2), SLOW (200),
#   MODE (headers|body|idle), RATER_PORT, RATER_HEALTH_PORT, JAR (rater-pod/target/rater-pod.jar),
#   JAVA_OPTS ("-XX:+UseParallelGC -Xms512m -Xmx512m", as http-vs-nginx.sh), RATER_ARGS (extra
#   rater options, e.g. "--header-timeout-seconds 5"), KEEP_TMP=1 keeps the logs.
#   All load goes to 127.0.0.1 only; every run is bounded by its duration.
set -euo pipefail
# shellcheck source=benchmarks/scripts/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
SLOW=${SLOW:-200}
MODE=${MODE:-headers}
RATER_PORT=${RATER_PORT:-18090}
RATER_HEALTH_PORT=${RATER_HEALTH_PORT:-18091}
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}
CONFIG_DIR=$ROOT/examples/config
BODY_FILE=$ROOT/examples/requests/applicant.json
LUA=$ROOT/benchmarks/scripts/rate.lua
HELPER=$ROOT/benchmarks/scripts/slowloris.py
TENANT=acme-bank

wrk_duration() { if [[ $1 =~ ^[0-9]+$ ]]; then echo "${1}s"; else echo "$1"; fi; }
DURATION=$(wrk_duration "$DURATION")
WARMUP=$(wrk_duration "$WARMUP")

die() { echo "slowloris: $*" >&2; exit 1; }

for tool in wrk curl java python3 awk; do
  command -v "$tool" >/dev/null || die "'$tool' not found"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -q -o -ntp -DskipTests package)"

port_in_use "$RATER_PORT" && die "port $RATER_PORT is taken; set RATER_PORT"
port_in_use "$RATER_HEALTH_PORT" && die "port $RATER_HEALTH_PORT is taken; set RATER_HEALTH_PORT"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-slowloris.XXXXXX")
RATER_PID=""
SLOW_PID=""
PROBE_PID=""
# A private copy of the jar: a rebuild during the run must not change the code under test.
cp "$JAR" "$TMP/rater-pod.jar"
JAR=$TMP/rater-pod.jar

# SIGTERM, up to 15 s, then SIGKILL; only ever our own child pids.
cleanup() {
  stop_pid "$PROBE_PID"
  stop_pid "$SLOW_PID"
  stop_pid "$RATER_PID"
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    echo "slowloris: kept $TMP" >&2
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run_wrk() { # run_wrk DURATION OUTFILE
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --timeout 10s -s "$LUA" "$URL" -- "$BODY_FILE" "$TENANT" >"$2" 2>&1 \
    || { cat "$2" >&2; die "wrk failed"; }
  grep -q '^RATE_RESULT' "$2" || die "no RATE_RESULT line in $2"
}

field() { awk -v k="$1" '/^(RATE|SLOWLORIS)_RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$2"; }

echo "== clawrate slowloris benchmark: $SLOW slow connections ($MODE), wrk -t$THREADS -c$CONNECTIONS, warm-up $WARMUP, measured $DURATION"
echo "machine: $(nproc) cores, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | sed -n 1p

URL="http://127.0.0.1:$RATER_PORT/v1/rate"
HEALTH="http://127.0.0.1:$RATER_HEALTH_PORT/healthz"
# shellcheck disable=SC2086 # JAVA_OPTS and RATER_ARGS are lists
java $JAVA_OPTS -jar "$JAR" --config-dir "$CONFIG_DIR" --port "$RATER_PORT" \
  --health-port "$RATER_HEALTH_PORT" --host 127.0.0.1 ${RATER_ARGS:-} >"$TMP/rater.log" 2>&1 &
RATER_PID=$!
wait_200 "http://127.0.0.1:$RATER_HEALTH_PORT/readyz" 60 || { cat "$TMP/rater.log" >&2; die "rater not ready within 60 s"; }

echo "-- warm-up ($WARMUP, not reported)"
run_wrk "$WARMUP" "$TMP/warmup.txt"
echo "-- without slow connections ($DURATION)"
run_wrk "$DURATION" "$TMP/alone.txt"

python3 "$HELPER" 127.0.0.1 "$RATER_PORT" "$SLOW" "$MODE" >"$TMP/slowloris.log" 2>&1 &
SLOW_PID=$!
deadline=$(($(date +%s) + 30))
until grep -q "open=$SLOW " "$TMP/slowloris.log" 2>/dev/null; do
  (($(date +%s) < deadline)) || { cat "$TMP/slowloris.log" >&2; die "the helper did not get $SLOW connections open in 30 s"; }
  kill -0 "$SLOW_PID" 2>/dev/null || { cat "$TMP/slowloris.log" >&2; die "the helper exited"; }
  sleep 0.2
done
echo "-- with $SLOW slow connections open ($DURATION)"
(
  while :; do
    t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "$HEALTH" || echo "000 10")
    echo "$t"
    sleep 1
  done
) >"$TMP/healthz.txt" &
PROBE_PID=$!
run_wrk "$DURATION" "$TMP/slow.txt"
stop_pid "$PROBE_PID"
PROBE_PID=""
stop_pid "$SLOW_PID"
SLOW_PID=""

HEALTH_WORST=$(awk '{ if ($2 > m) m = $2 } END { printf "%.3f", m * 1000 }' "$TMP/healthz.txt")
HEALTH_BAD=$(awk '$1 != 200 { n++ } END { print n + 0 }' "$TMP/healthz.txt")
HEALTH_N=$(wc -l <"$TMP/healthz.txt")

cat <<SUMMARY

================ summary: POST /v1/rate with and without $SLOW slow connections ($MODE) ================
                      alone     with slow
req/s        $(printf '%12s %12s' "$(field rps "$TMP/alone.txt")" "$(field rps "$TMP/slow.txt")")
p50 ms       $(printf '%12s %12s' "$(field p50_ms "$TMP/alone.txt")" "$(field p50_ms "$TMP/slow.txt")")
p99 ms       $(printf '%12s %12s' "$(field p99_ms "$TMP/alone.txt")" "$(field p99_ms "$TMP/slow.txt")")
non-2xx/3xx  $(printf '%12s %12s' "$(field non2xx3xx "$TMP/alone.txt")" "$(field non2xx3xx "$TMP/slow.txt")")
slow conns   $(grep '^SLOWLORIS_RESULT' "$TMP/slowloris.log" | cut -d' ' -f2-)
/healthz     $HEALTH_N probes during the slow run, worst ${HEALTH_WORST} ms, $HEALTH_BAD not 200
rater JVM    $JAVA_OPTS ${RATER_ARGS:-}
load after   $(cut -d' ' -f1-3 /proc/loadavg) (ours included)
note         wrk, the helper and the rater share $(nproc) CPUs; on a busy machine, figures are indicative
SUMMARY
