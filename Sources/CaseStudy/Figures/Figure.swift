import CommandCenter

/// One figure of the report: its chart, or why there is none, and the tables of numbers behind it.
struct Figure: Sendable {
    /// File stem: `figures/<name>.svg`.
    var name: String
    var title: String
    /// The chart; `nil` when the log lacks what it needs.
    var chart: Chart?
    /// What is missing, in words, when there is no chart.
    var missing: String?
    /// `data/<name>.csv` files: the numbers the chart plots (written even when nothing is drawn).
    var tables: [CSVTable]
    /// Not drawn and not worth a sentence on the page (a key figure already says it all): only
    /// its CSV is written.
    var isOmitted = false

    static func drawn(_ chart: Chart, tables: [CSVTable]) -> Figure {
        Figure(name: chart.id, title: chart.title, chart: chart, missing: nil, tables: tables)
    }

    static func missing(_ name: String, title: String, because reason: String, tables: [CSVTable]) -> Figure {
        Figure(name: name, title: title, chart: nil, missing: reason, tables: tables)
    }

    static func omitted(_ name: String, title: String, tables: [CSVTable]) -> Figure {
        Figure(name: name, title: title, chart: nil, missing: nil, tables: tables, isOmitted: true)
    }
}

/// A CSV file (RFC 4180: comma-separated, CRLF-free `\n` lines, fields quoted when they hold a
/// comma, a quote or a line break).
struct CSVTable: Sendable {
    /// File stem: `data/<name>.csv`.
    var name: String
    var header: [String]
    var rows: [[String]]
    /// Lines already in CSV form, after `rows` (see ``CSVLine``): a table too long to build a
    /// `String` per field.
    var renderedRows: [UInt8] = []

    var text: String {
        // Bytes grown in place, one `String` at the end: posts.csv has a quarter of a million
        // rows, and a joined array per row (or a `String` appended to field by field) cost as
        // much as building the rows.
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * header.count * 12)
        Self.append(header, to: &out)
        for row in rows { Self.append(row, to: &out) }
        out.append(contentsOf: renderedRows)
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ row: [String], to out: inout [UInt8]) {
        for (index, value) in row.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(field: value, to: &out)
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
    static func append(field value: String, to out: inout [UInt8]) {
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: value.utf8)
            return
        }
        out.append(0x22)
        for byte in value.utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }
}

/// One CSV line written field by field into a table's ``CSVTable/renderedRows``.
struct CSVLine {
    private var started = false

    init() {}

    /// Starts the next field: a comma after the first.
    private mutating func next(_ out: inout [UInt8]) {
        if started { out.append(UInt8(ascii: ",")) }
        started = true
    }

    mutating func field(_ value: String, to out: inout [UInt8]) {
        next(&out)
        CSVTable.append(field: value, to: &out)
    }

    /// A field written by `write`, which writes nothing a CSV field must quote (a time, a number).
    mutating func plain(to out: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        next(&out)
        write(&out)
    }

    mutating func end(_ out: inout [UInt8]) { out.append(UInt8(ascii: "\n")) }
}

/// The time buckets of the time-series figures, on the report's clock: local hours, local days
/// when the window spans more than two weeks (a year of customer care in hours would be 8,760
/// slivers), local months past 400 days. A day of a daylight-saving change is 23 or 25 hours long.
struct TimeBuckets: Sendable {
    enum Unit: Sendable { case hour, day, month }

    var unit: Unit
    /// The instant each bucket starts, and the instant the last one ends.
    var starts: [Int64]
    var end: Int64
    var clock: ReportClock
    /// What the buckets count: a window may start or end inside a bucket (`--from 09:20`).
    var counted: Range<Int64> = Int64.min..<Int64.max

    var unitName: String {
        switch unit {
        case .hour: "hour"
        case .day: "day"
        case .month: "month"
        }
    }

    /// Buckets covering `first`…`last` (ms), every one of them, empty ones included.
    init(first: Int64, last: Int64, clock: ReportClock) {
        self.clock = clock
        let span = last - first
        unit = span > 400 * ReportClock.dayMs ? .month : span > 14 * ReportClock.dayMs ? .day : .hour
        var starts: [Int64] = []
        var t = switch unit {
        case .hour: clock.startOfHour(first)
        case .day: clock.startOfDay(containing: first)
        case .month: clock.startOfMonth(containing: first)
        }
        while t <= last {
            starts.append(t)
            t = Self.next(after: t, unit, clock)
        }
        self.starts = starts
        self.end = t
    }

    private static func next(after t: Int64, _ unit: Unit, _ clock: ReportClock) -> Int64 {
        switch unit {
        case .hour: clock.startOfHour(t + ReportClock.hourMs + 60_000)
        case .day: clock.startOfDay(clock.date(t).adding(days: 1))
        case .month: clock.month(after: t)
        }
    }

    /// The instant bucket `i` ends (the next one starts).
    func end(_ i: Int) -> Int64 { i + 1 < starts.count ? starts[i + 1] : end }

    /// The index of the bucket holding `ms`; `nil` outside the buckets or the counted range (an
    /// outlier, not drawn).
    func index(of ms: Int64) -> Int? {
        guard let first = starts.first, ms >= first, ms < end, counted.contains(ms) else { return nil }
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= ms { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// A time scale over the buckets onto `range`.
    func scale(_ range: (Double, Double)) -> TimeScale {
        TimeScale(domain: (starts.first ?? 0, end), range: range, clock: clock)
    }

    /// The middle of bucket `i` on `scale`.
    func center(_ i: Int, _ scale: TimeScale) -> Double { (scale(starts[i]) + scale(end(i))) / 2 }

    /// The bucket's start as its CSV key: local time with the offset.
    func key(_ i: Int) -> String { clock.rfc3339(starts[i]) }
}
