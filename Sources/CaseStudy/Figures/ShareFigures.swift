import CommandCenter

/// Who the conversation and the work belonged to: channel share, work per volunteer and per role.
enum ShareFigures {
    /// The share of inbound posts per channel, as horizontal bars.
    static func channelShare(_ facts: EventFacts) -> Figure {
        let title = "Where the conversation was: share of inbound posts by channel"
        let channels = channelCounts(facts)
        let total = facts.postCount
        let table = CSVTable(name: "channel-share", header: ["channel", "posts", "share"], rows: channels.map { [$0.channel.rawValue, String($0.posts), Format.fixed(Double($0.posts) / Double(total), 6)] })
        guard channels.count > 1 else {
            // One channel: the key figure "channel share" says so; an empty box would add nothing.
            guard channels.isEmpty else { return .omitted("channel-share", title: title, tables: [table]) }
            return .missing("channel-share", title: title, because: "The log holds no original post, so there is no channel share.", tables: [table])
        }
        var chart = Chart(id: "channel-share", title: title, description: "", leftMargin: 118)
        let plot = chart.plot
        let band = BandScale(categories: channels.map(\.channel.displayName), range: (plot.top, plot.bottom), padding: 0.3)
        let x = LinearScale(domain: (0, 1), range: (plot.left, plot.right - 110))
        chart.axes = [Axis(edge: .bottom, ticks: stride(from: 0.0, through: 1.0, by: 0.2).map { (x($0), [Format.fixed($0 * 100, 0) + "%"]) }, title: "share of inbound posts (%)"),
                      Axis(edge: .left, ticks: channels.indices.map { (band.center($0), [channels[$0].channel.displayName]) }, title: "")]
        for (i, entry) in channels.enumerated() {
            let share = Double(entry.posts) / Double(total)
            chart.marks.append(BarMark(x: x(0), y: band.start(i), width: x(share) - x(0), height: band.bandwidth, fill: Palette.color(entry.channel),
                                       datum: Datum(series: "share", key: entry.channel.rawValue, value: Format.fixed(share, 6)),
                                       label: "\(entry.channel.displayName): \(Format.percent(share)) (\(Format.grouped(entry.posts)) posts)"))
            chart.marks.append(TextMark(x: x(share) + 6, y: band.center(i) + 4, text: "\(Format.percent(share)) · \(Format.grouped(entry.posts))"))
        }
        chart.description = "Horizontal bars of each channel's share of the \(Format.grouped(total)) inbound posts: "
            + channels.map { "\($0.channel.displayName) \(Format.percent(Double($0.posts) / Double(total)))" }.joined(separator: ", ") + "."
        return .drawn(chart, tables: [table])
    }

