import Foundation
import Testing

/// The projections keep interned integer ids and columns (issue 15): what `smcc` prints from them
/// must be what it printed when they kept strings. `Tests/Fixtures/projections-seed7/` holds the
/// output of the build before that change (see ATTRIBUTION.md) for one simulated conference.
struct ProjectionGoldenTests {
    static let fixtures = Paths.repository.appendingPathComponent("Tests/Fixtures/projections-seed7")
    static let instant = "2026-06-03T15:00:00Z"

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    @Test func statsQueuesAndReplayPrintWhatTheStringKeyedProjectionsPrinted() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let simulated = try runSmcc(["simulate", log, "--seed", "7", "--posts", "3000"], in: scratch)
        try #require(simulated.exited(0), "\(simulated)")
        // The fixtures are of one log: a simulation that no longer gives it cannot be compared.
        let recorded = try #require(try JSONSerialization.jsonObject(with: try Self.fixture("info.json")) as? [String: Any])
        try #require(try info(log, in: scratch).head == recorded["head"] as? String,
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
                let got = file == "replay.txt" ? Data(run.stdout.replacingOccurrences(of: log, with: "log").utf8) : run.stdoutData
                let differs = difference(got, try Self.fixture(file))
                #expect(differs == nil, "\(file) \(snapshots): \(differs ?? "")")
            }
        }
    }
}
