"""Tests of Tools/smcc_read.py against logs written by make_sample_log.py (both from
Schemas/log-format.md). Run: cd /work/main && python3 -m pytest -q Tools/tests"""
import hashlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import lmdb
import pytest

HERE = Path(__file__).resolve().parent
READER = HERE.parent / "smcc_read.py"
sys.path[:0] = [str(HERE), str(HERE.parent)]
import make_sample_log as sample  # noqa: E402
import smcc_read as reader  # noqa: E402

EVENTS = 3000


def run(*args):
    p = subprocess.run([sys.executable, str(READER), *map(str, args)], capture_output=True)
    assert b"Traceback" not in p.stderr, p.stderr.decode()
    return p


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    path = tmp_path_factory.mktemp("master") / "log"
    lines, writer = sample.write_sample_log(str(path), EVENTS, seed=1)
    return path, lines, writer.hashes


@pytest.fixture
def log(master, tmp_path):
    """A fresh copy of the sample log to tamper with."""
    path, lines, hashes = master
    shutil.copytree(path, tmp_path / "log")
    return tmp_path / "log", lines, hashes


class Tamper:
    def __init__(self, path):
        self.env = lmdb.open(str(path), max_dbs=16, subdir=True)
        self.db = {n: self.env.open_db(n.encode(), dupsort=n == "time", dupfixed=n == "time")
                   for n in ("meta", "events", "dicts", "chain", "time", "idem") + tuple("ix:" + i for i in reader.INDEXES)}

    def __enter__(self):
        self.txn = self.env.begin(write=True)
        return self

    def __exit__(self, *exc):
        self.txn.commit()
        self.env.close()

    def get(self, db, seq):
        return self.txn.get(seq.to_bytes(8, "big"), db=self.db[db])

    def put(self, db, seq, value):
        self.txn.put(seq.to_bytes(8, "big"), value, db=self.db[db])

    def delete(self, db, seq):
        assert self.txn.delete(seq.to_bytes(8, "big"), db=self.db[db])

    def cut_indexes(self, last):
        """Drop every index entry (ix:*, idem) of a record after `last`, rewriting the blocks left."""
        for index in reader.INDEXES:
            db = self.db["ix:" + index]
            lists = {}
            for key, value in list(self.txn.cursor(db=db)):
                seqs, r = [int.from_bytes(key[-8:], "big")], reader.Bytes(value)
                while r.left():
                    seqs.append(seqs[-1] + r.varint())
                lists.setdefault(key[1:-8], []).extend(seqs)
                self.txn.delete(key, db=db)
            for k, seqs in lists.items():
                for first, deltas in sample.posting_blocks([s for s in seqs if s <= last]):
                    self.txn.put(bytes([len(k)]) + k + first.to_bytes(8, "big"), deltas, db=db)
        for key, value in list(self.txn.cursor(db=self.db["idem"])):
            if int.from_bytes(value, "big") > last:
                self.txn.delete(key, db=self.db["idem"])

    def chunk(self, key):
        """(records, dict id, ZstdCompressionDict, seed) of the chunk keyed `key`, to re-encode it
        with sample.encode_chunk: records as [time, tag, payload, state, personal, salt or commitment]."""
        import zstandard
        value = self.get("events", key)
        dict_id = value[2] if value[1] == 2 else None
        zdict = None
        if dict_id:
            zdict = zstandard.ZstdCompressionDict(self.txn.get(dict_id.to_bytes(4, "big"), db=self.db["dicts"]),
                                                  dict_type=zstandard.DICT_TYPE_FULLDICT)
        r = reader.Bytes(value)
        r.take(3 if dict_id else 2)
        length = r.varint()
        body = reader.Bytes(zstandard.ZstdDecompressor(dict_data=zdict, format=zstandard.FORMAT_ZSTD1_MAGICLESS)
                            .decompress(r.take(r.left()), max_output_size=length))
        n = body.varint()
        times = [body.varint()]
        for _ in range(n - 1):
            times.append(times[-1] + body.varint())
        lengths = [body.varint() for _ in range(n)]
        tags, states = body.take(n), list(body.take(n))
        seed = body.take(16) if 1 in states else None
        personal_lengths = [body.varint() if s in (1, 2) else 0 for s in states]
        extras = [body.take(16) if s == 2 else b"" for s in states]
        extras = [body.take(32) if s == 3 else e for s, e in zip(states, extras)]
        payloads = [body.take(x) for x in lengths]
        personals = [body.take(x) for x in personal_lengths]
        records = [[t, tag, p, st, pp, e] for t, tag, p, st, pp, e in zip(times, tags, payloads, states, personals, extras)]
        return records, dict_id, zdict, seed


