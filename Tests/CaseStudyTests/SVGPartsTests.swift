@testable import CaseStudy
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
        let scale = TimeScale(domain: (start, start + Int64(hours) * UTCCalendar.hourMs), range: (70, 730))
        let ticks = scale.ticks()
        #expect(ticks.count >= 2)
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(scale(b.at) - scale(a.at) >= 64) }
        // Every tick is on a round UTC hour, and the first one says the date.
        #expect(ticks.allSatisfy { $0.at % UTCCalendar.hourMs == 0 })
        #expect(ticks.first?.label.last?.contains("Jun") == true || ticks.first?.label.last?.contains("Jul") == true)
    }

    @Test func escapingKeepsMarkupOut() {
        let node = SVGNode("text", [("data-key", "a\"b<c")], text: "R&D <b>\u{01}")
        #expect(node.render() == "<text data-key=\"a&quot;b&lt;c\">R&amp;D &lt;b&gt;</text>\n")
    }
}
