@testable import CommandCenter
@testable import EventLog
import StoreTestSupport
import Testing

/// Projection snapshots (`Snapshot/`): a replay that starts from them must equal a replay from the
/// first event, whatever the seq, the projections or the state of the stored snapshots.
@Suite struct SnapshotTests {
    /// A small conference (about 6,000 events) and snapshots every 1,024 events: many deltas,
    /// escalations, role changes and emerging hashtags among them.
    static func simulatedLog(on engine: TestStore = .lmdb) throws -> (EventStore, DeskTemporaryDirectory) {
        let (_, _, _, dir) = try SimulationTests.simulate(ConferenceSimulation.Options(seed: 11, posts: 1_500), on: engine)
        return (try EventStore.open(at: dir.child("log", on: engine)), dir)
    }

    static let everyChunk = SnapshotPolicy(interval: 1_024, read: true, write: true)
    static let readOnly = SnapshotPolicy(interval: 1_024, read: true, write: false)

    @Test(arguments: TestStore.available) func replayFromSnapshotsEqualsReplayFromTheStart(_ engine: TestStore) throws {
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        let head = try #require(try store.log.head()).seq
        #expect(head > 5_000, "the simulation should give several snapshot intervals, got \(head) events")
        _ = try Replay.run(store, snapshots: Self.everyChunk)
        let stored = try store.log.snapshotSequences(DeskState.snapshotName)
        #expect(stored == Array(stride(from: 1_024, through: head, by: 1_024)))
        #expect(try store.log.snapshotSequences(Statistics.snapshotName) == stored)

        // On a boundary, just after one, just before one, and the whole log.
        for through in [1_024, 1_025, 3_071, 4_096, head - 1, head] {
            let expected = try Replay.run(store, through: through, snapshots: .none)
            let fromSnapshots = try Replay.run(store, through: through, snapshots: Self.readOnly)
            #expect(fromSnapshots.desk == expected.desk, "desk through \(through)")
            #expect(fromSnapshots.statistics == expected.statistics, "statistics through \(through)")
            #expect(fromSnapshots.lastSeq == expected.lastSeq)
            for projections: Replay.Projections in [.desk, .statistics] {
                let one = try Replay.run(store, through: through, projections: projections, snapshots: Self.readOnly)
                if projections == .desk { #expect(one.desk == expected.desk) } else { #expect(one.statistics == expected.statistics) }
            }
        }
    }

    @Test(arguments: TestStore.available) func theStateLoadedFromSnapshotsIsTheStateAtTheirSeq(_ engine: TestStore) throws {
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        _ = try Replay.run(store, snapshots: Self.everyChunk)
        for seq: UInt64 in [1_024, 2_048, 5_120] {
            let expected = try Replay.run(store, through: seq, snapshots: .none)
            let desk = try #require(ProjectionSnapshots.desk(store.log, through: seq + 100))
            #expect(desk == expected.desk)
            let statistics = try #require(ProjectionSnapshots.statistics(store.log, through: seq + 100, target: 900))
            #expect(statistics == expected.statistics)
            // The conversation loaded on another core, as above, and in line with the rest.
            let inLine = try #require(ProjectionSnapshots.load(Statistics(target: 900), from: store.log, through: seq + 100))
            #expect(inLine == expected.statistics)
            // `==` of the symbols compares their keys; the tables that find them are compared
            // here: built on another core from the deltas' headers (desk, in line) or after the
            // load (statistics), each must find every post where the replay put it.
            #expect(desk.symbols.posts == expected.desk.symbols.posts && desk.symbols.posts.count == desk.records.count)
            #expect(statistics.symbols.posts == expected.statistics.symbols.posts)
            #expect(inLine.symbols.posts == expected.statistics.symbols.posts && inLine.symbols.posts.count == expected.desk.records.count)
            let deskChain = try store.log.snapshots(DeskState.snapshotName, through: seq).map(\.bytes)
            #expect(Symbols.postTable(of: deskChain, capacity: 0, symbolsStart: DeskState.symbolsStart) == expected.desk.symbols.posts)
            let statisticsChain = try store.log.snapshots(Statistics.snapshotName, through: seq).map(\.bytes)
            #expect(Symbols.postTable(of: statisticsChain, capacity: 0, symbolsStart: Statistics.symbolsStart) == expected.statistics.symbols.posts)
        }
    }

    @Test(arguments: TestStore.available) func aReplayThatStartsFromASnapshotStoresTheRestOfTheChain(_ engine: TestStore) throws {
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        let head = try #require(try store.log.head()).seq
        // First up to 2,500 (snapshots 1,024 and 2,048), then everything from there.
        _ = try Replay.run(store, through: 2_500, snapshots: Self.everyChunk)
        #expect(try store.log.snapshotSequences(DeskState.snapshotName) == [1_024, 2_048])
        _ = try Replay.run(store, projections: .desk, snapshots: Self.everyChunk)
        #expect(try store.log.snapshotSequences(DeskState.snapshotName) == Array(stride(from: 1_024, through: head, by: 1_024)))
        #expect(try store.log.snapshotSequences(Statistics.snapshotName) == [1_024, 2_048])
        let desk = try #require(ProjectionSnapshots.desk(store.log, through: head))
        #expect(desk == (try Replay.run(store, through: desk.lastSeq, projections: .desk, snapshots: .none)).desk)
    }

    @Test(arguments: TestStore.available) func aDeltaThatDoesNotLinkIsSkippedAndTheChainStopsBeforeIt(_ engine: TestStore) throws {
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        _ = try Replay.run(store, through: 3_100, snapshots: Self.everyChunk)
        // A delta at 2,048 written against the empty state does not follow the one at 1,024; the
        // one at 3,072 follows the original 2,048, which is gone.
        let atTwo = try Replay.run(store, through: 2_048, projections: .desk, snapshots: .none).desk
        try store.log.saveSnapshot(DeskState.snapshotName, seq: 2_048, bytes: ProjectionSnapshots.delta(atTwo, since: .init()).bytes)
        let desk = try #require(ProjectionSnapshots.desk(store.log, through: 3_100))
        #expect(desk.lastSeq == 1_024)
        let replayed = try Replay.run(store, through: 3_100, projections: .desk, snapshots: Self.readOnly)
        #expect(replayed.desk == (try Replay.run(store, through: 3_100, projections: .desk, snapshots: .none)).desk)
        // The same for the statistics, whose conversation sections are applied apart.
        let statisticsAtTwo = try Replay.run(store, through: 2_048, projections: .statistics, snapshots: .none).statistics
        try store.log.saveSnapshot(Statistics.snapshotName, seq: 2_048, bytes: ProjectionSnapshots.delta(statisticsAtTwo, since: .init()).bytes)
        let statistics = try #require(ProjectionSnapshots.statistics(store.log, through: 3_100, target: 900))
        #expect(statistics.lastSeq == 1_024)
        #expect(statistics == (try Replay.run(store, through: 1_024, projections: .statistics, snapshots: .none)).statistics)
    }

    @Test(arguments: TestStore.available) func snapshotsOfAnEarlierFormAreDeletedWhenTheirProjectionIsStored(_ engine: TestStore) throws {
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        // What an earlier build left (its own byte forms), and names this build does not own.
        for name in ["statistics.6", "desk.4", "desk.4x", "deskx.1", "desk"] {
            try store.log.saveSnapshot(name, seq: 1_024, bytes: [1, 2, 3])
        }
        _ = try Replay.run(store, through: 2_100, projections: .statistics, snapshots: Self.everyChunk)
        #expect(try store.log.snapshotNames() == ["desk", "desk.4", "desk.4x", "deskx.1", Statistics.snapshotName])
        _ = try Replay.run(store, through: 2_100, snapshots: Self.everyChunk)
        #expect(try store.log.snapshotNames() == ["desk", "desk.4x", DeskState.snapshotName, "deskx.1", Statistics.snapshotName])
        #expect(try store.log.snapshotSequences(DeskState.snapshotName) == [1_024, 2_048])
        // A replay that stores nothing deletes nothing.
        try store.log.saveSnapshot("statistics.1", seq: 1_024, bytes: [4])
        _ = try Replay.run(store, through: 2_100, snapshots: Self.everyChunk)
        #expect(try store.log.snapshotNames().contains("statistics.1"))
    }

    @Test(arguments: TestStore.available) func snapshotsAreReallyRead(_ engine: TestStore) throws {
        // Proof that a replay starts from the stored state: a snapshot that (falsely) holds one
        // more listening rule shows up in the result, since the log's events never remove it.
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        var desk = try Replay.run(store, through: 1_024, projections: .desk, snapshots: .none).desk
        desk.listeningRules.insert("#planted")
        try store.log.saveSnapshot(DeskState.snapshotName, seq: 1_024, bytes: ProjectionSnapshots.delta(desk, since: .init()).bytes)
        let replayed = try Replay.run(store, through: 1_500, projections: .desk, snapshots: Self.readOnly)
        #expect(replayed.desk.listeningRules.contains("#planted"))
        let fresh = try Replay.run(store, through: 1_500, projections: .desk, snapshots: .none)
        #expect(!fresh.desk.listeningRules.contains("#planted"))
    }

    @Test(arguments: TestStore.available) func damagedDeltasNeverTrapAndAreNeverUsed(_ engine: TestStore) throws {
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        let desk = try Replay.run(store, through: 2_048, snapshots: .none)
        let deskBytes = ProjectionSnapshots.delta(desk.desk, since: .init()).bytes
        let statisticsBytes = ProjectionSnapshots.delta(desk.statistics, since: .init()).bytes
        // Every truncation, and a byte flipped at many positions: a loader that trusted a count
        // or an index would trap or allocate without bound here.
        var damaged: [[UInt8]] = stride(from: 0, to: deskBytes.count, by: max(1, deskBytes.count / 400)).map { Array(deskBytes[..<$0]) }
        for position in stride(from: 0, to: deskBytes.count, by: max(1, deskBytes.count / 400)) {
            var flipped = deskBytes
            flipped[position] ^= 0xA5
            damaged.append(flipped)
        }
        for bytes in damaged {
            var reader = SnapshotReader(bytes)
            var state = DeskState()
            let table = Symbols.postTable(of: [bytes], capacity: 0, symbolsStart: DeskState.symbolsStart)
            if let applied = try? state.applySnapshotDelta(&reader), applied, reader.isAtEnd { state.finishSnapshotLoad(postTable: table) }
        }
        for end in stride(from: 0, to: statisticsBytes.count, by: max(1, statisticsBytes.count / 400)) {
            var reader = SnapshotReader(Array(statisticsBytes[..<end]))
            var state = Statistics()
            #expect((try? state.applySnapshotDelta(&reader)) == nil || !reader.isAtEnd || end == statisticsBytes.count)
        }
    }

    @Test(arguments: TestStore.available) func aSnapshotNotTiedToTheChainIsIgnored(_ engine: TestStore) throws {
        let (store, dir) = try Self.simulatedLog(on: engine)
        defer { withExtendedLifetime(dir) {} }
        _ = try Replay.run(store, through: 2_100, projections: .desk, snapshots: Self.everyChunk)
        #expect(try store.log.snapshots(DeskState.snapshotName, through: 2_100).map(\.seq) == [1_024, 2_048])
        // Rewrite the chain hash stored with the snapshot at 2,048, as a log rebuilt in place would.
        let key = EventLog.snapshotKey(DeskState.snapshotName, 2_048)
        let snapshots = try #require(store.log.snapshots)
        let stored = try store.log.environment.read { txn throws(LogError) in try txn.get(snapshots, key) }
        var value = try #require(stored)
        value[8] ^= 0xFF
        try store.log.environment.write { txn throws(LogError) in try txn.put(snapshots, key, value) }
        #expect(try store.log.snapshots(DeskState.snapshotName, through: 2_100).map(\.seq) == [1_024])
        #expect(ProjectionSnapshots.desk(store.log, through: 2_100)?.lastSeq == 1_024)
        #expect(throws: LogError.self) { try store.log.saveSnapshot("x", seq: 1_000, bytes: [1]) }
        #expect(throws: LogError.self) { try store.log.saveSnapshot("x", seq: 1_024 * 1_000, bytes: [1]) }
    }

    @Test(arguments: TestStore.available) func aReadOnlyLogAnswersFromSnapshotsAndStoresNone(_ engine: TestStore) throws {
        let dir: DeskTemporaryDirectory
        do {
            // One environment per file in a process (LMDB's rule): the writable one closes first.
            let (store, simulated) = try Self.simulatedLog(on: engine)
            dir = simulated
            _ = try Replay.run(store, through: 2_100, snapshots: Self.everyChunk)
        }
        defer { withExtendedLifetime(dir) {} }
        let readOnly = try EventStore.open(at: dir.child("log", on: engine), readOnly: true)
        let result = try Replay.run(readOnly, through: 4_000, snapshots: Self.everyChunk)
        #expect(result.desk == (try Replay.run(readOnly, through: 4_000, snapshots: .none)).desk)
        #expect(result.statistics == (try Replay.run(readOnly, through: 4_000, snapshots: .none)).statistics)
        #expect(try readOnly.log.snapshotSequences(DeskState.snapshotName) == [1_024, 2_048])
    }
}

/// The post id keys and the table the projections find posts with.
@Suite struct PostTableTests {
    @Test func keysAreOneToOneWithIds() {
        let ids = ["twitter:1", "twitter:0123", "twitter:123", "twitter:18446744073709551615", "twitter:9999999999999999999",
                   "other:5", "facebook:104857600123_900000000008", "linkedin:urn:li:activity:1", "tiktok:5", ":5", "twitter:", "5",
                   "twitter:12a", "bluesky:3kap5d726zsjh255", "youtube:7", "mastodon:32214644193886208", "instagram:1", "twitterx:1"]
        let keys = ids.map(PostKey.init)
        #expect(Set(keys).count == ids.count, "two ids share a key")
        for (id, key) in zip(ids, keys) { #expect(key.id == id) }
        #expect(PostKey("twitter:123") == .numbered(channel: Channel.twitter.code, number: 123))
        #expect(PostKey("twitter:0123") == .other("twitter:0123"))
        #expect(PostKey("twitter:18446744073709551615") == .other("twitter:18446744073709551615"), "20 digits stay a string")
        #expect(PostKey("twitterx:1") == .other("twitterx:1"))
    }

    @Test func theTableAgreesWithADictionary() {
        var generator = SplitMix64(seed: 5)
        var table = PostTable()
        var reference: [PostKey: Int32] = [:]
        for n in 0..<50_000 {
            // Snowflake-like ids that share low bits, some repeats, some string ids.
            let key: PostKey = n % 97 == 0 ? .other("x:\(generator.next() % 1_000)")
                : .numbered(channel: UInt8(generator.next() % 8), number: (generator.next() % 5_000) << 22)
            let value = Int32(n)
            #expect(table.updateValue(value, forKey: key) == reference.updateValue(value, forKey: key))
        }
        #expect(table.count == reference.count)
        for (key, value) in reference { #expect(table[key] == value) }
        #expect(table[.numbered(channel: 0, number: 3)] == nil)
        // Equal by content, whatever the order of insertion or the capacity.
        var other = PostTable()
        other.reserveCapacity(reference.count * 3)
        for (key, value) in reference.sorted(by: { $0.value > $1.value }) { other[key] = value }
        #expect(other == table)
        other[reference.first!.key] = -1
        #expect(other != table)
    }

    @Test func keysInsertedAtOnceAreFoundAsOneByOne() {
        var generator = SplitMix64(seed: 9)
        var keys: [PostKey] = []
        var seen: Set<PostKey> = []
        while keys.count < 40_000 {
            let key: PostKey = keys.count % 101 == 0 ? .other("x:\(generator.next())")
                : .numbered(channel: UInt8(generator.next() % 8), number: (generator.next() % 1_000_000) << 22)
            if seen.insert(key).inserted { keys.append(key) }
        }
        var oneByOne = PostTable()
        for (position, key) in keys.enumerated() { oneByOne[key] = Int32(position) }
        // In two steps, as a snapshot load appends after the posts already indexed.
        var atOnce = PostTable()
        for (position, key) in keys[..<1_000].enumerated() { atOnce[key] = Int32(position) }
        let inserted = atOnce.insertNew(keys[1_000...])
        #expect(inserted)
        #expect(atOnce == oneByOne)
        for (position, key) in keys.enumerated() { #expect(atOnce[key] == Int32(position)) }
        #expect(atOnce[.numbered(channel: 0, number: 1)] == nil)
        // A key already there, or repeated among the new ones, makes the load unusable.
        var again = atOnce, repeated = PostTable(), repeatedOther = PostTable()
        let refused = [again.insertNew([keys[5]][...]), repeated.insertNew([keys[1], keys[2], keys[1]][...]),
                       repeatedOther.insertNew([keys[0], keys[0]][...])]
        #expect(refused == [false, false, false])
    }
}
