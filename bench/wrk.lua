-- wrk script for bench/run: the request shape comes from the environment, and done() prints
-- one machine-readable summary line that bench/run parses.
--   WRK_METHOD  request method (default GET)
--   WRK_BODY    request body; sent as application/json
local method = os.getenv("WRK_METHOD")
local body = os.getenv("WRK_BODY")
if method and method ~= "" then
  wrk.method = method
end
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  -- wrk counts HTTP status >= 400 in errors.status; socket errors are the rest.
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f sock_errors=%d http_errors=%d"
      .. " connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, e.connect, e.read, e.write, e.timeout))
end
