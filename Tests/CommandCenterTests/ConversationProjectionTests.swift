@testable import CommandCenter
@testable import EventLog
import Testing

/// ``ConversationProjection``: every figure of `conversation` on events whose answers are worked
/// out by hand below, local days and hours across a daylight-saving change, and snapshots.
struct ConversationProjectionTests {
    /// 2020-03-07T12:00:00-06:00 (Chicago, standard time): the day before the clocks go forward.
    static let t0: Int64 = 1_583_604_000_000

    static func post(_ id: Int, _ author: String, at minutes: Int64, repost: Bool = false, replyTo: Int? = nil, quote: Int? = nil,
                     hashtags: [String] = [], mentions: [String] = [], reposts: Int? = nil, likes: Int? = nil) -> Event {
        let at = Timestamp(milliseconds: t0 + minutes * 60_000)
        return Event(at: at, actor: "import:csv", body: .postReceived(PostReceived(
            post: "twitter:\(id)", channel: .twitter, author: author, text: "post \(id)", hashtags: hashtags, mentions: mentions, postedAt: at,
            inReplyTo: replyTo.map { "twitter:\($0)" }, isRepost: repost, repostCount: reposts, likeCount: likes, quoteOf: quote.map { "twitter:\($0)" })))
    }

    /// | post | author | minutes after t0 | what |
    /// |---|---|---|---|
    /// | 1 | Ann | 0 | #nicar20 #ddj, mentions @IRE_NICAR; 10 reposts, 3 likes |
    /// | 2 | bob | 5 | repost of 1 (counts ignored), #nicar20, mentions @ire_nicar and @Ann |
    /// | 3 | bob | 20 | reply to 1 (Ann's): delay 20 min |
    /// | 4 | ANN | 30 | reply to 1, her own (the author compared lowercased): a thread |
    /// | 5 | cy | 40 | reply to 99, not in the log |
    /// | 6 | cy | 50 | quote of 1, #NICAR20-less; 10 reposts, 7 likes |
    /// | 7 | dee | 60 | reply to 2, a repost: not a post to answer, so not in the log |
    /// | 8 | bob | 65 | reply to 9, which comes later: not in the log before it |
    /// | 9 | ann | 70 | 0 reposts, 12 likes |
    ///
    /// Posts 9, reposts 1, originals 8, replies 5 (3, 4, 5, 7, 8), quotes 1, authors 4 (ann, bob,
    /// cy, dee). Reply delays: one (1200 s); own 1; not in log 3 (5, 7, 8).
    /// Top by reposts: 6 (10 reposts, 7 likes) before 1 (10, 3); by likes: 9 (12), 6 (7), 1 (3).
    /// Mentions: ire_nicar 2 posts (first spelt IRE_NICAR), ann 1. Hashtags: nicar20 2 (1 a repost), ddj 1.
    static let events: [Event] = [
        post(1, "Ann", at: 0, hashtags: ["nicar20", "ddj"], mentions: ["IRE_NICAR"], reposts: 10, likes: 3),
        post(2, "bob", at: 5, repost: true, hashtags: ["nicar20"], mentions: ["@ire_nicar", "Ann"], reposts: 10, likes: 3),
        post(3, "bob", at: 20, replyTo: 1),
        post(4, "ANN", at: 30, replyTo: 1),
        post(5, "cy", at: 40, replyTo: 99),
        post(6, "cy", at: 50, quote: 1, reposts: 10, likes: 7),
        post(7, "dee", at: 60, replyTo: 2),
        post(8, "bob", at: 65, replyTo: 9),
        post(9, "ann", at: 70, reposts: 0, likes: 12),
    ]

    static func projection(_ events: [Event]) -> ConversationProjection {
        var p = ConversationProjection()
        for (i, e) in events.enumerated() { p.apply(e, seq: UInt64(i + 1)) }
        return p
    }

