#!/usr/bin/env bash
# benchmarks/scripts/start-readyz.sh: the rater's start, from exec to /readyz 200 and to the first
# rating answered, on Java 17 (plain and with the AppCDS archive) and on Java 25 (ahead-of-time
# cache), against a baseline JVM start measured in the same run.
#
# What it measures
#   For each run: wall-clock ms from just before the JVM is exec'd (date +%s%N in this shell) until
#     ready  GET /readyz on the health port answers 200 (polled about every 5 ms with curl; each
#            figure includes up to ~5 ms of polling plus curl's own start), then
#     rated  the first POST /v1/rate (tenant acme-bank, examples/requests/applicant.json) has been
#            answered, whatever its status (the status is counted: during the tiered start the
#            first call may run in the interpreter),
#   and the CPU the JVM had used when it was ready (utime+stime from /proc, 10 ms ticks): on a
#   busy machine wall time mostly measures the neighbours, CPU time much less so.
#   Variants, run in turn within each round (baseline, plain17, cds17, aot25, ...) so drift hits
#   all alike; the rater is stopped (SIGTERM, waited for) before the next run:
#     baseline  `java -Xshare:auto -version` on Java 17: the JVM's own floor on this machine now;
#               the summary divides every median by its median so runs on different (or busy)
#               machines can be compared
#     plain17   `java -jar rater-pod.jar` with no flag at all (the target: <= 1000 ms)
#     cds17     the Java 17 image's settings: JAVA_OPTS plus -XX:SharedArchiveFile of a dynamic
#               AppCDS archive written by the image's own training run (images/appcds-train.sh)
#     aot25     the Java 25 image's settings: JAVA_OPTS, --sun-misc-unsafe-memory-access=allow and
#               -XX:AOTCache of an ahead-of-time cache
#               (JEP 483/514/515: classes loaded and linked, method profiles) written by the same
#               training run with -XX:AOTCacheOutput (the target for the image: <= 500 ms)
#   The operator, the same way, to its /readyz 200 (its caches synced: the first reconciles run),
#   against the local run's API server (local-run/target/clawrate-local.jar, started once, untimed,
#   and left serving; it runs its own operator and rater too, as in the operator image's training):
#     op17      `java -jar clawrate-operator.jar` with no flag
#     opcds17   the operator image's settings: -XX:+ExitOnOutOfMemoryError -Xmx512m and an AppCDS
#               archive written by appcds-train.sh against that API server
#     opaot25   the same flags on Java 25 with an ahead-of-time cache trained the same way
#   The training runs (one per variant that needs one) are not timed; they also warm the page
#   cache for the jar. A variant whose JVM or jar is missing (no Java 25, no operator or local
#   run jar) is skipped, and says so.
#
# What it needs (installs nothing)
#   curl, coreutils, awk; a JDK 17 as `java` (or JAVA17); for aot25 and opaot25 a JDK 25 at JAVA25
#   (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java). The jars (rater, operator, local run),
#   built first with:
#     cd <repo> && mvn -q -DskipTests package
#
# How to run
#   benchmarks/scripts/start-readyz.sh                     # 10 runs per variant
#   RUNS=3 VARIANTS="plain17 aot25" benchmarks/scripts/start-readyz.sh
#   VARIANTS="baseline op17 opcds17 opaot25" benchmarks/scripts/start-readyz.sh   # the operator
#   Environment: RUNS (10), VARIANTS (all seven), JAR (rater-pod/target/rater-pod.jar),
#   OPERATOR_JAR (operator/target/clawrate-operator.jar), LOCAL_JAR
#   (local-run/target/clawrate-local.jar), JAVA17,
#   JAVA25, JAVA_OPTS (the images' flags with the heap pinned, as their training run pins it:
#   "-XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Xmx512m"), READY_TIMEOUT seconds per run
#   (60), KEEP_TMP=1 keeps the temp dir (archives, logs).
set -euo pipefail
# shellcheck source=benchmarks/scripts/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-10}
VARIANTS=${VARIANTS:-baseline plain17 cds17 aot25 op17 opcds17 opaot25}
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
OPERATOR_JAR=${OPERATOR_JAR:-$ROOT/operator/target/clawrate-operator.jar}
LOCAL_JAR=${LOCAL_JAR:-$ROOT/local-run/target/clawrate-local.jar}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Xmx512m}
READY_TIMEOUT=${READY_TIMEOUT:-60}
CONFIG_DIR=$ROOT/examples/config
REQUEST=$ROOT/examples/requests/applicant.json
TRAIN=$ROOT/images/appcds-train.sh
PLAIN_TARGET_MS=1000
IMAGE_TARGET_MS=500
CLK_TCK=$(getconf CLK_TCK)

