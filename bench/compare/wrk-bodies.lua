-- wrk script: POSTs the JSON bodies of a file (one per line) in turn, so the peer sees as many
-- distinct rows as predict-bench sends, and prints one JSON line of results at the end.
--   BODIES=rows/forest.bodies wrk -s wrk-bodies.lua ...
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local index = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  -- Each wrk thread starts at its own place in the file.
  thread:set("offset", math.random(#bodies))
end

function init(args)
  index = offset or 0
end

function request()
  index = index % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[index])
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
