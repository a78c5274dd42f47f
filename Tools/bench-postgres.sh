#!/usr/bin/env bash
# The log on PostgreSQL against the log on LMDB, on this machine, in one run (issue 14). Reports,
# as medians over RUNS runs (default 3):
#   - durable commands/s through one `smcc serve` on LMDB, one on PostgreSQL, and two on the same
#     PostgreSQL log (64 wrk clients in all, Tools/bench/commands.lua: half new posts, half notes;
#     counted from the log's head), with p99 latency; beside the commit time of a one-row durable
#     PostgreSQL transaction and the GET /health rate of one server, both measured in the same run;
#   - the replay rate: `smcc stats --json --no-snapshots` over the default simulated conference
#     (about 96k events) on LMDB and on its `smcc copy` in PostgreSQL;
#   - bytes per event: the LMDB data file against the PostgreSQL tables with their indexes and TOAST.
# Usage: Tools/bench-postgres.sh [RUNS] [DURATION]   (defaults 3 and 10 s; needs wrk and PostgreSQL)
# The server: SMCC_TEST_POSTGRES if set, else a throwaway cluster from Tools/pg.sh (stopped after).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
duration="${2:-10}"
command -v wrk >/dev/null || { echo "bench-postgres: install wrk (apt-get install wrk)" >&2; exit 2; }
swift build -c release --static-swift-stdlib --product smcc >&2
smcc="$(swift build -c release --static-swift-stdlib --show-bin-path)/smcc"
source Tools/serve-lib.sh
started_cluster=""
if [ -z "${SMCC_TEST_POSTGRES:-}" ]; then
  SMCC_TEST_POSTGRES="$(bash Tools/pg.sh start)"
  started_cluster=1
fi
pg="$SMCC_TEST_POSTGRES"
second=""
finish() {
  if [ -n "$second" ] && kill -0 "$second" 2>/dev/null; then kill -KILL "$second"; fi
  if [ -n "$started_cluster" ]; then bash Tools/pg.sh stop >/dev/null 2>&1 || true; fi
  cleanup
}
trap finish EXIT
tag="b$$"

