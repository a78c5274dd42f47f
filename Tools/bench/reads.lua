-- wrk script for Tools/bench-serve.sh: what a volunteer's screen polls while the load runs.
-- Arguments: VOLUNTEER_TOKEN PATH...
function init(args)
  headers = { ["Authorization"] = "Bearer " .. args[1] }
  paths = {}
  for i = 2, #args do paths[#paths + 1] = args[i] end
  counter = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1], headers)
end
