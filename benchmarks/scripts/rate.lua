-- benchmarks/scripts/rate.lua: wrk script for the clawrate rater benchmark (benchmarks/scripts/http-vs-nginx.sh).
--
-- Sends every request as
--   POST <path of the wrk URL>
--   X-Tenant-Id: <tenant, default acme-bank>
--   Content-Type: application/json
--   <body: the bytes of the request file>
-- over wrk's keep-alive connections. The request is built once per thread and reused
-- (no request()/response() callbacks), so the Lua layer costs nothing per request.
--
-- Usage:
--   wrk -t2 -c64 -d30s -s benchmarks/scripts/rate.lua http://127.0.0.1:18080/v1/rate -- BODY_FILE [TENANT]
--
-- In done() it prints a human-readable block and one machine-readable line:
--   RATE_RESULT requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. p999_ms=..
--               max_ms=.. mean_ms=.. non2xx3xx=N err_connect=N err_read=N err_write=N
--               err_timeout=N
-- non2xx3xx is wrk's own counter behind "Non-2xx or 3xx responses" (it counts every
-- response with status >= 400; wrk has no other status counter without a per-response
-- callback, which would slow the client down). Latencies are wrk's closed-loop
-- (request sent -> response complete) latencies.

local body_file = nil
local tenant = "acme-bank"

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then
    error("rate.lua: cannot open body file '" .. tostring(path) .. "': " .. tostring(err))
  end
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  body_file = args[1] or os.getenv("RATE_BODY_FILE")
  if args[2] and args[2] ~= "" then tenant = args[2] end
  if not body_file then
    error("rate.lua: pass the request body file after '--' (or set RATE_BODY_FILE)")
  end
  wrk.method = "POST"
  wrk.body = read_file(body_file)
  wrk.headers["X-Tenant-Id"] = tenant
  wrk.headers["Content-Type"] = "application/json"
  -- wrk.format() (called by wrk after init) adds Content-Length for the body.
end

local function ms(us)
  return us / 1000.0
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local rps = 0
  if secs > 0 then rps = summary.requests / secs end
  local e = summary.errors
  local p50, p90, p99, p999 =
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)

  io.write("---- rate.lua summary ----\n")
  io.write(string.format("requests     %d in %.2f s\n", summary.requests, secs))
  io.write(string.format("requests/sec %.1f\n", rps))
  io.write(string.format("latency ms   p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f\n",
    ms(p50), ms(p90), ms(p99), ms(p999), ms(latency.max), ms(latency.mean)))
  io.write(string.format("non-2xx/3xx  %d\n", e.status))
  io.write(string.format("socket errs  connect %d  read %d  write %d  timeout %d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format(
    "RATE_RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f mean_ms=%.3f non2xx3xx=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, secs, rps, ms(p50), ms(p90), ms(p99), ms(p999), ms(latency.max),
    ms(latency.mean), e.status, e.connect, e.read, e.write, e.timeout))
end
