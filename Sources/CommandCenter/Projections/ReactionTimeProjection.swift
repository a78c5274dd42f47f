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
///
/// The posts are kept as columns (``Columns``, one array per field, ids for strings): a report
/// reads two or three columns of every post, and a post costs about 130 bytes. ``posts`` gives
/// them as values with their strings.
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
    }

    /// The inbound posts as columns, row `i` the `i`-th received. Times in milliseconds,
    /// `Int64.min` for none; people as ``Stamp``s (``Stamp/nobody`` for none).
    struct Columns: Equatable, Sendable {
        /// The post's id in ``Symbols/posts``.
        var post: [Int32] = []
        var channel: [UInt8] = []
        /// Each post's run of ``hashtagPool`` (distinct ids in ``Symbols/hashtags``).
        var hashtagStart: [UInt32] = []
        var hashtagCount: [UInt16] = []
        var hashtagPool: [UInt32] = []
        var postedAt: [Int64] = []
        var receivedAt: [Int64] = []
        var firstReplyAt: [Int64] = []
        var responder: [Stamp] = []
        var firstAssignedAt: [Int64] = []
        var assignee: [Stamp] = []
        var assigner: [Stamp] = []
        var resolvedAt: [Int64] = []
        var resolver: [Stamp] = []
        /// ``Outcome/code``, `0xFF` while unresolved.
        var outcome: [UInt8] = []
        /// Head of the list of escalations still open (index into the escalations, −1 for none).
        var openEscalation: [Int32] = []
        /// The seq of the event that last changed the post: what a snapshot delta writes again.
        var changedAt: [UInt64] = []

        var count: Int { post.count }

        mutating func reserveCapacity(_ n: Int) {
            post.reserveCapacity(n); channel.reserveCapacity(n); hashtagStart.reserveCapacity(n); hashtagCount.reserveCapacity(n)
            postedAt.reserveCapacity(n); receivedAt.reserveCapacity(n); firstReplyAt.reserveCapacity(n); responder.reserveCapacity(n)
            firstAssignedAt.reserveCapacity(n); assignee.reserveCapacity(n); assigner.reserveCapacity(n)
            resolvedAt.reserveCapacity(n); resolver.reserveCapacity(n); outcome.reserveCapacity(n)
            openEscalation.reserveCapacity(n); changedAt.reserveCapacity(n)
        }

        /// A row for a post just received: nothing happened to it yet.
        mutating func append(post id: Int32, channel code: UInt8, postedAt posted: Int64, receivedAt received: Int64, changedAt seq: UInt64) {
            post.append(id); channel.append(code); hashtagStart.append(UInt32(hashtagPool.count)); hashtagCount.append(0)
            postedAt.append(posted); receivedAt.append(received); firstReplyAt.append(.min); responder.append(.nobody)
            firstAssignedAt.append(.min); assignee.append(.nobody); assigner.append(.nobody)
            resolvedAt.append(.min); resolver.append(.nobody); outcome.append(0xFF)
            openEscalation.append(-1); changedAt.append(seq)
        }

        /// The hashtag ids of row `i`.
        func hashtags(_ i: Int) -> ArraySlice<UInt32> {
            let start = Int(hashtagStart[i])
            return hashtagPool[start..<start + Int(hashtagCount[i])]
        }
    }

    /// One escalation, with ids.
    struct EscalationRow: Equatable, Sendable {
        /// The row of its post in ``Columns``.
        var post: Int32
        var escalatedAt: Int64
        var escalator: Stamp
        /// In ``Symbols/names``.
        var to: UInt32
        /// `Int64.min` while open.
        var resolvedAt: Int64 = .min
        var resolver: Stamp = .nobody
        /// The next open escalation of the same post (−1 for none).
        var nextOpen: Int32 = -1
        /// The seq of the event that last changed the escalation.
        var changedAt: UInt64 = 0
    }

    var columns = Columns()
    var escalationRows: [EscalationRow] = []
    /// Post id → row in ``columns``, −1 for a post that is not inbound (yet); shorter than the
    /// post table when the last posts are not inbound.
    var rowOfPost: [Int32] = []
    /// `postReceived` events with `isRepost == true`, left out of every figure.
    public internal(set) var repostsExcluded = 0
    /// The seq of the event being applied.
    var currentSeq: UInt64 = 0
    /// The log's ids and the roster, for the accessors by string and for ``apply(_:seq:)``;
    /// inside ``Statistics`` they are the statistics' own, lent to each call.
    var symbols = Symbols()
    var rosterState = Roster()

    /// Creates an empty projection.
    public init() {}

    /// The inbound posts, in order of receipt.
    public var posts: [Post] { (0..<columns.count).map { post(row: $0) } }

    /// Every escalation of an inbound post, in log order.
    public var escalations: [Escalation] {
        escalationRows.map { e in
            Escalation(
                post: Int(e.post), escalatedAt: e.escalatedAt, escalator: e.escalator.actorStamp(symbols)!,
                to: symbols.names[e.to], resolvedAt: e.resolvedAt == .min ? nil : e.resolvedAt,
                resolver: e.resolver.actorStamp(symbols)
            )
        }
    }

    /// Volunteer roles and teams over time, for the role at the time of each action.
    public var roster: Roster {
        var roster = rosterState
        roster.symbols = symbols
        return roster
    }

    /// Folds one event.
    public mutating func apply(_ event: Event, seq: UInt64) {
        var view = EventView(event)
        try! symbols.intern(&view)
        rosterState.observe(event.at)
        apply(view, seq: seq, symbols: symbols, roster: rosterState)
        rosterState.apply(view)
    }

    /// The inbound post with id `id`, if received.
    public func post(_ id: String) -> Post? {
        guard let post = symbols.post(PostKey(id)), let row = row(of: post) else { return nil }
        return self.post(row: row)
    }

    private func post(row i: Int) -> Post {
        let c = columns
        func time(_ ms: Int64) -> Int64? { ms == .min ? nil : ms }
        return Post(
            id: symbols.postKeys[Int(c.post[i])].id, channel: Channel(code: c.channel[i]) ?? .other,
            hashtags: c.hashtags(i).map { symbols.hashtags[$0] }, postedAt: c.postedAt[i], receivedAt: c.receivedAt[i],
            firstReplyAt: time(c.firstReplyAt[i]), responder: c.responder[i].actorStamp(symbols),
            firstAssignedAt: time(c.firstAssignedAt[i]), assignee: c.assignee[i].actorStamp(symbols),
            assigner: c.assigner[i].actorStamp(symbols), resolvedAt: time(c.resolvedAt[i]),
            resolver: c.resolver[i].actorStamp(symbols), outcome: Outcome(code: c.outcome[i])
        )
    }

    @inline(__always)
    func row(of post: Int32) -> Int? {
        guard post >= 0, Int(post) < rowOfPost.count else { return nil }
        let row = rowOfPost[Int(post)]
        return row < 0 ? nil : Int(row)
    }

    // MARK: Per kind (also called by ``Statistics``, which switches once for all projections)

    /// Folds an event read in place, interned in `symbols`, the roster as of before it.
    mutating func apply(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols, roster: borrowing Roster) {
        currentSeq = seq
        switch event.kind {
        case .postReceived: received(event, symbols: symbols)
        case .replied: replied(event.ids.post, by: roster.stamp(of: event.ids.actor), at: event.at)
        case .postAssigned:
            assigned(event.ids.post, to: roster.stamp(of: event.ids.person), by: roster.stamp(of: event.ids.actor), at: event.at)
        case .postResolved:
            resolved(event.ids.post, outcome: event.outcome?.code ?? 0xFF, by: roster.stamp(of: event.ids.actor), at: event.at)
        case .escalated: escalated(event.ids.post, to: event.ids.person, by: roster.stamp(of: event.ids.actor), at: event.at)
        case .escalationResolved: escalationResolved(event.ids.post, by: roster.stamp(of: event.ids.actor), at: event.at)
        default: break
        }
    }

    @inline(__always)
    mutating func received(_ event: borrowing EventView, symbols: borrowing Symbols) {
        if event.isRepost {
            repostsExcluded += 1
            return
        }
        let post = event.ids.post
        // The first inbound `postReceived` of a post counts (a repeat of a repost may).
        if row(of: post) != nil { return }
        if rowOfPost.count <= Int(post) {
            rowOfPost.append(contentsOf: repeatElement(-1, count: Int(post) + 1 - rowOfPost.count))
        }
        rowOfPost[Int(post)] = Int32(columns.count)
        columns.append(
            post: post, channel: event.channel?.code ?? Channel.other.code, postedAt: event.postedAt?.milliseconds ?? 0,
            receivedAt: event.at.milliseconds, changedAt: currentSeq
        )
        let tags = symbols.eventHashtags
        var distinct: UInt16 = 0
        for (n, tag) in tags.enumerated() where !tags[..<n].contains(tag) {
            columns.hashtagPool.append(tag)
            distinct += 1
        }
        columns.hashtagCount[columns.count - 1] = distinct
    }

    @inline(__always)
    mutating func replied(_ post: Int32, by responder: Stamp, at: Timestamp) {
        guard let i = row(of: post), columns.firstReplyAt[i] == .min else { return }
        columns.firstReplyAt[i] = at.milliseconds
        columns.responder[i] = responder
        columns.changedAt[i] = currentSeq
    }

    @inline(__always)
    mutating func assigned(_ post: Int32, to assignee: Stamp, by assigner: Stamp, at: Timestamp) {
        guard let i = row(of: post), columns.firstAssignedAt[i] == .min else { return }
        columns.firstAssignedAt[i] = at.milliseconds
        columns.assignee[i] = assignee
        columns.assigner[i] = assigner
        columns.changedAt[i] = currentSeq
    }

    @inline(__always)
    mutating func resolved(_ post: Int32, outcome: UInt8, by resolver: Stamp, at: Timestamp) {
        guard let i = row(of: post), columns.resolvedAt[i] == .min else { return }
        columns.resolvedAt[i] = at.milliseconds
        columns.outcome[i] = outcome
        columns.resolver[i] = resolver
        columns.changedAt[i] = currentSeq
    }

    mutating func escalated(_ post: Int32, to: UInt32, by escalator: Stamp, at: Timestamp) {
        guard let i = row(of: post) else { return }
        // Pushed on the post's list of open escalations; order within it does not matter, since
        // one `escalationResolved` ends them all.
        let e = Int32(escalationRows.count)
        escalationRows.append(EscalationRow(
            post: Int32(i), escalatedAt: at.milliseconds, escalator: escalator, to: to,
            nextOpen: columns.openEscalation[i], changedAt: currentSeq
        ))
        columns.openEscalation[i] = e
        columns.changedAt[i] = currentSeq
    }

    mutating func escalationResolved(_ post: Int32, by resolver: Stamp, at: Timestamp) {
        guard let i = row(of: post) else { return }
        var e = columns.openEscalation[i]
        guard e >= 0 else { return }
        while e >= 0 {
            let k = Int(e)
            escalationRows[k].resolvedAt = at.milliseconds
            escalationRows[k].resolver = resolver
            e = escalationRows[k].nextOpen
            escalationRows[k].nextOpen = -1
            escalationRows[k].changedAt = currentSeq
        }
        columns.openEscalation[i] = -1
        columns.changedAt[i] = currentSeq
    }

    // MARK: Report

    /// The four metrics over the inbound posts posted at or after `postedSince` (all of them
    /// when `nil`), and those posts' escalations.
    func overall(target: Int, postedSince: Int64? = nil) -> [Metric: DurationSummary] {
        let since = postedSince ?? .min
        let postedAt = columns.postedAt
        var result: [Metric: DurationSummary] = [:]
        for metric in Metric.postMetrics {
            var samples = DurationSamples()
            samples.reserveCapacity(columns.count)
            let (start, end) = (metric.start(columns), metric.end(columns))
            for i in 0..<columns.count where postedAt[i] >= since { samples.add(from: start[i], to: end[i]) }
            result[metric] = samples.summary(targetSeconds: target)
        }
        var escalation = DurationSamples()
        for e in escalationRows where postedAt[Int(e.post)] >= since { escalation.add(from: e.escalatedAt, to: e.resolvedAt) }
        result[.escalation] = escalation.summary(targetSeconds: target)
        return result
    }

    /// The four metrics grouped by `key`: group value → metric → summary (posts as
    /// ``overall(target:postedSince:)`` takes them).
    func grouped(by key: GroupingKey, target: Int, symbols: Symbols, postedSince: Int64? = nil) -> [String: GroupSummary] {
        let since = postedSince ?? .min
        let postedAt = columns.postedAt
        let groups = Groups(key: key, symbols: symbols, columns: columns)
        var samples = Array(repeating: Array(repeating: DurationSamples(), count: 4), count: groups.count)
        for metric in Metric.postMetrics {
            let (start, end, actor) = (metric.start(columns), metric.end(columns), metric.actor(columns))
            for i in 0..<columns.count where postedAt[i] >= since {
                groups.forEachGroup(of: i, actor: actor?[i]) { group in samples[group][metric.index].add(from: start[i], to: end[i]) }
            }
        }
        for e in escalationRows where postedAt[Int(e.post)] >= since {
            groups.forEachGroup(of: Int(e.post), actor: e.resolver) { group in
                samples[group][Metric.escalation.index].add(from: e.escalatedAt, to: e.resolvedAt)
            }
        }
        // Two groups may share a name (a team called "none", a volunteer called "unanswered"):
        // their samples count together, as the definitions group by the printed value.
        var byName: [String: [DurationSamples]] = [:]
        for (group, metrics) in samples.enumerated() where metrics.contains(where: { $0.posts > 0 }) {
            let name = groups.name(group)
            if let known = byName[name] {
                byName[name] = zip(known, metrics).map { $0.merged(with: $1) }
            } else {
                byName[name] = metrics
            }
        }
        return byName.mapValues { metrics in
            GroupSummary(
                firstResponse: metrics[0].summary(targetSeconds: target), timeToAssign: metrics[1].summary(targetSeconds: target),
                timeToResolve: metrics[2].summary(targetSeconds: target), escalation: metrics[3].summary(targetSeconds: target)
            )
        }
    }

    /// The groups of one key, each a dense index: the values a key can take are few (channels,
    /// hours, roles) or already integers (days, hashtag and name ids), so no hashing per post.
    private struct Groups {
        let key: GroupingKey
        let symbols: Symbols
        let columns: Columns
        /// `.day`: day number → group, and the day numbers in group order.
        let dayGroups: [Int64: Int]
        let days: [Int64]
        /// How many groups the key has (some may stay empty).
        let count: Int

        init(key: GroupingKey, symbols: Symbols, columns: Columns) {
            self.key = key
            self.symbols = symbols
            self.columns = columns
            if key == .day {
                days = Set(columns.postedAt.map { $0.floorDividedBy(TimeKeys.dayMs).quotient }).sorted()
                dayGroups = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) })
            } else {
                (days, dayGroups) = ([], [:])
            }
            count = switch key {
            case .channel: Channel.allCases.count
            case .hour: 24
            case .day: days.count
            case .hashtag: symbols.hashtags.count
            // The last group is "unanswered" (and for teams the one before it "no team").
            case .volunteer: symbols.names.count + 1
            case .role: Roster.slotCount + 1
            case .team: symbols.names.count + 2
            }
        }

        /// Calls `body` with the group of each value of the key for row `i`, for an interval
        /// ended by `actor` (``Stamp/nobody``: not ended).
        @inline(__always)
        func forEachGroup(of i: Int, actor: Stamp?, _ body: (Int) -> Void) {
            let last = count - 1
            switch key {
            case .channel: body(Int(columns.channel[i]))
            case .hour: body(Int(columns.postedAt[i].floorDividedBy(TimeKeys.dayMs).remainder / TimeKeys.hourMs))
            case .day: body(dayGroups[columns.postedAt[i].floorDividedBy(TimeKeys.dayMs).quotient]!)
            case .hashtag: for tag in columns.hashtags(i) { body(Int(tag)) }
            case .volunteer: body(actor.map { $0.isNobody ? last : Int($0.person) } ?? last)
            case .role: body(actor.map { $0.isNobody ? last : ($0.role == Roster.noRole ? Roster.unknownSlot : Int($0.role)) } ?? last)
            case .team: body(actor.map { $0.isNobody ? last : ($0.team == EventIDs.none ? last - 1 : Int($0.team)) } ?? last)
            }
        }

        /// The name of group `group` in the report.
        func name(_ group: Int) -> String {
            let last = count - 1
            switch key {
            case .channel: return Channel(code: UInt8(group))?.rawValue ?? "other"
            case .hour: return group < 10 ? "0\(group)" : "\(group)"
            case .day: return TimeKeys.day(days[group] &* TimeKeys.dayMs)
            case .hashtag: return symbols.hashtags[UInt32(group)]
            case .volunteer: return group == last ? GroupingKey.unanswered : symbols.names[UInt32(group)]
            case .role: return group == last ? GroupingKey.unanswered : Roster.role(ofSlot: group)?.rawValue ?? GroupingKey.unknownRole
            case .team: return group == last ? GroupingKey.unanswered : group == last - 1 ? GroupingKey.noTeam : symbols.names[UInt32(group)]
            }
        }
    }

    /// The four duration metrics.
    enum Metric: Hashable, CaseIterable {
        case firstResponse, timeToAssign, timeToResolve, escalation

        static let postMetrics: [Metric] = [.firstResponse, .timeToAssign, .timeToResolve]

        var index: Int {
            switch self {
            case .firstResponse: 0
            case .timeToAssign: 1
            case .timeToResolve: 2
            case .escalation: 3
            }
        }

        func start(_ c: Columns) -> [Int64] { self == .firstResponse ? c.postedAt : c.receivedAt }

        func end(_ c: Columns) -> [Int64] {
            switch self {
            case .firstResponse: c.firstReplyAt
            case .timeToAssign: c.firstAssignedAt
            case .timeToResolve, .escalation: c.resolvedAt
            }
        }

        /// Whose action ends the interval: the responder, the assignee (not the assigner), the
        /// resolver.
        func actor(_ c: Columns) -> [Stamp]? {
            switch self {
            case .firstResponse: c.responder
            case .timeToAssign: c.assignee
            case .timeToResolve: c.resolver
            case .escalation: nil
            }
        }
    }
}
