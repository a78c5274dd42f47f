import CommandCenter

/// The figures of the whole conversation, reposts included, in the event's local time: posts over
/// time and per day (originals and reposts), the day × hour heatmap, the event's own hashtags and
/// the others. They need posts only, so they are drawn for an archive with no desk.
enum ConversationFigures {
    /// Originals and reposts per bucket of the window, from the posts per minute.
    static func counts(_ facts: EventFacts, _ buckets: TimeBuckets) -> (originals: [Int], reposts: [Int]) {
        var originals = Array(repeating: 0, count: buckets.starts.count), reposts = originals
        for minute in facts.minutes {
            guard let i = buckets.index(of: minute.start) else { continue }
            originals[i] += minute.posts - minute.reposts
            reposts[i] += minute.reposts
        }
        return (originals, reposts)
    }

    /// The event's days as shaded spans of `x`, with the sentence that names them.
    static func eventDayShades(_ facts: EventFacts, _ x: TimeScale, _ plot: PlotArea) -> (marks: [any Mark], sentence: String) {
        guard let days = facts.conversation.eventDays, let first = CivilDate(days.firstDay), let last = CivilDate(days.lastDay) else { return ([], "") }
        let from = max(facts.clock.startOfDay(first), x.domain.lower), to = min(facts.clock.startOfDay(last.adding(days: 1)), x.domain.upper)
        // Shading every day of the figure would set nothing apart.
        guard from < to, from > x.domain.lower || to < x.domain.upper else { return ([], "") }
        let what = days.source == "event" ? "the event's days" : "the assumed event days"
        let span = first == last ? days.firstDay : "\(days.firstDay) to \(days.lastDay)"
        return ([ShadeMark(x: x(from), y: plot.top, width: x(to) - x(from), height: plot.height, fill: Palette.eventDays, label: "\(what): \(span)")],
                " Shaded: \(what), \(span).")
    }

    /// The sentence about posts the window leaves out, or "".
    static func outsideSentence(_ facts: EventFacts) -> String {
        let outside = facts.window.outsidePosts
        return outside == 0 ? "" : " \(Format.count(outside, "post")) outside the window \(outside == 1 ? "is" : "are") not drawn (named on the page)."
    }

