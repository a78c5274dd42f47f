/// `conversation` of `smcc stats --json` (`Schemas/cli/stats.md`, "The conversation"): every post
/// of the log, reposts included, in the event's own time zone.
///
/// Encodes every key, `null` for a missing value; times of day are local, each with its offset.
public struct ConversationReport: Encodable, Equatable, Sendable {
    /// The event's days: described, or assumed from the posts.
    public struct EventDays: Encodable, Equatable, Sendable {
        /// `YYYY-MM-DD`, local.
        public var firstDay: String
        public var lastDay: String
        /// `event` (the description) or `assumed` (the days around the busiest one).
        public var source: String
    }

    /// Posts of one local day.
    public struct Day: Encodable, Equatable, Sendable {
        /// The local date, `YYYY-MM-DD`.
        public var day: String
        /// 1 for the first event day, 0 the day before, and so on; `null` without event days.
        public var eventDay: Int?
        public var posts: Int
        public var originals: Int
        public var reposts: Int
        public var replies: Int
        public var quotes: Int

        enum CodingKeys: String, CodingKey { case day, eventDay, posts, originals, reposts, replies, quotes }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(day, forKey: .day)
            try c.encode(eventDay, forKey: .eventDay)
            try c.encode(posts, forKey: .posts)
            try c.encode(originals, forKey: .originals)
            try c.encode(reposts, forKey: .reposts)
            try c.encode(replies, forKey: .replies)
            try c.encode(quotes, forKey: .quotes)
        }
    }

    /// Posts of one local hour.
    public struct Hour: Encodable, Equatable, Sendable {
        /// The instant the hour starts, RFC 3339 UTC.
        public var start: Timestamp
        /// The same instant in local time with its offset: `2017-03-03T10:00:00-05:00`.
        public var local: String
        public var posts: Int
        public var originals: Int
        public var reposts: Int

        enum CodingKeys: String, CodingKey { case start, local, posts, originals, reposts }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(start.rfc3339, forKey: .start)
            try c.encode(local, forKey: .local)
            try c.encode(posts, forKey: .posts)
            try c.encode(originals, forKey: .originals)
            try c.encode(reposts, forKey: .reposts)
        }
    }

    /// One of the most active authors.
    public struct Author: Encodable, Equatable, Sendable {
        /// The account as first spelt in the log.
        public var account: String
        public var posts: Int
        public var originals: Int
        public var reposts: Int
        public var replies: Int
    }

    /// One of the most mentioned accounts.
    public struct Mentioned: Encodable, Equatable, Sendable {
        public var account: String
        /// Posts mentioning it (reposts included: a repost mentions the account it reposts).
        public var posts: Int
    }

    /// One of the most used hashtags.
    public struct Hashtag: Encodable, Equatable, Sendable {
        public var tag: String
        /// Posts carrying it, reposts included.
        public var posts: Int
        public var originals: Int
        /// Whether it is one of the event's own hashtags.
        public var isEventHashtag: Bool
    }

    /// One of the most reposted or liked posts (the platform's counts at capture).
    public struct TopPost: Encodable, Equatable, Sendable {
        public var post: String
        public var author: String
        public var postedAt: Timestamp
        public var reposts: Int
        public var likes: Int

        enum CodingKeys: String, CodingKey { case post, author, postedAt, reposts, likes }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(post, forKey: .post)
            try c.encode(author, forKey: .author)
            try c.encode(postedAt.rfc3339, forKey: .postedAt)
            try c.encode(reposts, forKey: .reposts)
            try c.encode(likes, forKey: .likes)
        }
    }

    /// The most reposted and most liked original posts.
    public struct TopPosts: Encodable, Equatable, Sendable {
        /// Original posts carrying a repost or like count (0: the archive has none).
        public var postsWithCounts: Int
        public var byReposts: [TopPost]
        public var byLikes: [TopPost]
    }

    /// How fast attendees answered each other.
    public struct ReplyDelays: Encodable, Equatable, Sendable {
        /// Replies to a post of another account received before them in the log: the delays.
        public var replies: Int
        /// Replies to a post of their own author (a thread).
        public var toOwnPosts: Int
        /// Replies to a post the log does not hold before them (counted, never invented).
        public var toPostsNotInLog: Int
        /// Delays clamped from negative to 0 (the reply's clock before its post's).
        public var anomalies: Int
        public var p50Seconds: Double?
        public var p90Seconds: Double?
        public var meanSeconds: Double?

        enum CodingKeys: String, CodingKey { case replies, toOwnPosts, toPostsNotInLog, anomalies, p50Seconds, p90Seconds, meanSeconds }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(replies, forKey: .replies)
            try c.encode(toOwnPosts, forKey: .toOwnPosts)
            try c.encode(toPostsNotInLog, forKey: .toPostsNotInLog)
            try c.encode(anomalies, forKey: .anomalies)
            try c.encode(p50Seconds, forKey: .p50Seconds)
            try c.encode(p90Seconds, forKey: .p90Seconds)
            try c.encode(meanSeconds, forKey: .meanSeconds)
        }
    }

    /// The zone every local time is in.
    public var timeZone: String
    /// Where it comes from: `option` (`--time-zone`), `event` (the description), `default` (UTC).
    public var timeZoneSource: String
    /// The description in force; `null` when the log has none.
    public var event: EventDescribed?
    /// The event's days; `null` only for a log without posts and without a description.
    public var eventDays: EventDays?
    /// The event's own hashtags: described, or assumed (those on at least half of the posts).
    public var eventHashtags: [String]
    /// Each thing assumed because the log does not say it, as a sentence.
    public var assumptions: [String]
    public var posts: Int
    public var originals: Int
    public var reposts: Int
    public var replies: Int
    public var quotes: Int
    /// Distinct authors (accounts compared case-insensitively).
    public var authors: Int
    /// Posts of the event days; `null` without event days.
    public var postsOnEventDays: Int?
    /// Every local day from the first post's to the last post's, empty days included.
    public var perDay: [Day]
    /// Every local hour with a post, in time order.
    public var perHour: [Hour]
    /// The local hour with the most posts (the earliest of equals); `null` without posts.
    public var busiestHour: Hour?
    /// The local day with the most posts (the earliest of equals).
    public var busiestDay: Day?
    public var topAuthors: [Author]
    public var topMentioned: [Mentioned]
    public var topHashtags: [Hashtag]
    public var topPosts: TopPosts
    public var replyDelays: ReplyDelays

    enum CodingKeys: String, CodingKey {
        case timeZone, timeZoneSource, event, eventDays, eventHashtags, assumptions, posts, originals, reposts, replies, quotes, authors
        case postsOnEventDays, perDay, perHour, busiestHour, busiestDay, topAuthors, topMentioned, topHashtags, topPosts, replyDelays
    }

    /// Every key, `null` for the missing values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(timeZoneSource, forKey: .timeZoneSource)
        try c.encode(event, forKey: .event)
        try c.encode(eventDays, forKey: .eventDays)
        try c.encode(eventHashtags, forKey: .eventHashtags)
        try c.encode(assumptions, forKey: .assumptions)
        try c.encode(posts, forKey: .posts)
        try c.encode(originals, forKey: .originals)
        try c.encode(reposts, forKey: .reposts)
        try c.encode(replies, forKey: .replies)
        try c.encode(quotes, forKey: .quotes)
        try c.encode(authors, forKey: .authors)
        try c.encode(postsOnEventDays, forKey: .postsOnEventDays)
        try c.encode(perDay, forKey: .perDay)
        try c.encode(perHour, forKey: .perHour)
        try c.encode(busiestHour, forKey: .busiestHour)
        try c.encode(busiestDay, forKey: .busiestDay)
        try c.encode(topAuthors, forKey: .topAuthors)
        try c.encode(topMentioned, forKey: .topMentioned)
        try c.encode(topHashtags, forKey: .topHashtags)
        try c.encode(topPosts, forKey: .topPosts)
        try c.encode(replyDelays, forKey: .replyDelays)
    }
}

extension EventDescribed: Encodable {
    enum CodingKeys: String, CodingKey { case name, timeZone, firstDay, lastDay, hashtags, venue }

    /// The fields of the event, `venue` `null` when not said (`conversation.event`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(firstDay, forKey: .firstDay)
        try c.encode(lastDay, forKey: .lastDay)
        try c.encode(hashtags, forKey: .hashtags)
        try c.encode(venue, forKey: .venue)
    }
}
