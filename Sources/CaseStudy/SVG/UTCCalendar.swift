import CommandCenter

/// The UTC calendar of the figures: the log stores instants in UTC and knows no time zone, so
/// every time axis, bucket and label of the report is UTC, and says so.
enum UTCCalendar {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The start of the `unit`-long bucket (aligned on the epoch) holding `ms`.
    static func floor(_ ms: Int64, unit: Int64) -> Int64 {
        let q = ms / unit
        return (ms % unit < 0 ? q - 1 : q) * unit
    }

    /// Year, month (1…12), day, hour, minute of `ms`, read from its RFC 3339 form (one calendar
    /// for the whole project: `Timestamp`'s).
    static func components(_ ms: Int64) -> (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64) {
        let text = Timestamp(milliseconds: ms).rfc3339  // [-]YYYY-MM-DDTHH:MM:SS.mmmZ
        let halves = text.split(separator: "T")
        let date = halves[0].split(separator: "-", omittingEmptySubsequences: false)
        let time = halves[1].split(separator: ":")
        let year = Int64(date[date.count - 3])! * (text.hasPrefix("-") ? -1 : 1)
        return (year, Int64(date[date.count - 2])!, Int64(date[date.count - 1])!, Int64(time[0])!, Int64(time[1])!)
    }

    /// `14:00`.
    static func clock(_ ms: Int64) -> String {
        let c = components(ms)
        return pad(c.hour) + ":" + pad(c.minute)
    }

    /// `3 Jun`.
    static func shortDate(_ ms: Int64) -> String {
        let c = components(ms)
        return "\(c.day) \(months[Int(c.month) - 1])"
    }

    /// `2026-06-03 14:00 UTC`.
    static func minute(_ ms: Int64) -> String {
        let c = components(ms)
        return "\(c.year)-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour)):\(pad(c.minute)) UTC"
    }

    private static func pad(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
