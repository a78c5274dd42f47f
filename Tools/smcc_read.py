#!/usr/bin/env python3
"""smcc_read: the independent reference reader of the `smcc` log format.

Written from Schemas/log-format.md alone, without looking at the Swift code, so that an auditor
who does not trust the `smcc` binary can read and check a log with Python, `lmdb` and `zstandard`
(and `psycopg` for a log in PostgreSQL):

    smcc_read.py LOG                      print every event as NDJSON (the interchange form, §7)
    smcc_read.py LOG --from 10 --to 20    only the events with 10 <= seq <= 20
    smcc_read.py LOG --verify [--head SEQ:HEX]
                                          recompute the hash chain (§4) and check tags, chunk keys,
                                          checkpoints, meta/head, and that the `time`, `idem` and
                                          `ix:*` indexes hold exactly what the events make (§1)
    smcc_read.py LOG --info               a small JSON summary

LOG is a log directory (one LMDB environment, §1) or a log in PostgreSQL (§12), named by
`postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?log=NAME` (or `postgres://`; NAME defaults to
`smcc`): the same databases as tables holding the same bytes, so everything above reads and
answers the same. Either is read in one transaction (an LMDB read transaction; PostgreSQL's
REPEATABLE READ READ ONLY), so a writer appending meanwhile is not seen half-way.

Exit status: 0 fine; 1 the log is corrupt or fails verification; 2 not a log, cannot open or reach
it, usage. A corrupt log never gives a traceback: it gives `verify: FAILED at seq N: reason`
(verify) or `smcc_read: seq N: reason` on stderr (export, info).
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import sys
import urllib.parse

import lmdb
import zstandard

MAX_BODY = 2_097_152
CHUNK_RECORDS = 16
CHECKPOINT_EVERY = 1024
SEED, SALT, COMMITMENT = 16, 16, 32
FORMATS = {b"smcc-log 2": b"smcc-event 2", b"smcc-log 1": b"smcc-event 1"}
U64 = 1 << 64
ENUMS = {
    "channel": ("twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"),
    "role": ("ambassador", "photo", "liveTweets", "streamMonitor", "coordinator"),
    "outcome": ("answered", "noAction", "spam", "duplicate"),
    "priority": ("low", "normal", "high", "urgent"),
}
# §6, transcribed: code -> (kind, [(field, type, flag bit or None)]); a type is string, strings,
# time, count, bool (flag bit only) or the name of an enum.
KINDS = {
    1: ("postReceived", [("post", "string", None), ("channel", "channel", None), ("author", "string", None),
                         ("text", "string", None), ("hashtags", "strings", None), ("mentions", "strings", None),
                         ("postedAt", "time", None), ("inReplyTo", "string", 0), ("conversation", "string", 1),
                         ("isRepost", "bool", 2), ("url", "string", 3), ("repostCount", "count", 4),
                         ("likeCount", "count", 5), ("quoteOf", "string", 6)]),
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
    18: ("eventDescribed", [("name", "string", None), ("timeZone", "string", None), ("firstDay", "string", None),
                            ("lastDay", "string", None), ("hashtags", "strings", None), ("venue", "string", 0)]),
    19: ("personalDataErased", [("posts", "strings", None), ("reason", "string", 0)]),
    20: ("logUpgraded", [("fromFormat", "string", None), ("previousHead", "string", None)]),
}


# §6: the personal fields of each kind, in order: the payload holds them emptied, the record's
# personal part holds them (a varint of presence bits, then the present ones).
PERSONAL = {
    "postReceived": [("author", "string"), ("text", "string"), ("mentions", "strings"), ("url", "string")],
    "postPublished": [("text", "string")], "replied": [("text", "string")], "noteAdded": [("text", "string")],
    "postUnassigned": [("reason", "string")], "escalated": [("reason", "string")],
    "escalationResolved": [("resolution", "string")], "volunteerJoined": [("name", "string")],
    "personalDataErased": [("reason", "string")],
}
# The value an emptied personal field has in the payload (optional ones are absent).
EMPTY = {"string": "", "strings": []}

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
        elif ftype == "count":
            event[name] = r.varint()
            if event[name] >= 1 << 63:
                raise ValueError(f"{kind}.{name}: count {event[name]} is above 2^63 - 1")
        else:
            value = r.byte()
            if value >= len(ENUMS[ftype]):
                raise ValueError(f"{kind}.{name}: {ftype} value {value} out of range")
            event[name] = ENUMS[ftype][value]
    if r.left():
        raise ValueError(f"{kind}: {r.left()} bytes left over after the last field")
    return event


def apply_personal(event, personal, erased):
    """§6: the event decoded from its payload (personal fields emptied) with its personal part,
    or, erased, without its personal fields and with "erased": true. Keys stay in §7 order."""
    fields = PERSONAL.get(event["kind"], [])
    if personal is None and not erased:
        return event
    if not fields:
        raise ValueError(f"{event['kind']} has no personal part")
    values = {}
    if personal is not None:
        r = Bytes(personal)
        flags = r.varint()
        if flags >> len(fields):
            raise ValueError(f"{event['kind']}: personal flags {flags:#x} set a bit the kind does not define")
        for bit, (name, ftype) in enumerate(fields):
            if (flags >> bit) & 1:
                values[name] = r.string() if ftype == "string" else [r.string() for _ in range(r.varint())]
        if r.left():
            raise ValueError(f"{event['kind']}: {r.left()} bytes left over in the personal part")
    for name, ftype in fields:
        if event.get(name, EMPTY[ftype]) != EMPTY[ftype]:
            raise ValueError(f"{event['kind']}.{name}: a personal field is not empty in the payload")
    order = ["seq", "at", "actor", "kind"] + [name for name, _, _ in KINDS[[c for c, (k, _) in KINDS.items() if k == event["kind"]][0]][1]]
    merged = {**event, **values}
    out = {key: merged[key] for key in order if key in merged and not (erased and key in dict(fields))}
    if erased:
        out["erased"] = True
    return out


def to_json_line(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


# §1: the databases (tables, §12) this reader reads; `snap` is a cache it never reads (§8).
DATABASES = ("meta", "dicts", "events", "chain", "idem", "time") + tuple("ix:" + index for index in INDEXES)


class Damaged(Exception):
    """The storage itself failed while reading (a damaged LMDB file): corruption at an unknown seq."""


class LmdbSource:
    """A log directory (§1): its LMDB databases, read in one read transaction, so one consistent
    state. `time` is opened duplicate-sorted, as it was made; a missing database reads as empty."""

    def __init__(self, path):
        self.where = path
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
            self.db = {name: handle for name in DATABASES if (handle := self._open(name)) is not None}
        except lmdb.Error as e:
            raise NotALog(f"{path}: not an smcc log: {e}") from None

    def _open(self, name):
        dup = name == "time"  # the ix:* databases are plain (one value per block), §1
        try:
            return self.env.open_db(name.encode(), txn=self.txn, create=False, dupsort=dup, dupfixed=dup)
        except lmdb.NotFoundError:
            return None

    def names(self):
        """The databases of DATABASES the log has (the `ix:` ones only once the layer above named them)."""
        return set(self.db)

    def get(self, name, key):
        return self.txn.get(key, db=self.db[name]) if name in self.db else None

    def items(self, name, start=b""):
        """(key, value) in key order (values in order under one key of `time`), from the first key >= start."""
        if name not in self.db:
            return
        try:
            cursor = self.txn.cursor(db=self.db[name])
            if cursor.set_range(start):
                yield from cursor.iternext()
        except lmdb.Error as e:
            raise Damaged(f"LMDB: {e}") from None

    def close(self):
        self.txn.abort()
        self.env.close()


LOG_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def parse_postgres_url(url):
    """§12: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?log=NAME -> (the URL for libpq,
    without `log=`; NAME; the URL to name the log in messages, without the password)."""
    parts = urllib.parse.urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    shown_netloc = userinfo.partition(":")[0] + at + hostport
    params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    names = [value for key, value in params if key == "log"]
    name = names[0] if names else "smcc"
    shown = urllib.parse.urlunsplit((parts.scheme, shown_netloc, parts.path, f"log={name}", ""))
    others = [key for key, _ in params if key != "log"]
    if others or parts.fragment or (parts.query and not params):
        what = f"query parameter {others[0]!r}" if others else "a fragment" if parts.fragment else f"query {parts.query!r}"
        raise NotALog(f"{shown}: {what} is not accepted: the only one is log=NAME")
    if len(names) > 1:
        raise NotALog(f"{shown}: log= given {len(names)} times")
    if not LOG_NAME.fullmatch(name) or name.startswith("pg_"):
        raise NotALog(f"{shown}: log name {name!r} is not [a-z_][a-z0-9_]{{0,62}} without pg_ in front")
    if not parts.path.strip("/"):
        raise NotALog(f"{shown}: no database: expected postgresql://USER@HOST[:PORT]/DATABASE?log=NAME")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), name, shown


class PostgresSource:
    """A log in PostgreSQL (§12): the tables of the schema NAME, read in one `REPEATABLE READ READ
    ONLY` transaction, so one committed state, as an LMDB read transaction sees. A missing table
    reads as empty. psycopg is imported here: reading an LMDB log does not need it."""

    def __init__(self, url):
        conninfo, self.schema, self.where = parse_postgres_url(url)
        try:
            import psycopg
            from psycopg import sql
        except ImportError:
            raise NotALog(f"{self.where}: reading a PostgreSQL log needs psycopg "
                          "(pip install -r Tools/requirements.txt)") from None
        self.psycopg, self.sql, self.cursors = psycopg, sql, 0
        try:
            self.conn = psycopg.connect(conninfo, connect_timeout=10)
        except psycopg.Error as e:
            raise NotALog(f"{self.where}: cannot connect: {one_line(e)}") from None
        self.conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.conn.read_only = True
        try:  # the transaction's snapshot is taken here, by its first statement
            if self.conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [self.schema]).fetchone() is None:
                raise NotALog(f"{self.where}: no log {self.schema} in this database (no schema {self.schema})")
            self.tables = {name for (name,) in self.conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s AND c.relkind IN ('r', 'p')", [self.schema])}
        except psycopg.Error as e:
            raise NotALog(f"{self.where}: cannot read: {one_line(e)}") from None

    def names(self):
        return self.tables & set(DATABASES)

    def _table(self, name):
        return self.sql.Identifier(self.schema, name)

    def get(self, name, key):
        if name not in self.tables:  # a failed statement would end the transaction
            return None
        try:
            row = self.conn.execute(self.sql.SQL("SELECT value FROM {} WHERE key = %s").format(self._table(name)),
                                    [key]).fetchone()
        except self.psycopg.Error as e:
            raise NotALog(f"{self.where}: cannot read {name}: {one_line(e)}") from None
        return None if row is None else bytes(row[0])

    def items(self, name, start=b""):
        """(key, value) in key order (bytea compares as LMDB does: bytewise, a prefix first), from
        the first key >= start, fetched in batches by a server-side cursor: a log can be large."""
        if name not in self.tables:
            return
        order = "key, value" if name == "time" else "key"
        query = self.sql.SQL("SELECT key, value FROM {} WHERE key >= %s ORDER BY " + order).format(self._table(name))
        self.cursors += 1
        cursor = self.conn.cursor(name=f"smcc_read_{self.cursors}")
        cursor.itersize = 512
        try:
            cursor.execute(query, [start])
            for key, value in cursor:
                yield bytes(key), bytes(value)
        except self.psycopg.Error as e:
            raise NotALog(f"{self.where}: cannot read {name}: {one_line(e)}") from None
        finally:
            try:
                cursor.close()
            except self.psycopg.Error:
                pass  # the connection already failed, and that error is on its way

    def close(self):
        """Ends the transaction: until then it holds its tables (a DROP SCHEMA waits for it)."""
        self.conn.close()


def one_line(error):
    return " ".join(str(error).split())


def open_source(target):
    """LOG is a directory or a postgresql:// (postgres://) URL."""
    return PostgresSource(target) if target.startswith(POSTGRES_SCHEMES) else LmdbSource(target)


