import Foundation
import Testing

/// Bad input is refused whole: exit 2, one line on stderr naming the file, the line and the field,
/// and nothing appended to the log.
struct BadInputTests {
    enum Case: String, CaseIterable, Sendable {
        case malformedJSON, unknownKind, missingField, mistypedField, lineOverOneMiB
        case timeBackwardsInFile, timeBackwardsAgainstTheLog, replyToUnknownPost, secondFileBad
        /// An event dated 9999 would date every later live event after it.
        case timeInTheFuture
        /// A post dated year 1 would make the mean first response 2,000 years.
        case postedAtCenturiesBeforeItArrived, postedAtAfterItArrived
        /// Each field within its limit, the author and text together over a record's personal part:
        /// refused only by the append before, naming no line, after the batches before it.
        case personalFieldsOverARecord
    }

    /// A log of 40 events and what it printed before anything bad happened.
    struct Setup {
        var scratch: Scratch
        var log: String
        var before: LogInfoJSON
        var exportBefore: Data
        /// Valid events to follow the log's: two files' worth.
        var first: [Interchange.Event]
        var second: [Interchange.Event]
        var lastTime: Int64
    }

    static func setup() throws -> Setup {
        let scratch = Scratch()
        var stream = EventStream(seed: 11)
        let base = stream.make(40)
        let file = try scratch.write("base.ndjson", Interchange.text(base))
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        try importFiles(log, [file], in: scratch)
        let lastTime = base.last!.at
        // Line 3 is a postReceived; every post named is known; times strictly increase, 1 s apart,
        // from 10 s after the log's last event.
        var first = ["postReceived", "replied", "postReceived", "postAssigned", "noteAdded", "postPublished", "postResolved", "shiftStarted"]
            .map { stream.next($0) }
        for index in first.indices { first[index].at = lastTime + 10_000 + Int64(index) * 1000 }
        var second = ["postReceived", "replied", "escalated", "listeningRuleAdded"].map { stream.next($0) }
        for index in second.indices { second[index].at = lastTime + 30_000 + Int64(index) * 1000 }
        return Setup(scratch: scratch, log: log, before: try info(log, in: scratch), exportBefore: try export(log, in: scratch),
                     first: first, second: second, lastTime: lastTime)
    }

    /// Checks that the log still holds exactly what it held.
    static func expectUnchanged(_ setup: Setup, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try info(setup.log, in: setup.scratch)
        #expect(after.events == setup.before.events, "events appended by a refused import", sourceLocation: sourceLocation)
        #expect(after.head == setup.before.head, "the head moved", sourceLocation: sourceLocation)
        #expect(difference(try export(setup.log, in: setup.scratch), setup.exportBefore) == nil, sourceLocation: sourceLocation)
    }

