import ArgumentParser
import CommandCenter

/// `--at TIME`: the state after every event up to that instant and none after.
struct AtOption: ParsableArguments {
    @Option(help: ArgumentHelp("Show the state as of this instant (RFC 3339, e.g. 2026-06-03T14:05:00Z): every event up to it, none after.", valueName: "TIME"))
    var at: String?

    var time: Timestamp? { at.flatMap(Timestamp.init(rfc3339:)) }

    func validate() throws {
        if let at, Timestamp(rfc3339: at) == nil {
            throw ValidationError("--at must be an RFC 3339 time such as 2026-06-03T14:05:00Z, got '\(at)'")
        }
    }

    /// Replays the log up to `--at` (or all of it), with progress on a terminal.
    func replay(_ store: EventStore, target: Int = 900, projections: Replay.Projections = .all) throws -> ReplayResult {
        let progress: (UInt64) -> Void = { Console.progress("replaying: \(Int($0).grouped) events") }
        defer { Console.endProgress() }
        if let time { return try Replay.run(store, at: time, target: target, projections: projections, progress: progress) }
        return try Replay.run(store, target: target, projections: projections, progress: progress)
    }
}
