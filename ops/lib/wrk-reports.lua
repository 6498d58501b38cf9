-- wrk script for ops/bench/reports: every request posts one report (or an array of N) with a random public IPv4
-- (11.0.0.0-99.255.255.255 holds no special-purpose block) and the next API key in turn.
--   wrk -s ops/lib/wrk-reports.lua URL -- KEYS_FILE [REPORTS_PER_REQUEST]
-- done() prints key=value lines (status counts, latency percentiles of all answers in ms).
local threads = {}
local counter = 0
local keys = {}
statuses = {}  -- global: done() reads it from every thread with thread:get

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local batch = 1

function init(args)
  batch = tonumber(args[2] or "1")
  for line in io.lines(args[1]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  math.randomseed(os.time() * 1000 + tid * 7919)
  counter = tid * 7
end

local function one()
  local ip = string.format("%d.%d.%d.%d", math.random(11, 99), math.random(0, 255),
                           math.random(0, 255), math.random(1, 254))
  return '{"ip":"' .. ip .. '","verdict":"spam"}'
end

function request()
  counter = counter + 1
  local body
  if batch > 1 then
    local items = {}
    for i = 1, batch do items[i] = one() end
    body = "[" .. table.concat(items, ",") .. "]"
  else
    body = one()
  end
  return wrk.format("POST", "/api/v1/reports",
    { ["Authorization"] = "Bearer " .. keys[(counter % #keys) + 1],
      ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
  end
  local codes = {}
  for k, _ in pairs(total) do codes[#codes + 1] = k end
  table.sort(codes)
  io.write(string.format("wrk_seconds=%.2f\n", summary.duration / 1e6))
  io.write(string.format("wrk_requests=%d\n", summary.requests))
  for _, k in ipairs(codes) do io.write(string.format("status_%d=%d\n", k, total[k])) end
  io.write(string.format("errors_connect=%d\nerrors_read=%d\nerrors_write=%d\nerrors_timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("p50_ms=%.2f\np90_ms=%.2f\np99_ms=%.2f\nmax_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
