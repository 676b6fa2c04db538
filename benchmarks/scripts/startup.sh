#!/usr/bin/env bash
# benchmarks/scripts/startup.sh: how long the rater takes from `java` to ready, with and without AppCDS.
#
# What it measures
#   Wall-clock milliseconds from just before `java -jar rater-pod.jar` is exec'd (date +%s%N in
#   this shell, then the fork/exec) until GET /readyz answers 200, i.e. the JVM has started,
#   the HTTP server is up and the sample config (examples/config) has been loaded, validated and
#   compiled into a live snapshot. /readyz is polled with curl about every 5 ms, so each number
#   includes up to ~5 ms of polling granularity plus curl's own start-up. Each run uses free
#   loopback ports (rating and health) and the rater is stopped (SIGTERM, waited for) before the
#   next one.
#   Two variants, run alternately (default, cds, default, cds, ...) so drift hits both alike:
#     default  the JDK's default class-data sharing (its base archive) only
#     cds      plus a dynamic AppCDS archive of the rater's own classes, created once by this
#              script with -XX:ArchiveClassesAtExit (start to /readyz 200, then SIGTERM so the
#              JVM exits normally and writes the archive) and used with -XX:SharedArchiveFile.
#              The archive-creating run is not timed; it also warms the page cache for the jar.
#   Prints every run, then min / median / p90 / max per variant against the target of
#   <= 1500 ms, and how the CDS median compares with the default one.
#
# What it needs (installs nothing)
#   Debian packages: curl, coreutils, gawk or mawk; a JDK 17 (openjdk-17-jre-headless; the
#   dynamic archive needs JDK 13+). The rater jar, built first with:
#     cd <repo> && mvn -q -DskipTests package
#
# How to run
#   benchmarks/scripts/startup.sh                 # 10 runs per variant
#   RUNS=20 benchmarks/scripts/startup.sh
#   Environment: RUNS (10), JAR (rater-pod/target/rater-pod.jar), JAVA_OPTS (default the serving
#   flags of benchmarks/scripts/http-vs-nginx.sh: "-XX:+UseParallelGC -Xms512m -Xmx512m"), READY_TIMEOUT
#   seconds per run (30), KEEP_TMP=1 keeps the temp dir (archive, logs).
#   -XX:TieredStopAtLevel=1 would start faster but caps the JIT at C1 and costs serving
#   throughput, so it is deliberately not part of any variant.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-10}
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}
READY_TIMEOUT=${READY_TIMEOUT:-30}
CONFIG_DIR=$ROOT/examples/config
TARGET_MS=1500

die() { echo "startup: $*" >&2; exit 1; }

for tool in java curl awk; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: openjdk-17-jre-headless, curl, mawk)"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -q -DskipTests package)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-startup.XXXXXX")
ARCHIVE=$TMP/rater.jsa
# Work on a private copy of the jar: a rebuild while the benchmark runs must neither change
# the code under test halfway nor invalidate a CDS archive (which records the jar it was made from).
cp "$JAR" "$TMP/rater-pod.jar"
JAR=$TMP/rater-pod.jar
PID=""
ELAPSED_MS=0

# SIGTERM, wait up to 15 s, then SIGKILL; only ever our own child.
stop_rater() {
  local i
  [[ -n $PID ]] || return 0
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$PID" 2>/dev/null && kill -KILL "$PID" 2>/dev/null || true
  fi
  wait "$PID" 2>/dev/null || true
  PID=""
}