    /// Channels with posts, most posts first (ties in the catalogue's order).
    static func channelCounts(_ facts: EventFacts) -> [(channel: Channel, posts: Int)] {
        var counts: [Channel: Int] = [:]
        for post in facts.posts { counts[post.channel, default: 0] += 1 }
        return Channel.allCases.compactMap { c in counts[c].map { (c, $0) } }.enumerated()
            .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }.map(\.element)
    }

    static let workloadHeader = ["replies", "posts published", "assignments made", "assignments received", "escalations", "notes", "shift hours"]

    static func workloadCells(_ c: WorkloadProjection.Counts) -> [String] {
        [String(c.replies), String(c.postsPublished), String(c.assignmentsMade), String(c.assignmentsReceived), String(c.escalations), String(c.notes), Format.fixed(c.shiftSeconds / 3600, 2)]
    }

    /// The most bars the volunteer figure draws (an imported archive can name thousands of agents).
    static let maximumVolunteerBars = 20

    /// Replies per volunteer, coloured by the volunteer's role at the end of the log.
    static func volunteers(_ facts: EventFacts) -> Figure {
        let title = "Who answered: replies per volunteer (colour: role at the end of the log)"
        let rows = facts.perVolunteer.sorted { $0.value.replies != $1.value.replies ? $0.value.replies > $1.value.replies : $0.key < $1.key }
        let table = CSVTable(name: "workload-volunteers", header: ["volunteer", "name", "role at end"] + workloadHeader, rows: rows.map { id, counts in
            let v = facts.roster.volunteer(id)
            return [id, v?.name ?? "", v?.role.csvName ?? GroupingKey.unknownRole] + workloadCells(counts)
        })
        let drawn = rows.filter { $0.value.replies > 0 }.prefix(maximumVolunteerBars)
        guard !drawn.isEmpty else {
            return .missing("workload-volunteers", title: title, because: "Nobody replied to a post in this log (no replied event), so there is no one to rank.", tables: [table])
        }
        var chart = Chart(id: "workload-volunteers", title: title, description: "", leftMargin: 150)
        let roles = Set(drawn.map { facts.roster.role(of: $0.key) })
        chart.legend = (Role.allCases.map(Optional.some) + [nil]).filter { roles.contains($0) }.map { LegendEntry(color: Palette.color($0), label: $0.displayName) }
        let plot = chart.plot
        let band = BandScale(categories: drawn.map(\.key), range: (plot.top, plot.bottom), padding: 0.25)
        let x = LinearScale.zeroBased(maximum: Double(drawn.first!.value.replies), range: (plot.left, plot.right - 150))
        chart.axes = [.linear(x, edge: .bottom, title: "replies (posts answered, every reply counted)"),
                      Axis(edge: .left, ticks: drawn.indices.map { (band.center($0), [label(drawn[$0].key, facts)]) }, title: "")]
        for (i, (id, counts)) in drawn.enumerated() {
            let role = facts.roster.role(of: id)
            chart.marks.append(BarMark(x: x(0), y: band.start(i), width: x(Double(counts.replies)) - x(0), height: band.bandwidth, fill: Palette.color(role),
                                       datum: Datum(series: "replies", key: id, value: String(counts.replies)),
                                       label: "\(id) (\(role.displayName)): \(Format.grouped(counts.replies)) replies"))
            chart.marks.append(TextMark(x: x(Double(counts.replies)) + 6, y: band.center(i) + 4,
                                        text: Format.grouped(counts.replies) + (counts.shiftSeconds > 0 ? " · \(Format.fixed(counts.shiftSeconds / 3600, 1)) h on shift" : ""), size: 10))
        }
        let more = rows.filter { $0.value.replies > 0 }.count - drawn.count
        chart.description = "Horizontal bars of replies per volunteer, coloured by role at the end of the log"
            + (more > 0 ? " (the \(drawn.count) with the most replies; \(more) more in the CSV)" : "") + ". Most: "
            + drawn.prefix(3).map { "\($0.key) \(Format.grouped($0.value.replies))" }.joined(separator: ", ") + "."
            + (facts.roster.volunteers.contains { $0.role != nil } ? "" : " No volunteer joined in this log, so no role is known.")
        return .drawn(chart, tables: [table])
    }

    private static func label(_ id: String, _ facts: EventFacts) -> String {
        let text = id.hasPrefix("vol:") ? String(id.dropFirst(4)) : id
        return text.count > 22 ? String(text.prefix(21)) + "…" : text
    }

    /// Work per role at the time of each action.
    static func roles(_ facts: EventFacts) -> Figure {
        let title = "Who carried the load: work by role at the time"
        let order = Role.allCases.map(Optional.some) + [nil]
        let present = order.filter { facts.perRole[$0] != nil }
        let table = CSVTable(name: "workload-roles", header: ["role"] + workloadHeader, rows: present.map { [$0.csvName] + workloadCells(facts.perRole[$0]!) })
        guard present.contains(where: { $0 != nil }) else {
            return .missing("workload-roles", title: title, because: "No volunteer joined with a role in this log (no volunteerJoined or roleChanged), so the work cannot be split by role.", tables: [table])
        }
        var chart = Chart(id: "workload-roles", title: title, description: "", leftMargin: 118)
        chart.legend = [LegendEntry(color: Palette.muted, label: "replies"), LegendEntry(color: Palette.muted, label: "posts published", opacity: "0.55"),
                        LegendEntry(color: Palette.muted, label: "triage assignments made", opacity: "0.25")]
        let plot = chart.plot
        let band = BandScale(categories: present.map(\.displayName), range: (plot.top, plot.bottom), padding: 0.3)
        let parts = present.map { role -> [(String, Int, String)] in
            let c = facts.perRole[role]!
            return [("replies", c.replies, "1"), ("posts published", c.postsPublished, "0.55"), ("assignments made", c.assignmentsMade, "0.25")]
        }
        let work = parts.map { $0.reduce(0) { $0 + $1.1 } }
        let x = LinearScale.zeroBased(maximum: Double(work.max() ?? 0), range: (plot.left, plot.right - 200))
        chart.axes = [.linear(x, edge: .bottom, title: "actions (replies, posts published, assignments made)"),
                      Axis(edge: .left, ticks: present.indices.map { (band.center($0), [present[$0].displayName]) }, title: "")]
        for (i, role) in present.enumerated() {
            var start = 0
            for (series, value, opacity) in parts[i] {
                chart.marks.append(BarMark(x: x(Double(start)), y: band.start(i), width: x(Double(start + value)) - x(Double(start)), height: band.bandwidth, fill: Palette.color(role),
                                           datum: Datum(series: series, key: role.csvName, value: String(value)), label: "\(role.displayName): \(Format.grouped(value)) \(series)")
                                           .withOpacity(opacity))
                start += value
            }
            let c = facts.perRole[role]!
            chart.marks.append(TextMark(x: x(Double(work[i])) + 6, y: band.center(i) + 4,
                                        text: "\(Format.grouped(c.replies)) replies · \(Format.grouped(c.postsPublished)) published · \(Format.grouped(c.assignmentsMade)) assigned", size: 10))
        }
        chart.description = "Stacked horizontal bars per role (the role held at the time of each action) of replies, posts published and triage assignments made: "
            + present.map { "\($0.displayName) \(Format.grouped(facts.perRole[$0]!.replies)) replies, \(Format.grouped(facts.perRole[$0]!.postsPublished)) published, \(Format.grouped(facts.perRole[$0]!.assignmentsMade)) assigned" }.joined(separator: "; ") + ". Shift hours are in the CSV."
        return .drawn(chart, tables: [table])
    }
}
