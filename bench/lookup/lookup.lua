-- GET /api/v1/enterprises/{uscc} over the benchmark's warm subjects, each thread from its own offset,
-- with the bearer token of the reading role. CODES_FILE and TOKEN come from the environment.
local codes = {}
local token = os.getenv("TOKEN")
local counter = 0

for line in io.lines(os.getenv("CODES_FILE")) do
  codes[#codes + 1] = line
end

setup = function(thread)
  thread:set("offset", math.random(1, #codes))
end

init = function(args)
  counter = tonumber(offset) or 0
end

request = function()
  counter = counter + 1
  local code = codes[(counter % #codes) + 1]
  return wrk.format("GET", "/api/v1/enterprises/" .. code, { ["Authorization"] = "Bearer " .. token })
end
