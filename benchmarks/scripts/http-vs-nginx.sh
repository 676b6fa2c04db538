#!/usr/bin/env bash
# benchmarks/scripts/http-vs-nginx.sh: HTTP throughput and latency of the rater, with V8 and nginx as baselines.
#
# What it measures
#   POST /v1/rate (tenant acme-bank, body examples/requests/applicant.json) against the rater
#   jar; then the same wrk load against the same models on V8 (benchmarks/v8/rater.mjs: Node,
#   one process per core, each with one instance of every model, as a platform running Wasm in
#   JavaScript isolates serves them; it answers the rater's exact bytes, checked before measuring);
#   then against nginx serving a static file that holds the exact bytes of one real rater
#   response (same path, same size, same Content-Type). V8 is what a team would otherwise run the
#   same Wasm on; nginx is the "this is what the loopback, the kernel and wrk can do on this box"
#   reference, so the ratio rater/nginx says how much of that the rater keeps while parsing JSON
#   and running a Wasm model.
#   For each server: a warm-up wrk run (WARMUP, default 10s, not reported), then the measured
#   wrk run (DURATION, default 30s): keep-alive, 64 connections, 2 threads, script benchmarks/scripts/rate.lua
#   (POST + headers + body; prints requests/sec, p50/p90/p99/p99.9, non-2xx/3xx and socket
#   errors). The servers are measured one after the other, never at the same time: each is
#   stopped before the next starts. Prints a summary with the targets:
#     rater req/s >= 1.5 x V8 req/s at a p99 no higher than V8's,
#     rater req/s >= 50% of nginx req/s, rater p99 <= 10 ms.
#
# What it needs (installs nothing)
#   Debian packages: wrk, nginx-light (any nginx with the static module will do; it is run from
#   a temporary prefix as a non-daemon child, the system nginx service is not touched), curl,
#   coreutils, gawk or mawk; a JDK 17 (openjdk-17-jre-headless); Node.js 18 or later (nodejs).
#   The rater jar, built first with:   cd <repo> && mvn -q -DskipTests package
#   Free loopback ports RATER_PORT (18080), RATER_HEALTH_PORT (18082), NGINX_PORT (18081) and
#   V8_PORT (18083).
#
# How to run
#   benchmarks/scripts/http-vs-nginx.sh                       # 10s warm-up + 30s measured, per server
#   DURATION=60 WARMUP=15 benchmarks/scripts/http-vs-nginx.sh
#   Environment: DURATION (30, seconds or wrk duration like 1m), WARMUP (10), CONNECTIONS (64),
#   THREADS (2), RATER_PORT (18080), RATER_HEALTH_PORT (18082, the rater's /readyz),
#   NGINX_PORT (18081), V8_PORT (18083), V8_WORKERS (nproc), JAR (rater-pod/target/rater-pod.jar),
#   JAVA_OPTS (see below), RATER_ARGS (extra rater options), KEEP_TMP=1 keeps the temporary dir (logs, nginx config, wrk output).
#   All load goes to 127.0.0.1 only; every wrk run is bounded by its -d duration.
#
# JVM flags
#   Default JAVA_OPTS="-XX:+UseParallelGC -Xms512m -Xmx512m". Both collectors were tried with
#   this exact load on the 2-CPU bench box (10s warm-up, 15s measured): ParallelGC gave ~15.8k
#   req/s with p99 ~26 ms, G1 ~13.3k req/s with p99 ~33 ms. The rater allocates only
#   short-lived garbage per request and its live set is tiny, so the throughput collector's
#   brief young pauses cost less than G1's write barriers and concurrent work, which compete
#   with wrk and the I/O threads for the same 2 CPUs. A fixed heap avoids resize noise.
#   A GC log (-Xlog:gc) is always added so the summary can show pause counts and the longest
#   pause. -XX:TieredStopAtLevel=1 is deliberately not used: it speeds up start but caps the
#   JIT at C1 and costs serving throughput.
#
# CPU pinning
#   None. wrk, the server under test and the JVM's own threads share all CPUs of the box (2 on
#   the bench machine), which the summary points out. Pinning wrk to one CPU and the server to
#   the other (taskset -c 0 / -c 1) was tried: the rater fell from ~15.8k to ~7.7k req/s because
#   it then had one CPU instead of two, and it made the comparison no fairer (unpinned, both
#   servers get exactly the same treatment), so scheduling is left to the kernel.
set -euo pipefail
# shellcheck source=benchmarks/scripts/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RATER_PORT=${RATER_PORT:-18080}
RATER_HEALTH_PORT=${RATER_HEALTH_PORT:-18082}
NGINX_PORT=${NGINX_PORT:-18081}
V8_PORT=${V8_PORT:-18083}
V8_WORKERS=${V8_WORKERS:-$(nproc)}
V8_SERVER=$ROOT/benchmarks/v8/rater.mjs
JAR=${JAR:-$ROOT/rater-pod/target/rater-pod.jar}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m}
CONFIG_DIR=$ROOT/examples/config
BODY_FILE=$ROOT/examples/requests/applicant.json
LUA=$ROOT/benchmarks/scripts/rate.lua
TENANT=acme-bank
TARGET_RATIO_PCT=50
TARGET_V8_RATIO=1.5
TARGET_P99_MS=10

