-- wrk script for `make bench-load` (evals/bench_load.py): one connection per thread, each asking BQ_PER_CLIENT
-- questions back to back (client k starts at question k × BQ_PER_CLIENT of BQ_BODIES, one JSON body a line),
-- then stopping; the bench stops wrk once every thread has said "done" on stderr.
local bodies = {}
local per_client = tonumber(os.getenv("BQ_PER_CLIENT") or "25")
for line in io.lines(os.getenv("BQ_BODIES")) do bodies[#bodies + 1] = line end
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  sent, got, bad = 0, 0, 0
end

function request()
  local body = bodies[((id * per_client + sent) % #bodies) + 1]
  sent = sent + 1
  return wrk.format("POST", "/api/v1/ask", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  got = got + 1
  if status ~= 200 then bad = bad + 1 end
  if got == per_client then
    io.stderr:write("done " .. id .. "\n")
    io.stderr:flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format("BQ requests=%d non200=%d socket=%d timeout=%d p50=%d p95=%d max=%d\n",
    summary.requests, non200, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency.max))
end
