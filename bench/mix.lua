-- wrk script: replay a list of GET requests in turn (one per line: path TAB Accept), then
-- print the totals as one JSON line that bench/load.py reads. The list file is wrk's first
-- argument after "--".
local requests = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    local path, accept = line:match("^([^\t]+)\t(.+)$")
    if path then
      requests[#requests + 1] = wrk.format("GET", path, { ["Accept"] = accept })
    end
  end
  -- Each thread starts at its own place in the list, so threads do not move in lockstep.
  counter = math.random(#requests) - 1
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
