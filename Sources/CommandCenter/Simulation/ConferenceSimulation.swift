/// A realistic conference desk, played through the same commands a live team uses.
///
/// The model (defaults from the case this product comes from):
/// - **Inbound posts**: exactly `posts` of them over `days` days, at a rate that follows the hour
///   of the day (quiet nights, a ramp from 06:30, conference hours 08:00–19:00, a calmer evening),
///   bursts at each morning keynote, lunch, the afternoon and closing keynotes and the first
///   evening's party, with noise per minute. 89% Twitter, then Instagram 5%, Facebook 3%,
///   LinkedIn 2%, Mastodon, Bluesky, YouTube and others 1%. About 8% reposts (never triaged).
///   Texts are questions (wifi, rooms, badges, sessions), complaints, praise, live chatter about
///   speakers, a little spam and re-asked duplicates, with the event hashtag, the help hashtag on
///   most questions, topical tags, mentions, links and emoji.
/// - **Emerging hashtags**: `#wifidown` (an outage, day 2 10:40), `#hallbflood` (a leak in Hall B,
///   day 3 14:05) and `#coffeegate` (day 1 15:15) rise sharply mid-event; a coordinator adds a
///   listening rule for each 5–20 minutes after it emerges (`!#wifidown` and `!#hallbflood` are
///   urgent, see ``ListeningRule``); before the rule, only posts that also carry the event hashtag
///   reach the desk. The first report of each is escalated to a coordinator, who later publishes
///   an update.
/// - **The team**: `volunteers` volunteers in the four roles (half ambassadors, the rest split
///   between stream monitors, photo and live tweets) and `coordinators` coordinators. The first
///   coordinator is added by `system` (bootstrap) and onboards everyone else. Each works one shift
///   a day, early (07:30–13:45) or late (13:15–19:45), alternating by day; three role changes, a
///   late joiner on day 2 and someone leaving on the last afternoon.
/// - **The workflow**: stream monitors triage (urgent first, then oldest): spam and duplicates
///   resolved at once, the rest assigned to the on-shift ambassador with the shortest queue;
///   ambassadors work their queue in order: reply then resolve `answered`, sometimes a note,
///   about a fifth of complaints escalated to a coordinator, who resolves the escalation, replies
///   and resolves. Ambassadors hand their queue back to triage at the end of their shift. Posts
///   that arrive at night wait for the morning, so reply times grow with the backlog (the
///   ambassadors' queues are real queues). Live-tweets and photo volunteers publish during
///   conference hours.
/// - **Speed**: the handling times (triage ~13 s, a reply ~50 s for a person) are divided by a
///   factor computed from the load so the team keeps up on average (busy about 40% of its shift
///   hours): for the default 25,000 posts a few times faster than one person, for 2M posts
///   ~80 times (a benchmark, not people). Reaction times (noticing a new post) are not scaled.
///
/// Deterministic: one seeded SplitMix64 per concern, no clock, no dictionary iteration, so the
/// same options give the same events (and a byte-identical `smcc export`).
public struct ConferenceSimulation: Sendable {
    /// What to simulate.
    public struct Options: Sendable, Hashable {
        /// The seed: the same seed and options give the same log.
        public var seed: UInt64
        /// How many inbound posts (`postReceived` events).
        public var posts: Int
        /// How many conference days.
        public var days: Int
        /// How many volunteers besides the coordinators.
        public var volunteers: Int
        /// How many coordinators.
        public var coordinators: Int
        /// When the desk opens on the first day (the local time of the conference is UTC).
        public var start: Timestamp
        /// The event hashtag, lowercase, without `#`.
        public var eventHashtag: String
        /// The help hashtag, lowercase, without `#`.
        public var helpHashtag: String
        /// The desk's own account, without `@`.
        public var deskAccount: String

        /// The default start: 2026-06-02T07:00:00Z.
        public static let defaultStart = Timestamp(milliseconds: 1_780_383_600_000)

        /// Creates options; every default is the case study's.
        public init(seed: UInt64 = 1, posts: Int = 25_000, days: Int = 3, volunteers: Int = 12, coordinators: Int = 2,
                    start: Timestamp = Options.defaultStart, eventHashtag: String = "pivotcon26", helpHashtag: String = "askpivot",
                    deskAccount: String = "pivotdesk") {
            self.seed = seed
            self.posts = posts
            self.days = days
            self.volunteers = volunteers
            self.coordinators = coordinators
            self.start = start
            self.eventHashtag = eventHashtag
            self.helpHashtag = helpHashtag
            self.deskAccount = deskAccount
        }
    }

    /// What it simulates.
    public let options: Options

    /// A simulation with these options.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Plays the conference into `desk`, which must be empty, through ``Desk/execute(batch:)``.
    ///
    /// - Parameters:
    ///   - batchSize: commands per batch, each batch one durable transaction.
    ///   - progress: called after each batch with the number of posts received so far.
    /// - Returns: what happened.
    /// - Throws: ``SimulationError`` for an unusable desk or options, ``CommandRejection`` if the
    ///   simulation ever breaks a desk rule (a bug), `LogError` if the log fails.
    public func run(into desk: Desk, batchSize: Int = 5_000, progress: ((Int) -> Void)? = nil) throws -> SimulationSummary {
        guard desk.state.eventCount == 0 else {
            throw SimulationError(message: "the log already holds \(desk.state.eventCount) events; simulate into a new log")
        }
        guard options.posts >= 0, options.days >= 1, options.volunteers >= 1, options.coordinators >= 1 else {
            throw SimulationError(message: "simulate needs posts ≥ 0, days ≥ 1, volunteers ≥ 1 and coordinators ≥ 1")
        }
        let engine = SimulationEngine(options: options, desk: desk, batchSize: max(1, batchSize), progress: progress)
        return try engine.run()
    }
}

/// Why a simulation cannot run.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    /// A sentence a person can act on.
    public var message: String
    public var description: String { message }
}

/// What a simulation did.
public struct SimulationSummary: Sendable, Hashable {
    /// One emerging hashtag: when it emerged and when a listening rule covered it.
    public struct EmergingHashtag: Sendable, Hashable {
        /// The hashtag, lowercase, without `#`.
        public var hashtag: String
        /// When its first posts appeared.
        public var emergedAt: Timestamp
        /// The rule the coordinator added.
        public var rule: String
        /// When it was added; `nil` if the simulation ended first.
        public var ruleAddedAt: Timestamp?
    }

    /// Inbound posts received.
    public var posts = 0
    /// Events appended.
    public var events = 0
    /// Events appended, by kind, in the order of ``EventKind``.
    public var eventsByKind: [EventKind: Int] = [:]
    /// Inbound posts per channel.
    public var postsByChannel: [Channel: Int] = [:]
    /// Posts still unresolved at the end (nobody got to them), reposts excluded.
    public var unresolvedAtEnd = 0
    /// The emerging hashtags.
    public var emerging: [EmergingHashtag] = []
    /// The first and last event times.
    public var firstAt: Timestamp?
    public var lastAt: Timestamp?
    /// The speed factor the workflow ran at (see ``ConferenceSimulation``).
    public var speedFactor = 1.0
}
