-- POST /api/v1/precredit over the benchmark's authorised enterprises, each thread from its own offset, with the
-- bank's bearer token. BODIES_FILE (one JSON request body per line) and TOKEN come from the environment.
-- Every request is formatted once, in init, and request() only hands the next one out: formatting it on each call
-- cost the load generator CPU that the constant endpoint's static request does not, on the same two cores as the
-- gateway it measures.
local bodies = {}
local token = os.getenv("TOKEN")
local counter = 0
local requests = {}

for line in io.lines(os.getenv("BODIES_FILE")) do
  bodies[#bodies + 1] = line
end

setup = function(thread)
  thread:set("offset", math.random(1, #bodies))
end

init = function(args)
  counter = tonumber(offset) or 0
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  for i = 1, #bodies do
    requests[i] = wrk.format("POST", "/api/v1/precredit", headers, bodies[i])
  end
end

request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