    @Test(arguments: Case.allCases)
    func badInputIsRefusedWhole(_ badCase: Case) throws {
        let setup = try Self.setup()
        defer { setup.scratch.remove() }
        var first = setup.first
        var second: [Interchange.Event]? = nil
        var raw: [Int: String] = [:]  // line (from 1) of the first file -> raw replacement
        var secondRaw = ""  // line 2 of the second file
        var badFile = "first.ndjson"
        var line = 0
        var field: String?
        switch badCase {
        case .malformedJSON:
            line = 5
            raw[5] = "{\"seq\":5,\"at\":\"2015-06-23T04:09"
        case .unknownKind:
            line = 3; field = "kind"
            first[2].kind = "postExploded"
        case .missingField:
            line = 3; field = "author"
            first[2] = first[2].removing("author")
        case .mistypedField:
            line = 3; field = "text"
            first[2] = first[2].setting("text", .raw("42"))
        case .lineOverOneMiB:
            line = 3
            first[2] = first[2].setting("text", .string(String(repeating: "a", count: (1 << 20) + 1000)))
        case .timeBackwardsInFile:
            line = 4; field = "at"
            first[3].at = first[2].at - 500
        case .timeBackwardsAgainstTheLog:
            line = 1; field = "at"
            first[0].at = setup.lastTime - 1
        case .replyToUnknownPost:
            line = 2; field = "post"
            first[1] = first[1].setting("post", .string("twitter:999999999999"))
        case .timeInTheFuture:
            line = 8; field = "at"
            first[7].at = 253_402_300_799_000  // 9999-12-31T23:59:59Z
        case .postedAtCenturiesBeforeItArrived:
            line = 3; field = "postedAt"
            first[2] = first[2].setting("postedAt", .string("0001-01-01T00:00:00.000Z"))
        case .postedAtAfterItArrived:
            line = 3; field = "postedAt"
            first[2] = first[2].setting("postedAt", .string(Interchange.rfc3339(first[2].at + 3_600_000)))
        case .personalFieldsOverARecord:
            line = 3
            #expect(first[2].kind == "postReceived")
            first[2] = first[2].setting("text", .string(String(repeating: "a", count: 65_536))).setting("author", .string(String(repeating: "b", count: 1_000)))
        case .secondFileBad:
            badFile = "second.ndjson"; line = 2; field = "actor"
            second = setup.second
            let good = setup.second[1].line(seq: 2)
            secondRaw = good.replacingOccurrences(of: "\"actor\":\(Interchange.quote(setup.second[1].actor)),", with: "\"actor\":7,")
            #expect(secondRaw != good)
        }
        var firstLines = first.enumerated().map { $0.element.line(seq: $0.offset + 1) }
        for (index, text) in raw { firstLines[index - 1] = text + "\n" }
        let firstFile = try setup.scratch.write("first.ndjson", firstLines.joined())
        var files = [firstFile]
        if let second {
            var secondLines = second.enumerated().map { $0.element.line(seq: $0.offset + 1) }
            secondLines[1] = secondRaw
            files.append(try setup.scratch.write("second.ndjson", secondLines.joined()))
        }
        let bad = setup.scratch.child(badFile)

        let result = try runSmcc(["import", setup.log] + files, in: setup.scratch)
        #expect(result.exited(2), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let messages = lines(result.stderr)
        #expect(messages.count == 1, "stderr must be one line: \(result)")
        let message = messages.first.map(String.init) ?? ""
        #expect(message.contains("\(bad):\(line):"), "names \(badFile) line \(line)? \(message)")
        if let field {
            #expect(message.contains("field '\(field)'"), "names field '\(field)'? \(message)")
        }
        try Self.expectUnchanged(setup)

        // The same files without the fault import fine: the fault alone was refused.
        let goodFirst = try setup.scratch.write("good-first.ndjson", Interchange.text(setup.first))
        let goodSecond = try setup.scratch.write("good-second.ndjson", Interchange.text(setup.second))
        let good = try runSmcc(["import", setup.log, goodFirst] + (second == nil ? [] : [goodSecond]), in: setup.scratch)
        #expect(good.exited(0), "\(good)")
        let expectedCount = setup.before.events + setup.first.count + (second == nil ? 0 : setup.second.count)
        #expect(try info(setup.log, in: setup.scratch).events == expectedCount)
    }

    @Test func aMissingInputFileIsRefused() throws {
        let setup = try Self.setup()
        defer { setup.scratch.remove() }
        let good = try setup.scratch.write("good.ndjson", Interchange.text(setup.first))
        let missing = setup.scratch.child("no-such-file.ndjson")
        let result = try runSmcc(["import", setup.log, good, missing], in: setup.scratch)
        #expect(result.exited(2), "\(result)")
        #expect(lines(result.stderr).count == 1, "\(result)")
        #expect(result.stderr.contains(missing), "\(result)")
        try Self.expectUnchanged(setup)
    }

