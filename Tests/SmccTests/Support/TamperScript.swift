/// A Python script that changes a log behind smcc's back, written from `Schemas/log-format.md`
/// §1–§4 alone with the `lmdb` and `zstandard` packages. The tests write it to their temporary
/// directory and run it with python3.
///
///     tamper.py LOG chunks                 print the chunk keys, one per line
///     tamper.py LOG modify SEQ             change one byte of one payload (chosen so the record's
///                                          own tag no longer matches), recompress, put back
///     tamper.py LOG delete KEY             delete the chunk keyed KEY
///     tamper.py LOG swap KEY1 KEY2         swap the values of two chunks
///     tamper.py LOG truncate LAST          delete every chunk after record LAST (a chunk boundary),
///                                          their time index, checkpoints, idem and ix entries, and
///                                          rewrite meta/head to H(LAST): a consistent truncation
///     tamper.py LOG garbage KEY MODE       damage the chunk keyed KEY: MODE is `frame` (bytes in the
///                                          middle of the zstd frame), `random` (the whole value) or
///                                          `cut` (the value cut in half)
///     tamper.py LOG ixcopy INDEX           give the first single-block key of ix:INDEX the block of
///                                          the next such key (another post's events, say)
///     tamper.py LOG ixdrop INDEX KEY       drop every other seq of the first block of KEY (UTF-8)
///     tamper.py LOG ixpoint INDEX KEY FROM make KEY's blocks list FROM's seqs (both UTF-8)
///     tamper.py LOG timeshift KEY          move the `time` entry of the chunk keyed KEY to the
///                                          time of the chunk ten chunks later
///
/// It prints one JSON object describing what it did.
let tamperScript = #"""
import hashlib, json, random, sys
import lmdb, zstandard

def varint(x):
    out = bytearray()
    while True:
        if x < 0x80:
            out.append(x); return bytes(out)
        out.append((x & 0x7F) | 0x80); x >>= 7

class R:
    def __init__(self, b): self.b, self.p = b, 0
    def byte(self):
        self.p += 1; return self.b[self.p - 1]
    def varint(self):
        v, s = 0, 0
        while True:
            b = self.byte(); v |= (b & 0x7F) << s; s += 7
            if not b & 0x80: return v
    def take(self, n):
        self.p += n; return self.b[self.p - n:self.p]
    def rest(self): return self.b[self.p:]

be64 = lambda x: x.to_bytes(8, "big")
path, command, args = sys.argv[1], sys.argv[2], [int(a) if a.isdigit() else a for a in sys.argv[3:]]
env = lmdb.open(path, max_dbs=16, subdir=True)
INDEXES = ("ix:post", "ix:actor", "ix:volunteer", "ix:role")
dbs = {n: env.open_db(n.encode(), create=False, dupsort=n == "time", dupfixed=n == "time")
       for n in ("meta", "events", "dicts", "chain", "idem", "time") + INDEXES}
txn = env.begin(write=True)

def zdict(dict_id):
    if dict_id is None: return None
    return zstandard.ZstdCompressionDict(txn.get(dict_id.to_bytes(4, "big"), db=dbs["dicts"]), dict_type=zstandard.DICT_TYPE_FULLDICT)

def decode(value):
    r = R(value)
    assert r.byte() == 1
    codec = r.byte()
    dict_id = r.varint() if codec == 2 else None
    length = r.varint()
    body = zstandard.ZstdDecompressor(dict_data=zdict(dict_id), format=zstandard.FORMAT_ZSTD1_MAGICLESS) \
        .decompress(r.rest(), max_output_size=length)
    assert len(body) == length
    b = R(body)
    n = b.varint()
    times = [b.varint()]
    for _ in range(n - 1): times.append(times[-1] + b.varint())
    lengths = [b.varint() for _ in range(n)]
    tags = b.take(n)
    payloads = [bytes(b.take(l)) for l in lengths]
    assert not b.rest()
    return dict_id, [[t, tag, p] for t, tag, p in zip(times, tags, payloads)]

