import CommandCenter
import Foundation

/// A linear map from a domain of values to a range of pixels, with round ticks.
struct LinearScale: Sendable {
    var domain: (lower: Double, upper: Double)
    var range: (lower: Double, upper: Double)
    /// The smallest tick step: 1 for counts (no "0.2 posts" between "0" and "1").
    var minimumStep = 0.0

    /// A scale from 0 to a round number at or above `maximum` (at least `minimumUpper`), with
    /// about `tickCount` ticks, onto `range`; `counts` keeps the ticks on whole numbers.
    static func zeroBased(maximum: Double, range: (Double, Double), tickCount: Int = 5, minimumUpper: Double = 1, counts: Bool = true) -> LinearScale {
        let top = max(maximum, minimumUpper)
        let step = max(niceStep(top / Double(tickCount)), counts ? 1 : 0)
        let upper = (top / step).rounded(.up) * step
        return LinearScale(domain: (0, upper), range: range, minimumStep: counts ? 1 : 0)
    }

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        guard span != 0 else { return range.lower }
        return range.lower + (value - domain.lower) / span * (range.upper - range.lower)
    }

    /// Round values from the domain's lower end to its upper end, about `count` of them.
    func ticks(count: Int = 5) -> [Double] {
        let step = max(Self.niceStep((domain.upper - domain.lower) / Double(max(count, 1))), minimumStep)
        guard step > 0 else { return [domain.lower] }
        var ticks: [Double] = []
        var k = (domain.lower / step).rounded(.up)
        while k * step <= domain.upper + step * 1e-9 {
            ticks.append(k * step)
            k += 1
        }
        return ticks
    }

    /// 1, 2 or 5 times a power of ten, at or above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= rough * (1 - 1e-12) { return factor * power }
        return 10 * power
    }
}

/// Instants (ms since 1970) onto pixels, with ticks on round local hours, days, months or years
/// of the report's clock: readable over an afternoon or over years.
struct TimeScale: Sendable {
    var domain: (lower: Int64, upper: Int64)
    var range: (lower: Double, upper: Double)
    var clock: ReportClock

    private enum Step {
        case hours(Int), days(Int), months(Int), years(Int)

        var nominal: Int64 {
            switch self {
            case .hours(let n): Int64(n) * ReportClock.hourMs
            case .days(let n): Int64(n) * ReportClock.dayMs
            case .months(let n): Int64(n) * 30 * ReportClock.dayMs
            case .years(let n): Int64(n) * 365 * ReportClock.dayMs
            }
        }
    }

    /// Tick spacings tried, shortest first.
    private static let steps: [Step] = [.hours(1), .hours(2), .hours(3), .hours(6), .hours(12), .days(1), .days(2), .days(7),
                                        .months(1), .months(3), .months(6), .years(1), .years(2), .years(5), .years(10),
                                        .years(20), .years(50), .years(100)]

    func callAsFunction(_ ms: Int64) -> Double {
        let span = Double(domain.upper - domain.lower)
        guard span > 0 else { return (range.lower + range.upper) / 2 }
        return range.lower + Double(ms - domain.lower) / span * (range.upper - range.lower)
    }

