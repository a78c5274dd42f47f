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

    /// Year, month (1…12), day, hour, minute of `ms` (Howard Hinnant's civil_from_days).
    static func components(_ ms: Int64) -> (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64) {
        let days = floor(ms, unit: dayMs) / dayMs
        let msOfDay = ms - days * dayMs
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, msOfDay / hourMs, msOfDay / 60_000 % 60)
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
