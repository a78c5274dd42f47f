import CommandCenter
import EventLog
import StoreTestSupport
import Testing

struct DeskStoreTests {
    static let t0: Int64 = 1_780_383_600_000
    static func at(_ s: Int64) -> Timestamp { Timestamp(milliseconds: t0 + s * 1000) }

    static func bootstrap(_ desk: Desk) throws {
        try desk.execute(.joinVolunteer(volunteer: "vol:mia", name: "Mia", role: .coordinator), actor: "system", at: at(1))
        try desk.execute(.joinVolunteer(volunteer: "vol:ana", name: "Ana", role: .ambassador), actor: "vol:mia", at: at(2))
        try desk.execute(.joinVolunteer(volunteer: "vol:sam", name: "Sam", role: .streamMonitor), actor: "vol:mia", at: at(3))
        try desk.execute(.startShift(volunteer: "vol:ana"), actor: "vol:ana", at: at(4))
        try desk.execute(.startShift(volunteer: "vol:sam"), actor: "vol:sam", at: at(5))
    }

    @Test(arguments: TestStore.available) func executeAppendsAndReopenRebuildsTheSameState(_ engine: TestStore) throws {
        let dir = DeskTemporaryDirectory()
        let desk = try Desk(store: EventStore.create(at: dir.child("log", on: engine)))
        try Self.bootstrap(desk)
        let received = try desk.execute(.receivePost(DeskFixture.post("twitter:1")), actor: "monitor:twitter", at: Self.at(6))
        #expect(received.sequenceNumbers == [6])
        #expect(received.postVersion == 6)
        let assigned = try desk.execute(.assign(post: "twitter:1", to: "vol:ana", expectedVersion: 6), actor: "vol:sam", at: Self.at(7))
        #expect(assigned.sequenceNumbers == [7])
        #expect(assigned.postVersion == 7)
        let deduped = try desk.execute(.receivePost(DeskFixture.post("twitter:1")), actor: "import:twcs", at: Self.at(8))
        #expect(deduped.sequenceNumbers.isEmpty)
        #expect(deduped.postVersion == 7)
        try desk.execute(.reply(post: "twitter:1", text: "Level 2"), actor: "vol:ana", at: Self.at(9))
        let state = desk.state

        let reopened = try Desk(store: EventStore.open(at: dir.child("log", on: engine)))
        #expect(reopened.state == state)
        #expect(reopened.state.lastSeq == 8)
        #expect(reopened.state.post("twitter:1")?.replies == 1)
    }

    /// Two desks on one log (two servers whose writer lock was bypassed): each judges against its
    /// own state, but the append checks the head inside its transaction, so the second claim is
    /// judged again against the log and refused instead of both being accepted.
    @Test(arguments: TestStore.available) func twoDesksOnOneLogNeverBothClaimAPost(_ engine: TestStore) throws {
        let dir = DeskTemporaryDirectory()
        let first = try Desk(store: EventStore.create(at: dir.child("log", on: engine)))
        try Self.bootstrap(first)
        try first.execute(.joinVolunteer(volunteer: "vol:bo", name: "Bo", role: .streamMonitor), actor: "vol:mia", at: Self.at(6))
        try first.execute(.startShift(volunteer: "vol:bo"), actor: "vol:bo", at: Self.at(7))
        try first.execute(.receivePost(DeskFixture.post("twitter:1")), actor: "monitor:twitter", at: Self.at(8))
        let second = try Desk(store: EventStore.open(at: dir.child("log", on: engine)))
        #expect(second.state == first.state)

        try first.execute(.assign(post: "twitter:1", to: "vol:sam"), actor: "vol:sam", at: Self.at(9))
        #expect(throws: CommandRejection.self) {
            try second.execute(.assign(post: "twitter:1", to: "vol:bo"), actor: "vol:bo", at: Self.at(10))
        }
        let replayed = try Desk.replay(EventStore.open(at: dir.child("log", on: engine)))
        #expect(replayed.post("twitter:1")?.assignee == "vol:sam")
        #expect(replayed.lastSeq == 9)
        // The second desk caught up: its next command is judged on the log as it is.
        #expect(second.state == replayed)
        try second.execute(.addNote(post: "twitter:1", text: "seen"), actor: "vol:bo", at: Self.at(11))
        #expect(try Desk.replay(EventStore.open(at: dir.child("log", on: engine))).lastSeq == 10)
    }

    @Test(arguments: TestStore.available) func aRejectedCommandAppendsNothing(_ engine: TestStore) throws {
        let dir = DeskTemporaryDirectory()
        let store = try EventStore.create(at: dir.child("log", on: engine))
        let desk = try Desk(store: store)
        try Self.bootstrap(desk)
        #expect(throws: CommandRejection.self) {
            try desk.execute(.assign(post: "twitter:404", to: "vol:ana"), actor: "vol:sam", at: Self.at(6))
        }
        #expect(try store.log.lastRecordTime() == Self.at(5).milliseconds)
        #expect(desk.state.lastSeq == 5)
    }

    @Test(arguments: TestStore.available) func aBatchIsAllOrNothing(_ engine: TestStore) throws {
        let dir = DeskTemporaryDirectory()
        let store = try EventStore.create(at: dir.child("log", on: engine))
        let desk = try Desk(store: store)
        try Self.bootstrap(desk)
        let before = desk.state
        let bad: [(command: DeskCommand, actor: String, at: Timestamp)] = [
            (.receivePost(DeskFixture.post("twitter:1")), "system", Self.at(6)),
            (.assign(post: "twitter:1", to: "vol:ana"), "vol:sam", Self.at(7)),
            (.reply(post: "twitter:1", text: "hi"), "vol:sam", Self.at(8)),  // a monitor may not reply
            (.addNote(post: "twitter:1", text: "x"), "vol:ana", Self.at(9)),
        ]
        let rejection = #expect(throws: CommandRejection.self) { try desk.execute(batch: bad) }
        #expect(rejection?.code == .forbidden)
        #expect(desk.state == before)
        var count = 0
        try store.events { _, _ in count += 1; return true }
        #expect(count == 5)

        // The same batch without the bad command goes in whole, in one append.
        let good = bad.enumerated().filter { $0.offset != 2 }.map(\.element)
        let outcomes = try desk.execute(batch: good)
        #expect(outcomes.map(\.sequenceNumbers) == [[6], [7], [8]])
        #expect(outcomes.map(\.postVersion) == [6, 7, 8])
        let reopened = try Desk(store: EventStore.open(at: dir.child("log", on: engine)))
        #expect(reopened.state == desk.state)
    }

    @Test(arguments: TestStore.available) func aBatchDecidesEachCommandAgainstTheStateTheEarlierOnesLeave(_ engine: TestStore) throws {
        let dir = DeskTemporaryDirectory()
        let desk = try Desk(store: EventStore.create(at: dir.child("log", on: engine)))
        try Self.bootstrap(desk)
        // The second receive of the same post, in the same batch, is deduplicated.
        let outcomes = try desk.execute(batch: [
            (.receivePost(DeskFixture.post("twitter:1")), "system", Self.at(6)),
            (.receivePost(DeskFixture.post("twitter:1")), "system", Self.at(6)),
            (.assign(post: "twitter:1", to: "vol:ana", expectedVersion: 6), "vol:sam", Self.at(7)),
        ])
        #expect(outcomes.map(\.events.count) == [1, 0, 1])
        #expect(desk.state.volunteerQueue("vol:ana").map(\.id) == ["twitter:1"])
    }
}
