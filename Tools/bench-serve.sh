#!/usr/bin/env bash
# The live backend under load, on loopback, against the limits measured in the same run (issue 16).
# For each client count C (default 64 and 256), on a fresh log per run: C concurrent clients send
# durable desk commands (half new posts, half notes) for DURATION seconds while 4 more clients poll
# the queues and the statistics. Beside it, in the same run:
#   - GET /health from the same C clients: the HTTP stack alone (rate and p99);
#   - the median time of a durable one-record LMDB commit on the same disk
#     (Tools/bench/commit_time.py, py-lmdb): C / that time is what the disk allows.
# A command is answered once durable, so no server beats the lower of the two limits. Reports
# medians over RUNS: durable commands/s (events appended per second, counted from the log's head),
# the ratio to the lower limit (target >= 0.8), command p50/p99 and p99 minus /health's p99 (target
# <= 5 ms), read p99 under that load (target <= 10 ms).
# Usage: Tools/bench-serve.sh [RUNS] [DURATION] [CLIENTS...]   (defaults 3, 10, "64 256"; needs
# Debian's `wrk` and the PyPI packages of Tools/requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
duration="${2:-10}"
shift $(( $# > 2 ? 2 : $# ))
if [ $# -gt 0 ]; then client_counts=("$@"); else client_counts=(64 256); fi
command -v wrk >/dev/null || { echo "bench-serve: install wrk (apt-get install wrk)" >&2; exit 2; }
swift build -c release --static-swift-stdlib --product smcc >&2
smcc="$(swift build -c release --static-swift-stdlib --show-bin-path)/smcc"
source Tools/serve-lib.sh

# wrk's latency line in milliseconds: "99%  12.34ms" / "850.00us" / "1.20s".
ms() { awk '{v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'; }
head_seq() { curl -s "$base/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])'; }

results="$work/results"
: >"$results"
for clients in "${client_counts[@]}"; do
for run in $(seq 1 "$runs"); do
  log="$work/log$run"
  "$smcc" init "$log" >/dev/null
  ana="$("$smcc" volunteer add "$log" vol:ana --name Ana --coordinator | cut -d' ' -f2)"
  ingest="$("$smcc" token issue "$log" bench --ingest | cut -d' ' -f2)"
  start_server "$log"
  for id in $(seq 1 64); do
    post_as "$ingest" /v1/posts "{\"post\":\"twitter:$id\",\"channel\":\"twitter\",\"author\":\"fan\",\"text\":\"hi\",\"postedAt\":\"$(date -u +%Y-%m-%dT%H:%M:%S.000Z)\"}"
  done

  commit_ms="$(python3 Tools/bench/commit_time.py "$work/commit-probe")"
  rm -rf "$work/commit-probe"
  wrk -t2 -c"$clients" -d"${duration}s" --latency -s Tools/bench/health.lua "$base" >"$work/health.txt"
  before="$(head_seq)"
  wrk -t1 -c4 -d"${duration}s" --latency -s Tools/bench/reads.lua "$base" -- "$ana" \
    "/v1/queues/triage?limit=20" "/v1/stats" "/v1/queues/mine" "/v1/queues/escalations" >"$work/reads.txt" &
  readers=$!
  wrk -t2 -c"$clients" -d"${duration}s" --latency -s Tools/bench/commands.lua "$base" -- "$ingest" "$ana" >"$work/commands.txt"
  wait "$readers"
  after="$(head_seq)"

  stop_server
  "$smcc" verify "$log" >/dev/null

  errors="$(awk '/Non-2xx/ {print $5}' "$work/commands.txt")"
  read_errors="$(awk '/Non-2xx/ {print $5}' "$work/reads.txt")"
  printf '%s %s %s %s %s %s %s %s %s %s\n' "$clients" \
    "$(( (after - before) / duration ))" \
    "$(grep ' 99%' "$work/commands.txt" | ms)" \
    "$(grep ' 50%' "$work/commands.txt" | ms)" \
    "$(grep ' 99%' "$work/reads.txt" | ms)" \
    "$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/health.txt")" \
    "$(grep ' 99%' "$work/health.txt" | ms)" \
    "$commit_ms" \
    "${errors:-0}" "${read_errors:-0}" >>"$results"
  echo "$clients clients, run $run: $(tail -1 "$results" | cut -d' ' -f2-)  (cmds/s p99ms p50ms read-p99ms health-req/s health-p99ms commit-ms cmd-non2xx read-non2xx)" >&2
  rm -rf "$log"
done
done

python3 - "$results" "$duration" "$runs" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
print(f"smcc serve under load: {sys.argv[3]} runs x {sys.argv[2]} s per client count, + 4 read clients, loopback, release build, medians")
for clients in sorted({r[0] for r in rows}):
    group = [r for r in rows if r[0] == clients]
    med = lambda i: statistics.median(r[i] for r in group)
    cmds, p99, p50, read99, health, health99, commit = (med(i) for i in range(1, 8))
    disk = clients / (commit / 1000)
    limit = min(disk, health)
    print(f"{clients:.0f} clients:")
    print(f"  limits (same run)         durable one-record commit {commit:.3f} ms -> {disk:,.0f}/s for {clients:.0f} clients; GET /health {health:,.0f} req/s, p99 {health99:.2f} ms")
    print(f"  durable commands/s        {cmds:,.0f} = {cmds / limit:.2f} x the lower limit ({limit:,.0f}/s)   (target >= 0.8)")
    print(f"  command latency p50 / p99 {p50:.2f} ms / {p99:.2f} ms = /health p99 + {p99 - health99:.2f} ms   (target <= + 5 ms)")
    print(f"  read latency p99          {read99:.2f} ms   (queues + stats under that load; target <= 10 ms)")
    print(f"  non-2xx                   commands {sum(r[8] for r in group):.0f}, reads {sum(r[9] for r in group):.0f}")
PY
