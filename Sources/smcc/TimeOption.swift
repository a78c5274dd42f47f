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
    func replay(
        _ store: EventStore,
        target: Int = 900,
        projections: Replay.Projections = .all,
        snapshots: SnapshotPolicy = .standard
    ) throws -> ReplayResult {
        let progress: (UInt64) -> Void = { Console.progress("replaying: \(Int($0).grouped) events") }
        defer { Console.endProgress() }
        if let time {
            return try Replay.run(store, at: time, target: target, projections: projections, snapshots: snapshots, progress: progress)
        }
        return try Replay.run(store, target: target, projections: projections, snapshots: snapshots, progress: progress)
    }
}

/// `--no-snapshots`: replay from the first event, as if the log had no projection snapshots.
struct SnapshotOption: ParsableArguments {
    @Flag(
        name: .customLong("no-snapshots"),
        help: """
            Replay from the first event and store no snapshot. By default a replay starts from the \
            newest projection snapshot in the log and stores the ones it passes that are missing \
            (every 32,768 events), which is how --at answers fast on a large log.
            """
    )
    var disabled = false

    var policy: SnapshotPolicy { disabled ? .none : .standard }

    /// Opens the log for a replay: writable when snapshots may be stored, else read-only.
    func open(_ log: String) throws -> EventStore {
        disabled ? try EventStore.open(at: log, readOnly: true) : try EventStore.openForReplay(at: log)
    }
}
