public import EventLog

/// Snapshots of projection state, so that a replay up to seq `s` starts from the newest snapshot
/// at or before `s` instead of from the first event: how `--at` answers fast on a large log.
///
/// A snapshot is taken every ``interval`` events, per projection (the desk and the statistics
/// separately, since `queues --at` needs only the one and `stats --at` only the other). They are a
/// cache: built by the first replay that passes a boundary without one, stored in the log's `snap`
/// database, tied to the chain checkpoint at their seq (see `EventLog+Snapshots`), and ignored when
/// they do not decode with this build (the format version is part of the name).
public struct SnapshotPolicy: Sendable {
    /// Events between two snapshots; a multiple of `EventLog.snapshotAlignment`.
    public var interval: UInt64
    /// Start from a stored snapshot when one fits.
    public var read: Bool
    /// Store the snapshots a replay passes and finds missing (only on a log opened for writing).
    public var write: Bool

    /// Reads and writes every 32,768 events: at ~0.5M events/s for one projection, a `--at` then
    /// replays ≤ 65 ms of events after loading its snapshot (figures in the README).
    public static let standard = SnapshotPolicy(interval: 32_768, read: true, write: true)
    /// Replays from the first event and stores nothing (benchmarks, and the tests that compare).
    public static let none = SnapshotPolicy(interval: 32_768, read: false, write: false)

    /// - Parameter interval: rounded up to a multiple of `EventLog.snapshotAlignment`.
    public init(interval: UInt64, read: Bool, write: Bool) {
        let alignment = EventLog.snapshotAlignment
        self.interval = max(alignment, (interval + alignment - 1) / alignment * alignment)
        self.read = read
        self.write = write
    }
}

/// The names and byte forms of the snapshots ``Replay`` keeps.
///
/// Each snapshot is a *delta*: what changed since the previous snapshot of the same projection
/// (appended posts, the posts an event touched since, the small parts whole), so the snapshots of
/// a log take space in proportion to the log, not to the log times the number of snapshots. A
/// delta names the seq it was written against; loading applies the chain of deltas from the first
/// and skips one that does not link to the state built so far.
enum ProjectionSnapshots {
    // The suffix is the byte form's version: a build that changes it reads none of the old ones.
    static let deskName = "desk.4"
    static let statisticsName = "statistics.4"

    /// The desk as of the newest snapshot at or before `seq`, or `nil` when none loads.
    static func desk(_ log: EventLog, through seq: UInt64) -> DeskState? {
        guard let deltas = try? log.snapshots(deskName, through: seq), !deltas.isEmpty else { return nil }
        var desk = DeskState()
        desk.reserveSnapshotCapacity(DeskState.postCount(after: deltas[deltas.count - 1].bytes) ?? 0)
        for delta in deltas {
            var reader = SnapshotReader(delta.bytes)
            // A damaged delta may have changed the state half-way: nothing loaded can be trusted.
            guard let applied = try? desk.applySnapshotDelta(&reader) else { return nil }
            guard !applied || (reader.isAtEnd && desk.lastSeq == delta.seq) else { return nil }
        }
        guard desk.lastSeq > 0 else { return nil }
        desk.finishSnapshotLoad()
        return desk
    }

    /// The statistics as of the newest snapshot at or before `seq`, or `nil` when none loads.
    static func statistics(_ log: EventLog, through seq: UInt64, target: Int) -> Statistics? {
        guard let deltas = try? log.snapshots(statisticsName, through: seq), !deltas.isEmpty else { return nil }
        var statistics = Statistics(target: target)
        statistics.reserveSnapshotCapacity(Statistics.postCount(after: deltas[deltas.count - 1].bytes) ?? 0)
        for delta in deltas {
            var reader = SnapshotReader(delta.bytes)
            guard let applied = try? statistics.applySnapshotDelta(&reader) else { return nil }
            guard !applied || (reader.isAtEnd && statistics.lastSeq == delta.seq) else { return nil }
        }
        return statistics.lastSeq > 0 && statistics.reactionTimes.linksAreValid() ? statistics : nil
    }

    /// The desk's changes since `baseline`, to store at its `lastSeq`.
    static func delta(_ desk: DeskState, since baseline: DeskState.SnapshotBaseline) -> EventLog.Snapshot {
        var writer = SnapshotWriter(capacity: 1 << 16)
        desk.writeSnapshotDelta(since: baseline, into: &writer)
        return EventLog.Snapshot(seq: desk.lastSeq, bytes: writer.bytes)
    }

    /// The statistics' changes since `baseline`, to store at their `lastSeq`.
    static func delta(_ statistics: Statistics, since baseline: Statistics.SnapshotBaseline) -> EventLog.Snapshot {
        var writer = SnapshotWriter(capacity: 1 << 16)
        statistics.writeSnapshotDelta(since: baseline, into: &writer)
        return EventLog.Snapshot(seq: statistics.lastSeq, bytes: writer.bytes)
    }

    /// Stores the deltas a replay produced, in one transaction per projection. A log that refuses
    /// the write (read-only files, a full disk) still answered the question: the error is dropped,
    /// and the next replay tries again.
    static func save(desk: [EventLog.Snapshot], statistics: [EventLog.Snapshot], in log: EventLog) {
        try? log.saveSnapshots(desk, name: deskName)
        try? log.saveSnapshots(statistics, name: statisticsName)
    }
}
