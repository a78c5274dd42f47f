#!/usr/bin/env python3
"""Counts the conversation of a conference CSV of tweets (the chrislkeller/nicar-tweets files)
without any smcc code: Python's csv, re, html and zoneinfo only, from the definitions of
Schemas/cli/stats.md ("The conversation") and the CSV rules of the importer (a text starting
"RT @" is a retweet; hashtags and mentions are read from the text; tweet_url's id wins over a
tweet_id that lost its last digits, and a reply-to id that lost them is matched to the one post of
the file it was cut from).

    python3 count_conversation.py FILE.csv ZONE [DAY]

prints the figures as JSON; with DAY (YYYY-MM-DD), also the posts of each local hour of that day.
The numbers written in Tests/SmccTests/RealArchiveTests.swift come from this script.
"""
import csv
import datetime
import html
import json
import re
import sys
import zoneinfo

HASHTAG = re.compile(r"(?<![\w])#(\w+)")
MENTION = re.compile(r"(?<![\w])@(\w+)")


def exact_id(row):
    """tweet_url's id when tweet_id is the same number with its last digits zeroed."""
    column = row["tweet_id"].split(".")[0]
    match = re.search(r"/status(?:es)?/(\d+)", row["tweet_url"] or "")
    if match and match.group(1) != column and len(match.group(1)) == len(column):
        zeros = len(column) - len(column.rstrip("0"))
        kept = len(column) - zeros
        if zeros and match.group(1)[:kept] == column[:kept]:
            return match.group(1), True
    return column, False


def percentile(sorted_values, q):
    """numpy's default (linear) percentile of sorted values."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * q
    lo = int(position)
    if lo + 1 >= len(sorted_values):
        return sorted_values[-1]
    g = position - lo
    a, b = sorted_values[lo], sorted_values[lo + 1]
    return b - (b - a) * (1 - g) if g >= 0.5 else a + (b - a) * g


def main(path, zone_name, day=None):
    zone = zoneinfo.ZoneInfo(zone_name)
    rows = []
    for n, row in enumerate(csv.DictReader(open(path, newline="", encoding="utf-8"))):
        post_id, repaired = exact_id(row)
        at = datetime.datetime.fromisoformat(row["tweet_utc_date"])
        text = html.unescape(row["tweet_text"])
        rows.append(dict(id=post_id, repaired=repaired, at=at, n=n, author=row["user_screen_name"], text=text,
                         repost=row["tweet_text"].startswith("RT @"), parent=row["in_reply_to_status_id"].split(".")[0],
                         reposts=int(row["retweet_count"] or 0), likes=int(row["favorite_count"] or 0)))
    rows.sort(key=lambda r: (r["at"], r["n"]))  # the log's order: time, then file order
    ids = {r["id"] for r in rows}
    lossy = any(r["repaired"] for r in rows)

    def parent_of(r):
        p = r["parent"]
        if not p or p in ids or not lossy:
            return p
        zeros = len(p) - len(p.rstrip("0"))
        if zeros < 2:
            return p
        unit = 10 ** zeros
        matches = [i for i in ids if len(i) == len(p) and (int(i) // unit * unit == int(p)
                                                          or (int(i) + unit // 2) // unit * unit == int(p))]
        return matches[0] if len(matches) == 1 else p

    posts = len(rows)
    reposts = sum(r["repost"] for r in rows)
    replies = [r for r in rows if not r["repost"] and r["parent"]]
    authors = {}
    for r in rows:
        authors.setdefault(r["author"].lower(), [r["author"], 0])[1] += 1
    spellings = {}
    for r in rows:
        spellings.setdefault(r["author"].lower(), set()).add(r["author"])
    per_day, per_hour = {}, {}
    for r in rows:
        local = r["at"].astimezone(zone)
        per_day[local.date().isoformat()] = per_day.get(local.date().isoformat(), 0) + 1
        hour = local.replace(minute=0, second=0, microsecond=0)
        key = hour.isoformat()
        per_hour[key] = per_hour.get(key, 0) + 1
    busiest = max(sorted(per_hour.items(), key=lambda kv: datetime.datetime.fromisoformat(kv[0])), key=lambda kv: kv[1])
    # max() keeps the first of equals: the earliest hour, since the list is sorted by time.
    mentioned, tagged = {}, {}
    for r in rows:
        for m in {m.lower() for m in MENTION.findall(r["text"])}:
            mentioned[m] = mentioned.get(m, 0) + 1
        for t in {t.lower() for t in HASHTAG.findall(r["text"]) if not t.isdigit()}:
            tagged[t] = tagged.get(t, 0) + 1
    seen = {}
    delays, own, outside = [], 0, 0
    for r in rows:
        if not r["repost"] and r["parent"]:
            parent = parent_of(r)
            if parent in seen:
                if seen[parent]["author"].lower() == r["author"].lower():
                    own += 1
                else:
                    delays.append(max(0.0, (r["at"] - seen[parent]["at"]).total_seconds()))
            else:
                outside += 1
        if not r["repost"]:
            seen.setdefault(r["id"], r)
    delays.sort()
    originals = [r for r in rows if not r["repost"]]
    by_reposts = sorted((r for r in originals if r["reposts"] > 0), key=lambda r: (-r["reposts"], -r["likes"], r["at"], r["id"]))
    result = {
        "posts": posts, "originals": posts - reposts, "reposts": reposts, "replies": len(replies),
        "authors": len(authors), "authorsWithSeveralSpellings": sorted(k for k, v in spellings.items() if len(v) > 1),
        "idsRepaired": sum(r["repaired"] for r in rows),
        "perDay": dict(sorted(per_day.items())),
        "busiestHour": {"local": busiest[0], "posts": busiest[1]},
        "topAuthors": [v for _, v in sorted(authors.items(), key=lambda kv: (-kv[1][1], kv[0]))[:5]],
        "topMentioned": sorted(mentioned.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        "topHashtags": sorted(tagged.items(), key=lambda kv: (-kv[1], kv[0]))[:3],
        "replyDelays": {"replies": len(delays), "toOwnPosts": own, "toPostsNotInLog": outside,
                        "p50Seconds": percentile(delays, 0.5), "p90Seconds": percentile(delays, 0.9)},
        "topByReposts": [[r["id"], r["author"], r["reposts"], r["likes"]] for r in by_reposts[:3]],
    }
    if day:
        result["hoursOf" + day] = {k: v for k, v in sorted(per_hour.items(), key=lambda kv: datetime.datetime.fromisoformat(kv[0]))
                                   if k.startswith(day)}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:])
