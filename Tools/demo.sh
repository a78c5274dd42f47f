#!/usr/bin/env bash
# Sets up what a fresh Debian machine lacks, builds smcc, and runs a small end-to-end example:
# a log of 200,000 realistic events built and measured by `smcc bench`, then info, verify,
# export, a re-import into a fresh log that must export the same bytes, and the independent
# Python reader agreeing with `smcc export` byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."

bash Tools/bootstrap.sh
echo "== building smcc (release)" >&2
swift build -c release >&2
smcc=.build/release/smcc

demo=${1:-$(mktemp -d "${TMPDIR:-/tmp}/smcc-demo.XXXXXX")}
mkdir -p "$demo"
rm -rf "$demo/log" "$demo/copy"

echo "== smcc bench: 200,000 events appended durably, scanned, decoded" >&2
$smcc bench --events 200000 --runs 1 --keep "$demo/log"

echo; echo "== smcc info"
$smcc info "$demo/log"
head=$($smcc info "$demo/log" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])')

echo; echo "== smcc verify --head $head"
$smcc verify "$demo/log" --head "$head"

echo; echo "== export, re-import into a fresh log, export again"
$smcc export "$demo/log" > "$demo/events.ndjson"
head -n 2 "$demo/events.ndjson"
$smcc init "$demo/copy"
$smcc import "$demo/copy" "$demo/events.ndjson"
$smcc export "$demo/copy" | cmp - "$demo/events.ndjson" && echo "the re-imported log exports the same $(wc -l < "$demo/events.ndjson") events"

echo; echo "== the independent reader (Tools/smcc_read.py, written from Schemas/log-format.md)"
python3 Tools/smcc_read.py "$demo/log" | cmp - "$demo/events.ndjson" && echo "Tools/smcc_read.py prints the same bytes as smcc export"
python3 Tools/smcc_read.py "$demo/log" --verify

echo; echo "demo log: $demo/log (head $head)"
