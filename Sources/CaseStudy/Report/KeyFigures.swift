import CommandCenter

/// The report's headline numbers, each as a label and a sentence, in the order a reader wants
/// them: how much, where, how fast, when, who, what emerged, what escalated, and how to check.
public struct KeyFigures: Sendable {
    /// One key figure.
    public struct Item: Sendable, Equatable {
        /// Short label: "channel share".
        public var label: String
        /// The figure in words: "89.1% of the conversation on Twitter".
        public var text: String
        /// Whether it is one of the desk's figures (shown under "The desk").
        public var isDesk = false
    }

    /// The figures, in reading order.
    public var items: [Item]
    /// `smcc verify LOG --head SEQ:HEX`, or `nil` for an empty log.
    public var verifyCommand: String?

    /// The value of the item labelled `label`.
    public func text(_ label: String) -> String? { items.first { $0.label == label }?.text }

    /// The key figures of `facts`: the conversation first, then the desk's when the log holds
    /// desk work (else one sentence saying why there are none), then the head.
    public init(_ facts: EventFacts) {
        let r = facts.report
        let c = facts.conversation
        let clock = facts.clock
        var items: [Item] = []
        func add(_ label: String, _ text: String) { items.append(Item(label: label, text: text)) }

        var posts = "\(Format.count(c.posts, "post")): \(Format.grouped(c.originals)) original\(c.originals == 1 ? "" : "s") and \(Format.count(c.reposts, "repost"))"
        if c.posts > 0 { posts += " (\(Format.percent(Double(c.reposts) / Double(c.posts))) reposts)" }
        posts += "; \(Format.count(c.replies, "reply", "replies")), \(Format.count(c.quotes, "quote"))"
        if let first = facts.minutes.first?.start, let last = facts.minutes.last?.start {
            posts += "; posted from \(clock.minute(first)) to \(clock.minute(last))"
        }
        add("posts", posts)
        add("authors", c.authors == 0 ? "nobody posted" : "\(Format.count(c.authors, "distinct account")) posted")
        add("event", Self.eventSentence(c))
        if let days = c.eventDays, let first = CivilDate(days.firstDay), let last = CivilDate(days.lastDay), let on = c.postsOnEventDays {
            let n = Int(last.dayNumber - first.dayNumber + 1)
            var text = "\(Format.grouped(on)) posts on the \(Format.count(n, days.source == "event" ? "event day" : "assumed event day"))"
            if c.posts > 0 { text += " (\(Format.percent(Double(on) / Double(c.posts))) of all)" }
            if let busiest = c.busiestDay, let date = CivilDate(busiest.day) {
                text += "; busiest day \(clock.dayLabel(date)) \(date.components.year), \(Format.count(busiest.posts, "post"))"
            }
            add("event days", text)
        }
        if let hour = c.busiestHour {
            add("busiest hour", "\(clock.hourRange(hour.start.milliseconds)), \(Format.count(hour.posts, "post")) (\(Format.grouped(hour.originals)) original\(hour.originals == 1 ? "" : "s"), \(Format.count(hour.reposts, "repost")))")
        }
        if !c.topAuthors.isEmpty {
            add("top accounts", c.topAuthors.prefix(5).map { "@\($0.account) \(Format.grouped($0.posts))" }.joined(separator: ", ") + " (posts, reposts included)")
        }
        if !c.topMentioned.isEmpty {
            add("most mentioned", c.topMentioned.prefix(5).map { "@\($0.account) \(Format.grouped($0.posts))" }.joined(separator: ", ") + " (posts mentioning them)")
        }
        if c.topHashtags.isEmpty {
            add("top hashtags", "no post carries a hashtag")
        } else {
            add("top hashtags", c.topHashtags.prefix(5).map { "#\($0.tag) \(Format.grouped($0.posts))" + ($0.isEventHashtag ? " (the event's)" : "") }.joined(separator: ", "))
        }
        if let top = c.topPosts.byReposts.first ?? c.topPosts.byLikes.first {
            var text = "\(top.author.isEmpty ? "(erased)" : "@" + top.author), \(Format.count(top.reposts, "repost")) and \(Format.count(top.likes, "like")) (the platform's counts when archived)"
            if let body = facts.postTexts[top.post]?.text { text += ": \u{201C}\(Format.excerpt(body, 100))\u{201D}" }
            add("top post", text)
        } else if c.posts > 0 {
            add("top post", "no post in the log carries a repost or like count")
        }
        add("replies", Self.repliesSentence(c.replyDelays))
        add("channel share", Self.channelSentence(facts))

        if facts.hasDeskWork {
            Self.addDeskFigures(facts, to: &items)
        } else {
            items.append(Item(label: "desk", text: Self.noDeskSentence, isDesk: true))
        }
        if let head = facts.head {
            add("log head", head)
            verifyCommand = "smcc verify \(Self.shellQuoted(facts.log)) --head \(head)"
        } else {
            add("log head", "none: the log is empty")
            verifyCommand = nil
        }
        self.items = items
    }

