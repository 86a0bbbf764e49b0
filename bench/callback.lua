-- wrk script for bench/callback.py: every request is a distinct, encrypted and signed WeCom callback.
--   wrk -t2 -c8 -d10s -s bench/callback.lua http://127.0.0.1:PORT -- REQUESTS_FILE THREADS
-- Each line of REQUESTS_FILE is "path<TAB>body". Thread k of n sends lines k, k+n, k+2n, … once each; a
-- thread that runs out starts again from its first line and counts the requests it sent again ("reused"),
-- which bench/callback.py reports as a run too short of messages (a repeat is answered from the inbound log).

local counter, threads = 0, {}

function setup(thread)
   thread:set("tid", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

function init(args)
   local n = tonumber(args[2])
   requests, reused, sent, status_other = {}, 0, 0, 0
   local k = 0
   for line in io.lines(args[1]) do
      if k % n == tid then
         local tab = line:find("\t", 1, true)
         requests[#requests + 1] = wrk.format("POST", line:sub(1, tab - 1),
            { ["Content-Type"] = "text/xml" }, line:sub(tab + 1))
      end
      k = k + 1
   end
   at = 0
end

function request()
   at = at + 1
   if at > #requests then
      at = 1
   end
   sent = sent + 1
   if sent > #requests then
      reused = reused + 1
   end
   return requests[at]
end

function response(status, headers, body)
   if status ~= 200 then
      status_other = status_other + 1
   end
end

function done(summary, latency, requests)
   local again, other = 0, 0
   for _, thread in ipairs(threads) do
      again = again + thread:get("reused")
      other = other + thread:get("status_other")
   end
   io.write(string.format(
      "WRK_RESULT requests=%d duration_us=%d non200=%d socket_errors=%d reused=%d p50_us=%d p99_us=%d\n",
      summary.requests, summary.duration, other,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      again, latency:percentile(50.0), latency:percentile(99.0)))
end
