import CommandCenter
import Testing

struct DeskTimelineProjectionTests {
    typealias F = ProjectionFixtures

    /// 14:00:10 p1 received; 14:20 a repost (never in triage); 14:30 p2 received; 14:40 p1
    /// assigned; 14:50 p2 escalated; nothing in the 15:00 hour; 16:05 p2 resolved and its
    /// escalation resolved.
    static let events: [Event] = [
        F.received("twitter:1", at: 10, postedAt: 0),
        F.received("twitter:9", at: 1_200, postedAt: 1_190, isRepost: true),
        F.received("twitter:2", at: 1_800, postedAt: 1_790),
        F.event(2_400, "vol:ben", .postAssigned(PostAssigned(post: "twitter:1", to: "vol:ana"))),
        F.event(3_000, "vol:ana", .escalated(Escalated(post: "twitter:2", to: "vol:coord", reason: "refund"))),
        F.event(7_500, "vol:coord", .postResolved(PostResolved(post: "twitter:2", outcome: .spam))),
        F.event(7_510, "vol:coord", .escalationResolved(EscalationResolved(post: "twitter:2"))),
        F.event(7_520, "vol:coord", .postResolved(PostResolved(post: "twitter:2", outcome: .answered))),
    ]

    @Test func samplesTheDeskAtTheEndOfEveryHourQuietOnesIncluded() {
        let timeline = F.replay(Self.events, into: DeskTimelineProjection())
        let hour: Int64 = 3_600_000
        #expect(timeline.hourly() == [
            .init(hour: F.t(0), triage: 1, openEscalations: 1),
            .init(hour: Timestamp(milliseconds: F.t0 + hour), triage: 1, openEscalations: 1),
            .init(hour: Timestamp(milliseconds: F.t0 + 2 * hour), triage: 0, openEscalations: 0),
        ])
        // The same counts as the desk's own queues.
        #expect(timeline.desk.triageCount == 0)
        #expect(DeskTimelineProjection().hourly().isEmpty)
    }

    @Test func aPrefixOfTheLogGivesThePrefixOfTheTimeline() {
        let timeline = F.replay(Array(Self.events.prefix(5)), into: DeskTimelineProjection())
        #expect(timeline.hourly() == [.init(hour: F.t(0), triage: 1, openEscalations: 1)])
    }

    @Test func aPostKeepsTheOutcomeOfItsFirstResolution() {
        let projection = F.replay(Self.events, into: ReactionTimeProjection())
        #expect(projection.post("twitter:2")?.outcome == .spam)
        #expect(projection.post("twitter:2")?.resolvedAt == F.t(7_500).milliseconds)
        #expect(projection.post("twitter:1")?.outcome == nil)
        let statistics = F.replay(Self.events, into: Statistics())
        #expect(statistics.reactionTimes == projection)
    }
}