die() { echo "start-readyz: $*" >&2; exit 1; }

for tool in "$JAVA17" curl awk getconf; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: openjdk-17-jre-headless, curl, mawk)"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -q -DskipTests package)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-start.XXXXXX")
# Private copies of the jars: a rebuild during the run must not change the code under test, and
# the caches record the jar they were made from.
cp "$JAR" "$TMP/rater-pod.jar"
JAR=$TMP/rater-pod.jar
PID=""
LOCAL_PID=""
API_PORT=""
LOCAL_RATER_PORT=""
READY_MS=0
RATED_MS=0
RATED_STATUS=000
CPU_MS=0

stop_rater() {
  stop_pid "$PID"
  PID=""
}

cleanup() {
  stop_rater
  stop_pid "$LOCAL_PID"
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "start-readyz: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

has_variant() { [[ " $VARIANTS " == *" $1 "* ]]; }

# cpu_ms PID: user+system CPU of the process so far, in ms.
cpu_ms() {
  awk -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / tck) }' "/proc/$1/stat"
}

# run_rater LOG JAVA FLAGS...: starts the rater, sets READY_MS, CPU_MS, RATED_MS and RATED_STATUS,
# and leaves it running (PID). Not meant for $(...): PID must reach this shell.
run_rater() {
  local log=$1 java=$2 port health_port t0 t1
  shift 2
  port=$(free_port)
  health_port=$(free_port)
  until [[ $health_port != "$port" ]]; do health_port=$(free_port); done
  t0=$(date +%s%N)
  "$java" "$@" -jar "$JAR" --config-dir "$CONFIG_DIR" --port "$port" \
    --health-port "$health_port" --host 127.0.0.1 >"$log" 2>&1 &
  PID=$!
  await_ready "$health_port" "$log" "$t0"
  t1=$(date +%s%N)
  CPU_MS=$(cpu_ms "$PID")
  RATED_STATUS=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'X-Tenant-Id: acme-bank' \
    -H 'Content-Type: application/json' --data-binary "@$REQUEST" "http://127.0.0.1:$port/v1/rate" || true)
  RATED_MS=$((($(date +%s%N) - t0) / 1000000))
  READY_MS=$(((t1 - t0) / 1000000))
}

# await_ready HEALTH_PORT LOG T0: polls /readyz until 200; dies if PID exits or READY_TIMEOUT passes.
await_ready() {
  local health_port=$1 log=$2 deadline=$(($3 + READY_TIMEOUT * 1000000000)) code
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$health_port/readyz" || true)
    [[ $code == 200 ]] && return 0
    if ! kill -0 "$PID" 2>/dev/null; then cat "$log" >&2; die "the JVM exited before it was ready"; fi
    (($(date +%s%N) < deadline)) || { cat "$log" >&2; die "not ready within ${READY_TIMEOUT}s"; }
    sleep 0.005
  done
}

