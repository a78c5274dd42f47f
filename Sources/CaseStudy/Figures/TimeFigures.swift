import CommandCenter

/// The figures over time: volume by channel, the triage backlog, escalations, hashtags.
enum TimeFigures {
    /// Inbound posts per hour (or day), stacked by channel.
    static func volume(_ facts: EventFacts) -> Figure {
        let title = "Inbound posts over time, by channel"
        let perHour = facts.report.volume.perHour
        guard let first = perHour.first?.start.milliseconds, let last = perHour.last?.start.milliseconds else {
            return .missing("volume", title: title, because: "The log holds no inbound post (no postReceived that is not a repost), so there is no volume to draw.",
                            tables: [CSVTable(name: "volume", header: ["start", "total"], rows: [])])
        }
        let buckets = TimeBuckets(first: first, last: last)
        let channels = Channel.allCases.filter { c in perHour.contains { $0.byChannel[c] != nil } }
        var counts = Array(repeating: Array(repeating: 0, count: channels.count), count: buckets.starts.count)
        for bucket in perHour {
            let i = buckets.index(of: bucket.start.milliseconds)
            for (k, channel) in channels.enumerated() { counts[i][k] += bucket.byChannel[channel] ?? 0 }
        }
        let table = CSVTable(name: "volume", header: ["start"] + channels.map(\.rawValue) + ["total"], rows: buckets.starts.indices.map { i in
            [Timestamp(milliseconds: buckets.starts[i]).rfc3339] + counts[i].map(String.init) + [String(counts[i].reduce(0, +))]
        })
        var chart = Chart(id: "volume", title: title, description: "")
        chart.legend = channels.map { LegendEntry(color: Palette.color($0), label: $0.displayName) }
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let peak = counts.map { $0.reduce(0, +) }.max() ?? 0
        let y = LinearScale.zeroBased(maximum: Double(peak), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "posts per \(buckets.unitName)")]
        var below = Array(repeating: 0, count: buckets.starts.count)
        let keys = buckets.starts.map { Timestamp(milliseconds: $0).rfc3339 }
        for (k, channel) in channels.enumerated() {
            let above = below.indices.map { below[$0] + counts[$0][k] }
            // Steps, not slopes: each count holds for its whole bucket (and a one-hour log still
            // shows an area).
            let edges = { (values: [Int]) in buckets.starts.indices.flatMap { i in
                [(x(buckets.starts[i]), y(Double(values[i]))), (x(buckets.starts[i] + buckets.unit), y(Double(values[i])))]
            } }
            chart.marks.append(AreaMark(
                upper: edges(above),
                lower: edges(below),
                fill: Palette.color(channel), series: channel.rawValue, keys: keys, values: counts.map { String($0[k]) }
            ))
            below = above
        }
        let busiest = counts.indices.max { counts[$0].reduce(0, +) < counts[$1].reduce(0, +) } ?? 0
        chart.description = "Stacked areas of inbound posts per \(buckets.unitName) (UTC) by channel, from \(UTCCalendar.minute(first)) to \(UTCCalendar.minute(last)). "
            + "\(Format.grouped(facts.postCount)) posts in all; the busiest \(buckets.unitName) starts \(UTCCalendar.minute(buckets.starts[busiest])) with \(Format.grouped(peak)) posts."
        return .drawn(chart, tables: [table])
    }

    /// Inbound posts waiting in triage at the end of each hour (or day).
    static func backlog(_ facts: EventFacts) -> Figure {
        let title = "Triage backlog over time"
        let samples = sampled(facts)
        guard facts.postCount > 0, let buckets = samples.buckets else {
            return .missing("backlog", title: title, because: "The log holds no inbound post, so nothing ever waited in triage.",
                            tables: [CSVTable(name: "backlog", header: ["start", "triage at end", "open escalations at end"], rows: [])])
        }
        let table = CSVTable(name: "backlog", header: ["start", "triage at end", "open escalations at end"], rows: samples.values.map {
            [$0.hour.rfc3339, String($0.triage), String($0.openEscalations)]
        })
        var chart = Chart(id: "backlog", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.thisEvent, label: "posts in triage (not assigned, not resolved) at the end of each \(buckets.unitName)", line: true)]
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let peak = samples.values.map(\.triage).max() ?? 0
        let y = LinearScale.zeroBased(maximum: Double(peak), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "posts in triage")]
        // The value holds from the end of its bucket: draw it at the bucket's end.
        let points = samples.values.map { (x($0.hour.milliseconds + buckets.unit), y(Double($0.triage))) }
        chart.marks.append(AreaMark(upper: points, lower: points.map { ($0.0, y(0)) }, fill: "#CFE3F1", series: "triage area", keys: [], values: []))
        chart.marks.append(LineMark(points: points, stroke: Palette.thisEvent, series: "triage", keys: samples.values.map(\.hour.rfc3339), values: samples.values.map { String($0.triage) }))
        let peakSample = samples.values.first { $0.triage == peak }!
        let end = samples.values.last!
        chart.description = "Line of the number of inbound posts in triage at the end of each \(buckets.unitName) (UTC). Peak: \(Format.grouped(peak)) posts at \(UTCCalendar.minute(peakSample.hour.milliseconds + buckets.unit)); at the end of the log: \(Format.grouped(end.triage))."
        return .drawn(chart, tables: [table])
    }

    /// Escalations opened per hour (or day), and the posts with an open escalation at its end.
    static func escalations(_ facts: EventFacts) -> Figure {
        let title = "Escalations over time"
        let header = ["start", "escalated", "resolved", "open at end"]
        let samples = sampled(facts)
        guard !facts.escalations.isEmpty, let buckets = samples.buckets else {
            return .missing("escalations", title: title, because: "No post was escalated in this log (no escalated event about an inbound post).",
                            tables: [CSVTable(name: "escalations", header: header, rows: [])])
        }
        var opened = Array(repeating: 0, count: buckets.starts.count)
        var resolved = opened
        for e in facts.escalations {
            opened[buckets.index(of: e.escalatedAt)] += 1
            if let r = e.resolvedAt { resolved[buckets.index(of: r)] += 1 }
        }
        let table = CSVTable(name: "escalations", header: header, rows: buckets.starts.indices.map { i in
            [Timestamp(milliseconds: buckets.starts[i]).rfc3339, String(opened[i]), String(resolved[i]), String(samples.values[i].openEscalations)]
        })
        var chart = Chart(id: "escalations", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.target, label: "escalated in the \(buckets.unitName)"),
                        LegendEntry(color: Palette.ink, label: "posts with an open escalation at its end", line: true)]
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let top = max(opened.max() ?? 0, samples.values.map(\.openEscalations).max() ?? 0)
        let y = LinearScale.zeroBased(maximum: Double(top), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "escalations")]
        let width = max(x(buckets.unit) - x(0) - 1, 1)
        for (i, start) in buckets.starts.enumerated() where opened[i] > 0 {
            let key = Timestamp(milliseconds: start).rfc3339
            chart.marks.append(BarMark(x: x(start) + 0.5, y: y(Double(opened[i])), width: width, height: y(0) - y(Double(opened[i])), fill: Palette.target,
                                       datum: Datum(series: "escalated", key: key, value: String(opened[i])), label: "\(key): \(opened[i]) escalated"))
        }
        chart.marks.append(LineMark(points: samples.values.map { (x($0.hour.milliseconds + buckets.unit), y(Double($0.openEscalations))) }, stroke: Palette.ink, width: 1.5,
                                    series: "open at end", keys: samples.values.map(\.hour.rfc3339), values: samples.values.map { String($0.openEscalations) }))
        let resolvedCount = facts.escalations.filter { $0.resolvedAt != nil }.count
        chart.description = "Bars of escalations per \(buckets.unitName) (UTC) and a line of the posts with an open escalation at the end of each. \(Format.grouped(facts.escalations.count)) escalations, \(Format.grouped(resolvedCount)) resolved."
        return .drawn(chart, tables: [table])
    }

    /// The most used hashtags and the emerging ones over time, with when each emerged and when a
    /// listening rule covered it.
    static func hashtags(_ facts: EventFacts) -> Figure {
        let title = "Hashtags over time, and when listening rules picked up emerging ones"
        let emergingTable = CSVTable(name: "emerging-hashtags", header: ["hashtag", "emerged at", "window posts", "baseline per 10 minutes", "rule added at", "seconds to rule", "covered before"],
                                     rows: facts.report.hashtags.emerging.map { e in
            [e.tag, e.emergedAt.rfc3339, String(e.windowPosts), Format.fixed(e.baselinePer10Minutes, 3), e.ruleAddedAt?.rfc3339 ?? "", e.secondsToRule.map { Format.fixed($0, 3) } ?? "", e.coveredBefore ? "yes" : "no"]
        })
        let header = ["start", "hashtag", "posts"]
        let perHour = facts.report.volume.perHour
        guard !facts.hashtagSeries.isEmpty, let first = perHour.first?.start.milliseconds, let last = perHour.last?.start.milliseconds else {
            return .missing("hashtags", title: title, because: "No inbound post carries a hashtag.", tables: [CSVTable(name: "hashtags", header: header, rows: []), emergingTable])
        }
        let buckets = TimeBuckets(first: first, last: last)
        var rows: [[String]] = []
        var series: [[Int]] = []
        for entry in facts.hashtagSeries {
            var counts = Array(repeating: 0, count: buckets.starts.count)
            for (hour, posts) in entry.hours { counts[buckets.index(of: hour.milliseconds)] += posts }
            series.append(counts)
            for (i, start) in buckets.starts.enumerated() { rows.append([Timestamp(milliseconds: start).rfc3339, entry.tag, String(counts[i])]) }
        }
        var chart = Chart(id: "hashtags", title: title, description: "")
        let colors = facts.hashtagSeries.indices.map { Palette.series[$0 % Palette.series.count] }
        chart.legend = facts.hashtagSeries.indices.map { LegendEntry(color: colors[$0], label: "#" + facts.hashtagSeries[$0].tag, line: true) }
            + (facts.report.hashtags.emerging.isEmpty ? [] : [LegendEntry(color: Palette.ink, label: "emerged (dot), listening rule added (dashed line)", line: true, dashed: true)])
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let y = LinearScale.zeroBased(maximum: Double(series.joined().max() ?? 0), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "posts per \(buckets.unitName)")]
        let keys = buckets.starts.map { Timestamp(milliseconds: $0).rfc3339 }
        for (k, entry) in facts.hashtagSeries.enumerated() {
            chart.marks.append(LineMark(points: series[k].indices.map { (buckets.center($0, x), y(Double(series[k][$0]))) }, stroke: colors[k], width: 1.75,
                                        series: "#" + entry.tag, keys: keys, values: series[k].map(String.init)))
        }
        var sentences: [String] = []
        var drawnRules = 0
        for e in facts.report.hashtags.emerging {
            let k = facts.hashtagSeries.firstIndex { $0.tag == e.tag }
            if let k {
                let level = series[k][buckets.index(of: e.emergedAt.milliseconds)]
                chart.marks.append(PointMark(x: x(e.emergedAt.milliseconds), y: y(Double(level)), radius: 5, fill: colors[k],
                                             datum: Datum(series: "#\(e.tag) emerged", key: e.tag, value: e.emergedAt.rfc3339), label: "#\(e.tag) emerged \(UTCCalendar.minute(e.emergedAt.milliseconds))"))
            }
            guard let added = e.ruleAddedAt, let seconds = e.secondsToRule else {
                sentences.append("#\(e.tag) emerged at \(UTCCalendar.minute(e.emergedAt.milliseconds)) and no listening rule ever covered it.")
                continue
            }
            if e.coveredBefore {
                sentences.append("#\(e.tag) emerged at \(UTCCalendar.minute(e.emergedAt.milliseconds)), already covered by a listening rule.")
                continue
            }
            // The rules that had to be added after the hashtag emerged: how fast the listening adapted.
            let position = x(added.milliseconds)
            chart.marks.append(RuleMark(orientation: .vertical, position: position, from: plot.top, to: plot.bottom, stroke: k.map { colors[$0] } ?? Palette.muted,
                                        label: "#\(e.tag): rule +\(Format.duration(seconds: seconds))", labelOffset: Double(drawnRules % 3) * 14, labelOnLeft: position > plot.right - 160,
                                        datum: Datum(series: "#\(e.tag) rule", key: e.tag, value: Format.fixed(seconds, 3))))
            drawnRules += 1
            sentences.append("#\(e.tag) emerged at \(UTCCalendar.minute(e.emergedAt.milliseconds)) and a listening rule covered it \(Format.duration(seconds: seconds)) later.")
        }
        chart.description = "Lines of posts per \(buckets.unitName) (UTC) for " + facts.hashtagSeries.map { "#\($0.tag) (\(Format.grouped($0.posts)))" }.joined(separator: ", ") + ". "
            + (sentences.isEmpty ? "No hashtag emerged." : sentences.joined(separator: " "))
        return .drawn(chart, tables: [CSVTable(name: "hashtags", header: header, rows: rows), emergingTable])
    }

    /// The desk timeline in the report's buckets: hourly, or the end of each day for long logs.
    private static func sampled(_ facts: EventFacts) -> (buckets: TimeBuckets?, values: [DeskTimelineProjection.Sample]) {
        guard let first = facts.timeline.first?.hour.milliseconds, let last = facts.timeline.last?.hour.milliseconds else { return (nil, []) }
        let buckets = TimeBuckets(first: first, last: last)
        guard buckets.unit != UTCCalendar.hourMs else { return (buckets, facts.timeline) }
        // The state at the end of a day is the one at the end of its last hour.
        var values: [DeskTimelineProjection.Sample] = []
        for sample in facts.timeline {
            let day = UTCCalendar.floor(sample.hour.milliseconds, unit: buckets.unit)
            let item = DeskTimelineProjection.Sample(hour: Timestamp(milliseconds: day), triage: sample.triage, openEscalations: sample.openEscalations)
            if values.last?.hour.milliseconds == day { values[values.count - 1] = item } else { values.append(item) }
        }
        return (buckets, values)
    }
}
