#!/usr/bin/env bash
# benchmarks/scripts/noisy-neighbour.sh: what a flooded looping model costs another tenant (bulkheads, issue 11).
#
# What it measures
#   One rater in file mode serving two tenants: calm, rated by the example scorecard
#   (examples/models/credit-scorecard), and flood, whose model loops for ever
#   (contract/src/test/wasm/infinite-loop.wasm) and is stopped at its time limit (LOOP_TIMEOUT_MS,
#   default 2000). Two phases on the same warm rater, each DURATION seconds:
#     alone    hey drives calm at RATE requests/s over CONNECTIONS keep-alive workers;
#     flooded  the same, while FLOOD_CLIENTS clients hammer flood in a closed loop (hey, unpaced),
#             starting a second before calm's load and ending after it.
#   By default the rater rates on worker threads only (RATER_ARGS="--rate-on-network-threads
#   never"): the case where the flood competes with calm for the same workers, which is what the
#   bulkheads (--model-worker-share, --tenant-worker-share, --worker-queue, --worker-queue-wait-ms)
#   are for. Before them, 20 looping clients held every worker and a calm rating waited seconds.
#   During the flood, /healthz on the health port is timed with curl (HEALTH_PROBES times), and one
#   flood request is sent with curl -i to show a 503 carries Retry-After.
#   Prints per phase calm's req/s, p50, p99, max and non-2xx answers; the flood's answers by HTTP
#   status (503 overloaded, 504 model_timeout); the /healthz times; and the targets:
#     calm non-2xx under the flood = 0, and calm p99 flooded <= 10 x alone (indicative).
#
# What it needs (installs nothing)
#   Debian packages: hey, curl, coreutils, gawk or mawk; a JDK 17 (openjdk-17-jre-headless).
#   The rater jar, built first with:
#     cd <repo> && mvn -o -q -ntp -pl rater-pod -am package -DskipTests
#   Free loopback ports PORT (18095) and PORT + 1 (health).
#
# How to run
#   benchmarks/scripts/noisy-neighbour.sh                     # 10s warm-up, 20s per phase
#   DURATION=10 WARMUP=5 benchmarks/scripts/noisy-neighbour.sh
#   Environment: DURATION (20), WARMUP (10), RATE (1000 requests/s for calm), CONNECTIONS (8),
#   FLOOD_CLIENTS (20), LOOP_TIMEOUT_MS (2000), HEALTH_PROBES (10), PORT (18095),
#   JAR (rater-pod/target/rater-pod.jar), JAVA_OPTS ("-XX:+UseParallelGC -Xms512m -Xmx512m"),
#   RATER_ARGS ("--rate-on-network-threads never"; add e.g. "--model-worker-share 50"),
#   KEEP_TMP=1 keeps the temporary dir (config, rater log, hey output). All load goes to 127.0.0.1
#   only; every hey run is bounded by its -z duration.
set -euo pipefail
# shellcheck source=benchmarks/scripts/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
RATE=${RATE:-1000}
CONNECTIONS=${CONNECTIONS:-8}
FLOOD_CLIENTS=${FLOOD_CLIENTS:-20}
LOOP_TIMEOUT_MS=${LOOP_TIMEOUT_MS:-2000}
HEALTH_PROBES=${HEALTH_PROBES:-10}
PORT=${PORT:-18095}
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}
RATER_ARGS=${RATER_ARGS:---rate-on-network-threads never}
SCORECARD=$ROOT/examples/models/credit-scorecard/credit-scorecard.wasm
LOOP=$ROOT/contract/src/test/wasm/infinite-loop.wasm
BODY_FILE=$ROOT/examples/requests/applicant.json

die() { echo "noisy-neighbour: $*" >&2; exit 1; }

for n in DURATION WARMUP RATE CONNECTIONS FLOOD_CLIENTS LOOP_TIMEOUT_MS HEALTH_PROBES PORT; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer"
done
for tool in hey curl java awk sort sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: hey, curl, openjdk-17-jre-headless, mawk, coreutils)"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -o -q -ntp -pl rater-pod -am package -DskipTests)"
for f in "$SCORECARD" "$LOOP" "$BODY_FILE"; do [[ -f $f ]] || die "missing $f"; done
for p in "$PORT" $((PORT + 1)); do port_in_use "$p" && die "port $p is taken; set PORT"; done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-noisy-bench.XXXXXX")
RATER_PID=""
FLOOD_PID=""
# A private copy of the jar: a rebuild while the benchmark runs must not change the code under test.
cp "$JAR" "$TMP/rater-pod.jar"

