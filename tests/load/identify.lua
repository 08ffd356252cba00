-- wrk script: Track API identify requests that create and update people in one workspace.
-- Usage: wrk -t2 -c64 -d20s -s tests/load/identify.lua http://127.0.0.1:5181 -- "<base64 of site_id:track_api_key>" [people]
-- Ids are drawn from 1..people (default 200000): early requests mostly create, later ones mostly update.

local counter = 0

function init(args)
  people = tonumber(args[2] or "200000")
  wrk.headers["Authorization"] = "Basic " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
end

function request()
  counter = counter + 1
  local id = math.random(1, people)
  local body = string.format('{"email":"load-%d@example.com","plan":"p%d","visits":%d}', id, counter % 5, counter)
  return wrk.format("PUT", "/api/v1/customers/load-" .. id, nil, body)
end

local statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("non-2xx or socket errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
