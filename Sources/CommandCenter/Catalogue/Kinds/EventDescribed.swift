// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of an `eventDescribed` event: what the log is about — the conference, its time
/// zone, its days and its own hashtags. The last one in the log is the description in force
/// (`smcc event` appends one; describing again corrects it).
public struct EventDescribed: Hashable, Sendable {
    /// The event's name, as an organiser writes it: `NICAR 2017`.
    public var name: String
    /// The IANA time zone of the venue (`America/New_York`): every local time of the case study.
    public var timeZone: String
    /// The first day of the event, a local calendar date `YYYY-MM-DD`.
    public var firstDay: String
    /// The last day of the event (inclusive), `YYYY-MM-DD`, not before ``firstDay``.
    public var lastDay: String
    /// The event's own hashtags, lowercase, without `#` (`nicar17`).
    public var hashtags: [String]
    /// Where it takes place, if said.
    public var venue: String?

    /// Creates the fields of an `eventDescribed` event.
    public init(name: String, timeZone: String, firstDay: String, lastDay: String, hashtags: [String], venue: String? = nil) {
        self.name = name
        self.timeZone = timeZone
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.hashtags = hashtags
        self.venue = venue
    }

    /// ``firstDay`` as a date; `nil` when it is not a valid `YYYY-MM-DD`.
    public var firstDate: CivilDate? { CivilDate(firstDay) }
    /// ``lastDay`` as a date; `nil` when it is not a valid `YYYY-MM-DD`.
    public var lastDate: CivilDate? { CivilDate(lastDay) }
}
