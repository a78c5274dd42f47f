import EventLog
import Foundation
import StoreTestSupport
import Testing

struct EventLogTests {
    let directory = TemporaryDirectory()

    func records(_ range: Range<Int>, start: Int64 = 1_700_000_000_000) -> [LogRecord] {
        range.map { LogRecord(time: start + Int64($0) * 250, payload: SamplePayloads.payload($0)) }
    }

    func allRecords(_ log: EventLog) throws -> [StoredRecord] {
        var all: [StoredRecord] = []
        try log.scan { view in
            all.append(StoredRecord(seq: view.seq, time: view.time, payload: Array(view.payload), personal: view.personal.map(Array.init), isErased: view.isErased))
            return true
        }
        return all
    }

    @Test(arguments: TestStore.available) func appendsGaplessSequenceNumbersAndReadsThemBack(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        let first = try log.append(records(0..<5))
        #expect(first.sequenceNumbers == [1, 2, 3, 4, 5])
        #expect(first.appended == 5)
        let second = try log.append(records(5..<40))
        #expect(second.sequenceNumbers == Array(6...40))
        let stored = try allRecords(log)
        #expect(stored.map(\.seq) == Array(1...40))
        #expect(stored.map(\.payload) == records(0..<40).map(\.payload))
        #expect(stored.map(\.time) == records(0..<40).map(\.time))
        #expect(try log.record(17)?.payload == SamplePayloads.payload(16))
        #expect(try log.record(41) == nil)
        #expect(try log.head()?.seq == 40)
    }

