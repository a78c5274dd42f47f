@testable import CommandCenter
import Testing

/// Reaction times on ``ProjectionFixtures/desk``, every figure computed by hand.
struct ProjectionReactionTimeTests {
    static let stats = ProjectionFixtures.replay(ProjectionFixtures.desk, into: Statistics())
    static let report = stats.report(by: GroupingKey.allCases)

    /// numpy's linear percentile written out, for the expectations below.
    static func lerp(_ a: Double, _ b: Double, _ g: Double) -> Double {
        g >= 0.5 ? b - (b - a) * (1 - g) : a + (b - a) * g
    }

    @Test func firstResponseOverall() {
        // Inbound: p1, p2, p3, p5 (p4 is a repost). Answered: p1 70, p2 995, p3 −10 → 0 (anomaly).
        // Sorted [0, 70, 995]: p50 position 2·0.5 = 1 → 70; p90 position 1.8 → 995 − 925·0.2 = 810;
        // p99 position 1.98 → 995 − 925·0.02 = 976.5; mean (0 + 70 + 995) / 3 = 355.
        // Within 900 s: 0 and 70 → 2 of 4 posts = 0.5, 2 of 3 answered.
        let fr = Self.report.firstResponse
        #expect(fr.posts == 4)
        #expect(fr.answered == 3)
        #expect(fr.unanswered == 1)
        #expect(fr.anomalies == 1)
        #expect(fr.p50Seconds == 70)
        #expect(fr.p90Seconds == Self.lerp(70, 995, 0.8))
        #expect(abs(fr.p90Seconds! - 810) < 1e-9)
        #expect(abs(fr.p99Seconds! - 976.5) < 1e-9)
        #expect(fr.meanSeconds == 355)
        #expect(fr.withinTarget == 0.5)
        #expect(fr.withinTargetOfAnswered == 2.0 / 3.0)
        #expect(fr.targetSeconds == 900)
        #expect(Self.report.repostsExcluded == 1)
    }

    @Test func otherMetricsOverall() {
        // Assign: p1 60 − 10 = 50 only. Resolve: p3 130 − 30 = 100 only. Both: 1 of 4 within.
        let assign = Self.report.timeToAssign
        #expect(assign.posts == 4 && assign.answered == 1 && assign.unanswered == 3)
        #expect(assign.p50Seconds == 50 && assign.p90Seconds == 50 && assign.p99Seconds == 50)
        #expect(assign.meanSeconds == 50 && assign.withinTarget == 0.25 && assign.withinTargetOfAnswered == 1)
        let resolve = Self.report.timeToResolve
        #expect(resolve.posts == 4 && resolve.answered == 1)
        #expect(resolve.p50Seconds == 100 && resolve.meanSeconds == 100 && resolve.withinTarget == 0.25)
        // Escalation of p1: 1300 − 100 = 1200 > 900: none within the target.
        let esc = Self.report.escalation
        #expect(esc.posts == 1 && esc.answered == 1 && esc.unanswered == 0 && esc.anomalies == 0)
        #expect(esc.p50Seconds == 1200 && esc.p99Seconds == 1200 && esc.meanSeconds == 1200)
        #expect(esc.withinTarget == 0 && esc.withinTargetOfAnswered == 0)
    }

    @Test func groupsByRoleAtReplyTime() throws {
        // p1 answered by ana while ambassador (70), p3 by ana after she became coordinator (0),
        // p2 by ben, stream monitor (995), p5 unanswered.
        let role = try #require(Self.report.by["role"])
        #expect(Set(role.keys) == ["ambassador", "coordinator", "streamMonitor", "unanswered"])
        #expect(role["ambassador"]?.firstResponse.p50Seconds == 70)
        #expect(role["ambassador"]?.firstResponse.posts == 1)
        #expect(role["coordinator"]?.firstResponse.p50Seconds == 0)
        #expect(role["coordinator"]?.firstResponse.anomalies == 1)
        #expect(role["streamMonitor"]?.firstResponse.p50Seconds == 995)
        let unanswered = try #require(role["unanswered"]?.firstResponse)
        #expect(unanswered.posts == 1 && unanswered.answered == 0 && unanswered.p50Seconds == nil)
        #expect(unanswered.withinTarget == 0 && unanswered.withinTargetOfAnswered == nil)
        // Nested metrics are grouped by their own actor: the assignee ana was an ambassador at 60,
        // ana resolved p3 as coordinator, ben resolved the escalation as stream monitor.
        #expect(role["ambassador"]?.timeToAssign.p50Seconds == 50)
        #expect(role["unanswered"]?.timeToAssign.posts == 3)
        #expect(role["coordinator"]?.timeToResolve.p50Seconds == 100)
        #expect(role["streamMonitor"]?.escalation.p50Seconds == 1200)
        #expect(role["ambassador"]?.timeToResolve.posts == 0)
        #expect(role["ambassador"]?.timeToResolve.withinTarget == nil)
    }

