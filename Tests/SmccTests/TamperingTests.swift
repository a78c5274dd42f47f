import Foundation
import Testing

/// A log changed behind smcc's back (with Python `lmdb` and `zstandard`, from log-format.md alone):
/// `smcc verify` exits 1 naming the first bad sequence number, and the Python reader agrees.
struct TamperingTests {
    static let count = 5_000

    /// A 5,000-event log in a fresh directory, with the tamper script next to it.
    struct Fixture {
        var scratch: Scratch
        var built: BuiltLog
        var script: String
        var head: String

        /// Runs the tamper script; it must succeed. Returns what it printed.
        @discardableResult
        func tamper(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let result = try runPython([script, built.path] + arguments, in: scratch)
            try #require(result.exited(0), "tamper.py \(arguments) failed: \(result)", sourceLocation: sourceLocation)
            let object = try JSONSerialization.jsonObject(with: result.stdoutData)
            return try #require(object as? [String: Any], sourceLocation: sourceLocation)
        }

        /// `smcc verify` (with `arguments`) must exit exactly 1, not on a signal, naming `seq`.
        func expectSmccFails(at seq: Int, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try runSmcc(["verify", built.path] + arguments, in: scratch)
            #expect(result.exited(1), "smcc verify should exit 1: \(result)", sourceLocation: sourceLocation)
            #expect(result.stdout.hasPrefix("verify: FAILED at seq \(seq):"), "smcc verify should name seq \(seq): \(result)", sourceLocation: sourceLocation)
            #expect(failedSeq(result.stdout) == UInt64(seq), sourceLocation: sourceLocation)
        }

        /// `smcc_read.py --verify` (with `arguments`) must exit 1 naming `seq`.
        func expectPythonFails(at seq: Int, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try runPython([Paths.reader, built.path, "--verify"] + arguments, in: scratch)
            #expect(result.exited(1), "smcc_read.py --verify should exit 1: \(result)", sourceLocation: sourceLocation)
            #expect(failedSeq(result.stdout) == UInt64(seq), "smcc_read.py should name seq \(seq): \(result)", sourceLocation: sourceLocation)
            #expect(!result.stderr.contains("Traceback"), "\(result)", sourceLocation: sourceLocation)
        }
    }

    static func fixture(seed: UInt64 = 21) throws -> Fixture {
        let scratch = Scratch()
        try requirePython(in: scratch)
        let built = try buildLog(Self.count, seed: seed, in: scratch)
        let script = try scratch.write("tamper.py", tamperScript)
        let head = try #require(try info(built.path, in: scratch).head)
        let clean = try runSmcc(["verify", built.path], in: scratch)
        try #require(clean.exited(0), "the untouched log must verify: \(clean)")
        return Fixture(scratch: scratch, built: built, script: script, head: head)
    }

    /// The first sequence number of the chunk holding `seq` (chunks of 16 from 1).
    static func chunkKey(_ seq: Int) -> Int { (seq - 1) / 16 * 16 + 1 }

    // (a) One byte of one payload changed, the chunk recompressed properly: the record's own tag
    // breaks (the script picks the byte so that it does), and that record is named.
    @Test(arguments: [100, 2_500, 4_093, 5_000])
    func aModifiedPayloadIsNamed(_ seq: Int) throws {
        let fixture = try Self.fixture()
        defer { fixture.scratch.remove() }
        let done = try fixture.tamper(["modify", "\(seq)"])
        #expect((done["chunk"] as? NSNumber)?.intValue == Self.chunkKey(seq))
        try fixture.expectSmccFails(at: seq)
        try fixture.expectPythonFails(at: seq)
        // The altered record still decodes: export shows the change, it cannot tell.
        let exported = try runSmcc(["export", fixture.built.path], in: fixture.scratch)
        #expect(exported.exited(0), "\(exported)")
        #expect(lineCount(exported.stdoutData) == Self.count)
        #expect(exported.stdoutData != Data(fixture.built.text.utf8), "the change should show in the export")
    }

    // (b) A chunk deleted: its first sequence number is named.
    @Test(arguments: [1, 17, 2_049, 4_993])
    func aDeletedChunkIsNamed(_ key: Int) throws {
        let fixture = try Self.fixture()
        defer { fixture.scratch.remove() }
        try fixture.tamper(["delete", "\(key)"])
        try fixture.expectSmccFails(at: key)
        try fixture.expectPythonFails(at: key)
    }

