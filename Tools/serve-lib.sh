# Sourced by Tools/fuzz-api.sh and Tools/bench-serve.sh: start `smcc serve` on a free loopback port
# and make sure it never outlives the script. Needs $smcc; sets $server (pid), $base (URL), $work.
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# start_server LOG: runs the server in the background and waits until it prints its address.
start_server() {
  "$smcc" serve "$1" --port 0 >"$work/out" 2>"$work/err" &
  server=$!
  for _ in $(seq 1 300); do
    grep -q '^listening on ' "$work/out" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
    sleep 0.1
  done
  base="$(sed -n 's/^listening on //p' "$work/out")"
  [ -n "$base" ] || { echo "$0: the server did not start" >&2; exit 1; }
}

# stop_server: SIGTERM, and fail unless it exits cleanly.
stop_server() {
  kill -TERM "$server"
  local status=0
  wait "$server" || status=$?
  server=""
  [ "$status" -eq 0 ] || { echo "$0: the server exited with $status on SIGTERM" >&2; return 1; }
}

# post_as TOKEN PATH JSON: one POST, failing on an error status.
post_as() {
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$base$2"
}
