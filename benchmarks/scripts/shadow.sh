#!/usr/bin/env bash
# benchmarks/scripts/shadow.sh: what a shadow (contract 2, the canary's shadow phase) costs the live requests.
#
# What it measures
#   One rater in file mode serving the example scorecard (examples/models/credit-scorecard) for
#   one tenant, acme-bank, driven by wrk with benchmarks/scripts/rate.lua and examples/requests/applicant.json,
#   exactly as benchmarks/scripts/http-vs-nginx.sh drives it. The same load is run against three configs, each
#   on a freshly started rater:
#     none    the tenant has no shadow
#     0.05    the tenant has a shadow of the same model (same digest, limits, threshold) sampling
#             5% of its rated requests
#     0.2     the same at 20%
#   (SHADOW_RATES changes the rates.) A shadow of the same model is the worst case for the live
#   path that still compares something: the candidate costs exactly what the live model does.
#   The three raters run side by side (each on its own ports), and only one is driven at a time:
#   an idle rater costs next to nothing. Each is warmed up once (WARMUP), then ROUNDS rounds
#   drive each in turn for DURATION seconds. Short slices in turn,
#   on JVMs that stay warm, let a busy machine's spikes hit a slice or two of every variant
#   instead of a whole variant, and the median over the rounds sees through them. Each round
#   starts with the next variant (none first, then 0.05 first, ...), so no variant always
#   follows the same one.
#   Two loads (LOAD):
#     rate      (default) hey at a fixed RATE of requests per second in total over CONNECTIONS
#               keep-alive workers, below what the rater can serve, as a rater runs in
#               production: the latency then shows what the shadow adds to a request, not how a
#               saturated server queues. Percentiles are computed from hey's per-request CSV.
#     saturate  wrk in a closed loop (benchmarks/scripts/rate.lua, CONNECTIONS connections, THREADS threads),
#               as benchmarks/scripts/http-vs-nginx.sh runs it: the shadow's CPU is taken from serving and
#               shows in req/s as much as in latency.
#   Around each shadow slice the rater's /metrics says how many samples were compared and
#   skipped, so a slice whose shadow did nothing cannot pass for a cheap one.
#   Prints every run, then per round the p99 of each shadow variant over the p99 of "none" of
#   the same round, and per shadow rate the median of those ratios over the rounds, against the
#   target: shadow overhead on p99 <= 10% (median ratio <= 1.10). The median is what the verdict
#   reads, because a busy machine moves single runs by more than that; every run is printed.
#
# What it needs (installs nothing)
#   Debian packages: hey (LOAD=rate) or wrk (LOAD=saturate), curl, coreutils, gawk or mawk; a
#   JDK 17 (openjdk-17-jre-headless).
#   The rater jar, built first with:
#     cd <repo> && mvn -o -q -ntp -pl rater-pod -am package -DskipTests
#   Free loopback ports PORT_BASE (18090) to PORT_BASE + 5: rating and health port of each rater.
#
# How to run
#   benchmarks/scripts/shadow.sh                         # 30s warm-up each, then 10 rounds of 10s slices
#   ROUNDS=20 DURATION=5 benchmarks/scripts/shadow.sh
#   LOAD=saturate benchmarks/scripts/shadow.sh
#   Environment: LOAD (rate), RATE (2000 requests/s in total, LOAD=rate), ROUNDS (10), DURATION
#   (10, seconds per slice), WARMUP (30, seconds per rater), CONNECTIONS (16 with LOAD=rate, 64
#   with LOAD=saturate), THREADS (2, wrk only), SHADOW_RATES ("0.05 0.2"), PORT_BASE (18090),
#   JAR (rater-pod/target/rater-pod.jar), JAVA_OPTS (default those of
#   benchmarks/scripts/http-vs-nginx.sh: "-XX:+UseParallelGC -Xms512m -Xmx512m"), RATER_ARGS (extra rater
#   options, e.g. "--shadow-threads 2"), KEEP_TMP=1 keeps the temporary dir (configs, logs, wrk
#   output). All load goes to 127.0.0.1 only; every wrk run is bounded by its -d duration.
#
# CPU
#   No pinning, as in benchmarks/scripts/http-vs-nginx.sh: the load generator, the rater and its shadow thread
#   share every CPU of the box.
set -euo pipefail
# shellcheck source=benchmarks/scripts/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

