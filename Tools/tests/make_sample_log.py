#!/usr/bin/env python3
"""A small writer of smcc logs, from Schemas/log-format.md, to test Tools/smcc_read.py before (and
independently of) the Swift writer. It shares no code with the reader on purpose.

    make_sample_log.py DIR [--events N] [--seed S] > expected.ndjson

writes a log of N events of every kind into DIR (appended in batches of random sizes, so the tail
chunk is rewritten in place; the first events with codec 1, then with a trained dictionary, codec
2, and later with a second dictionary) and prints the NDJSON that `smcc export` must print for it.
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import sys

import lmdb
import zstandard

CHANNELS = ["twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"]
ROLES = ["ambassador", "photo", "liveTweets", "streamMonitor", "coordinator"]
OUTCOMES = ["answered", "noAction", "spam", "duplicate"]
PRIORITIES = ["low", "normal", "high", "urgent"]
# kind -> (code, fields); a field is "name:type" and optional ones end with "?" (flag bits in order).
CATALOGUE = {
    "postReceived": (1, "post:s channel:channel author:s text:s hashtags:ss mentions:ss postedAt:t "
                        "inReplyTo:s? conversation:s? isRepost:b? url:s?"),
    "postPublished": (2, "post:s channel:channel text:s media:ss?"),
    "postAssigned": (3, "post:s to:s"),
    "postUnassigned": (4, "post:s reason:s?"),
    "replied": (5, "post:s text:s replyPost:s?"),
    "escalated": (6, "post:s to:s reason:s priority:priority?"),
    "escalationResolved": (7, "post:s resolution:s?"),
    "postResolved": (8, "post:s outcome:outcome"),
    "noteAdded": (9, "post:s text:s"),
    "postTagged": (10, "post:s tags:ss"),
    "volunteerJoined": (11, "volunteer:s name:s role:role team:s?"),
    "volunteerLeft": (12, "volunteer:s"),
    "roleChanged": (13, "volunteer:s from:role to:role"),
    "shiftStarted": (14, "volunteer:s"),
    "shiftEnded": (15, "volunteer:s"),
    "listeningRuleAdded": (16, "rule:s"),
    "listeningRuleRemoved": (17, "rule:s"),
}
ENUM_VALUES = {"channel": CHANNELS, "role": ROLES, "outcome": OUTCOMES, "priority": PRIORITIES}
AWKWARD = ["", "plain", "héllo wörld", "emoji 🎉🇫🇷", 'quote " and \\ backslash', "\x00\x01\x1f\x7f",
           "\u2028\u2029", "tab\tnewline\ncr\r", "\b\f", "</script>", "日本語のテキスト", "\ufeffbom"]


def varint(x):
    out = bytearray()
    while True:
        if x < 0x80:
            out.append(x)
            return bytes(out)
        out.append((x & 0x7F) | 0x80)
        x >>= 7


def s_bytes(text):
    raw = text.encode("utf-8")
    return varint(len(raw)) + raw


def iso(ms):
    return (datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=ms)) \
        .isoformat(timespec="milliseconds").replace("+00:00", "Z")


def encode_event(kind, actor, fields, at):
    """fields: dict name -> value (interchange values: strings, lists, ms ints for times, enum names,
    True for booleans). Returns (payload, ordered dict of the fields for the interchange form)."""
    code, spec = CATALOGUE[kind]
    out, flags, bit, body, shown = bytearray([code]), 0, 0, bytearray(), {}
    has_flags = "?" in spec
    for item in spec.split():
        name, ftype = item.rstrip("?").split(":")
        optional = item.endswith("?")
        if optional:
            present = name in fields and fields[name] is not False
            flags |= present << bit
            bit += 1
            if not present:
                continue
        value = fields[name]
        if ftype == "s":
            body += s_bytes(value)
            shown[name] = value
        elif ftype == "ss":
            body += varint(len(value)) + b"".join(s_bytes(v) for v in value)
            shown[name] = list(value)
        elif ftype == "t":
            d = value - at
            body += varint(((d << 1) ^ (d >> 63)) & ((1 << 64) - 1))
            shown[name] = iso(value)
        elif ftype == "b":
            shown[name] = True
        else:
            body.append(ENUM_VALUES[ftype].index(value))
            shown[name] = value
    out += s_bytes(actor)
    if has_flags:
        out += varint(flags)
    return bytes(out + body), shown


def random_event(rng, at):
    def text():
        return rng.choice(AWKWARD) if rng.random() < 0.2 else " ".join(
            rng.choice(["help", "where", "is", "the", "stand", "#vivatech", "@smcc", "merci", "queue", "badge"])
            for _ in range(rng.randint(1, 25)))

    def ident(prefix):
        return f"{prefix}-{rng.randint(1, 500)}"

    def some(fn, lo=0, hi=3):
        return [fn() for _ in range(rng.randint(lo, hi))]

    kind = rng.choice(list(CATALOGUE))
    opt = lambda: rng.random() < 0.5  # noqa: E731
    f = {}
    if kind == "postReceived":
        posted = rng.choice([at - rng.randint(0, 10_000_000), at + rng.randint(0, 5000), -1, 0, at])
        f = dict(post=ident("p"), channel=rng.choice(CHANNELS), author=rng.choice(AWKWARD + ["@bob"]), text=text(),
                 hashtags=some(lambda: "#" + ident("h")), mentions=some(lambda: "@" + ident("u")), postedAt=posted)
        if opt(): f["inReplyTo"] = ident("p")
        if opt(): f["conversation"] = ident("c")
        if opt(): f["isRepost"] = True
        if opt(): f["url"] = "https://example.org/" + ident("p")
    elif kind == "postPublished":
        f = dict(post=ident("p"), channel=rng.choice(CHANNELS), text=text())
        if opt(): f["media"] = some(lambda: ident("m") + ".jpg", 0, 4)
    elif kind in ("postAssigned",):
        f = dict(post=ident("p"), to=ident("v"))
    elif kind == "postUnassigned":
        f = dict(post=ident("p"))
        if opt(): f["reason"] = text()
    elif kind == "replied":
        f = dict(post=ident("p"), text=text())
        if opt(): f["replyPost"] = ident("p")
    elif kind == "escalated":
        f = dict(post=ident("p"), to=ident("v"), reason=text())
        if opt(): f["priority"] = rng.choice(PRIORITIES)
    elif kind == "escalationResolved":
        f = dict(post=ident("p"))
        if opt(): f["resolution"] = text()
    elif kind == "postResolved":
        f = dict(post=ident("p"), outcome=rng.choice(OUTCOMES))
    elif kind == "noteAdded":
        f = dict(post=ident("p"), text=text())
    elif kind == "postTagged":
        f = dict(post=ident("p"), tags=some(lambda: ident("t"), 0, 5))
    elif kind == "volunteerJoined":
        f = dict(volunteer=ident("v"), name=rng.choice(AWKWARD + ["Ada Lovelace"]), role=rng.choice(ROLES))
        if opt(): f["team"] = ident("team")
    elif kind == "roleChanged":
        f = {"volunteer": ident("v"), "from": rng.choice(ROLES), "to": rng.choice(ROLES)}
    elif kind in ("volunteerLeft", "shiftStarted", "shiftEnded"):
        f = dict(volunteer=ident("v"))
    else:
        f = dict(rule=rng.choice(["#vivatech", "@smcc", "vivatech OR viva tech", "\"quoted\""]))
    return kind, rng.choice(["system", "v-1", "v-2", "importer", "é-actor"]), f


def frame(body, zdict):
    params = zstandard.ZstdCompressionParameters(
        format=zstandard.FORMAT_ZSTD1_MAGICLESS, write_checksum=1, write_content_size=0, write_dict_id=0,
        compression_level=3)
    return zstandard.ZstdCompressor(dict_data=zdict, compression_params=params).compress(body)


def encode_chunk(records, dict_id=None, zdict=None):
    """records: [(time, tag, payload)] -> a chunk value (§3)."""
    times = [t for t, _, _ in records]
    body = varint(len(records)) + varint(times[0]) + b"".join(varint(b - a) for a, b in zip(times, times[1:]))
    body += b"".join(varint(len(p)) for _, _, p in records) + bytes(tag for _, tag, _ in records)
    body += b"".join(p for _, _, p in records)
    head = bytes([1, 1]) if dict_id is None else bytes([1, 2]) + varint(dict_id)
    return head + varint(len(body)) + frame(body, zdict)


def index_keys(shown, kind, actor):
    """§1, written here from the spec on its own: the (index, key) entries of one event."""
    keys = [("actor", actor.encode())]
    if kind in ("postAssigned", "escalated"):
        keys.append(("volunteer", shown["to"].encode()))
    if kind in ("volunteerJoined", "volunteerLeft", "roleChanged", "shiftStarted", "shiftEnded"):
        keys.append(("volunteer", shown["volunteer"].encode()))
    if kind in ("volunteerJoined", "roleChanged"):
        keys.append(("role", shown["volunteer"].encode()))
    if "post" in shown:
        channel, _, rest = shown["post"].partition(":")
        if channel in CHANNELS and rest.isascii() and rest.isdigit() and len(rest) <= 19 and rest[:1] not in ("", "0"):
            key = bytes([0x80 | CHANNELS.index(channel)]) + int(rest).to_bytes(8, "big")
        elif channel in CHANNELS and ":" in shown["post"]:
            key = bytes([CHANNELS.index(channel)]) + rest.encode()
        else:
            key = b"\xff" + shown["post"].encode()
        keys.append(("post", key))
    return keys


def posting_blocks(seqs):
    """§1: a key's seqs as blocks of 128: (first seq, varint deltas of the rest)."""
    for i in range(0, len(seqs), 128):
        block = seqs[i:i + 128]
        yield block[0], b"".join(varint(b - a) for a, b in zip(block, block[1:]))


