import Foundation
import Testing

/// A log past dictionary training (2,048 records) and several chain checkpoints (every 1,024),
/// read by smcc and by the independent Python reader.
struct LargeLogTests {
    static let count = 5_000

    @Test func smccAndThePythonReaderAgreeOnALargeLog() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        // Batches of 700: appends that end mid-chunk, so tail chunks are rewritten across transactions.
        let built = try buildLog(Self.count, seed: 42, batchSize: 700, in: scratch)
        #expect(Set(built.events.map(\.kind)) == Set(EventStream.kinds))

        let exported = try export(built.path, in: scratch)
        #expect(difference(exported, built.text) == nil)

        let information = try info(built.path, in: scratch)
        #expect(information.events == Self.count)
        #expect(information.countsByKind == counts(built.events))
        #expect(isHead(information.head, seq: Self.count))
        let dictionaries = information.raw["dictionaryIds"] as? [Any] ?? []
        #expect(!dictionaries.isEmpty, "no dictionary was trained after \(Self.count) records")

        let read = try runPython([Paths.reader, built.path], in: scratch)
        #expect(read.exited(0), "\(read)")
        #expect(difference(read.stdoutData, exported) == nil, "smcc_read.py and smcc export differ")

        let pythonVerify = try runPython([Paths.reader, built.path, "--verify"], in: scratch)
        #expect(pythonVerify.exited(0), "\(pythonVerify)")
        #expect(verifiedHead(pythonVerify.stdout) == information.head, "\(pythonVerify.stdout)")
        let pythonProof = try runPython([Paths.reader, built.path, "--verify", "--head", information.head ?? "?"], in: scratch)
        #expect(pythonProof.exited(0), "\(pythonProof)")

        let smccVerify = try runSmcc(["verify", built.path], in: scratch)
        #expect(smccVerify.exited(0), "\(smccVerify)")
        #expect(verifiedHead(smccVerify.stdout) == information.head)

        let pythonInfo = try runPython([Paths.reader, built.path, "--info"], in: scratch)
        #expect(pythonInfo.exited(0), "\(pythonInfo)")
        let summary = try #require(try JSONSerialization.jsonObject(with: pythonInfo.stdoutData) as? [String: Any])
        #expect((summary["events"] as? NSNumber)?.intValue == Self.count)
        #expect(summary["head"] as? String == information.head)
        #expect(summary["firstAt"] as? String == information.firstAt)
        #expect(summary["lastAt"] as? String == information.lastAt)
        #expect(((summary["countsByKind"] as? [String: Any]) ?? [:]).compactMapValues { ($0 as? NSNumber)?.intValue } == information.countsByKind)
        #expect((summary["dictionaries"] as? [Any])?.count == dictionaries.count)
    }

    @Test func everyExportedLineValidatesAgainstTheSchema() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        let built = try buildLog(Self.count, seed: 43, in: scratch)
        let exportFile = try scratch.write("export.ndjson", try export(built.path, in: scratch))
        let script = try scratch.write("validate.py", validateScript)
        let validated = try runPython([script, Paths.eventSchemas, exportFile], in: scratch)
        #expect(validated.exited(0), "\(validated)")
        #expect(validated.stdout == "ok \(Self.count)\n")

        // The validator is not a rubber stamp: a line that breaks the schema is refused.
        let broken = Interchange.text(Array(built.events.prefix(3)))
            .replacingOccurrences(of: "\"seq\":2,", with: "\"seq\":\"2\",")
        let brokenFile = try scratch.write("broken.ndjson", broken)
        let refused = try runPython([script, Paths.eventSchemas, brokenFile], in: scratch)
        #expect(refused.exited(1), "\(refused)")
        #expect(refused.stdout.hasPrefix("line 2:"), "\(refused)")
    }
}

extension LargeLogTests {
    /// Records of the largest size (a payload of up to 65,536 bytes): a full chunk of 16 has a body
    /// over 1 MiB, within the 2,097,152 bytes log-format.md §3 allows. smcc and the Python reader
    /// both read it.
    @Test func fullChunksOfTheLargestRecordsAreReadByBothReaders() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        // Payload: kind 1 + actor 7 + flags 1 + post 11 + channel 1 + author 4 + text 3 + 65,505
        // + hashtags 1 + mentions 1 + postedAt 1 = 65,536 bytes, the largest a record takes.
        let at: Int64 = 1_435_032_589_000
        let events = (0..<20).map { index in
            Interchange.Event(at: at, actor: "system", kind: "postReceived", fields: [
                ("post", .string("twitter:\(index + 10)")), ("channel", .string("twitter")), ("author", .string("ann")),
                ("text", .string(String(repeating: "a", count: 65_505))), ("hashtags", .strings([])), ("mentions", .strings([])),
                ("postedAt", .string(Interchange.rfc3339(at))),
            ])
        }
        let text = Interchange.text(events)
        let file = try scratch.write("large.ndjson", text)
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        try importFiles(log, [file], in: scratch)
        #expect(difference(try export(log, in: scratch), text) == nil)
        let smccVerify = try runSmcc(["verify", log], in: scratch)
        #expect(smccVerify.exited(0), "\(smccVerify)")

        let read = try runPython([Paths.reader, log], in: scratch)
        #expect(read.exited(0), "smcc_read.py: \(read)")
        #expect(difference(read.stdoutData, text) == nil)
        let pythonVerify = try runPython([Paths.reader, log, "--verify"], in: scratch)
        #expect(pythonVerify.exited(0), "smcc_read.py --verify: \(pythonVerify)")
    }
}
