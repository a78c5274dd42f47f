import CaseStudy
import CommandCenter
import EventLog
import Testing

/// A small log whose key figures are computed by hand, below, and checked in every form the
/// report gives them: the key figures, the CSV behind each figure, and the SVG marks.
///
/// Times are seconds after 2026-06-02T09:00:00Z.
///
/// | at | event | effect |
/// |---|---|---|
/// | 0 | coord (coordinator), ana (ambassador), ben (stream monitor) join; ana's shift starts; rule `#askpivot` | |
/// | 10 | p1 twitter #askpivot, posted 0 | |
/// | 70 | p2 twitter, posted 60 | |
/// | 130 | p3 instagram, posted 120 | |
/// | 190 | p4 twitter, posted 180 | never answered |
/// | 200 | p5 twitter repost | left out |
/// | 100 | ben assigns p1 to ana | p1 leaves triage |
/// | 300 | ana replies p1; 310 resolves it `answered` | first response 300 s |
/// | 660 | ana replies p2 | first response 600 s |
/// | 700 | ana escalates p3 to coord | |
/// | 3720 | coord replies p3; 3730 resolves the escalation; 3740 resolves p3 `noAction` | first response 3600 s; escalation 3030 s |
///
/// Posts 5 (4 originals and the repost p5: 20% reposts), all by `someone`; inbound posts 4
/// (twitter 3, instagram 1: 75%). Answered 3 of 4 (75%). First responses 300,
/// 600, 3600 s: p50 = 600 s (10 min); p90 at position 1.8 = 600 + 0.8 × 3000 = 3000 s (50 min).
/// Within 15 min: 2 of 4 (50%), 2 of 3 answered (66.7%). Busiest hour 09:00, 5 posts. Triage at
/// the end of 09:00: p2, p3, p4 (p1 assigned) = 3, one open escalation; at the end of 10:00:
/// p2, p4 = 2, none open.
struct KnownLogTests {
    static let events: [Event] = [
        Hand.event(0, "system", .volunteerJoined(VolunteerJoined(volunteer: "vol:coord", name: "Coord", role: .coordinator))),
        Hand.event(0, "vol:coord", .volunteerJoined(VolunteerJoined(volunteer: "vol:ana", name: "Ana", role: .ambassador, team: "red"))),
        Hand.event(0, "vol:coord", .volunteerJoined(VolunteerJoined(volunteer: "vol:ben", name: "Ben", role: .streamMonitor))),
        Hand.event(0, "vol:ana", .shiftStarted(ShiftStarted(volunteer: "vol:ana"))),
        Hand.event(0, "vol:coord", .listeningRuleAdded(ListeningRuleAdded(rule: "#askpivot"))),
        Hand.received("twitter:1", at: 10, postedAt: 0, hashtags: ["askpivot"]),
        Hand.received("twitter:2", at: 70, postedAt: 60),
        Hand.event(100, "vol:ben", .postAssigned(PostAssigned(post: "twitter:1", to: "vol:ana"))),
        Hand.received("instagram:3", at: 130, postedAt: 120, channel: .instagram),
        Hand.received("twitter:4", at: 190, postedAt: 180),
        Hand.received("twitter:5", at: 200, postedAt: 195, repost: true),
        Hand.reply("twitter:1", at: 300, by: "vol:ana"),
        Hand.event(310, "vol:ana", .postResolved(PostResolved(post: "twitter:1", outcome: .answered))),
        Hand.reply("twitter:2", at: 660, by: "vol:ana"),
        Hand.event(700, "vol:ana", .escalated(Escalated(post: "instagram:3", to: "vol:coord", reason: "refund"))),
        Hand.reply("instagram:3", at: 3720, by: "vol:coord"),
        Hand.event(3730, "vol:coord", .escalationResolved(EscalationResolved(post: "instagram:3"))),
        Hand.event(3740, "vol:coord", .postResolved(PostResolved(post: "instagram:3", outcome: .noAction))),
    ]

    static func report() throws -> (CaseStudyReport, EventFacts, TemporaryLog) {
        let log = try TemporaryLog(events)
        let facts = try log.facts()
        return (CaseStudyReport(facts, title: "Known"), facts, log)
    }

