-- wrk script: search as you type. Each request is POST /api/search (what the search box calls
-- 200 ms after a keystroke) with the next prefix of one of the everyday queries below, so the
-- run mixes partial words, typos, identifiers and full questions. Anonymous (no cookie), as
-- most searches are. Prints the figures as one JSON line (to stdout) at the end.
--
--   wrk -t2 -c64 -d10s -s bench/search.lua http://127.0.0.1:3390/api/search

local queries = {
  "how do I undo a bad release",
  "stop paying for idle machines",
  "where should secrets go",
  "works on my laptop but fails in azure",
  "mlflow.log_metric",
  "az ml online-deployment get-logs",
  "enviroment from a conda file",
  "block agents from sending data to the internet",
  "evaluate groundedness of rag answers",
  "provisioned throughput 429 spillover",
  "trace every call of my agent",
  "retrain when data drifts",
}

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local bodies = {}
for _, q in ipairs(queries) do
  for n = 3, #q do
    bodies[#bodies + 1] = "query=" .. encode(q:sub(1, n))
  end
end

local threads = {}
local next_index = 1

function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  next_index = (offset or 0) * 37 + 1
end

function request()
  local body = bodies[(next_index - 1) % #bodies + 1]
  next_index = next_index + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["Accept"] = "application/json",
  }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"tool":"wrk","queries":%d,"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"bytes":%d,"errors":%d,"error_kinds":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    #bodies, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.bytes, e.connect + e.read + e.write + e.status + e.timeout,
    e.connect, e.read, e.write, e.status, e.timeout))
end