class Log:
    """A read-only view of one log through its source (LMDB or PostgreSQL): one consistent state."""

    def __init__(self, source):
        self.source = source
        where = source.where
        if not {"meta", "events"} <= source.names():
            raise NotALog(f"{where}: not an smcc log (no meta or events database)")
        fmt = self.meta(b"format")
        if fmt not in FORMATS:
            raise NotALog(f"{where}: meta/format is {fmt!r}, this reader reads {' or '.join(repr(f.decode()) for f in FORMATS)}")
        event_format = self.meta(b"app:eventFormat")
        if event_format != FORMATS[fmt]:
            raise NotALog(f"{where}: meta/app:eventFormat is {event_format!r}, a {fmt.decode()} log has {FORMATS[fmt].decode()!r}")
        self.version = 2 if fmt == b"smcc-log 2" else 1
        self.decompressors = {}

    def items(self, name):
        try:
            yield from self.source.items(name)
        except Damaged as e:
            raise Corrupt(0, f"{name}: {e}") from None

    def meta(self, key):
        return self.source.get("meta", key)

    def decompressor(self, dict_id):
        if dict_id not in self.decompressors:
            dict_data = None
            if dict_id is not None:
                raw = None if dict_id >= 1 << 32 else self.source.get("dicts", dict_id.to_bytes(4, "big"))
                if raw is None:
                    raise ValueError(f"dictionary {dict_id} is not in dicts")
                dict_data = zstandard.ZstdCompressionDict(raw, dict_type=zstandard.DICT_TYPE_FULLDICT)
            self.decompressors[dict_id] = zstandard.ZstdDecompressor(
                dict_data=dict_data, format=zstandard.FORMAT_ZSTD1_MAGICLESS)
        return self.decompressors[dict_id]

    def decode_chunk(self, value, first_seq=None):
        """§3: a chunk value -> [(time, tag, payload, personal, erased, commitment)], personal and
        commitment None for a record without a personal part. Raises ValueError or ZstdError."""
        r = Bytes(value)
        if (fmt := r.byte()) != self.version:
            raise ValueError(f"chunk format {fmt} in a log of format {self.version}")
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
        states = list(b.take(n)) if self.version == 2 else [0] * n
        if any(state > 3 for state in states):
            raise ValueError(f"personal state not in 0-3: {states}")
        seed = b.take(SEED) if 1 in states else None
        personal_lengths = [b.varint() if state in (1, 2) else 0 for state in states]
        salts = [b.take(SALT) if state == 2 else None for state in states]
        commitments = [b.take(COMMITMENT) if state == 3 else None for state in states]
        payloads = [b.take(length) for length in lengths]
        personals = [b.take(length) if state in (1, 2) else None for state, length in zip(states, personal_lengths)]
        if b.left():
            raise ValueError(f"{b.left()} bytes left over in the chunk body")
        out = []
        for i in range(n):
            commitment = commitments[i]
            if states[i] in (1, 2):
                salt = salts[i] if states[i] == 2 else hashlib.sha256(b"smcc-salt" + seed + be64(first_seq + i)).digest()[:SALT]
                commitment = hashlib.sha256(salt + personals[i]).digest()
            out.append((times[i], tags[i], payloads[i], personals[i], states[i] == 3, commitment))
        return out

    def records(self, start=1):
        """Yield (seq, chunk_key, time, tag, payload, personal, erased, commitment) from the chunk
        holding `start` on, checking that chunk keys are gapless, only the last chunk is short and
        times never decrease. A chunk holds at most 16 records, so the one holding `start` has the
        first key from start - 15 on."""
        expected = 1 if start <= 1 else None
        first_key = b"" if start <= 1 else be64(max(1, start - CHUNK_RECORDS + 1))
        last_n, last_time = CHUNK_RECORDS, 0
        try:
            for key, value in self.source.items("events", first_key):
                if len(key) != 8:
                    raise Corrupt(expected or 0, f"events key {key.hex()} is not 8 bytes")
                k = int.from_bytes(key, "big")
                if expected is not None and k != expected:
                    what = "missing" if k > expected else "overlapping"
                    raise Corrupt(expected, f"records {what}: next chunk key is {k}, expected {expected}")
                if last_n != CHUNK_RECORDS:
                    raise Corrupt(k, f"chunk before {k} holds {last_n} records but is not the last")
                try:
                    chunk = self.decode_chunk(value, k)
                except (ValueError, zstandard.ZstdError, MemoryError) as e:
                    raise Corrupt(k, f"chunk: {e}") from None
                if chunk[0][0] < last_time:
                    raise Corrupt(k, "time decreases")
                for i, record in enumerate(chunk):
                    yield (k + i, k) + record
                expected, last_n, last_time = k + len(chunk), len(chunk), chunk[-1][0]
        except Damaged as e:
            raise Corrupt(expected or 0, str(e)) from None