def encode(dict_id, records):
    times = [t for t, _, _ in records]
    body = varint(len(records)) + varint(times[0]) + b"".join(varint(b - a) for a, b in zip(times, times[1:]))
    body += b"".join(varint(len(p)) for _, _, p in records) + bytes(tag for _, tag, _ in records)
    body += b"".join(p for _, _, p in records)
    params = zstandard.ZstdCompressionParameters(format=zstandard.FORMAT_ZSTD1_MAGICLESS, write_checksum=1,
                                                 write_content_size=0, write_dict_id=0, compression_level=3)
    frame = zstandard.ZstdCompressor(dict_data=zdict(dict_id), compression_params=params).compress(body)
    head = bytes([1, 1]) if dict_id is None else bytes([1, 2]) + varint(dict_id)
    return head + varint(len(body)) + frame

def blocks(index):
    """ix:INDEX as [(key bytes, first seq, [seqs])] in stored order (log-format.md §1)."""
    out = []
    for k, v in txn.cursor(db=dbs[index]).iternext():
        seqs, r = [int.from_bytes(k[-8:], "big")], R(bytes(v))
        while r.p < len(r.b): seqs.append(seqs[-1] + r.varint())
        out.append((bytes(k[1:-8]), seqs[0], seqs))
    return out

def put_list(index, key, seqs):
    """Replaces every block of `key` by blocks of 128 holding `seqs`."""
    for k, first, _ in blocks(index):
        if k == key: txn.delete(bytes([len(k)]) + k + be64(first), db=dbs[index])
    for i in range(0, len(seqs), 128):
        b = seqs[i:i + 128]
        txn.put(bytes([len(key)]) + key + be64(b[0]), b"".join(varint(y - x) for x, y in zip(b, b[1:])), db=dbs[index])

def chunks():
    return [(int.from_bytes(k, "big"), bytes(v)) for k, v in txn.cursor(db=dbs["events"]).iternext()]

def chain_until(last):
    """H(s) for s = 1 ... last, and the time of record last."""
    h, t_last = bytes(32), None
    for key, value in chunks():
        _, records = decode(value)
        for i, (t, _, p) in enumerate(records):
            s = key + i
            if s > last: return h, t_last
            h = hashlib.sha256(h + be64(s) + be64(t) + p).digest(); t_last = t
    return h, t_last

out = {"command": command}
if command == "chunks":
    out["keys"] = [k for k, _ in chunks()]
elif command == "modify":
    seq = args[0]
    key = max(k for k, _ in chunks() if k <= seq)
    dict_id, records = decode(txn.get(be64(key), db=dbs["events"]))
    before, _ = chain_until(seq - 1)
    t, tag, payload = records[seq - key]
    # The first lowercase ASCII letter, from the end, whose change (to the next letter) makes the
    # record's own tag differ: deterministic for a given log.
    for pos in range(len(payload) - 1, -1, -1):
        if not 0x61 <= payload[pos] < 0x7A: continue
        changed = bytearray(payload); changed[pos] += 1
        if hashlib.sha256(before + be64(seq) + be64(t) + bytes(changed)).digest()[0] != tag:
            break
    else:
        sys.exit("no byte of this payload can be changed so that its tag breaks")
    records[seq - key][2] = bytes(changed)
    txn.put(be64(key), encode(dict_id, records), db=dbs["events"])
    out.update(seq=seq, chunk=key, position=pos, dictionary=dict_id,
               old=chr(payload[pos]), new=chr(changed[pos]))
elif command == "delete":
    assert txn.delete(be64(args[0]), db=dbs["events"])
    out["chunk"] = args[0]
elif command == "swap":
    a, b = (txn.get(be64(k), db=dbs["events"]) for k in args[:2])
    assert a is not None and b is not None
    txn.put(be64(args[0]), b, db=dbs["events"]); txn.put(be64(args[1]), a, db=dbs["events"])
    out["chunks"] = args[:2]
elif command == "truncate":
    last = args[0]
    h, t = chain_until(last)
    deleted = [k for k, _ in chunks() if k > last]
    assert deleted and min(deleted) == last + 1, "LAST must end a chunk"
    for k in deleted: txn.delete(be64(k), db=dbs["events"])
    cur = txn.cursor(db=dbs["time"])
    removed_time = 0
    for key, value in list(cur.iternext()):
        if int.from_bytes(value, "big") > last:
            assert txn.delete(key, value, db=dbs["time"]); removed_time += 1
    for key, _ in list(txn.cursor(db=dbs["chain"]).iternext()):
        if int.from_bytes(key, "big") > last: txn.delete(key, db=dbs["chain"])
    for key, value in list(txn.cursor(db=dbs["idem"]).iternext()):
        if int.from_bytes(value, "big") > last: txn.delete(key, db=dbs["idem"])
    for name in INDEXES:
        lists = {}
        for k, _, seqs in blocks(name): lists.setdefault(k, []).extend(seqs)
        for k, seqs in lists.items(): put_list(name, k, [x for x in seqs if x <= last])
    txn.put(b"head", be64(last) + h + be64(t), db=dbs["meta"])
    out.update(last=last, head=f"{last}:{h.hex()}", deletedChunks=len(deleted), deletedTimeEntries=removed_time)
