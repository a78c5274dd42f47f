#!/usr/bin/env bash
# Benchmarks of the read side on a simulated event of about 1,000,000 events (issue targets:
# replay into all projections >= 1.5M events/s on one core, `--at` <= 100 ms, audit of a post
# <= 10 ms). Prints medians of 5 runs and the replay's peak memory, and `smcc export` piped through
# `wc` as a same-run baseline (a full scan + decode + JSON, no projections). `--at` is timed at
# seven instants spread over the event, from the projection snapshots and, as the same-run
# baseline, with --no-snapshots (a replay from the first event).
# Usage: Tools/bench-replay.sh [POSTS] (default 250000, about 1M events). Needs a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-250000}
smcc=.build/release/smcc
[ -x "$smcc" ] || swift build -c release >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/smcc-bench-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "simulating $posts posts..." >&2
/usr/bin/time -f "%e s, peak %M KiB" "$smcc" simulate "$work/log" --posts "$posts" 2> "$work/simulate.time" >/dev/null
events=$("$smcc" info "$work/log" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
echo "simulate: $events events, $(tail -1 "$work/simulate.time")"

median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.stdin.read().split()]; print(f"{statistics.median(v):.4f}")'; }
timeit() { # runs "$@" 5 times, prints the median wall time in seconds
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    cat "$work/t"
  done | median
}

replay=$(timeit taskset -c 0 "$smcc" replay "$work/log" --no-snapshots)
export_time=$(timeit taskset -c 0 "$smcc" export "$work/log")
/usr/bin/time -f "%M" -o "$work/mem" taskset -c 0 "$smcc" replay "$work/log" --no-snapshots >/dev/null
# The first replay that may store snapshots builds all of them.
/usr/bin/time -f "%e" -o "$work/build" taskset -c 0 "$smcc" replay "$work/log" >/dev/null
snapshot_bytes=$("$smcc" info "$work/log" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["snapshotBytesPerEvent"])')
events_bytes=$("$smcc" info "$work/log" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["eventsBytesPerEvent"])')
instants=$("$smcc" info "$work/log" --json | python3 -c '
import json,sys,datetime
i=json.load(sys.stdin)
f=datetime.datetime.fromisoformat(i["firstAt"].replace("Z","+00:00")); l=datetime.datetime.fromisoformat(i["lastAt"].replace("Z","+00:00"))
print(" ".join((f+(l-f)*k/8).strftime("%Y-%m-%dT%H:%M:%SZ") for k in range(1,8)))')
at_times() { # median over the instants of the median of 5 runs at each
  for instant in $instants; do timeit "$smcc" "$@" --at "$instant" --json; done | median
}
queues_at=$(at_times queues "$work/log")
queues_cold=$(at_times queues "$work/log" --no-snapshots)
stats_at=$(at_times stats "$work/log")
stats_cold=$(at_times stats "$work/log" --no-snapshots)
post=$("$smcc" export "$work/log" --from 1000 --to 2000 | python3 -c 'import json,sys
posts=[json.loads(l)["post"] for l in sys.stdin if "\"kind\":\"replied\"" in l]
print(posts[0])')
audit=$(timeit "$smcc" audit "$work/log" --post "$post")
startup=$(timeit "$smcc" audit "$work/log" --post twitter:0)
python3 - "$events" "$replay" "$export_time" "$(cat "$work/mem")" "$audit" "$startup" "$post" "$(cat "$work/build")" \
  "$snapshot_bytes" "$events_bytes" "$queues_at" "$queues_cold" "$stats_at" "$stats_cold" <<'PY'
import sys
(events, replay, export, mem, audit, startup, post, build, snapshot_bytes, events_bytes,
 queues_at, queues_cold, stats_at, stats_cold) = sys.argv[1:]
events = int(events)
replay, export, audit, startup, build = map(float, (replay, export, audit, startup, build))
queues_at, queues_cold, stats_at, stats_cold = map(float, (queues_at, queues_cold, stats_at, stats_cold))
print(f"replay into all projections (one core): {replay:.3f} s = {events/replay/1e6:.2f}M events/s, peak {int(mem)/1024:.0f} MiB")
print(f"export to /dev/null (one core, baseline): {export:.3f} s = {events/export/1e6:.2f}M events/s; replay/export time = {replay/export:.2f}")
print(f"first replay storing the snapshots (one core): {build:.3f} s = {build/replay:.2f}x the replay without; "
      f"snapshots {float(snapshot_bytes):.1f} bytes/event (events database {float(events_bytes):.1f})")
print(f"queues --at (median over 7 instants): {queues_at*1000:.0f} ms from snapshots, {queues_cold*1000:.0f} ms with --no-snapshots "
      f"({queues_cold/queues_at:.1f}x); process start-up and opening the log: {startup*1000:.0f} ms")
print(f"stats --at (median over 7 instants): {stats_at*1000:.0f} ms from snapshots, {stats_cold*1000:.0f} ms with --no-snapshots ({stats_cold/stats_at:.1f}x)")
print(f"audit --post {post}: {audit*1000:.0f} ms (including process start-up)")
PY
