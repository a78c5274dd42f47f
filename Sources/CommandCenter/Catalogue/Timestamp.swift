/// An instant, in whole milliseconds since 1970-01-01T00:00:00Z (Unix time, no leap seconds).
///
/// Every time in the catalogue has millisecond precision: the log stores times as milliseconds
/// and the interchange form prints exactly three fraction digits. See `Timestamp+RFC3339.swift`
/// for the text form.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z; negative before it.
    public var milliseconds: Int64

    /// Creates the instant `milliseconds` after (or before, if negative) the Unix epoch.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}

extension Timestamp: CustomStringConvertible {
    /// The RFC 3339 form, as ``rfc3339``.
    public var description: String { rfc3339 }
}
