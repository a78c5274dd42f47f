#!/usr/bin/env python3
"""smcc_read: the independent reference reader of the `smcc` log format.

Written from Schemas/log-format.md alone, without looking at the Swift code, so that an auditor
who does not trust the `smcc` binary can read and check a log with Python, `lmdb` and `zstandard`:

    smcc_read.py LOG                      print every event as NDJSON (the interchange form, §7)
    smcc_read.py LOG --from 10 --to 20    only the events with 10 <= seq <= 20
    smcc_read.py LOG --verify [--head SEQ:HEX]
                                          recompute the hash chain (§4) and check tags, chunk keys,
                                          checkpoints, meta/head, and that the `time`, `idem` and
                                          `ix:*` indexes hold exactly what the events make (§1)
    smcc_read.py LOG --info               a small JSON summary

Exit status: 0 fine; 1 the log is corrupt or fails verification; 2 not a log, cannot open, usage.
A corrupt log never gives a traceback: it gives `verify: FAILED at seq N: reason` (verify) or
`smcc_read: seq N: reason` on stderr (export, info).
"""
import argparse
import datetime
import hashlib
import json
import os
import sys

import lmdb
import zstandard

MAX_BODY = 2_097_152
CHUNK_RECORDS = 16
CHECKPOINT_EVERY = 1024
U64 = 1 << 64
ENUMS = {
    "channel": ("twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"),
    "role": ("ambassador", "photo", "liveTweets", "streamMonitor", "coordinator"),
    "outcome": ("answered", "noAction", "spam", "duplicate"),
    "priority": ("low", "normal", "high", "urgent"),
}
# §6, transcribed: code -> (kind, [(field, type, flag bit or None)]); a type is string, strings,
# time, bool (flag bit only) or the name of an enum.
KINDS = {
    1: ("postReceived", [("post", "string", None), ("channel", "channel", None), ("author", "string", None),
                         ("text", "string", None), ("hashtags", "strings", None), ("mentions", "strings", None),
                         ("postedAt", "time", None), ("inReplyTo", "string", 0), ("conversation", "string", 1),
                         ("isRepost", "bool", 2), ("url", "string", 3)]),
    2: ("postPublished", [("post", "string", None), ("channel", "channel", None), ("text", "string", None),
                          ("media", "strings", 0)]),
    3: ("postAssigned", [("post", "string", None), ("to", "string", None)]),
    4: ("postUnassigned", [("post", "string", None), ("reason", "string", 0)]),
    5: ("replied", [("post", "string", None), ("text", "string", None), ("replyPost", "string", 0)]),
    6: ("escalated", [("post", "string", None), ("to", "string", None), ("reason", "string", None),
                      ("priority", "priority", 0)]),
    7: ("escalationResolved", [("post", "string", None), ("resolution", "string", 0)]),
    8: ("postResolved", [("post", "string", None), ("outcome", "outcome", None)]),
    9: ("noteAdded", [("post", "string", None), ("text", "string", None)]),
    10: ("postTagged", [("post", "string", None), ("tags", "strings", None)]),
    11: ("volunteerJoined", [("volunteer", "string", None), ("name", "string", None), ("role", "role", None),
                             ("team", "string", 0)]),
    12: ("volunteerLeft", [("volunteer", "string", None)]),
    13: ("roleChanged", [("volunteer", "string", None), ("from", "role", None), ("to", "role", None)]),
    14: ("shiftStarted", [("volunteer", "string", None)]),
    15: ("shiftEnded", [("volunteer", "string", None)]),
    16: ("listeningRuleAdded", [("rule", "string", None)]),
    17: ("listeningRuleRemoved", [("rule", "string", None)]),
}


# §1: the event layer's indexes and the entries each event makes.
INDEXES = ("actor", "post", "role", "volunteer")
VOLUNTEER_KINDS = ("volunteerJoined", "volunteerLeft", "roleChanged", "shiftStarted", "shiftEnded")
POSTING_BLOCK = 128