# The local run (untimed): an API server holding the examples, its own operator and a rater.
start_local_run() {
  local deadline=$((SECONDS + 180)) code
  API_PORT=$(free_port)
  LOCAL_RATER_PORT=$(free_port)
  until [[ $LOCAL_RATER_PORT != "$API_PORT" ]]; do LOCAL_RATER_PORT=$(free_port); done
  # It keeps its state in temp dirs of the working directory's choosing: keep them in TMP.
  (cd "$TMP" && exec "$JAVA17" -Xmx512m -Djava.io.tmpdir="$TMP" -jar "$LOCAL_JAR"     --api-port "$API_PORT" --rater-port "$LOCAL_RATER_PORT") >"$TMP/local-run.log" 2>&1 &
  LOCAL_PID=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'X-Tenant-Id: acme-bank'     -H 'Content-Type: application/json' --data-binary "@$REQUEST"     "http://127.0.0.1:$LOCAL_RATER_PORT/v1/rate" || true) == 200 ]]; do
    kill -0 "$LOCAL_PID" 2>/dev/null || { cat "$TMP/local-run.log" >&2; die "the local run exited"; }
    ((SECONDS < deadline)) || { cat "$TMP/local-run.log" >&2; die "the local run did not rate within 180 s"; }
    sleep 0.2
  done
  echo "   local run: API server on $API_PORT, rating on $LOCAL_RATER_PORT"
}

# run_operator LOG JAVA FLAGS...: starts the operator against the local run, sets READY_MS and
# CPU_MS, and leaves it running (PID).
run_operator() {
  local log=$1 java=$2 health_port t0
  shift 2
  health_port=$(free_port)
  t0=$(date +%s%N)
  KUBERNETES_MASTER=http://127.0.0.1:$API_PORT KUBERNETES_NAMESPACE=default \
    "$java" "$@" -jar "$TMP/clawrate-operator.jar" --health-port "$health_port" \
    --leader-election false >"$log" 2>&1 &
  PID=$!
  await_ready "$health_port" "$log" "$t0"
  READY_MS=$((($(date +%s%N) - t0) / 1000000))
  CPU_MS=$(cpu_ms "$PID")
  RATED_MS=$READY_MS
  RATED_STATUS=-
}

# train_operator NAME JAVA FLAGS...: as the operator image trains (untimed).
train_operator() {
  local name=$1 health_port
  shift
  health_port=$(free_port)
  KUBERNETES_MASTER=http://127.0.0.1:$API_PORT KUBERNETES_NAMESPACE=default \
    HEALTH_PORT=$health_port TRAIN_GETS="/metrics /healthz /v1/regions" \
    bash "$TRAIN" "$TMP/$name.archive" "$LOCAL_RATER_PORT" "$REQUEST" -- \
    "$@" -jar "$TMP/clawrate-operator.jar" --health-port "$health_port" --leader-election false \
    >"$TMP/train-$name.log" 2>&1 || { cat "$TMP/train-$name.log" >&2; die "training for $name failed"; }
  echo "   $name: $(tail -n 1 "$TMP/train-$name.log")"
}

# baseline: the JVM's own start and exit, nothing of the rater.
run_baseline() {
  local t0
  t0=$(date +%s%N)
  "$JAVA17" -Xshare:auto -version >/dev/null 2>&1
  READY_MS=$((($(date +%s%N) - t0) / 1000000))
  RATED_MS=$READY_MS
  RATED_STATUS=-
  CPU_MS=-
}

# train NAME JAVA FLAGS...: the images' training run (untimed), writing the archive named in FLAGS.
train() {
  local name=$1
  shift
  local port health_port
  port=$(free_port)
  health_port=$(free_port)
  until [[ $health_port != "$port" ]]; do health_port=$(free_port); done
  HEALTH_PORT=$health_port bash "$TRAIN" "$TMP/$name.archive" "$port" "$REQUEST" -- \
    "$@" -jar "$JAR" --config-dir "$CONFIG_DIR" --port "$port" --health-port "$health_port" \
    --host 127.0.0.1 >"$TMP/train-$name.log" 2>&1 || { cat "$TMP/train-$name.log" >&2; die "training for $name failed"; }
  echo "   $name: $(tail -n 1 "$TMP/train-$name.log")"
}

