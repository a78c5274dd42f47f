#!/usr/bin/env bash
# The read side against DuckDB, in one run (issue 15). On a simulated event (`smcc simulate --seed 3
# --posts POSTS`, about 957k events for the default 250,000 posts) it times, each as the median of
# RUNS runs (default 5):
#   - smcc's full replay into every projection (`replay --no-snapshots`), pinned to one core, with
#     its peak memory; the same unpinned (a second core free for decoding); `smcc export` as the
#     old same-run baseline;
#   - `smcc stats --by channel --json --no-snapshots` (the figures DuckDB computes, from event 1);
#   - DuckDB (PyPI duckdb, Tools/bench/replay_duckdb.py) computing the same first-response
#     percentiles by channel over the NDJSON export and over the same events as Parquet, with its
#     default threads and with one, in-process (its start-up not counted), and checks that its
#     numbers equal smcc's;
#   - with the projection snapshots stored: `stats` and `queues` at the end of the log, and `--at`
#     at seven instants spread over the event (median over the instants), each including process
#     start-up, beside the start-up alone (`audit` of a post that does not exist);
#   - peak memory of a replay of the first half and of all of it: the growth per post is the bytes
#     of projection state a post costs;
#   - the log on disk: events database, post index, other indexes, snapshots, the whole directory,
#     each in bytes per event, against `zstd -19` of the export, for this log and for the default
#     simulated conference (96k events);
#   - `smcc report` against the replay; `smcc verify` and `audit --post`.
# Usage: Tools/bench-replay.sh [POSTS]   (RUNS=N to change the runs; SMCC=path to time another build).
# Builds smcc as the README does (release, --static-swift-stdlib) unless SMCC names a binary.
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-250000}
runs=${RUNS:-5}
smcc=${SMCC:-$PWD/.build/release/smcc}
[ -n "${SMCC:-}" ] || swift build -c release --static-swift-stdlib --product smcc >&2   # the build the README tells users to make
work=$(mktemp -d "${TMPDIR:-/tmp}/smcc-bench-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/log

median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.stdin.read().split()]; print(f"{statistics.median(v):.4f}")'; }
timeit() { # runs "$@" $runs times, prints the median wall time in seconds
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    cat "$work/t"
  done | median
}
peak_kib() { /usr/bin/time -f "%M" -o "$work/mem" "$@" >/dev/null 2>&1; cat "$work/mem"; }
info() { "$smcc" info "$1" --json; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "simulating $posts posts (seed 3)..." >&2
"$smcc" simulate "$log" --seed 3 --posts "$posts" >/dev/null
events=$(info "$log" | field 'd["events"]')
echo "exporting $events events..." >&2
"$smcc" export "$log" > "$work/events.ndjson"
python3 Tools/bench/replay_duckdb.py convert "$work/events.ndjson" "$work/events.parquet"

echo "timing replays..." >&2
replay=$(timeit taskset -c 0 "$smcc" replay "$log" --no-snapshots)
replay_two=$(timeit "$smcc" replay "$log" --no-snapshots)
export_time=$(timeit taskset -c 0 "$smcc" export "$log")
stats_cold=$(timeit taskset -c 0 "$smcc" stats "$log" --by channel --json --no-snapshots)
"$smcc" stats "$log" --by channel --json --no-snapshots > "$work/stats.json"
mem_full=$(peak_kib taskset -c 0 "$smcc" replay "$log" --no-snapshots)
instants=$(info "$log" | python3 -c '
import json,sys,datetime
i=json.load(sys.stdin)
f=datetime.datetime.fromisoformat(i["firstAt"].replace("Z","+00:00")); l=datetime.datetime.fromisoformat(i["lastAt"].replace("Z","+00:00"))
print(" ".join((f+(l-f)*k/8).strftime("%Y-%m-%dT%H:%M:%SZ") for k in range(1,8)))')
half=$(echo "$instants" | cut -d' ' -f4)
mem_half=$(peak_kib taskset -c 0 "$smcc" replay "$log" --no-snapshots --until "$half")

echo "timing DuckDB..." >&2
python3 Tools/bench/replay_duckdb.py query "$work/events.ndjson" "$work/events.parquet" "$runs" "$work/stats.json" > "$work/duckdb.json"

echo "timing snapshots and --at..." >&2
/usr/bin/time -f "%e" -o "$work/build" taskset -c 0 "$smcc" replay "$log" >/dev/null
posts_half=$("$smcc" stats "$log" --at "$half" --json | field 'd["firstResponse"]["posts"] + d["repostsExcluded"]')
posts_full=$("$smcc" stats "$log" --json | field 'd["firstResponse"]["posts"] + d["repostsExcluded"]')
startup=$(timeit "$smcc" audit "$log" --post twitter:0)
stats_end=$(timeit "$smcc" stats "$log" --json)
queues_end=$(timeit "$smcc" queues "$log" --json)
at_times() { # median over the instants of the median of $runs runs at each
  for instant in $instants; do timeit "$smcc" "$@" --at "$instant" --json; done | median
}
stats_at=$(at_times stats "$log")
queues_at=$(at_times queues "$log")
queues_at_cold=$(runs=1 at_times queues "$log" --no-snapshots)

echo "timing report, verify, audit..." >&2
report=$(runs=$(( runs < 3 ? runs : 3 )) timeit sh -c "rm -rf '$work/report'; exec taskset -c 0 '$smcc' report '$log' --out '$work/report'")
verify=$(runs=1 timeit taskset -c 0 "$smcc" verify "$log")
post=$(grep -m1 '"kind":"replied"' "$work/events.ndjson" | field 'd["post"]')
audit=$(timeit "$smcc" audit "$log" --post "$post")

echo "measuring sizes (zstd -19)..." >&2
sizes() { # LOG EXPORT: one JSON object of the sizes in bytes
  local zstd_bytes; zstd_bytes=$(zstd -19 -T0 -q -c "$2" | wc -c)
  info "$1" | python3 -c "
import json,os,sys
d=json.load(sys.stdin); dbs=d['databases']
directory=sum(os.path.getsize(os.path.join(r,f)) for r,_,fs in os.walk('$1') for f in fs)
print(json.dumps({'events':d['events'],'eventsDB':dbs.get('events',{}).get('bytes',0),'postIndex':sum(v['bytes'] for k,v in dbs.items() if k.endswith('post')),
 'snapshots':dbs.get('snap',{}).get('bytes',0),'otherIndexes':sum(v['bytes'] for k,v in dbs.items() if k not in ('events','snap') and not k.endswith('post')),
 'pages':d['bytesOnDisk'],'directory':directory,'export':os.path.getsize('$2'),'zstd19':$zstd_bytes,'databases':dbs}))"
}
sizes "$log" "$work/events.ndjson" > "$work/sizes-big.json"
"$smcc" simulate "$work/small" >/dev/null
"$smcc" replay "$work/small" >/dev/null   # stores its snapshots
"$smcc" export "$work/small" > "$work/small.ndjson"
sizes "$work/small" "$work/small.ndjson" > "$work/sizes-small.json"

python3 - "$work" "$events" "$runs" "$replay" "$replay_two" "$export_time" "$stats_cold" "$mem_full" "$mem_half" "$posts_full" "$posts_half" \
  "$(cat "$work/build")" "$startup" "$stats_end" "$queues_end" "$stats_at" "$queues_at" "$queues_at_cold" "$report" "$verify" "$audit" "$post" <<'PY'
import json, sys
(work, events, runs, replay, replay_two, export, stats_cold, mem_full, mem_half, posts_full, posts_half, build, startup,
 stats_end, queues_end, stats_at, queues_at, queues_at_cold, report, verify, audit, post) = sys.argv[1:]
events, runs = int(events), int(runs)
replay, replay_two, export, stats_cold, build, startup = map(float, (replay, replay_two, export, stats_cold, build, startup))
stats_end, queues_end, stats_at, queues_at, queues_at_cold, report, verify, audit = map(float, (stats_end, queues_end, stats_at, queues_at, queues_at_cold, report, verify, audit))
mem_full, mem_half, posts_full, posts_half = int(mem_full), int(mem_half), int(posts_full), int(posts_half)
duck = json.load(open(f"{work}/duckdb.json"))
rate = lambda s: f"{events / s / 1e6:.2f}M events/s"
ms = lambda s: f"{s * 1000:.0f} ms"
print(f"{events:,} events ({posts_full:,} posts), medians of {runs} runs\n")
print("full replay vs DuckDB (the same first-response percentiles by channel)")
print(f"  smcc replay --no-snapshots, all projections, 1 core   {replay:7.3f} s  {rate(replay)}")
print(f"  smcc replay --no-snapshots, all projections, 2 cores  {replay_two:7.3f} s  {rate(replay_two)}")
print(f"  smcc stats --by channel --no-snapshots, 1 core       {stats_cold:7.3f} s  {rate(stats_cold)}")
print(f"  smcc export (baseline of earlier notes), 1 core        {export:7.3f} s  {rate(export)}")
for name in ("parquet", "ndjson"):
    for threads in ("default", "1"):
        d = duck[f"{name}-{threads}"]
        print(f"  DuckDB over {name:7s}, {d['threads']} thread(s), in-process       {d['seconds']:7.3f} s  {rate(d['seconds'])}"
              f"  smcc replay (1 core) / this = {replay / d['seconds']:.2f}")
bad = {k: v["mismatches"] for k, v in duck.items() if v["mismatches"]}
d = duck["parquet-default"]
if bad:
    print(f"  DuckDB vs smcc: DIFFERENT: {json.dumps(bad)[:600]}")
else:
    print(f"  DuckDB's posts and answered per channel equal smcc's ({d['channels']} channels); of its {d['percentiles']} percentiles "
          f"{d['bitEqual']} are bit-equal to smcc's" + ("" if d['bitEqual'] == d['percentiles'] else
          f", the others differ in the last bits only (worst relative {d['worstRelative']:.1e}: DuckDB interpolates "
          f"a + (b - a)g, numpy and smcc b - (b - a)(1 - g) for g >= 0.5)"))
print(f"  target: smcc replay (1 core) <= DuckDB over Parquet: ratio {replay / duck['parquet-default']['seconds']:.2f} "
      f"({'met' if replay <= duck['parquet-default']['seconds'] else 'not met'})")

print("\nwith the projection snapshots (each including process start-up)")
print(f"  first replay, storing the snapshots (1 core)  {build:.3f} s = {build / replay:.2f}x the replay without")
print(f"  process start-up and opening the log          {ms(startup)}")
for name, value in (("stats at the end", stats_end), ("queues at the end", queues_end),
                    ("stats --at, median over 7 instants", stats_at), ("queues --at, median over 7 instants", queues_at)):
    print(f"  {name:44s}  {ms(value):>7s}  ({'met' if value <= 0.1 else 'not met'}: target 100 ms)")
print(f"  queues --at --no-snapshots, same instants     {ms(queues_at_cold)} ({queues_at_cold / queues_at:.1f}x the snapshots)")

print("\nmemory")
growth = (mem_full - mem_half) * 1024 / max(1, posts_full - posts_half)
print(f"  peak RSS of the replay: {mem_full / 1024:.0f} MiB for all {posts_full:,} posts, {mem_half / 1024:.0f} MiB for the first half ({posts_half:,} posts)")
print(f"  growth: {growth:.0f} bytes per post of projection state (and {(mem_full - mem_half) * 1024 / max(1, events // 2):.0f} bytes per event)")

print("\non disk, bytes per event (zstd -19 of the export is the yardstick)")
for label, path in (("this log", "sizes-big.json"), ("default conference", "sizes-small.json")):
    s = json.load(open(f"{work}/{path}"))
    n = s["events"]
    per = lambda b: b / n
    print(f"  {label} ({n:,} events): events DB {per(s['eventsDB']):.1f}, post index {per(s['postIndex']):.1f}, "
          f"other indexes {per(s['otherIndexes']):.1f}, snapshots {per(s['snapshots']):.1f}; "
          f"LMDB pages {per(s['pages']):.1f}, directory {per(s['directory']):.1f}; "
          f"export {per(s['export']):.1f}, zstd -19 of it {per(s['zstd19']):.1f}; "
          f"directory / zstd -19 = {s['directory'] / s['zstd19']:.2f} (target 1.5)")

print("\nothers")
print(f"  smcc report (1 core)  {report:.3f} s = {report / replay:.2f}x the replay (target 2)")
print(f"  smcc verify (1 core)  {verify:.3f} s")
print(f"  audit --post {post}  {ms(audit)} (start-up {ms(startup)})")
PY