    @Test func countsRepliesQuotesAuthorsAndTopLists() throws {
        let r = Self.projection(Self.events).report()
        #expect((r.posts, r.originals, r.reposts, r.replies, r.quotes, r.authors) == (9, 8, 1, 5, 1, 4))
        #expect(r.replyDelays == .init(replies: 1, toOwnPosts: 1, toPostsNotInLog: 3, anomalies: 0, p50Seconds: 1200, p90Seconds: 1200, meanSeconds: 1200))
        #expect(r.topPosts.postsWithCounts == 3)
        #expect(r.topPosts.byReposts.map(\.post) == ["twitter:6", "twitter:1"])
        #expect(r.topPosts.byLikes.map(\.post) == ["twitter:9", "twitter:6", "twitter:1"])
        #expect(r.topPosts.byLikes.first.map { "\($0.author) \($0.reposts) \($0.likes)" } == "Ann 0 12")
        #expect(r.topMentioned.map { "\($0.account) \($0.posts)" } == ["IRE_NICAR 2", "Ann 1"])
        #expect(r.topAuthors.map { "\($0.account) \($0.posts) \($0.originals) \($0.reposts) \($0.replies)" }
                == ["Ann 3 3 0 1", "bob 3 2 1 2", "cy 2 2 0 1", "dee 1 1 0 1"])
        #expect(r.topHashtags.map { "\($0.tag) \($0.posts) \($0.originals)" } == ["nicar20 2 1", "ddj 1 1"])
        // No description: UTC, the one day assumed, and #nicar20 (on 2 of 9 posts) is not the event's.
        #expect(r.timeZone == "UTC" && r.timeZoneSource == "default" && r.event == nil)
        #expect(r.eventDays == .init(firstDay: "2020-03-07", lastDay: "2020-03-07", source: "assumed"))
        #expect(r.eventHashtags.isEmpty)
        #expect(r.assumptions.count == 2)
    }

    /// The top lists do not depend on the order posts arrive in: ties are broken by the other
    /// count, then the earlier post, then the id.
    @Test func topListsAreTheSameInAnyOrder() {
        var posts = (0..<40).map { i in Self.post(1000 + i, "a\(i % 7)", at: Int64(i), reposts: i % 5, likes: (i * 7) % 11) }
        let forward = Self.projection(posts).report()
        posts.reverse()
        let backward = Self.projection(posts).report()
        #expect(forward.topPosts == backward.topPosts)
        // 8 posts have 4 reposts (i = 4, 9, …, 39); then the two with 3 and the most likes
        // ((7i mod 11): i = 3 has 10, i = 28 has 9).
        #expect(forward.topPosts.byReposts.map(\.reposts) == [4, 4, 4, 4, 4, 4, 4, 4, 3, 3])
        #expect(forward.topPosts.byReposts.suffix(2).map(\.post) == ["twitter:1003", "twitter:1028"])
    }

    /// The top accounts are selected in one pass for short lists and sorted for long ones: every
    /// short list is the start of the sorted ranking, ties (many here) broken by name alike.
    @Test(arguments: [1, 2, 3] as [UInt64]) func topAccountsBySelectionAreTheStartOfTheSortedRanking(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let posts = (0..<3_000).map { i in
            Self.post(i, "acct\(random.next() % 700)", at: Int64(i / 10), mentions: (0..<Int(random.next() % 3)).map { _ in "m\(random.next() % 400)" })
        }
        let projection = Self.projection(posts)
        let long = ConversationProjection.rankedBySelectionUpTo + 1
        let sorted = projection.report(top: 10_000)
        #expect(sorted.topAuthors.count > 650 && sorted.topMentioned.count > 300, "seed \(seed): most accounts posted, most were mentioned")
        for top in [1, 2, 10, 57, ConversationProjection.rankedBySelectionUpTo, long] {
            let report = projection.report(top: top)
            #expect(report.topAuthors == Array(sorted.topAuthors.prefix(top)), "top \(top), seed \(seed)")
            #expect(report.topMentioned == Array(sorted.topMentioned.prefix(top)), "top \(top), seed \(seed)")
        }
        #expect(projection.report(top: 0).topAuthors.isEmpty)
    }

    /// 2020-03-08 in Chicago: 00:00 and 01:00 CST, then 03:00 CDT (02:00 never happens). One post
    /// per half hour from 23:30 on the 7th to 04:30 local gives these local hours (counted by hand).
    @Test func localHoursAcrossTheChangeToDaylightTime() throws {
        let start: Int64 = 1_583_645_400_000  // 2020-03-07T23:30:00-06:00
        let events = (0..<10).map { i in Self.post(i + 1, "x", at: (start - Self.t0) / 60_000 + Int64(i) * 30) }
        var p = Self.projection(events)
        p.described(EventDescribed(name: "NICAR 2020", timeZone: "America/Chicago", firstDay: "2020-03-05", lastDay: "2020-03-08", hashtags: ["nicar20"]))
        let r = p.report()
        #expect(r.timeZone == "America/Chicago" && r.timeZoneSource == "event")
        // Instants: 05:30Z … 10:00Z every 30 min. Local: 23:30 CST; 00:00, 00:30, 01:00, 01:30 CST;
        // 08:00Z = 03:00 CDT, 03:30, 04:00, 04:30, 05:00 CDT.
        #expect(r.perHour.map { "\($0.local) \($0.posts)" } == [
            "2020-03-07T23:00:00-06:00 1", "2020-03-08T00:00:00-06:00 2", "2020-03-08T01:00:00-06:00 2",
            "2020-03-08T03:00:00-05:00 2", "2020-03-08T04:00:00-05:00 2", "2020-03-08T05:00:00-05:00 1",
        ])
        #expect(r.perDay.map { "\($0.day) \($0.posts) \($0.eventDay.map(String.init) ?? "-")" } == ["2020-03-07 1 3", "2020-03-08 9 4"])
        #expect(r.postsOnEventDays == 10)
        #expect(r.busiestHour?.local == "2020-03-08T00:00:00-06:00")
        // The same log read in UTC, as --time-zone asks.
        let utc = p.report(timeZone: .utc)
        #expect(utc.timeZoneSource == "option" && utc.perHour.first?.local == "2020-03-08T05:00:00+00:00")
        #expect(utc.perDay.map(\.day) == ["2020-03-08"])
    }

    /// The clocks go back on 2020-11-01 in Chicago: 01:00 CDT then 01:00 CST, two local hours.
    @Test func theRepeatedHourIsTwoHours() throws {
        let cdt: Int64 = 1_604_210_400_000  // 2020-11-01T01:00:00-05:00 = 06:00Z
        let events = (0..<4).map { i in Self.post(i + 1, "x", at: (cdt - Self.t0) / 60_000 + Int64(i) * 30) }
        var p = Self.projection(events)
        p.described(EventDescribed(name: "X", timeZone: "America/Chicago", firstDay: "2020-11-01", lastDay: "2020-11-01", hashtags: []))
        #expect(p.report().perHour.map { "\($0.local) \($0.posts)" } == ["2020-11-01T01:00:00-05:00 2", "2020-11-01T01:00:00-06:00 2"])
    }

    @Test func aZoneTheSystemDoesNotKnowIsSaidAndUTCUsed() {
        var p = Self.projection(Self.events)
        p.described(EventDescribed(name: "X", timeZone: "Mars/Olympus_Mons", firstDay: "2020-03-07", lastDay: "2020-03-07", hashtags: ["ddj"]))
        let r = p.report()
        #expect(r.timeZone == "UTC" && r.timeZoneSource == "default")
        #expect(r.assumptions == ["The event's time zone Mars/Olympus_Mons is not in this system's time zone database, so times are UTC."])
        #expect(r.eventHashtags == ["ddj"] && r.topHashtags.first { $0.tag == "ddj" }?.isEventHashtag == true)
    }

    /// Assumed event days: the run around the busiest day of days with at least a third of its
    /// posts: 30 on the peak day → days with ≥ 10 posts, contiguous.
    @Test func assumedEventDaysAreTheRunAroundThePeak() {
        let days = [("2017-02-28", 9), ("2017-03-01", 10), ("2017-03-02", 30), ("2017-03-03", 12), ("2017-03-05", 20)].map {
            ConversationReport.Day(day: $0.0, eventDay: nil, posts: $0.1, originals: $0.1, reposts: 0, replies: 0, quotes: 0)
        }
        let assumed = ConversationProjection.assumedEventDays(days)
        #expect(assumed?.first == "2017-03-01" && assumed?.last == "2017-03-03")
    }

    /// A replay that starts from statistics snapshots gives the same conversation as one from the
    /// first event: posts, reposts, replies, counts, and a description in the middle.
    @Test func snapshotsKeepTheConversation() throws {
        let dir = DeskTemporaryDirectory()
        let store = try EventStore.create(at: dir.child("log"))
        var events: [Event] = []
        for i in 0..<3_000 {
            let repost = i % 3 == 1
            events.append(Self.post(10_000 + i, "user\(i % 97)", at: Int64(i), repost: repost, replyTo: i % 5 == 0 && i > 0 ? 10_000 + i - 3 : nil,
                                    quote: i % 11 == 0 ? 10_000 + i / 2 : nil, hashtags: i % 4 == 0 ? ["nicar20", "t\(i % 9)"] : [],
                                    mentions: i % 6 == 0 ? ["User\(i % 13)"] : [], reposts: repost ? nil : i % 50, likes: repost ? nil : (i * 7) % 90))
            if i == 1_500 {
                events.append(Event(at: events.last!.at, actor: "system", body: .eventDescribed(EventDescribed(
                    name: "NICAR 2020", timeZone: "America/Chicago", firstDay: "2020-03-07", lastDay: "2020-03-09", hashtags: ["nicar20"], venue: "New Orleans"))))
            }
        }
        _ = try store.append(events)
        let policy = SnapshotPolicy(interval: 1_024, read: true, write: true)
        _ = try Replay.run(store, projections: .statistics, snapshots: policy)
        #expect(try store.log.snapshotSequences(Statistics.snapshotName) == [1_024, 2_048])
        for through: UInt64 in [1_024, 1_600, 2_048, UInt64(events.count)] {
            let expected = try Replay.run(store, through: through, projections: .statistics, snapshots: .none).statistics
            let loaded = try Replay.run(store, through: through, projections: .statistics, snapshots: SnapshotPolicy(interval: 1_024, read: true, write: false)).statistics
            #expect(loaded.conversation == expected.conversation, "through \(through)")
            #expect(loaded.report().conversation == expected.report().conversation, "through \(through)")
        }
        let whole = try Replay.run(store, projections: .statistics, snapshots: SnapshotPolicy(interval: 1_024, read: true, write: false)).statistics.conversation.report()
        #expect(whole.event?.name == "NICAR 2020" && whole.posts == 3_000 && whole.reposts == 1_000)
    }
}
