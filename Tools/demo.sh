#!/usr/bin/env bash
# Sets up what a fresh Debian machine lacks, builds smcc, and runs the main job on a built-in
# simulated event: a three-day conference (25,000 inbound posts) played through the desk's own
# rules, then its retrospective (smcc replay), the queues at a moment of day two, the audit of one
# post, and the log's checks: verify against the head, the independent Python reader agreeing
# byte for byte with `smcc export`, and an export re-imported into a fresh log exporting the same.
# Usage: Tools/demo.sh [DIR]   (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."

bash Tools/bootstrap.sh
echo "== building smcc (release)" >&2
swift build -c release >&2
smcc=.build/release/smcc

demo=${1:-$(mktemp -d "${TMPDIR:-/tmp}/smcc-demo.XXXXXX")}
mkdir -p "$demo"
rm -rf "$demo/log" "$demo/copy"

echo "== smcc simulate: a three-day conference through the desk's commands"
$smcc simulate "$demo/log"

echo; echo "== smcc replay: the retrospective"
$smcc replay "$demo/log"

echo; echo "== smcc queues --at 2026-06-03T10:50:00Z (day two, during the wifi outage)"
$smcc queues "$demo/log" --at 2026-06-03T10:50:00Z --limit 5

post=$($smcc export "$demo/log" --from 2000 --to 3000 | python3 -c 'import json,sys
posts=[json.loads(l)["post"] for l in sys.stdin if "\"kind\":\"replied\"" in l]
print(posts[0])')
echo; echo "== smcc audit --post $post"
$smcc audit "$demo/log" --post "$post"

echo; echo "== smcc info"
$smcc info "$demo/log"
head=$($smcc info "$demo/log" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])')
echo; echo "== smcc verify --head $head"
$smcc verify "$demo/log" --head "$head"

echo; echo "== the independent reader (Tools/smcc_read.py, written from Schemas/log-format.md)"
$smcc export "$demo/log" > "$demo/events.ndjson"
python3 Tools/smcc_read.py "$demo/log" | cmp - "$demo/events.ndjson" && echo "Tools/smcc_read.py prints the same $(wc -l < "$demo/events.ndjson") events as smcc export"
python3 Tools/smcc_read.py "$demo/log" --verify

echo; echo "== export, re-import into a fresh log, export again"
$smcc init "$demo/copy"
$smcc import "$demo/copy" "$demo/events.ndjson"
$smcc export "$demo/copy" | cmp - "$demo/events.ndjson" && echo "the re-imported log exports the same bytes"

echo; echo "demo log: $demo/log (head $head); try: $smcc stats $demo/log --by role"
