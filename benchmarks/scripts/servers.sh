# Sourced by the benchmark scripts that start servers: small process and port helpers, so each
# script starts, waits for and stops what it measures the same way.

# Whether something listens on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sends SIGTERM, waits up to 15 s, then SIGKILL. Only ever our own child pids.
stop_pid() {
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# A free loopback port, chosen at random; the caller defines die.
free_port() {
  local p i
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 30000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# Polls url until it answers 200, at most $2 seconds.
wait_200() {
  local url=$1 limit=$2 deadline
  deadline=$(($(date +%s) + limit))
  while (($(date +%s) < deadline)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true) == 200 ]] && return 0
    sleep 0.05
  done
  return 1
}