def post_key(post):
    """§1: the key of a post id in ix:post."""
    channel, sep, rest = post.partition(":")
    if sep and channel in ENUMS["channel"]:
        code = ENUMS["channel"].index(channel)
        if 1 <= len(rest) <= 19 and rest.isascii() and rest.isdigit() and rest[0] != "0":
            return bytes([0x80 | code]) + int(rest).to_bytes(8, "big")
        return bytes([code]) + rest.encode("utf-8")
    return b"\xff" + post.encode("utf-8")


def index_entries(event):
    """§1: the (index, key) entries the event `event` (interchange form) has."""
    kind = event["kind"]
    entries = [("actor", event["actor"].encode("utf-8"))]
    concerned = event["to"] if kind in ("postAssigned", "escalated") else event.get("volunteer") if kind in VOLUNTEER_KINDS else None
    if kind in ("volunteerJoined", "roleChanged"):
        entries.append(("role", event["volunteer"].encode("utf-8")))
    if concerned:
        entries.append(("volunteer", concerned.encode("utf-8")))
    if "post" in event:
        entries.append(("post", post_key(event["post"])))
    return entries


class NotALog(Exception):
    """The path is not an smcc log we can read (exit 2)."""


class Corrupt(Exception):
    """The log is damaged at record `seq` (exit 1)."""

    def __init__(self, seq, reason):
        super().__init__(reason)
        self.seq, self.reason = seq, reason


def be64(x):
    return x.to_bytes(8, "big")


def zigzag_decode(u):
    return (u >> 1) ^ -(u & 1)


class Bytes:
    """A cursor over bytes; every read past the end raises ValueError."""

    def __init__(self, buf):
        self.buf, self.pos = memoryview(buf), 0

    def take(self, n):
        if n > len(self.buf) - self.pos:
            raise ValueError(f"length {n} runs past the end ({len(self.buf) - self.pos} bytes left)")
        self.pos += n
        return bytes(self.buf[self.pos - n:self.pos])

    def byte(self):
        return self.take(1)[0]

    def varint(self):
        value = 0
        for i in range(10):
            b = self.byte()
            value |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                if value >= U64:
                    raise ValueError("varint exceeds 64 bits")
                return value
        raise ValueError("varint longer than 10 bytes")

    def string(self):
        return self.take(self.varint()).decode("utf-8")  # UnicodeDecodeError is a ValueError

    def left(self):
        return len(self.buf) - self.pos


EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def format_time(ms):
    """ms since the epoch -> YYYY-MM-DDTHH:MM:SS.mmmZ (years 0001-9999), integer arithmetic only."""
    days, ms_of_day = divmod(ms, 86_400_000)
    if not 1 <= EPOCH_ORDINAL + days <= datetime.date.max.toordinal():
        raise ValueError(f"time {ms} ms is outside years 0001-9999")
    d = datetime.date.fromordinal(EPOCH_ORDINAL + days)
    hh, rest = divmod(ms_of_day, 3_600_000)
    mm, rest = divmod(rest, 60_000)
    ss, milli = divmod(rest, 1000)
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{hh:02d}:{mm:02d}:{ss:02d}.{milli:03d}Z"


def decode_payload(payload, seq, at):
    """§6: one payload -> the interchange dict of §7 (keys in spec order). Raises ValueError."""
    r = Bytes(payload)
    code = r.byte()
    if code not in KINDS:
        raise ValueError(f"unknown kind code {code}")
    kind, fields = KINDS[code]
    event = {"seq": seq, "at": format_time(at), "actor": r.string(), "kind": kind}
    defined = sum(1 << bit for _, _, bit in fields if bit is not None)
    flags = r.varint() if defined else 0
    if flags & ~defined:
        raise ValueError(f"{kind}: flags {flags:#x} set a bit the kind does not define")
    for name, ftype, bit in fields:
        if bit is not None and not (flags >> bit) & 1:
            continue
        if ftype == "bool":
            event[name] = True
        elif ftype == "string":
            event[name] = r.string()
        elif ftype == "strings":
            event[name] = [r.string() for _ in range(r.varint())]
        elif ftype == "time":
            event[name] = format_time(at + zigzag_decode(r.varint()))
        else:
            value = r.byte()
            if value >= len(ENUMS[ftype]):
                raise ValueError(f"{kind}.{name}: {ftype} value {value} out of range")
            event[name] = ENUMS[ftype][value]
    if r.left():
        raise ValueError(f"{kind}: {r.left()} bytes left over after the last field")
    return event


