-- wrk script for Tools/bench-serve.sh: the same-run baseline, HTTP with no work behind it.
function request()
  return wrk.format("GET", "/health")
end
