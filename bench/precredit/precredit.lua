-- POST /api/v1/precredit over the benchmark's authorised enterprises, each thread from its own offset, with the
-- bank's bearer token. BODIES_FILE (one JSON request body per line) and TOKEN come from the environment.
local bodies = {}
local token = os.getenv("TOKEN")
local counter = 0
local headers = nil

for line in io.lines(os.getenv("BODIES_FILE")) do
  bodies[#bodies + 1] = line
end

setup = function(thread)
  thread:set("offset", math.random(1, #bodies))
end

init = function(args)
  counter = tonumber(offset) or 0
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
end

request = function()
  counter = counter + 1
  return wrk.format("POST", "/api/v1/precredit", headers, bodies[(counter % #bodies) + 1])
end