def to_json_line(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


class Log:
    """A read-only view of one log: one LMDB read transaction, so one consistent snapshot."""

    def __init__(self, path):
        if not os.path.isdir(path):
            raise NotALog(f"{path}: no such directory")
        if not os.path.isfile(os.path.join(path, "data.mdb")):
            raise NotALog(f"{path}: not an smcc log (no data.mdb)")
        try:
            self.env = lmdb.open(path, readonly=True, max_dbs=16, lock=True, subdir=True)
        except lmdb.Error as e:
            if os.access(path, os.W_OK) and not isinstance(e, lmdb.ReadonlyError):
                raise NotALog(f"{path}: cannot open: {e}") from None
            print(f"smcc_read: warning: {path} is read-only, reading without the LMDB lock", file=sys.stderr)
            try:
                self.env = lmdb.open(path, readonly=True, max_dbs=16, lock=False, subdir=True)
            except lmdb.Error as e2:
                raise NotALog(f"{path}: cannot open: {e2}") from None
        try:
            self.txn = self.env.begin(buffers=False)
            self.db = {name: self._open(name) for name in ("meta", "events", "dicts", "chain", "time", "idem")
                       + tuple("ix:" + index for index in INDEXES)}
        except lmdb.Error as e:
            raise NotALog(f"{path}: not an smcc log: {e}") from None
        if self.db["meta"] is None or self.db["events"] is None:
            raise NotALog(f"{path}: not an smcc log (no meta or events database)")
        for key, want in ((b"format", b"smcc-log 1"), (b"app:eventFormat", b"smcc-event 1")):
            got = self.txn.get(key, db=self.db["meta"])
            if got != want:
                raise NotALog(f"{path}: meta/{key.decode()} is {got!r}, this reader needs {want.decode()!r}")
        self.decompressors = {}

    def _open(self, name):
        dup = name == "time"  # the ix:* databases are plain (one value per block), §1
        try:
            return self.env.open_db(name.encode(), txn=self.txn, create=False, dupsort=dup, dupfixed=dup)
        except lmdb.NotFoundError:
            return None

    def items(self, name):
        return [] if self.db[name] is None else self.txn.cursor(db=self.db[name]).iternext()

    def meta(self, key):
        return self.txn.get(key, db=self.db["meta"])

    def decompressor(self, dict_id):
        if dict_id not in self.decompressors:
            dict_data = None
            if dict_id is not None:
                raw = None if dict_id >= 1 << 32 or self.db["dicts"] is None else \
                    self.txn.get(dict_id.to_bytes(4, "big"), db=self.db["dicts"])
                if raw is None:
                    raise ValueError(f"dictionary {dict_id} is not in dicts")
                dict_data = zstandard.ZstdCompressionDict(raw, dict_type=zstandard.DICT_TYPE_FULLDICT)
            self.decompressors[dict_id] = zstandard.ZstdDecompressor(
                dict_data=dict_data, format=zstandard.FORMAT_ZSTD1_MAGICLESS)
        return self.decompressors[dict_id]

    def decode_chunk(self, value):
        """§3: a chunk value -> [(time, tag, payload)]. Raises ValueError or ZstdError."""
        r = Bytes(value)
        if (fmt := r.byte()) != 1:
            raise ValueError(f"unknown chunk format {fmt}")
        codec = r.byte()
        if codec not in (1, 2):
            raise ValueError(f"unknown codec {codec}")
        dict_id = r.varint() if codec == 2 else None
        body_length = r.varint()
        if not 1 <= body_length <= MAX_BODY:
            raise ValueError(f"bodyLength {body_length} out of range")
        frame = r.take(r.left())
        # Frame_Header_Descriptor: checksum flag set; no dictionary id, no content size (FCS flag and
        # Single_Segment clear).
        if not frame or not frame[0] & 0x04 or frame[0] & 0xE3:
            raise ValueError("zstd frame header must have a checksum and no content size or dictionary id")
        body = self.decompressor(dict_id).decompress(frame, max_output_size=body_length, allow_extra_data=False)
        if len(body) != body_length:
            raise ValueError(f"body is {len(body)} bytes, bodyLength says {body_length}")
        b = Bytes(body)
        n = b.varint()
        if not 1 <= n <= CHUNK_RECORDS:
            raise ValueError(f"chunk holds {n} records")
        times = [b.varint()]
        for _ in range(n - 1):
            times.append(times[-1] + b.varint())
        if times[-1] >= U64:
            raise ValueError("time exceeds 64 bits")
        lengths = [b.varint() for _ in range(n)]
        tags = b.take(n)
        payloads = [b.take(length) for length in lengths]
        if b.left():
            raise ValueError(f"{b.left()} bytes left over in the chunk body")
        return list(zip(times, tags, payloads))

    def records(self, start=1):
        """Yield (seq, time, tag, payload, chunk_key) from the chunk holding `start` on, checking
        that chunk keys are gapless, only the last chunk is short and times never decrease."""
        cur = self.txn.cursor(db=self.db["events"])
        expected, last_n, last_time = None, CHUNK_RECORDS, 0
        if start > 1 and cur.set_range(be64(start)):
            if cur.key() != be64(start) and not cur.prev():
                cur.first()
        elif start > 1:
            cur.last()
        else:
            cur.first()
            expected = 1
        try:
            for key, value in cur.iternext():
                if len(key) != 8:
                    raise Corrupt(expected or 0, f"events key {key.hex()} is not 8 bytes")
                k = int.from_bytes(key, "big")
                if expected is not None and k != expected:
                    what = "missing" if k > expected else "overlapping"
                    raise Corrupt(expected, f"records {what}: next chunk key is {k}, expected {expected}")
                if last_n != CHUNK_RECORDS:
                    raise Corrupt(k, f"chunk before {k} holds {last_n} records but is not the last")
                try:
                    chunk = self.decode_chunk(value)
                except (ValueError, zstandard.ZstdError, MemoryError) as e:
                    raise Corrupt(k, f"chunk: {e}") from None
                if chunk[0][0] < last_time:
                    raise Corrupt(k, "time decreases")
                for i, (t, tag, payload) in enumerate(chunk):
                    yield k + i, t, tag, payload, k
                expected, last_n, last_time = k + len(chunk), len(chunk), chunk[-1][0]
        except lmdb.Error as e:
            raise Corrupt(expected or 0, f"LMDB: {e}") from None


def event_of(seq, t, payload):
    try:
        return decode_payload(payload, seq, t)
    except ValueError as e:
        raise Corrupt(seq, f"payload: {e}") from None


def export(log, lo, hi, out):
    for seq, t, _, payload, k in log.records(lo):
        if k > hi:
            break
        if lo <= seq <= hi:
            out.write(to_json_line(event_of(seq, t, payload)))


def verify(log, head_arg):
    """§4: recompute H over every record; check tags, checkpoints, the time index and meta/head.
    Returns (events, last seq, H(last)); raises Corrupt at the first problem."""
    checkpoints, index = {}, {}
    for key, value in log.items("chain"):
        s = int.from_bytes(key, "big")
        if len(key) != 8 or len(value) != 32 or s == 0 or s % CHECKPOINT_EVERY:
            raise Corrupt(s, f"bad chain entry {key.hex()}")
        checkpoints[s] = value
    for key, value in log.items("time"):
        if len(key) != 8 or len(value) != 8:
            raise Corrupt(0, f"bad time index entry {key.hex()}")
        s = int.from_bytes(value, "big")
        if s in index:
            raise Corrupt(s, "two time index entries for one chunk")
        index[s] = int.from_bytes(key, "big")
    h, last, last_time, count, head_hash = bytes(32), 0, 0, 0, None
    expected = {index: {} for index in INDEXES}
    for seq, t, tag, payload, k in log.records():
        for name, key in index_entries(event_of(seq, t, payload)):
            expected[name].setdefault(key, []).append(seq)
        h = hashlib.sha256(h + be64(seq) + be64(t) + payload).digest()
        if tag != h[0]:
            raise Corrupt(seq, f"tag {tag:02x} does not match H(seq), which starts {h[0]:02x}")
        if seq % CHECKPOINT_EVERY == 0 and checkpoints.pop(seq, None) != h:
            raise Corrupt(seq, "chain checkpoint missing or different from the recomputed H(seq)")
        if seq == k and index.pop(k, None) != t:
            raise Corrupt(seq, "time index has no entry (time of first record -> seq) for this chunk")
        if head_arg and seq == head_arg[0]:
            head_hash = h
        last, last_time, count = seq, t, count + 1
    for s in sorted(checkpoints):
        raise Corrupt(s, f"chain checkpoint for a record beyond the last ({last})")
    for s in sorted(index):
        raise Corrupt(s, "time index entry for no chunk")
    head = log.meta(b"head")
    if head is None and count:
        raise Corrupt(last, "meta/head is missing")
    if head is not None:
        if len(head) != 48:
            raise Corrupt(last, f"meta/head is {len(head)} bytes, not 48")
        head_seq = int.from_bytes(head[:8], "big")
        if head_seq > last:
            raise Corrupt(last + 1, f"meta/head names seq {head_seq} but the log ends at seq {last}")
        if head_seq < last:
            raise Corrupt(head_seq + 1, f"records after meta/head's seq {head_seq}")
        if head[8:40] != h or int.from_bytes(head[40:], "big") != last_time:
            raise Corrupt(last, "meta/head hash or time differs from the last record")
    check_indexes(log, expected, last)
    if head_arg:
        want_seq, want_hash = head_arg
        if want_seq > last:
            raise Corrupt(last + 1, f"log ends at seq {last}, before --head seq {want_seq}")
        if (head_hash if want_seq else bytes(32)) != want_hash:
            raise Corrupt(want_seq, "H(seq) differs from --head")
    return count, last, h


def check_indexes(log, expected, last):
    """§1: each ix:NAME holds, per key, exactly the seqs of the records whose events carry it, in
    blocks of 128 (the last shorter); every idem value names a record. Raises Corrupt naming the
    smallest seq where stored and rebuilt differ."""
    problems = []
    for index in INDEXES:
        stored = {}
        for key, value in log.items("ix:" + index):
            if len(key) < 10 or key[0] != len(key) - 9:
                problems.append((1, f"ix:{index}: entry key {key.hex()} is not length + key + first seq"))
                continue
            k, first = key[1:-8], int.from_bytes(key[-8:], "big")
            blocks = stored.setdefault(k, [])
            if blocks and len(blocks[-1]) != POSTING_BLOCK:
                problems.append((first, f"ix:{index}: the block before seq {first} of key {k.hex()} is not full"))
            seqs, r = [first], Bytes(value)
            try:
                while r.left():
                    delta = r.varint()
                    if delta == 0:
                        raise ValueError("a zero delta")
                    seqs.append(seqs[-1] + delta)
            except ValueError as e:
                problems.append((first, f"ix:{index}: block {key.hex()} is damaged: {e}"))
            blocks.append(seqs)
        want = expected[index]
        for k in set(stored) | set(want):
            have = [s for block in stored.get(k, []) for s in block]
            need = want.get(k, [])
            if have != need:
                i = next((i for i, (a, b) in enumerate(zip(have, need)) if a != b), min(len(have), len(need)))
                seq = min(x for x in (have[i:i + 1] + need[i:i + 1]))
                problems.append((seq, f"ix:{index}: key {k.hex()} lists {have[i] if i < len(have) else 'nothing'} "
                                      f"where the events put {need[i] if i < len(need) else 'nothing'}"))
    for key, value in log.items("idem"):
        if len(value) < 8 or not 1 <= int.from_bytes(value[:8], "big") <= last:  # BE64(seq) then a note, §9
            problems.append((last, f"idem: key {key!r} names no record of the log"))
    if problems:
        raise Corrupt(*min(problems))


def info(log):
    counts, first, last, count = {}, None, None, 0
    for seq, t, _, payload, _ in log.records():
        kind = event_of(seq, t, payload)["kind"]
        counts[kind] = counts.get(kind, 0) + 1
        first = t if first is None else first
        last, count = t, count + 1
    head = log.meta(b"head")
    order = [name for name, _ in KINDS.values()]
    return {
        "events": count,
        "firstAt": None if first is None else format_time(first),
        "lastAt": None if last is None else format_time(last),
        "head": f"{int.from_bytes(head[:8], 'big')}:{head[8:40].hex()}" if head and len(head) == 48 else None,
        "dictionaries": [int.from_bytes(k, "big") for k, _ in log.items("dicts")],
        "countsByKind": {k: counts[k] for k in sorted(counts, key=order.index)},
    }


def parse_head(text):
    seq, sep, hexdigits = text.partition(":")
    try:
        if not sep or len(hexdigits) != 64 or not seq.isdigit():
            raise ValueError
        return int(seq), bytes.fromhex(hexdigits)
    except ValueError:
        raise argparse.ArgumentTypeError("expected SEQ:HEX (decimal seq, 64 hex digits)") from None


def seq_arg(text):
    if not text.isdigit():
        raise argparse.ArgumentTypeError("expected a sequence number")
    return int(text)


def main(argv=None):
    p = argparse.ArgumentParser(prog="smcc_read.py", description=__doc__.split("\n\n")[0])
    p.add_argument("log")
    p.add_argument("--from", dest="lo", metavar="SEQ", type=seq_arg, default=1, help="first seq to export")
    p.add_argument("--to", dest="hi", metavar="SEQ", type=seq_arg, default=U64, help="last seq to export")
    p.add_argument("--verify", action="store_true", help="check the hash chain and indexes")
    p.add_argument("--head", metavar="SEQ:HEX", type=parse_head, help="with --verify: also check H(SEQ) == HEX")
    p.add_argument("--info", action="store_true", help="print a JSON summary")
    args = p.parse_args(argv)
    if args.head and not args.verify:
        p.error("--head needs --verify")
    try:
        log = Log(args.log)
        if args.verify:
            try:
                count, last, h = verify(log, args.head)
            except Corrupt as e:
                print(f"verify: FAILED at seq {e.seq}: {e.reason}")
                return 1
            print(f"verify: OK, {count} events, head {last}:{h.hex()}")
        elif args.info:
            print(json.dumps(info(log), ensure_ascii=False, separators=(",", ":")))
        else:
            export(log, max(args.lo, 1), args.hi, sys.stdout.buffer)
        return 0
    except NotALog as e:
        print(f"smcc_read: {e}", file=sys.stderr)
        return 2
    except Corrupt as e:
        sys.stdout.flush()
        print(f"smcc_read: seq {e.seq}: {e.reason}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit flush
        return 0
    except Exception as e:  # a bug of this reader, or a failure the format does not foresee
        print(f"smcc_read: unexpected {type(e).__name__}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