ms() { awk '{v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'; }
head_of() { curl -s "$1/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])'; }

# seed LOG: a coordinator, an ingest token, 64 posts for the notes to land on. Prints "ANA INGEST".
seed() {
  local ana ingest
  ana="$("$smcc" volunteer add "$1" vol:ana --name Ana --coordinator | cut -d' ' -f2)"
  ingest="$("$smcc" token issue "$1" bench --ingest | cut -d' ' -f2)"
  echo "$ana $ingest"
}
seed_posts() { # BASE INGEST
  for id in $(seq 1 64); do
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
      -d "{\"post\":\"twitter:$id\",\"channel\":\"twitter\",\"author\":\"fan\",\"text\":\"hi\",\"postedAt\":\"$(date -u +%Y-%m-%dT%H:%M:%S.000Z)\"}" "$1/v1/posts"
  done
}

# load LOG: one server, 64 clients. Prints "commands/s p99ms".
load_one() {
  local log="$1" tokens ana ingest before after
  tokens="$(seed "$log")"; ana="${tokens% *}"; ingest="${tokens#* }"
  start_server "$log"
  seed_posts "$base" "$ingest"
  before="$(head_of "$base")"
  wrk -t2 -c64 -d"${duration}s" --latency -s Tools/bench/commands.lua "$base" -- "$ingest" "$ana" >"$work/one.txt"
  after="$(head_of "$base")"
  stop_server
  echo "$(( (after - before) / duration )) $(grep ' 99%' "$work/one.txt" | ms)"
}

# load_two LOG: two servers on one log, 32 clients each. Prints "commands/s p99ms(max of the two)".
load_two() {
  local log="$1" tokens ana ingest before after first_base
  tokens="$(seed "$log")"; ana="${tokens% *}"; ingest="${tokens#* }"
  start_server "$log"
  first_base="$base"
  "$smcc" serve "$log" --port 0 >"$work/out2" 2>"$work/err2" &
  second=$!
  for _ in $(seq 1 1200); do
    grep -q '^listening on ' "$work/out2" 2>/dev/null && break
    kill -0 "$second" 2>/dev/null || { echo "bench-postgres: the second server did not start:" >&2; cat "$work/err2" >&2; exit 1; }
    sleep 0.1
  done
  local second_base; second_base="$(sed -n 's/^listening on //p' "$work/out2")"
  [ -n "$second_base" ] || { echo "bench-postgres: the second server did not start in 120 s" >&2; cat "$work/err2" >&2; exit 1; }
  seed_posts "$first_base" "$ingest"
  sleep 0.5
  before="$(head_of "$first_base")"
  wrk -t1 -c32 -d"${duration}s" --latency -s Tools/bench/commands.lua "$first_base" -- "$ingest" "$ana" >"$work/a.txt" &
  local other=$!
  wrk -t1 -c32 -d"${duration}s" --latency -s Tools/bench/commands.lua "$second_base" -- "$ingest" "$ana" >"$work/b.txt"
  wait "$other"
  sleep 0.5
  after="$(head_of "$first_base")"
  kill -TERM "$second"; wait "$second" || true; second=""
  stop_server
  local pa pb; pa="$(grep ' 99%' "$work/a.txt" | ms)"; pb="$(grep ' 99%' "$work/b.txt" | ms)"
  echo "$(( (after - before) / duration )) $(python3 -c "print(max($pa, $pb))")"
}

health_rate() { # LOG
  "$smcc" init "$1" >/dev/null
  start_server "$1"
  wrk -t2 -c64 -d"${duration}s" -s Tools/bench/health.lua "$base" >"$work/health.txt"
  stop_server
  awk '/Requests\/sec/ {printf "%d", $2}' "$work/health.txt"
}

commit_ms() { # the median of 300 one-row durable transactions on the server, in ms
  python3 - "$pg" <<'PY'
import statistics, sys, time, psycopg
with psycopg.connect(sys.argv[1]) as conn:
    conn.execute("CREATE TABLE IF NOT EXISTS bench_commit (k bigint)")
    conn.commit()
    times = []
    for k in range(300):
        t = time.perf_counter()
        conn.execute("INSERT INTO bench_commit VALUES (%s)", (k,))
        conn.commit()
        times.append(time.perf_counter() - t)
    conn.execute("DROP TABLE bench_commit")
    conn.commit()
print(f"{statistics.median(times) * 1000:.3f}")
PY
}

results="$work/results"
: >"$results"
for run in $(seq 1 "$runs"); do
  lmdb="$work/lmdb$run"
  "$smcc" init "$lmdb" >/dev/null
  one_lmdb="$(load_one "$lmdb")"
  "$smcc" init "$pg?log=${tag}_one$run" >/dev/null
  one_pg="$(load_one "$pg?log=${tag}_one$run")"
  "$smcc" init "$pg?log=${tag}_two$run" >/dev/null
  two_pg="$(load_two "$pg?log=${tag}_two$run")"
  health="$(health_rate "$work/health$run")"
  commit="$(commit_ms)"
  "$smcc" verify "$pg?log=${tag}_two$run" >/dev/null
  echo "$one_lmdb $one_pg $two_pg $health $commit" >>"$results"
  echo "run $run: $(tail -1 "$results")  (lmdb cmd/s p99 | pg cmd/s p99 | two pg cmd/s p99 | health req/s | pg commit ms)" >&2
  rm -rf "$lmdb"
done

# The replay rate and the bytes per event, on the default simulated conference.
conference="$work/conference"
"$smcc" simulate "$conference" >/dev/null
"$smcc" copy "$conference" "$pg?log=${tag}_conf" >/dev/null
events="$("$smcc" info "$conference" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')"
replay() { for _ in $(seq "$runs"); do /usr/bin/time -f "%e" -o "$work/t" "$smcc" stats "$1" --json --no-snapshots >/dev/null; cat "$work/t"; done; }
replay "$conference" >"$work/replay_lmdb"
replay "$pg?log=${tag}_conf" >"$work/replay_pg"
bytes_lmdb="$(stat -c %s "$conference/data.mdb")"
bytes_pg="$("$smcc" info "$pg?log=${tag}_conf" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["bytesOnDisk"])')"

python3 - "$results" "$duration" "$events" "$work/replay_lmdb" "$work/replay_pg" "$bytes_lmdb" "$bytes_pg" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
med = lambda i: statistics.median(r[i] for r in rows)
events = int(sys.argv[3])
lmdb_s = statistics.median(float(x) for x in open(sys.argv[4]).read().split())
pg_s = statistics.median(float(x) for x in open(sys.argv[5]).read().split())
bl, bp = int(sys.argv[6]), int(sys.argv[7])
print(f"runs: {len(rows)} x {sys.argv[2]} s, 64 clients on loopback, release build, PostgreSQL on this machine (fsync on)")
print(f"durable commands/s, one server on LMDB        {med(0):8,.0f}   p99 {med(1):.1f} ms")
print(f"durable commands/s, one server on PostgreSQL  {med(2):8,.0f}   p99 {med(3):.1f} ms   = {med(2)/med(0):.2f} x LMDB")
print(f"durable commands/s, two servers on PostgreSQL {med(4):8,.0f}   p99 {med(5):.1f} ms   = {med(4)/med(2):.2f} x one server")
print(f"same run: GET /health {med(6):,.0f} req/s (64 clients); a one-row durable PostgreSQL commit {med(7):.3f} ms (limit {64/med(7)*1000:,.0f} commands/s for 64 clients)")
print(f"replay (stats --no-snapshots, {events:,} events): LMDB {lmdb_s:.2f} s = {events/lmdb_s:,.0f} events/s; PostgreSQL {pg_s:.2f} s = {events/pg_s:,.0f} events/s = {lmdb_s/pg_s:.2f} x LMDB")
print(f"bytes per event: LMDB data.mdb {bl/events:.1f}; PostgreSQL tables + indexes + TOAST {bp/events:.1f} = {bp/bl:.2f} x LMDB")
PY
"$smcc" info "$pg?log=${tag}_conf" >/dev/null
python3 - "$pg" "$tag" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    for (name,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (sys.argv[2] + "%",)).fetchall():
        conn.execute(f'DROP SCHEMA "{name}" CASCADE')
PY
