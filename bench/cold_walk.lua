-- The cold walk: every request asks the next URL of a list no other request asks (wrk -t N -c N: one connection
-- per thread, thread k taking lines k, k+N, k+2N, ...). A thread stops when its share runs out: no URL is asked
-- twice. Arguments: the file of paths, and the number of threads.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  step = tonumber(args[2])
  position = id + 1
  asked = 0
  finished = false
end

function request()
  local path = paths[position]
  position = position + step
  asked = asked + 1
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if paths[position] == nil then
    finished = true
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local exhausted = 0
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("asked")
    if thread:get("finished") then
      exhausted = exhausted + 1
    end
  end
  io.write(string.format("COLD asked=%d exhausted_threads=%d mean_us=%f\n", total, exhausted, latency.mean))
end
