-- wrk script of bench/http_overhead.py: POST the JSON file named after `--` with
-- Content-Type application/json to the URL given to wrk (path and query included), and
-- print one JSON line of results when done (latencies in microseconds).
--
--   wrk -t1 -c32 -d10s -s bench/http_apps/post.lua URL -- bench/http_apps/order.json

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  wrk.headers["Content-Type"] = "application/json"
  -- as a browser sends it (common.py's ORIGIN); only the +prod apps answer CORS
  wrk.headers["Origin"] = "https://app.example"
  file:close()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
