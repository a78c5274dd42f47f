#!/usr/bin/env python3
"""DuckDB's side of Tools/bench-replay.sh: the first-response percentiles by channel of
`smcc stats --by channel`, computed by DuckDB from the NDJSON export and from the same events as
Parquet, timed, and checked against smcc's numbers.

  replay_duckdb.py convert EVENTS.ndjson EVENTS.parquet
      every event of the export as one Parquet row (every field of Schemas/events/ a column, times
      as TIMESTAMP), zstd-compressed, as an analyst would keep them
  replay_duckdb.py query EVENTS.ndjson EVENTS.parquet RUNS STATS.json
      times the query over each (median of RUNS, in-process: the interpreter's and duckdb's
      start-up are not counted), with DuckDB's default threads and with one thread, and checks that
      DuckDB's posts/answered/p50/p90/p99 per channel equal smcc's (STATS.json is
      `smcc stats --by channel --json`); prints one JSON object

The definitions are Schemas/cli/stats.md: an inbound post is a postReceived that is not a repost
(the first one of a post id counts), its first response is the first `replied.at` minus its
`postedAt`, clamped to 0, in seconds (ms / 1000), and percentiles interpolate linearly between
order statistics (numpy's default, which is DuckDB's `quantile_cont`).
"""
import json
import statistics
import sys
import time

import duckdb

# Every field of Schemas/events/*.schema.json, typed. Times are RFC 3339 with milliseconds and `Z`.
COLUMNS = {
    "seq": "BIGINT", "at": "VARCHAR", "actor": "VARCHAR", "kind": "VARCHAR", "post": "VARCHAR",
    "channel": "VARCHAR", "author": "VARCHAR", "text": "VARCHAR", "hashtags": "VARCHAR[]",
    "mentions": "VARCHAR[]", "postedAt": "VARCHAR", "inReplyTo": "VARCHAR", "conversation": "VARCHAR",
    "isRepost": "BOOLEAN", "url": "VARCHAR", "to": "VARCHAR", "reason": "VARCHAR", "priority": "VARCHAR",
    "resolution": "VARCHAR", "outcome": "VARCHAR", "tags": "VARCHAR[]", "volunteer": "VARCHAR",
    "name": "VARCHAR", "role": "VARCHAR", "team": "VARCHAR", "from": "VARCHAR", "rule": "VARCHAR",
    "media": "VARCHAR[]", "replyPost": "VARCHAR",
}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%gZ"


def ndjson_source(path, columns):
    """The export read by DuckDB with only `columns`, times parsed to TIMESTAMP."""
    spec = ", ".join(f"'{name}': '{COLUMNS[name]}'" for name in columns)
    select = ", ".join(
        f"strptime(\"{name}\", '{TIME_FORMAT}') AS \"{name}\"" if name in ("at", "postedAt") else f"\"{name}\""
        for name in columns
    )
    return f"(SELECT {select} FROM read_ndjson('{path}', columns={{{spec}}}, format='newline_delimited'))"


def first_response_query(source):
    # Reposts are left out before "first postReceived of a post id" is taken, as smcc does.
    return f"""
    WITH received AS (
        SELECT post, arg_min(channel, seq) AS channel, arg_min(postedAt, seq) AS postedAt
        FROM {source} WHERE kind = 'postReceived' AND NOT coalesce(isRepost, false)
        GROUP BY post
    ), replied AS (
        SELECT post, min("at") AS firstReply FROM {source} WHERE kind = 'replied' GROUP BY post
    ), durations AS (
        SELECT r.channel,
               -- greatest() skips NULLs: an unanswered post must stay NULL, not become 0
               CASE WHEN p.firstReply IS NULL THEN NULL
                    ELSE greatest(epoch_ms(p.firstReply) - epoch_ms(r.postedAt), 0) / 1000.0 END AS seconds
        FROM received r LEFT JOIN replied p USING (post)
    )
    SELECT channel, count(*) AS posts, count(seconds) AS answered,
           quantile_cont(seconds, [0.5, 0.9, 0.99]) AS percentiles
    FROM durations GROUP BY channel ORDER BY channel
    """


def convert(ndjson, parquet):
    con = duckdb.connect()
    con.execute(f"COPY {ndjson_source(ndjson, list(COLUMNS))} TO '{parquet}' (FORMAT parquet, COMPRESSION zstd)")


def timed(con, sql, runs):
    times, rows = [], None
    for _ in range(runs):
        start = time.perf_counter()
        rows = con.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def query(ndjson, parquet, runs, stats_path):
    needed = ["seq", "at", "kind", "post", "channel", "postedAt", "isRepost"]
    sources = {"parquet": f"read_parquet('{parquet}')", "ndjson": ndjson_source(ndjson, needed)}
    result = {}
    with open(stats_path) as f:
        smcc = json.load(f)["by"]["channel"]
    for threads in ("default", 1):
        con = duckdb.connect()
        if threads != "default":
            con.execute(f"SET threads = {threads}")
        threads_used = con.execute("SELECT current_setting('threads')").fetchone()[0]
        for name, source in sources.items():
            seconds, rows = timed(con, first_response_query(source), runs)
            mismatches, values, exact, worst = [], 0, 0, 0.0
            for channel, posts, answered, percentiles in rows:
                mine = smcc.get(channel)
                got = [posts, answered] + [None if v is None else float(v) for v in (percentiles or [None] * 3)]
                want = None if mine is None else [mine["posts"], mine["answered"], mine["p50Seconds"], mine["p90Seconds"], mine["p99Seconds"]]
                if want is None or got[:2] != want[:2] or any((a is None) != (b is None) for a, b in zip(got[2:], want[2:])):
                    mismatches.append({"channel": channel, "duckdb": got, "smcc": want})
                    continue
                for a, b in zip(got[2:], want[2:]):
                    if a is None:
                        continue
                    values += 1
                    exact += a == b
                    worst = max(worst, abs(a - b) / max(1.0, abs(b)))
            if worst > 1e-12:
                mismatches.append({"percentiles": "differ by more than rounding", "worstRelative": worst})
            if len(rows) != len(smcc):
                mismatches.append({"channels": {"duckdb": sorted(r[0] for r in rows), "smcc": sorted(smcc)}})
            result[f"{name}-{threads}"] = {
                "seconds": seconds, "threads": threads_used, "channels": len(rows), "mismatches": mismatches,
                "percentiles": values, "bitEqual": exact, "worstRelative": worst,
                "rows": [[r[0], r[1], r[2], [float(v) for v in (r[3] or [])]] for r in rows],
            }
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["convert"] and len(sys.argv) == 4:
        convert(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["query"] and len(sys.argv) == 6:
        query(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(__doc__)
