#!/usr/bin/env bash
# benchmarks/scripts/model-memory.sh: a memory-hungry tenant beside a normal one, under the
# rater's model memory budget (docs/rater.md, "Model memory").
#
# What it measures
#   One rater in file mode serving two tenants:
#     acme-bank     the example scorecard (examples/models/credit-scorecard), driven by hey at a
#                   fixed RATE of requests per second over CONNECTIONS workers
#     hungry-bank   contract/src/test/wasm/memory-hungry.wasm (30 MiB of linear memory per
#                   instance, maxMemoryPages 4096), driven by hey in a closed loop with
#                   HUNGRY_CONNECTIONS workers (no pacing: as many calls at once as it can get)
#   Two phases of DURATION seconds on the same warm rater: "alone" (acme-bank only) and
#   "beside" (acme-bank and hungry-bank at once). For each tenant and phase it prints the status
#   codes, p50/p99/max latency of acme-bank, the rater's peak RSS (sampled every 0.2 s), the
#   model memory metrics after each phase, and whether /healthz still answers at the end.
#   What should hold: acme-bank gets only 200s in both phases with a p99 beside close to alone;
#   hungry-bank gets 200s and 503s (overloaded, with Retry-After) and nothing else; the JVM
#   survives, and RSS stays near the heap size instead of growing with the hungry calls.
#
# What it needs (installs nothing)
#   Debian packages: hey, curl, coreutils, mawk or gawk; a JDK 17.
#   The rater jar, built first with:
#     cd <repo> && mvn -o -q -ntp -pl rater-pod -am package -DskipTests
#   Free loopback ports PORT (18190) and PORT + 1.
#
# How to run
#   benchmarks/scripts/model-memory.sh
#   DURATION=5 WARMUP=5 benchmarks/scripts/model-memory.sh
#   Environment: DURATION (20 s per phase), WARMUP (10 s of acme-bank alone, not reported), RATE
#   (1000 req/s for acme-bank), CONNECTIONS (8), HUNGRY_CONNECTIONS (16), PORT (18190), JAR
#   (rater-pod/target/rater-pod.jar), JAVA_OPTS ("-XX:+UseParallelGC -Xms512m -Xmx512m": a
#   256 MiB budget by default, half the heap), RATER_ARGS (extra rater options, e.g.
#   "--model-memory-mib 128"), KEEP_TMP=1 keeps the temporary dir. All load goes to 127.0.0.1.
set -euo pipefail
# shellcheck source=benchmarks/scripts/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
RATE=${RATE:-1000}
CONNECTIONS=${CONNECTIONS:-8}
HUNGRY_CONNECTIONS=${HUNGRY_CONNECTIONS:-16}
PORT=${PORT:-18190}
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}
SCORECARD=$ROOT/examples/models/credit-scorecard/credit-scorecard.wasm
HUNGRY=$ROOT/contract/src/test/wasm/memory-hungry.wasm
BODY_FILE=$ROOT/examples/requests/applicant.json

die() { echo "model-memory: $*" >&2; exit 1; }