# "30" -> "30s"; anything wrk understands ("1m", "45s") is passed through.
wrk_duration() { if [[ $1 =~ ^[0-9]+$ ]]; then echo "${1}s"; else echo "$1"; fi; }
DURATION=$(wrk_duration "$DURATION")
WARMUP=$(wrk_duration "$WARMUP")

die() { echo "http-vs-nginx: $*" >&2; exit 1; }

for tool in wrk nginx curl java awk node; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: wrk, nginx-light, curl, openjdk-17-jre-headless, mawk, nodejs)"
done
[[ -f $JAR ]] || die "no jar at $JAR; build it first: (cd $ROOT && mvn -q -DskipTests package)"
[[ -f $BODY_FILE ]] || die "no request body at $BODY_FILE"

port_in_use "$RATER_PORT" && die "port $RATER_PORT is taken; set RATER_PORT"
port_in_use "$RATER_HEALTH_PORT" && die "port $RATER_HEALTH_PORT is taken; set RATER_HEALTH_PORT"
port_in_use "$NGINX_PORT" && die "port $NGINX_PORT is taken; set NGINX_PORT"
port_in_use "$V8_PORT" && die "port $V8_PORT is taken; set V8_PORT"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-http-bench.XXXXXX")
RATER_PID=""
# Work on a private copy of the jar: a rebuild while the benchmark runs must neither change
# the code under test halfway nor invalidate a CDS archive (which records the jar it was made from).
cp "$JAR" "$TMP/rater-pod.jar"
JAR=$TMP/rater-pod.jar
NGINX_PID=""
V8_PID=""

cleanup() {
  stop_pid "$RATER_PID"
  stop_pid "$NGINX_PID"
  stop_pid "$V8_PID"
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    echo "http-vs-nginx: kept $TMP" >&2
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_wrk LABEL URL DURATION OUTFILE
run_wrk() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 5s -s "$LUA" "$1" -- "$BODY_FILE" "$TENANT" >"$3" 2>&1 \
    || { cat "$3" >&2; die "wrk failed against $1"; }
}

