/// Every figure of `smcc stats --json` (`Schemas/cli/stats.schema.json`), as plain values.
///
/// Encodes, with any key order, to the documented shape; `smcc` encodes it with sorted keys.
/// Missing figures are `null`, never left out.
public struct StatisticsReport: Encodable, Equatable, Sendable {
    /// First response time of inbound posts.
    public var firstResponse: DurationSummary
    /// Time to assign inbound posts.
    public var timeToAssign: DurationSummary
    /// Time to resolve inbound posts.
    public var timeToResolve: DurationSummary
    /// Escalation time (`posts` counts escalations).
    public var escalation: DurationSummary
    /// Channel name → inbound posts on it / all inbound posts (channels with none left out).
    public var channelShare: [String: Double]
    /// Grouping key → group value → figures, for the keys asked for.
    public var by: [String: [String: GroupSummary]]
    /// Inbound posts per hour by channel.
    public var volume: VolumeSection
    /// Work per volunteer and per role at the time.
    public var workload: WorkloadSection
    /// Top hashtags and emerging ones.
    public var hashtags: HashtagSection
    /// `postReceived` events left out because they are reposts.
    public var repostsExcluded: Int
    /// Every post, reposts included, in the event's time zone (``ConversationReport``).
    public var conversation: ConversationReport
    /// Events applied.
    public var events: Int
    /// `at` of the first event applied; `nil` if none.
    public var firstAt: Timestamp?
    /// `at` of the last event applied; `nil` if none.
    public var lastAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case firstResponse, timeToAssign, timeToResolve, escalation, channelShare, by, volume, workload
        case hashtags, repostsExcluded, conversation, events, firstAt, lastAt
    }

    /// Writes every key; times as RFC 3339 strings, `null` when there are no events.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(firstResponse, forKey: .firstResponse)
        try c.encode(timeToAssign, forKey: .timeToAssign)
        try c.encode(timeToResolve, forKey: .timeToResolve)
        try c.encode(escalation, forKey: .escalation)
        try c.encode(channelShare, forKey: .channelShare)
        try c.encode(by, forKey: .by)
        try c.encode(volume, forKey: .volume)
        try c.encode(workload, forKey: .workload)
        try c.encode(hashtags, forKey: .hashtags)
        try c.encode(repostsExcluded, forKey: .repostsExcluded)
        try c.encode(conversation, forKey: .conversation)
        try c.encode(events, forKey: .events)
        try c.encode(firstAt?.rfc3339, forKey: .firstAt)
        try c.encode(lastAt?.rfc3339, forKey: .lastAt)
    }
}

/// The figures of one `by` group: the first-response keys at the top level (as DESIGN's
/// `{...same keys as firstResponse...}`), and the other three metrics nested under
/// `timeToAssign`, `timeToResolve` and `escalation`.
public struct GroupSummary: Encodable, Equatable, Sendable {
    /// First response in this group.
    public var firstResponse: DurationSummary
    /// Time to assign in this group.
    public var timeToAssign: DurationSummary
    /// Time to resolve in this group.
    public var timeToResolve: DurationSummary
    /// Escalation time in this group.
    public var escalation: DurationSummary

    /// The first-response keys flat, the others nested.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DurationSummary.CodingKeys.self)
        try firstResponse.encodeFields(into: &c)
        try c.encode(timeToAssign, forKey: .timeToAssign)
        try c.encode(timeToResolve, forKey: .timeToResolve)
        try c.encode(escalation, forKey: .escalation)
    }
}

/// `volume` of the report: inbound posts per hour (per minute is ``VolumeProjection/perMinute()``).
public struct VolumeSection: Encodable, Equatable, Sendable {
    /// One bucket per hour with posts, in time order.
    public var perHour: [VolumeProjection.Bucket]
}

/// `workload` of the report.
public struct WorkloadSection: Encodable, Equatable, Sendable {
    /// Volunteer (actor) id → counts.
    public var volunteers: [String: WorkloadProjection.Counts]
    /// Role at the time → counts; `unknown` for actors with no known role.
    public var roles: [String: WorkloadProjection.Counts]
}

/// `hashtags` of the report.
public struct HashtagSection: Encodable, Equatable, Sendable {
    /// One of the most used hashtags.
    public struct Top: Encodable, Equatable, Sendable {
        /// The hashtag.
        public var tag: String
        /// Inbound posts carrying it.
        public var posts: Int
        /// Start of each UTC hour (RFC 3339) → posts carrying it posted in that hour.
        public var perHour: [String: Int]
    }

    /// The ten most used hashtags, most used first (ties by tag).
    public var top: [Top]
    /// Every hashtag that emerged, by emergence time.
    public var emerging: [HashtagProjection.Emerging]
}