    // (c) The values of two chunks swapped: the first sequence number of the earlier one is named.
    @Test(arguments: [(33, 49), (1_025, 3_073), (4_977, 4_961)])
    func swappedChunksAreNamed(_ one: Int, _ other: Int) throws {
        let fixture = try Self.fixture()
        defer { fixture.scratch.remove() }
        try fixture.tamper(["swap", "\(one)", "\(other)"])
        try fixture.expectSmccFails(at: min(one, other))
        try fixture.expectPythonFails(at: min(one, other))
    }

    // (d) Cut short consistently (chunks, time index, checkpoints and head rewritten): undetectable
    // alone, caught by the head printed before.
    @Test func aConsistentTruncationIsCaughtByAnEarlierHead() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        var stream = EventStream(seed: 22)
        let events = stream.make(Self.count)
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let firstFile = try scratch.write("first.ndjson", Interchange.text(Array(events.prefix(3_000))))
        let secondFile = try scratch.write("second.ndjson", Interchange.text(Array(events.dropFirst(3_000)), firstSeq: 3_001))
        try importFiles(log, [firstFile], in: scratch)
        let earlier = try #require(try info(log, in: scratch).head)
        try importFiles(log, [secondFile], in: scratch)
        let head = try #require(try info(log, in: scratch).head)
        #expect(isHead(earlier, seq: 3_000) && isHead(head, seq: Self.count))
        let script = try scratch.write("tamper.py", tamperScript)
        let fixture = Fixture(scratch: scratch, built: BuiltLog(path: log, events: events, text: "", file: ""), script: script, head: head)

        // A log that grew since a head was printed still proves that head.
        let grown = try runSmcc(["verify", log, "--head", earlier], in: scratch)
        #expect(grown.exited(0), "\(grown)")

        let done = try fixture.tamper(["truncate", "4000"])
        #expect((done["deletedChunks"] as? NSNumber)?.intValue == 63)
        #expect((done["deletedTimeEntries"] as? NSNumber)?.intValue == 63)
        let newHead = try #require(done["head"] as? String)

        let plain = try runSmcc(["verify", log], in: scratch)
        #expect(plain.exited(0), "a consistent truncation is undetectable without an outside reference: \(plain)")
        #expect(plain.stdout.split(separator: "\n").first == "verify: OK, 4000 events, head \(newHead)")
        let pythonPlain = try runPython([Paths.reader, log, "--verify"], in: scratch)
        #expect(pythonPlain.exited(0), "\(pythonPlain)")
        #expect(try info(log, in: scratch).head == newHead)

        try fixture.expectSmccFails(at: 4_001, ["--head", head])
        try fixture.expectPythonFails(at: 4_001, ["--head", head])
        // A head from before the cut is still proved.
        let before = try runSmcc(["verify", log, "--head", earlier], in: scratch)
        #expect(before.exited(0), "\(before)")
        // And the export is the first 4,000 events.
        let expected = Interchange.text(Array(events.prefix(4_000)))
        #expect(difference(try export(log, in: scratch), expected) == nil)
    }

    // A head given with the right sequence number but another hash names that sequence number.
    @Test func aWrongHeadHashIsNamed() throws {
        let fixture = try Self.fixture()
        defer { fixture.scratch.remove() }
        let zeros = String(repeating: "0", count: 64)
        try fixture.expectSmccFails(at: 1_234, ["--head", "1234:\(zeros)"])
        try fixture.expectSmccFails(at: Self.count + 1, ["--head", "\(Self.count + 7):\(zeros)"])
    }

    // (e) Garbage in a chunk: exit exactly 1 naming that chunk's first seq, never a crash.
    @Test(arguments: [("frame", 3_073), ("random", 3_073), ("cut", 3_073), ("frame", 1), ("cut", 4_993), ("random", 1_025)])
    func garbageInAChunkIsNamedWithoutACrash(_ mode: String, _ key: Int) throws {
        let fixture = try Self.fixture()
        defer { fixture.scratch.remove() }
        try fixture.tamper(["garbage", "\(key)", mode])
        try fixture.expectSmccFails(at: key)
        try fixture.expectPythonFails(at: key)
        for command in [["export", fixture.built.path], ["info", fixture.built.path, "--json"]] {
            let result = try runSmcc(command, in: fixture.scratch)
            #expect(result.exited(1), "smcc \(command[0]) on a damaged log should exit 1: \(result)")
            #expect(lines(result.stderr).count == 1, "\(result)")
        }
    }
}
