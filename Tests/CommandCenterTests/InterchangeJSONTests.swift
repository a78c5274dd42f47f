import CommandCenter
import Foundation
import Testing

struct InterchangeJSONTests {
    @Test func writesTheSpecExample() {
        let event = Event(
            at: Timestamp(milliseconds: 1_435_032_589_000), actor: "import:twcs",
            body: .postReceived(PostReceived(
                post: "twitter:1", channel: .twitter, author: "@Ann", text: "Hi \"there\"\n",
                hashtags: ["askpivot"], mentions: [], postedAt: Timestamp(milliseconds: 1_435_032_588_000),
                isRepost: true)))
        var buffer: [UInt8] = []
        InterchangeJSON.write(event, seq: 42, into: &buffer)
        let expected = #"{"seq":42,"at":"2015-06-23T04:09:49.000Z","actor":"import:twcs","kind":"postReceived","post":"twitter:1","channel":"twitter","author":"@Ann","text":"Hi \"there\"\n","hashtags":["askpivot"],"mentions":[],"postedAt":"2015-06-23T04:09:48.000Z","isRepost":true}"#
        #expect(String(decoding: buffer, as: UTF8.self) == expected + "\n")
        #expect(InterchangeJSON.line(event, seq: 42) == expected)
    }

    @Test func leavesOutAbsentFieldsAndFalseRepost() {
        let event = Event(
            at: Timestamp(milliseconds: 0), actor: "vol:jo",
            body: .escalated(Escalated(post: "bluesky:x", to: "vol:lead", reason: "")))
        #expect(InterchangeJSON.line(event, seq: UInt64.max)
            == #"{"seq":18446744073709551615,"at":"1970-01-01T00:00:00.000Z","actor":"vol:jo","kind":"escalated","post":"bluesky:x","to":"vol:lead","reason":""}"#)
    }

    @Test func escapesLikePython() {
        let text = "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \"\\/\u{7f}\u{80}é\u{2028}🎉"
        let event = Event(at: Timestamp(milliseconds: 0), actor: "a", body: .noteAdded(NoteAdded(post: "other:1", text: text)))
        #expect(InterchangeJSON.line(event, seq: 1).contains(#""text":"\u0000\u0001\b\t\n\u000b\f\r\u001f \"\\/"#
            + "\u{7f}\u{80}é\u{2028}🎉\"}"))
    }

    @Test func randomEventsRoundTripThroughTheReader() throws {
        for seed: UInt64 in 1...3 {
            var generator = EventGenerator(seed: seed, valid: true)
            for i in 0..<3000 {
                let event = generator.event()
                var buffer: [UInt8] = []
                InterchangeJSON.write(event, seq: UInt64(i + 1), into: &buffer)
                #expect(buffer.last == UInt8(ascii: "\n"))
                let parsed = try NDJSONEventReader.parse(buffer, file: "t.ndjson", line: i + 1)
                #expect(parsed == event, "seed \(seed) event \(i)")
                #expect(EventCodec.encode(parsed) == EventCodec.encode(event), "seed \(seed) event \(i)")
            }
        }
    }

    /// The export must be what Python's `json.dumps(..., ensure_ascii=False, separators=(",", ":"))`
    /// prints: Python parses each line and dumps it again, and the bytes must not change.
    @Test(.enabled(if: Python.path != nil, "python3 not found on PATH: cannot compare with json.dumps"))
    func matchesPythonJSONDumpsByteForByte() throws {
        var generator = EventGenerator(seed: 31, valid: true)
        var input: [UInt8] = []
        for i in 0..<2000 {
            InterchangeJSON.write(generator.event(), seq: UInt64(i + 1), into: &input)
        }
        for (i, text) in ["", "\u{0}\u{1f}\u{7f}", "\"\\\u{8}\u{c}\n\r\t", "🎉\u{2028}é", "\u{10FFFF}<>&'"].enumerated() {
            InterchangeJSON.write(
                Event(at: Timestamp(milliseconds: 0), actor: text, body: .noteAdded(NoteAdded(post: "other:1", text: text))),
                seq: UInt64(3000 + i), into: &input)
        }
        let script = """
            import json, sys
            bad = 0
            for n, line in enumerate(sys.stdin.buffer.read().split(b"\\n")[:-1]):
                again = json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")).encode()
                if again != line:
                    bad += 1
                    if bad < 3: print("line", n + 1, line[:200], again[:200])
            print("mismatches", bad)
            """
        let output = try Python.run(script, stdin: input)
        #expect(output.hasSuffix("mismatches 0\n"), "\(output)")
    }
}

/// Runs `python3` for the cross-checks, which skip when it is absent.
enum Python {
    static let path: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static func run(_ script: String, arguments: [String] = [], stdin: [UInt8] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Write from another thread: a large input could otherwise fill both pipes and deadlock.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `import MODULE` works.
    static func has(_ module: String) -> Bool {
        guard path != nil else { return false }
        return (try? run("import \(module); print('yes')"))?.hasPrefix("yes") ?? false
    }
}
