import Foundation
import StoreTestSupport

/// A fresh directory under the system's temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String
    /// PostgreSQL logs made for the test (`child(_:on:)`), dropped with the directory.
    var logs: [String] = []

    init() {
        path = NSTemporaryDirectory() + "smcc-eventlog-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
        removeTestLogs(logs)
    }

    func child(_ name: String) -> String { path + "/" + name }
}

/// Payloads that look like the log's real traffic: short texts sharing words, so dictionaries help.
enum SamplePayloads {
    static let words = ["keynote", "wifi", "badge", "room", "session", "#askpivot", "#pivotcon", "thanks", "where", "is",
                        "the", "lunch", "slides", "stream", "down", "help", "@pivotdesk", "great", "talk", "queue"]

    static func payload(_ n: Int) -> [UInt8] {
        var generator = SeededGenerator(seed: UInt64(n))
        let count = 6 + Int(generator.next() % 12)
        let text = (0..<count).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
        return Array("\(n % 7)|vol:\(n % 13)|twitter:\(1_000_000 + n)|\(text)".utf8)
    }
}

/// SplitMix64: deterministic, so a failing case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