class Writer:
    def __init__(self, path):
        self.env = lmdb.open(path, max_dbs=16, map_size=1 << 28, subdir=True)
        names = ("meta", "dicts", "events", "chain", "idem", "time", "ix:actor", "ix:post", "ix:role", "ix:volunteer")
        self.db = {n: self.env.open_db(n.encode(), dupsort=n == "time", dupfixed=n == "time") for n in names}
        self.postings = {}
        with self.env.begin(write=True) as txn:
            txn.put(b"format", b"smcc-log 1", db=self.db["meta"])
            txn.put(b"logId", os.urandom(16), db=self.db["meta"])
            txn.put(b"app:eventFormat", b"smcc-event 1", db=self.db["meta"])
        self.seq, self.h, self.hashes = 0, bytes(32), [bytes(32)]
        self.tail_key, self.tail = None, []
        self.dict_id, self.zdict = None, None

    def train(self, payloads):
        try:
            zdict = zstandard.train_dictionary(8192, payloads)
        except zstandard.ZstdError as e:  # too few samples: keep codec 1
            print(f"make_sample_log: no dictionary ({e})", file=sys.stderr)
            return
        self.dict_id = (self.dict_id or 0) + 1
        self.zdict = zstandard.ZstdCompressionDict(zdict.as_bytes(), dict_type=zstandard.DICT_TYPE_FULLDICT)
        with self.env.begin(write=True) as txn:
            txn.put(self.dict_id.to_bytes(4, "big"), zdict.as_bytes(), db=self.db["dicts"])

    def append(self, batch, idem_key=None):
        """batch: [(time, payload, index keys)], written in one transaction."""
        with self.env.begin(write=True) as txn:
            dirty, touched = {}, set()
            for t, payload, keys in batch:
                self.seq += 1
                self.h = hashlib.sha256(self.h + self.seq.to_bytes(8, "big") + t.to_bytes(8, "big") + payload).digest()
                self.hashes.append(self.h)
                if self.tail_key is None or len(self.tail) == 16:
                    self.tail_key, self.tail = self.seq, []
                    txn.put(t.to_bytes(8, "big"), self.seq.to_bytes(8, "big"), db=self.db["time"], dupdata=True)
                self.tail.append((t, self.h[0], payload))
                dirty[self.tail_key] = self.tail
                if self.seq % 1024 == 0:
                    txn.put(self.seq.to_bytes(8, "big"), self.h, db=self.db["chain"])
                for index, key in keys:
                    self.postings.setdefault((index, key), []).append(self.seq)
                    touched.add((index, key))
            for index, key in touched:
                for first, deltas in posting_blocks(self.postings[(index, key)]):
                    txn.put(bytes([len(key)]) + key + first.to_bytes(8, "big"), deltas, db=self.db["ix:" + index])
            for key, records in dirty.items():
                txn.put(key.to_bytes(8, "big"), encode_chunk(records, self.dict_id, self.zdict), db=self.db["events"])
            if idem_key:
                txn.put(idem_key, (self.seq - len(batch) + 1).to_bytes(8, "big"), db=self.db["idem"])
            txn.put(b"head", self.seq.to_bytes(8, "big") + self.h + batch[-1][0].to_bytes(8, "big"),
                    db=self.db["meta"])


