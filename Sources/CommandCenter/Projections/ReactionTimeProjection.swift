/// Per inbound post, the times the reaction-time statistics need: when it was posted and
/// received, its first reply, first assignment, first resolution, and its escalations, each with
/// who did it and the role and team they had at that moment.
///
/// Inbound posts are `postReceived` events with `isRepost == false`; a repost is counted in
/// ``repostsExcluded`` and otherwise ignored, as is any later event about it or about a post the
/// log never received (our own `postPublished` posts included). A second `postReceived` for a
/// post id already known is ignored (the first one counts).
///
/// Definitions (`Schemas/cli/stats.md`): first response = first `replied.at` − `postedAt`;
/// time to assign = first `postAssigned.at` − `postReceived.at`; time to resolve = first
/// `postResolved.at` − `postReceived.at`; escalation time = `escalationResolved.at` −
/// `escalated.at`, where an `escalationResolved` ends every escalation of that post still open.
public struct ReactionTimeProjection: Projection, Equatable, Sendable {
    /// One inbound post.
    public struct Post: Equatable, Sendable {
        /// The post id.
        public var id: String
        /// The channel.
        public var channel: Channel
        /// The hashtags, without duplicates, in the order of the event.
        public var hashtags: [String]
        /// `postedAt` of the platform, in milliseconds.
        public var postedAt: Int64
        /// `at` of `postReceived`, in milliseconds.
        public var receivedAt: Int64
        /// `at` of the first `replied`; `nil` while unanswered.
        public var firstReplyAt: Int64?
        /// Who replied first, with the role and team they had when replying.
        public var responder: ActorStamp?
        /// `at` of the first `postAssigned`.
        public var firstAssignedAt: Int64?
        /// The first assignee (`to`), with their role and team at assignment time.
        public var assignee: ActorStamp?
        /// Who made the first assignment (the actor), with their role and team then.
        public var assigner: ActorStamp?
        /// `at` of the first `postResolved`.
        public var resolvedAt: Int64?
        /// Who resolved it first, with their role and team then.
        public var resolver: ActorStamp?
        /// The outcome of that first `postResolved`; `nil` while unresolved.
        public var outcome: Outcome?
        /// Head of the list of escalations still open (index into escalations, −1 for none).
        var openEscalation: Int32 = -1
        /// The seq of the event that last changed the post: what a snapshot delta writes again.
        var changedAt: UInt64 = 0
    }

    /// One escalation of an inbound post.
    public struct Escalation: Equatable, Sendable {
        /// Index of the post in ``posts``.
        public var post: Int
        /// `at` of `escalated`, in milliseconds.
        public var escalatedAt: Int64
        /// Who escalated, with their role and team then.
        public var escalator: ActorStamp
        /// The `to` of the escalation.
        public var to: String
        /// `at` of the `escalationResolved` that ended it; `nil` while open.
        public var resolvedAt: Int64?
        /// Who resolved it, with their role and team then.
        public var resolver: ActorStamp?
        /// The next open escalation of the same post (−1 for none).
        var nextOpen: Int32 = -1
        /// The seq of the event that last changed the escalation.
        var changedAt: UInt64 = 0
    }

    var index = PostTable()
    /// The inbound posts, in order of receipt.
    public internal(set) var posts: [Post] = []
    /// Every escalation of an inbound post, in log order.
    public internal(set) var escalations: [Escalation] = []
    /// `postReceived` events with `isRepost == true`, left out of every figure.
    public internal(set) var repostsExcluded = 0
    /// Volunteer roles and teams over time, for the role at the time of each action.
    public internal(set) var roster = Roster()
    /// The seq of the event being applied.
    var currentSeq: UInt64 = 0

    /// Creates an empty projection.
    public init() {}

