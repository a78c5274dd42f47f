import Foundation
import Testing

/// The projections keep interned integer ids and columns (issue 15): what `smcc` prints from them
/// must be what it printed when they kept strings. `Tests/Fixtures/projections-seed7/` holds the
/// output of the build before that change (see ATTRIBUTION.md) for one simulated conference.
struct ProjectionGoldenTests {
    static let fixtures = Paths.repository.appendingPathComponent("Tests/Fixtures/projections-seed7")
    static let instant = "2026-06-03T15:00:00Z"

    /// `object` without the members named `key`, at any depth.
    static func removing(_ key: String, from object: Any) -> Any {
        if let dictionary = object as? [String: Any] {
            return dictionary.filter { $0.key != key }.mapValues { removing(key, from: $0) }
        }
        if let array = object as? [Any] { return array.map { removing(key, from: $0) } }
        return object
    }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    @Test func statsQueuesAndReplayPrintWhatTheStringKeyedProjectionsPrinted() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let simulated = try runSmcc(["simulate", log, "--seed", "7", "--posts", "3000"], in: scratch)
        try #require(simulated.exited(0), "\(simulated)")
        // The fixtures are of one log: a simulation that no longer gives it cannot be compared.
        // (Its head cannot say so since format 2: the chain commits to random salts.)
        let recorded = try #require(try JSONSerialization.jsonObject(with: try Self.fixture("info.json")) as? [String: Any])
        let now = try info(log, in: scratch)
        try #require(now.events == recorded["events"] as? Int && now.firstAt == recorded["firstAt"] as? String
                     && now.lastAt == recorded["lastAt"] as? String
                     && now.countsByKind.filter({ $0.value > 0 }) == (recorded["countsByKind"] as? [String: Int]).map { $0.filter { $0.value > 0 } },
                     "the simulation no longer gives the log the fixtures were made from; regenerate them (ATTRIBUTION.md)")
        let commands: [(String, [String])] = [
            ("stats-all.json", ["stats", log, "--json"] + ["channel", "role", "volunteer", "team", "hour", "day", "hashtag"].flatMap { ["--by", $0] }),
            ("stats-at.json", ["stats", log, "--json", "--at", Self.instant, "--by", "channel", "--by", "role", "--by", "team"]),
            ("queues.json", ["queues", log, "--json"]),
            ("queues-at.json", ["queues", log, "--json", "--at", Self.instant]),
            ("replay.txt", ["replay", log]),
        ]
        // From the first event, then twice more with snapshots: the first run stores them where
        // the log is long enough, the second reads them.
        for snapshots in [["--no-snapshots"], [], []] {
            for (file, arguments) in commands {
                let run = try runSmcc(arguments + snapshots, in: scratch)
                try #require(run.exited(0), "\(arguments + snapshots): \(run)")
                if file.hasPrefix("queues") {
                    // The posts' `erased` flag (issue 13) came after the fixtures.
                    let got = Self.removing("erased", from: try JSONSerialization.jsonObject(with: run.stdoutData))
                    let expected = try JSONSerialization.jsonObject(with: try Self.fixture(file))
                    #expect(NSArray(array: [got]) == NSArray(array: [expected]), "\(file) \(snapshots) differs from the fixture")
                    continue
                }
                if file.hasPrefix("stats") {
                    // The conversation (issue 11) came after the fixtures: the rest must be as it was.
                    var got = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
                    #expect(got.removeValue(forKey: "conversation") != nil)
                    let expected = try #require(try JSONSerialization.jsonObject(with: try Self.fixture(file)) as? [String: Any])
                    #expect(NSDictionary(dictionary: got) == NSDictionary(dictionary: expected), "\(file) \(snapshots) differs from the fixture")
                    continue
                }
                let got = file == "replay.txt" ? Data(run.stdout.replacingOccurrences(of: log, with: "log").utf8) : run.stdoutData
                let differs = difference(got, try Self.fixture(file))
                #expect(differs == nil, "\(file) \(snapshots): \(differs ?? "")")
            }
        }
    }
}
