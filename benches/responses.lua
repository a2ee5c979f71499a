-- wrk script: each request answers the 10-question survey through the next personal token from TOKENS
-- (one per line, made by `hejnal bench survey-setup`). Threads take alternate tokens, so none is used twice;
-- THREADS must equal wrk's -t.
--   TOKENS=/tmp/bench/tokens.txt THREADS=2 wrk -t2 -c32 -d10s --latency -s benches/responses.lua http://127.0.0.1:18080
local tokens = {}
for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do tokens[#tokens + 1] = line end
local threads, counter = 0, 0
local body = '{"answers": {"mode": "bike", "bike_lanes": "no", "problems": ["delays"], "satisfaction": 4, '
  .. '"recommend": 9, "priorities": ["bikes", "metro", "trams"], "minutes": 25, "idea": "Night trams", '
  .. '"stops": {"clean": "ok", "info": "good"}}}'

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  counter = id
  step = tonumber(os.getenv("THREADS") or "2")
end

function request()
  local token = tokens[counter + 1]
  counter = counter + step
  if token == nil then token = "exhausted" end
  return wrk.format("POST", "/api/v1/responses/" .. token, {["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read
    - summary.errors.write - summary.errors.timeout
  io.write(string.format("responses: %d ok of %d; %.0f/s; p50 %.1f ms, p99 %.1f ms; non-2xx %d\n", ok,
    summary.requests, ok / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
