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
    }

    /// The figures, in reading order.
    public var items: [Item]
    /// `smcc verify LOG --head SEQ:HEX`, or `nil` for an empty log.
    public var verifyCommand: String?

    /// The value of the item labelled `label`.
    public func text(_ label: String) -> String? { items.first { $0.label == label }?.text }

    /// The key figures of `facts`.
    public init(_ facts: EventFacts) {
        let r = facts.report
        let fr = r.firstResponse
        var items: [Item] = []
        func add(_ label: String, _ text: String) { items.append(Item(label: label, text: text)) }

        var posts = "\(Format.grouped(facts.postCount)) inbound posts"
        if r.repostsExcluded > 0 { posts += " (and \(Format.count(r.repostsExcluded, "repost")), left out of every figure)" }
        if let first = r.firstAt, let last = r.lastAt {
            posts += ", \(UTCCalendar.minute(first.milliseconds)) to \(UTCCalendar.minute(last.milliseconds)), \(Format.grouped(r.events)) events"
        }
        add("posts", posts)
        add("channel share", Self.channelSentence(facts))
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
        if let busiest = r.volume.perHour.enumerated().max(by: { $0.element.total != $1.element.total ? $0.element.total < $1.element.total : $0.offset > $1.offset })?.element {
            let start = busiest.start.milliseconds
            add("busiest hour", "\(UTCCalendar.minute(start).dropLast(4))–\(UTCCalendar.clock(start + UTCCalendar.hourMs)) UTC, \(Format.grouped(busiest.total)) posts")
        }
        add("team", Self.teamSentence(facts))
        if facts.topHashtags.isEmpty {
            add("top hashtags", "no post carries a hashtag")
        } else {
            add("top hashtags", facts.topHashtags.prefix(5).map { "#\($0.tag) \(Format.grouped($0.posts))" }.joined(separator: ", "))
        }
        add("emerging hashtags", Self.emergingSentence(r.hashtags.emerging))
        let esc = r.escalation
        if esc.posts == 0 {
            add("escalations", "none")
        } else {
            add("escalations", "\(Format.count(esc.posts, "escalation")), \(Format.grouped(esc.answered)) resolved"
                + (esc.p50Seconds.map { ", median \(Format.duration(seconds: $0)) to resolve" } ?? ""))
        }
        let desk = facts.finalDesk.queuesDocument(limit: 0).counts
        add("left at the end", "\(Format.grouped(desk.triage)) in triage, \(Format.grouped(desk.assigned)) assigned, \(Format.grouped(desk.escalations)) escalations open")
        if let head = facts.head {
            add("log head", head)
            verifyCommand = "smcc verify \(Self.shellQuoted(facts.log)) --head \(head)"
        } else {
            add("log head", "none: the log is empty")
            verifyCommand = nil
        }
        self.items = items
    }

    /// "89.1% of the conversation on Twitter, then Instagram 5.0%, …".
    static func channelSentence(_ facts: EventFacts) -> String {
        let channels = ShareFigures.channelCounts(facts)
        guard let top = channels.first else { return "no inbound posts" }
        if channels.count == 1 { return "all of the conversation on \(top.channel.displayName) (a single channel)" }
        let total = Double(facts.postCount)
        return "\(Format.percent(Double(top.posts) / total)) of the conversation on \(top.channel.displayName), then "
            + channels.dropFirst().map { "\($0.channel.displayName) \(Format.percent(Double($0.posts) / total))" }.joined(separator: ", ")
    }

    /// The hashtags a listening rule had to catch up with first (with how long it took), then the
    /// ones already covered and the ones never covered, by name only.
    static func emergingSentence(_ emerging: [HashtagProjection.Emerging]) -> String {
        guard !emerging.isEmpty else { return "none emerged" }
        var parts = emerging.filter { $0.secondsToRule != nil && !$0.coveredBefore }.map { e in
            "#\(e.tag) at \(UTCCalendar.minute(e.emergedAt.milliseconds)), listening rule \(Format.duration(seconds: e.secondsToRule!)) later"
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