# field NAME FILE: value of NAME= on the RATE_RESULT line.
field() { awk -v k="$1" '/^RATE_RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$2"; }

# ------------------------------------------------------------------ machine
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
NPROC=$(nproc)
JAVA_VERSION=$(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')
WRK_VERSION=$({ wrk -v 2>&1 || true; } | sed -n 1p)
NGINX_VERSION=$(nginx -v 2>&1 | sed -n 1p)
NODE_VERSION="node $(node --version) (V8 $(node -p process.versions.v8))"
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)  # other work on the box skews everything below

echo "== clawrate http benchmark: rater vs V8 vs nginx (warm-up $WARMUP, measured $DURATION, -c$CONNECTIONS -t$THREADS)"
echo "   tmp dir $TMP"

# ------------------------------------------------------------------ rater
URL_RATER="http://127.0.0.1:$RATER_PORT/v1/rate"
# shellcheck disable=SC2086 # JAVA_OPTS and RATER_ARGS are lists
java $JAVA_OPTS "-Xlog:gc:file=$TMP/rater-gc.log" -jar "$JAR" \
  --config-dir "$CONFIG_DIR" --port "$RATER_PORT" --health-port "$RATER_HEALTH_PORT" \
  --host 127.0.0.1 ${RATER_ARGS:-} >"$TMP/rater.log" 2>&1 &
RATER_PID=$!
wait_200 "http://127.0.0.1:$RATER_HEALTH_PORT/readyz" 60 || { cat "$TMP/rater.log" >&2; die "rater not ready within 60 s"; }

mkdir -p "$TMP/nginx/www/v1"
RESPONSE=$TMP/nginx/www/v1/rate
code=$(curl -sS -o "$RESPONSE" -w '%{http_code}' -X POST -H "X-Tenant-Id: $TENANT" \
  -H 'Content-Type: application/json' --data-binary "@$BODY_FILE" "$URL_RATER")
[[ $code == 200 ]] || { cat "$RESPONSE" >&2; die "rater answered $code to the sample request"; }
RESPONSE_BYTES=$(wc -c <"$RESPONSE")
echo "   rater ready (pid $RATER_PID), sample response $RESPONSE_BYTES bytes"

echo "-- rater warm-up ($WARMUP, not reported)"
run_wrk "$URL_RATER" "$WARMUP" "$TMP/wrk-rater-warmup.txt"
echo "-- rater measured ($DURATION)"
run_wrk "$URL_RATER" "$DURATION" "$TMP/wrk-rater.txt"
cat "$TMP/wrk-rater.txt"
stop_pid "$RATER_PID"
RATER_PID=""

# ------------------------------------------------------------------ V8
URL_V8="http://127.0.0.1:$V8_PORT/v1/rate"
node "$V8_SERVER" --config-dir "$CONFIG_DIR" --port "$V8_PORT" --workers "$V8_WORKERS" >"$TMP/v8.log" 2>&1 &
V8_PID=$!
wait_for_post() { # URL SECONDS: until a POST answers 200
  local deadline=$(($(date +%s) + $2))
  while (($(date +%s) < deadline)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -X POST -H "X-Tenant-Id: $TENANT" \
      -H 'Content-Type: application/json' --data-binary "@$BODY_FILE" "$1" || true) == 200 ]] && return 0
    sleep 0.05
  done
  return 1
}
wait_for_post "$URL_V8" 30 || { cat "$TMP/v8.log" >&2; die "V8 server not answering within 30 s"; }
code=$(curl -sS -o "$TMP/v8-check.json" -w '%{http_code}' -X POST -H "X-Tenant-Id: $TENANT" \
  -H 'Content-Type: application/json' --data-binary "@$BODY_FILE" "$URL_V8")
[[ $code == 200 ]] || die "V8 answered $code to the sample request"
cmp -s "$TMP/v8-check.json" "$RESPONSE" || die "V8's answer differs from the rater's; the comparison would not be like for like"
echo "   V8 ready (pid $V8_PID, $V8_WORKERS processes), answer identical to the rater's"

echo "-- V8 warm-up ($WARMUP, not reported)"
run_wrk "$URL_V8" "$WARMUP" "$TMP/wrk-v8-warmup.txt"
echo "-- V8 measured ($DURATION)"
run_wrk "$URL_V8" "$DURATION" "$TMP/wrk-v8.txt"
cat "$TMP/wrk-v8.txt"
stop_pid "$V8_PID"
V8_PID=""