echo "== clawrate start benchmark: exec -> /readyz 200 and -> first rating, $RUNS runs per variant"
echo "   JAVA_OPTS (cds17, aot25): $JAVA_OPTS"
echo "   machine: nproc $(nproc), CPU: $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "   java 17: $("$JAVA17" -version 2>&1 | sed -n 2p)"
drop_variant() { VARIANTS=$(tr ' ' '\n' <<<"$VARIANTS" | grep -vx "$1" | tr '\n' ' '); }
if has_variant aot25 || has_variant opaot25; then
  if [[ -x $JAVA25 ]]; then
    echo "   java 25: $("$JAVA25" -version 2>&1 | sed -n 2p)"
  else
    echo "   java 25: not found at $JAVA25; aot25 and opaot25 skipped"
    drop_variant aot25
    drop_variant opaot25
  fi
fi
if has_variant op17 || has_variant opcds17 || has_variant opaot25; then
  if [[ -f $OPERATOR_JAR && -f $LOCAL_JAR ]]; then
    cp "$OPERATOR_JAR" "$TMP/clawrate-operator.jar"
  else
    echo "   operator: no $OPERATOR_JAR or $LOCAL_JAR; op17, opcds17 and opaot25 skipped"
    drop_variant op17
    drop_variant opcds17
    drop_variant opaot25
  fi
fi
echo "   load average before: $(cut -d" " -f1-3 /proc/loadavg) (other work on the box slows JVM start a lot)"

# shellcheck disable=SC2206 # JAVA_OPTS is a list of flags
OPTS=($JAVA_OPTS)
# What the Java 25 image adds: JBoss Threads' sun.misc.Unsafe calls stay quiet (no stderr warning).
OPTS25=(--sun-misc-unsafe-memory-access=allow)
echo "-- training runs (untimed): start, rate, SIGTERM; the JVM writes its archive at exit"
if has_variant cds17; then
  train cds17 "$JAVA17" "${OPTS[@]}" "-XX:ArchiveClassesAtExit=$TMP/cds17.archive"
  # The JVM silently ignores an unusable archive; -Xshare:on makes it fail loudly instead.
  "$JAVA17" "${OPTS[@]}" -Xshare:on "-XX:SharedArchiveFile=$TMP/cds17.archive" -jar "$JAR" --help \
    >/dev/null 2>"$TMP/cds-check.log" || { cat "$TMP/cds-check.log" >&2; die "Java 17 cannot map the AppCDS archive"; }
fi
if has_variant aot25; then
  train aot25 "$JAVA25" "${OPTS[@]}" "${OPTS25[@]}" "-XX:AOTCacheOutput=$TMP/aot25.archive"
  "$JAVA25" "${OPTS[@]}" "${OPTS25[@]}" -XX:AOTMode=on "-XX:AOTCache=$TMP/aot25.archive" -jar "$JAR" --help \
    >/dev/null 2>"$TMP/aot-check.log" || { cat "$TMP/aot-check.log" >&2; die "Java 25 cannot map the AOT cache"; }
fi

if has_variant op17 || has_variant opcds17 || has_variant opaot25; then
  start_local_run
  # The operator image's flags (it keeps the JVM's GC choice), the heap pinned as its training does.
  OP_OPTS=(-XX:+ExitOnOutOfMemoryError -Xmx512m)
  if has_variant opcds17; then
    train_operator opcds17 "$JAVA17" "${OP_OPTS[@]}" "-XX:ArchiveClassesAtExit=$TMP/opcds17.archive"
  fi
  if has_variant opaot25; then
    train_operator opaot25 "$JAVA25" "${OP_OPTS[@]}" "${OPTS25[@]}" "-XX:AOTCacheOutput=$TMP/opaot25.archive"
  fi
fi

