/// Every statistics projection in one: reaction times, channel share, volume, workload and
/// hashtags, fed by a single `apply` that switches on the event once and calls each part.
///
/// Replaying the same events always gives an equal value (`==`), which is how the tests check
/// that a projection depends on the events only.
public struct Statistics: Projection, Equatable, Sendable {
    /// The response-time target, in seconds (`withinTarget`).
    public var target: Int
    /// Per-post reaction times.
    public var reactionTimes: ReactionTimeProjection {
        var part = reactionTimeState
        (part.symbols, part.rosterState) = (symbols, rosterState)
        return part
    }
    /// Inbound posts per channel.
    public internal(set) var channelShare = ChannelShareProjection()
    /// Inbound posts over time.
    public internal(set) var volume = VolumeProjection()
    /// Work per volunteer and role.
    public var workload: WorkloadProjection {
        var part = workloadState
        (part.symbols, part.rosterState) = (symbols, rosterState)
        return part
    }
    /// Hashtags over time and emerging ones.
    public var hashtags: HashtagProjection {
        var part = hashtagState
        part.symbols = symbols
        return part
    }
    /// The whole conversation, reposts included, and the event's description.
    public var conversation: ConversationProjection {
        var part = conversationState
        part.symbols = symbols
        return part
    }
    /// Events applied.
    public internal(set) var events = 0
    /// `at` of the first event applied.
    public internal(set) var firstAt: Timestamp?
    /// `at` of the last event applied.
    public internal(set) var lastAt: Timestamp?
    /// `seq` of the last event applied.
    public internal(set) var lastSeq: UInt64 = 0

    // The parts that name posts, people or hashtags keep ids: they share one roster and the
    // log's symbols, held here and lent to each call (the public accessors above attach them).
    var symbols = Symbols()
    var rosterState = Roster()
    var reactionTimeState = ReactionTimeProjection()
    var workloadState = WorkloadProjection()
    var hashtagState = HashtagProjection()
    var conversationState = ConversationProjection()

    /// Creates empty statistics.
    /// - Parameter target: the response-time target in seconds (default 15 minutes).
    public init(target: Int = 900) {
        self.target = target
    }

    /// Who is who as of the last event applied.
    public var roster: Roster {
        var roster = rosterState
        roster.symbols = symbols
        return roster
    }

    /// Folds one event into every part.
    public mutating func apply(_ event: Event, seq: UInt64) {
        var view = EventView(event)
        // The strings of an `Event` are valid UTF-8: interning its encoding cannot fail.
        try! symbols.intern(&view)
        apply(view, seq: seq, symbols: symbols)
    }

    /// Folds one event read in place, whose ids `symbols` interned (the replay's path: the
    /// statistics' own ``symbols`` are the replay's once it ends).
    mutating func apply(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols) {
        let at = event.at
        // The log's own administration (an erasure, an upgrade, dated when it was done, maybe
        // months after the event) is no part of the event's time span.
        guard !event.kind.isLogAdministration else {
            lastSeq = seq
            events += 1
            return
        }
        if firstAt == nil { firstAt = at }
        lastAt = at
        lastSeq = seq
        events += 1
        rosterState.observe(at)
        reactionTimeState.currentSeq = seq
        switch event.kind {
        case .postReceived:
            reactionTimeState.received(event, symbols: symbols)
            if let channel = event.channel, let postedAt = event.postedAt {
                channelShare.received(channel: channel, isRepost: event.isRepost)
                volume.received(postedAt: postedAt, channel: channel, isRepost: event.isRepost)
            }
            hashtagState.received(event, symbols: symbols)
            conversationState.received(event, seq: seq, symbols: symbols)
        case .replied, .postAssigned, .postResolved, .escalated, .escalationResolved:
            reactionTimeState.apply(event, seq: seq, symbols: symbols, roster: rosterState)
            workloadState.apply(event, roster: rosterState)
        case .postPublished, .noteAdded:
            workloadState.apply(event, roster: rosterState)
        case .volunteerJoined, .volunteerLeft, .roleChanged, .shiftStarted, .shiftEnded:
            rosterState.apply(event)
        case .listeningRuleAdded, .listeningRuleRemoved:
            hashtagState.rule(event)
        case .eventDescribed:
            if case .eventDescribed(let b)? = try? event.event().body { conversationState.described(b) }
        case .postUnassigned, .postTagged, .personalDataErased, .logUpgraded:
            break
        }
    }

    /// The figures of `smcc stats`, grouped by `keys` under `by`.
    /// - Parameters:
    ///   - keys: the groupings wanted (none: `by` is empty).
    ///   - topHashtags: how many hashtags `hashtags.top` lists.
    ///   - postedSince: when given, the four duration metrics (overall and `by`) count only the
    ///     inbound posts posted at or after it (`smcc stats --since`, the wall's last hour).
    ///   - timeZone: the zone of `conversation`'s local times; `nil` for the event's (or UTC).
    /// - Returns: the report; its definitions are in `Schemas/cli/stats.md`.
    public func report(by keys: [GroupingKey] = [], topHashtags: Int = 10, postedSince: Timestamp? = nil, timeZone: LocalZone? = nil) -> StatisticsReport {
        let overall = reactionTimeState.overall(target: target, postedSince: postedSince?.milliseconds)
        var by: [String: [String: GroupSummary]] = [:]
        for key in keys {
            by[key.rawValue] = reactionTimeState.grouped(by: key, target: target, symbols: symbols, postedSince: postedSince?.milliseconds)
        }
        var shares: [String: Double] = [:]
        for (channel, share) in channelShare.shares() { shares[channel.rawValue] = share }
        var roles: [String: WorkloadProjection.Counts] = [:]
        let workload = self.workload
        let hashtags = self.hashtags
        for (role, counts) in workload.perRole() { roles[role?.rawValue ?? GroupingKey.unknownRole] = counts }
        let top = hashtags.ranking().prefix(topHashtags).map { entry in
            var perHour: [String: Int] = [:]
            for (hour, posts) in hashtags.hourlyCounts(of: entry.tag) { perHour[hour.rfc3339] = posts }
            return HashtagSection.Top(tag: entry.tag, posts: entry.posts, perHour: perHour)
        }
        return StatisticsReport(
            firstResponse: overall[.firstResponse]!,
            timeToAssign: overall[.timeToAssign]!,
            timeToResolve: overall[.timeToResolve]!,
            escalation: overall[.escalation]!,
            channelShare: shares,
            by: by,
            volume: VolumeSection(perHour: volume.perHour()),
            workload: WorkloadSection(volunteers: workload.perVolunteer(), roles: roles),
            hashtags: HashtagSection(top: Array(top), emerging: hashtags.emerging()),
            repostsExcluded: reactionTimes.repostsExcluded,
            conversation: conversation.report(timeZone: timeZone),
            events: events,
            firstAt: firstAt,
            lastAt: lastAt
        )
    }

    /// First response over the inbound posts posted at or after `postedSince`: the
    /// `firstResponse` of ``report(by:topHashtags:postedSince:)`` without computing the rest.
    public func firstResponse(postedSince: Timestamp) -> DurationSummary {
        reactionTimeState.overall(target: target, postedSince: postedSince.milliseconds)[.firstResponse]!
    }
}