# ------------------------------------------------------------------ nginx
NGX=$TMP/nginx
cat >"$NGX/nginx.conf" <<EOF
# Generated by benchmarks/scripts/http-vs-nginx.sh. One worker per CPU, like the rater's I/O threads.
worker_processes auto;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGX/tmp-body;
  proxy_temp_path $NGX/tmp-proxy;
  fastcgi_temp_path $NGX/tmp-fastcgi;
  uwsgi_temp_path $NGX/tmp-uwsgi;
  scgi_temp_path $NGX/tmp-scgi;
  types {}
  default_type application/json;
  # The rater never closes a keep-alive connection on its own; neither should the baseline
  # (nginx's default is to close after 1000 requests).
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $NGX/www;
    # The static handler answers POST with 405; turn that into the file with status 200
    # (the internal redirect serves it as GET). The request body is read and discarded.
    location = /v1/rate { error_page 405 =200 \$uri; }
  }
}
EOF
# nginx workers drop to an unprivileged user when started as root: let them read the tree.
chmod a+rx "$TMP" "$NGX" "$NGX/www" "$NGX/www/v1"
chmod a+r "$RESPONSE"
nginx -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" || die "nginx config test failed"
nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" >"$NGX/stdout.log" 2>&1 &
NGINX_PID=$!
URL_NGINX="http://127.0.0.1:$NGINX_PORT/v1/rate"
wait_200 "$URL_NGINX" 10 || { cat "$NGX/error.log" >&2; die "nginx not answering within 10 s"; }

code=$(curl -sS -o "$TMP/nginx-check.json" -w '%{http_code}' -X POST -H "X-Tenant-Id: $TENANT" \
  -H 'Content-Type: application/json' --data-binary "@$BODY_FILE" "$URL_NGINX")
NGINX_BYTES=$(wc -c <"$TMP/nginx-check.json")
[[ $code == 200 ]] || die "nginx answered $code to POST $URL_NGINX"
[[ $NGINX_BYTES == "$RESPONSE_BYTES" ]] || die "nginx body is $NGINX_BYTES bytes, rater's was $RESPONSE_BYTES"
cmp -s "$TMP/nginx-check.json" "$RESPONSE" || die "nginx body differs from the captured rater response"
echo "   nginx ready (pid $NGINX_PID), POST -> 200, $NGINX_BYTES bytes, identical to the rater's response"

echo "-- nginx warm-up ($WARMUP, not reported)"
run_wrk "$URL_NGINX" "$WARMUP" "$TMP/wrk-nginx-warmup.txt"
echo "-- nginx measured ($DURATION)"
run_wrk "$URL_NGINX" "$DURATION" "$TMP/wrk-nginx.txt"
cat "$TMP/wrk-nginx.txt"
stop_pid "$NGINX_PID"
NGINX_PID=""
V8_PID=""

# ------------------------------------------------------------------ summary
for f in "$TMP/wrk-rater.txt" "$TMP/wrk-v8.txt" "$TMP/wrk-nginx.txt"; do
  grep -q '^RATE_RESULT' "$f" || die "no RATE_RESULT line in $f (is benchmarks/scripts/rate.lua intact?)"