    @Test func keyFiguresAreTheHandComputedOnes() throws {
        let (report, _, log) = try Self.report()
        let key = report.keyFigures
        #expect(key.text("posts") == "5 posts: 4 originals and 1 repost (20.0% reposts); 0 replies, 0 quotes; posted from 2026-06-02 09:00 UTC to 2026-06-02 09:03 UTC", "\(key.items)")
        #expect(key.text("inbound posts") == "4 inbound posts reached the desk (reposts are not answered: 1 repost left out of the desk's figures)")
        #expect(key.text("authors") == "1 distinct account posted")
        #expect(key.text("channel share") == "75.0% of the conversation on Twitter, then Instagram 25.0%")
        #expect(key.text("answered") == "75.0% answered (3 of 4)")
        #expect(key.text("first response") == "median 10 min, p90 50 min (from posting to the first reply)")
        #expect(key.text("within target") == "50.0% of all posts answered within 15 min (66.7% of the answered ones)")
        #expect(key.text("busiest hour") == "2026-06-02 09:00–10:00 UTC, 5 posts (4 originals, 1 repost)")
        #expect(key.text("team") == "3 volunteers: 1 ambassador, 1 stream monitor, 1 coordinator (roles at the end of the log)")
        #expect(key.text("top hashtags") == "#askpivot 1")
        #expect(key.text("escalations") == "1 escalation, 1 resolved, median 50.5 min to resolve")
        #expect(key.text("left at the end") == "2 in triage, 0 assigned, 0 escalations open")
        let head = try #require(try log.store.log.head()?.description)
        #expect(key.text("log head") == head)
        #expect(key.verifyCommand == "smcc verify \(log.path) --head \(head)")
        let html = try report.required("index.html")
        #expect(html.contains("smcc verify \(log.path) --head \(head)"))
        #expect(html.contains("75.0% of the conversation on Twitter"))
        #expect(try report.required("report.md").contains("- **answered**: 75.0% answered (3 of 4)"))
    }

    @Test func postsCSVHasOneRowPerInboundPost() throws {
        let (report, _, _) = try Self.report()
        let posts = try report.csv("posts")
        #expect(posts.header == ["post", "channel", "posted", "received", "first reply", "responder", "role", "first response seconds", "resolved", "outcome"])
        #expect(posts.rows.count == 4)
        #expect(posts.row("twitter:1") == [
            "post": "twitter:1", "channel": "twitter", "posted": "2026-06-02T09:00:00.000Z", "received": "2026-06-02T09:00:10.000Z",
            "first reply": "2026-06-02T09:05:00.000Z", "responder": "vol:ana", "role": "ambassador", "first response seconds": "300.000",
            "resolved": "2026-06-02T09:05:10.000Z", "outcome": "answered",
        ])
        #expect(posts.row("instagram:3")?["role"] == "coordinator")
        #expect(posts.row("instagram:3")?["first response seconds"] == "3600.000")
        #expect(posts.row("instagram:3")?["outcome"] == "noAction")
        #expect(posts.row("twitter:4")?["first reply"] == "")
        #expect(posts.row("twitter:4")?["outcome"] == "")
        #expect(posts.row("twitter:5") == nil)
    }

    @Test func figuresPlotTheHandComputedNumbers() throws {
        let (report, _, _) = try Self.report()
        let summary = try report.csv("first-response-summary")
        #expect(summary.row("p50 seconds")?["value"] == "600.000")
        #expect(summary.row("p90 seconds")?["value"] == "3000.000")
        let cdf = try report.svg("first-response-cdf")
        #expect(cdf.values("p50") == ["seconds": "600.000"])
        #expect(cdf.values("p90") == ["seconds": "3000.000"])
        #expect(cdf.values("target") == ["seconds": "900.000"])

        let backlog = try report.csv("backlog")
        #expect(backlog.rows == [["2026-06-02T09:00:00.000Z", "3", "1"], ["2026-06-02T10:00:00.000Z", "2", "0"]])
        #expect(try report.svg("backlog").list("triage").values == ["3", "2"])

        let share = try report.svg("channel-share")
        #expect(share.values("share") == ["twitter": "0.750000", "instagram": "0.250000"])

        let volume = try report.svg("volume")
        // The window covers the log's events, 09:00 to the reply at 10:02: two hours.
        #expect(try volume.list("twitter") == (["2026-06-02T09:00:00.000Z", "2026-06-02T10:00:00.000Z"], ["3", "0"]))
        #expect(try volume.list("instagram").values == ["1", "0"])

        let escalations = try report.csv("escalations")
        #expect(escalations.rows.map { $0[1] } == ["1", "0"])
        #expect(escalations.rows.map { $0[2] } == ["0", "1"])

        let roles = try report.svg("workload-roles")
        #expect(roles.values("replies") == ["ambassador": "2", "coordinator": "1", "streamMonitor": "0"])
        #expect(roles.values("assignments made") == ["ambassador": "0", "coordinator": "0", "streamMonitor": "1"])
        #expect(try report.svg("workload-volunteers").values("replies") == ["vol:ana": "2", "vol:coord": "1"])
    }
}
