import CommandCenter

/// A table the page shows (HTML, Markdown) and writes as `data/<name>.csv`: the top accounts and
/// posts, the editions and how they changed.
struct ShownTable: Sendable {
    var name: String
    var title: String
    /// What the table counts, in a sentence (definitions, where the numbers come from).
    var caption: String
    var header: [String]
    var rows: [[String]]
    /// The columns the page shows (all when `nil`); the CSV has every column.
    var pageColumns: [String]? = nil

    var csv: CSVTable { CSVTable(name: name, header: header, rows: rows) }

    /// The header and rows the page shows.
    var shown: (header: [String], rows: [[String]]) {
        guard let pageColumns else { return (header, rows) }
        let keep = pageColumns.compactMap { header.firstIndex(of: $0) }
        return (keep.map { header[$0] }, rows.map { row in keep.map { row[$0] } })
    }
}

/// The conversation's tables: who posted, who was mentioned, which hashtags, which posts.
enum ConversationTables {
    static func topAuthors(_ facts: EventFacts) -> ShownTable {
        let c = facts.conversation
        return ShownTable(name: "top-authors", title: "Top accounts", caption: "The \(c.topAuthors.count) accounts with the most posts (reposts included) of the \(Format.grouped(c.authors)) that posted; accounts compared case-insensitively.",
                          header: ["rank", "account", "posts", "originals", "reposts", "replies"],
                          rows: c.topAuthors.enumerated().map { i, a in [String(i + 1), "@" + a.account, String(a.posts), String(a.originals), String(a.reposts), String(a.replies)] })
    }

    static func topMentioned(_ facts: EventFacts) -> ShownTable {
        let c = facts.conversation
        return ShownTable(name: "top-mentioned", title: "Most mentioned accounts", caption: "Posts mentioning each account, each post counted once per account (a repost mentions the account it reposts).",
                          header: ["rank", "account", "posts mentioning it"],
                          rows: c.topMentioned.enumerated().map { i, a in [String(i + 1), "@" + a.account, String(a.posts)] })
    }

    static func topHashtags(_ facts: EventFacts) -> ShownTable {
        let c = facts.conversation
        return ShownTable(name: "top-hashtags", title: "Top hashtags", caption: "Posts carrying each hashtag, reposts included (a hashtag cut off by a platform's truncation of a repost is not seen).",
                          header: ["rank", "hashtag", "posts", "originals", "the event's own"],
                          rows: c.topHashtags.enumerated().map { i, h in [String(i + 1), "#" + h.tag, String(h.posts), String(h.originals), h.isEventHashtag ? "yes" : ""] })
    }

    static func topPosts(_ facts: EventFacts) -> ShownTable {
        let c = facts.conversation
        var rows: [[String]] = []
        for (ranking, list) in [("reposts", c.topPosts.byReposts), ("likes", c.topPosts.byLikes)] {
            for (i, p) in list.enumerated() {
                let text = facts.postTexts[p.post]
                rows.append([ranking, String(i + 1), p.author.isEmpty ? "(erased)" : "@" + p.author, facts.clock.minuteWithoutZone(p.postedAt.milliseconds), String(p.reposts), String(p.likes),
                             text.map { Format.excerpt($0.text, 140) } ?? "", text?.url ?? "", p.post])
            }
        }
        let caption = c.topPosts.postsWithCounts == 0
            ? "No post of the log carries a repost or like count (an importer keeps the platform's counts when the archive has them), so no post can be ranked by them."
            : "Original posts ranked by the platform's repost and like counts when the archive was captured (\(Format.grouped(c.topPosts.postsWithCounts)) posts carry counts; a repost's count is its original's, so reposts are not ranked). Times in \(facts.clock.zoneName)."
        return ShownTable(name: "top-posts", title: "Top posts", caption: caption,
                          header: ["ranked by", "rank", "author", "posted", "reposts", "likes", "text", "link", "post"], rows: rows,
                          pageColumns: ["ranked by", "rank", "author", "posted", "reposts", "likes", "text", "link"])
    }
}

