-- wrk script for Tools/bench-serve.sh: durable desk commands, half new posts (ingest token), half
-- notes on the 64 seeded posts (a volunteer's token). Every request appends one event.
-- Arguments: INGEST_TOKEN VOLUNTEER_TOKEN
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  ingest = { ["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json" }
  volunteer = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
  counter = 0
end

-- Posted when the benchmark starts: a post must be posted within a year before it is received.
posted = os.date("!%Y-%m-%dT%H:%M:%S.000Z")

function request()
  counter = counter + 1
  if counter % 2 == 0 then
    return wrk.format("POST", string.format("/v1/posts/twitter:%d/notes", counter % 64 + 1), volunteer, '{"text":"seen, on it"}')
  end
  local id = string.format("%d", tid * 1000000000 + counter)
  return wrk.format("POST", "/v1/posts", ingest,
    '{"post":"twitter:' .. id .. '","channel":"twitter","author":"fan' .. (counter % 97) ..
    '","text":"when does the keynote start? #askpivot","hashtags":["askpivot"],"mentions":[],"postedAt":"' .. posted .. '"}')
end
