#!/usr/bin/env bash
# The live backend under load, on loopback: 64 concurrent clients sending durable desk commands
# (half new posts, half notes) for DURATION seconds while 4 more clients poll the queues and the
# statistics. Reports, as medians over RUNS fresh logs: durable commands/s (events appended per
# second, counted from the log's head), p99 command latency, p99 read latency, and the same-run
# baseline of GET /health (HTTP and nothing else) with the same 64 clients.
# Usage: Tools/bench-serve.sh [RUNS] [DURATION]     (defaults 3 and 10; needs `wrk`, Debian's)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
duration="${2:-10}"
command -v wrk >/dev/null || { echo "bench-serve: install wrk (apt-get install wrk)" >&2; exit 2; }
swift build -c release --product smcc >&2
smcc="$(swift build -c release --show-bin-path)/smcc"
source Tools/serve-lib.sh

# wrk's latency line in milliseconds: "99%  12.34ms" / "850.00us" / "1.20s".
ms() { awk '{v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'; }
head_seq() { curl -s "$base/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])'; }

results="$work/results"
: >"$results"
for run in $(seq 1 "$runs"); do
  log="$work/log$run"
  "$smcc" init "$log" >/dev/null
  ana="$("$smcc" volunteer add "$log" vol:ana --name Ana --coordinator | cut -d' ' -f2)"
  ingest="$("$smcc" token issue "$log" bench --ingest | cut -d' ' -f2)"
  start_server "$log"
  for id in $(seq 1 64); do
    post_as "$ingest" /v1/posts "{\"post\":\"twitter:$id\",\"channel\":\"twitter\",\"author\":\"fan\",\"text\":\"hi\",\"postedAt\":\"$(date -u +%Y-%m-%dT%H:%M:%S.000Z)\"}"
  done

  wrk -t2 -c64 -d"${duration}s" --latency -s Tools/bench/health.lua "$base" >"$work/health.txt"
  before="$(head_seq)"
  wrk -t1 -c4 -d"${duration}s" --latency -s Tools/bench/reads.lua "$base" -- "$ana" \
    "/v1/queues/triage?limit=20" "/v1/stats" "/v1/queues/mine" "/v1/queues/escalations" >"$work/reads.txt" &
  readers=$!
  wrk -t2 -c64 -d"${duration}s" --latency -s Tools/bench/commands.lua "$base" -- "$ingest" "$ana" >"$work/commands.txt"
  wait "$readers"
  after="$(head_seq)"

  stop_server
  "$smcc" verify "$log" >/dev/null

  errors="$(awk '/Non-2xx/ {print $5}' "$work/commands.txt")"
  read_errors="$(awk '/Non-2xx/ {print $5}' "$work/reads.txt")"
  printf '%s %s %s %s %s %s %s\n' \
    "$(( (after - before) / duration ))" \
    "$(grep ' 99%' "$work/commands.txt" | ms)" \
    "$(grep ' 50%' "$work/commands.txt" | ms)" \
    "$(grep ' 99%' "$work/reads.txt" | ms)" \
    "$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/health.txt")" \
    "${errors:-0}" "${read_errors:-0}" >>"$results"
  echo "run $run: $(tail -1 "$results")  (cmds/s p99ms p50ms read-p99ms health-req/s cmd-non2xx read-non2xx)" >&2
  rm -rf "$log"
done

python3 - "$results" "$duration" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
med = lambda i: statistics.median(r[i] for r in rows)
print(f"runs: {len(rows)} x {sys.argv[2]} s, 64 command clients + 4 read clients on loopback, release build")
print(f"durable commands/s        {med(0):,.0f}   (target >= 20,000)")
print(f"command latency p50 / p99 {med(2):.2f} ms / {med(1):.2f} ms   (target p99 <= 20 ms)")
print(f"read latency p99          {med(3):.2f} ms   (queues + stats under that load; target < 10 ms)")
print(f"baseline GET /health      {med(4):,.0f} req/s with 64 clients; commands/s = {med(0) / med(4):.2f} x baseline")
print(f"non-2xx: commands {sum(r[5] for r in rows):.0f}, reads {sum(r[6] for r in rows):.0f}")
PY
