"""Tools/smcc_read.py on a log in PostgreSQL (Schemas/log-format.md §12), held to the same log in
LMDB: the sample log of make_sample_log.py is copied into a fresh schema by a loader written from
§12 alone, and the reader must answer the same on both, damaged or not.

Needs SMCC_TEST_POSTGRES (Tools/test.sh sets it from Tools/pg.sh); without it these tests skip,
except those of URLs that reach no server. Every schema made here is dropped at the end."""
import io
import random
import secrets
import shutil
import sys
from pathlib import Path

import lmdb
import psycopg
import pytest
from psycopg import sql

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
import make_sample_log as sample  # noqa: E402
import smcc_read as reader  # noqa: E402
from test_smcc_read import EVENTS, Tamper, chunk_key, run, write_empty_log  # noqa: E402


def be64(x):
    return x.to_bytes(8, "big")


def copy_to_postgres(conn, lmdb_path, schema):
    """§12 to the letter: the schema gets one table per LMDB database of the log, named as it is,
    holding its keys and values byte for byte; `time` (duplicate-sorted) keyed by (key, value)."""
    env = lmdb.open(str(lmdb_path), readonly=True, max_dbs=16, lock=False, subdir=True)
    try:
        with env.begin(buffers=False) as txn, conn.transaction():
            names = [key.decode() for key, _ in txn.cursor()]  # LMDB's main database lists the named ones
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            for name in names:
                table, dup = sql.Identifier(schema, name), name == "time"
                columns = "key bytea NOT NULL, value bytea NOT NULL, PRIMARY KEY (key, value)" if dup \
                    else "key bytea PRIMARY KEY, value bytea NOT NULL"
                conn.execute(sql.SQL(f"CREATE TABLE {{}} ({columns})").format(table))
                db = env.open_db(name.encode(), txn=txn, create=False, dupsort=dup, dupfixed=dup)
                with conn.cursor().copy(sql.SQL("COPY {} (key, value) FROM STDIN (FORMAT BINARY)").format(table)) as copy:
                    copy.set_types(["bytea", "bytea"])
                    for row in txn.cursor(db=db):
                        copy.write_row(row)
    finally:
        env.close()


class Postgres:
    """Logs copied into fresh schemas of the test database, each dropped by close()."""

    def __init__(self, base):
        self.base, self.schemas = base, []
        self.conn = psycopg.connect(base, autocommit=True)
        # A reader left open (a failed test keeps its frame) holds its tables: fail, never hang.
        self.conn.execute("SET lock_timeout = '20s'")

    def url(self, schema):
        return f"{self.base}?log={schema}"

    def new_schema(self):
        self.schemas.append(f"smcc_read_{secrets.token_hex(6)}")
        return self.schemas[-1]

    def load(self, lmdb_path):
        schema = self.new_schema()
        copy_to_postgres(self.conn, lmdb_path, schema)
        return schema

    def put(self, schema, table, key, value):
        self.conn.execute(sql.SQL("INSERT INTO {} (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = "
                                  "excluded.value").format(sql.Identifier(schema, table)), [key, value])

    def delete(self, schema, table, key):
        deleted = self.conn.execute(sql.SQL("DELETE FROM {} WHERE key = %s").format(sql.Identifier(schema, table)), [key])
        assert deleted.rowcount == 1

    def close(self):
        for schema in self.schemas:
            self.conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        self.conn.close()


@pytest.fixture(scope="module")
def pg(postgres_base):
    p = Postgres(postgres_base)
    yield p
    p.close()


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    path = tmp_path_factory.mktemp("master") / "log"
    lines, writer = sample.write_sample_log(str(path), EVENTS, seed=1)
    return path, lines, writer.hashes


@pytest.fixture(scope="module")
def both(master, pg):
    """The sample log in LMDB and its copy in PostgreSQL, not to be changed."""
    path, lines, hashes = master
    return path, pg.url(pg.load(path)), lines, hashes


def same(path, url, *args):
    """Runs the reader on both logs; both must answer alike (exit status, stdout, stderr)."""
    a, b = run(path, *args), run(url, *args)
    assert (b.returncode, b.stdout, b.stderr) == (a.returncode, a.stdout, a.stderr), args
    return a


# --- the same answers -------------------------------------------------------------------------

def test_export_is_the_same(both):
    path, url, lines, _ = both
    assert same(path, url).stdout == b"".join(lines)
    for lo, hi in ((1, 1), (5, 40), (16, 17), (17, 33), (1024, 2049), (2990, 5000), (4000, 5000), (30, 20)):
        assert same(path, url, "--from", lo, "--to", hi).stdout == b"".join(lines[lo - 1:hi])


