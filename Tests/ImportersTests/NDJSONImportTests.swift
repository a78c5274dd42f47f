import CommandCenter
import EventLog
import Foundation
@testable import Importers
import Testing

struct NDJSONImportTests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "smcc-importers-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func lines(_ count: Int, from start: Int = 0) -> String {
        (start..<(start + count)).map { n in
            "{\"at\":\"2026-06-02T08:00:\(String(format: "%02d", n % 60)).\(String(format: "%03d", n / 60))Z\",\"actor\":\"system\",\"kind\":\"postReceived\","
                + "\"post\":\"twitter:\(1000 + n)\",\"channel\":\"twitter\",\"author\":\"a\(n)\",\"text\":\"where is hall \(n)?\","
                + "\"hashtags\":[\"askpivot\"],\"mentions\":[],\"postedAt\":\"2026-06-02T08:00:00.000Z\"}\n"
        }.joined()
    }

    @Test func linesAcrossBlockBoundariesAndALastLineWithoutNewline() throws {
        // Lines of ~300 KB cross the 1 MiB read blocks at arbitrary points.
        let long = String(repeating: "x", count: 300_000)
        let text = (0..<7).map { "\($0)\(long)" }.joined(separator: "\n")
        let path = try write("lines.txt", text)
        var seen: [(Int, Int, UInt8)] = []
        try LineReader(path: path, maximumLineBytes: 1 << 20).forEachLine { number, bytes in
            seen.append((number, bytes.count, bytes.first!))
        }
        #expect(seen.map(\.0) == Array(1...7))
        #expect(seen.allSatisfy { $0.1 == 300_001 })
        #expect(seen.map(\.2) == (0..<7).map { UInt8(ascii: "0") + UInt8($0) })
    }

    @Test func aLineOverTheLimitNamesItsLine() throws {
        let path = try write("long.txt", "short\n" + String(repeating: "y", count: 2_000) + "\nshort\n")
        #expect { try LineReader(path: path, maximumLineBytes: 1_000).forEachLine { _, _ in } } throws: { error in
            (error as? ImportError)?.message == "\(path):2: the line is over the limit of 1000 bytes"
        }
    }

    @Test func anImportIsIdentifiedByItsContents() throws {
        let a = try write("a.ndjson", Self.lines(3))
        let b = try write("b.ndjson", Self.lines(3))
        let c = try write("c.ndjson", Self.lines(4))
        #expect(try ImportIdentity.of([a]) == ImportIdentity.of([b]))
        #expect(try ImportIdentity.of([a]) != ImportIdentity.of([c]))
        #expect(try ImportIdentity.of([a, b]) != ImportIdentity.of([c]))
        #expect(ImportIdentity.decodeCount(ImportIdentity.encodeCount(123_456)) == 123_456)
    }

    @Test func theSameImportTwiceAppendsOnceAndABadLineAppendsNothing() throws {
        let store = try EventStore.create(at: directory + "/log")
        let good = try write("good.ndjson", Self.lines(25))
        let first = try NDJSONImport(batchSize: 10).run(files: [good], into: store)
        #expect(first.read == 25 && first.appended == 25 && first.duplicates == 0)
        let again = try NDJSONImport(batchSize: 10).run(files: [good], into: store)
        #expect(again.read == 25 && again.appended == 0 && again.alreadyImported == 25)

        let bad = try write("bad.ndjson", Self.lines(5, from: 25) + "{\"at\":\"nope\"}\n")
        #expect { try NDJSONImport().run(files: [bad], into: store) } throws: { error in
            (error as? ImportError)?.message.hasPrefix("\(bad):6:") == true
        }
        #expect(try store.log.head()?.seq == 25)
    }
}
