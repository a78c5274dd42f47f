// Hand-written RFC 3339 formatting and parsing: DateFormatter and ISO8601DateFormatter are slow,
// allocate, and on Linux depend on ICU data; the export path formats two times per event and the
// formats needed here are tiny and fixed.

extension Timestamp {
    /// The interchange form: RFC 3339 in UTC with exactly three fraction digits,
    /// `2015-06-23T04:09:49.000Z`.
    ///
    /// Exact for years 0000–9999 (the range RFC 3339 can express). Outside it the year is printed
    /// with as many digits as it needs and a `-` sign before year 0, which is not RFC 3339: such
    /// times can be built in memory but never come from parsing text.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an RFC 3339 date-time (section 5.6 `date-time`) such as `2015-06-23T04:09:49Z`,
    /// `2015-06-23t06:09:49.5+02:00` or `2015-06-23T04:09:49.123456789-00:00`.
    ///
    /// Accepts `T` or `t`, `Z` or `z` or a `±hh:mm` offset, and any number of fraction digits;
    /// digits past the third are truncated (toward the past), not rounded. Refuses anything else,
    /// including impossible dates (`02-30`) and the leap second `:60`, which Unix time cannot name.
    /// - Returns: `nil` when `text` is not an RFC 3339 date-time.
    public init?(rfc3339 text: String) {
        guard let parsed = Timestamp.parseRFC3339(Array(text.utf8)[...]) else { return nil }
        self = parsed
    }

    /// Parses the UTF-8 bytes of an RFC 3339 date-time, as ``init(rfc3339:)`` does, without
    /// building a `String` (the importers' hot path).
    public init?(rfc3339Bytes bytes: ArraySlice<UInt8>) {
        guard let parsed = Timestamp.parseRFC3339(bytes) else { return nil }
        self = parsed
    }

    /// Appends ``rfc3339`` as UTF-8, without building a `String` (the export path).
    public func appendRFC3339(to bytes: inout [UInt8]) {
        let (days, msOfDay) = milliseconds.floorDividedBy(86_400_000)
        let (year, month, day) = Timestamp.civil(fromDays: days)
        if year >= 0 && year <= 9999 {
            append(digits: Int(year), count: 4, to: &bytes)
        } else {
            bytes.append(contentsOf: String(year).utf8)
        }
        bytes.append(UInt8(ascii: "-"))
        append(digits: month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(digits: day, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        let ms = Int(msOfDay)
        append(digits: ms / 3_600_000, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(digits: ms / 60_000 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(digits: ms / 1000 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        append(digits: ms % 1000, count: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    private func append(digits value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var value = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor))
            value %= divisor
            divisor /= 10
        }
    }

    /// Parses the bytes of an RFC 3339 date-time; `nil` if they are not one.
    static func parseRFC3339(_ s: ArraySlice<UInt8>) -> Timestamp? {
        var i = s.startIndex
        func number(_ width: Int) -> Int? {
            guard s.endIndex - i >= width else { return nil }
            var value = 0
            for _ in 0..<width {
                let digit = s[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
                i += 1
            }
            return value
        }
        func expect(_ byte: UInt8, or other: UInt8? = nil) -> Bool {
            guard i < s.endIndex, s[i] == byte || s[i] == other else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")),
              let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2), expect(UInt8(ascii: "T"), or: UInt8(ascii: "t")),
              let hour = number(2), expect(UInt8(ascii: ":")),
              let minute = number(2), expect(UInt8(ascii: ":")),
              let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0
        if i < s.endIndex, s[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < s.endIndex, s[i] &- UInt8(ascii: "0") < 10 {
                if digits < 3 { fraction = fraction * 10 + Int(s[i] - UInt8(ascii: "0")) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 3)..<3 { fraction *= 10 }
        }
        var offsetMinutes = 0
        guard i < s.endIndex else { return nil }
        switch s[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let offsetHour = number(2), expect(UInt8(ascii: ":")),
                  let offsetMinute = number(2), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
        default:
            return nil
        }
        guard i == s.endIndex else { return nil }
        let days = days(fromCivilYear: Int64(year), month: Int64(month), day: Int64(day))
        let secondOfDay = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        return Timestamp(milliseconds: days * 86_400_000 + secondOfDay * 1000 + Int64(fraction))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's `days_from_civil` and `civil_from_days`
    // (https://howardhinnant.github.io/date_algorithms.html): exact for the proleptic Gregorian
    // calendar over the whole Int64 range we can reach, with no tables and no loops.

    static func days(fromCivilYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), Int(month), Int(day))
    }
}

extension Int64 {
    /// Floor division (the remainder is never negative), so times before 1970 format correctly.
    package func floorDividedBy(_ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let q = self / divisor
        let r = self % divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}
