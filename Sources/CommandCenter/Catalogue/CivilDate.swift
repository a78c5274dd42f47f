/// A calendar date with no time and no zone (`2017-03-02`): an event's days, a local day of the
/// case study. Proleptic Gregorian, the same arithmetic as ``Timestamp``'s RFC 3339 form.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it): one number to compare and count with.
    public var dayNumber: Int64

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int64) {
        self.dayNumber = dayNumber
    }

    /// The date `year`-`month`-`day`; `nil` when it does not exist (`2017-02-30`).
    public init?(year: Int64, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        dayNumber = Timestamp.days(fromCivilYear: year, month: Int64(month), day: Int64(day))
    }

    /// Parses exactly `YYYY-MM-DD` (years 0001–9999); `nil` for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), year >= 1, let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: Int64(year), month: month, day: day)
    }

    /// Year, month (1…12) and day of the month.
    public var components: (year: Int64, month: Int, day: Int) { Timestamp.civil(fromDays: dayNumber) }

    /// Day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    public var weekday: Int { Int((dayNumber + 3).floorDividedBy(7).remainder) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        func pad(_ n: Int64, _ width: Int) -> String {
            let digits = String(n.magnitude)
            return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(c.year, 4))-\(pad(Int64(c.month), 2))-\(pad(Int64(c.day), 2))"
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int64) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// The date of the instant `milliseconds` read on a clock that shows UTC (a local time already
    /// shifted by its offset, for a zone).
    public init(milliseconds: Int64) {
        dayNumber = milliseconds.floorDividedBy(86_400_000).quotient
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    static func daysIn(month: Int, year: Int64) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
