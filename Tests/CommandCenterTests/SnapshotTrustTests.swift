@testable import CommandCenter
@testable import EventLog
import Crypto
import StoreTestSupport
import Testing

/// Snapshots are a cache, but a used one answers queries: one that is not the state the events
/// make must never be used unnoticed.
@Suite struct SnapshotTrustTests {
    /// The state of `store` through `seq`, except that the event at `seq` is replaced by `forged`.
    static func forgedDesk(_ store: EventStore, at seq: UInt64, _ forged: Event) throws -> DeskState {
        var desk = try Replay.run(store, through: seq - 1, projections: .desk, snapshots: .none).desk
        desk.apply(forged, seq: seq)
        return desk
    }

    /// A volunteer who is active and not a coordinator at `seq`.
    static func ambassador(_ store: EventStore, through seq: UInt64) throws -> String {
        let desk = try Replay.run(store, through: seq, projections: .desk, snapshots: .none).desk
        return try #require(desk.volunteers.values.filter { $0.active && $0.role != .coordinator }.map(\.id).sorted().first)
    }

    /// Someone with the log's key writes a snapshot in which an ambassador is a coordinator (its
    /// MAC is valid): `verify` rebuilds it from the events and names it.
    @Test(arguments: TestStore.available) func aForgedSnapshotWithAValidMACIsNamedByVerify(_ engine: TestStore) throws {
        let (store, dir) = try SnapshotTests.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        _ = try Replay.run(store, snapshots: SnapshotTests.everyChunk)
        let clean = try store.verifySnapshots()
        #expect(clean.failure == nil)
        #expect(clean.checked[DeskState.snapshotName] ?? 0 >= 5)

        let victim = try Self.ambassador(store, through: 2_047)
        let before = try Replay.run(store, through: 1_024, projections: .desk, snapshots: .none).desk
        let role = try #require(before.volunteer(victim)?.role)
        let record = try #require(try store.log.record(2_048))
        let forged = try Self.forgedDesk(store, at: 2_048, Event(
            at: Timestamp(milliseconds: record.time), actor: "vol:mia",
            body: .roleChanged(RoleChanged(volunteer: victim, from: role, to: .coordinator))))
        try store.log.saveSnapshot(DeskState.snapshotName, seq: 2_048, bytes: ProjectionSnapshots.delta(forged, since: before.snapshotBaseline).bytes)
        // The forged delta links (it was written against the state at 1,024), so a load uses it...
        #expect(ProjectionSnapshots.desk(store.log, through: 2_100)?.volunteer(victim)?.role == .coordinator)
        // ...and verify says so, at its seq.
        let check = try store.verifySnapshots()
        #expect(check.failure?.seq == 2_048, "\(String(describing: check.failure))")
    }

    /// A snapshot whose bytes changed without its MAC, or that comes from another log, is never
    /// loaded: the query replays instead and gets the events' answer.
    @Test(arguments: TestStore.available) func aSnapshotWithoutAValidMACIsNeverLoaded(_ engine: TestStore) throws {
        let (store, dir) = try SnapshotTests.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        _ = try Replay.run(store, snapshots: SnapshotTests.everyChunk)
        #expect(ProjectionSnapshots.desk(store.log, through: 1_100)?.lastSeq == 1_024)
        // Another log's key: the same bytes, MAC'd by a stranger.
        let (other, otherDir) = try SnapshotTests.simulatedLog(on: engine)
        defer { withExtendedLifetime(otherDir) {} }
        _ = try Replay.run(other, through: 1_100, snapshots: SnapshotTests.everyChunk)
        let stranger = try #require(try other.log.snapshots(DeskState.snapshotName, through: 1_024).first)
        try other.log.environment.write { txn throws(LogError) in
            let key = try txn.get(other.log.meta, Array("snapshotKey".utf8))!
            let value = try txn.get(other.log.snapshots!, EventLog.snapshotKey(DeskState.snapshotName, 1_024))!
            try store.log.environment.write { target throws(LogError) in
                // Its checkpoint is this log's (the simulations are the same), its MAC the other key's.
                #expect(key != (try target.get(store.log.meta, Array("snapshotKey".utf8))))
                try target.put(store.log.snapshots!, EventLog.snapshotKey(DeskState.snapshotName, 1_024), value)
            }
        }
        #expect(stranger.seq == 1_024)
        #expect(ProjectionSnapshots.desk(store.log, through: 1_100) == nil, "a snapshot MAC'd under another log's key was loaded")
        let answered = try Replay.run(store, through: 1_100, projections: .desk, snapshots: SnapshotTests.readOnly)
        #expect(answered.desk == (try Replay.run(store, through: 1_100, projections: .desk, snapshots: .none)).desk)
    }

    /// Any changed byte of a stored value — its length, its checkpoint, its MAC or its compressed
    /// frame — makes the snapshot absent, and the MAC is checked on the frame as stored; a value
    /// whose MAC covers the decompressed bytes (the layout before the MAC moved to the frame) is
    /// absent too, and the next writing replay stores it again.
    @Test(arguments: TestStore.available) func everyChangedByteAndTheEarlierMACAreRefused(_ engine: TestStore) throws {
        let (store, dir) = try SnapshotTests.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        _ = try Replay.run(store, snapshots: SnapshotTests.everyChunk)
        // Compared as a Bool: a failure would print two whole desks.
        let expected = try Replay.run(store, through: 1_024, projections: .desk, snapshots: .none).desk
        let loadsBefore = ProjectionSnapshots.desk(store.log, through: 1_100) == expected
        #expect(loadsBefore)
        let key = EventLog.snapshotKey(DeskState.snapshotName, 1_024)
        let stored = try #require(try store.log.environment.read { txn throws(LogError) in try txn.get(store.log.snapshots!, key) })
        let macKey = try #require(try store.log.environment.read { txn throws(LogError) in try txn.get(store.log.meta, Array("snapshotKey".utf8)) })
        func load(_ value: [UInt8]) throws -> DeskState? {
            try store.log.environment.write { txn throws(LogError) in try txn.put(store.log.snapshots!, key, value) }
            return ProjectionSnapshots.desk(store.log, through: 1_100)
        }
        for offset in Array(0..<80) + Array(stride(from: 80, to: stored.count, by: 37)) + [stored.count - 1] {
            var changed = stored
            changed[offset] ^= 0x20
            let loaded = try load(changed)
            #expect(loaded == nil, "a change at byte \(offset) of \(stored.count) was loaded")
        }
        let loadsUnchanged = try load(stored) == expected
        #expect(loadsUnchanged)

        // The earlier MAC: over BE64(length of name) ‖ name ‖ BE64(seq) ‖ H(seq) ‖ the bytes.
        let bytes = try #require(try store.log.snapshots(DeskState.snapshotName, through: 1_024).last).bytes
        var earlier = HMAC<SHA256>(key: SymmetricKey(data: macKey))
        let name = Array(DeskState.snapshotName.utf8)
        earlier.update(data: BigEndian.bytes(UInt64(name.count)) + name + BigEndian.bytes(UInt64(1_024)) + Array(stored[8..<40]))
        earlier.update(data: bytes)
        let loadedEarlier = try load(Array(stored[0..<40]) + Array(earlier.finalize()) + Array(stored[72...]))
        #expect(loadedEarlier == nil)
        _ = try Replay.run(store, through: 1_100, projections: .desk, snapshots: SnapshotTests.everyChunk)
        let storedAgain = ProjectionSnapshots.desk(store.log, through: 1_100) == expected
        #expect(storedAgain)
    }
}