def test_verify_is_the_same(both):
    path, url, _, hashes = both
    assert same(path, url, "--verify").stdout.decode() == f"verify: OK, {EVENTS} events, head {EVENTS}:{hashes[EVENTS].hex()}\n"
    for seq in (0, 1, 1024, 1500, EVENTS):
        assert same(path, url, "--verify", "--head", f"{seq}:{hashes[seq].hex()}").returncode == 0
    assert same(path, url, "--verify", "--head", f"2000:{hashes[1999].hex()}").stdout.startswith(b"verify: FAILED at seq 2000: ")
    assert same(path, url, "--verify", "--head", f"{EVENTS + 1}:{hashes[EVENTS].hex()}").returncode == 1


def test_info_is_the_same(both):
    path, url, _, hashes = both
    info = same(path, url, "--info").stdout
    assert f'"head":"{EVENTS}:{hashes[EVENTS].hex()}"'.encode() in info and b'"dictionaries":[1,2]' in info
    assert run(url.replace("postgresql://", "postgres://", 1), "--info").stdout == info


def test_empty_log_is_the_same(pg, tmp_path):
    write_empty_log(tmp_path / "log", 2)
    url = pg.url(pg.load(tmp_path / "log"))
    assert same(tmp_path / "log", url, "--verify").stdout.decode() == f"verify: OK, 0 events, head 0:{'0' * 64}\n"
    assert same(tmp_path / "log", url).stdout == b""
    assert same(tmp_path / "log", url, "--info").returncode == 0


def test_key_order_is_lmdbs(pg, tmp_path):
    """§12: bytea orders keys as LMDB does (bytewise, a prefix first), and values under one key of
    `time`; both sources iterate from any key alike."""
    rng = random.Random(5)
    keys = {b"\x00", b"\x00\x00", b"\x7f", b"\x80", b"\xff", b"\xff\x00", b"a", b"ab", b"b"}
    keys |= {rng.randbytes(rng.randint(1, 12)) for _ in range(300)}
    env = lmdb.open(str(tmp_path / "log"), max_dbs=16)
    with env.begin(write=True) as txn:
        idem, time = env.open_db(b"idem", txn=txn), env.open_db(b"time", txn=txn, dupsort=True, dupfixed=True)
        for key in keys:
            txn.put(key, rng.randbytes(rng.randint(0, 20)), db=idem)
        for _ in range(200):
            txn.put(be64(rng.randrange(20)), be64(rng.randrange(1 << 64)), db=time, dupdata=True)
    env.close()
    on_pg = reader.open_source(pg.url(pg.load(tmp_path / "log")))  # py-lmdb opens an environment once a process
    on_lmdb = reader.LmdbSource(str(tmp_path / "log"))
    try:
        assert on_pg.names() == on_lmdb.names() == {"idem", "time"}
        for name in ("idem", "time"):
            whole = list(on_lmdb.items(name))
            assert whole == sorted(whole) and len(whole) == (len(keys) if name == "idem" else len(set(whole)))
            for start in [b""] + sorted(keys)[::37] + [be64(7), b"\xff\xff"]:
                assert list(on_pg.items(name, start)) == list(on_lmdb.items(name, start)), (name, start)
        assert on_pg.get("idem", b"ab") == on_lmdb.get("idem", b"ab") is not None
        assert on_pg.get("idem", b"no such key") is None and on_pg.get("events", be64(1)) is None
    finally:
        on_pg.close()
        on_lmdb.close()


# --- damage is named alike --------------------------------------------------------------------
# Each returns the changes it makes, [(database, key, value or None to delete)], and the seq
# --verify must name; the same changes are made to the log in LMDB and to its copy in PostgreSQL.

def payload_letter(t):
    seq = 1500  # in a codec-2 chunk
    records, dict_id, zdict, seed = t.chunk(chunk_key(seq))
    payload = records[seq - chunk_key(seq)][2]
    pos = max(i for i, b in enumerate(payload) if chr(b).isalpha())
    records[seq - chunk_key(seq)][2] = payload[:pos] + bytes([payload[pos] ^ 0x20]) + payload[pos + 1:]
    return [("events", be64(chunk_key(seq)), sample.encode_chunk(records, dict_id, zdict, seed))], seq


def frame_checksum(t):
    value = bytearray(t.get("events", 2001))
    value[-3] ^= 0xFF
    return [("events", be64(2001), bytes(value))], 2001


def chunk_deleted(t):
    return [("events", be64(161), None)], 161


def chunks_swapped(t):
    return [("events", be64(33), t.get("events", 49)), ("events", be64(49), t.get("events", 33))], 33


