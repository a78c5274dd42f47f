import CommandCenter

/// This event against another one (last year's edition): volume per day of the event, and the
/// first-response distributions on one axis.
enum CompareFigures {
    /// Inbound posts per day of each event (day 1 is the UTC day of its first post).
    static func dailyVolume(_ this: EventFacts, _ other: EventFacts, names: (String, String)) -> Figure {
        let title = "Inbound posts per day of the event: \(names.0) against \(names.1)"
        let a = perDay(this), b = perDay(other)
        let days = max(a.count, b.count)
        let table = CSVTable(name: "compare-daily-volume", header: ["day", "this", "other"], rows: (0..<days).map {
            ["\($0 + 1)", String($0 < a.count ? a[$0] : 0), String($0 < b.count ? b[$0] : 0)]
        })
        guard days > 0 else {
            return .missing("compare-daily-volume", title: title, because: "Neither log holds an inbound post.", tables: [table])
        }
        var chart = Chart(id: "compare-daily-volume", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.thisEvent, label: "\(names.0): \(Format.grouped(this.postCount)) posts"),
                        LegendEntry(color: Palette.otherEvent, label: "\(names.1): \(Format.grouped(other.postCount)) posts")]
        let plot = chart.plot
        let labels = (1...days).map { "day \($0)" }
        let band = BandScale(categories: labels, range: (plot.left, plot.right), padding: 0.3)
        let y = LinearScale.zeroBased(maximum: Double(max(a.max() ?? 0, b.max() ?? 0)), range: (plot.bottom, plot.top))
        chart.axes = [Axis(edge: .bottom, ticks: labels.indices.map { (band.center($0), [labels[$0]]) }, title: "day of the event (UTC days from the first post)"),
                      .linear(y, edge: .left, title: "inbound posts per day")]
        let half = band.bandwidth / 2
        for day in 0..<days {
            for (k, (series, values, color)) in [("this", a, Palette.thisEvent), ("other", b, Palette.otherEvent)].enumerated() {
                let v = day < values.count ? values[day] : 0
                chart.marks.append(BarMark(x: band.start(day) + Double(k) * half, y: y(Double(v)), width: half - 1, height: y(0) - y(Double(v)), fill: color,
                                           datum: Datum(series: series, key: "\(day + 1)", value: String(v)), label: "\(labels[day]) \(k == 0 ? names.0 : names.1): \(Format.grouped(v)) posts"))
            }
        }
        chart.description = "Paired bars of inbound posts per day of the event: \(names.0) \(a.map(Format.grouped).joined(separator: ", ")); \(names.1) \(b.map(Format.grouped).joined(separator: ", "))."
        return .drawn(chart, tables: [table])
    }

    static func perDay(_ facts: EventFacts) -> [Int] {
        guard let first = facts.posts.map(\.postedAt).min() else { return [] }
        let day0 = UTCCalendar.floor(first, unit: UTCCalendar.dayMs)
        var counts: [Int] = []
        for post in facts.posts {
            let d = Int((UTCCalendar.floor(post.postedAt, unit: UTCCalendar.dayMs) - day0) / UTCCalendar.dayMs)
            while counts.count <= d { counts.append(0) }
            counts[d] += 1
        }
        return counts
    }

    /// Both first-response distributions on one axis.
    static func firstResponse(_ this: EventFacts, _ other: EventFacts, names: (String, String)) -> Figure {
        let title = "First response: \(names.0) against \(names.1)"
        let header = ["seconds", "this share of answered", "other share of answered"]
        let a = this.firstResponseMilliseconds, b = other.firstResponseMilliseconds
        guard !a.isEmpty, !b.isEmpty else {
            let which = a.isEmpty ? names.0 : names.1
            return .missing("compare-first-response", title: title, because: "No post of \(which) was answered, so there is nothing to compare.", tables: [CSVTable(name: "compare-first-response", header: header, rows: [])])
        }
        let bounds = ResponseFigures.curveBounds([a, b], target: this.report.firstResponse.targetSeconds)
        let ca = ResponseFigures.cumulative(a, from: bounds.lower, through: bounds.upper), cb = ResponseFigures.cumulative(b, from: bounds.lower, through: bounds.upper)
        let table = CSVTable(name: "compare-first-response", header: header, rows: ca.indices.map { [String(ca[$0].seconds), Format.fixed(ca[$0].share, 6), Format.fixed(cb[$0].share, 6)] })
        var chart = Chart(id: "compare-first-response", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.thisEvent, label: "\(names.0): median \(Format.duration(seconds: this.report.firstResponse.p50Seconds!))", line: true),
                        LegendEntry(color: Palette.otherEvent, label: "\(names.1): median \(Format.duration(seconds: other.report.firstResponse.p50Seconds!))", line: true)]
        let plot = chart.plot
        let x = LogScale(domain: (Double(bounds.lower), Double(bounds.upper)), range: (plot.left, plot.right))
        let y = LinearScale(domain: (0, 1), range: (plot.bottom, plot.top))
        chart.axes = [Axis(edge: .bottom, ticks: x.ticks(), title: "first response, from posting to the first reply (logarithmic scale)"),
                      .linear(y, edge: .left, title: "answered posts (%)", label: { Format.fixed($0 * 100, 0) + "%" })]
        for (series, curve, color) in [("this", ca, Palette.thisEvent), ("other", cb, Palette.otherEvent)] {
            chart.marks.append(LineMark(points: curve.map { (x(Double($0.seconds)), y($0.share)) }, stroke: color, step: true,
                                        series: series, keys: curve.map { String($0.seconds) }, values: curve.map { Format.fixed($0.share, 6) }))
        }
        chart.description = "Step lines of the share of answered posts answered within x (logarithmic time axis), for \(names.0) (median \(Format.duration(seconds: this.report.firstResponse.p50Seconds!)), p90 \(Format.duration(seconds: this.report.firstResponse.p90Seconds!))) and \(names.1) (median \(Format.duration(seconds: other.report.firstResponse.p50Seconds!)), p90 \(Format.duration(seconds: other.report.firstResponse.p90Seconds!)))."
        return .drawn(chart, tables: [table])
    }
}
