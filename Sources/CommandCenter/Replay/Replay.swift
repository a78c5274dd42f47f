import EventLog

/// What a replay rebuilt: the desk as it stood after the last event replayed, and every statistic.
public struct ReplayResult: Sendable {
    /// The queues, posts, volunteers and rules.
    public var desk: DeskState
    /// Reaction times, channel share, volume, workload, hashtags.
    public var statistics: Statistics
    /// The last sequence number replayed (0 for none).
    public var lastSeq: UInt64
}

/// Rebuilds every projection from the log: the retrospective of a past event, and time travel —
/// the state after every event up to a time and none after.
///
/// Each projection is a pure function of the events (`apply` in order), so a replay of the same
/// prefix always gives the same result, whoever runs it and whenever.
///
/// How: the events are read in place (``EventView``: no `String` is built for a field no
/// projection keeps), their ids interned once in the log's ``Symbols`` and handed to every
/// projection as integers.
public enum Replay {
    /// Which projections to rebuild: a query that needs only the queues should not pay for the
    /// statistics, and the other way round.
    public struct Projections: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let desk = Projections(rawValue: 1)
        public static let statistics = Projections(rawValue: 2)
        public static let all: Projections = [.desk, .statistics]
    }

    /// Replays the events with sequence numbers 1 through `through` (all by default).
    ///
    /// Starts from the newest snapshot at or before `through` of each projection asked for (see
    /// ``SnapshotPolicy``), and stores the snapshots it passes that are missing; the result is the
    /// same either way (the tests compare both).
    ///
    /// - Parameters:
    ///   - target: the first-response target of the statistics, in seconds.
    ///   - projections: the projections to rebuild; the others stay empty.
    ///   - snapshots: whether to start from and to store snapshots.
    ///   - progress: called every 100,000 events with the number replayed so far.
    public static func run(
        _ store: EventStore,
        through: UInt64 = .max,
        target: Int = 900,
        projections: Projections = .all,
        snapshots: SnapshotPolicy = .standard,
        progress: ((UInt64) -> Void)? = nil
    ) throws -> ReplayResult {
        let end = min(through, try store.log.head()?.seq ?? 0)
        var both = DeskAndStatistics(desk: DeskState(), statistics: Statistics(target: target))
        let wantsDesk = projections.contains(.desk)
        let wantsStatistics = projections.contains(.statistics)
        if snapshots.read {
            if wantsDesk, let desk = ProjectionSnapshots.desk(store.log, through: end) {
                both.desk = desk
                both.deskFrom = desk.lastSeq
            }
            if wantsStatistics, let statistics = ProjectionSnapshots.statistics(store.log, through: end, target: target) {
                both.statistics = statistics
                both.statisticsFrom = statistics.lastSeq
            }
        }
        var position = switch projections {
        case .desk: both.deskFrom
        case .statistics: both.statisticsFrom
        default: min(both.deskFrom, both.statisticsFrom)
        }
        // The replay interns into the tables of the projection furthest behind: those of the one
        // ahead are the same tables further on (``Symbols``), rebuilt as the events pass.
        var symbols = wantsDesk && position == both.deskFrom ? both.desk.symbols : both.statistics.symbols
        let saving = snapshots.write && !store.log.isReadOnly
        var deskSnapshots = PendingSnapshots(both.desk, enabled: saving && wantsDesk)
        var statisticsSnapshots = PendingSnapshots(both.statistics, enabled: saving && wantsStatistics)
        // A table shared by two owners would be copied whole by the next event interned: the
        // projections get theirs back for each snapshot and at the end.
        both.desk.symbols = Symbols()
        both.statistics.symbols = Symbols()
        // Segment by segment, so that each snapshot is taken at its boundary. They are stored
        // together at the end: one sync, not one per snapshot.
        while position < end {
            let boundary = (position / snapshots.interval + 1) * snapshots.interval
            let segmentEnd = saving ? min(end, boundary) : end
            // One loop per combination, each specialised for its projection type: a single loop
            // that tested flags per event measured ~25% slower for the full replay.
            switch projections {
            case .desk: try feed(store, from: position + 1, through: segmentEnd, into: &both.desk, symbols: &symbols, progress: progress)
            case .statistics: try feed(store, from: position + 1, through: segmentEnd, into: &both.statistics, symbols: &symbols, progress: progress)
            default: try feed(store, from: position + 1, through: segmentEnd, into: &both, symbols: &symbols, progress: progress)
            }
            position = segmentEnd
            guard position == boundary else { continue }
            if position > both.deskFrom {
                var desk = both.desk
                desk.symbols = symbols
                deskSnapshots.take(desk)
            }
            if position > both.statisticsFrom {
                var statistics = both.statistics
                statistics.symbols = symbols
                statisticsSnapshots.take(statistics)
            }
        }
        deskSnapshots.save(in: store.log)
        statisticsSnapshots.save(in: store.log)
        if wantsDesk { both.desk.symbols = symbols }
        if wantsStatistics { both.statistics.symbols = symbols }
        return ReplayResult(desk: both.desk, statistics: both.statistics, lastSeq: end)
    }

    static func feed<P: ReplayProjection>(
        _ store: EventStore,
        from: UInt64,
        through: UInt64,
        into projection: inout P,
        symbols: inout Symbols,
        progress: ((UInt64) -> Void)?
    ) throws {
        // The tables and the projection in one value: a projection lent tables captured on their
        // own would get a copy of them (a retain per array) with every event.
        var feeder = Feeder(projection: projection, symbols: symbols)
        projection = P.placeholder
        symbols = Symbols()
        defer { (projection, symbols) = (feeder.projection, feeder.symbols) }
        try store.eventViews(from: from, through: through) { seq, view in
            do {
                try feeder.apply(&view, seq: seq)
            } catch {
                throw LogError(.corrupt, "the event does not decode: \(error)", seq: seq)
            }
            if seq % 100_000 == 0 { progress?(seq) }
            return true
        }
    }

    /// A projection and the tables its events are interned in.
    private struct Feeder<P: ReplayProjection> {
        var projection: P
        var symbols: Symbols

        @inline(__always)
        mutating func apply(_ view: inout EventView, seq: UInt64) throws(EventDecodingError) {
            try symbols.intern(&view)
            projection.apply(view, seq: seq, symbols: symbols)
        }
    }

    /// Replays the events up to and including the instant `time` (every event whose `at` ≤ `time`).
    ///
    /// Implementation details: the log's time index finds the last sequence number at or before
    /// `time` without a scan; the replay stops there.
    public static func run(
        _ store: EventStore,
        at time: Timestamp,
        target: Int = 900,
        projections: Projections = .all,
        snapshots: SnapshotPolicy = .standard,
        progress: ((UInt64) -> Void)? = nil
    ) throws -> ReplayResult {
        let last = try store.log.lastSequence(atOrBefore: time.milliseconds)
        guard last > 0 else { return ReplayResult(desk: DeskState(), statistics: Statistics(target: target), lastSeq: 0) }
        return try run(store, through: last, target: target, projections: projections, snapshots: snapshots, progress: progress)
    }
}

/// A projection a replay feeds with events read in place.
protocol ReplayProjection {
    /// An empty value, held while the replay feeds the real one.
    static var placeholder: Self { get }

    /// Folds `event`, whose ids `symbols` interned; the projection's own symbols are set when the
    /// replay ends (and for each snapshot).
    mutating func apply(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols)
}

extension DeskState: Projection, ReplayProjection {
    static var placeholder: DeskState { DeskState() }
}

extension Statistics: ReplayProjection {
    static var placeholder: Statistics { Statistics() }
}

/// The desk and the statistics fed together, in one pass over the log, each from the seq after
/// the snapshot it started from.
private struct DeskAndStatistics: ReplayProjection {
    static var placeholder: DeskAndStatistics { DeskAndStatistics(desk: DeskState(), statistics: Statistics()) }

    var desk: DeskState
    var statistics: Statistics
    var deskFrom: UInt64 = 0
    var statisticsFrom: UInt64 = 0

    @inline(__always)
    mutating func apply(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols) {
        if seq > deskFrom { desk.apply(event, seq: seq, symbols: symbols) }
        if seq > statisticsFrom { statistics.apply(event, seq: seq, symbols: symbols) }
    }
}