def checkpoint_zeroed(t):
    return [("chain", be64(2048), bytes(32))], 2048


def actor_entry_dropped(t):
    key, value = next((k, v) for k, v in t.txn.cursor(db=t.db["ix:actor"]) if len(v) >= 3)
    seqs, r = [int.from_bytes(key[-8:], "big")], reader.Bytes(value)
    while r.left():
        seqs.append(seqs[-1] + r.varint())
    kept = seqs[:2] + seqs[3:]
    return [("ix:actor", key, b"".join(sample.varint(b - a) for a, b in zip(kept, kept[1:])))], seqs[2]


@pytest.mark.parametrize("tamper", [payload_letter, frame_checksum, chunk_deleted, chunks_swapped, checkpoint_zeroed,
                                    actor_entry_dropped], ids=lambda f: f.__name__)
def test_damage_is_named_as_in_lmdb(master, pg, tmp_path, tamper):
    path = tmp_path / "log"
    shutil.copytree(master[0], path)
    schema = pg.load(path)
    with Tamper(path) as t:
        changes, seq = tamper(t)
        for db, key, value in changes:
            assert t.txn.delete(key, db=t.db[db]) if value is None else t.txn.put(key, value, db=t.db[db])
    for db, key, value in changes:
        pg.delete(schema, db, key) if value is None else pg.put(schema, db, key, value)
    url = pg.url(schema)
    verify = same(path, url, "--verify")
    assert verify.returncode == 1 and verify.stdout.decode().startswith(f"verify: FAILED at seq {seq}: "), verify.stdout
    for args in ([], ["--info"], ["--from", "1490", "--to", "1510"]):
        same(path, url, *args)


# --- one committed state, and errors ----------------------------------------------------------

def test_reads_one_committed_state(master, pg):
    """A writer commits while the reader reads: the reader still sees the state it started on, and
    cannot write."""
    path, lines, hashes = master
    schema = pg.load(path)
    log = reader.Log(reader.open_source(pg.url(schema)))
    try:
        pg.delete(schema, "events", be64(161))
        pg.put(schema, "meta", b"head", bytes(48))
        out = io.BytesIO()
        reader.export(log, 1, reader.U64, out)
        assert out.getvalue() == b"".join(lines)
        assert reader.verify(log, None) == (EVENTS, EVENTS, hashes[EVENTS])
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            log.source.conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(schema, "events")))
    finally:
        log.source.close()
    assert run(pg.url(schema), "--verify").stdout.startswith(b"verify: FAILED at seq 161: ")  # a new reader sees it


def test_missing_log_is_one_line(pg):
    absent = pg.url(f"smcc_read_absent_{secrets.token_hex(4)}")
    p = run(absent, "--verify")
    assert p.returncode == 2 and p.stdout == b"" and len(p.stderr.splitlines()) == 1 and b"no log" in p.stderr
    empty = pg.new_schema()
    pg.conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(empty)))
    p = run(pg.url(empty))
    assert p.returncode == 2 and len(p.stderr.splitlines()) == 1 and b"not an smcc log" in p.stderr


@pytest.mark.parametrize("url,needle", [
    ("postgresql://u:secret@127.0.0.1:1/db?log=x", "cannot connect"),  # nothing listens on port 1
    ("postgres://u:secret@127.0.0.1:1/db", "cannot connect"),
    ("postgresql://u:secret@127.0.0.1:1/db?log=x&sslmode=disable", "'sslmode' is not accepted"),
    ("postgresql://u:secret@127.0.0.1:1/db?log=Bad-Name", "log name 'Bad-Name'"),
    ("postgresql://u:secret@127.0.0.1:1/db?log=" + "a" * 64, "log name"),
    ("postgresql://u:secret@127.0.0.1:1/db?log=pg_catalog", "log name 'pg_catalog'"),
    ("postgresql://u:secret@127.0.0.1:1/db?log=a&log=b", "log= given 2 times"),
    ("postgresql://u:secret@127.0.0.1:1/?log=a", "no database"),
])
def test_bad_url_is_one_line(url, needle):
    p = run(url, "--verify")
    assert p.returncode == 2 and p.stdout == b"" and len(p.stderr.splitlines()) == 1, p.stderr
    assert needle.encode() in p.stderr and b"secret" not in p.stderr, p.stderr


def test_url_parts():
    assert reader.parse_postgres_url("postgresql://u:p@h:5/db") == ("postgresql://u:p@h:5/db", "smcc",
                                                                     "postgresql://u@h:5/db?log=smcc")
    assert reader.parse_postgres_url("postgres://u@h/db?log=_a9") == ("postgres://u@h/db", "_a9", "postgres://u@h/db?log=_a9")