    /// Why a log without desk work has no desk figures.
    static let noDeskSentence = "no desk work in this log (no volunteer joined, no listening rule was set, no post was assigned, answered, escalated or resolved): it is an archive of the conversation, so response times, triage and workload are not reported"

    private static func addDeskFigures(_ facts: EventFacts, to items: inout [Item]) {
        let r = facts.report
        let fr = r.firstResponse
        func add(_ label: String, _ text: String) { items.append(Item(label: label, text: text, isDesk: true)) }
        var inbound = "\(Format.grouped(facts.postCount)) inbound posts reached the desk"
        if r.repostsExcluded > 0 { inbound += " (reposts are not answered: \(Format.count(r.repostsExcluded, "repost")) left out of the desk's figures)" }
        add("inbound posts", inbound)
        if fr.posts == 0 {
            add("answered", "no inbound post, so nothing to answer")
        } else if fr.answered == 0 {
            add("answered", "none of the \(Format.grouped(fr.posts)) posts was answered (no replied event about an inbound post)")
        } else {
            add("answered", "\(Format.percent(Double(fr.answered) / Double(fr.posts))) answered (\(Format.grouped(fr.answered)) of \(Format.grouped(fr.posts)))")
        }
        if let p50 = fr.p50Seconds, let p90 = fr.p90Seconds {
            add("first response", "median \(Format.duration(seconds: p50)), p90 \(Format.duration(seconds: p90)) (from posting to the first reply)")
        } else {
            add("first response", "no first-response time: no post was answered")
        }
        if let within = fr.withinTarget {
            add("within target", "\(Format.percent(within)) of all posts answered within \(Format.duration(seconds: Double(fr.targetSeconds)))"
                + (fr.withinTargetOfAnswered.map { " (\(Format.percent($0)) of the answered ones)" } ?? ""))
        }
        add("team", Self.teamSentence(facts))
        add("emerging hashtags", Self.emergingSentence(facts.emerging, facts.clock))
        let esc = r.escalation
        if esc.posts == 0 {
            add("escalations", "none")
        } else {
            add("escalations", "\(Format.count(esc.posts, "escalation")), \(Format.grouped(esc.answered)) resolved"
                + (esc.p50Seconds.map { ", median \(Format.duration(seconds: $0)) to resolve" } ?? ""))
        }
        let desk = facts.finalDesk.queuesDocument(limit: 0).counts
        add("left at the end", "\(Format.grouped(desk.triage)) in triage, \(Format.grouped(desk.assigned)) assigned, \(Format.grouped(desk.escalations)) escalations open")
    }

    /// "NICAR 2017, 2017-03-02 to 2017-03-05 in America/New_York, Jacksonville, FL", or what was assumed.
    static func eventSentence(_ c: ConversationReport) -> String {
        guard let event = c.event else {
            // The zone's sentence is the log's own ("No event is described in this log, so times
            // are UTC."): said here as the key figure's first words.
            let rest = c.assumptions.filter { !$0.hasPrefix("No event is described") }
            let zone = c.timeZoneSource == "option" ? "times in \(c.timeZone) (--time-zone)" : "times are UTC"
            return "not described in the log: \(zone)." + (rest.isEmpty ? "" : " " + rest.joined(separator: " "))
        }
        var text = "\(event.name), \(event.firstDay == event.lastDay ? event.firstDay : "\(event.firstDay) to \(event.lastDay)") in \(event.timeZone)"
        if let venue = event.venue { text += ", \(venue)" }
        if !event.hashtags.isEmpty { text += "; its hashtag\(event.hashtags.count == 1 ? "" : "s") " + event.hashtags.map { "#" + $0 }.joined(separator: ", ") }
        return text + (c.assumptions.isEmpty ? "" : ". " + c.assumptions.joined(separator: " "))
    }