elif command == "garbage":
    key, mode = args[0], args[1]
    value = bytearray(txn.get(be64(key), db=dbs["events"]))
    rng = random.Random(key)
    if mode == "frame":
        header = 2 + (1 if value[1] == 2 else 0) + 3  # format, codec, a small dict id, bodyLength
        for i in range(header + 4, min(len(value), header + 20)): value[i] = rng.randrange(256)
    elif mode == "random":
        value = bytearray(rng.randrange(256) for _ in range(len(value)))
    elif mode == "cut":
        value = value[: len(value) // 2]
    else:
        sys.exit("unknown garbage mode " + mode)
    txn.put(be64(key), bytes(value), db=dbs["events"])
    out.update(chunk=key, mode=mode)
elif command == "ixcopy":
    index = "ix:" + args[0]
    single = {}
    for k, first, seqs in blocks(index): single.setdefault(k, []).append(seqs)
    keys = [k for k, lists in single.items() if len(lists) == 1]
    victim, source = keys[0], keys[1]
    put_list(index, victim, single[source][0])
    out.update(victim=victim.hex(), victimSeqs=single[victim][0], sourceSeqs=single[source][0])
    if index == "ix:post" and victim[0] & 0x80:
        channels = ["twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"]
        out["victimPost"] = f"{channels[victim[0] & 0x7F]}:{int.from_bytes(victim[1:], 'big')}"
elif command == "ixdrop":
    index, key = "ix:" + args[0], str(args[1]).encode()
    seqs = [s for k, _, b in blocks(index) if k == key for s in b]
    kept, dropped = seqs[::2], seqs[1::2]
    put_list(index, key, kept)
    out.update(dropped=dropped, kept=len(kept))
elif command == "ixpoint":
    index, key, source = "ix:" + args[0], str(args[1]).encode(), str(args[2]).encode()
    seqs = [s for k, _, b in blocks(index) if k == source for s in b]
    old = [s for k, _, b in blocks(index) if k == key for s in b]
    put_list(index, key, seqs)
    out.update(seqs=seqs, old=old)
elif command == "timeshift":
    key = args[0]
    entries = [(int.from_bytes(k, "big"), int.from_bytes(v, "big")) for k, v in txn.cursor(db=dbs["time"]).iternext()]
    time = next(t for t, s in entries if s == key)
    later = next(t for t, s in entries if s == key + 160)
    assert txn.delete(be64(time), be64(key), db=dbs["time"])
    txn.put(be64(later), be64(key), db=dbs["time"], dupdata=True)
    out.update(chunk=key, time=time, movedTo=later)
else:
    sys.exit("unknown command " + command)
txn.commit()
env.close()
print(json.dumps(out))
"""#

/// Validates every line of an NDJSON file against `Schemas/events/event.schema.json` with the
/// real `jsonschema` Draft 2020-12 validator: `validate.py SCHEMAS FILE`. Prints `ok N`, or the
/// first invalid lines and exits 1.
let validateScript = #"""
import json, pathlib, sys
import jsonschema, referencing
schemas = pathlib.Path(sys.argv[1])
resources = []
for path in schemas.glob("*.schema.json"):
    schema = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
registry = referencing.Registry().with_resources(resources)
validator = jsonschema.Draft202012Validator(json.loads((schemas / "event.schema.json").read_text()), registry=registry)
bad, n = 0, 0
with open(sys.argv[2], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        errors = list(validator.iter_errors(json.loads(line)))
        if errors:
            bad += 1
            if bad <= 5: print(f"line {n}: {errors[0].message}")
if n == 0:
    sys.exit("no lines to validate")
if bad:
    print(f"{bad} of {n} lines are invalid"); sys.exit(1)
print(f"ok {n}")
"""#
