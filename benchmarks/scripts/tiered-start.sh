#!/usr/bin/env bash
# benchmarks/scripts/tiered-start.sh: does a rater fail requests it is sent the moment /readyz says 200?
#
# What it measures
#   A rater serves each new module from Chicory's interpreter while it compiles in the background.
#   Readiness must not admit traffic before the compiled code serves: the interpreter, under load,
#   overruns the sample models' 50 ms time limits (model_timeout answers). Each run:
#     1. starts `java -jar rater-pod.jar --config-dir examples/config` on free loopback ports;
#     2. polls GET /readyz about every 5 ms and notes the milliseconds from exec to the first 200;
#     3. at once fires REQUESTS ratings over CONNECTIONS (64) connections (hey, which rounds
#        REQUESTS down to a multiple of CONNECTIONS: POST /v1/rate, tenant acme-bank, body
#        examples/requests/applicant.json, the sample credit scorecard);
#     4. counts the requests not answered 200 (hey's status code distribution; of them, those
#        that got no answer at all, from hey's error distribution) and the model_timeout answers
#        the rater recorded (clawrate_rate_requests_seconds_count with outcome="model_timeout"
#        in /metrics), then stops the rater (SIGTERM, waited for).
#   Prints every run and the totals; the target is 0 non-200 answers in every run.
#   Readiness time is printed for context only; benchmarks/scripts/start-readyz.sh measures it.
#
# What it needs (installs nothing)
#   Debian packages: curl, hey, coreutils, gawk or mawk, a JDK 17. The rater jar, built first with:
#     cd <repo> && mvn -q -DskipTests package
#
# How to run
#   benchmarks/scripts/tiered-start.sh                   # 5 runs of 30,000 ratings
#   RUNS=10 REQUESTS=60000 benchmarks/scripts/tiered-start.sh
#   Environment: RUNS (5), REQUESTS (30000), CONNECTIONS (64), JAR (rater-pod/target/rater-pod.jar),
#   JAVA_OPTS ("-XX:+UseParallelGC -Xms512m -Xmx512m", the serving flags of http-vs-nginx.sh),
#   READY_TIMEOUT seconds per run (30), KEEP_TMP=1 keeps the temp dir (logs, hey output).
set -euo pipefail
# shellcheck source=benchmarks/scripts/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-5}
REQUESTS=${REQUESTS:-30000}
CONNECTIONS=${CONNECTIONS:-64}
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}
READY_TIMEOUT=${READY_TIMEOUT:-30}
CONFIG_DIR=$ROOT/examples/config
BODY=$ROOT/examples/requests/applicant.json
TENANT=acme-bank

die() { echo "tiered-start: $*" >&2; exit 1; }

for tool in java curl hey awk; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: openjdk-17-jre-headless, curl, hey, mawk)"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -q -DskipTests package)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ $REQUESTS =~ ^[1-9][0-9]*$ ]] || die "REQUESTS must be a positive integer"
[[ $CONNECTIONS =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive integer"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-tiered-start.XXXXXX")
# A private copy: a rebuild while the benchmark runs must not change the code under test.
cp "$JAR" "$TMP/rater-pod.jar"
JAR=$TMP/rater-pod.jar
PID=""

stop_rater() {
  stop_pid "$PID"
  PID=""
}

cleanup() {
  stop_rater
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "tiered-start: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== clawrate tiered start: $REQUESTS ratings over $CONNECTIONS connections from the first /readyz 200, $RUNS runs"
echo "   JAVA_OPTS: $JAVA_OPTS"
echo "   machine: nproc $(nproc), CPU: $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "   java: $(java -version 2>&1 | sed -n 2p)"
echo "   load average before: $(cut -d" " -f1-3 /proc/loadavg)"

total_non200=0
total_timeouts=0
failed_runs=0
for ((run = 1; run <= RUNS; run++)); do
  port=$(free_port)
  health_port=$(free_port)
  until [[ $health_port != "$port" ]]; do health_port=$(free_port); done
  log=$TMP/rater-$run.log
  t0=$(date +%s%N)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  java $JAVA_OPTS -jar "$JAR" --config-dir "$CONFIG_DIR" --port "$port" \
    --health-port "$health_port" --host 127.0.0.1 >"$log" 2>&1 &
  PID=$!
  deadline=$((t0 + READY_TIMEOUT * 1000000000))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$health_port/readyz" || true)
    [[ $code == 200 ]] && break
    if ! kill -0 "$PID" 2>/dev/null; then cat "$log" >&2; die "rater exited before it was ready"; fi
    (($(date +%s%N) < deadline)) || { cat "$log" >&2; die "rater not ready within ${READY_TIMEOUT}s"; }
    sleep 0.005
  done
  ready_ms=$((($(date +%s%N) - t0) / 1000000))

  hey -n "$REQUESTS" -c "$CONNECTIONS" -m POST -T application/json -H "X-Tenant-Id: $TENANT" \
    -D "$BODY" "http://127.0.0.1:$port/v1/rate" >"$TMP/hey-$run.txt" 2>&1 \
    || { cat "$TMP/hey-$run.txt" >&2; die "hey failed"; }
  # "Status code distribution:" then lines "  [200]	29990 responses", then (if any)
  # "Error distribution:" and lines "  [48]	Post ...: EOF" for requests that got no answer. hey
  # sends REQUESTS rounded down to a multiple of CONNECTIONS, so the counts are summed, not
  # subtracted from REQUESTS.
  read -r sent non200 no_answer < <(awk '
    /^Status code distribution/ { section = "status"; next }
    /^Error distribution/ { section = "error"; next }
    section != "" && /^[ \t]*\[[0-9]+\]/ {
      code = $1; gsub(/[][]/, "", code)
      if (section == "status") { sent += $2; if (code != 200) bad += $2 }
      else { sent += code; bad += code; lost += code }
    }
    END { printf "%d %d %d\n", sent, bad, lost }' "$TMP/hey-$run.txt")
  timeouts=$(curl -s "http://127.0.0.1:$health_port/metrics" \
    | awk '/^clawrate_rate_requests_seconds_count\{/ && /outcome="model_timeout"/ { n += $2 } END { printf "%d", n }')
  stop_rater

  total_non200=$((total_non200 + non200))
  total_timeouts=$((total_timeouts + timeouts))
  ((non200 == 0)) || failed_runs=$((failed_runs + 1))
  printf '   run %2d   ready after %5d ms   non-200 %5d of %d (no answer %d)   model_timeout %5d\n' \
    "$run" "$ready_ms" "$non200" "$sent" "$no_answer" "$timeouts"
  if ((non200 > 0)); then
    sed -n '/Status code distribution/,$p' "$TMP/hey-$run.txt" | sed 's/^/      /'
  fi
done

verdict=PASS
((failed_runs == 0)) || verdict="MISS: $failed_runs of $RUNS runs had non-200 answers"
cat <<EOF

================ summary: ratings from the first /readyz 200 ================
runs $RUNS x $REQUESTS ratings, $CONNECTIONS connections
non-200 answers in all runs:        $total_non200
model_timeout answers in all runs:  $total_timeouts
target: 0 non-200 in every run      $verdict
load average after: $(cut -d" " -f1-3 /proc/loadavg) (this script's own runs included)
==============================================================================
EOF