def write_sample_log(path, events=3000, seed=1):
    """Writes the log; returns (expected NDJSON lines as bytes, writer) — the writer keeps the hashes."""
    rng = random.Random(seed)
    w = Writer(path)
    at, lines, payloads, i = 1435032589000, [], [], 0
    while i < events:
        batch = []
        for _ in range(min(rng.choice([1, 1, 2, 5, 16, 17, 40]), events - i)):
            at += rng.choice([0, 0, 1, 999, 1000, 60_000, rng.randint(0, 10_000_000)])
            kind, actor, fields = random_event(rng, at)
            payload, shown = encode_event(kind, actor, fields, at)
            i += 1
            event = {"seq": i, "at": iso(at), "actor": actor, "kind": kind, **shown}
            lines.append(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            batch.append((at, payload, index_keys(shown, kind, actor)))
            payloads.append(payload)
        w.append(batch, idem_key=f"req-{i}".encode() if rng.random() < 0.5 else None)
        if len(payloads) >= 1000 and (w.dict_id is None or (w.dict_id == 1 and len(payloads) >= 2000)):
            w.train(payloads[-1000:])
    w.env.close()
    return lines, w


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dir")
    p.add_argument("--events", type=int, default=3000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    lines, _ = write_sample_log(a.dir, a.events, a.seed)
    sys.stdout.buffer.write(b"".join(lines))


if __name__ == "__main__":
    main()