def chunk_key(seq):
    return (seq - 1) // 16 * 16 + 1


def link(previous, seq, seed, record):
    """H(seq) of log-format.md §4 for a record as Tamper.chunk gives it: a test changes a record
    so that its own one-byte tag no longer matches, or 1 change in 256 would be caught one record
    later and the test would name the wrong seq."""
    time, _, payload, state, personal, extra = record
    if state == 0:
        marker = b"\x00"
    elif state == 3:
        marker = b"\x01" + extra
    else:
        salt = extra if state == 2 else hashlib.sha256(b"smcc-salt" + seed + seq.to_bytes(8, "big")).digest()[:16]
        marker = b"\x01" + hashlib.sha256(salt + personal).digest()
    return hashlib.sha256(previous + seq.to_bytes(8, "big") + time.to_bytes(8, "big") + marker + payload).digest()


def failed_at(path, *extra):
    p = run(path, "--verify", *extra)
    assert p.returncode == 1, p.stdout
    line = p.stdout.decode().strip()
    assert line.startswith("verify: FAILED at seq "), line
    return int(line.split()[4].rstrip(":")), line


# --- reading ---------------------------------------------------------------------------------

def test_export_is_byte_identical(master):
    path, lines, _ = master
    p = run(path)
    assert p.returncode == 0 and p.stderr == b""
    assert p.stdout == b"".join(lines)


@pytest.mark.parametrize("lo,hi", [(1, 1), (5, 40), (16, 17), (17, 33), (1024, 2049), (2990, 5000), (4000, 5000),
                                   (30, 20)])
def test_export_range(master, lo, hi):
    path, lines, _ = master
    p = run(path, "--from", lo, "--to", hi)
    assert p.returncode == 0
    assert p.stdout == b"".join(lines[lo - 1:hi])


def test_sample_covers_the_format(master):
    path, lines, _ = master
    events = [json.loads(line) for line in lines]
    assert {e["kind"] for e in events} == {name for name, _ in reader.KINDS.values()}
    assert any(e.get("isRepost") for e in events) and any(e.get("postedAt", "").startswith("1969") for e in events)
    env = lmdb.open(str(path), readonly=True, max_dbs=16)
    with env.begin() as txn:
        codecs = {v[1] for _, v in txn.cursor(db=env.open_db(b"events", txn=txn, create=False))}
    assert codecs == {1, 2}


def test_verify_ok(master):
    path, _, hashes = master
    p = run(path, "--verify")
    assert p.returncode == 0
    assert p.stdout.decode() == f"verify: OK, {EVENTS} events, head {EVENTS}:{hashes[EVENTS].hex()}\n"
    for seq in (0, 1, 1024, 1500, EVENTS):
        assert run(path, "--verify", "--head", f"{seq}:{hashes[seq].hex()}").returncode == 0


def test_info(master):
    path, lines, hashes = master
    p = run(path, "--info")
    assert p.returncode == 0
    info = json.loads(p.stdout)
    assert list(info) == ["events", "firstAt", "lastAt", "head", "dictionaries", "countsByKind"]
    assert info["events"] == EVENTS and sum(info["countsByKind"].values()) == EVENTS
    assert info["head"] == f"{EVENTS}:{hashes[EVENTS].hex()}" and info["dictionaries"] == [1, 2]
    assert info["firstAt"] == json.loads(lines[0])["at"] and info["lastAt"] == json.loads(lines[-1])["at"]


def write_empty_log(path, version):
    """A log as §1 has it at creation: its databases, meta/format and meta/app:eventFormat."""
    env = lmdb.open(str(path), max_dbs=16)
    with env.begin(write=True) as txn:
        meta = env.open_db(b"meta", txn=txn)
        for name in (b"events", b"dicts", b"chain", b"idem"):
            env.open_db(name, txn=txn)
        env.open_db(b"time", txn=txn, dupsort=True, dupfixed=True)
        txn.put(b"format", b"smcc-log %d" % version, db=meta)
        txn.put(b"app:eventFormat", b"smcc-event %d" % version, db=meta)
    env.close()


def test_empty_log(tmp_path):
    write_empty_log(tmp_path / "log", 1)
    assert run(tmp_path / "log").stdout == b""
    assert run(tmp_path / "log", "--verify").stdout.decode() == f"verify: OK, 0 events, head 0:{'0' * 64}\n"
    assert run(tmp_path / "log", "--verify", "--head", "1:" + "0" * 64).returncode == 1


