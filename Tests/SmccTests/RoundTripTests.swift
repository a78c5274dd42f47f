import Foundation
import Testing

/// init → import → export gives back the input, byte for byte; info and verify describe it.
struct RoundTripTests {
    /// A few dozen events, every kind at least twice, with awkward strings.
    static func smallEvents() -> [Interchange.Event] {
        var stream = EventStream(seed: 7)
        var events = (0..<3).map { _ in stream.next("postReceived") }
        for kind in EventStream.kinds {
            events.append(stream.next(kind))
            events.append(stream.next(kind))
        }
        events += stream.make(12)
        return events
    }

    @Test func importThenExportGivesTheInputBack() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let events = Self.smallEvents()
        #expect(Set(events.map(\.kind)) == Set(EventStream.kinds))
        let text = Interchange.text(events)
        let file = try scratch.write("events.ndjson", text)
        let log = scratch.child("log")

        try initLog(log, in: scratch)
        let imported = try importFiles(log, [file], in: scratch)
        let first = Interchange.rfc3339(events.first!.at), last = Interchange.rfc3339(events.last!.at)
        #expect(imported.stdout == "read \(events.count) events, appended \(events.count), duplicates 0, from \(first) to \(last)\n")

        let exported = try export(log, in: scratch)
        #expect(difference(exported, text) == nil)

        let information = try info(log, in: scratch)
        #expect(information.events == events.count)
        #expect(information.countsByKind == counts(events))
        #expect(information.firstAt == first)
        #expect(information.lastAt == last)
        #expect(isHead(information.head, seq: events.count), "head: \(information.head ?? "nil")")
        #expect(information.head?.hasSuffix(":" + (information.headHash ?? "?")) == true)

        let verified = try runSmcc(["verify", log], in: scratch)
        #expect(verified.exited(0), "\(verified)")
        #expect(verified.stdout.split(separator: "\n").first.map(String.init) == "verify: OK, \(events.count) events, head \(information.head ?? "?")")
        let proved = try runSmcc(["verify", log, "--head", information.head ?? "?"], in: scratch)
        #expect(proved.exited(0), "\(proved)")

        // The export read back into a fresh log gives the same bytes, and the same chain.
        let again = scratch.child("again")
        let exportFile = try scratch.write("exported.ndjson", exported)
        try initLog(again, in: scratch)
        try importFiles(again, [exportFile], in: scratch)
        #expect(difference(try export(again, in: scratch), exported) == nil)
        #expect(try info(again, in: scratch).head == information.head)
    }

    @Test func exportSlicesBySequenceNumber() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let events = Self.smallEvents()
        let file = try scratch.write("events.ndjson", Interchange.text(events))
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        try importFiles(log, [file], in: scratch)

        let slice = try runSmcc(["export", log, "--from", "10", "--to", "20"], in: scratch)
        #expect(slice.exited(0), "\(slice)")
        let expected = (10...20).map { events[$0 - 1].line(seq: $0) }.joined()
        #expect(difference(slice.stdoutData, expected) == nil)

        let tail = try runSmcc(["export", log, "--from", "\(events.count)"], in: scratch)
        #expect(difference(tail.stdoutData, events.last!.line(seq: events.count)) == nil)
        let beyond = try runSmcc(["export", log, "--from", "\(events.count + 1)"], in: scratch)
        #expect(beyond.exited(0) && beyond.stdoutData.isEmpty, "\(beyond)")
    }

    @Test func anEmptyLogHasNoEventsAndVerifies() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = scratch.child("nested/log")
        try initLog(log, in: scratch)
        let information = try info(log, in: scratch)
        #expect(information.events == 0)
        #expect(information.raw["head"] is NSNull)
        #expect(information.countsByKind.isEmpty)
        #expect(try export(log, in: scratch).isEmpty)
        let verified = try runSmcc(["verify", log], in: scratch)
        #expect(verified.exited(0), "\(verified)")
        #expect(verified.stdout.hasPrefix("verify: OK, 0 events"))

        // A second init refuses the existing log and leaves it alone.
        let twice = try runSmcc(["init", log], in: scratch)
        #expect(twice.exited(2), "\(twice)")
        #expect(lines(twice.stderr).count == 1, "\(twice)")
        #expect(try info(log, in: scratch).events == 0)
    }
}
