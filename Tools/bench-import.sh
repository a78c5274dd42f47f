#!/usr/bin/env bash
# Benchmark of `smcc import` on a TWCS-shaped CSV (issue target: >= 250k rows/s end to end on this
# machine, memory bounded by the batch size, not the file size).
#
# Generates ROWS rows (default 1,000,000) from Tests/Fixtures/twcs-sample.csv: copy c of the 121
# rows shifts every tweet id and customer id by c*1000 and every time by c*60 s, so the file keeps
# the corpus's shape (7 brands, signed replies, rows out of time order, one reply to an absent
# tweet per copy). Then, each RUNS (default 3) times on a fresh log, times:
#   - `wc -l` of the CSV (baseline: reading the bytes once),
#   - `smcc import LOG FILE.csv` (release build), with its peak RSS (/usr/bin/time -v),
#   - `smcc import LOG FILE.ndjson` of the same events in our own form (`smcc export` of the first
#     run's log): the same appends without the CSV, sorting and translation,
# and prints medians, rows/s, and the ratios to the baselines of the same run. A second CSV of a
# tenth of the rows shows whether peak memory grows with the file.
# Usage: Tools/bench-import.sh [ROWS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${2:-3}
smcc=.build/release/smcc
swift build -c release --static-swift-stdlib --product smcc >&2   # the build the README tells users to make
work=$(mktemp -d "${TMPDIR:-/tmp}/smcc-bench-import.XXXXXX")
trap 'rm -rf "$work"' EXIT

generate() { # generate ROWS FILE
  python3 - "$1" "$2" <<'PY'
import csv, sys, datetime
rows, out = int(sys.argv[1]), sys.argv[2]
sample = list(csv.reader(open("Tests/Fixtures/twcs-sample.csv", newline="", encoding="utf-8")))
header, body = sample[0], sample[1:]
fmt = "%a %b %d %H:%M:%S %z %Y"
parsed = [(r, datetime.datetime.strptime(r[3], fmt)) for r in body]
def shift_id(value, c):
    return ",".join(str(int(v) + c * 1000) for v in value.split(",")) if value else ""
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    written, c = 0, 0
    while written < rows:
        for r, t in parsed:
            if written == rows:
                break
            author = str(int(r[1]) + c * 1000) if r[1].isdigit() else r[1]
            text = r[4]
            when = (t + datetime.timedelta(seconds=60 * c)).strftime(fmt)
            w.writerow([shift_id(r[0], c), author, r[2], when, text, shift_id(r[5], c), shift_id(r[6], c)])
            written += 1
        c += 1
PY
}

median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.stdin.read().split()]; print(f"{statistics.median(v):.3f}")'; }

echo "generating $rows TWCS-shaped rows..." >&2
generate "$rows" "$work/twcs.csv"
generate "$((rows / 10))" "$work/twcs-tenth.csv"
ls -l "$work/twcs.csv" >&2

"$smcc" init "$work/first" >/dev/null
"$smcc" import "$work/first" "$work/twcs.csv" > "$work/first.out"
cat "$work/first.out" >&2
"$smcc" export "$work/first" > "$work/events.ndjson"
events=$(wc -l < "$work/events.ndjson")

wc_times=(); csv_times=(); nd_times=(); rss=(); nd_rss=()
for run in $(seq "$runs"); do
  /usr/bin/time -f "%e" -o "$work/t" wc -l "$work/twcs.csv" >/dev/null; wc_times+=("$(cat "$work/t")")
  rm -rf "$work/log"; "$smcc" init "$work/log" >/dev/null
  /usr/bin/time -v -o "$work/v" "$smcc" import "$work/log" "$work/twcs.csv" >/dev/null
  csv_times+=("$(python3 -c '
import re,sys
t=re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", open(sys.argv[1]).read())
h,m,s=t.groups(); print(int(h or 0)*3600+int(m)*60+float(s))' "$work/v")")
  rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/v")")
  rm -rf "$work/nd"; "$smcc" init "$work/nd" >/dev/null
  /usr/bin/time -f "%e %M" -o "$work/t" "$smcc" import "$work/nd" "$work/events.ndjson" >/dev/null
  nd_times+=("$(cut -d' ' -f1 "$work/t")"); nd_rss+=("$(cut -d' ' -f2 "$work/t")")
done
rm -rf "$work/tenth"; "$smcc" init "$work/tenth" >/dev/null
/usr/bin/time -f "%M" -o "$work/m" "$smcc" import "$work/tenth" "$work/twcs-tenth.csv" >/dev/null
tenth_rss=$(cat "$work/m")

python3 - "$rows" "$events" "$(printf '%s ' "${wc_times[@]}" | median)" "$(printf '%s ' "${csv_times[@]}" | median)" \
  "$(printf '%s ' "${nd_times[@]}" | median)" "$(printf '%s ' "${rss[@]}" | median)" "$tenth_rss" "$(printf '%s ' "${nd_rss[@]}" | median)" "$runs" <<'PY'
import sys
rows, events = int(sys.argv[1]), int(sys.argv[2])
wc, csv, nd, rss, tenth, nd_rss = (float(x) for x in sys.argv[3:9])
runs = sys.argv[9]
print(f"TWCS CSV import: {rows:,} rows -> {events:,} events, median of {runs}: {csv:.2f} s = {rows/csv/1e3:.0f}k rows/s, peak RSS {rss/1024:.0f} MiB")
print(f"  baseline wc -l of the same CSV: {wc:.3f} s ({csv/wc:.0f}x)")
print(f"  baseline smcc import of the same events as NDJSON: {nd:.2f} s = {events/nd/1e3:.0f}k events/s, peak RSS {nd_rss/1024:.0f} MiB (CSV import / NDJSON import time = {csv/nd:.2f})")
print(f"  a tenth of the rows ({rows//10:,}): peak RSS {tenth/1024:.0f} MiB")
PY
