import EventLog

extension Replay {
    /// What a retrospective reads in one pass over the whole log: every statistic, the desk hour
    /// by hour, and the counts the case study states beside them.
    public struct Retrospective: Sendable {
        /// Reaction times, channel share, volume, workload, hashtags, the conversation.
        public var statistics: Statistics
        /// The desk at the end of every UTC hour, and after the last event.
        public var timeline: DeskTimelineProjection
        /// Events of desk work: everything but posts received, the event's description and the
        /// log's own administration (an erasure, an upgrade), which an archive may hold too.
        public var deskEvents: Int
        /// The `at` of the description in force (the last `eventDescribed`), ms; `nil` without one.
        public var describedAt: Int64?
    }

    /// Replays every event into the statistics and the desk timeline, read in place like
    /// ``run(_:through:target:projections:snapshots:progress:)`` (no `Event` is built).
    ///
    /// No snapshot is read or stored: the timeline samples every hour from the first event, so it
    /// needs them all, and the statistics come in the same pass.
    ///
    /// - Parameters:
    ///   - target: the first-response target of the statistics, in seconds.
    ///   - progress: called every 100,000 events with the number replayed so far.
    public static func retrospective(_ store: EventStore, target: Int = 900, progress: ((UInt64) -> Void)? = nil) throws -> Retrospective {
        let end = try store.log.head()?.seq ?? 0
        var folded = Retrospective(statistics: Statistics(target: target), timeline: DeskTimelineProjection(), deskEvents: 0)
        var symbols = Symbols()
        if end > 0 { try feed(store, from: 1, through: end, into: &folded, symbols: &symbols, progress: progress) }
        folded.statistics.symbols = symbols
        folded.timeline.adoptSymbols(symbols)
        return folded
    }
}

extension Replay.Retrospective: ReplayProjection {
    static var placeholder: Replay.Retrospective {
        Replay.Retrospective(statistics: Statistics(), timeline: DeskTimelineProjection(), deskEvents: 0)
    }

    @inline(__always)
    mutating func apply(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols) {
        statistics.apply(event, seq: seq, symbols: symbols)
        timeline.apply(event, seq: seq, symbols: symbols)
        switch event.kind {
        case .postReceived, .personalDataErased, .logUpgraded: break
        case .eventDescribed: describedAt = event.at.milliseconds
        default: deskEvents += 1
        }
    }
}