    /// "120 replies to another account's post in the log, median 12 min later; 20 to their own
    /// posts (threads); 45 to posts the log does not hold (counted, not followed)".
    static func repliesSentence(_ d: ConversationReport.ReplyDelays) -> String {
        var parts: [String] = []
        if d.replies > 0 {
            var text = "\(Format.count(d.replies, "reply", "replies")) to another account's post in the log"
            if let p50 = d.p50Seconds, let p90 = d.p90Seconds { text += ", median \(Format.duration(seconds: p50)) later (p90 \(Format.duration(seconds: p90)))" }
            parts.append(text)
        }
        if d.toOwnPosts > 0 { parts.append("\(Format.grouped(d.toOwnPosts)) to their own posts (threads)") }
        if d.toPostsNotInLog > 0 { parts.append("\(Format.grouped(d.toPostsNotInLog)) to posts the log does not hold (counted, not followed)") }
        return parts.isEmpty ? "no reply" : parts.joined(separator: "; ")
    }

    /// "89.1% of the conversation on Twitter, then Instagram 5.0%, …".
    static func channelSentence(_ facts: EventFacts) -> String {
        let channels = ShareFigures.channelCounts(facts)
        guard let top = channels.first else { return "no original post" }
        if channels.count == 1 { return "all of the conversation on \(top.channel.displayName) (a single channel)" }
        let total = Double(facts.postCount)
        return "\(Format.percent(Double(top.posts) / total)) of the conversation on \(top.channel.displayName), then "
            + channels.dropFirst().map { "\($0.channel.displayName) \(Format.percent(Double($0.posts) / total))" }.joined(separator: ", ")
    }

    /// The hashtags a listening rule had to catch up with first (with how long it took), then the
    /// ones already covered and the ones never covered, by name only.
    static func emergingSentence(_ emerging: [HashtagProjection.Emerging], _ clock: ReportClock) -> String {
        guard !emerging.isEmpty else { return "none emerged (the event's own hashtags are not counted)" }
        var parts = emerging.filter { $0.secondsToRule != nil && !$0.coveredBefore }.map { e in
            "#\(e.tag) at \(clock.minute(e.emergedAt.milliseconds)), listening rule \(Format.duration(seconds: e.secondsToRule!)) later"
        }
        let covered = emerging.filter(\.coveredBefore).map { "#" + $0.tag }
        let never = emerging.filter { $0.ruleAddedAt == nil }.map { "#" + $0.tag }
        if !covered.isEmpty { parts.append("already covered by a rule when they emerged: " + covered.joined(separator: ", ")) }
        if !never.isEmpty { parts.append("never covered by a rule: " + never.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// "14 volunteers: 6 ambassador, 2 stream monitor, … (roles at the end of the log)".
    static func teamSentence(_ facts: EventFacts) -> String {
        let known = facts.roster.volunteers.filter { $0.role != nil }
        guard !known.isEmpty else {
            let actors = facts.perVolunteer.filter { $0.value.replies > 0 }.count
            return "no volunteer joined in this log, so roles are unknown" + (actors > 0 ? " (\(Format.grouped(actors)) people replied)" : "")
        }
        var byRole: [Role: Int] = [:]
        for v in known { byRole[v.role!, default: 0] += 1 }
        return "\(Format.grouped(known.count)) volunteers: " + Role.allCases.compactMap { role in
            byRole[role].map { n in
                let name = Optional(role).displayName
                // "photo-focus" and "live tweets" name the work, not the person: no plural.
                return Format.count(n, name, role == .photo || role == .liveTweets ? name : nil)
            }
        }.joined(separator: ", ") + " (roles at the end of the log)"
    }

    /// `text` as one shell word.
    static func shellQuoted(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+:@%".contains($0) }
        return plain && !text.isEmpty ? text : "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
