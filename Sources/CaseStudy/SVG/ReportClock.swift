import CommandCenter

/// The clock every time of a report is read on: the event's time zone (or UTC when the log says
/// none), with its offsets looked up once for the span the report covers. Every bucket, tick and
/// label of a report goes through one `ReportClock`, and every text that shows a time names the
/// zone, so a busiest hour of "10:00" is never read as another zone's.
struct ReportClock: Sendable {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    let zone: LocalZone
    let offsets: OffsetTable

    /// The clock of `zone` for instants from `from` through `through` (ms), with a year of margin
    /// either side for axes that pad the span.
    init(zone: LocalZone, from: Int64, through: Int64) {
        self.zone = zone
        self.offsets = zone.offsets(from: from - 366 * Self.dayMs, through: through + 366 * Self.dayMs)
    }

    /// UTC, for a log with no events.
    static let utc = ReportClock(zone: .utc, from: 0, through: 0)

    /// The zone's name: `America/New_York`, `UTC`.
    var zoneName: String { zone.identifier }

    /// Year, month (1…12), day, hour, minute of `ms` on this clock.
    func components(_ ms: Int64) -> (year: Int64, month: Int, day: Int, hour: Int, minute: Int) {
        let local = offsets.local(ms)
        let date = CivilDate(milliseconds: local).components
        let ofDay = local.floorDividedBy(Self.dayMs).remainder
        return (date.year, date.month, date.day, Int(ofDay / Self.hourMs), Int(ofDay % Self.hourMs / 60_000))
    }

    /// The local date of `ms`.
    func date(_ ms: Int64) -> CivilDate { offsets.date(ms) }

    /// The local hour of day of `ms`, 0…23.
    func hourOfDay(_ ms: Int64) -> Int { components(ms).hour }

    /// The instant local day `date` starts.
    func startOfDay(_ date: CivilDate) -> Int64 { offsets.startOfDay(date) }

    /// The instant the local day holding `ms` starts.
    func startOfDay(containing ms: Int64) -> Int64 { startOfDay(date(ms)) }

    /// The instant the local hour holding `ms` starts.
    func startOfHour(_ ms: Int64) -> Int64 { offsets.startOfHour(ms) }

    /// The instant the local month holding `ms` starts.
    func startOfMonth(containing ms: Int64) -> Int64 {
        let c = date(ms).components
        return startOfDay(CivilDate(year: c.year, month: c.month, day: 1)!)
    }

    /// The instant the local month `months` after the one starting at `start` starts.
    func month(after start: Int64, _ months: Int = 1) -> Int64 {
        let c = date(start).components
        let index = c.year * 12 + Int64(c.month - 1) + Int64(months)
        return startOfDay(CivilDate(year: index.floorDividedBy(12).quotient, month: Int(index.floorDividedBy(12).remainder) + 1, day: 1)!)
    }

    /// `14:00`.
    func clock(_ ms: Int64) -> String {
        let c = components(ms)
        return Self.pad(c.hour) + ":" + Self.pad(c.minute)
    }

    /// `3 Mar`.
    func shortDate(_ ms: Int64) -> String {
        let c = components(ms)
        return "\(c.day) \(Self.months[c.month - 1])"
    }

    /// `Fri 3 Mar`.
    func dayLabel(_ date: CivilDate) -> String {
        let c = date.components
        return "\(Self.weekdays[date.weekday]) \(c.day) \(Self.months[c.month - 1])"
    }

    /// `Mar 2017`.
    func monthLabel(_ ms: Int64) -> String {
        let c = components(ms)
        return "\(Self.months[c.month - 1]) \(c.year)"
    }

    /// `2017`.
    func yearLabel(_ ms: Int64) -> String { String(components(ms).year) }

    /// `2017-03-03 10:00 America/New_York`: a time in prose, with the zone named.
    func minute(_ ms: Int64) -> String { minuteWithoutZone(ms) + " " + zoneName }

    /// `2017-03-03 10:00`.
    func minuteWithoutZone(_ ms: Int64) -> String {
        let c = components(ms)
        return "\(c.year)-\(Self.pad(c.month))-\(Self.pad(c.day)) \(Self.pad(c.hour)):\(Self.pad(c.minute))"
    }

    /// `2017-03-03 10:00–11:00 America/New_York`: an hour starting at `start`.
    func hourRange(_ start: Int64) -> String {
        minuteWithoutZone(start) + "\u{2013}" + clock(start + Self.hourMs) + " " + zoneName
    }

    /// `2017-03-02T09:00:00-05:00`: an instant in local time with its offset (the CSV form); in
    /// UTC, the log's own form (`2017-03-02T14:00:00.000Z`).
    func rfc3339(_ ms: Int64) -> String { zoneName == "UTC" ? Timestamp(milliseconds: ms).rfc3339 : offsets.rfc3339(ms) }

    /// ``rfc3339(_:)`` appended to `bytes`.
    func appendRFC3339(_ ms: Int64, to bytes: inout [UInt8]) {
        if zoneName == "UTC" {
            Timestamp(milliseconds: ms).appendRFC3339(to: &bytes)
        } else {
            offsets.appendRFC3339(ms, to: &bytes)
        }
    }

    /// What the page says about its times: the zone, its offset, and when the offset changes
    /// inside `from`…`through` (a daylight-saving change during the event).
    func sentence(from: Int64, through: Int64, source: String) -> String {
        var text = zoneName == "UTC" ? "All times are UTC" : "All times are local to the event, \(zoneName) (\(LocalZone.offsetLabel(offsets.offset(at: from))))"
        let changes = offsets.changes(from: from, through: through)
        for change in changes {
            text += "; \(LocalZone.offsetLabel(change.offset)) from \(minuteWithoutZone(change.start))"
        }
        switch source {
        case "option": text += ", as --time-zone asked"
        case "event": text += ", the event's time zone"
        default: break
        }
        return text + "."
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