    /// Folds one event.
    public mutating func apply(_ event: Event, seq: UInt64) {
        observe(event.at, seq: seq)
        switch event.body {
        case .postReceived(let b): received(b, at: event.at)
        case .replied(let b): replied(b.post, actor: event.actor, at: event.at)
        case .postAssigned(let b): assigned(b, actor: event.actor, at: event.at)
        case .postResolved(let b): resolved(b.post, outcome: b.outcome, actor: event.actor, at: event.at)
        case .escalated(let b): escalated(b, actor: event.actor, at: event.at)
        case .escalationResolved(let b): escalationResolved(b.post, actor: event.actor, at: event.at)
        default: roster.apply(event)
        }
    }

    /// The inbound post with id `id`, if received.
    public func post(_ id: String) -> Post? {
        index[PostKey(id)].map { posts[Int($0)] }
    }

    // MARK: Per kind (also called by ``Statistics``, which switches once for all projections)

    /// Moves the roster's clock (open shifts count until the last event).
    @inline(__always)
    mutating func observe(_ at: Timestamp, seq: UInt64) {
        roster.observe(at)
        currentSeq = seq
    }

    mutating func received(_ b: PostReceived, at: Timestamp) {
        if b.isRepost {
            repostsExcluded += 1
            return
        }
        // One hash: insert, and put the first index back in the rare case of a duplicate.
        let key = PostKey(b.post)
        if let first = index.updateValue(Int32(posts.count), forKey: key) {
            index[key] = first
            return
        }
        posts.append(Post(
            id: b.post, channel: b.channel, hashtags: HashtagProjection.distinct(b.hashtags),
            postedAt: b.postedAt.milliseconds, receivedAt: at.milliseconds, changedAt: currentSeq
        ))
    }

    mutating func replied(_ post: String, actor: String, at: Timestamp) {
        guard let i = index[PostKey(post)].map(Int.init), posts[i].firstReplyAt == nil else { return }
        posts[i].firstReplyAt = at.milliseconds
        posts[i].responder = roster.stamp(of: actor)
        posts[i].changedAt = currentSeq
    }

    mutating func assigned(_ b: PostAssigned, actor: String, at: Timestamp) {
        guard let i = index[PostKey(b.post)].map(Int.init), posts[i].firstAssignedAt == nil else { return }
        posts[i].firstAssignedAt = at.milliseconds
        posts[i].assignee = roster.stamp(of: b.to)
        posts[i].assigner = roster.stamp(of: actor)
        posts[i].changedAt = currentSeq
    }

    mutating func resolved(_ post: String, outcome: Outcome, actor: String, at: Timestamp) {
        guard let i = index[PostKey(post)].map(Int.init), posts[i].resolvedAt == nil else { return }
        posts[i].resolvedAt = at.milliseconds
        posts[i].outcome = outcome
        posts[i].resolver = roster.stamp(of: actor)
        posts[i].changedAt = currentSeq
    }

    mutating func escalated(_ b: Escalated, actor: String, at: Timestamp) {
        guard let i = index[PostKey(b.post)].map(Int.init) else { return }
        // Pushed on the post's list of open escalations; order within it does not matter, since
        // one `escalationResolved` ends them all.
        let e = Int32(escalations.count)
        escalations.append(Escalation(
            post: i, escalatedAt: at.milliseconds, escalator: roster.stamp(of: actor), to: b.to,
            nextOpen: posts[i].openEscalation, changedAt: currentSeq
        ))
        posts[i].openEscalation = e
        posts[i].changedAt = currentSeq
    }

    mutating func escalationResolved(_ post: String, actor: String, at: Timestamp) {
        guard let i = index[PostKey(post)].map(Int.init) else { return }
        var e = posts[i].openEscalation
        guard e >= 0 else { return }
        let resolver = roster.stamp(of: actor)
        while e >= 0 {
            let k = Int(e)
            escalations[k].resolvedAt = at.milliseconds
            escalations[k].resolver = resolver
            e = escalations[k].nextOpen
            escalations[k].nextOpen = -1
            escalations[k].changedAt = currentSeq
        }
        posts[i].openEscalation = -1
        posts[i].changedAt = currentSeq
    }

    // MARK: Report