    /// Ticks at least `minimumSpacing` pixels apart on round local times: the clock time (with
    /// the date under the first tick and under each midnight), the day, the month or the year.
    func ticks(minimumSpacing: Double = 64) -> [(at: Int64, label: [String])] {
        let width = abs(range.upper - range.lower)
        let span = max(domain.upper - domain.lower, 1)
        let step = Self.steps.first { Double(span) / Double($0.nominal) * minimumSpacing <= width } ?? Self.steps.last!
        var ticks: [(Int64, [String])] = []
        switch step {
        case .hours(let n):
            var t = clock.startOfHour(domain.lower)
            while t <= domain.upper {
                if t >= domain.lower && clock.hourOfDay(t) % n == 0 {
                    let midnight = clock.hourOfDay(t) == 0 && clock.components(t).minute == 0
                    ticks.append((t, [clock.clock(t)] + (midnight || ticks.isEmpty ? [clock.shortDate(t)] : [])))
                }
                t = clock.startOfHour(t + ReportClock.hourMs + 60_000)
            }
        case .days(let n):
            var date = clock.date(domain.lower)
            while clock.startOfDay(date) <= domain.upper {
                let t = clock.startOfDay(date)
                let round = n == 7 ? date.weekday == 0 : date.dayNumber.floorDividedBy(Int64(n)).remainder == 0
                if t >= domain.lower && round {
                    let newYear = ticks.isEmpty || date.components.month == 1 && date.components.day <= n
                    ticks.append((t, [clock.shortDate(t)] + (newYear ? [clock.yearLabel(t)] : [])))
                }
                date = date.adding(days: 1)
            }
        case .months(let n):
            var t = clock.startOfMonth(containing: domain.lower)
            while t <= domain.upper {
                let month = clock.components(t).month
                if t >= domain.lower && (month - 1) % n == 0 {
                    let label = clock.monthLabel(t).split(separator: " ").map(String.init)
                    ticks.append((t, ticks.isEmpty || month == 1 ? label : [label[0]]))
                }
                t = clock.month(after: t)
            }
        case .years(let n):
            var t = clock.startOfMonth(containing: domain.lower)
            while t <= domain.upper {
                let c = clock.components(t)
                if t >= domain.lower && c.month == 1 && c.year % Int64(n) == 0 { ticks.append((t, [clock.yearLabel(t)])) }
                t = clock.month(after: t)
            }
        }
        return ticks
    }
}

/// Categories onto equal bands of pixels.
struct BandScale: Sendable {
    var categories: [String]
    var range: (lower: Double, upper: Double)
    /// The share of each band left empty between bars.
    var padding = 0.25

    var step: Double { categories.isEmpty ? 0 : (range.upper - range.lower) / Double(categories.count) }
    var bandwidth: Double { step * (1 - padding) }

    /// Start of the bar of category `index`.
    func start(_ index: Int) -> Double { range.lower + step * Double(index) + step * padding / 2 }
    /// Middle of the band of category `index`.
    func center(_ index: Int) -> Double { range.lower + step * (Double(index) + 0.5) }
}

/// Durations in seconds onto pixels on a logarithmic axis: response times span seconds to a
/// night's wait, and a linear axis would squeeze every answer of the day into its first pixels.
struct LogScale: Sendable {
    var domain: (lower: Double, upper: Double)
    var range: (lower: Double, upper: Double)

    /// Round durations for ticks, with their labels.
    private static let marks: [(Double, String)] = [
        (1, "1 s"), (5, "5 s"), (10, "10 s"), (30, "30 s"), (60, "1 min"), (120, "2 min"), (300, "5 min"), (600, "10 min"),
        (900, "15 min"), (1800, "30 min"), (3600, "1 h"), (7200, "2 h"), (14_400, "4 h"), (28_800, "8 h"), (86_400, "1 d"),
        (172_800, "2 d"), (604_800, "7 d"), (2_592_000, "30 d"),
    ]

    func callAsFunction(_ seconds: Double) -> Double {
        let lo = Foundation.log(domain.lower), hi = Foundation.log(domain.upper)
        guard hi > lo else { return range.lower }
        let v = Foundation.log(min(max(seconds, domain.lower), domain.upper))
        return range.lower + (v - lo) / (hi - lo) * (range.upper - range.lower)
    }

    /// The round durations inside the domain, at least `minimumSpacing` pixels apart.
    func ticks(minimumSpacing: Double = 44) -> [(position: Double, label: [String])] {
        var ticks: [(Double, [String])] = []
        for (seconds, label) in Self.marks where seconds >= domain.lower && seconds <= domain.upper {
            let x = self(seconds)
            if let last = ticks.last, abs(x - last.0) < minimumSpacing { continue }
            ticks.append((x, [label]))
        }
        return ticks
    }
}
