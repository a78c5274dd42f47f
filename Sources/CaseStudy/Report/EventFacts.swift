public import CommandCenter

/// Everything the report says about one log, computed by one replay: the statistics of
/// `smcc stats` (same definitions, `Schemas/cli/stats.md`), the desk hour by hour, and who is who.
/// Plain values: rendering never goes back to the log.
public struct EventFacts: Sendable {
    /// The log as the user named it (it appears in the verify command).
    public var log: String
    /// The log's head (`SEQ:HEX`, as `smcc info` prints it); `nil` for an empty log.
    public var head: String?
    /// The statistics, grouped by hour of day.
    public var report: StatisticsReport
    /// Every inbound post with its reaction times, in order of receipt.
    public var posts: [ReactionTimeProjection.Post]
    /// Every escalation of an inbound post, in log order.
    public var escalations: [ReactionTimeProjection.Escalation]
    /// The desk at the end of every UTC hour.
    public var timeline: [DeskTimelineProjection.Sample]
    /// The desk after the last event.
    public var finalDesk: DeskState
    /// Volunteers, their roles and teams, as of the last event.
    public var roster: Roster
    /// Work per volunteer (actor) and per role at the time of the action.
    public var perVolunteer: [String: WorkloadProjection.Counts]
    public var perRole: [Role?: WorkloadProjection.Counts]
    /// The ten most used hashtags and their posts, most used first.
    public var topHashtags: [(tag: String, posts: Int)]
    /// Posts per UTC hour of the hashtags the hashtag figure draws (six at most): the three most
    /// used, then the emerging ones a listening rule picked up after they emerged, then the ones
    /// none ever covered, each by emergence time; most used first.
    public var hashtagSeries: [(tag: String, posts: Int, hours: [(hour: Timestamp, posts: Int)])]
    /// First-response durations of the answered posts, in ms (negative clamped to 0), sorted.
    /// Stored: two figures read it, and sorting it is the costly part.
    var firstResponseMilliseconds: [Int64]

    /// Replays `store` once into every projection the report needs.
    /// - Parameters:
    ///   - log: the log's path as the user wrote it.
    ///   - head: the head `SEQ:HEX` (the caller reads it from the log).
    ///   - target: the first-response target, in seconds.
    ///   - progress: called every 100,000 events with the number replayed so far.
    public static func replay(_ store: EventStore, log: String, head: String?, target: Int = 900, progress: ((UInt64) -> Void)? = nil) throws -> EventFacts {
        var both = StatisticsAndTimeline(statistics: Statistics(target: target), timeline: DeskTimelineProjection())
        try store.events { seq, event in
            both.apply(event, seq: seq)
            if seq % 100_000 == 0 { progress?(seq) }
            return true
        }
        return EventFacts(log: log, head: head, statistics: both.statistics, timeline: both.timeline)
    }

    /// The facts of events already folded (tests build them without a log).
    public init(log: String, head: String?, statistics: Statistics, timeline: DeskTimelineProjection) {
        self.log = log
        self.head = head
        report = statistics.report(by: [.hour])
        posts = statistics.reactionTimes.posts
        escalations = statistics.reactionTimes.escalations
        self.timeline = timeline.hourly()
        finalDesk = timeline.desk
        roster = statistics.roster
        perVolunteer = report.workload.volunteers
        perRole = statistics.workload.perRole()
        let ranking = statistics.hashtags.ranking()
        topHashtags = Array(ranking.prefix(10))
        let emerging = report.hashtags.emerging
        var chosen = ranking.prefix(3).map(\.tag)
        let pickedUp = emerging.filter { $0.ruleAddedAt != nil && !$0.coveredBefore }.map(\.tag)
        let neverCovered = emerging.filter { $0.ruleAddedAt == nil }.map(\.tag)
        for tag in pickedUp + neverCovered where chosen.count < 6 && !chosen.contains(tag) { chosen.append(tag) }
        hashtagSeries = ranking.filter { chosen.contains($0.tag) }.map { entry in
            (entry.tag, entry.posts, statistics.hashtags.hourlyCounts(of: entry.tag))
        }
        firstResponseMilliseconds = posts.compactMap { p in p.firstReplyAt.map { max(0, $0 - p.postedAt) } }.sorted()
    }

    /// Inbound posts.
    public var postCount: Int { report.firstResponse.posts }
}

/// The statistics and the desk timeline fed together, in one pass over the log.
struct StatisticsAndTimeline: Projection {
    var statistics: Statistics
    var timeline: DeskTimelineProjection

    mutating func apply(_ event: Event, seq: UInt64) {
        statistics.apply(event, seq: seq)
        timeline.apply(event, seq: seq)
    }
}
