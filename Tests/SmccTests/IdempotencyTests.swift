import Foundation
import Testing

/// A post is appended once however often it is imported (`postReceived`/`postPublished` are keyed
/// by post id), and an import of the same file contents is recognised and appends nothing again.
struct IdempotencyTests {
    /// Posts and actions, all at the same instant (so a second import of the file does not go
    /// back in time).
    static func sameInstantEvents() -> [Interchange.Event] {
        var stream = EventStream(seed: 5)
        let kinds = ["postReceived", "postReceived", "postReceived", "replied", "postPublished", "postAssigned",
                     "postReceived", "noteAdded", "replied", "postReceived", "postPublished", "postReceived",
                     "volunteerJoined", "postAssigned", "replied"]
        var events = kinds.map { stream.next($0) }
        for index in events.indices { events[index].at = 1_435_032_589_000 }
        return events
    }

    @Test func importingTheSameFileTwiceAppendsThePostsOnce() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let events = Self.sameInstantEvents()
        let posts = events.filter { $0.kind == "postReceived" || $0.kind == "postPublished" }
        let others = events.filter { $0.kind != "postReceived" && $0.kind != "postPublished" }
        #expect(posts.count == 8 && others.count == 7)
        let text = Interchange.text(events)
        let file = try scratch.write("events.ndjson", text)
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let at = Interchange.rfc3339(events[0].at)

        let first = try importFiles(log, [file], in: scratch)
        #expect(first.stdout == "read 15 events, appended 15, duplicates 0, from \(at) to \(at)\n")
        let second = try importFiles(log, [file], in: scratch)
        #expect(second.stdout == "read 15 events, appended 0, duplicates 0, already imported by an earlier run 15, from \(at) to \(at)\n")

        let information = try info(log, in: scratch)
        #expect(information.events == 15)
        #expect(information.countsByKind == counts(events))
        #expect(difference(try export(log, in: scratch), text) == nil)

        // The same events in another file (here: one more line) are another import: its posts are
        // duplicates, its other events are appended again.
        let extended = try scratch.write("extended.ndjson", text + Interchange.text([events[0]], firstSeq: 16))
        let third = try importFiles(log, [extended], in: scratch)
        #expect(third.stdout == "read 16 events, appended 7, duplicates 9, from \(at) to \(at)\n")
        var expectedCounts = counts(events)
        for event in others { expectedCounts[event.kind, default: 0] += 1 }
        #expect(try info(log, in: scratch).countsByKind == expectedCounts)
        #expect(difference(try export(log, in: scratch), text + Interchange.text(others, firstSeq: 16)) == nil)
        let verified = try runSmcc(["verify", log], in: scratch)
        #expect(verified.exited(0), "\(verified)")
    }

    @Test func aPostTwiceInOneFileIsAppendedOnce() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var stream = EventStream(seed: 6)
        let post = stream.next("postReceived")
        var reply = stream.next("replied")
        reply.at = post.at + 500
        var again = post
        again.at = post.at + 1000
        let file = try scratch.write("events.ndjson", Interchange.text([post, reply, again]))
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let result = try importFiles(log, [file], in: scratch)
        #expect(result.stdout.hasPrefix("read 3 events, appended 2, duplicates 1,"), "\(result)")
        #expect(try info(log, in: scratch).countsByKind == ["postReceived": 1, "replied": 1])
    }

    /// A post already in the log, sent again later (with a later time and other fields), is not
    /// appended again, and is counted as a duplicate.
    @Test func aKnownPostImportedLaterIsADuplicate() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let built = try buildLog(200, seed: 8, in: scratch)
        let before = try info(built.path, in: scratch)
        let known = built.events.filter { $0.kind == "postReceived" }.prefix(5)
        var later: [Interchange.Event] = []
        for (index, event) in known.enumerated() {
            var copy = event.setting("text", .string("edited \(index)"))
            copy.at = built.events.last!.at + 1000 * Int64(index + 1)
            later.append(copy)
        }
        let file = try scratch.write("later.ndjson", Interchange.text(later))
        let result = try importFiles(built.path, [file], in: scratch)
        #expect(result.stdout.hasPrefix("read 5 events, appended 0, duplicates 5,"), "\(result)")
        let after = try info(built.path, in: scratch)
        #expect(after.events == before.events)
        #expect(after.head == before.head)
    }
}

extension IdempotencyTests {
    /// NDJSONImport's contract: "A crash during the second pass leaves whole batches only; running
    /// the import again then skips the posts already there." A file of posts only, whose first 300
    /// made it into the log, imported again, must complete: 300 duplicates, 700 appended.
    @Test func rerunningAnInterruptedImportOfPostsCompletesIt() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var stream = EventStream(seed: 9)
        let posts = (0..<1_000).map { _ in stream.next("postReceived") }
        let text = Interchange.text(posts)
        let file = try scratch.write("posts.ndjson", text)
        let head = try scratch.write("first-300.ndjson", Interchange.text(Array(posts.prefix(300))))
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        // What a crash after the first batches of `--batch-size 100` leaves: 300 whole events.
        try importFiles(log, [head], extra: ["--batch-size", "100"], in: scratch)

        let again = try runSmcc(["import", log, file, "--batch-size", "100"], in: scratch)
        #expect(again.exited(0), "running the interrupted import again should complete it: \(again)")
        let first = Interchange.rfc3339(posts.first!.at), last = Interchange.rfc3339(posts.last!.at)
        #expect(again.stdout == "read 1,000 events, appended 700, duplicates 300, from \(first) to \(last)\n")
        #expect(difference(try export(log, in: scratch), text) == nil)
    }
}