def test_not_a_log(tmp_path):
    assert run(tmp_path / "missing").returncode == 2
    assert run(tmp_path).returncode == 2  # an empty directory
    env = lmdb.open(str(tmp_path / "other"), max_dbs=16)
    with env.begin(write=True) as txn:
        txn.put(b"format", b"smcc-log 3", db=env.open_db(b"meta", txn=txn))
        env.open_db(b"events", txn=txn)
    env.close()
    p = run(tmp_path / "other", "--verify")
    assert p.returncode == 2 and len(p.stderr.splitlines()) == 1 and b"format" in p.stderr
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "data.mdb").write_bytes(b"not lmdb" * 1000)
    p = run(tmp_path / "junk")
    assert p.returncode == 2 and len(p.stderr.splitlines()) == 1


def test_read_only_directory_falls_back_to_no_lock(master, monkeypatch, capsys):
    path, lines, _ = master
    real_open = lmdb.open

    def fake_open(*args, **kwargs):
        if kwargs.get("lock", True):
            raise lmdb.ReadonlyError("mdb_env_open: Permission denied")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(reader.lmdb, "open", fake_open)
    monkeypatch.setattr(reader.os, "access", lambda *a: False)
    assert reader.main([str(path), "--info"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["events"] == EVENTS and "warning" in err and len(err.splitlines()) == 1


# --- tampering -------------------------------------------------------------------------------

def test_modified_payload_byte(log):
    path, lines, hashes = log
    seq = 1500  # in a codec-2 chunk
    with Tamper(path) as t:
        records, dict_id, zdict, seed = t.chunk(chunk_key(seq))
        record = records[seq - chunk_key(seq)]
        payload, tag = record[2], record[1]
        assert link(hashes[seq - 1], seq, seed, record) == hashes[seq]
        for pos in sorted((i for i, b in enumerate(payload) if chr(b).isalpha()), reverse=True):  # a letter, from the end
            record[2] = payload[:pos] + bytes([payload[pos] ^ 0x20]) + payload[pos + 1:]
            if link(hashes[seq - 1], seq, seed, record)[0] != tag:
                break
        t.put("events", chunk_key(seq), sample.encode_chunk(records, dict_id, zdict, seed))
    assert failed_at(path)[0] == seq
    exported = run(path).stdout.splitlines(keepends=True)  # still decodes: only the chain notices
    assert exported[seq - 1] != lines[seq - 1] and exported[:seq - 1] + exported[seq:] == lines[:seq - 1] + lines[seq:]


def test_modified_time(log):
    path, _, hashes = log
    seq = 100
    with Tamper(path) as t:
        records, dict_id, zdict, seed = t.chunk(chunk_key(seq))
        record = records[seq - chunk_key(seq)]
        tag = record[1]
        assert link(hashes[seq - 1], seq, seed, record) == hashes[seq]
        while True:  # one millisecond later, or more until the tag breaks
            record[0] += 1
            if link(hashes[seq - 1], seq, seed, record)[0] != tag:
                break
        for r in records[seq - chunk_key(seq) + 1:]:
            r[0] = max(r[0], records[seq - chunk_key(seq)][0])
        t.put("events", chunk_key(seq), sample.encode_chunk(records, dict_id, zdict, seed))
    assert failed_at(path)[0] == seq


def test_deleted_chunk(log):
    path, _, _ = log
    with Tamper(path) as t:
        t.delete("events", 161)
    seq, line = failed_at(path)
    assert seq == 161 and "missing" in line
    p = run(path)
    assert p.returncode == 1 and p.stderr.startswith(b"smcc_read: seq 161: ")


def test_swapped_chunks(log):
    path, _, _ = log
    with Tamper(path) as t:
        a, b = t.get("events", 33), t.get("events", 49)
        t.put("events", 33, b)
        t.put("events", 49, a)
    assert failed_at(path)[0] == 33


def test_corrupt_frame(log):
    path, _, _ = log
    with Tamper(path) as t:
        v = bytearray(t.get("events", 2001))
        v[-3] ^= 0xFF  # in the checksum
        t.put("events", 2001, bytes(v))
    seq, line = failed_at(path)
    assert seq == 2001 and "chunk" in line
    p = run(path)
    assert p.returncode == 1 and p.stderr.startswith(b"smcc_read: seq 2001: ") and len(p.stderr.splitlines()) == 1


def test_invalid_payload_reported_at_its_seq(log):
    path, _, _ = log
    seq = 1234
    with Tamper(path) as t:
        records, dict_id, zdict, seed = t.chunk(chunk_key(seq))
        records[seq - chunk_key(seq)][2] = bytes([99]) + records[seq - chunk_key(seq)][2][1:]
        t.put("events", chunk_key(seq), sample.encode_chunk(records, dict_id, zdict, seed))
    seq_failed, line = failed_at(path)
    assert seq_failed == seq and "unknown kind code 99" in line
    p = run(path, "--from", 1230)
    assert p.returncode == 1 and p.stderr.startswith(b"smcc_read: seq 1234: ") and len(p.stdout.splitlines()) == 4


def test_checkpoint(log):
    path, _, _ = log
    with Tamper(path) as t:
        t.put("chain", 2048, bytes(32))
    assert failed_at(path)[0] == 2048


def test_head_hash(log):
    path, _, _ = log
    with Tamper(path) as t:
        head = bytearray(t.txn.get(b"head", db=t.db["meta"]))
        head[20] ^= 1
        t.txn.put(b"head", bytes(head), db=t.db["meta"])
    assert failed_at(path)[0] == EVENTS


def test_deleted_tail_caught_by_head(log):
    path, _, _ = log
    with Tamper(path) as t:
        t.delete("events", chunk_key(EVENTS))
    assert failed_at(path)[0] == chunk_key(EVENTS)


def test_truncated_tail_with_consistent_head(log):
    """Cut the log to 2990 records and rewrite everything consistently: only --head catches it."""
    path, _, hashes = log
    new_last = 2990
    with Tamper(path) as t:
        t.delete("events", chunk_key(EVENTS))
        for key, value in list(t.txn.cursor(db=t.db["time"])):
            if int.from_bytes(value, "big") == chunk_key(EVENTS):
                t.txn.delete(key, value, db=t.db["time"])
        records, dict_id, zdict, seed = t.chunk(chunk_key(new_last))
        records = records[:new_last - chunk_key(new_last) + 1]
        t.put("events", chunk_key(new_last), sample.encode_chunk(records, dict_id, zdict, seed))
        t.txn.put(b"head", new_last.to_bytes(8, "big") + hashes[new_last] + records[-1][0].to_bytes(8, "big"),
                  db=t.db["meta"])
        t.cut_indexes(new_last)
    p = run(path, "--verify")
    assert p.returncode == 0 and p.stdout.decode() == f"verify: OK, {new_last} events, head {new_last}:" \
                                                      f"{hashes[new_last].hex()}\n"
    assert failed_at(path, "--head", f"{EVENTS}:{hashes[EVENTS].hex()}")[0] == new_last + 1
    assert run(path, "--verify", "--head", f"2000:{hashes[2000].hex()}").returncode == 0
    assert failed_at(path, "--head", f"2000:{hashes[1999].hex()}")[0] == 2000


def test_index_block_moved_to_another_record_is_named(log):
    """ix:post lists a post under another record's seq (audit would show another post's event)."""
    path, _, _ = log
    with Tamper(path) as t:
        db = t.db["ix:post"]
        key, value = next((k, v) for k, v in t.txn.cursor(db=db) if not v)  # a post with one event
        first = int.from_bytes(key[-8:], "big")
        moved = first + 1
        t.txn.delete(key, db=db)
        t.txn.put(key[:-8] + moved.to_bytes(8, "big"), value, db=db)
    seq, line = failed_at(path)
    assert seq == first and "ix:post" in line


def test_index_entry_dropped_is_named(log):
    """One seq removed from an actor's posting list (audit would halve a volunteer's actions)."""
    path, _, _ = log
    with Tamper(path) as t:
        db = t.db["ix:actor"]
        key, value = next((k, v) for k, v in t.txn.cursor(db=db) if len(v) >= 3)
        seqs, r = [int.from_bytes(key[-8:], "big")], reader.Bytes(value)
        while r.left():
            seqs.append(seqs[-1] + r.varint())
        dropped = seqs[2]
        kept = seqs[:2] + seqs[3:]
        t.txn.put(key, b"".join(sample.varint(b - a) for a, b in zip(kept, kept[1:])), db=db)
    seq, line = failed_at(path)
    assert seq == dropped and "ix:actor" in line


def test_random_damage_never_tracebacks(log):
    path, _, _ = log
    rng = random.Random(7)
    with Tamper(path) as t:
        keys = [int.from_bytes(k, "big") for k, _ in t.txn.cursor(db=t.db["events"])]
        for key in rng.sample(keys, 40):
            v = bytearray(t.get("events", key))
            how = rng.randrange(4)
            if how == 0:
                v[rng.randrange(len(v))] ^= 1 << rng.randrange(8)
            elif how == 1:
                v = v[:rng.randrange(len(v))]
            elif how == 2:
                v[rng.randrange(min(4, len(v)))] = rng.randrange(256)
            else:
                v = bytearray(rng.randbytes(rng.randrange(40)))
            t.put("events", key, bytes(v))
    for args in ([], ["--verify"], ["--info"], ["--from", "1500"]):
        p = run(path, *args)
        assert p.returncode == 1, (args, p.stdout[-300:], p.stderr)
        assert len(p.stderr.splitlines()) <= 1


# --- payload decoding, directly ----------------------------------------------------------------

def payload(*parts):
    return b"".join(parts)


@pytest.mark.parametrize("data,needle", [
    (payload(b"\x63", sample.s_bytes("a")), "unknown kind code"),
    (payload(b"\x08", sample.s_bytes("a"), sample.s_bytes("p"), b"\x04"), "out of range"),  # outcome 4
    (payload(b"\x04", sample.s_bytes("a"), b"\x02", sample.s_bytes("p")), "does not define"),
    (payload(b"\x0c", sample.s_bytes("a"), b"\x02\xff\xfe"), "utf-8"),
    (payload(b"\x0c", sample.s_bytes("a"), sample.s_bytes("v"), b"\x00"), "left over"),
    (payload(b"\x0c", sample.s_bytes("a"), b"\x05ab"), "runs past"),
    (payload(b"\x0c", sample.s_bytes("a"), b"\xff" * 11), "varint"),
    (payload(b"\x0c", sample.s_bytes("a"), b"\xff" * 9 + b"\x02"), "64 bits"),
    (b"", "runs past"),
    # postReceived with only repostCount (flag bit 4) set to 2^63: above a count's range.
    (payload(b"\x01", sample.s_bytes("a"), b"\x10", sample.s_bytes("twitter:1"), b"\x00", sample.s_bytes("u"), sample.s_bytes(""),
             b"\x00\x00\x00", sample.varint(1 << 63)), "count"),
    (payload(b"\x01", sample.s_bytes("a"), b"\x80\x01"), "does not define"),  # postReceived flag bit 7
    (payload(b"\x12", sample.s_bytes("a"), b"\x02"), "does not define"),  # eventDescribed flag bit 1
])
def test_decoder_refuses(data, needle):
    with pytest.raises(ValueError, match=f"(?i){needle}"):
        reader.decode_payload(data, 1, 0)


def test_every_kind_round_trips():
    rng = random.Random(3)
    for _ in range(2000):
        at = rng.randint(0, 10 ** 13)
        kind, actor, fields = sample.random_event(rng, at)
        data, shown = sample.encode_event(kind, actor, fields, at)
        assert reader.decode_payload(data, 7, at) == {"seq": 7, "at": sample.iso(at), "actor": actor, "kind": kind,
                                                      **shown}


def test_times():
    assert reader.format_time(1435032589000) == "2015-06-23T04:09:49.000Z"
    assert reader.format_time(-1) == "1969-12-31T23:59:59.999Z"
    assert reader.format_time(0) == "1970-01-01T00:00:00.000Z"
    assert reader.format_time(253402300799999) == "9999-12-31T23:59:59.999Z"
    assert reader.format_time(-62135596800000) == "0001-01-01T00:00:00.000Z"
    for bad in (253402300800000, -62135596800001):
        with pytest.raises(ValueError):
            reader.format_time(bad)
    assert reader.zigzag_decode(0) == 0 and reader.zigzag_decode(1) == -1 and reader.zigzag_decode(2) == 1
    assert reader.zigzag_decode((1 << 64) - 1) == -(1 << 63)


def spec_escape(text):
    """§7 escaping, written out from the spec's sentence."""
    short = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    return '"' + "".join(short.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in text) + '"'


def test_json_escaping_matches_section_7():
    edge = "".join(map(chr, range(0x80))) + "\u2028\u2029\ufeff\ud7ff\ue000\uffff😀é/</script>"
    assert json.dumps(edge, ensure_ascii=False, separators=(",", ":")) == spec_escape(edge)
    line = reader.to_json_line({"seq": 1, "at": "x", "actor": edge, "kind": "k", "tags": [edge, ""]})
    assert line == ('{"seq":1,"at":"x","actor":' + spec_escape(edge) + ',"kind":"k","tags":['
                    + spec_escape(edge) + ',""]}\n').encode("utf-8")
