@testable import CommandCenter
import EventLog
import StoreTestSupport
import Testing

/// `Replay.retrospective` (the report's one pass, events read in place) must fold exactly what
/// the projections' own `apply(Event)` folds from the decoded events.
@Suite struct RetrospectiveTests {
    /// The statistics, timeline and counts folded from decoded events, as the report did before
    /// it read the events in place.
    static func foldedFromDecodedEvents(_ store: EventStore, target: Int = 900) throws -> Replay.Retrospective {
        var folded = Replay.Retrospective(statistics: Statistics(target: target), timeline: DeskTimelineProjection(), deskEvents: 0)
        try store.events { seq, event in
            folded.statistics.apply(event, seq: seq)
            folded.timeline.apply(event, seq: seq)
            switch event.kind {
            case .postReceived, .personalDataErased, .logUpgraded: break
            case .eventDescribed: folded.describedAt = event.at.milliseconds
            default: folded.deskEvents += 1
            }
            return true
        }
        return folded
    }

    static func expectSame(_ read: Replay.Retrospective, _ decoded: Replay.Retrospective) {
        #expect(read.statistics == decoded.statistics)
        #expect(read.statistics.report(by: [.hour, .channel]) == decoded.statistics.report(by: [.hour, .channel]))
        #expect(read.timeline.hourly() == decoded.timeline.hourly())
        #expect(read.timeline.desk == decoded.timeline.desk)
        #expect(read.timeline.desk.queuesDocument() == decoded.timeline.desk.queuesDocument())
        #expect(read.deskEvents == decoded.deskEvents)
        #expect(read.describedAt == decoded.describedAt)
    }

    @Test(arguments: TestStore.available) func aSimulatedConferenceWithItsDescription(_ engine: TestStore) throws {
        let (store, dir) = try SnapshotTests.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        let last = try #require(try store.log.head())
        let lastAt = try #require(store.events(at: [last.seq]).first).event.at
        _ = try store.append([Event(at: lastAt, actor: "system", body: .eventDescribed(EventDescribed(
            name: "PivotCon", timeZone: "Europe/Amsterdam", firstDay: "2026-06-01", lastDay: "2026-06-03", hashtags: ["pivotcon26"])))])
        let read = try Replay.retrospective(store, target: 600)
        let decoded = try Self.foldedFromDecodedEvents(store, target: 600)
        #expect(read.timeline.hourly().count > 24, "the simulation spans days")
        #expect(read.deskEvents > 1_000)
        #expect(read.describedAt == lastAt.milliseconds)
        Self.expectSame(read, decoded)
    }

    @Test func quietHoursAndTheDeskBetweenThem() throws {
        let dir = DeskTemporaryDirectory()
        let store = try EventStore.create(at: dir.child("log"))
        _ = try store.append(DeskTimelineProjectionTests.events)
        let read = try Replay.retrospective(store)
        #expect(read.timeline.hourly().count == 3)
        Self.expectSame(read, try Self.foldedFromDecodedEvents(store))
    }

    @Test func anEmptyLog() throws {
        let dir = DeskTemporaryDirectory()
        let store = try EventStore.create(at: dir.child("log"))
        let read = try Replay.retrospective(store)
        #expect(read.timeline.hourly().isEmpty)
        #expect(read.statistics.events == 0)
        #expect(read.deskEvents == 0 && read.describedAt == nil)
    }
}
