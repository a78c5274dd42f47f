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

    static func drawn(_ chart: Chart, tables: [CSVTable]) -> Figure {
        Figure(name: chart.id, title: chart.title, chart: chart, missing: nil, tables: tables)
    }

    static func missing(_ name: String, title: String, because reason: String, tables: [CSVTable]) -> Figure {
        Figure(name: name, title: title, chart: nil, missing: reason, tables: tables)
    }
}

/// A CSV file (RFC 4180: comma-separated, CRLF-free `\n` lines, fields quoted when they hold a
/// comma, a quote or a line break).
struct CSVTable: Sendable {
    /// File stem: `data/<name>.csv`.
    var name: String
    var header: [String]
    var rows: [[String]]

    var text: String {
        var out = header.map(Self.field).joined(separator: ",") + "\n"
        for row in rows { out += row.map(Self.field).joined(separator: ",") + "\n" }
        return out
    }

    static func field(_ value: String) -> String {
        // Bytes, not Characters: posts.csv has a quarter of a million fields.
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}

/// The time buckets of the time-series figures: hours, or days when the log spans more than two
/// weeks (a year of customer care in hours would be 8,760 slivers).
struct TimeBuckets: Sendable {
    var unit: Int64
    var starts: [Int64]

    var unitName: String { unit == UTCCalendar.hourMs ? "hour" : "day" }

    /// Buckets covering `first`…`last` (ms), every one of them, empty ones included.
    init(first: Int64, last: Int64) {
        unit = last - first > 14 * UTCCalendar.dayMs ? UTCCalendar.dayMs : UTCCalendar.hourMs
        var starts: [Int64] = []
        var t = UTCCalendar.floor(first, unit: unit)
        while t <= last {
            starts.append(t)
            t += unit
        }
        self.starts = starts
    }

    /// The index of the bucket holding `ms` (clamped to the range).
    func index(of ms: Int64) -> Int {
        guard let first = starts.first else { return 0 }
        return min(max(Int((UTCCalendar.floor(ms, unit: unit) - first) / unit), 0), starts.count - 1)
    }

    /// A time scale over the buckets onto `range`.
    func scale(_ range: (Double, Double)) -> TimeScale {
        TimeScale(domain: (starts.first ?? 0, (starts.last ?? 0) + unit), range: range)
    }

    /// The middle of bucket `i` on `scale`.
    func center(_ i: Int, _ scale: TimeScale) -> Double { scale(starts[i] + unit / 2) }
}
