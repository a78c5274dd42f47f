/// Every statistics projection in one: reaction times, channel share, volume, workload and
/// hashtags, fed by a single `apply` that switches on the event once and calls each part.
///
/// Replaying the same events always gives an equal value (`==`), which is how the tests check
/// that a projection depends on the events only.
public struct Statistics: Projection, Equatable, Sendable {
    /// The response-time target, in seconds (`withinTarget`).
    public var target: Int
    /// Per-post reaction times.
    public internal(set) var reactionTimes = ReactionTimeProjection()
    /// Inbound posts per channel.
    public internal(set) var channelShare = ChannelShareProjection()
    /// Inbound posts over time.
    public internal(set) var volume = VolumeProjection()
    /// Work per volunteer and role.
    public internal(set) var workload = WorkloadProjection()
    /// Hashtags over time and emerging ones.
    public internal(set) var hashtags = HashtagProjection()
    /// The whole conversation, reposts included, and the event's description.
    public internal(set) var conversation = ConversationProjection()
    /// Events applied.
    public internal(set) var events = 0
    /// `at` of the first event applied.
    public internal(set) var firstAt: Timestamp?
    /// `at` of the last event applied.
    public internal(set) var lastAt: Timestamp?
    /// `seq` of the last event applied.
    public internal(set) var lastSeq: UInt64 = 0

    /// Creates empty statistics.
    /// - Parameter target: the response-time target in seconds (default 15 minutes).
    public init(target: Int = 900) {
        self.target = target
    }

    /// Who is who as of the last event applied.
    public var roster: Roster { workload.roster }

    /// Folds one event into every part.
    public mutating func apply(_ event: Event, seq: UInt64) {
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
        workload.observe(at)
        reactionTimes.observe(at, seq: seq)
        switch event.body {
        case .postReceived(let b):
            reactionTimes.received(b, at: at)
            channelShare.received(b)
            volume.received(b)
            hashtags.received(b)
            conversation.received(b, seq: seq)
        case .replied(let b):
            reactionTimes.replied(b.post, actor: event.actor, at: at)
            workload.replied(actor: event.actor)
        case .postAssigned(let b):
            reactionTimes.assigned(b, actor: event.actor, at: at)
            workload.assigned(to: b.to, actor: event.actor)
        case .postResolved(let b):
            reactionTimes.resolved(b.post, outcome: b.outcome, actor: event.actor, at: at)
        case .escalated(let b):
            reactionTimes.escalated(b, actor: event.actor, at: at)
            workload.escalated(actor: event.actor)
        case .escalationResolved(let b):
            reactionTimes.escalationResolved(b.post, actor: event.actor, at: at)
        case .postPublished:
            workload.published(actor: event.actor)
        case .noteAdded:
            workload.noted(actor: event.actor)
        case .volunteerJoined, .volunteerLeft, .roleChanged, .shiftStarted, .shiftEnded:
            reactionTimes.apply(event, seq: seq)
            workload.apply(event, seq: seq)
        case .listeningRuleAdded, .listeningRuleRemoved:
            hashtags.apply(event, seq: seq)
        case .eventDescribed(let b):
            conversation.described(b)
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
        let overall = reactionTimes.overall(target: target, postedSince: postedSince?.milliseconds)
        var by: [String: [String: GroupSummary]] = [:]
        for key in keys { by[key.rawValue] = reactionTimes.grouped(by: key, target: target, postedSince: postedSince?.milliseconds) }
        var shares: [String: Double] = [:]
        for (channel, share) in channelShare.shares() { shares[channel.rawValue] = share }
        var roles: [String: WorkloadProjection.Counts] = [:]
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
        reactionTimes.overall(target: target, postedSince: postedSince.milliseconds)[.firstResponse]!
    }
}