/// The editions' tables: one row per edition, and the figures side by side with their changes.
enum EditionTables {
    static func editions(_ editions: [EventFacts], names: [String]) -> ShownTable {
        let rows = editions.indices.map { k -> [String] in
            let e = editions[k], c = e.conversation
            let days = c.eventDays
            let fr = e.report.firstResponse
            return [names[k], e.log, c.timeZone, days?.firstDay ?? "", days?.lastDay ?? "", days?.source ?? "", String(c.posts), String(c.originals), String(c.reposts),
                    String(c.replies), String(c.quotes), String(c.authors), c.postsOnEventDays.map(String.init) ?? "",
                    c.busiestHour.map { e.clock.rfc3339($0.start.milliseconds) } ?? "", c.busiestHour.map { String($0.posts) } ?? "",
                    c.topHashtags.first { !$0.isEventHashtag }.map { "#" + $0.tag } ?? "", e.hasDeskWork ? String(e.postCount) : "",
                    e.hasDeskWork ? String(fr.answered) : "", e.hasDeskWork ? (fr.p50Seconds.map { Format.fixed($0, 3) } ?? "") : ""]
        }
        return ShownTable(name: "editions", title: "Editions", caption: "One row per edition, in the order of their first event day; the CSV has every column (replies, quotes, busiest hour, the desk's figures).",
                          header: ["edition", "log", "time zone", "first day", "last day", "days", "posts", "originals", "reposts", "replies", "quotes", "authors",
                                   "posts on event days", "busiest hour", "busiest hour posts", "top other hashtag", "inbound posts", "answered", "median first response seconds"],
                          rows: rows, pageColumns: ["edition", "time zone", "first day", "last day", "days", "posts", "reposts", "authors", "top other hashtag"])
    }

    /// The figures of every edition side by side, each with its change from the edition before.
    static func changes(_ editions: [EventFacts], names: [String]) -> ShownTable {
        typealias Row = (label: String, value: (EventFacts) -> Double?, text: (Double) -> String, share: Bool)
        let count = { (n: Double) in Format.grouped(Int(n)) }
        let dayCount = { (e: EventFacts) -> Double? in
            e.conversation.eventDays.flatMap { d in CivilDate(d.firstDay).flatMap { a in CivilDate(d.lastDay).map { Double($0.dayNumber - a.dayNumber + 1) } } }
        }
        var rows: [Row] = [
            ("posts (reposts included)", { Double($0.conversation.posts) }, count, false),
            ("original posts", { Double($0.conversation.originals) }, count, false),
            ("reposts", { Double($0.conversation.reposts) }, count, false),
            ("share of reposts", { $0.conversation.posts == 0 ? nil : Double($0.conversation.reposts) / Double($0.conversation.posts) }, { Format.percent($0) }, true),
            ("replies", { Double($0.conversation.replies) }, count, false),
            ("quotes", { Double($0.conversation.quotes) }, count, false),
            ("distinct authors", { Double($0.conversation.authors) }, count, false),
            ("event days", dayCount, count, false),
            ("posts on event days", { $0.conversation.postsOnEventDays.map(Double.init) }, count, false),
            ("posts per event day", { e in dayCount(e).flatMap { d in e.conversation.postsOnEventDays.map { Double($0) / d } } }, { Format.grouped(Int($0.rounded())) }, false),
            ("posts in the busiest hour", { $0.conversation.busiestHour.map { Double($0.posts) } }, count, false),
        ]
        if editions.contains(where: \.hasDeskWork) {
            rows += [
                ("inbound posts at the desk", { $0.hasDeskWork ? Double($0.postCount) : nil }, count, false),
                ("answered", { e in e.hasDeskWork && e.postCount > 0 ? Double(e.report.firstResponse.answered) / Double(e.postCount) : nil }, { Format.percent($0) }, true),
                ("median first response (minutes)", { $0.hasDeskWork ? $0.report.firstResponse.p50Seconds.map { $0 / 60 } : nil }, { Format.fixed($0, 1) }, false),
            ]
        }
        var header = ["figure"]
        for k in editions.indices { header += k == 0 ? [names[k]] : ["change", names[k]] }
        let table = rows.map { row -> [String] in
            var cells = [row.label]
            for k in editions.indices {
                let value = row.value(editions[k])
                if k > 0 { cells.append(change(from: row.value(editions[k - 1]), to: value, share: row.share, text: row.text)) }
                cells.append(value.map(row.text) ?? "–")
            }
            return cells
        }
        return ShownTable(name: "editions-changes", title: "How the editions compare", caption: "Each edition's figures, in the order of their first event day, with the change from the edition before (absolute, and in % of it; shares change in percentage points).",
                          header: header, rows: table)
    }

    /// `+1,234 (+25.0%)`, `−3.2 points`, `–` when either side is missing.
    static func change(from old: Double?, to new: Double?, share: Bool, text: (Double) -> String) -> String {
        guard let old, let new else { return "–" }
        let delta = new - old
        let sign = delta > 0 ? "+" : delta < 0 ? "\u{2212}" : "±"
        if share { return sign + Format.fixed(abs(delta) * 100, 1) + " points" }
        let magnitude = text(abs(delta))
        guard old != 0 else { return sign + magnitude }
        return sign + magnitude + " (" + sign + Format.fixed(abs(delta) / old * 100, 1) + "%)"
    }
}