    /// The four metrics over the inbound posts posted at or after `postedSince` (all of them
    /// when `nil`), and those posts' escalations.
    func overall(target: Int, postedSince: Int64? = nil) -> [Metric: DurationSummary] {
        var samples: [Metric: DurationSamples] = [:]
        for metric in Metric.allCases { samples[metric] = DurationSamples() }
        for post in posts where post.postedAt >= postedSince ?? .min {
            for metric in Metric.postMetrics {
                samples[metric, default: DurationSamples()].add(from: metric.start(post), to: metric.end(post))
            }
        }
        var escalation = DurationSamples()
        for e in escalations where posts[e.post].postedAt >= postedSince ?? .min { escalation.add(from: e.escalatedAt, to: e.resolvedAt) }
        samples[.escalation] = escalation
        return samples.mapValues { $0.summary(targetSeconds: target) }
    }

    /// The four metrics grouped by `key`: group value → metric → summary (posts as ``overall(target:postedSince:)`` takes them).
    func grouped(by key: GroupingKey, target: Int, postedSince: Int64? = nil) -> [String: GroupSummary] {
        var groups: [String: [Metric: DurationSamples]] = [:]
        for post in posts where post.postedAt >= postedSince ?? .min {
            for metric in Metric.postMetrics {
                let start = metric.start(post)
                let end = metric.end(post)
                Self.forEachValue(of: key, post: post, actor: metric.actor(post)) { value in
                    groups[value, default: [:]][metric, default: DurationSamples()].add(from: start, to: end)
                }
            }
        }
        for e in escalations where posts[e.post].postedAt >= postedSince ?? .min {
            Self.forEachValue(of: key, post: posts[e.post], actor: e.resolver) { value in
                groups[value, default: [:]][.escalation, default: DurationSamples()]
                    .add(from: e.escalatedAt, to: e.resolvedAt)
            }
        }
        return groups.mapValues { metrics in
            func summary(_ m: Metric) -> DurationSummary {
                (metrics[m] ?? DurationSamples()).summary(targetSeconds: target)
            }
            return GroupSummary(
                firstResponse: summary(.firstResponse), timeToAssign: summary(.timeToAssign),
                timeToResolve: summary(.timeToResolve), escalation: summary(.escalation)
            )
        }
    }

    /// The group values of `key` for an interval of `post` ended by `actor` (`nil`: not ended).
    private static func forEachValue(
        of key: GroupingKey, post: Post, actor: ActorStamp?, _ body: (String) -> Void
    ) {
        switch key {
        case .channel: body(post.channel.rawValue)
        case .hour: body(TimeKeys.hourOfDay(post.postedAt))
        case .day: body(TimeKeys.day(post.postedAt))
        case .hashtag: for tag in post.hashtags { body(tag) }
        case .volunteer: body(actor?.id ?? GroupingKey.unanswered)
        case .role: body(actor.map { $0.role?.rawValue ?? GroupingKey.unknownRole } ?? GroupingKey.unanswered)
        case .team: body(actor.map { $0.team ?? GroupingKey.noTeam } ?? GroupingKey.unanswered)
        }
    }

    /// The four duration metrics.
    enum Metric: Hashable, CaseIterable {
        case firstResponse, timeToAssign, timeToResolve, escalation

        static let postMetrics: [Metric] = [.firstResponse, .timeToAssign, .timeToResolve]

        func start(_ p: Post) -> Int64 { self == .firstResponse ? p.postedAt : p.receivedAt }

        func end(_ p: Post) -> Int64? {
            switch self {
            case .firstResponse: p.firstReplyAt
            case .timeToAssign: p.firstAssignedAt
            case .timeToResolve: p.resolvedAt
            case .escalation: nil
            }
        }

        /// Whose action ends the interval: the responder, the assignee (not the assigner), the
        /// resolver.
        func actor(_ p: Post) -> ActorStamp? {
            switch self {
            case .firstResponse: p.responder
            case .timeToAssign: p.assignee
            case .timeToResolve: p.resolver
            case .escalation: nil
            }
        }
    }
}