done
R_RPS=$(field rps "$TMP/wrk-rater.txt");  N_RPS=$(field rps "$TMP/wrk-nginx.txt");  V_RPS=$(field rps "$TMP/wrk-v8.txt")
R_P50=$(field p50_ms "$TMP/wrk-rater.txt"); N_P50=$(field p50_ms "$TMP/wrk-nginx.txt"); V_P50=$(field p50_ms "$TMP/wrk-v8.txt")
R_P99=$(field p99_ms "$TMP/wrk-rater.txt"); N_P99=$(field p99_ms "$TMP/wrk-nginx.txt"); V_P99=$(field p99_ms "$TMP/wrk-v8.txt")
R_P999=$(field p999_ms "$TMP/wrk-rater.txt"); N_P999=$(field p999_ms "$TMP/wrk-nginx.txt"); V_P999=$(field p999_ms "$TMP/wrk-v8.txt")
R_BAD=$(field non2xx3xx "$TMP/wrk-rater.txt"); N_BAD=$(field non2xx3xx "$TMP/wrk-nginx.txt"); V_BAD=$(field non2xx3xx "$TMP/wrk-v8.txt")
sock_errs() { awk -v a="$(field err_connect "$1")" -v b="$(field err_read "$1")" -v c="$(field err_write "$1")" -v d="$(field err_timeout "$1")" 'BEGIN { print a + b + c + d }'; }
R_SOCK=$(sock_errs "$TMP/wrk-rater.txt"); N_SOCK=$(sock_errs "$TMP/wrk-nginx.txt"); V_SOCK=$(sock_errs "$TMP/wrk-v8.txt")
RATIO=$(awk -v r="$R_RPS" -v n="$N_RPS" 'BEGIN { printf "%.1f", (n > 0 ? 100 * r / n : 0) }')
V8_RATIO=$(awk -v r="$R_RPS" -v v="$V_RPS" 'BEGIN { printf "%.2f", (v > 0 ? r / v : 0) }')
verdict() { # verdict VALUE OP TARGET UNIT
  awk -v v="$1" -v op="$2" -v t="$3" -v u="$4" 'BEGIN {
    ok = (op == ">=") ? (v >= t) : (v <= t)
    if (ok) printf "PASS"; else printf "MISS by %.1f%s", (v > t ? v - t : t - v), u }'
}
GC_STATS=$(awk '/Pause/ { ms = $NF; sub(/ms$/, "", ms); n++; s += ms; if (ms > m) m = ms }
  END { printf "%d pauses, total %.1f ms, longest %.2f ms", n, s, m }' "$TMP/rater-gc.log" 2>/dev/null || echo "n/a")
RATER_WARN=$(grep -cE ' (WARN|ERROR) ' "$TMP/rater.log" || true)

cat <<EOF

=========== summary: rater vs V8 vs nginx, POST /v1/rate ===========
load        wrk -t$THREADS -c$CONNECTIONS -d$DURATION keep-alive, after a $WARMUP warm-up per server
response    $RESPONSE_BYTES bytes (V8 answers and nginx serves the exact bytes of one rater response)
                       rater             V8          nginx
req/s        $(printf '%14s %14s %14s' "$R_RPS" "$V_RPS" "$N_RPS")
p50 ms       $(printf '%14s %14s %14s' "$R_P50" "$V_P50" "$N_P50")
p99 ms       $(printf '%14s %14s %14s' "$R_P99" "$V_P99" "$N_P99")
p99.9 ms     $(printf '%14s %14s %14s' "$R_P999" "$V_P999" "$N_P999")
non-2xx/3xx  $(printf '%14s %14s %14s' "$R_BAD" "$V_BAD" "$N_BAD")
socket errs  $(printf '%14s %14s %14s' "$R_SOCK" "$V_SOCK" "$N_SOCK")
ratios      rater/V8 req/s = ${V8_RATIO}x, rater/nginx req/s = ${RATIO}%
targets     rater >= ${TARGET_V8_RATIO}x V8 req/s        : ${V8_RATIO}x  $(verdict "$V8_RATIO" '>=' "$TARGET_V8_RATIO" 'x')
            rater p99 <= V8 p99                 : ${R_P99} vs ${V_P99} ms  $(verdict "$R_P99" '<=' "$V_P99" ' ms')
            rater >= ${TARGET_RATIO_PCT}% of nginx req/s : ${RATIO}%  $(verdict "$RATIO" '>=' "$TARGET_RATIO_PCT" ' points')
            rater p99 <= ${TARGET_P99_MS} ms             : ${R_P99} ms  $(verdict "$R_P99" '<=' "$TARGET_P99_MS" ' ms')
rater JVM   $JAVA_OPTS; GC over warm-up+run: $GC_STATS
rater log   $RATER_WARN WARN/ERROR lines
machine     nproc $NPROC, CPU: $CPU_MODEL, kernel $(uname -r)
            java: $JAVA_VERSION
            $WRK_VERSION
            $NGINX_VERSION
            $NODE_VERSION
            load average before the run: $LOAD_BEFORE, after: $(cut -d" " -f1-3 /proc/loadavg) (ours included)
note        wrk, the server under test and the JVM's GC/JIT threads all share these $NPROC CPUs
            (no pinning); each server runs alone (each is stopped before the next starts), so all
            see the same client and the same CPU budget, but absolute numbers are
            lower than on a box where the load generator has its own cores.
=========================================================================
EOF
if ((RATER_WARN > 0)); then
  echo "rater WARN/ERROR lines (first 20):"
  grep -E ' (WARN|ERROR) ' "$TMP/rater.log" | awk 'n++ < 20'
fi