    /// Posts per hour (or day) of the window, stacked: originals, then reposts.
    static func volume(_ facts: EventFacts) -> Figure {
        let title = "The conversation over time: posts per \(TimeFigures.buckets(facts).unitName), originals and reposts"
        let header = ["start", "originals", "reposts", "posts"]
        guard facts.conversation.posts > facts.window.outsidePosts else {
            return .missing("conversation-volume", title: title, because: "The log holds no post in the window, so there is no conversation to draw.",
                            tables: [CSVTable(name: "conversation-volume", header: header, rows: [])])
        }
        let buckets = TimeFigures.buckets(facts)
        let (originals, reposts) = counts(facts, buckets)
        let keys = buckets.starts.indices.map(buckets.key)
        let totals = originals.indices.map { originals[$0] + reposts[$0] }
        let table = CSVTable(name: "conversation-volume", header: header, rows: buckets.starts.indices.map { i in
            [keys[i], String(originals[i]), String(reposts[i]), String(totals[i])]
        })
        var chart = Chart(id: "conversation-volume", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.originals, label: "original posts"), LegendEntry(color: Palette.reposts, label: "reposts"),
                        LegendEntry(color: Palette.eventDays, label: facts.conversation.eventDays?.source == "assumed" ? "assumed event days" : "event days")]
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let y = LinearScale.zeroBased(maximum: Double(totals.max() ?? 0), range: (plot.bottom, plot.top))
        chart.axes = [.time(x), .linear(y, edge: .left, title: "posts per \(buckets.unitName)")]
        let shades = eventDayShades(facts, x, plot)
        chart.marks += shades.marks
        let zero = Array(repeating: 0, count: originals.count)
        chart.marks.append(AreaMark(upper: TimeFigures.steps(originals, buckets, x, y), lower: TimeFigures.steps(zero, buckets, x, y), fill: Palette.originals,
                                    series: "originals", keys: keys, values: originals.map(String.init)))
        chart.marks.append(AreaMark(upper: TimeFigures.steps(totals, buckets, x, y), lower: TimeFigures.steps(originals, buckets, x, y), fill: Palette.reposts,
                                    series: "reposts", keys: keys, values: reposts.map(String.init)))
        let busiest = totals.indices.max { totals[$0] != totals[$1] ? totals[$0] < totals[$1] : $0 > $1 } ?? 0
        let drawn = totals.reduce(0, +)
        chart.description = "Stacked areas of posts per \(buckets.unitName) (\(facts.clock.zoneName)): original posts, then reposts, from \(facts.clock.minute(buckets.starts[0])) to \(facts.clock.minute(buckets.end)). "
            + "\(Format.grouped(drawn)) posts drawn (\(Format.grouped(originals.reduce(0, +))) originals, \(Format.grouped(reposts.reduce(0, +))) reposts); the busiest \(buckets.unitName) starts \(facts.clock.minute(buckets.starts[busiest])) with \(Format.count(totals[busiest], "post"))."
            + shades.sentence + outsideSentence(facts)
        return .drawn(chart, tables: [table])
    }

    /// The local days of the window, in order.
    static func days(_ facts: EventFacts) -> [CivilDate] {
        let first = facts.clock.date(facts.window.from), last = facts.clock.date(facts.window.last)
        return first <= last ? (first.dayNumber...last.dayNumber).map(CivilDate.init(dayNumber:)) : []
    }

    /// The most days the per-day and heatmap figures draw one by one.
    static let maximumDays = 62

    /// Posts per local day of the window, originals and reposts stacked, the event's days named.
    static func perDay(_ facts: EventFacts) -> Figure {
        let title = "Posts per day (\(facts.clock.zoneName)), originals and reposts"
        let header = ["day", "event day", "originals", "reposts", "posts"]
        let dates = days(facts)
        let byDay = Dictionary(facts.conversation.perDay.map { ($0.day, $0) }, uniquingKeysWith: { a, _ in a })
        let eventDay = { (date: CivilDate) -> Int? in
            facts.conversation.eventDays.flatMap { CivilDate($0.firstDay) }.map { Int(date.dayNumber - $0.dayNumber + 1) }
        }
        let rows = dates.map { d -> [String] in
            let day = byDay[d.description]
            return [d.description, eventDay(d).map(String.init) ?? "", String(day?.originals ?? 0), String(day?.reposts ?? 0), String(day?.posts ?? 0)]
        }
        let table = CSVTable(name: "conversation-days", header: header, rows: rows)
        guard facts.conversation.posts > facts.window.outsidePosts, dates.count <= maximumDays else {
            let reason = dates.count > maximumDays ? "The window spans \(Format.grouped(dates.count)) days, too many to draw one bar each: the figure of posts over time shows them."
                : "The log holds no post in the window."
            return .missing("conversation-days", title: title, because: reason, tables: [table])
        }
        let (first, last) = facts.conversation.eventDays.flatMap { d in CivilDate(d.firstDay).flatMap { a in CivilDate(d.lastDay).map { (a, $0) } } } ?? (CivilDate(dayNumber: .max), CivilDate(dayNumber: .min))
        var chart = Chart(id: "conversation-days", title: title, description: "")
        chart.legend = [LegendEntry(color: Palette.originals, label: "original posts"), LegendEntry(color: Palette.reposts, label: "reposts")]
        let plot = chart.plot
        let band = BandScale(categories: dates.map(\.description), range: (plot.left, plot.right), padding: 0.25)
        let totals = dates.map { byDay[$0.description]?.posts ?? 0 }
        let y = LinearScale.zeroBased(maximum: Double(totals.max() ?? 0), range: (plot.bottom, plot.top))
        let labelEvery = max(1, Int((Double(dates.count) * 44 / plot.width).rounded(.up)))
        chart.axes = [Axis(edge: .bottom, ticks: dates.indices.filter { $0 % labelEvery == 0 }.map { i in
                          let d = dates[i]
                          let second = d >= first && d <= last ? "day \(d.dayNumber - first.dayNumber + 1)" : facts.clock.dayLabel(d).split(separator: " ")[0].description
                          return (band.center(i), [facts.clock.shortDate(facts.clock.startOfDay(d)), second])
                      }, title: ""),
                      .linear(y, edge: .left, title: "posts per day")]
        for (i, d) in dates.enumerated() {
            let day = byDay[d.description]
            let o = day?.originals ?? 0, r = day?.reposts ?? 0
            if d >= first && d <= last && !(dates.first! >= first && dates.last! <= last) {
                chart.marks.append(ShadeMark(x: band.center(i) - band.step / 2, y: plot.top, width: band.step, height: plot.height, fill: Palette.eventDays, label: "event day \(d.dayNumber - first.dayNumber + 1)"))
            }
            chart.marks.append(BarMark(x: band.start(i), y: y(Double(o)), width: band.bandwidth, height: y(0) - y(Double(o)), fill: Palette.originals,
                                       datum: Datum(series: "originals", key: d.description, value: String(o)), label: "\(facts.clock.dayLabel(d)): \(Format.grouped(o)) original posts"))
            chart.marks.append(BarMark(x: band.start(i), y: y(Double(o + r)), width: band.bandwidth, height: y(Double(o)) - y(Double(o + r)), fill: Palette.reposts,
                                       datum: Datum(series: "reposts", key: d.description, value: String(r)), label: "\(facts.clock.dayLabel(d)): \(Format.grouped(r)) reposts"))
        }
        let busiest = totals.indices.max { totals[$0] != totals[$1] ? totals[$0] < totals[$1] : $0 > $1 } ?? 0
        chart.description = "Stacked bars of posts per local day (\(facts.clock.zoneName)), original posts then reposts: "
            + dates.indices.map { "\(dates[$0].description) \(Format.grouped(totals[$0]))" }.joined(separator: ", ")
            + ". Busiest: \(facts.clock.dayLabel(dates[busiest])) with \(Format.count(totals[busiest], "post"))."
            + (first.dayNumber != .max ? " Shaded: the \(facts.conversation.eventDays?.source == "assumed" ? "assumed " : "")event days, numbered from day 1." : "")
            + outsideSentence(facts)
        return .drawn(chart, tables: [table])
    }

    /// Posts per local hour of each day of the window (or of each weekday, past two months).
    static func heatmap(_ facts: EventFacts) -> Figure {
        let title = "When people posted: posts per hour of each day (\(facts.clock.zoneName))"
        let dates = days(facts)
        let byWeekday = dates.count > 31
        let rowNames = byWeekday ? ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] : dates.map { facts.clock.dayLabel($0) }
        var cells = Array(repeating: Array(repeating: 0, count: 24), count: rowNames.count)
        for minute in facts.minutes where facts.window.contains(minute.start) {
            let date = facts.clock.date(minute.start)
            let row = byWeekday ? date.weekday : Int(date.dayNumber - dates[0].dayNumber)
            cells[row][facts.clock.hourOfDay(minute.start)] += minute.posts
        }
        let keys = byWeekday ? rowNames : dates.map(\.description)
        let hours = (0..<24).map { $0 < 10 ? "0\($0)" : "\($0)" }
        let table = CSVTable(name: "heatmap", header: [byWeekday ? "weekday" : "day"] + hours.map { $0 + ":00" }, rows: cells.indices.map { [keys[$0]] + cells[$0].map(String.init) })
        guard facts.conversation.posts > facts.window.outsidePosts, !dates.isEmpty else {
            return .missing("heatmap", title: title, because: "The log holds no post in the window.", tables: [table])
        }
        let peak = cells.joined().max() ?? 0
        let rowHeight = 24.0
        var chart = Chart(id: "heatmap", title: title, description: "", leftMargin: 96)
        chart.legend = [LegendEntry(color: heat(1, peak), label: "1 post"), LegendEntry(color: heat(max(1, peak / 2), peak), label: "\(Format.grouped(max(1, peak / 2))) posts"),
                        LegendEntry(color: heat(peak, peak), label: "\(Format.grouped(peak)) posts (the most in one hour)")]
        chart.height = max(Chart.defaultHeight, 48 + 18 + Double(rowNames.count) * rowHeight + 62)
        let plot = chart.plot
        let columns = BandScale(categories: hours, range: (plot.left, plot.right), padding: 0.04)
        let rows = BandScale(categories: rowNames, range: (plot.top, plot.bottom), padding: 0.08)
        chart.axes = [Axis(edge: .bottom, ticks: hours.indices.filter { $0 % 2 == 0 }.map { (columns.center($0), [hours[$0]]) }, title: "hour of day (\(facts.clock.zoneName))"),
                      Axis(edge: .left, ticks: rowNames.indices.map { (rows.center($0), [rowNames[$0]]) }, title: "")]
        for (r, name) in rowNames.enumerated() {
            for (h, hour) in hours.enumerated() {
                let n = cells[r][h]
                chart.marks.append(BarMark(x: columns.start(h), y: rows.start(r), width: columns.bandwidth, height: rows.bandwidth, fill: n == 0 ? "#FFFFFF" : heat(n, peak),
                                           datum: Datum(series: keys[r], key: hour, value: String(n)), label: "\(name) \(hour):00: \(Format.count(n, "post"))"))
                if n > 0, columns.bandwidth >= 22, rows.bandwidth >= 12 {
                    chart.marks.append(TextMark(x: columns.center(h), y: rows.center(r) + 3.5, text: Format.grouped(n), anchor: "middle", size: 9,
                                                fill: Double(n) > Double(peak) * 0.55 ? "#FFFFFF" : Palette.ink))
                }
            }
        }
        var busiest = (row: 0, hour: 0)
        for r in cells.indices { for h in 0..<24 where cells[r][h] > cells[busiest.row][busiest.hour] { busiest = (r, h) } }
        var text = "A grid of posts per local hour (columns, \(facts.clock.zoneName)) of each \(byWeekday ? "weekday, summed over the window's \(dates.count) days" : "day")"
            + " (rows); darker is more. The busiest cell: \(rowNames[busiest.row]) \(hours[busiest.hour]):00 with \(Format.count(peak, "post"))."
        let changes = facts.clock.offsets.changes(from: facts.window.from, through: facts.window.to)
        for change in changes {
            let before = change.offset > facts.clock.offsets.offset(at: change.start - 1)
            text += " On \(facts.clock.date(change.start).description) the clocks went \(before ? "forward" : "back") at \(facts.clock.clock(change.start)) (\(LocalZone.offsetLabel(change.offset)) from then): "
                + (before ? "that day has an hour fewer." : "that day's repeated hour is counted in one cell.")
        }
        chart.description = text + outsideSentence(facts)
        return .drawn(chart, tables: [table])
    }

    /// The ramp's colour for `n` posts of at most `peak`.
    static func heat(_ n: Int, _ peak: Int) -> String {
        let t = peak <= 1 ? 1.0 : (Double(n) / Double(peak)).squareRoot()
        let mix = { (a: Int, b: Int) in Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        let (lo, hi) = (Palette.heatLow, Palette.heatHigh)
        let hex = { (v: Int) in (v < 16 ? "0" : "") + String(v, radix: 16, uppercase: true) }
        return "#" + hex(mix(lo.r, hi.r)) + hex(mix(lo.g, hi.g)) + hex(mix(lo.b, hi.b))
    }

    /// Lines of posts per bucket of `tags` (reposts included), with the CSV rows.
    static func hashtagLines(_ facts: EventFacts, _ tags: [String], _ buckets: TimeBuckets, _ x: TimeScale, _ y: (Double) -> LinearScale) -> (marks: [any Mark], rows: [[String]], series: [[Int]], y: LinearScale) {
        var series: [[Int]] = []
        var rows: [[String]] = []
        for tag in tags {
            var counts = Array(repeating: 0, count: buckets.starts.count)
            for time in facts.hashtagTimes[tag] ?? [] { if let i = buckets.index(of: time) { counts[i] += 1 } }
            series.append(counts)
            for i in buckets.starts.indices { rows.append([buckets.key(i), tag, String(counts[i])]) }
        }
        let scale = y(Double(series.joined().max() ?? 0))
        let keys = buckets.starts.indices.map(buckets.key)
        let marks: [any Mark] = tags.indices.map { k in
            LineMark(points: series[k].indices.map { (buckets.center($0, x), scale(Double(series[k][$0]))) }, stroke: Palette.series[k % Palette.series.count], width: 1.75,
                     series: "#" + tags[k], keys: keys, values: series[k].map(String.init))
        }
        return (marks, rows, series, scale)
    }

    /// The event's own hashtags over time, apart from the others: they carry the whole
    /// conversation and would flatten every other line.
    static func eventHashtags(_ facts: EventFacts) -> Figure {
        let title = "The event's own hashtags over time (reposts included)"
        let header = ["start", "hashtag", "posts"]
        let c = facts.conversation
        let tags = c.eventHashtags.filter { !(facts.hashtagTimes[$0] ?? []).isEmpty }
        guard !tags.isEmpty, c.posts > facts.window.outsidePosts else {
            let reason = c.eventHashtags.isEmpty ? "The event's own hashtags are not described (smcc event --hashtag) and no hashtag is on half of the posts."
                : "No post in the window carries the event's hashtags (\(c.eventHashtags.map { "#" + $0 }.joined(separator: ", ")))."
            return .missing("event-hashtags", title: title, because: reason, tables: [CSVTable(name: "event-hashtags", header: header, rows: [])])
        }
        let buckets = TimeFigures.buckets(facts)
        var chart = Chart(id: "event-hashtags", title: title, description: "")
        chart.legend = tags.indices.map { LegendEntry(color: Palette.series[$0 % Palette.series.count], label: "#" + tags[$0] + (c.event == nil ? " (assumed the event's)" : ""), line: true) }
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let lines = hashtagLines(facts, tags, buckets, x) { LinearScale.zeroBased(maximum: $0, range: (plot.bottom, plot.top)) }
        chart.axes = [.time(x), .linear(lines.y, edge: .left, title: "posts per \(buckets.unitName)")]
        chart.marks += eventDayShades(facts, x, plot).marks + lines.marks
        let share = { (tag: String) in c.posts == 0 ? "" : ", on \(Format.percent(Double(facts.hashtagTimes[tag]?.count ?? 0) / Double(c.posts))) of all posts" }
        chart.description = "Lines of posts per \(buckets.unitName) (\(facts.clock.zoneName)) carrying the event's own hashtags: "
            + tags.map { "#\($0) (\(Format.grouped(facts.hashtagTimes[$0]?.count ?? 0)) posts\(share($0)))" }.joined(separator: ", ") + "."
        return .drawn(chart, tables: [CSVTable(name: "event-hashtags", header: header, rows: lines.rows)])
    }

    /// The other hashtags over time — the most used, then the emerging ones — with when each
    /// emerging one emerged and when a listening rule covered it.
    static func hashtags(_ facts: EventFacts) -> Figure {
        // Listening rules are the desk's: an archive without one hears only when hashtags burst.
        let title = facts.hasDeskWork ? "Other hashtags over time, and when listening rules picked up emerging ones" : "Other hashtags over time, and when each burst (reposts included)"
        let emergingTable = CSVTable(name: "emerging-hashtags", header: ["hashtag", "emerged at", "window posts", "baseline per 10 minutes", "rule added at", "seconds to rule", "covered before"],
                                     rows: facts.emerging.map { e in
            [e.tag, facts.clock.rfc3339(e.emergedAt.milliseconds), String(e.windowPosts), Format.fixed(e.baselinePer10Minutes, 3), e.ruleAddedAt.map { facts.clock.rfc3339($0.milliseconds) } ?? "",
             e.secondsToRule.map { Format.fixed($0, 3) } ?? "", e.coveredBefore ? "yes" : "no"]
        })
        let header = ["start", "hashtag", "posts"]
        let c = facts.conversation
        var tags = Array(c.topHashtags.filter { !$0.isEventHashtag }.prefix(3).map(\.tag))
        let pickedUp = facts.emerging.filter { $0.ruleAddedAt != nil && !$0.coveredBefore }.map(\.tag)
        let neverCovered = facts.emerging.filter { $0.ruleAddedAt == nil }.map(\.tag)
        for tag in pickedUp + neverCovered where tags.count < 6 && !tags.contains(tag) { tags.append(tag) }
        tags = tags.filter { !(facts.hashtagTimes[$0] ?? []).isEmpty }
        guard !tags.isEmpty, c.posts > facts.window.outsidePosts else {
            return .missing("hashtags", title: title, because: c.eventHashtags.isEmpty ? "No post carries a hashtag." : "No post carries a hashtag other than the event's own.",
                            tables: [CSVTable(name: "hashtags", header: header, rows: []), emergingTable])
        }
        let buckets = TimeFigures.buckets(facts)
        var chart = Chart(id: "hashtags", title: title, description: "")
        chart.legend = tags.indices.map { LegendEntry(color: Palette.series[$0 % Palette.series.count], label: "#" + tags[$0], line: true) }
            + (facts.emerging.isEmpty ? [] : [LegendEntry(color: Palette.ink, label: facts.hasDeskWork ? "emerged (dot), listening rule added (dashed line)" : "burst: emerged (dot)", line: true, dashed: facts.hasDeskWork)])
        let plot = chart.plot
        let x = buckets.scale((plot.left, plot.right))
        let lines = hashtagLines(facts, tags, buckets, x) { LinearScale.zeroBased(maximum: $0, range: (plot.bottom, plot.top)) }
        chart.axes = [.time(x), .linear(lines.y, edge: .left, title: "posts per \(buckets.unitName)")]
        chart.marks += lines.marks
        var sentences: [String] = []
        var drawnRules = 0
        for e in facts.emerging {
            let k = tags.firstIndex(of: e.tag)
            let color = k.map { Palette.series[$0 % Palette.series.count] } ?? Palette.muted
            if let k, let i = buckets.index(of: e.emergedAt.milliseconds) {
                chart.marks.append(PointMark(x: x(e.emergedAt.milliseconds), y: lines.y(Double(lines.series[k][i])), radius: 5, fill: color,
                                             datum: Datum(series: "#\(e.tag) emerged", key: e.tag, value: e.emergedAt.rfc3339), label: "#\(e.tag) emerged \(facts.clock.minute(e.emergedAt.milliseconds))"))
            }
            guard facts.hasDeskWork else {
                sentences.append("#\(e.tag) emerged (burst) at \(facts.clock.minute(e.emergedAt.milliseconds)).")
                continue
            }
            guard let added = e.ruleAddedAt, let seconds = e.secondsToRule else {
                sentences.append("#\(e.tag) emerged at \(facts.clock.minute(e.emergedAt.milliseconds)) and no listening rule ever covered it.")
                continue
            }
            if e.coveredBefore {
                sentences.append("#\(e.tag) emerged at \(facts.clock.minute(e.emergedAt.milliseconds)), already covered by a listening rule.")
                continue
            }
            // The rules that had to be added after the hashtag emerged: how fast the listening adapted.
            if facts.window.contains(added.milliseconds) {
                let position = x(added.milliseconds)
                chart.marks.append(RuleMark(orientation: .vertical, position: position, from: plot.top, to: plot.bottom, stroke: color,
                                            label: "#\(e.tag): rule +\(Format.duration(seconds: seconds))", labelOffset: Double(drawnRules % 3) * 14, labelOnLeft: position > plot.right - 160,
                                            datum: Datum(series: "#\(e.tag) rule", key: e.tag, value: Format.fixed(seconds, 3))))
                drawnRules += 1
            }
            sentences.append("#\(e.tag) emerged at \(facts.clock.minute(e.emergedAt.milliseconds)) and a listening rule covered it \(Format.duration(seconds: seconds)) later.")
        }
        chart.description = "Lines of posts per \(buckets.unitName) (\(facts.clock.zoneName), reposts included) for " + tags.map { "#\($0) (\(Format.grouped(facts.hashtagTimes[$0]?.count ?? 0)))" }.joined(separator: ", ") + ". "
            + (c.eventHashtags.isEmpty ? "" : "The event's own (\(c.eventHashtags.map { "#" + $0 }.joined(separator: ", "))) are drawn apart. ")
            + (sentences.isEmpty ? "No other hashtag emerged." : sentences.joined(separator: " "))
        return .drawn(chart, tables: [CSVTable(name: "hashtags", header: header, rows: lines.rows), emergingTable])
    }
}