    @Test func groupsByVolunteerTeamChannelTimeAndHashtag() throws {
        let by = Self.report.by
        // ana: [0, 70] → p50 position 0.5 → 0 + 70·0.5 = 35, mean 35.
        #expect(by["volunteer"]?["vol:ana"]?.firstResponse.p50Seconds == 35)
        #expect(by["volunteer"]?["vol:ana"]?.firstResponse.meanSeconds == 35)
        #expect(by["volunteer"]?["vol:ben"]?.firstResponse.p50Seconds == 995)
        #expect(by["volunteer"]?["unanswered"]?.firstResponse.posts == 1)
        #expect(by["team"]?["red"]?.firstResponse.answered == 2)
        #expect(by["team"]?["none"]?.firstResponse.p50Seconds == 995)
        // twitter: p1 70, p3 0 (anomaly), p5 unanswered; instagram: p2 995.
        let twitter = try #require(by["channel"]?["twitter"]?.firstResponse)
        #expect(twitter.posts == 3 && twitter.answered == 2 && twitter.anomalies == 1)
        #expect(twitter.p50Seconds == 35 && twitter.withinTarget == 2.0 / 3.0)
        #expect(by["channel"]?["instagram"]?.firstResponse.p50Seconds == 995)
        #expect(by["hour"]?.keys.sorted() == ["14"])
        #expect(by["hour"]?["14"]?.firstResponse.posts == 4)
        #expect(by["day"]?.keys.sorted() == ["2012-10-02"])
        // askpivot: p1 70, p2 995, p5 unanswered; swift: p2; p3 has no hashtag.
        #expect(by["hashtag"]?["askpivot"]?.firstResponse.posts == 3)
        #expect(by["hashtag"]?["askpivot"]?.firstResponse.p50Seconds == 532.5)  // (70 + 995) / 2
        #expect(by["hashtag"]?["swift"]?.firstResponse.posts == 1)
        #expect(by["hashtag"]?.count == 2)
        #expect(by["channel"]?["twitter"]?.escalation.posts == 1)
    }

    @Test func perPostRecord() throws {
        let p1 = try #require(Self.stats.reactionTimes.post("twitter:1"))
        #expect(p1.responder == ActorStamp(id: "vol:ana", role: .ambassador, team: "red"))
        #expect(p1.assignee?.role == .ambassador)
        #expect(p1.assigner == ActorStamp(id: "vol:ben", role: .streamMonitor, team: nil))
        #expect(p1.firstReplyAt == ProjectionFixtures.t(70).milliseconds)
        #expect(Self.stats.reactionTimes.post("twitter:4") == nil)
        #expect(Self.stats.reactionTimes.post("instagram:2")?.hashtags == ["askpivot", "swift"])
    }

    @Test func targetIsConfigurable() {
        // Target 60 s: only the 0 is within (70 > 60).
        let stats = ProjectionFixtures.replay(ProjectionFixtures.desk, into: Statistics(target: 60))
        let fr = stats.report().firstResponse
        #expect(fr.withinTarget == 0.25)
        #expect(fr.withinTargetOfAnswered == 1.0 / 3.0)
        #expect(fr.targetSeconds == 60)
    }

    @Test func repeatedEscalationsEachCount() {
        // Escalated at 10 and 20, both open, one resolution at 50 ends both: 40 and 30 s;
        // escalated again at 60, resolved at 70: 10 s; escalated at 80 and never resolved.
        // Values [10, 30, 40]: p50 30, mean 80 / 3.
        let events = [
            ProjectionFixtures.received("twitter:1", at: 0, postedAt: 0),
            ProjectionFixtures.event(10, "vol:a", .escalated(Escalated(post: "twitter:1", to: "c", reason: "r"))),
            ProjectionFixtures.event(20, "vol:a", .escalated(Escalated(post: "twitter:1", to: "c", reason: "r"))),
            ProjectionFixtures.event(50, "vol:c", .escalationResolved(EscalationResolved(post: "twitter:1"))),
            ProjectionFixtures.event(55, "vol:c", .escalationResolved(EscalationResolved(post: "twitter:1"))),
            ProjectionFixtures.event(60, "vol:a", .escalated(Escalated(post: "twitter:1", to: "c", reason: "r"))),
            ProjectionFixtures.event(70, "vol:c", .escalationResolved(EscalationResolved(post: "twitter:1"))),
            ProjectionFixtures.event(80, "vol:a", .escalated(Escalated(post: "twitter:9", to: "c", reason: "unknown post"))),
            ProjectionFixtures.event(80, "vol:a", .escalated(Escalated(post: "twitter:1", to: "c", reason: "r"))),
        ]
        let esc = ProjectionFixtures.replay(events, into: Statistics()).report().escalation
        #expect(esc.posts == 4 && esc.answered == 3 && esc.unanswered == 1)
        #expect(esc.p50Seconds == 30)
        #expect(abs(esc.meanSeconds! - 80.0 / 3.0) < 1e-12)
    }

    @Test func standaloneProjectionMatchesStatistics() {
        let alone = ProjectionFixtures.replay(ProjectionFixtures.desk, into: ReactionTimeProjection())
        #expect(alone == Self.stats.reactionTimes)
    }

    @Test func emptyLogHasNullFigures() {
        let report = Statistics().report(by: [.channel])
        #expect(report.firstResponse.posts == 0)
        #expect(report.firstResponse.p50Seconds == nil && report.firstResponse.meanSeconds == nil)
        #expect(report.firstResponse.withinTarget == nil)
        #expect(report.by["channel"] == [:])
        #expect(report.events == 0 && report.firstAt == nil)
    }
}
