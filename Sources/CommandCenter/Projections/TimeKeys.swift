// The UTC calendar keys the statistics group by, computed from milliseconds with the same
// civil-date arithmetic as the RFC 3339 form (no Foundation, no time zones: UTC only).

enum TimeKeys {
    static let minuteMs: Int64 = 60_000
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000

    /// `00`…`23`: the UTC hour of day of `ms`.
    static func hourOfDay(_ ms: Int64) -> String {
        let hour = Int(ms.floorDividedBy(dayMs).remainder / hourMs)
        return hour < 10 ? "0\(hour)" : "\(hour)"
    }

    /// `YYYY-MM-DD`: the UTC date of `ms`.
    static func day(_ ms: Int64) -> String {
        String(Timestamp(milliseconds: ms).rfc3339.prefix(10))
    }

    /// The RFC 3339 form of the start of the `unit`-long bucket holding `ms`.
    static func bucketStart(_ ms: Int64, unit: Int64) -> Int64 {
        ms.floorDividedBy(unit).quotient * unit
    }
}
