public import CommandCenter

/// Everything the report says about one log, computed by one replay: the statistics of
/// `smcc stats` (same definitions, `Schemas/cli/stats.md`) with the conversation in the event's
/// time zone, the desk hour by hour, and who is who. Plain values: rendering never goes back to
/// the log.
public struct EventFacts: Sendable {
    /// The log as the user named it (it appears in the verify command).
    public var log: String
    /// The log's head (`SEQ:HEX`, as `smcc info` prints it); `nil` for an empty log.
    public var head: String?
    /// The statistics, grouped by hour of day, with the conversation.
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
    /// Events of desk work: everything but posts received, the event's description and the log's
    /// own administration (a volunteer, a listening rule, an assignment, a reply, an escalation, a
    /// note, a publication).
    public var deskEvents: Int
    /// The `at` of the description in force (the last `eventDescribed`), ms; `nil` without one.
    public var describedAt: Int64?
    /// The hashtags that emerged (the desk's rule, `Schemas/cli/stats.md`), the event's own left out.
    public var emerging: [HashtagProjection.Emerging]
    /// The text and link of the posts the top lists name, read from the log.
    public var postTexts: [String: (text: String, url: String?)]
    /// What the time figures draw, and the posts they leave out.
    public var window: ReportWindow
    /// The clock of every time in the report.
    var clock: ReportClock
    /// Posts per UTC minute, reposts included, in time order.
    var minutes: [ConversationProjection.Minute]
    /// The `postedAt` of the posts of each hashtag the figures draw, reposts included.
    var hashtagTimes: [String: [Int64]]
    /// First-response durations of the answered posts, in ms (negative clamped to 0), sorted.
    /// Stored: two figures read it, and sorting it is the costly part.
    var firstResponseMilliseconds: [Int64]

    /// The conversation: every post, reposts included, in the event's time zone.
    public var conversation: ConversationReport { report.conversation }

    /// Whether the log holds desk work; without it the report leaves the desk's figures out.
    public var hasDeskWork: Bool { deskEvents > 0 }

    /// The name the report gives this edition: the event's, else the log directory's.
    public var name: String { conversation.event?.name ?? CaseStudyReport.name(of: log) }

    /// What the report draws in the time figures and the zone it reads times in.
    public struct Options: Sendable {
        /// The zone, overriding the event's.
        public var timeZone: LocalZone?
        /// The window's ends, overriding the main body of the conversation.
        public var from: WindowEnd?
        public var to: WindowEnd?

        public init(timeZone: LocalZone? = nil, from: WindowEnd? = nil, to: WindowEnd? = nil) {
            self.timeZone = timeZone
            self.from = from
            self.to = to
        }
    }

    /// An end of `--from`/`--to`: a local date (the whole day) or an instant.
    public enum WindowEnd: Sendable, Equatable {
        case day(CivilDate)
        case instant(Timestamp)

        /// `2017-03-01` or an RFC 3339 time; `nil` for anything else.
        public init?(_ text: String) {
            if let date = CivilDate(text) {
                self = .day(date)
            } else if let time = Timestamp(rfc3339: text) {
                self = .instant(time)
            } else {
                return nil
            }
        }
    }

    /// Replays `store` once into every projection the report needs.
    /// - Parameters:
    ///   - log: the log's path as the user wrote it.
    ///   - head: the head `SEQ:HEX` (the caller reads it from the log).
    ///   - target: the first-response target, in seconds.
    ///   - options: the zone and window.
    ///   - progress: called every 100,000 events with the number replayed so far.
    public static func replay(_ store: EventStore, log: String, head: String?, target: Int = 900, options: Options = Options(),
                              progress: ((UInt64) -> Void)? = nil) throws -> EventFacts {
        let folded = try Replay.retrospective(store, target: target, progress: progress)
        var facts = EventFacts(log: log, head: head, statistics: folded.statistics, timeline: folded.timeline, deskEvents: folded.deskEvents, options: options)
        facts.describedAt = folded.describedAt
        let top = facts.conversation.topPosts
        for post in Set((top.byReposts + top.byLikes).map(\.post)) {
            if case .postReceived(let b)? = try store.introduction(ofPost: post)?.body { facts.postTexts[post] = (b.text, b.url) }
        }
        return facts
    }

    /// The facts of events already folded (tests build them without a log).
    public init(log: String, head: String?, statistics: Statistics, timeline: DeskTimelineProjection, deskEvents: Int? = nil, options: Options = Options()) {
        self.log = log
        self.head = head
        report = statistics.report(by: [.hour], timeZone: options.timeZone)
        posts = statistics.reactionTimes.posts
        escalations = statistics.reactionTimes.escalations
        self.timeline = timeline.hourly()
        finalDesk = timeline.desk
        roster = statistics.roster
        perVolunteer = report.workload.volunteers
        perRole = statistics.workload.perRole()
        self.deskEvents = deskEvents ?? Self.deskEvents(statistics)
        describedAt = nil
        postTexts = [:]
        let conversation = statistics.conversation
        minutes = conversation.minutesInOrder()
        let zone = conversation.zone(override: options.timeZone).zone
        let first = minutes.first?.start ?? statistics.firstAt?.milliseconds ?? 0
        let last = minutes.last?.start ?? statistics.lastAt?.milliseconds ?? 0
        clock = ReportClock(zone: zone, from: first, through: last)
        let report = self.report.conversation
        // Only described days stretch the window: assumed ones are the posts' own days.
        let eventDays = report.eventDays.flatMap { days in days.source == "event" ? CivilDate(days.firstDay).flatMap { a in CivilDate(days.lastDay).map { (a, $0) } } : nil }
        let events = statistics.firstAt.flatMap { a in statistics.lastAt.map { (a.milliseconds, $0.milliseconds) } }
        window = ReportWindow.of(minutes, eventDays: eventDays, clock: clock, from: Self.instant(options.from, clock, end: false),
                                 to: Self.instant(options.to, clock, end: true), events: events)
        emerging = self.report.hashtags.emerging.filter { !report.eventHashtags.contains($0.tag) }
        var drawn = Set(report.eventHashtags)
        for tag in report.topHashtags.map(\.tag) + emerging.map(\.tag) { drawn.insert(tag) }
        hashtagTimes = Dictionary(uniqueKeysWithValues: drawn.map { ($0, conversation.times(of: $0)) })
        firstResponseMilliseconds = posts.compactMap { p in p.firstReplyAt.map { max(0, $0 - p.postedAt) } }.sorted()
    }

    private static func instant(_ end: WindowEnd?, _ clock: ReportClock, end isEnd: Bool) -> Int64? {
        switch end {
        case .day(let date): clock.startOfDay(isEnd ? date.adding(days: 1) : date)
        case .instant(let time): time.milliseconds + (isEnd ? 1 : 0)
        case nil: nil
        }
    }

    /// Desk work seen by the statistics alone (for facts built without a replay that counts it).
    private static func deskEvents(_ statistics: Statistics) -> Int {
        let work = statistics.workload.perVolunteer().values.reduce(0) { $0 + $1.replies + $1.postsPublished + $1.assignmentsMade + $1.escalations + $1.notes }
        return work + statistics.roster.volunteers.count
    }

    /// Inbound posts (reposts left out): what reached the desk.
    public var postCount: Int { report.firstResponse.posts }
}
