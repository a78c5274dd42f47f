import CommandCenter

/// The desk's figures over time: inbound posts by channel, the triage backlog, escalations. Each
/// draws the report's window in local time; what falls outside is named on the page.
enum TimeFigures {
    /// The buckets of the report's window.
    static func buckets(_ facts: EventFacts) -> TimeBuckets {
        var buckets = TimeBuckets(first: facts.window.from, last: facts.window.last, clock: facts.clock)
        buckets.counted = facts.window.from..<facts.window.to
        return buckets
    }

    /// Inbound posts per hour (or day), stacked by channel: what reached the desk.
    static func volume(_ facts: EventFacts) -> Figure {
        let title = "Inbound posts over time, by channel (what reached the desk)"
        let inbound = facts.posts.filter { facts.window.contains($0.postedAt) }
        guard !inbound.isEmpty else {
            return .missing("volume", title: title, because: "The log holds no inbound post in the window (no postReceived that is not a repost), so there is no volume to draw.",
                            tables: [CSVTable(name: "volume", header: ["start", "total"], rows: [])])
        }
        let buckets = buckets(facts)
        let channels = Channel.allCases.filter { c in inbound.contains { $0.channel == c } }
        var counts = Array(repeating: Array(repeating: 0, count: channels.count), count: buckets.starts.count)
        for post in inbound {
            guard let i = buckets.index(of: post.postedAt), let k = channels.firstIndex(of: post.channel) else { continue }
            counts[i][k] += 1
        }
        let keys = buckets.starts.indices.map(buckets.key)
        let table = CSVTable(name: "volume", header: ["start"] + channels.map(\.rawValue) + ["total"], rows: buckets.starts.indices.map { i in
            [keys[i]] + counts[i].map(String.init) + [String(counts[i].reduce(0, +))]
        })
        var chart = Chart(id: "volume", title: title, description: "")
        chart.legend = channels.map { LegendEntry(color: Palette.color($0), label: $0.displayName) }
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let peak = counts.map { $0.reduce(0, +) }.max() ?? 0
        let y = LinearScale.zeroBased(maximum: Double(peak), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "posts per \(buckets.unitName)")]
        var below = Array(repeating: 0, count: buckets.starts.count)
        for (k, channel) in channels.enumerated() {
            let above = below.indices.map { below[$0] + counts[$0][k] }
            chart.marks.append(AreaMark(upper: steps(above, buckets, x, y), lower: steps(below, buckets, x, y), fill: Palette.color(channel),
                                        series: channel.rawValue, keys: keys, values: counts.map { String($0[k]) }))
            below = above
        }
        let busiest = counts.indices.max { counts[$0].reduce(0, +) < counts[$1].reduce(0, +) } ?? 0
        chart.description = "Stacked areas of inbound posts (reposts left out) per \(buckets.unitName) (\(facts.clock.zoneName)) by channel, from \(facts.clock.minute(buckets.starts[0])) to \(facts.clock.minute(buckets.end)). "
            + "\(Format.grouped(inbound.count)) posts drawn; the busiest \(buckets.unitName) starts \(facts.clock.minute(buckets.starts[busiest])) with \(Format.grouped(peak)) posts."
        return .drawn(chart, tables: [table])
    }

    /// Steps, not slopes: each count holds for its whole bucket (and a one-hour log still shows an area).
    static func steps(_ values: [Int], _ buckets: TimeBuckets, _ x: TimeScale, _ y: LinearScale) -> [(x: Double, y: Double)] {
        buckets.starts.indices.flatMap { i in [(x(buckets.starts[i]), y(Double(values[i]))), (x(buckets.end(i)), y(Double(values[i])))] }
    }

    /// Inbound posts waiting in triage at the end of each hour (or day).
    static func backlog(_ facts: EventFacts) -> Figure {
        let title = "Triage backlog over time"
        let samples = sampled(facts)
        guard facts.postCount > 0, let buckets = samples.buckets, !samples.values.isEmpty else {
            return .missing("backlog", title: title, because: "The log holds no inbound post in the window, so nothing waited in triage.",
                            tables: [CSVTable(name: "backlog", header: ["start", "triage at end", "open escalations at end"], rows: [])])
        }
        let table = CSVTable(name: "backlog", header: ["start", "triage at end", "open escalations at end"], rows: samples.values.map {
            [facts.clock.rfc3339($0.start), String($0.triage), String($0.openEscalations)]
        })
        var chart = Chart(id: "backlog", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.thisEvent, label: "posts in triage (not assigned, not resolved) at the end of each \(buckets.unitName)", line: true)]
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let peak = samples.values.map(\.triage).max() ?? 0
        let y = LinearScale.zeroBased(maximum: Double(peak), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "posts in triage")]
        // The value holds from the end of its bucket: draw it at the bucket's end.
        let points = samples.values.map { (x($0.end), y(Double($0.triage))) }
        chart.marks.append(AreaMark(upper: points, lower: points.map { ($0.0, y(0)) }, fill: "#CFE3F1", series: "triage area", keys: [], values: []))
        chart.marks.append(LineMark(points: points, stroke: Palette.thisEvent, series: "triage", keys: samples.values.map { facts.clock.rfc3339($0.start) },
                                    values: samples.values.map { String($0.triage) }))
        let peakSample = samples.values.first { $0.triage == peak }!
        let end = samples.values.last!
        chart.description = "Line of the number of inbound posts in triage at the end of each \(buckets.unitName) (\(facts.clock.zoneName)). Peak: \(Format.grouped(peak)) posts at \(facts.clock.minute(peakSample.end)); at the end of the window: \(Format.grouped(end.triage))."
        return .drawn(chart, tables: [table])
    }

    /// Escalations opened per hour (or day), and the posts with an open escalation at its end.
    static func escalations(_ facts: EventFacts) -> Figure {
        let title = "Escalations over time"
        let header = ["start", "escalated", "resolved", "open at end"]
        let samples = sampled(facts)
        guard !facts.escalations.isEmpty, let buckets = samples.buckets, samples.values.count == buckets.starts.count else {
            return .missing("escalations", title: title, because: "No post was escalated in this log (no escalated event about an inbound post).",
                            tables: [CSVTable(name: "escalations", header: header, rows: [])])
        }
        var opened = Array(repeating: 0, count: buckets.starts.count)
        var resolved = opened
        for e in facts.escalations {
            if let i = buckets.index(of: e.escalatedAt) { opened[i] += 1 }
            if let r = e.resolvedAt, let i = buckets.index(of: r) { resolved[i] += 1 }
        }
        let keys = buckets.starts.indices.map(buckets.key)
        let table = CSVTable(name: "escalations", header: header, rows: buckets.starts.indices.map { i in
            [keys[i], String(opened[i]), String(resolved[i]), String(samples.values[i].openEscalations)]
        })
        var chart = Chart(id: "escalations", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.target, label: "escalated in the \(buckets.unitName)"),
                        LegendEntry(color: Palette.ink, label: "posts with an open escalation at its end", line: true)]
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let top = max(opened.max() ?? 0, samples.values.map(\.openEscalations).max() ?? 0)
        let y = LinearScale.zeroBased(maximum: Double(top), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "escalations")]
        for (i, start) in buckets.starts.enumerated() where opened[i] > 0 {
            chart.marks.append(BarMark(x: x(start) + 0.5, y: y(Double(opened[i])), width: max(x(buckets.end(i)) - x(start) - 1, 1), height: y(0) - y(Double(opened[i])), fill: Palette.target,
                                       datum: Datum(series: "escalated", key: keys[i], value: String(opened[i])), label: "\(keys[i]): \(opened[i]) escalated"))
        }
        chart.marks.append(LineMark(points: samples.values.map { (x($0.end), y(Double($0.openEscalations))) }, stroke: Palette.ink, width: 1.5,
                                    series: "open at end", keys: samples.values.map { facts.clock.rfc3339($0.start) }, values: samples.values.map { String($0.openEscalations) }))
        let resolvedCount = facts.escalations.filter { $0.resolvedAt != nil }.count
        chart.description = "Bars of escalations per \(buckets.unitName) (\(facts.clock.zoneName)) and a line of the posts with an open escalation at the end of each. \(Format.grouped(facts.escalations.count)) escalations, \(Format.grouped(resolvedCount)) resolved."
        return .drawn(chart, tables: [table])
    }

    /// The state of the desk at the end of one bucket.
    struct Sample {
        var start: Int64
        var end: Int64
        var triage: Int
        var openEscalations: Int
    }

    /// The desk timeline (the end of every UTC hour) in the report's buckets: the state at a
    /// bucket's end is the one at the end of its last hour. Buckets before the first sample hold
    /// an empty desk; after the last, the last state.
    private static func sampled(_ facts: EventFacts) -> (buckets: TimeBuckets?, values: [Sample]) {
        guard !facts.timeline.isEmpty else { return (nil, []) }
        let buckets = buckets(facts)
        var values: [Sample] = []
        var next = 0
        var state = (triage: 0, open: 0)
        for i in buckets.starts.indices {
            let end = buckets.end(i)
            while next < facts.timeline.count, facts.timeline[next].hour.milliseconds + ReportClock.hourMs <= end {
                state = (facts.timeline[next].triage, facts.timeline[next].openEscalations)
                next += 1
            }
            values.append(Sample(start: buckets.starts[i], end: end, triage: state.triage, openEscalations: state.open))
        }
        return (buckets, values)
    }
}