LOAD=${LOAD:-rate}
RATE=${RATE:-2000}
ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-30}
THREADS=${THREADS:-2}
SHADOW_RATES=${SHADOW_RATES:-0.05 0.2}
PORT_BASE=${PORT_BASE:-18090}
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}
MODULE=$ROOT/examples/models/credit-scorecard/credit-scorecard.wasm
BODY_FILE=$ROOT/examples/requests/applicant.json
LUA=$ROOT/benchmarks/scripts/rate.lua
TENANT=acme-bank
TARGET_RATIO=1.10

die() { echo "shadow: $*" >&2; exit 1; }

case $LOAD in
  rate) LOADGEN=hey; CONNECTIONS=${CONNECTIONS:-16} ;;
  saturate) LOADGEN=wrk; CONNECTIONS=${CONNECTIONS:-64} ;;
  *) die "LOAD must be rate or saturate" ;;
esac
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a whole number of seconds"
[[ $WARMUP =~ ^[1-9][0-9]*$ ]] || die "WARMUP must be a whole number of seconds"
[[ $RATE =~ ^[1-9][0-9]*$ ]] || die "RATE must be a positive integer"
[[ $CONNECTIONS =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive integer"
# hey paces each worker: its rate is the total over the workers.
PER_WORKER=$(awk -v r="$RATE" -v c="$CONNECTIONS" 'BEGIN { printf "%.3f", r / c }')

for tool in "$LOADGEN" curl java awk sort sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: hey, wrk, curl, openjdk-17-jre-headless, mawk, coreutils)"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -o -q -ntp -pl rater-pod -am package -DskipTests)"
[[ -f $MODULE ]] || die "no scorecard module at $MODULE"
[[ -f $BODY_FILE ]] || die "no request body at $BODY_FILE"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"
for rate in $SHADOW_RATES; do
  awk -v r="$rate" 'BEGIN { exit !(r + 0 > 0 && r + 0 <= 1) }' || die "shadow rate '$rate' must be above 0 and at most 1"
done

[[ $PORT_BASE =~ ^[1-9][0-9]*$ ]] || die "PORT_BASE must be a port number"
VARIANTS="none $SHADOW_RATES"
PORT_COUNT=$((2 * $(wc -w <<<"$VARIANTS")))
for ((p = PORT_BASE; p < PORT_BASE + PORT_COUNT; p++)); do
  port_in_use "$p" && die "port $p is taken; set PORT_BASE"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-shadow-bench.XXXXXX")
declare -A PIDS=() PORTS=()
# A private copy of the jar: a rebuild while the benchmark runs must not change the code under test.
cp "$JAR" "$TMP/rater-pod.jar"
JAR=$TMP/rater-pod.jar

# stop_rater VARIANT
stop_rater() {
  stop_pid "${PIDS[$1]:-}"
  PIDS[$1]=""
}

cleanup() {
  local variant
  for variant in "${!PIDS[@]}"; do stop_rater "$variant"; done
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "shadow: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# field NAME FILE: value of NAME= on the RATE_RESULT line (wrk's, through benchmarks/scripts/rate.lua, or the
# one hey_result writes).
field() { awk -v k="$1" '/^RATE_RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$2"; }

# hey_result CSV SECONDS: a RATE_RESULT line from hey's per-request CSV (response-time in seconds
# first, status code seventh). Percentiles by nearest rank over every request.
hey_result() {
  awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ { print $1 * 1000, $7 }' "$1" | sort -n -k1,1 |
    awk -v secs="$2" '{ ms[NR] = $1; if ($2 != 200) bad++ }
      function pct(p,  r) { r = int(p * NR); if (r < p * NR) r++; if (r < 1) r = 1; return ms[r] }
      END { if (NR == 0) { print "RATE_RESULT requests=0"; exit }
        printf "RATE_RESULT requests=%d duration_s=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx3xx=%d\n",
          NR, secs, NR / secs, pct(0.50), pct(0.99), ms[NR], bad }'
}

# load URL SECONDS OUT: drives a rater for SECONDS and leaves a RATE_RESULT line in OUT.
load() {
  local url=$1 secs=$2 out=$3
  if [[ $LOAD == rate ]]; then
    hey -z "${secs}s" -c "$CONNECTIONS" -q "$PER_WORKER" -t 5 -m POST -T application/json \
      -H "X-Tenant-Id: $TENANT" -D "$BODY_FILE" -o csv "$url" >"$out.csv" 2>"$out.err" \
      || { cat "$out.err" >&2; die "hey failed"; }
    hey_result "$out.csv" "$secs" >"$out"
    rm -f "$out.csv"
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 5s -s "$LUA" "$url" -- "$BODY_FILE" "$TENANT" \
      >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  fi
  grep -q '^RATE_RESULT requests=[1-9]' "$out" || { cat "$out" >&2; die "no requests measured in $out"; }
}

# ------------------------------------------------------------------ configs
DIGEST=sha256:$(sha256sum "$MODULE" | cut -d' ' -f1)
MODEL_JSON="{\"digest\": \"$DIGEST\", \"entrypoint\": \"rate\", \"limits\": {\"maxMemoryPages\": 16, \"timeoutMillis\": 50, \"maxInputBytes\": 65536}}"
TENANT_JSON="{\"model\": \"credit-scorecard\", \"threshold\": 650, \"parameters\": {}}"

# config DIR RATE: a config dir serving the scorecard for acme-bank; RATE "none" means no shadow.
config() {
  local dir=$1 rate=$2 shadows=""
  mkdir -p "$dir/modules"
  cp "$MODULE" "$dir/modules/${DIGEST#sha256:}.wasm"
  if [[ $rate != none ]]; then
    shadows=", \"shadows\": {\"$TENANT\": {\"sampleRate\": $rate, \"model\": $MODEL_JSON, \"tenant\": $TENANT_JSON}}"
  fi
  cat >"$dir/snapshot.json" <<EOF
{"revision": 1, "track": "stable",
 "models": {"credit-scorecard": $MODEL_JSON},
 "tenants": {"$TENANT": $TENANT_JSON}$shadows}
EOF
}

for variant in $VARIANTS; do config "$TMP/config-$variant" "$variant"; done

# metric_sum NAME FILE: sum of every sample of NAME (any labels) in a Prometheus scrape.
metric_sum() { awk -v n="$1" 'index($0, n "{") == 1 { s += $NF } END { printf "%d", s }' "$2"; }

rate_url() { echo "http://127.0.0.1:${PORTS[$1]}/v1/rate"; }
health_url() { echo "http://127.0.0.1:$((PORTS[$1] + 1))"; }

# start_rater VARIANT PORT: starts a rater on the variant's config (PORT and PORT + 1), waits
# until it rates, and checks a shadow variant runs its shadow.
start_rater() {
  local variant=$1 code try
  PORTS[$variant]=$2
  # shellcheck disable=SC2086 # JAVA_OPTS and RATER_ARGS are lists
  java $JAVA_OPTS -jar "$JAR" --config-dir "$TMP/config-$variant" --port "$2" \
    --health-port "$(($2 + 1))" --host 127.0.0.1 ${RATER_ARGS:-} >"$TMP/rater-$variant.log" 2>&1 &
  PIDS[$variant]=$!
  wait_200 "$(health_url "$variant")/readyz" 60 || { cat "$TMP/rater-$variant.log" >&2; die "rater ($variant) not ready within 60 s"; }
  # The first calls run in the interpreter while the module compiles, and on a busy box one may
  # overrun the 50 ms limit: a few tries, then the warm-up.
  for ((try = 1; try <= 20; try++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Tenant-Id: $TENANT" \
      -H 'Content-Type: application/json' --data-binary "@$BODY_FILE" "$(rate_url "$variant")")
    [[ $code == 200 ]] && break
  done
  [[ $code == 200 ]] || die "rater ($variant) answered $code to the sample request, 20 times"
  if [[ $variant != none ]]; then
    curl -s "$(health_url "$variant")/v1/models" | grep -q '"active":true' \
      || die "rater ($variant) runs no shadow: $(curl -s "$(health_url "$variant")/v1/models")"
  fi
}

# measure ROUND VARIANT: one slice of load on the variant's rater, with its shadow's counts.
measure() {
  local round=$1 variant=$2 out=$TMP/r$1-$2 compared skipped
  curl -s "$(health_url "$variant")/metrics" >"$out.metrics-before.txt"
  load "$(rate_url "$variant")" "$DURATION" "$out.txt"
  curl -s "$(health_url "$variant")/metrics" >"$out.metrics.txt"
  compared=$(($(metric_sum clawrate_shadow_comparisons_total "$out.metrics.txt") - $(metric_sum clawrate_shadow_comparisons_total "$out.metrics-before.txt")))
  skipped=$(($(metric_sum clawrate_shadow_skipped_total "$out.metrics.txt") - $(metric_sum clawrate_shadow_skipped_total "$out.metrics-before.txt")))
  echo "$round $variant $(field rps "$out.txt") $(field p50_ms "$out.txt") $(field p99_ms "$out.txt") $(field requests "$out.txt") $(field non2xx3xx "$out.txt") $compared $skipped" >>"$TMP/results.txt"
  printf '   round %2d %-5s req/s %9s  p50 %7s ms  p99 %8s ms  non-2xx %s  shadow compared %s skipped %s\n' \
    "$round" "$variant" "$(field rps "$out.txt")" "$(field p50_ms "$out.txt")" "$(field p99_ms "$out.txt")" \
    "$(field non2xx3xx "$out.txt")" "$compared" "$skipped"
}

# ------------------------------------------------------------------ runs
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
if [[ $LOAD == rate ]]; then
  LOAD_DESC="hey at $RATE req/s over $CONNECTIONS keep-alive workers"
else
  LOAD_DESC="wrk closed loop, -c$CONNECTIONS -t$THREADS"
fi
echo "== clawrate shadow benchmark: $ROUNDS round(s) of [$VARIANTS], warm-up ${WARMUP}s, measured ${DURATION}s, $LOAD_DESC"
echo "   tenant $TENANT, model credit-scorecard $DIGEST; tmp dir $TMP"
: >"$TMP/results.txt"
port=$PORT_BASE
for variant in $VARIANTS; do
  start_rater "$variant" "$port"
  port=$((port + 2))
done
echo "-- warm-up: ${WARMUP}s per rater, one after the other (not reported)"
for variant in $VARIANTS; do load "$(rate_url "$variant")" "$WARMUP" "$TMP/warmup-$variant.txt"; done
echo "-- $ROUNDS rounds of ${DURATION}s per rater"
read -r -a ORDER <<<"$VARIANTS"
for ((round = 1; round <= ROUNDS; round++)); do
  # Each round starts with the next variant, so none of them always comes first or last.
  for ((i = 0; i < ${#ORDER[@]}; i++)); do
    measure "$round" "${ORDER[(i + round - 1) % ${#ORDER[@]}]}"
  done
done
for variant in $VARIANTS; do stop_rater "$variant"; done

# ------------------------------------------------------------------ summary
echo
echo "================ summary: shadow overhead on POST /v1/rate ================"
printf '%-6s %-6s %10s %9s %9s %10s %12s %9s %10s\n' round shadow "req/s" "p50 ms" "p99 ms" "p99 ratio" "req/s ratio" compared skipped
awk -v target="$TARGET_RATIO" '
  { round[NR] = $1; variant[NR] = $2; rps[NR] = $3; p50[NR] = $4; p99[NR] = $5; cmp[NR] = $8; skip[NR] = $9
    if ($2 == "none") { base99[$1] = $5; basers[$1] = $3 } }
  END {
    worst = 0
    for (i = 1; i <= NR; i++) {
      r99 = base99[round[i]] > 0 ? p99[i] / base99[round[i]] : 0
      rrs = basers[round[i]] > 0 ? rps[i] / basers[round[i]] : 0
      if (variant[i] != "none" && r99 > worst) worst = r99
      printf "%-6s %-6s %10s %9s %9s %10.3f %12.3f %9s %10s\n", round[i], variant[i], rps[i], p50[i], p99[i], r99, rrs,
        (variant[i] == "none" ? "-" : cmp[i]), (variant[i] == "none" ? "-" : skip[i])
    }
    printf "worst single-round p99 ratio %.3f\n", worst
  }' "$TMP/results.txt"
# Per shadow rate: the median over the rounds of its p99 ratio to "none" of the same round.
awk '{ if ($2 == "none") base[$1] = $5; else { rate[NR] = $2; round[NR] = $1; p99[NR] = $5 } }
  END { for (i in rate) if (base[round[i]] > 0) print rate[i], p99[i] / base[round[i]] }' "$TMP/results.txt" |
  sort -k1,1 -k2,2n | awk -v target="$TARGET_RATIO" '
    { n[$1]++; v[$1, n[$1]] = $2 }
    END { for (r in n) {
        k = n[r]; med = (k % 2) ? v[r, (k + 1) / 2] : (v[r, k / 2] + v[r, k / 2 + 1]) / 2
        printf "target      shadow %-5s median p99 ratio over %d round(s) %.3f <= %.2f  %s\n", r, k, med, target,
          (med <= target ? "PASS" : "MISS by " sprintf("%.1f%%", 100 * (med - target))) } }'
echo "load        $LOAD_DESC; ${WARMUP}s of warm-up per rater, then $ROUNDS rounds of ${DURATION}s slices"
cat <<EOF
rater JVM   $JAVA_OPTS ${RATER_ARGS:-}
machine     nproc $(nproc), CPU: $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)
            java: $(java -version 2>&1 | sed -n 1p)
            load average before: $LOAD_BEFORE, after: $(cut -d" " -f1-3 /proc/loadavg) (ours included)
note        ratios compare runs of the same round only; the load generator, the rater and the shadow
            thread share these CPUs (no pinning), and other work on the box moves every number.
===========================================================================
EOF