cleanup() {
  stop_pid "$FLOOD_PID"
  stop_pid "$RATER_PID"
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "noisy-neighbour: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ config and rater
mkdir -p "$TMP/config/modules"
digest() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
SCORE_DIGEST=$(digest "$SCORECARD")
LOOP_DIGEST=$(digest "$LOOP")
cp "$SCORECARD" "$TMP/config/modules/${SCORE_DIGEST#sha256:}.wasm"
cp "$LOOP" "$TMP/config/modules/${LOOP_DIGEST#sha256:}.wasm"
cat >"$TMP/config/snapshot.json" <<EOF
{"revision": 1, "track": "stable",
 "models": {
   "credit-scorecard": {"digest": "$SCORE_DIGEST", "entrypoint": "rate", "limits": {"maxMemoryPages": 16, "timeoutMillis": 50, "maxInputBytes": 65536}},
   "loop": {"digest": "$LOOP_DIGEST", "entrypoint": "rate", "limits": {"maxMemoryPages": 16, "timeoutMillis": $LOOP_TIMEOUT_MS, "maxInputBytes": 65536}}},
 "tenants": {
   "calm": {"model": "credit-scorecard", "threshold": 650, "parameters": {}},
   "flood": {"model": "loop", "threshold": 650, "parameters": {}}}}
EOF

RATE_URL=http://127.0.0.1:$PORT/v1/rate
HEALTH_URL=http://127.0.0.1:$((PORT + 1))
# shellcheck disable=SC2086 # JAVA_OPTS and RATER_ARGS are lists
java $JAVA_OPTS -jar "$TMP/rater-pod.jar" --config-dir "$TMP/config" --port "$PORT" \
  --health-port $((PORT + 1)) --host 127.0.0.1 $RATER_ARGS >"$TMP/rater.log" 2>&1 &
RATER_PID=$!
deadline=$(($(date +%s) + 60))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$HEALTH_URL/readyz" || true) == 200 ]]; do
  (($(date +%s) < deadline)) || { cat "$TMP/rater.log" >&2; die "rater not ready within 60 s"; }
  sleep 0.05
done

# hey_result CSV SECONDS: one RESULT line from hey's per-request CSV (response-time in seconds
# first, status code seventh). Percentiles by nearest rank over every request.
hey_result() {
  awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ { print $1 * 1000, $7 }' "$1" | sort -n -k1,1 |
    awk -v secs="$2" '{ ms[NR] = $1; if ($2 != 200) bad++ }
      function pct(p,  r) { r = int(p * NR); if (r < p * NR) r++; if (r < 1) r = 1; return ms[r] }
      END { if (NR == 0) { print "RESULT requests=0"; exit }
        printf "RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d\n",
          NR, NR / secs, pct(0.50), pct(0.99), ms[NR], bad + 0 }'
}
field() { awk -v k="$1" '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$2"; }

# calm SECONDS OUT: paced load on calm, leaves a RESULT line in OUT.
calm() {
  hey -z "${1}s" -c "$CONNECTIONS" -q "$(awk -v r="$RATE" -v c="$CONNECTIONS" 'BEGIN { printf "%.3f", r / c }')" \
    -t 10 -m POST -T application/json -H "X-Tenant-Id: calm" -D "$BODY_FILE" -o csv "$RATE_URL" \
    >"$2.csv" 2>"$2.err" || { cat "$2.err" >&2; die "hey failed"; }
  hey_result "$2.csv" "$1" >"$2"
  grep -q '^RESULT requests=[1-9]' "$2" || die "no calm requests measured"
}

# statuses CSV: the answers of a hey CSV by HTTP status, e.g. "200:5990 503:10".
statuses() { awk -F, 'NR > 1 && $7 ~ /^[0-9]+$/ { n[$7]++ } END { for (s in n) printf "%s:%d ", s, n[s] }' "$1"; }

report() {
  printf '   %-8s calm req/s %8s  p50 %8s ms  p99 %9s ms  max %9s ms  by status %s\n' "$1" \
    "$(field rps "$2")" "$(field p50_ms "$2")" "$(field p99_ms "$2")" "$(field max_ms "$2")" "$(statuses "$2.csv")"
}

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
echo "== clawrate noisy-neighbour benchmark: calm at $RATE req/s over $CONNECTIONS workers, flood $FLOOD_CLIENTS clients on a ${LOOP_TIMEOUT_MS} ms loop"
echo "   rater options: $RATER_ARGS; tmp dir $TMP"
echo "-- warm-up: ${WARMUP}s of calm alone (not reported)"
calm "$WARMUP" "$TMP/warmup.txt"

echo "-- alone: ${DURATION}s"
calm "$DURATION" "$TMP/alone.txt"
report alone "$TMP/alone.txt"

echo "-- flooded: ${DURATION}s"
hey -z "$((DURATION + 2))s" -c "$FLOOD_CLIENTS" -t 30 -m POST -T application/json -H "X-Tenant-Id: flood" \
  -D "$BODY_FILE" -o csv "$RATE_URL" >"$TMP/flood.csv" 2>"$TMP/flood.err" &
FLOOD_PID=$!
sleep 1
calm "$DURATION" "$TMP/flooded.txt" &
CALM_PID=$!
: >"$TMP/health.txt"
for ((i = 0; i < HEALTH_PROBES; i++)); do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 "$HEALTH_URL/healthz" >>"$TMP/health.txt" || echo "000 30" >>"$TMP/health.txt"
  sleep 0.5
done
curl -s -i --max-time 30 -X POST -H 'X-Tenant-Id: flood' -H 'Content-Type: application/json' \
  --data-binary "@$BODY_FILE" "$RATE_URL" | tr -d '\r' >"$TMP/flood-one.txt" || true
wait "$CALM_PID"
wait "$FLOOD_PID" || { cat "$TMP/flood.err" >&2; die "hey (flood) failed"; }
FLOOD_PID=""
report flooded "$TMP/flooded.txt"
FLOOD_STATUS=$(statuses "$TMP/flood.csv")
echo "   flood answers by status: ${FLOOD_STATUS:-none}"
echo "   one flood answer: $(sed -n 1p "$TMP/flood-one.txt"), $(grep -i '^retry-after:' "$TMP/flood-one.txt" || echo 'no Retry-After')"
HEALTH=$(awk '{ s = $2 * 1000; if (s > max) max = s; if ($1 != 200) bad++ } END { printf "max %.1f ms over %d probes, non-200 %d", max, NR, bad + 0 }' "$TMP/health.txt")
echo "   /healthz during the flood: $HEALTH"
stop_pid "$RATER_PID"
RATER_PID=""

# ------------------------------------------------------------------ summary
ALONE_P99=$(field p99_ms "$TMP/alone.txt")
FLOODED_P99=$(field p99_ms "$TMP/flooded.txt")
FLOODED_BAD=$(field non2xx "$TMP/flooded.txt")
echo
echo "================ summary: a flooded looping model and another tenant ================"
printf 'target      calm non-2xx under the flood %s = 0  %s\n' "$FLOODED_BAD" "$([[ $FLOODED_BAD == 0 ]] && echo PASS || echo MISS)"
awk -v a="$ALONE_P99" -v f="$FLOODED_P99" 'BEGIN {
  r = a > 0 ? f / a : 0
  printf "target      calm p99 flooded %.3f ms / alone %.3f ms = %.2f <= 10  %s\n", f, a, r, (r <= 10 ? "PASS" : "MISS") }'
cat <<EOF
machine     nproc $(nproc), CPU: $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)
            java: $(java -version 2>&1 | sed -n 1p)
            load average before: $LOAD_BEFORE, after: $(cut -d" " -f1-3 /proc/loadavg) (ours included)
note        hey, the rater and its looping calls share these CPUs (no pinning); other work on the
            box moves every number, so only a quiet machine's figures count.
=====================================================================================
EOF
