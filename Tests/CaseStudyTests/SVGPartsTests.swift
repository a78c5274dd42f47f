@testable import CaseStudy
import CommandCenter
import Testing

/// The SVG module's parts: numbers written the same everywhere, round ticks, readable time axes.
struct SVGPartsTests {
    @Test(arguments: [
        (0.5, 0, "1"), (-0.5, 0, "-1"), (2.675, 2, "2.68"), (1e-9, 3, "0.000"), (-1e-9, 3, "0.000"), (1234.5678, 1, "1234.6"), (0.1 + 0.2, 6, "0.300000"),
    ])
    func fixedRoundsHalfAwayFromZero(value: Double, decimals: Int, expected: String) {
        #expect(Format.fixed(value, decimals) == expected)
    }

    @Test func coordinatesDropTrailingZeros() {
        #expect(Format.coordinate(12.5) == "12.5")
        #expect(Format.coordinate(40) == "40")
        #expect(Format.coordinate(-0.001) == "0")
        #expect(Format.seconds(milliseconds: 1_250) == "1.250")
        #expect(Format.duration(seconds: 900) == "15 min")
        #expect(Format.duration(seconds: 3030) == "50.5 min")
    }

    @Test func linearTicksAreRoundAndCoverTheDomain() {
        let scale = LinearScale.zeroBased(maximum: 171, range: (300, 50))
        #expect(scale.domain.upper == 200)
        #expect(scale.ticks() == [0, 50, 100, 150, 200])
        #expect(scale(0) == 300 && scale(200) == 50)
        #expect(LinearScale.niceStep(0.37) == 0.5)
        // Counts tick on whole numbers: one post is not "0, 0.2, 0.4…".
        #expect(LinearScale.zeroBased(maximum: 1, range: (0, 100)).ticks() == [0, 1])
        #expect(LinearScale.zeroBased(maximum: 1, range: (0, 100), counts: false).ticks() == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    }

    @Test(arguments: [3, 30, 24 * 3, 24 * 40])
    func timeTicksNeverCrowdTheirLabels(hours: Int) {
        let start: Int64 = 1_780_383_600_000  // 2026-06-02T07:00:00Z
        let scale = TimeScale(domain: (start, start + Int64(hours) * ReportClock.hourMs), range: (70, 730), clock: .utc)
        let ticks = scale.ticks()
        #expect(ticks.count >= 2)
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(scale(b.at) - scale(a.at) >= 64) }
        // Every tick is on a round UTC hour, and the first one says the date.
        #expect(ticks.allSatisfy { $0.at % ReportClock.hourMs == 0 })
        #expect(ticks.first?.label.joined(separator: " ").contains("Jun") == true || ticks.first?.label.joined(separator: " ").contains("Jul") == true)
    }

    /// Over years, ticks fall on local new years (or months), never thirty-day steps that smear.
    @Test(arguments: [(400, "month"), (3 * 365, "month"), (12 * 365, "year")])
    func timeTicksOverYearsAreMonthsOrYears(days: Int, unit: String) throws {
        let zone = try #require(LocalZone(identifier: "America/New_York"))
        let start: Int64 = 1_298_937_600_000  // 2011-03-01T00:00:00Z
        let end = start + Int64(days) * ReportClock.dayMs
        let clock = ReportClock(zone: zone, from: start, through: end)
        let scale = TimeScale(domain: (start, end), range: (70, 730), clock: clock)
        let ticks = scale.ticks()
        #expect(ticks.count >= 2 && ticks.count <= 11, "\(ticks.map(\.label))")
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(scale(b.at) - scale(a.at) >= 64) }
        for tick in ticks {
            let c = clock.components(tick.at)
            #expect(c.day == 1 && c.hour == 0 && c.minute == 0, "a tick at \(clock.minute(tick.at))")
            if unit == "year" { #expect(c.month == 1 && tick.label == [String(c.year)]) }
            if unit == "month", c.month == 1 { #expect(tick.label.last == String(c.year), "January names its year") }
        }
    }

    /// Hourly ticks in New York across the change to daylight time (2020-03-08 02:00 EST → 03:00
    /// EDT) fall on local round hours, and the day has 23 hourly buckets.
    @Test func localHoursAcrossADaylightSavingChange() throws {
        let zone = try #require(LocalZone(identifier: "America/New_York"))
        let midnight: Int64 = 1_583_643_600_000  // 2020-03-08T00:00:00-05:00 = 05:00Z
        let clock = ReportClock(zone: zone, from: midnight, through: midnight + 2 * ReportClock.dayMs)
        let buckets = TimeBuckets(first: midnight, last: midnight + 23 * ReportClock.hourMs - 1, clock: clock)
        #expect(buckets.starts.count == 23)
        #expect(buckets.starts.map { clock.hourOfDay($0) } == [0, 1] + Array(3...23))
        #expect(clock.startOfDay(CivilDate("2020-03-09")!) == midnight + 23 * ReportClock.hourMs)
        #expect(clock.rfc3339(midnight + 2 * ReportClock.hourMs) == "2020-03-08T03:00:00-04:00")
        #expect(clock.rfc3339(midnight + ReportClock.hourMs) == "2020-03-08T01:00:00-05:00")
        // Back in November: the hour 01:00 happens twice, as two buckets.
        let november: Int64 = 1_604_203_200_000  // 2020-11-01T00:00:00-04:00
        let fall = ReportClock(zone: zone, from: november, through: november + ReportClock.dayMs * 2)
        let day = TimeBuckets(first: november, last: november + 25 * ReportClock.hourMs - 1, clock: fall)
        #expect(day.starts.count == 25)
        #expect(day.starts.prefix(4).map { fall.rfc3339($0) } == ["2020-11-01T00:00:00-04:00", "2020-11-01T01:00:00-04:00", "2020-11-01T01:00:00-05:00", "2020-11-01T02:00:00-05:00"])
    }

    @Test func escapingKeepsMarkupOut() {
        let node = SVGNode("text", [("data-key", "a\"b<c")], text: "R&D <b>\u{01}")
        #expect(node.render() == "<text data-key=\"a&quot;b&lt;c\">R&amp;D &lt;b&gt;</text>\n")
    }
}