for n in DURATION WARMUP RATE CONNECTIONS HUNGRY_CONNECTIONS PORT; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer"
done
for tool in hey curl java awk sort sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: hey, curl, openjdk-17-jre-headless, mawk, coreutils)"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -o -q -ntp -pl rater-pod -am package -DskipTests)"
for f in "$SCORECARD" "$HUNGRY" "$BODY_FILE"; do [[ -f $f ]] || die "missing $f"; done
for p in "$PORT" "$((PORT + 1))"; do port_in_use "$p" && die "port $p is taken; set PORT"; done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-model-memory.XXXXXX")
cp "$JAR" "$TMP/rater-pod.jar"
PID=""
cleanup() {
  stop_pid "$PID"
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "model-memory: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ config
mkdir -p "$TMP/config/modules"
SCORECARD_DIGEST=$(sha256sum "$SCORECARD" | cut -d' ' -f1)
HUNGRY_DIGEST=$(sha256sum "$HUNGRY" | cut -d' ' -f1)
cp "$SCORECARD" "$TMP/config/modules/$SCORECARD_DIGEST.wasm"
cp "$HUNGRY" "$TMP/config/modules/$HUNGRY_DIGEST.wasm"
cat >"$TMP/config/snapshot.json" <<EOF
{"revision": 1, "track": "stable",
 "models": {
   "credit-scorecard": {"digest": "sha256:$SCORECARD_DIGEST", "entrypoint": "rate",
     "limits": {"maxMemoryPages": 16, "timeoutMillis": 50, "maxInputBytes": 65536}},
   "hungry": {"digest": "sha256:$HUNGRY_DIGEST", "entrypoint": "rate",
     "limits": {"maxMemoryPages": 4096, "timeoutMillis": 1000, "maxInputBytes": 65536}}},
 "tenants": {
   "acme-bank": {"model": "credit-scorecard", "threshold": 650, "parameters": {}},
   "hungry-bank": {"model": "hungry", "threshold": 0.5, "parameters": {}}}}
EOF

RATE_URL=http://127.0.0.1:$PORT/v1/rate
HEALTH=http://127.0.0.1:$((PORT + 1))

# shellcheck disable=SC2086 # JAVA_OPTS and RATER_ARGS are lists
java $JAVA_OPTS -jar "$TMP/rater-pod.jar" --config-dir "$TMP/config" --port "$PORT" \
  --health-port "$((PORT + 1))" --host 127.0.0.1 ${RATER_ARGS:-} >"$TMP/rater.log" 2>&1 &
PID=$!
deadline=$(($(date +%s) + 60))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$HEALTH/readyz" || true) == 200 ]]; do
  (($(date +%s) < deadline)) || { cat "$TMP/rater.log" >&2; die "rater not ready within 60 s"; }
  sleep 0.05
done

# hey_csv TENANT SECONDS OUT [paced]: drives TENANT, leaving hey's per-request CSV in OUT.
hey_csv() {
  local tenant=$1 secs=$2 out=$3 pace=()
  if [[ ${4:-} == paced ]]; then
    pace=(-c "$CONNECTIONS" -q "$(awk -v r="$RATE" -v c="$CONNECTIONS" 'BEGIN { printf "%.3f", r / c }')")
  else
    pace=(-c "$HUNGRY_CONNECTIONS")
  fi
  hey -z "${secs}s" "${pace[@]}" -t 10 -m POST -T application/json -H "X-Tenant-Id: $tenant" \
    -D "$BODY_FILE" -o csv "$RATE_URL" >"$out" 2>"$out.err" || { cat "$out.err" >&2; die "hey failed"; }
}

# summary CSV: requests, status counts, p50/p99/max in ms (nearest rank).
summary() {
  awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ { print $1 * 1000, $7 }' "$1" | sort -n -k1,1 |
    awk '{ ms[NR] = $1; st[$2]++ }
      function pct(p,  r) { r = int(p * NR); if (r < p * NR) r++; if (r < 1) r = 1; return ms[r] }
      END { if (NR == 0) { print "requests 0"; exit }
        s = ""; for (k in st) s = s " " k "x" st[k]
        printf "requests %d  status%s  p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", NR, s, pct(0.5), pct(0.99), ms[NR] }'
}

# rss_peak SECONDS OUT: the rater's highest VmRSS (MiB) over SECONDS.
rss_peak() {
  local end=$(($(date +%s) + $1)) peak=0 kb
  while (($(date +%s) < end)); do
    kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$PID/status" 2>/dev/null || echo 0)
    ((kb > peak)) && peak=$kb
    sleep 0.2
  done
  echo $((peak / 1024)) >"$2"
}

memory_metrics() {
  curl -s "$HEALTH/metrics" | awk '
    /^clawrate_model_memory_(used|budget)_bytes / { printf "%s %.0f MiB  ", $1, $2 / 1048576 }
    /^clawrate_model_memory_refusals_total / { printf "%s %d  ", $1, $2 }
    /^clawrate_model_instances_evicted_total\{/ { ev += $2 }
    END { printf "evicted %d\n", ev }'
}

echo "== clawrate model memory benchmark: ${DURATION}s alone, ${DURATION}s beside a memory-hungry tenant"
echo "   acme-bank at $RATE req/s over $CONNECTIONS workers; hungry-bank closed loop over $HUNGRY_CONNECTIONS workers"
echo "   rater JVM: $JAVA_OPTS ${RATER_ARGS:-}"
echo "   RSS at start: $(awk '/^VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$PID/status")"
hey_csv acme-bank "$WARMUP" "$TMP/warmup.csv" paced

echo "-- alone"
# Waits name their jobs: a bare wait would wait for the rater too.
rss_peak "$DURATION" "$TMP/rss-alone" &
rss_job=$!
hey_csv acme-bank "$DURATION" "$TMP/alone.csv" paced
wait "$rss_job"
echo "   acme-bank    $(summary "$TMP/alone.csv")"
echo "   rater        peak RSS $(cat "$TMP/rss-alone") MiB; $(memory_metrics)"

echo "-- beside hungry-bank"
rss_peak "$DURATION" "$TMP/rss-beside" &
rss_job=$!
hey_csv hungry-bank "$DURATION" "$TMP/hungry.csv" &
hungry_job=$!
hey_csv acme-bank "$DURATION" "$TMP/beside.csv" paced
wait "$hungry_job" "$rss_job"
echo "   acme-bank    $(summary "$TMP/beside.csv")"
echo "   hungry-bank  $(summary "$TMP/hungry.csv")"
echo "   rater        peak RSS $(cat "$TMP/rss-beside") MiB; $(memory_metrics)"
retry_after=$(curl -s -D - -o /dev/null -X POST -H 'X-Tenant-Id: hungry-bank' -H 'Content-Type: application/json' \
  --data-binary "@$BODY_FILE" "$RATE_URL" | awk 'tolower($1) == "retry-after:" { print $2 }' | tr -d '\r')
echo "   a single hungry-bank request now: Retry-After '${retry_after:-none}' (none when it was served)"
echo "   /healthz after: $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$HEALTH/healthz")"
echo "machine     nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg) (ours included); java: $(java -version 2>&1 | sed -n 1p)"
