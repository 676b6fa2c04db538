#!/usr/bin/env bash
# images/appcds-train.sh: the training run that writes a JVM's start-up archive while building the
# images: an AppCDS archive (Java 17) or an ahead-of-time cache (Java 25).
#
#   appcds-train.sh ARCHIVE PORT REQUEST_JSON -- java -XX:ArchiveClassesAtExit=ARCHIVE -jar ...
#   appcds-train.sh ARCHIVE PORT REQUEST_JSON -- java -XX:AOTCacheOutput=ARCHIVE -jar ...
#
# Starts the given command (a JVM that serves the rating API on 127.0.0.1:PORT and, when
# HEALTH_PORT is set, /readyz and the rest on 127.0.0.1:HEALTH_PORT), waits for GET /readyz to
# answer 200 (with HEALTH_PORT), exercises the serving path (POST /v1/rate for tenant acme-bank
# with REQUEST_JSON, retried until it first answers 200, then TRAIN_REQUESTS (default 300) more;
# with HEALTH_PORT, GET /v1/models, /metrics, /healthz), then stops the JVM with SIGTERM. A JVM stopped that way
# exits through its shutdown hooks, and at exit JDK 17 writes the dynamic archive named
# by -XX:ArchiveClassesAtExit, JDK 25 the cache named by -XX:AOTCacheOutput (with the method
# profiles of the ratings served; it forks a JVM to assemble it, which this run waits for). Fails (non-zero) when the server does not get ready in
# TRAIN_TIMEOUT seconds (default 180), when a rating is not answered 200, or when no archive was
# written, so a broken training run breaks the image build instead of shipping an image whose
# JVM warns about a missing archive on every start.
#
# TRAIN_BESIDE, when set, is a command (run with bash -c, not traced) started first and left to
# serve the rating API on PORT before COMMAND starts, and stopped at the end: the operator's
# image trains its operator against the local run's API server this way, since the operator's
# own jar carries no API server. TRAIN_GETS lists the paths GET on HEALTH_PORT at the end
# (default: /v1/models /metrics /healthz, the rater's).
#
# Needs bash (for /dev/tcp) and nothing else: the eclipse-temurin JRE image has no curl
# guarantee, and a JRE cannot run a single-file Java client.
set -euo pipefail

if [[ $# -lt 5 || $4 != "--" ]]; then
  echo "usage: $0 ARCHIVE PORT REQUEST_JSON -- COMMAND..." >&2
  exit 2
fi
ARCHIVE=$1
PORT=$2
HEALTH_PORT=${HEALTH_PORT:-}
REQUEST=$3
shift 4
TIMEOUT=${TRAIN_TIMEOUT:-180}
REQUESTS=${TRAIN_REQUESTS:-300}
GETS=${TRAIN_GETS:-/v1/models /metrics /healthz}
BESIDE=${TRAIN_BESIDE:-}
LOG=$(mktemp /tmp/appcds-train.XXXXXX.log)
PID=""
BESIDE_PID=""

cleanup() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kill -KILL "$PID" 2>/dev/null || true
  fi
  if [[ -n $BESIDE_PID ]] && kill -0 "$BESIDE_PID" 2>/dev/null; then
    kill -TERM "$BESIDE_PID" 2>/dev/null || true
    wait "$BESIDE_PID" 2>/dev/null || true
  fi
  rm -f "$LOG" "$LOG.beside"
}
trap cleanup EXIT

die() {
  echo "appcds-train: $*" >&2
  echo "---- training log (last 40 lines) ----" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}

# http METHOD PATH [BODY] -> prints the status code; the response body goes to $LOG.body.
# GETs go to the health port, POSTs to the rating port.
http() {
  local method=$1 path=$2 body=${3:-} status port=$PORT
  [[ $method == POST ]] || port=$HEALTH_PORT
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  if [[ $method == POST ]]; then
    printf 'POST %s HTTP/1.1\r\nHost: localhost\r\nX-Tenant-Id: acme-bank\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
      "$path" "${#body}" "$body" >&3
  else
    printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
  fi
  cat <&3 >"$LOG.body"
  exec 3<&-
  status=$(head -n 1 "$LOG.body" | cut -d ' ' -f 2)
  echo "${status:-000}"
}

[[ -r $REQUEST ]] || die "request file $REQUEST not readable"
BODY=$(<"$REQUEST")

deadline=$((SECONDS + TIMEOUT))
if [[ -n $BESIDE ]]; then
  bash -c "$BESIDE" >"$LOG.beside" 2>&1 &
  BESIDE_PID=$!
  until [[ $(http POST /v1/rate "$BODY" 2>/dev/null || true) == 200 ]]; do
    kill -0 "$BESIDE_PID" 2>/dev/null || { cat "$LOG.beside" >>"$LOG"; die "TRAIN_BESIDE exited"; }
    ((SECONDS < deadline)) || { cat "$LOG.beside" >>"$LOG"; die "TRAIN_BESIDE not rating after ${TIMEOUT}s"; }
    sleep 0.2
  done
fi

"$@" >"$LOG" 2>&1 &
PID=$!

if [[ -n $HEALTH_PORT ]]; then
  until [[ $(http GET /readyz 2>/dev/null || true) == 200 ]]; do
    kill -0 "$PID" 2>/dev/null || die "the JVM exited before it was ready"
    ((SECONDS < deadline)) || die "not ready after ${TIMEOUT}s"
    sleep 0.2
  done
fi

# Ready may mean "serving an empty snapshot" (the local run publishes the examples a
# moment later): wait for the first rating to succeed before counting.
until [[ $(http POST /v1/rate "$BODY" 2>/dev/null || true) == 200 ]]; do
  kill -0 "$PID" 2>/dev/null || die "the JVM exited before it rated"
  ((SECONDS < deadline)) || die "no successful rating after ${TIMEOUT}s: $(tail -c 300 "$LOG.body")"
  sleep 0.2
done
for ((i = 0; i < REQUESTS; i++)); do
  status=$(http POST /v1/rate "$BODY") || die "POST /v1/rate failed to connect"
  [[ $status == 200 ]] || die "POST /v1/rate answered $status: $(tail -c 300 "$LOG.body")"
done
if [[ -n $HEALTH_PORT ]]; then
  for path in $GETS; do
    status=$(http GET "$path") || die "GET $path failed to connect"
    [[ $status == 200 ]] || die "GET $path answered $status"
  done
fi
rm -f "$LOG.body"

kill -TERM "$PID"
set +e
wait "$PID"
rc=$?
set -e
PID=""
# 143 = terminated by SIGTERM after the shutdown hooks ran; 0 if the JVM chose to exit cleanly.
[[ $rc == 0 || $rc == 143 ]] || die "the JVM exited with $rc after SIGTERM"
[[ -s $ARCHIVE ]] || die "no archive at $ARCHIVE"
if [[ -n $BESIDE_PID ]]; then
  kill -TERM "$BESIDE_PID" 2>/dev/null || true
  wait "$BESIDE_PID" 2>/dev/null || true
  BESIDE_PID=""
fi
echo "appcds-train: wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f 1)) after $REQUESTS ratings"