one_run() {
  case $1 in
    baseline) run_baseline ;;
    plain17) run_rater "$TMP/run-plain17.log" "$JAVA17" ;;
    cds17) run_rater "$TMP/run-cds17.log" "$JAVA17" "${OPTS[@]}" "-XX:SharedArchiveFile=$TMP/cds17.archive" ;;
    aot25) run_rater "$TMP/run-aot25.log" "$JAVA25" "${OPTS[@]}" "${OPTS25[@]}" "-XX:AOTCache=$TMP/aot25.archive" ;;
    op17) run_operator "$TMP/run-op17.log" "$JAVA17" ;;
    opcds17) run_operator "$TMP/run-opcds17.log" "$JAVA17" "${OP_OPTS[@]}" "-XX:SharedArchiveFile=$TMP/opcds17.archive" ;;
    opaot25) run_operator "$TMP/run-opaot25.log" "$JAVA25" "${OP_OPTS[@]}" "${OPTS25[@]}" "-XX:AOTCache=$TMP/opaot25.archive" ;;
    *) die "unknown variant $1 (baseline plain17 cds17 aot25 op17 opcds17 opaot25)" ;;
  esac
}

for v in $VARIANTS; do : >"$TMP/$v.ready"; : >"$TMP/$v.rated"; : >"$TMP/$v.cpu"; : >"$TMP/$v.status"; done
echo "-- timed runs: ready ms / first rating ms (its status; the operator rates nothing) / CPU ms at ready"
for ((i = 1; i <= RUNS; i++)); do
  line=$(printf '   run %2d' "$i")
  for v in $VARIANTS; do
    one_run "$v"
    stop_rater
    echo "$READY_MS" >>"$TMP/$v.ready"
    echo "$RATED_MS" >>"$TMP/$v.rated"
    echo "$RATED_STATUS" >>"$TMP/$v.status"
    [[ $CPU_MS == - ]] || echo "$CPU_MS" >>"$TMP/$v.cpu"
    line+=$(printf '   %s %5d/%5d(%s)/%s' "$v" "$READY_MS" "$RATED_MS" "$RATED_STATUS" "$CPU_MS")
  done
  echo "$line"
done

# stats FILE: median p90 (nearest-rank p90; the median averages the middle pair).
stats() {
  if [[ ! -s $1 ]]; then echo "- -"; return; fi
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    n = NR; med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    r = int(0.9 * n); if (r < 0.9 * n) r++; if (r < 1) r = 1
    printf "%.0f %d\n", med, v[r] }'
}

base_med=""
has_variant baseline && read -r base_med _ < <(stats "$TMP/baseline.ready")
echo
echo "================ summary (ms; median and p90 of $RUNS runs) ================"
printf '%-9s %8s %8s %8s %8s %8s %8s %10s  %s\n' variant ready p90 rated p90 cpu p90 "x baseline" "verdict (ready p90)"
for v in $VARIANTS; do
  read -r rmed rp90 < <(stats "$TMP/$v.ready")
  read -r amed ap90 < <(stats "$TMP/$v.rated")
  read -r cmed cp90 < <(stats "$TMP/$v.cpu")
  ratio=-
  [[ -n $base_med && $base_med != 0 ]] && ratio=$(awk -v r="$rmed" -v b="$base_med" 'BEGIN { printf "%.1f", r / b }')
  case $v in
    plain17) target=$PLAIN_TARGET_MS ;;
    cds17 | aot25) target=$IMAGE_TARGET_MS ;;
    *) target="" ;;
  esac
  verdict=-
  if [[ -n $target ]]; then
    if ((rp90 <= target)); then verdict="PASS (<= $target)"; else verdict="MISS by $((rp90 - target)) (<= $target)"; fi
    non200=$(grep -vc '^200$' "$TMP/$v.status" || true)
    ((non200 == 0)) || verdict+="; first rating not 200 in $non200 runs"
  fi
  printf '%-9s %8s %8s %8s %8s %8s %8s %10s  %s\n' "$v" "$rmed" "$rp90" "$amed" "$ap90" "$cmed" "$cp90" "$ratio" "$verdict"
done
cat <<EOF
load average after: $(cut -d" " -f1-3 /proc/loadavg) (this script's own runs included)
x baseline: the variant's ready median over the baseline's (\`java -version\` on 17) in this run.
note: ~5 ms poll interval; curl and the JVM share $(nproc) CPUs; cpu is the JVM's own at ready.
==========================================================================
EOF
