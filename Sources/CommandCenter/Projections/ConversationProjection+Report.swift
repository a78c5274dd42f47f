extension ConversationProjection {
    /// Posts of one UTC minute: the unit every local hour and day is summed from.
    public struct Minute: Equatable, Sendable {
        /// The minute's start, ms since 1970.
        public var start: Int64
        public var posts: Int
        public var reposts: Int
        public var replies: Int
        public var quotes: Int
    }

    /// Every minute with a post, in time order.
    public func minutesInOrder() -> [Minute] {
        minutes.keys.indices.sorted { minutes.keys[$0] < minutes.keys[$1] }.map { slot in
            Minute(start: minutes.keys[slot] * 60_000, posts: Int(minutes[slot, 0]), reposts: Int(minutes[slot, 1]),
                   replies: Int(minutes[slot, 2]), quotes: Int(minutes[slot, 3]))
        }
    }

    /// The `postedAt` of every post carrying `tag` (reposts included), in log order.
    public func times(of tag: String) -> [Int64] {
        guard let id = symbols.hashtags.id(of: tag), Int(id) < rowOfTag.count, rowOfTag[Int(id)] >= 0 else { return [] }
        return tagTimes[Int(rowOfTag[Int(id)])]
    }

    /// The zone the report reads the log in: `override` when given, else the described one when
    /// this system knows it, else UTC; with where it came from and, for a described zone this
    /// system does not know, the sentence that says so.
    public func zone(override: LocalZone?) -> (zone: LocalZone, source: String, problem: String?) {
        if let override { return (override, "option", nil) }
        guard let described = description?.timeZone else { return (.utc, "default", nil) }
        guard let zone = LocalZone(identifier: described) else {
            return (.utc, "default", "The event's time zone \(described) is not in this system's time zone database, so times are UTC.")
        }
        return (zone, "event", nil)
    }

    /// The figures of `conversation` in `smcc stats --json`.
    /// - Parameters:
    ///   - timeZone: the zone to read the log in; `nil` for the described one (or UTC).
    ///   - top: how many entries each top list holds.
    public func report(timeZone: LocalZone? = nil, top: Int = ConversationProjection.topCount) -> ConversationReport {
        let (zone, source, zoneProblem) = self.zone(override: timeZone)
        var assumptions: [String] = zoneProblem.map { [$0] } ?? []
        if description == nil && source == "default" {
            assumptions.append("No event is described in this log, so times are UTC.")
        }
        let minutes = minutesInOrder()
        let offsets = zone.offsets(from: minutes.first?.start ?? 0, through: minutes.last?.start ?? 0)

        // Local days and hours, summed from the minutes in time order.
        var days: [ConversationReport.Day] = []
        var hours: [ConversationReport.Hour] = []
        for minute in minutes {
            let date = offsets.date(minute.start).description
            if days.last?.day != date { days.append(.init(day: date, eventDay: nil, posts: 0, originals: 0, reposts: 0, replies: 0, quotes: 0)) }
            days[days.count - 1].posts += minute.posts
            days[days.count - 1].originals += minute.posts - minute.reposts
            days[days.count - 1].reposts += minute.reposts
            days[days.count - 1].replies += minute.replies
            days[days.count - 1].quotes += minute.quotes
            let hour = offsets.startOfHour(minute.start)
            if hours.last?.start.milliseconds != hour {
                hours.append(.init(start: Timestamp(milliseconds: hour), local: offsets.rfc3339(hour), posts: 0, originals: 0, reposts: 0))
            }
            hours[hours.count - 1].posts += minute.posts
            hours[hours.count - 1].originals += minute.posts - minute.reposts
            hours[hours.count - 1].reposts += minute.reposts
        }

        var eventDays: ConversationReport.EventDays?
        if let description, let first = description.firstDate, let last = description.lastDate {
            eventDays = .init(firstDay: first.description, lastDay: last.description, source: "event")
        } else if let assumed = Self.assumedEventDays(days) {
            eventDays = .init(firstDay: assumed.first, lastDay: assumed.last, source: "assumed")
            let span = assumed.first == assumed.last ? assumed.first : "\(assumed.first) to \(assumed.last)"
            assumptions.append("The event days are assumed to be \(span): the days around the busiest one with at least a third of its posts.")
        }
        var postsOnEventDays: Int?
        if let eventDays, let first = CivilDate(eventDays.firstDay), let last = CivilDate(eventDays.lastDay) {
            postsOnEventDays = 0
            for i in days.indices {
                guard let date = CivilDate(days[i].day) else { continue }
                days[i].eventDay = Int(date.dayNumber - first.dayNumber + 1)
                if date >= first && date <= last { postsOnEventDays! += days[i].posts }
            }
        }

        let tags = self.tags
        let hashtagRanking = tags.indices.sorted {
            tagTimes[$0].count != tagTimes[$1].count ? tagTimes[$0].count > tagTimes[$1].count : tags[$0] < tags[$1]
        }
        var eventHashtags = description?.hashtags ?? []
        if description == nil {
            eventHashtags = hashtagRanking.filter { posts > 0 && 2 * tagTimes[$0].count >= posts }.map { tags[$0] }
            if !eventHashtags.isEmpty {
                assumptions.append("The event's own hashtags are assumed to be those on at least half of the posts: "
                                   + eventHashtags.map { "#" + $0 }.joined(separator: ", ") + ".")
            }
        }
        let topHashtags = hashtagRanking.prefix(top).map { t in
            ConversationReport.Hashtag(tag: tags[t], posts: tagTimes[t].count, originals: tagTimes[t].count - Int(tagReposts[t]),
                                       isEventHashtag: eventHashtags.contains(tags[t]))
        }

        let delays = replyDelaysMs.sorted()
        let seconds = delays.map { Double($0) / 1000 }
        let replyDelays = ConversationReport.ReplyDelays(
            replies: delays.count, toOwnPosts: repliesToOwnPosts, toPostsNotInLog: repliesToPostsNotInLog, anomalies: replyAnomalies,
            p50Seconds: Percentiles.linear(sorted: seconds, 0.5), p90Seconds: Percentiles.linear(sorted: seconds, 0.9),
            meanSeconds: delays.isEmpty ? nil : Double(delays.reduce(0, +)) / Double(delays.count) / 1000
        )
        let topPost = { (p: TopPost) in
            ConversationReport.TopPost(post: p.post, author: p.author, postedAt: Timestamp(milliseconds: p.postedAt), reposts: p.reposts, likes: p.likes)
        }

        return ConversationReport(
            timeZone: zone.identifier,
            timeZoneSource: source,
            event: description,
            eventDays: eventDays,
            eventHashtags: eventHashtags,
            assumptions: assumptions,
            posts: posts,
            originals: posts - reposts,
            reposts: reposts,
            replies: replies,
            quotes: quotes,
            authors: authors,
            postsOnEventDays: postsOnEventDays,
            perDay: days,
            perHour: hours,
            busiestHour: hours.indices.max { hours[$0].posts != hours[$1].posts ? hours[$0].posts < hours[$1].posts : $0 > $1 }.map { hours[$0] },
            busiestDay: days.indices.max { days[$0].posts != days[$1].posts ? days[$0].posts < days[$1].posts : $0 > $1 }.map { days[$0] },
            topAuthors: ranked(by: 0, top: top).map { a in
                .init(account: accountNames[a], posts: Int(accounts[a, 0]), originals: Int(accounts[a, 0] - accounts[a, 1]),
                      reposts: Int(accounts[a, 1]), replies: Int(accounts[a, 2]))
            },
            topMentioned: ranked(by: 3, top: top).map { .init(account: accountNames[$0], posts: Int(accounts[$0, 3])) },
            topHashtags: topHashtags,
            topPosts: .init(postsWithCounts: postsWithCounts, byReposts: topByReposts.prefix(top).map(topPost), byLikes: topByLikes.prefix(top).map(topPost)),
            replyDelays: replyDelays
        )
    }

    /// The `top` accounts with the highest counter `field` (0 posts, 3 mentions), ties by
    /// account name (lowercase), accounts with none left out.
    private func ranked(by field: Int, top: Int) -> [Int] {
        func before(_ a: Int, _ b: Int) -> Bool {
            let x = accounts[a, field], y = accounts[b, field]
            return x != y ? x > y : accounts.keys[a] < accounts.keys[b]
        }
        // The empty account is the erased posts' (`smcc erase`): counted in every volume, never ranked.
        func ranks(_ a: Int) -> Bool { accounts[a, field] > 0 && !accounts.keys[a].isEmpty }
        let candidates = accounts.keys.indices.lazy.filter(ranks)
        // A few names out of a year's accounts: most accounts cost one comparison of counts,
        // instead of sorting them all (with names compared on ties).
        return top > Self.rankedBySelectionUpTo ? Array(candidates.sorted(by: before).prefix(top)) : candidates.firstSorted(top, by: before)
    }

    /// Up to this many entries, a top list is selected in one pass; a longer one is sorted.
    static let rankedBySelectionUpTo = 256

    /// The run of consecutive days around the busiest day (the earliest of equals) whose posts
    /// are each at least a third of the busiest day's: a conference's days stand out from the
    /// days before and after it.
    static func assumedEventDays(_ days: [ConversationReport.Day]) -> (first: String, last: String)? {
        guard let peak = days.indices.max(by: { days[$0].posts != days[$1].posts ? days[$0].posts < days[$1].posts : $0 > $1 }) else { return nil }
        let threshold = days[peak].posts
        func qualifies(_ i: Int) -> Bool { 3 * days[i].posts >= threshold }
        func adjacent(_ i: Int, _ j: Int) -> Bool {
            guard let a = CivilDate(days[i].day), let b = CivilDate(days[j].day) else { return false }
            return abs(a.dayNumber - b.dayNumber) == 1
        }
        var first = peak, last = peak
        while first > 0, adjacent(first - 1, first), qualifies(first - 1) { first -= 1 }
        while last + 1 < days.count, adjacent(last, last + 1), qualifies(last + 1) { last += 1 }
        return (days[first].day, days[last].day)
    }
}
