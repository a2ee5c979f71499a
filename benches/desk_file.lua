-- wrk: files a report without a photo per request (multipart, as POST /api/v1/reports takes it). Each thread and
-- request has its own description, so none is recognised as the same report sent twice.
--   wrk -t2 -c16 -d20s --latency -s benches/desk_file.lua http://127.0.0.1:8080
local boundary = "----hejnal-bench-boundary"
local threads = 0
local n = 0  -- per thread; `id` is set by setup() in each thread

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

function request()
  n = n + 1
  local body = part("service_code", "STREET-LIGHT")
    .. part("description", "Benchmark: the street light is out, thread " .. id .. " report " .. n .. " " .. os.time())
    .. part("lat", "50.0614")
    .. part("long", "19.9366")
    .. "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/api/v1/reports", { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
