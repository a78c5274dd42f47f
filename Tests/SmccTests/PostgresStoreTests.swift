import Foundation
import StoreTestSupport
import Testing

/// The command line on a log in PostgreSQL: the same log as on LMDB (copied either way with the
/// same head), checked, erased and read by the independent reader the same way. Needs the test
/// server (`SMCC_TEST_POSTGRES`).
@Suite(.enabled(if: TestStore.postgresURL != nil, "\(TestStore.postgresMissing)"))
struct PostgresStoreTests {
    /// Runs `sql` on the test server (psycopg), each `%s` taking one of `parameters` as bytes.
    func sql(_ sql: String, _ parameters: [String] = [], in scratch: Scratch) throws -> RunResult {
        let script = """
            import sys, psycopg
            with psycopg.connect(sys.argv[1], autocommit=True) as conn:
                conn.execute(sys.argv[2], [bytes.fromhex(p) for p in sys.argv[3:]])
            """
        return try runPython(["-c", script, TestStore.postgresURL!, sql] + parameters, in: scratch)
    }

    /// Every value of every table of the log's schema, one file per table under `directory`:
    /// what the erasure test searches for her bytes, as it searches an LMDB log's files.
    func dumpTables(of schema: String, into directory: String, in scratch: Scratch) throws {
        let script = """
            import os, sys, psycopg
            with psycopg.connect(sys.argv[1]) as conn:
                tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (sys.argv[2],))]
                os.makedirs(sys.argv[3], exist_ok=True)
                for table in tables:
                    with open(os.path.join(sys.argv[3], table.replace(":", "_")), "wb") as out:
                        for row in conn.execute(f'SELECT * FROM "{sys.argv[2]}"."{table}"'):
                            for value in row:
                                out.write(bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode())
            """
        let result = try runPython(["-c", script, TestStore.postgresURL!, schema, directory], in: scratch)
        try #require(result.exited(0), "\(result)")
    }

    func schema(of log: String) -> String { String(log.split(separator: "=").last ?? "") }

    @Test func aLogCopiedToPostgreSQLAndBackIsTheSameLog() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let original = scratch.child("original")
        // Over 32,768 events, so that the log holds projection snapshots to copy.
        let simulated = try runSmcc(["simulate", original, "--seed", "5", "--posts", "9000", "--days", "1"], in: scratch)
        try #require(simulated.exited(0), "\(simulated)")
        let head = try #require(try info(original, in: scratch).head)
        // Snapshots too: a copy keeps the log's id, so its snapshots' MACs still hold.
        #expect(try runSmcc(["stats", original, "--json"], in: scratch).exited(0))
        let inPostgres = scratch.log("copied", on: .postgres)
        let copied = try runSmcc(["copy", original, inPostgres, "--json"], in: scratch)
        #expect(copied.exited(0), "\(copied)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: copied.stdoutData) as? [String: Any])
        #expect(outcome["head"] as? String == head, "\(outcome)")
        let back = scratch.child("back")
        #expect(try runSmcc(["copy", inPostgres, back], in: scratch).exited(0))
        for log in [inPostgres, back] {
            let verified = try runSmcc(["verify", log, "--head", head], in: scratch)
            #expect(verified.exited(0) && !verified.stdout.contains(" 0 projection snapshots"), "\(log): \(verified)")
        }
        let exported = try export(original, in: scratch)
        #expect(try export(inPostgres, in: scratch) == exported)
        #expect(try export(back, in: scratch) == exported)
        let stats = try runSmcc(["stats", original, "--json"], in: scratch).stdout
        #expect(try runSmcc(["stats", inPostgres, "--json"], in: scratch).stdout == stats)
        #expect(try info(inPostgres, in: scratch).raw["logId"] as? String == (try info(original, in: scratch).raw["logId"] as? String))

        // A copy onto a log refuses, and leaves both as they were.
        let onto = try runSmcc(["copy", back, inPostgres], in: scratch)
        #expect(onto.exited(2) && onto.stderr.contains("already holds a log"), "\(onto)")
        #expect(try export(inPostgres, in: scratch) == exported)
        try DeskCommandTests().validate(copied.stdout, schema: "copy", in: scratch)
    }

    @Test func verifyNamesATamperedChunkInPostgreSQL() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = scratch.log("tampered", on: .postgres)
        let simulated = try runSmcc(["simulate", log, "--seed", "9", "--posts", "300", "--days", "1"], in: scratch)
        try #require(simulated.exited(0), "\(simulated)")
        #expect(try runSmcc(["verify", log], in: scratch).exited(0))
        // The chunk of seq 33-48 (key BE64(33)): flip a byte of its zstd frame.
        let flipped = try sql("UPDATE \"\(schema(of: log))\".events SET value = set_byte(value, length(value) - 6, get_byte(value, length(value) - 6) # 1) WHERE key = %s",
                              ["0000000000000021"], in: scratch)
        try #require(flipped.exited(0), "\(flipped)")
        let verified = try runSmcc(["verify", log], in: scratch)
        #expect(verified.exited(1) && verified.stdout.contains("FAILED at seq 33"), "\(verified)")
        let read = try runPython([Paths.reader, log, "--verify"], in: scratch)
        #expect(read.exited(1) && read.stdout.contains("FAILED at seq 33"), "\(read)")
    }

    @Test func anErasureInPostgreSQLKeepsTheProofAndLeavesNoByteOfHers() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        let person = try ErasureTests.personLog(in: scratch, at: scratch.log("erasure", on: .postgres))
        let log = person.path
        let headBefore = try #require(try info(log, in: scratch).head)
        var kept = try String(contentsOfFile: scratch.child("log.ndjson"), encoding: .utf8)
        for text in person.hers { kept = kept.replacingOccurrences(of: text, with: "") }
        try dumpTables(of: schema(of: log), into: scratch.child("before"), in: scratch)
        let before = try ErasureTests.piecesOnDisk(of: person.hers, keeping: kept, under: scratch.child("before"), in: scratch)
        #expect(before.count == person.hers.count, "\(before.count) of \(person.hers.count) texts found in the tables before the erasure: the check below proves nothing")

        let erased = try runSmcc(["erase", log, "--author", "@Zoe_Erasable", "--with-mentions", "--json"], in: scratch)
        #expect(erased.exited(0), "\(erased)")
        #expect(try runSmcc(["verify", log, "--head", headBefore], in: scratch).exited(0))
        let pythonVerify = try runPython([Paths.reader, log, "--verify", "--head", headBefore], in: scratch)
        #expect(pythonVerify.exited(0), "\(pythonVerify)")
        try dumpTables(of: schema(of: log), into: scratch.child("after"), in: scratch)
        let after = try ErasureTests.piecesOnDisk(of: person.hers, keeping: kept, under: scratch.child("after"), in: scratch)
        #expect(after.isEmpty, "pieces still in the tables after the erasure: \(after)")
        #expect(try ErasureTests.filesHolding(ErasureTests.handle, under: scratch.child("after")).isEmpty, "the handle is still in a table")
        let exported = String(decoding: try export(log, in: scratch), as: UTF8.self)
        let read = try runPython([Paths.reader, log], in: scratch)
        #expect(read.exited(0) && read.stdout == exported, "smcc_read.py and smcc export differ after the erasure")
        // No rewrite schema is left behind.
        let leftovers = try runPython(["-c", """
            import sys, psycopg
            with psycopg.connect(sys.argv[1]) as conn:
                print(conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE %s", (sys.argv[2] + '_rw_%',)).fetchone()[0])
            """, TestStore.postgresURL!, schema(of: log)], in: scratch)
        #expect(leftovers.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(leftovers)")
    }
}
