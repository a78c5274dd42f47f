/// The desk over time: how many inbound posts waited in triage and how many posts had an open
/// escalation at the end of every UTC hour, from the hour of the first event to the hour of the
/// last (hours with no event included, so a quiet night shows its backlog standing still).
///
/// The desk is ``DeskState`` itself, so "in triage" and "open escalation" mean exactly what the
/// queues mean (`smcc queues`): a post is in triage when it is not a repost, nobody has it and it
/// is not resolved; a post has an open escalation from an `escalated` until an
/// `escalationResolved`. Hours are aligned on the epoch and read from the events' `at` (UTC).
public struct DeskTimelineProjection: Projection, Sendable {
    /// The desk at the end of one hour.
    public struct Sample: Equatable, Sendable {
        /// Start of the hour.
        public var hour: Timestamp
        /// Inbound posts in triage after the last event of the hour.
        public var triage: Int
        /// Posts with an open escalation after the last event of the hour.
        public var openEscalations: Int

        /// Creates a sample.
        public init(hour: Timestamp, triage: Int, openEscalations: Int) {
            self.hour = hour
            self.triage = triage
            self.openEscalations = openEscalations
        }
    }

    /// The desk after the last event applied.
    public private(set) var desk = DeskState()
    /// The hours already closed, in time order.
    private var closed: [Sample] = []
    /// Start (ms) of the hour of the last event applied; `nil` before any event.
    private var currentHour: Int64?

    /// Creates an empty timeline.
    public init() {}

    /// Folds one event: closes the hours that ended before it, then applies it to the desk.
    public mutating func apply(_ event: Event, seq: UInt64) {
        closeHours(before: event.at)
        desk.apply(event, seq: seq)
    }

    /// Folds one event read in place, whose ids `symbols` interned (the replay's path: the desk's
    /// own symbols are set by ``adoptSymbols(_:)`` once the replay ends).
    mutating func apply(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols) {
        closeHours(before: event.at)
        desk.apply(event, seq: seq, symbols: symbols)
    }

    /// Hands the desk the replay's tables, which its interned ids refer to.
    mutating func adoptSymbols(_ symbols: Symbols) {
        desk.symbols = symbols
    }

    private mutating func closeHours(before at: Timestamp) {
        let hour = TimeKeys.bucketStart(at.milliseconds, unit: TimeKeys.hourMs)
        if let current = currentHour {
            // `at` never decreases along the log; an earlier one (a hand-made sequence) stays in
            // the current hour rather than rewriting closed ones.
            var h = current
            while h < hour {
                closed.append(sample(at: h))
                h += TimeKeys.hourMs
            }
            currentHour = max(current, hour)
        } else {
            currentHour = hour
        }
    }

    /// One sample per hour from the first event's hour to the last event's, the last one as the
    /// desk stands now; empty before any event.
    public func hourly() -> [Sample] {
        guard let currentHour else { return [] }
        return closed + [sample(at: currentHour)]
    }

    private func sample(at hour: Int64) -> Sample {
        Sample(hour: Timestamp(milliseconds: hour), triage: desk.triageCount, openEscalations: desk.escalations.count)
    }
}
