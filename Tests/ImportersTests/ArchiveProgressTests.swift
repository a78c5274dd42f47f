import CommandCenter
import Foundation
@testable import Importers
import Testing

/// An archive import reports its reading, then its appending, in order, ending at what it appended.
struct ArchiveProgressTests {
    @Test func readingThenAppendingIsReportedInOrder() throws {
        let directory = NSTemporaryDirectory() + "smcc-archive-progress-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/twcs-sample.csv").path
        let store = try EventStore.create(at: directory + "/log")
        var reports: [ArchiveImport.Progress] = []
        var importer = ArchiveImport(options: ImportOptions(batchSize: 40)) { reports.append($0) }
        importer.progressInterval = 50
        let summary = try importer.run(files: [(fixture, .twcs)], into: store)

        #expect(summary.read == 121)
        let read = reports.compactMap { if case .read(let rows) = $0 { rows } else { nil } }
        let appended = reports.compactMap { if case .appended(let events) = $0 { events } else { nil } }
        #expect(read == [50, 100])
        #expect(appended.count >= 2 && appended == appended.sorted() && appended.last == summary.appended)
        let firstAppend = try #require(reports.firstIndex { if case .appended = $0 { true } else { false } })
        #expect(reports[firstAppend...].allSatisfy { if case .appended = $0 { true } else { false } }, "\(reports)")
    }
}

/// What the read-ahead thread yields reaches the caller in order, and a failure only after every
/// item yielded before it, whatever the chunk it falls in.
struct StreamAheadTests {
    struct Broken: Error {}

    @Test(arguments: [0, 1, 1_023, 1_024, 1_025, 3_000])
    func itemsBeforeAFailureAllArrive(count: Int) {
        var seen: [Int] = []
        #expect(throws: Broken.self) {
            try StreamAhead<Int>.forEach(produce: { yield in
                for item in 0..<count { try yield(item) }
                throw Broken()
            }) { seen.append($0) }
        }
        #expect(seen.count == count)
        #expect(seen.elementsEqual(0..<count))
    }

    @Test func aFailingCallerStopsTheProducer() {
        var produced = 0
        var seen = 0
        #expect(throws: Broken.self) {
            try StreamAhead<Int>.forEach(produce: { yield in
                for item in 0..<1_000_000 {
                    produced = item + 1
                    try yield(item)
                }
            }) { _ in
                seen += 1
                if seen == 1_500 { throw Broken() }
            }
        }
        // At most the chunk being filled and the two waiting beyond the ones handed over.
        #expect(seen == 1_500 && produced < 6 * 1_024)
    }

    /// A CSV whose last row opens a quote it never closes, imported skipping bad rows: every row
    /// before it is read (the first pass reads ahead in chunks of 1,024 rows).
    @Test func aBrokenLastRowSkippedKeepsEveryRowBeforeIt() throws {
        let directory = NSTemporaryDirectory() + "smcc-stream-ahead-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var csv = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        for id in 1...2_500 { csv += "\(id),\(100_000 + id),True,Tue Oct 31 22:\(10 + id / 60 % 50):\(10 + id % 50) +0000 2017,hello \(id),,\n" }
        csv += "2501,1,True,Tue Oct 31 23:00:00 +0000 2017,\"never closed,,\n"
        let path = directory + "/broken.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        let store = try EventStore.create(at: directory + "/log")
        let summary = try ArchiveImport(options: ImportOptions(skipBad: true)).run(files: [(path, .twcs)], into: store)
        #expect(summary.read == 2_500)
        #expect(summary.skipped.map(\.line) == [2_502])
        #expect(summary.appended == 2_500)
    }
}