cleanup() {
  stop_rater
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "startup: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p i
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 30000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# start_and_time LOG EXTRA_FLAGS...: starts the rater, sets ELAPSED_MS to the ms until /readyz
# answers 200 and leaves it running (PID). Not meant for $(...): PID must reach this shell.
start_and_time() {
  local log=$1 port health_port t0 t1 deadline code
  shift
  port=$(free_port)
  health_port=$(free_port)
  until [[ $health_port != "$port" ]]; do health_port=$(free_port); done
  t0=$(date +%s%N)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  java $JAVA_OPTS "$@" -jar "$JAR" --config-dir "$CONFIG_DIR" --port "$port" \
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
  t1=$(date +%s%N)
  ELAPSED_MS=$(((t1 - t0) / 1000000))
}

# stats FILE: min median p90 max (nearest-rank p90; median averages the middle pair).
stats() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    n = NR; med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    r = int(0.9 * n); if (r < 0.9 * n) r++; if (r < 1) r = 1
    printf "%d %.0f %d %d\n", v[1], med, v[r], v[n] }'
}

echo "== clawrate startup benchmark: java -> /readyz 200, $RUNS runs per variant"
echo "   JAVA_OPTS: $JAVA_OPTS"
echo "   machine: nproc $(nproc), CPU: $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "   java: $(java -version 2>&1 | sed -n 2p)"
echo "   load average before: $(cut -d" " -f1-3 /proc/loadavg) (other work on the box slows JVM start-up a lot)"

# ------------------------------------------------------------------ CDS archive (untimed)
echo "-- creating the AppCDS archive (start to ready, SIGTERM, JVM writes $ARCHIVE at exit)"
start_and_time "$TMP/archive-run.log" "-XX:ArchiveClassesAtExit=$ARCHIVE"
archive_ms=$ELAPSED_MS
stop_rater
[[ -s $ARCHIVE ]] || { cat "$TMP/archive-run.log" >&2; die "no CDS archive was written"; }
echo "   archive $(du -k "$ARCHIVE" | cut -f1) KiB (that run, with dumping enabled, took $archive_ms ms to ready)"
# The JVM silently ignores an unusable archive; -Xshare:on makes it fail loudly instead.
# shellcheck disable=SC2086
java $JAVA_OPTS -Xshare:on "-XX:SharedArchiveFile=$ARCHIVE" -jar "$JAR" --help >/dev/null 2>"$TMP/cds-check.log" \
  || { cat "$TMP/cds-check.log" >&2; die "the JVM cannot map $ARCHIVE"; }

# ------------------------------------------------------------------ timed runs
: >"$TMP/default.ms"
: >"$TMP/cds.ms"
for ((i = 1; i <= RUNS; i++)); do
  start_and_time "$TMP/run-default.log"
  d=$ELAPSED_MS
  stop_rater
  start_and_time "$TMP/run-cds.log" "-XX:SharedArchiveFile=$ARCHIVE"
  c=$ELAPSED_MS
  stop_rater
  echo "$d" >>"$TMP/default.ms"
  echo "$c" >>"$TMP/cds.ms"
  printf '   run %2d   default %5d ms   cds %5d ms\n' "$i" "$d" "$c"
done

read -r dmin dmed dp90 dmax < <(stats "$TMP/default.ms")
read -r cmin cmed cp90 cmax < <(stats "$TMP/cds.ms")
verdict() { if (($1 <= TARGET_MS)); then echo "PASS"; else echo "MISS by $(($1 - TARGET_MS)) ms"; fi; }
delta=$(awk -v d="$dmed" -v c="$cmed" 'BEGIN { printf "%+d ms (%+.1f%%)", c - d, (d > 0 ? 100 * (c - d) / d : 0) }')

cat <<EOF

================ summary: java -> /readyz 200 (ms), $RUNS runs each ================
variant         min  median     p90     max   target <= $TARGET_MS ms (p90)
default     $(printf '%7d %7d %7d %7d' "$dmin" "$dmed" "$dp90" "$dmax")   $(verdict "$dp90")
cds         $(printf '%7d %7d %7d %7d' "$cmin" "$cmed" "$cp90" "$cmax")   $(verdict "$cp90")
cds vs default (median): $delta
load average after: $(cut -d" " -f1-3 /proc/loadavg) (this script's own runs included)
note: ~5 ms poll interval; curl and the JVM share $(nproc) CPUs; a run is java exec -> first 200.
==============================================================================
EOF