    @Test(arguments: TestStore.available) func anAppendAgainstAStaleHeadAppendsNothing(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        try log.append(records(0..<10), metadata: [:], expectedHead: 0)
        let other = try EventLog.open(at: directory.child("log", on: store))
        try other.append(records(10..<12), metadata: [:], expectedHead: 10)
        // The first writer decided against head 10; the log is at 12 now.
        #expect {
            try log.append(records(12..<20), metadata: ["progress": [1]], expectedHead: 10)
        } throws: { ($0 as? LogError)?.code == .headMoved }
        #expect(try log.head()?.seq == 12)
        #expect(try log.metadata("progress") == nil)
        #expect(try allRecords(log).map(\.payload) == records(0..<12).map(\.payload))
        // Against the right head it goes through.
        let outcome = try log.append(records(12..<20), metadata: [:], expectedHead: 12)
        #expect(outcome.sequenceNumbers == Array(13...20))
    }

    @Test(arguments: TestStore.available) func scansARangeFromTheMiddleOfAChunk(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        try log.append(records(0..<100))
        var seen: [UInt64] = []
        try log.scan(from: 21, through: 50) { view in
            seen.append(view.seq)
            return true
        }
        #expect(seen == Array(21...50))
        var stoppedAt: [UInt64] = []
        try log.scan(from: 90) { view in
            stoppedAt.append(view.seq)
            return view.seq < 93
        }
        #expect(stoppedAt == [90, 91, 92, 93])
    }

    @Test(arguments: TestStore.available) func manySmallAppendsAcrossReopeningExtendTheTailChunk(_ store: TestStore) throws {
        let path = directory.child("log", on: store)
        var expected: [[UInt8]] = []
        for round in 0..<5 {
            let log = round == 0 ? try EventLog.create(at: path) : try EventLog.open(at: path)
            for i in 0..<7 {
                let n = round * 7 + i
                try log.append(records(n..<(n + 1)))
                expected.append(SamplePayloads.payload(n))
            }
        }
        let log = try EventLog.open(at: path)
        #expect(try allRecords(log).map(\.payload) == expected)
        let report = try log.verify()
        #expect(report.isValid, "\(String(describing: report.failure))")
        #expect(report.events == 35)
    }

    @Test(arguments: TestStore.available) func largeLogsTrainADictionaryAndStayReadable(_ store: TestStore) throws {
        let path = directory.child("log", on: store)
        let log = try EventLog.create(at: path)
        for start in stride(from: 0, to: 12_000, by: 1_000) {
            try log.append(records(start..<(start + 1_000)))
        }
        let info = try log.info()
        #expect(info.dictionaryIds == [1])
        #expect(info.events == 12_000)
        #expect(info.chunks == 750)
        let stored = try allRecords(log)
        #expect(stored.count == 12_000)
        #expect(stored[0].payload == SamplePayloads.payload(0))
        #expect(stored[11_999].payload == SamplePayloads.payload(11_999))
        let eventsBytes = try #require(info.databases.first { $0.name == "events" }).bytes
        // Dictionary compression must actually pay: these payloads are ~60–110 bytes of text.
        #expect(Double(eventsBytes) / 12_000 < 60)
        #expect(try log.verify().isValid)
    }

    @Test(arguments: TestStore.available) func aChangeOfTextTrainsANewDictionaryAndOldRecordsStayReadable(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        // 12,000 records of one vocabulary, then 12,000 of an unrelated one: the drift check at
        // 16,384 finds recent chunks compressing far worse than right after training.
        try log.append(records(0..<12_000))
        var generator = SeededGenerator(seed: 3)
        let foreign = (0..<12_000).map { n in
            let words = (0..<14).map { _ in String((0..<7).map { _ in Character(UnicodeScalar(UInt8(0x61 + generator.next() % 6))) }) }
            return LogRecord(time: 1_800_000_000_000 + Int64(n), payload: Array(("zz|" + words.joined(separator: "-")).utf8))
        }
        for start in stride(from: 0, to: 12_000, by: 3_000) { try log.append(Array(foreign[start..<(start + 3_000)])) }
        #expect(try log.info().dictionaryIds == [1, 2])
        #expect(try log.record(5)?.payload == SamplePayloads.payload(4))
        #expect(try log.record(24_000)?.payload == foreign[11_999].payload)
        #expect(try log.verify().isValid)
    }

    @Test(arguments: TestStore.available) func idempotencyKeysAppendOnce(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        let key = Array("twitter:42".utf8)
        var first = records(0..<2)
        first[1].idempotencyKey = key
        #expect(try log.append(first).sequenceNumbers == [1, 2])
        var again = records(2..<4)
        again[0].idempotencyKey = key
        let outcome = try log.append(again)
        #expect(outcome.sequenceNumbers == [2, 3])
        #expect(outcome.appended == 1)
        var twiceInOneBatch = records(4..<6)
        twiceInOneBatch[0].idempotencyKey = Array("k".utf8)
        twiceInOneBatch[1].idempotencyKey = Array("k".utf8)
        #expect(try log.append(twiceInOneBatch).sequenceNumbers == [4, 4])
        #expect(try log.sequenceNumber(idempotencyKey: key) == 2)
        #expect(try log.head()?.seq == 4)
    }

    @Test(arguments: TestStore.available) func largeAppendsSealedOnEveryCoreReadBackAndVerify(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        var written = records(0..<6_000)
        for index in written.indices where index % 5 == 0 { written[index].personal = .bytes(Array("person \(index)".utf8)) }
        for index in written.indices where index % 5 == 3 { written[index].personal = .erased }
        // Appends of 512 records or more are sealed in slices on several threads: these start at
        // different offsets into the tail chunk, with small appends (sealed on one thread) between.
        var offset = 0
        for size in [5, 1_203, 1, 2_048, 11, 2_700, 32] {
            try log.append(Array(written[offset..<(offset + size)]))
            offset += size
        }
        #expect(offset == written.count)
        let report = try log.verify()
        #expect(report.isValid, "\(report.failure.map { "\($0.seq): \($0.reason)" } ?? "")")
        #expect(report.events == 6_000)
        #expect(report.head == (try log.head()))
        let stored = try allRecords(log)
        #expect(stored.map(\.seq) == Array(1...6_000))
        #expect(stored.map(\.time) == written.map(\.time))
        #expect(stored.map(\.payload) == written.map(\.payload))
        #expect(stored.map(\.personal) == written.map { if case .bytes(let bytes) = $0.personal { bytes } else { nil } })
        #expect(stored.map(\.isErased) == written.map { $0.personal == .erased })
    }

    /// Record `n` of ``records(_:start:)``, introducing `post`: the only record under it in the "post" index.
    func introducing(_ post: String, _ n: Int) -> LogRecord {
        var record = records(n..<(n + 1))[0]
        record.uniqueIndexEntry = IndexEntry(index: "post", key: Array(post.utf8))
        return record
    }

    @Test(arguments: TestStore.available) func uniqueIndexEntriesAppendARecordOnce(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store), indexes: ["post"])
        func about(_ post: String, _ n: Int) -> LogRecord {
            var record = records(n..<(n + 1))[0]
            record.indexEntries = [IndexEntry(index: "post", key: Array(post.utf8))]
            return record
        }
        #expect(try log.append([introducing("a", 0), about("a", 1), introducing("b", 2), introducing("a", 3)]).sequenceNumbers == [1, 2, 3, 1])
        #expect(try log.append([introducing("b", 4), introducing("c", 5), about("b", 6)]).sequenceNumbers == [3, 4, 5])
        #expect(try log.firstSequenceNumber(index: "post", key: Array("b".utf8)) == 3)
        #expect(try log.firstSequenceNumber(index: "post", key: Array("zz".utf8)) == nil)
        #expect(try log.sequenceNumbers(index: "post", key: Array("b".utf8)) == [3, 5])
        #expect(try log.head()?.seq == 5)
    }

    /// A large batch is sealed before it is planned, as if every record were new; when the planning
    /// drops records (posts the log has, a post twice in the batch) or refuses the batch, that
    /// sealing must be thrown away and the records appended as planned.
    @Test(arguments: TestStore.available) func aLargeBatchSealedBeforePlanningIsAppendedAsPlanned(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store), indexes: ["post"])
        let first = (0..<600).map { introducing("p\($0)", $0) }
        #expect(try log.append(first).sequenceNumbers == Array(1...600))
        // Every seventh record introduces a post the log has; the last introduces one of this batch again.
        var second = (600..<1_300).map { n in n % 7 == 0 ? introducing("p\(n % 600)", n) : introducing("p\(n)", n) }
        second.append(introducing("p601", 1_300))
        let outcome = try log.append(second)
        let kept = second.indices.filter { ($0 + 600) % 7 != 0 && $0 != second.count - 1 }
        #expect(outcome.appended == kept.count)
        #expect(outcome.sequenceNumbers.last == 602)
        #expect(Array(outcome.sequenceNumbers.prefix(3)) == [601, 602, 3])
        // Refused by the planning after the early sealing started (a key over the limit), or before
        // it could start (a time that goes back): nothing of either is appended.
        var refused = (1_301..<1_900).map { introducing("p\($0)", $0) }
        refused[590].uniqueIndexEntry = IndexEntry(index: "post", key: Array(repeating: UInt8(ascii: "k"), count: 241))
        #expect(throws: LogError.self) { try log.append(refused) }
        refused = (1_301..<1_900).map { introducing("p\($0)", $0) }
        refused[590].time = 0
        #expect(throws: LogError.self) { try log.append(refused) }
        // A duplicate dated before the head (a re-imported post) is dropped, not refused.
        let third = [introducing("p0", 0)] + (1_301..<1_900).map { introducing("p\($0)", $0) }
        let thirdStart = UInt64(600 + kept.count + 1)
        #expect(try log.append(third).sequenceNumbers == [1] + Array(thirdStart..<(thirdStart + 599)))

        let report = try log.verify()
        #expect(report.isValid, "\(report.failure.map { "\($0.seq): \($0.reason)" } ?? "")")
        let expected = first + kept.map { second[$0] } + third.dropFirst()
        let stored = try allRecords(log)
        #expect(stored.map(\.seq) == Array(1...UInt64(expected.count)))
        #expect(stored.map(\.payload) == expected.map(\.payload))
        #expect(try log.firstSequenceNumber(index: "post", key: Array("p601".utf8)) == 602)
    }

    @Test(arguments: TestStore.available) func aUniqueKeyIsAppendedOnceAcrossTheBatchesOfOneCommit(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store), indexes: ["post"])
        // The keys of one commit reach the index only after every batch is planned; a later batch
        // must still find what an earlier one appended, and nothing a refused one claimed.
        var refused = [introducing("c", 3), introducing("d", 4)]
        refused[1].time = -1
        let results = try log.append(batches: [
            [introducing("a", 0)],
            [introducing("a", 1), introducing("b", 2), introducing("b", 3)],
            refused,
            [introducing("c", 5), introducing("a", 6)],
        ])
        #expect(try results[0].get().sequenceNumbers == [1])
        #expect(try results[1].get().sequenceNumbers == [1, 2, 2])
        #expect(throws: LogError.self) { try results[2].get() }
        #expect(try results[3].get().sequenceNumbers == [3, 1])
        #expect(try log.head()?.seq == 3)
        #expect(try log.sequenceNumbers(index: "post", key: Array("a".utf8)) == [1])
        #expect(try log.sequenceNumbers(index: "post", key: Array("c".utf8)) == [3])
        #expect(try log.firstSequenceNumber(index: "post", key: Array("d".utf8)) == nil)
    }

    @Test(arguments: TestStore.available) func postingListsSpanManyBlocks(_ store: TestStore) throws {
        let path = directory.child("log", on: store)
        // LMDB forbids opening one environment twice in a process: the writer closes before the reader opens.
        try writeActorRecords(path)
        let reopened = try EventLog.open(at: path, readOnly: true, indexes: ["actor"])
        #expect(try reopened.sequenceNumbers(index: "actor", key: Array("vol:ana".utf8)) == Array(1...1_000))
        let thirds = try (0..<3).map { try reopened.sequenceNumbers(index: "actor", key: Array("vol:\($0)".utf8)) }
        #expect(thirds.map(\.count).reduce(0, +) == 1_000)
        #expect(Set(thirds.flatMap { $0 }) == Set(1...1_000))
    }

    private func writeActorRecords(_ path: String) throws {
        let log = try EventLog.create(at: path, indexes: ["actor"])
        // 1,000 entries for one key cross 8 blocks; small batches make each transaction extend the last block.
        for start in stride(from: 0, to: 1_000, by: 37) {
            let batch = records(start..<min(start + 37, 1_000)).map { record in
                var record = record
                record.indexEntries = [IndexEntry(index: "actor", key: Array("vol:ana".utf8)), IndexEntry(index: "actor", key: Array("vol:\(record.time % 3)".utf8))]
                return record
            }
            try log.append(batch)
        }
        #expect(try log.sequenceNumbers(index: "actor", key: Array("vol:ana".utf8)) == Array(1...1_000))
    }

    @Test(arguments: TestStore.available) func aRefusedBatchAppendsNothing(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        try log.append(records(0..<3))
        let headBefore = try log.head()
        var backwards = records(3..<6)
        backwards[2].time = 0
        #expect(throws: LogError.self) { try log.append(backwards) }
        var oversized = records(3..<4)
        oversized[0].payload = [UInt8](repeating: 1, count: 65_537)
        #expect(throws: LogError.self) { try log.append(oversized) }
        var unknownIndex = records(3..<4)
        unknownIndex[0].indexEntries = [IndexEntry(index: "nope", key: [1])]
        #expect(throws: LogError.self) { try log.append(unknownIndex) }
        #expect(try log.head() == headBefore)
        #expect(try allRecords(log).count == 3)
    }

    @Test(arguments: TestStore.available) func groupsOfBatchesFailOneByOne(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        var bad = records(1..<2)
        bad[0].time = -5
        let results = try log.append(batches: [records(0..<1), bad, records(2..<3)])
        #expect((try? results[0].get())?.sequenceNumbers == [1])
        #expect((try? results[1].get()) == nil)
        #expect((try? results[2].get())?.sequenceNumbers == [2])
    }

    @Test(arguments: TestStore.available) func secondaryIndexesAndTimeLookups(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store), indexes: ["post"])
        var batch = records(0..<200)
        for i in batch.indices {
            batch[i].indexEntries = [IndexEntry(index: "post", key: Array("p\(i % 10)".utf8))]
        }
        try log.append(batch)
        #expect(try log.sequenceNumbers(index: "post", key: Array("p3".utf8)) == stride(from: 4, through: 200, by: 10).map { UInt64($0) })
        #expect(try log.sequenceNumbers(index: "post", key: Array("none".utf8)) == [])
        let start: Int64 = 1_700_000_000_000
        #expect(try log.lastSequence(atOrBefore: start - 1) == 0)
        #expect(try log.lastSequence(atOrBefore: start) == 1)
        #expect(try log.lastSequence(atOrBefore: start + 250 * 50 + 100) == 51)
        #expect(try log.lastSequence(atOrBefore: start + 250 * 10_000) == 200)
    }

    @Test func theMapGrowsWithoutTheCallerNoticing() throws {
        let path = directory.child("log")
        let log = try EventLog.create(at: path)
        var generator = SeededGenerator(seed: 7)
        // Random bytes do not compress: 1,200 × 60 KB is about twice the initial 32 MiB map.
        for round in 0..<12 {
            let batch = (0..<100).map { i in
                let words = (0..<7_500).map { _ in generator.next() }
                return LogRecord(time: Int64(round * 100 + i), payload: words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } })
            }
            try log.append(batch)
        }
        let info = try log.info()
        #expect(info.mapSize > 32 << 20)
        #expect(info.events == 1_200)
        #expect(try log.verify().isValid)
    }

    @Test(arguments: TestStore.available) func verifyChecksTheHeadGivenEarlier(_ store: TestStore) throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        try log.append(records(0..<2_100))
        let earlier = try #require(try log.head())
        try log.append(records(2_100..<2_200))
        #expect(try log.verify(expectedHead: earlier).isValid)
        var forged = earlier
        forged.hash[5] ^= 1
        #expect(try log.verify(expectedHead: forged).failure?.seq == earlier.seq)
        let beyond = LogHead(seq: 5_000, hash: earlier.hash)
        #expect(try log.verify(expectedHead: beyond).failure?.seq == 2_201)
        #expect(LogHead(parsing: earlier.description) == earlier)
        #expect(LogHead(parsing: "12:zz") == nil)
    }

    @Test func missingAndForeignDirectoriesAreClearErrors() throws {
        #expect { try EventLog.open(at: directory.child("nope")) } throws: { ($0 as? LogError)?.code == .missing }
        let plain = directory.child("plain")
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        #expect { try EventLog.open(at: plain) } throws: { ($0 as? LogError)?.code == .notALog }
        _ = try EventLog.create(at: directory.child("log"))
        #expect { try EventLog.create(at: directory.child("log")) } throws: { ($0 as? LogError)?.code == .alreadyExists }
    }

    @Test(.enabled(if: TestStore.postgresURL != nil, "\(TestStore.postgresMissing)"))
    func missingAndMalformedPostgresLogsAreClearErrors() throws {
        let base = try #require(TestStore.postgresURL)
        #expect { try EventLog.open(at: directory.child("nope", on: .postgres)) } throws: { ($0 as? LogError)?.code == .missing }
        #expect { try EventLog.open(at: base + "?log=Bad-Name") } throws: {
            guard let error = $0 as? LogError else { return false }
            return error.code == .notALog && error.message.contains("log=Bad-Name")
        }
        #expect { try EventLog.open(at: base + "?log=pg_catalog") } throws: { ($0 as? LogError)?.message.contains("pg_") == true }
        #expect { try EventLog.open(at: base + "?sslmode=require") } throws: { ($0 as? LogError)?.message.contains("sslmode") == true }
        #expect { try EventLog.open(at: "postgresql://nobody@127.0.0.1:1/smcc_test?log=x") } throws: {
            guard let error = $0 as? LogError else { return false }
            return error.message.contains("cannot reach PostgreSQL at 127.0.0.1:1")
        }
        let path = directory.child("log", on: .postgres)
        _ = try EventLog.create(at: path)
        #expect { try EventLog.create(at: path) } throws: { ($0 as? LogError)?.code == .alreadyExists }
    }

    @Test(arguments: TestStore.available) func aReadOnlyLogRefusesAppends(_ store: TestStore) throws {
        let path = directory.child("log", on: store)
        do {
            let log = try EventLog.create(at: path)
            try log.append(records(0..<3))
        }
        let reader = try EventLog.open(at: path, readOnly: true)
        #expect(try allRecords(reader).count == 3)
        #expect { try reader.append(records(3..<4)) } throws: { ($0 as? LogError)?.code == .readOnly }
    }

    @Test(arguments: TestStore.available) func concurrentCallersShareCommits(_ store: TestStore) async throws {
        let log = try EventLog.create(at: directory.child("log", on: store))
        let writer = GroupCommitWriter(log: log)
        let outcomes = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for client in 0..<32 {
                group.addTask {
                    var seqs: [UInt64] = []
                    for i in 0..<20 {
                        // Times only need to be non-decreasing in commit order: use one instant.
                        let record = LogRecord(time: 1_000, payload: Array("client \(client) request \(i)".utf8))
                        seqs += try await writer.append([record]).sequenceNumbers
                    }
                    return seqs
                }
            }
            var all: [UInt64] = []
            for try await seqs in group { all += seqs }
            return all
        }
        writer.close()
        #expect(outcomes.sorted() == Array(1...640))
        #expect(try log.verify().isValid)
        await #expect(throws: LogError.self) { try await writer.append([LogRecord(time: 1_000, payload: [1])]) }
    }
}