    @Test func importIntoAMissingLogIsRefusedAndCreatesNothing() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var stream = EventStream(seed: 3)
        let file = try scratch.write("events.ndjson", Interchange.text(stream.make(5)))
        let log = scratch.child("no-such-log")
        let result = try runSmcc(["import", log, file], in: scratch)
        #expect(result.exited(2), "\(result)")
        #expect(lines(result.stderr).count == 1, "\(result)")
        #expect(result.stderr.contains(log), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: log), "import created \(log)")
    }

    @Test func readingSomethingThatIsNotALogIsRefused() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let directory = scratch.child("not-a-log")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try scratch.write("not-a-log/notes.txt", "hello\n")
        for target in [directory, scratch.child("not-a-log/notes.txt"), scratch.child("missing")] {
          for command in ["export", "info", "verify"] {
            let result = try runSmcc([command, target], in: scratch)
            #expect(result.exited(2), "\(command) \(target): \(result)")
            #expect(result.stdout.isEmpty, "\(command) \(target): \(result)")
            #expect(lines(result.stderr).count == 1, "\(command) \(target): \(result)")
            #expect(result.stderr.contains(target), "\(command) \(target): \(result)")
          }
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.child("missing")), "a command created the missing log")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"], "export wrote into a directory that is not a log")
    }

    /// Usage errors exit 2 (not argument-parser's 64); the first line of stderr says what is wrong.
    @Test(arguments: [
        (["verify", "LOG", "--head", "nonsense"], "nonsense"),
        (["verify", "LOG", "--head", "12:abc"], "12:abc"),
        (["frobnicate", "LOG"], "frobnicate"),
        (["export", "LOG", "--bogus"], "--bogus"),
        (["import", "LOG"], "FILE"),
        (["export", "LOG", "--from", "0"], "--from"),
        (["bench", "--events", "0"], "--events"),
    ])
    func badUsageExitsTwo(_ arguments: [String], _ named: String) throws {
        let setup = try Self.setup()
        defer { setup.scratch.remove() }
        let result = try runSmcc(arguments.map { $0 == "LOG" ? setup.log : $0 }, in: setup.scratch)
        #expect(result.exited(2), "\(result)")
        let first = lines(result.stderr).first.map(String.init) ?? ""
        #expect(first.contains(named), "the first line of stderr should name \(named): \(result)")
        try Self.expectUnchanged(setup)
    }
}

extension BadInputTests {
    /// log-format.md §3: every time lies in 1970 … 9999. A time before 1970 is bad input like any
    /// other: refused naming the file, the line and the field.
    @Test func aTimeBefore1970IsRefusedNamingTheLineAndField() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var stream = EventStream(seed: 12, start: 0)
        var events = stream.make(3)
        events[0].at = -1
        events[1].at = max(events[1].at, 0)
        events[2].at = max(events[2].at, events[1].at)
        let file = try scratch.write("early.ndjson", Interchange.text(events))
        #expect(events[0].line(seq: 1).contains("\"at\":\"1969-12-31T23:59:59.999Z\""))
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let result = try runSmcc(["import", log, file], in: scratch)
        #expect(result.exited(2), "\(result)")
        #expect(lines(result.stderr).count == 1, "\(result)")
        #expect(result.stderr.contains("\(file):1:"), "should name \(file) line 1: \(result)")
        #expect(result.stderr.contains("field 'at'"), "should name field 'at': \(result)")
        #expect(try info(log, in: scratch).events == 0)
    }

    /// A reply names a post the log knows — the post index compares post ids byte for byte. A post
    /// id that is only canonically equivalent (`twitter:é` as U+00E9 vs `e` + U+0301) is another
    /// post: the reply is refused whether the post came in the same import or an earlier one.
    @Test(arguments: [false, true])
    func aReplyToAnEquivalentButDifferentPostIdIsRefused(_ sameImport: Bool) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var stream = EventStream(seed: 13)
        let post = stream.next("postReceived").setting("post", .string("twitter:caf\u{E9}"))
        var reply = stream.next("replied").setting("post", .string("twitter:cafe\u{301}"))
        reply.at = post.at + 1000
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let files: [String]
        if sameImport {
            files = [try scratch.write("both.ndjson", Interchange.text([post, reply]))]
        } else {
            try importFiles(log, [try scratch.write("post.ndjson", Interchange.text([post]))], in: scratch)
            files = [try scratch.write("reply.ndjson", Interchange.text([reply]))]
        }
        let before = try info(log, in: scratch)
        let result = try runSmcc(["import", log] + files, in: scratch)
        #expect(result.exited(2), "a reply to twitter:cafe\\u0301 when only twitter:caf\\u00e9 was received: \(result)")
        #expect(result.stderr.contains("field 'post'"), "\(result)")
        #expect(try info(log, in: scratch).events == before.events)
    }

    /// DESIGN.md: bad usage exits 2 "with a one-line message"; argument-parser's usage block
    /// (`Usage: …`, `See '… --help'`) makes it three.
    @Test(arguments: [
        ["verify", "LOG", "--head", "nonsense"],
        ["frobnicate", "LOG"],
        ["export", "LOG", "--bogus"],
    ])
    func badUsageIsOneLineOnStderr(_ arguments: [String]) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let result = try runSmcc(arguments.map { $0 == "LOG" ? log : $0 }, in: scratch)
        #expect(result.exited(2), "\(result)")
        #expect(lines(result.stderr).count == 1, "stderr should be one line: \(result)")
    }
}
