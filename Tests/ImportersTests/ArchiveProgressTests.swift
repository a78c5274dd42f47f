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
