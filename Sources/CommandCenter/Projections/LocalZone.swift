public import Foundation

/// A time zone of the tz database (`America/New_York`), in which the case study reads the log's
/// instants: local days, local hours, the offset to print beside a time.
///
/// Foundation's `TimeZone` holds the rules; ``offsets(from:through:)`` reads them once into a
/// table of changes over the span a report covers, so that placing a million instants costs a
/// binary search each rather than a call into the zone database.
public struct LocalZone: Sendable, Equatable {
    /// The IANA name (`UTC` for ``utc``).
    public let identifier: String
    private let zone: TimeZone

    /// Coordinated Universal Time: what a log that describes no event is read in.
    public static let utc = LocalZone(identifier: "UTC", zone: TimeZone(secondsFromGMT: 0)!)

    private init(identifier: String, zone: TimeZone) {
        self.identifier = identifier
        self.zone = zone
    }

    /// The zone named `identifier` in this system's tz database; `nil` for a name it does not know.
    /// `UTC` and `Etc/UTC` are always known.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Etc/UTC" {
            self.init(identifier: identifier, zone: TimeZone(secondsFromGMT: 0)!)
            return
        }
        // `knownTimeZoneIdentifiers` lists only a few hundred canonical names on Linux (not
        // `Asia/Kolkata`), so the name is taken when it has the tz database's shape and the
        // database resolves it.
        guard FieldRule.isTimeZoneName(identifier), let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(identifier: identifier, zone: zone)
    }

    /// The offset from UTC at the instant `ms`, in milliseconds (−05:00 is −18,000,000).
    public func offsetMilliseconds(at ms: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))) * 1000
    }

    /// The offsets in force from `from` through `through` (ms), as a table of changes.
    public func offsets(from: Int64, through: Int64) -> OffsetTable {
        var changes = [OffsetTable.Change(start: .min, offset: offsetMilliseconds(at: from))]
        guard identifier != "UTC" && identifier != "Etc/UTC" else { return OffsetTable(changes: changes) }
        var cursor = Date(timeIntervalSince1970: Double(from) / 1000)
        let end = Date(timeIntervalSince1970: Double(through) / 1000)
        // A change of standard time without a daylight-saving transition is not reported by
        // Foundation; the offsets are checked at the span's end to catch one, and a table that
        // disagrees falls back to asking the zone for every instant.
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= end {
            let start = Int64((next.timeIntervalSince1970 * 1000).rounded())
            let offset = offsetMilliseconds(at: start)
            if offset != changes[changes.count - 1].offset { changes.append(OffsetTable.Change(start: start, offset: offset)) }
            cursor = next
        }
        let table = OffsetTable(changes: changes)
        return table.offset(at: through) == offsetMilliseconds(at: through) ? table : OffsetTable(zone: self)
    }

    /// `UTC−05:00`, `UTC+05:30`, `UTC` for zero: the offset at `ms` as people read it.
    public func offsetLabel(at ms: Int64) -> String {
        Self.offsetLabel(offsetMilliseconds(at: ms))
    }

    /// `UTC−05:00` for −18,000,000 ms.
    public static func offsetLabel(_ offsetMs: Int64) -> String {
        guard offsetMs != 0 else { return "UTC" }
        let minutes = abs(offsetMs) / 60_000
        let h = minutes / 60, m = minutes % 60
        return "UTC" + (offsetMs < 0 ? "\u{2212}" : "+") + (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    /// `-05:00`, `+00:00`: the offset as RFC 3339 writes it.
    public static func rfc3339Offset(_ offsetMs: Int64) -> String {
        let minutes = abs(offsetMs) / 60_000
        let h = minutes / 60, m = minutes % 60
        return (offsetMs < 0 ? "-" : "+") + (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    public static func == (lhs: LocalZone, rhs: LocalZone) -> Bool { lhs.identifier == rhs.identifier }
}

/// The offsets of one zone over a span, as a sorted list of changes: local time for many
/// instants without asking the zone database for each.
public struct OffsetTable: Sendable {
    struct Change: Sendable {
        var start: Int64
        var offset: Int64
    }

    let changes: [Change]
    /// Set when the table could not be built: every lookup asks the zone.
    private let zone: LocalZone?

    init(changes: [Change]) {
        self.changes = changes
        self.zone = nil
    }

    init(zone: LocalZone) {
        self.changes = []
        self.zone = zone
    }

    /// The offset at the instant `ms`, in milliseconds.
    public func offset(at ms: Int64) -> Int64 {
        if let zone { return zone.offsetMilliseconds(at: ms) }
        var lo = 0, hi = changes.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if changes[mid].start <= ms { lo = mid } else { hi = mid - 1 }
        }
        return changes[lo].offset
    }

    /// The local wall-clock time of `ms`, as milliseconds on a clock that reads UTC.
    public func local(_ ms: Int64) -> Int64 { ms + offset(at: ms) }

    /// The local date of the instant `ms`.
    public func date(_ ms: Int64) -> CivilDate { CivilDate(milliseconds: local(ms)) }

    /// The first instant whose local time is `localMs` or later: the instant of a wall-clock time,
    /// the earlier one when the clock is set back (it then shows that time twice), the end of the
    /// gap when the clock jumps over it.
    public func instant(ofLocal localMs: Int64) -> Int64 {
        // Every offset the table can hold is within a day of zero: try the offsets in force a day
        // either side and keep the earliest instant that reads at least `localMs`.
        let candidates = Set([offset(at: localMs - 86_400_000), offset(at: localMs), offset(at: localMs + 86_400_000),
                              offset(at: localMs - offset(at: localMs))])
        var best: Int64?
        for o in candidates {
            let t = localMs - o
            if local(t) == localMs, best.map({ t < $0 }) ?? true { best = t }
        }
        if let best { return best }
        // A gap (spring forward): the wall-clock time never occurs; the first instant after it.
        let before = localMs - offset(at: localMs - 86_400_000)
        return before
    }

    /// The instant local day `date` starts.
    public func startOfDay(_ date: CivilDate) -> Int64 { instant(ofLocal: date.dayNumber * 86_400_000) }

    /// The instant the local hour holding `ms` starts.
    public func startOfHour(_ ms: Int64) -> Int64 {
        let local = self.local(ms)
        let hourStart = local - local.floorDividedBy(3_600_000).remainder
        // The instant of that wall-clock hour with the offset of `ms` itself: in the hour the clock
        // is set back, both 01:00s exist and `ms` belongs to the one with its own offset.
        return hourStart - offset(at: ms)
    }

    /// `2017-03-02T09:00:00-05:00`: the instant `ms` in local time with its offset (whole seconds).
    public func rfc3339(_ ms: Int64) -> String {
        var bytes: [UInt8] = []
        appendRFC3339(ms, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``rfc3339(_:)`` appended to `bytes` (a CSV of a quarter of a million posts builds no
    /// `String` per time).
    public func appendRFC3339(_ ms: Int64, to bytes: inout [UInt8]) {
        let offset = self.offset(at: ms)
        let start = bytes.count
        Timestamp(milliseconds: ms + offset).appendRFC3339(to: &bytes)  // YYYY-MM-DDTHH:MM:SS.mmmZ
        bytes.removeSubrange(Swift.min(bytes.count, start + 19)...)
        bytes.append(contentsOf: LocalZone.rfc3339Offset(offset).utf8)
    }
}

extension OffsetTable {
    /// One change of offset: from `start` on, local time is UTC + `offset` (ms).
    public struct OffsetChange: Sendable, Equatable {
        public var start: Int64
        public var offset: Int64
    }

    /// The changes of offset strictly after `from` and at or before `through`.
    public func changes(from: Int64, through: Int64) -> [OffsetChange] {
        changes.filter { $0.start > from && $0.start <= through }.map { OffsetChange(start: $0.start, offset: $0.offset) }
    }
}
