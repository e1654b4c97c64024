-- wrk script: GET one path; with a cookies file (one `session=...` per line, env
-- BENCH_COOKIES), each request carries the next session in turn, so 64 connections act as
-- many signed-in users. Prints the figures as one JSON line (to stdout) at the end.
--
--   BENCH_COOKIES=cookies.txt wrk -t2 -c64 -d10s -s bench/get.lua http://127.0.0.1:3390/practice

local cookies = {}
local path = os.getenv("BENCH_COOKIES")
if path and path ~= "" then
  for line in io.lines(path) do
    if line ~= "" then cookies[#cookies + 1] = line end
  end
end

local threads = {}
local next_index = 1

function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  -- Threads start at different sessions.
  next_index = (offset or 0) * 7 + 1
end

function request()
  if #cookies == 0 then
    return wrk.format("GET")
  end
  local cookie = cookies[(next_index - 1) % #cookies + 1]
  next_index = next_index + 1
  return wrk.format("GET", nil, { Cookie = cookie })
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"tool":"wrk","requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"bytes":%d,"errors":%d,"error_kinds":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.bytes, e.connect + e.read + e.write + e.status + e.timeout,
    e.connect, e.read, e.write, e.status, e.timeout))
end
