#!/usr/bin/env bash
# Sets up what a fresh Debian machine lacks, builds smcc, and runs `smcc demo`: a three-day
# conference (25,000 inbound posts) simulated through the desk's own rules into DIR/log, and its
# case study written to DIR/report (index.html, report.md, figures/*.svg, data/*.csv). Then the
# log's checks: verify against the head the report cites, the independent Python reader agreeing
# byte for byte with `smcc export`, and an export re-imported into a fresh log exporting the same.
# Usage: Tools/demo.sh [DIR]   (default: ./smcc-demo; a DIR that is not empty must be a previous demo)
set -euo pipefail
cd "$(dirname "$0")/.."

bash Tools/bootstrap.sh
echo "== building smcc (release, the Swift runtime linked in: see the README's \"Using it\")" >&2
swift build -c release --static-swift-stdlib >&2
smcc=.build/release/smcc

demo=${1:-smcc-demo}

echo "== smcc demo $demo: simulate the conference, write its case study"
$smcc demo "$demo"

echo; echo "== smcc queues --at 2026-06-03T10:50:00Z (day two, during the wifi outage)"
$smcc queues "$demo/log" --at 2026-06-03T10:50:00Z --limit 5

post=$($smcc export "$demo/log" --from 2000 --to 3000 | python3 -c 'import json,sys
posts=[json.loads(l)["post"] for l in sys.stdin if "\"kind\":\"replied\"" in l]
print(posts[0])')
echo; echo "== smcc audit --post $post"
$smcc audit "$demo/log" --post "$post"

head=$($smcc info "$demo/log" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])')
grep -q -- "--head $head" "$demo/report/index.html" && echo "the report cites the log's head $head"
echo; echo "== smcc verify --head $head"
$smcc verify "$demo/log" --head "$head"

echo; echo "== the independent reader (Tools/smcc_read.py, written from Schemas/log-format.md)"
rm -rf "$demo/copy" "$demo/events.ndjson"
$smcc export "$demo/log" > "$demo/events.ndjson"
python3 Tools/smcc_read.py "$demo/log" | cmp - "$demo/events.ndjson" && echo "Tools/smcc_read.py prints the same $(wc -l < "$demo/events.ndjson") events as smcc export"
python3 Tools/smcc_read.py "$demo/log" --verify

echo; echo "== export, re-import into a fresh log, export again"
$smcc init "$demo/copy"
$smcc import "$demo/copy" "$demo/events.ndjson"
$smcc export "$demo/copy" | cmp - "$demo/events.ndjson" && echo "the re-imported log exports the same bytes"
rm -rf "$demo/copy" "$demo/events.ndjson"

echo; echo "the case study: $demo/report/index.html (also report.md, figures/, data/)"
echo "try: $smcc replay $demo/log; $smcc stats $demo/log --by role; $smcc report $demo/log --out $demo/report2 --title 'My event'"
