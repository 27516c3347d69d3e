-- wrk script for bench/load_bench.py: every request is a GET of one path drawn from a list,
-- with a fixed random seed per wrk thread, so a run is repeatable. Any status outside 2xx
-- (a redirect included) counts as an error, as do wrk's socket errors and timeouts.
--
-- Usage: wrk -s bench/load_urls.lua URL -- PATHS_FILE SEED
-- PATHS_FILE has one path per line ("/tim-kiem?q=mat+ong"). The summary is printed as one
-- line "LOADBENCH_JSON {...}" for the Python driver to read.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_no", counter)
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   if #paths == 0 then
      error("no paths in " .. args[1])
   end
   math.randomseed(tonumber(args[2] or "1") * 1000 + thread_no)
   non2xx = 0
   statuses = {}
end

function request()
   return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      local key = tostring(status)
      statuses[key] = (statuses[key] or 0) + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   local by_status = {}
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non2xx")
      for code, n in pairs(thread:get("statuses")) do
         by_status[code] = (by_status[code] or 0) + n
      end
   end
   local parts = {}
   for code, n in pairs(by_status) do
      parts[#parts + 1] = string.format('"%s": %d', code, n)
   end
   local e = summary.errors
   io.write(string.format(
      'LOADBENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"non2xx": %d, "statuses": {%s}, "connect": %d, "read": %d, "write": %d, ' ..
      '"timeout": %d, "p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, ' ..
      '"max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes, bad, table.concat(parts, ", "),
      e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max, latency.mean))
end