def event_of(seq, t, payload, personal=None, erased=False):
    try:
        return apply_personal(decode_payload(payload, seq, t), personal, erased)
    except ValueError as e:
        raise Corrupt(seq, f"payload: {e}") from None


def export(log, lo, hi, out):
    for seq, k, t, _, payload, personal, erased, _ in log.records(lo):
        if k > hi:
            break
        if lo <= seq <= hi:
            out.write(to_json_line(event_of(seq, t, payload, personal, erased)))


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
    for seq, k, t, tag, payload, personal, erased, commitment in log.records():
        for name, key in index_entries(event_of(seq, t, payload, personal, erased)):
            expected[name].setdefault(key, []).append(seq)
        if log.version == 1:
            h = hashlib.sha256(h + be64(seq) + be64(t) + payload).digest()
        else:  # §4: the personal part counts through its commitment only
            marker = b"\x00" if commitment is None else b"\x01" + commitment
            h = hashlib.sha256(h + be64(seq) + be64(t) + marker + payload).digest()
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
    for seq, _, t, _, payload, personal, erased, _ in log.records():
        kind = event_of(seq, t, payload, personal, erased)["kind"]
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
    p.add_argument("log", metavar="LOG", help="a log directory, or postgresql://USER@HOST[:PORT]/DATABASE?log=NAME")
    p.add_argument("--from", dest="lo", metavar="SEQ", type=seq_arg, default=1, help="first seq to export")
    p.add_argument("--to", dest="hi", metavar="SEQ", type=seq_arg, default=U64, help="last seq to export")
    p.add_argument("--verify", action="store_true", help="check the hash chain and indexes")
    p.add_argument("--head", metavar="SEQ:HEX", type=parse_head, help="with --verify: also check H(SEQ) == HEX")
    p.add_argument("--info", action="store_true", help="print a JSON summary")
    args = p.parse_args(argv)
    if args.head and not args.verify:
        p.error("--head needs --verify")
    try:
        log = Log(open_source(args.log))
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
