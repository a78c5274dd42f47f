import CommandCenter

/// Editions of an event side by side (`--compare`, repeatable): posts per event day of every
/// edition in one figure, days aligned on each edition's first event day (described, or assumed
/// around its busiest day), and the first-response curves of the editions a desk answered.
enum EditionFigures {
    /// Posts per event day of `edition`: event-day number → posts (reposts included), for the
    /// days of its window.
    static func perEventDay(_ edition: EventFacts) -> [Int: Int] {
        guard let first = edition.conversation.eventDays.flatMap({ CivilDate($0.firstDay) }) else { return [:] }
        var counts: [Int: Int] = [:]
        for day in edition.conversation.perDay {
            guard let date = CivilDate(day.day) else { continue }
            let start = edition.clock.startOfDay(date)
            guard start >= edition.clock.startOfDay(edition.clock.date(edition.window.from)), start < edition.window.to else { continue }
            counts[Int(date.dayNumber - first.dayNumber + 1), default: 0] += day.posts
        }
        return counts
    }

    /// `day 1`, `day 0`, `day −1`: an event day's label.
    static func label(_ day: Int) -> String { day < 0 ? "day \u{2212}\(-day)" : "day \(day)" }

    /// Posts per event day of every edition, grouped bars.
    static func dailyVolume(_ editions: [EventFacts], names: [String]) -> Figure {
        let title = "Posts per event day: " + names.joined(separator: ", ")
        let counts = editions.map(perEventDay)
        let days = counts.flatMap(\.keys)
        guard let lo = days.min(), let hi = days.max() else {
            return .missing("compare-daily-volume", title: title, because: "No edition holds a post.",
                            tables: [CSVTable(name: "compare-daily-volume", header: ["event day"] + names, rows: [])])
        }
        let range = Array(lo...hi)
        let table = CSVTable(name: "compare-daily-volume", header: ["event day"] + names, rows: range.map { d in [String(d)] + counts.map { String($0[d] ?? 0) } })
        var chart = Chart(id: "compare-daily-volume", title: title, description: "")
        chart.legend = editions.indices.map { LegendEntry(color: Palette.edition($0), label: "\(names[$0]): \(Format.grouped(editions[$0].conversation.posts)) posts") }
        let plot = chart.plot
        let labels = range.map(label)
        let band = BandScale(categories: labels, range: (plot.left, plot.right), padding: 0.2)
        let y = LinearScale.zeroBased(maximum: Double(counts.flatMap(\.values).max() ?? 0), range: (plot.bottom, plot.top))
        let every = max(1, Int((Double(range.count) * 48 / plot.width).rounded(.up)))
        chart.axes = [Axis(edge: .bottom, ticks: range.indices.filter { $0 % every == 0 || range[$0] == 1 }.map { (band.center($0), [labels[$0]]) },
                           title: "day of the event (day 1 = each edition's first event day, local time)"),
                      .linear(y, edge: .left, title: "posts per day (reposts included)")]
        let eventDayCount = editions.compactMap { e in e.conversation.eventDays.flatMap { d in CivilDate(d.firstDay).flatMap { a in CivilDate(d.lastDay).map { Int($0.dayNumber - a.dayNumber + 1) } } } }.max() ?? 0
        if let one = range.firstIndex(of: 1), eventDayCount > 0 {
            let last = min(one + eventDayCount - 1, range.count - 1)
            chart.marks.append(ShadeMark(x: band.center(one) - band.step / 2, y: plot.top, width: band.step * Double(last - one + 1), height: plot.height,
                                         fill: Palette.eventDays, label: "event days"))
        }
        let width = band.bandwidth / Double(editions.count)
        for (i, d) in range.enumerated() {
            for k in editions.indices {
                let v = counts[k][d] ?? 0
                chart.marks.append(BarMark(x: band.start(i) + Double(k) * width, y: y(Double(v)), width: max(width - 0.5, 0.5), height: y(0) - y(Double(v)), fill: Palette.edition(k),
                                           datum: Datum(series: names[k], key: String(d), value: String(v)), label: "\(labels[i]) \(names[k]): \(Format.count(v, "post"))"))
            }
        }
        chart.description = "Grouped bars of posts per day of each edition, aligned on each edition's first event day (day 1): "
            + editions.indices.map { k in
                "\(names[k]) (\(editions[k].conversation.eventDays.map { "\($0.firstDay) to \($0.lastDay)\($0.source == "assumed" ? ", assumed" : "")" } ?? "no days")): "
                    + range.filter { counts[k][$0] != nil }.map { "\(label($0)) \(Format.grouped(counts[k][$0]!))" }.joined(separator: ", ")
            }.joined(separator: "; ") + "."
        return .drawn(chart, tables: [table])
    }

    /// The first-response curves of the editions whose desk answered posts.
    static func firstResponse(_ editions: [EventFacts], names: [String]) -> Figure {
        let title = "First response: " + names.joined(separator: ", ")
        let answered = editions.indices.filter { !editions[$0].firstResponseMilliseconds.isEmpty }
        let header = ["seconds"] + answered.map { "\(names[$0]) share of answered" }
        guard answered.count >= 2 else {
            let without = editions.indices.filter { !answered.contains($0) }.map { names[$0] }
            return .missing("compare-first-response", title: title,
                            because: "No post of \(without.joined(separator: ", ")) was answered by a desk, so there is no first response to compare.",
                            tables: [CSVTable(name: "compare-first-response", header: header, rows: [])])
        }
        let sets = answered.map { editions[$0].firstResponseMilliseconds }
        let bounds = ResponseFigures.curveBounds(sets, target: editions[answered[0]].report.firstResponse.targetSeconds)
        let curves = sets.map { ResponseFigures.cumulative($0, from: bounds.lower, through: bounds.upper) }
        let table = CSVTable(name: "compare-first-response", header: header, rows: curves[0].indices.map { i in
            [String(curves[0][i].seconds)] + curves.map { Format.fixed($0[i].share, 6) }
        })
        var chart = Chart(id: "compare-first-response", title: title, description: "")
        chart.legend = answered.map { k in
            LegendEntry(color: Palette.edition(k), label: "\(names[k]): median \(Format.duration(seconds: editions[k].report.firstResponse.p50Seconds!))", line: true)
        }
        let plot = chart.plot
        let x = LogScale(domain: (Double(bounds.lower), Double(bounds.upper)), range: (plot.left, plot.right))
        let y = LinearScale(domain: (0, 1), range: (plot.bottom, plot.top))
        chart.axes = [Axis(edge: .bottom, ticks: x.ticks(), title: "first response, from posting to the first reply (logarithmic scale)"),
                      .linear(y, edge: .left, title: "answered posts (%)", label: { Format.fixed($0 * 100, 0) + "%" })]
        for (j, k) in answered.enumerated() {
            chart.marks.append(LineMark(points: curves[j].map { (x(Double($0.seconds)), y($0.share)) }, stroke: Palette.edition(k), step: true,
                                        series: names[k], keys: curves[j].map { String($0.seconds) }, values: curves[j].map { Format.fixed($0.share, 6) }))
        }
        chart.description = "Step lines of the share of answered posts answered within x (logarithmic time axis), for "
            + answered.map { k in
                let fr = editions[k].report.firstResponse
                return "\(names[k]) (median \(Format.duration(seconds: fr.p50Seconds!)), p90 \(Format.duration(seconds: fr.p90Seconds!)))"
            }.joined(separator: ", ") + "."
        return .drawn(chart, tables: [table])
    }
}
