import CommandCenter
import Foundation

/// The figures of first response: its distribution and how it varied with the hour of day.
enum ResponseFigures {
    static let noReplies = "No inbound post was answered (the log has no replied event about one), so there is no first-response time to draw."

    /// The share of answered posts answered within x minutes, with p50, p90 and the target marked.
    static func distribution(_ facts: EventFacts) -> Figure {
        let title = "First response: share of answered posts answered within a time"
        let summary = facts.report.firstResponse
        let summaryTable = CSVTable(name: "first-response-summary", header: ["figure", "value"], rows: [
            ["posts", String(summary.posts)], ["answered", String(summary.answered)], ["unanswered", String(summary.unanswered)],
            ["anomalies", String(summary.anomalies)],
            ["p50 seconds", summary.p50Seconds.map { Format.fixed($0, 3) } ?? ""], ["p90 seconds", summary.p90Seconds.map { Format.fixed($0, 3) } ?? ""],
            ["p99 seconds", summary.p99Seconds.map { Format.fixed($0, 3) } ?? ""], ["mean seconds", summary.meanSeconds.map { Format.fixed($0, 3) } ?? ""],
            ["target seconds", String(summary.targetSeconds)], ["within target of all posts", summary.withinTarget.map { Format.fixed($0, 6) } ?? ""],
            ["within target of answered", summary.withinTargetOfAnswered.map { Format.fixed($0, 6) } ?? ""],
        ])
        let header = ["seconds", "answered within", "share of answered"]
        let values = facts.firstResponseMilliseconds
        guard let p50 = summary.p50Seconds, let p90 = summary.p90Seconds, summary.p99Seconds != nil, !values.isEmpty else {
            return .missing("first-response-cdf", title: title, because: noReplies, tables: [CSVTable(name: "first-response-cdf", header: header, rows: []), summaryTable])
        }
        let bounds = curveBounds([values], target: summary.targetSeconds)
        let curve = cumulative(values, from: bounds.lower, through: bounds.upper)
        let table = CSVTable(name: "first-response-cdf", header: header, rows: curve.map { [String($0.seconds), String($0.within), Format.fixed($0.share, 6)] })
        var chart = Chart(id: "first-response-cdf", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.thisEvent, label: "answered within x", line: true),
                        LegendEntry(color: Palette.ink, label: "p50, p90", line: true, dashed: true),
                        LegendEntry(color: Palette.target, label: "target \(Format.duration(seconds: Double(summary.targetSeconds)))", line: true, dashed: true)]
        let plot = chart.plot
        let x = LogScale(domain: (Double(bounds.lower), Double(bounds.upper)), range: (plot.left, plot.right))
        let y = LinearScale(domain: (0, 1), range: (plot.bottom, plot.top))
        chart.axes = [Axis(edge: .bottom, ticks: x.ticks(), title: "first response, from posting to the first reply (logarithmic scale)"),
                      .linear(y, edge: .left, title: "answered posts (%)", label: { Format.fixed($0 * 100, 0) + "%" })]
        chart.marks.append(LineMark(points: curve.map { (x(Double($0.seconds)), y($0.share)) }, stroke: Palette.thisEvent, step: true,
                                    series: "answered within", keys: curve.map { String($0.seconds) }, values: curve.map { Format.fixed($0.share, 6) }))
        let rules: [(String, Double, String)] = [("p50", p50, Palette.ink), ("p90", p90, Palette.ink), ("target", Double(summary.targetSeconds), Palette.target)]
        for (n, rule) in rules.sorted(by: { $0.1 < $1.1 }).enumerated() {
            chart.marks.append(RuleMark(orientation: .vertical, position: x(rule.1), from: plot.top, to: plot.bottom, stroke: rule.2,
                                        label: "\(rule.0) \(Format.duration(seconds: rule.1))", labelAtFrom: false, labelOffset: Double(n) * 14,
                                        datum: Datum(series: rule.0, key: "seconds", value: Format.fixed(rule.1, 3))))
        }
        if curve.first!.within > 0 {
            chart.marks.append(TextMark(x: plot.left + 6, y: plot.top + 12, text: "axis starts at \(Format.duration(seconds: Double(curve.first!.seconds))): \(Format.percent(curve.first!.share)) answered by then", fill: Palette.muted))
        }
        chart.description = "Step line of the share of the \(Format.grouped(summary.answered)) answered posts (of \(Format.grouped(summary.posts))) whose first reply came within x minutes of posting. "
            + "Median \(Format.duration(seconds: p50)), p90 \(Format.duration(seconds: p90)); "
            + "\(Format.percent(summary.withinTargetOfAnswered ?? 0)) of answered posts and \(Format.percent(summary.withinTarget ?? 0)) of all posts within the target of \(Format.duration(seconds: Double(summary.targetSeconds)))."
        return .drawn(chart, tables: [table, summaryTable])
    }

    /// The span of a logarithmic first-response axis, in whole seconds: from the 1st percentile
    /// (at least 1 s) to the slowest answer (at least the target), over every set of values.
    static func curveBounds(_ sets: [[Int64]], target: Int) -> (lower: Int, upper: Int) {
        var lower = Int.max, upper = target
        for sorted in sets where !sorted.isEmpty {
            lower = min(lower, Int(sorted[sorted.count / 100] / 1000))
            upper = max(upper, Int((sorted[sorted.count - 1] + 999) / 1000))
        }
        lower = max(1, min(lower, target / 2))
        return (lower, max(upper, lower * 10))
    }

    /// Answered within each of about 150 thresholds spaced evenly on a logarithmic scale from
    /// `lower` to `upper` seconds (whole seconds, no repeats), as counts and shares.
    static func cumulative(_ sortedMs: [Int64], from lower: Int, through upper: Int) -> [(seconds: Int, within: Int, share: Double)] {
        let points = 150
        let ratio = Foundation.pow(Double(upper) / Double(lower), 1 / Double(points - 1))
        var thresholds: [Int] = []
        var t = Double(lower)
        for _ in 0..<points {
            let s = Int(t.rounded())
            if s != thresholds.last && s <= upper { thresholds.append(s) }
            t *= ratio
        }
        if thresholds.last != upper { thresholds.append(upper) }
        var result: [(Int, Int, Double)] = []
        var within = 0
        for seconds in thresholds {
            while within < sortedMs.count && sortedMs[within] <= Int64(seconds) * 1000 { within += 1 }
            result.append((seconds, within, sortedMs.isEmpty ? 0 : Double(within) / Double(sortedMs.count)))
        }
        return result
    }

    static func minutesLabel(_ minutes: Double) -> String {
        minutes == minutes.rounded() ? Format.fixed(minutes, 0) : Format.coordinate(minutes)
    }

    /// Median and p90 first response of the posts posted in each local hour of the day.
    static func byHour(_ facts: EventFacts) -> Figure {
        let zone = facts.clock.zoneName
        let title = "First response by hour of day the post was posted (\(zone))"
        let header = ["hour", "posts", "answered", "p50 seconds", "p90 seconds"]
        var samples = Array(repeating: (posts: 0, seconds: [Double]()), count: 24)
        for post in facts.posts {
            let h = facts.clock.hourOfDay(post.postedAt)
            samples[h].posts += 1
            if let reply = post.firstReplyAt { samples[h].seconds.append(Double(max(0, reply - post.postedAt)) / 1000) }
        }
        let hours = (0..<24).map { $0 < 10 ? "0\($0)" : "\($0)" }
        let sorted = samples.map { $0.seconds.sorted() }
        let p50s = sorted.map { Percentiles.linear(sorted: $0, 0.5) }
        let p90s = sorted.map { Percentiles.linear(sorted: $0, 0.9) }
        let rows = hours.indices.map { h -> [String] in
            [hours[h], String(samples[h].posts), String(sorted[h].count), p50s[h].map { Format.fixed($0, 3) } ?? "", p90s[h].map { Format.fixed($0, 3) } ?? ""]
        }
        let table = CSVTable(name: "first-response-by-hour", header: header, rows: rows)
        guard facts.report.firstResponse.answered > 0 else {
            return .missing("first-response-by-hour", title: title, because: noReplies, tables: [table])
        }
        var chart = Chart(id: "first-response-by-hour", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.thisEvent, label: "median (p50)", line: true),
                        LegendEntry(color: Palette.otherEvent, label: "p90", line: true, dashed: true)]
        let plot = chart.plot
        let band = BandScale(categories: hours, range: (plot.left, plot.right))
        let y = LinearScale.zeroBased(maximum: (p90s.compactMap { $0 }.max() ?? 0) / 60, range: (plot.bottom, plot.top), minimumUpper: 1, counts: false)
        chart.axes = [Axis(edge: .bottom, ticks: hours.indices.map { (band.center($0), [hours[$0]]) }, title: "hour of day posted (\(zone))"),
                      .linear(y, edge: .left, title: "first response (minutes)", label: minutesLabel)]
        for (name, values, color, dashed) in [("p50", p50s, Palette.thisEvent, false), ("p90", p90s, Palette.otherEvent, true)] {
            let present = hours.indices.filter { values[$0] != nil }
            chart.marks.append(LineMark(points: hours.indices.map { i in values[i].map { (band.center(i), y($0 / 60)) } }, stroke: color, dashed: dashed,
                                        series: name, keys: present.map { hours[$0] }, values: present.map { Format.fixed(values[$0]!, 3) }))
            for i in present {
                chart.marks.append(PointMark(x: band.center(i), y: y(values[i]! / 60), fill: color,
                                             datum: Datum(series: name, key: hours[i], value: Format.fixed(values[i]!, 3)),
                                             label: "\(hours[i]):00 \(name) \(Format.duration(seconds: values[i]!))"))
            }
        }
        let slowest = hours.indices.filter { p50s[$0] != nil }.max { p50s[$0]! < p50s[$1]! }!
        chart.description = "Median and 90th percentile of first response, in minutes, of the posts posted in each hour of the day (\(zone)); hours with no answered post are left out. Slowest median: posts of \(hours[slowest]):00, \(Format.duration(seconds: p50s[slowest]!))."
        return .drawn(chart, tables: [table])
    }
}
