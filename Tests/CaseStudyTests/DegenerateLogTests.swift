import CaseStudy
import CommandCenter
import Testing

/// Logs that lack what some figures need: the report says what is missing, draws no empty chart,
/// and still writes every CSV (with its header) and every other figure.
struct DegenerateLogTests {
    /// Posts on Twitter only, answered by an imported agent nobody introduced (no volunteerJoined).
    static let singleChannelNoVolunteers: [Event] = [
        Hand.received("twitter:1", at: 10, postedAt: 0, hashtags: ["help"]),
        Hand.received("twitter:2", at: 20, postedAt: 15),
        Hand.reply("twitter:1", at: 70, by: "import:agent-7"),
        Hand.reply("twitter:2", at: 200, by: "import:agent-7"),
    ]

    /// Posts nobody answered.
    static let noReplies: [Event] = [
        Hand.received("twitter:1", at: 10, postedAt: 0),
        Hand.received("instagram:2", at: 20, postedAt: 15, channel: .instagram),
    ]

    static func report(_ events: [Event]) throws -> CaseStudyReport {
        let log = try TemporaryLog(events)
        return CaseStudyReport(try log.facts(), title: "Degenerate")
    }

    static func expectMissing(_ report: CaseStudyReport, _ figure: String, saying words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(report.file("figures/\(figure).svg") == nil, "\(figure) drawn", sourceLocation: sourceLocation)
        let reason = try #require(report.missing.first { $0.figure == figure }?.reason, "\(figure) not listed as missing", sourceLocation: sourceLocation)
        #expect(reason.contains(words), "\(reason)", sourceLocation: sourceLocation)
        #expect(try report.required("index.html").contains(reason), sourceLocation: sourceLocation)
        #expect(try report.required("report.md").contains("Not drawn: "), sourceLocation: sourceLocation)
    }

    @Test func aSingleChannelWithoutVolunteers() throws {
        let report = try Self.report(Self.singleChannelNoVolunteers)
        // One channel: the key figure says so, and no empty box repeats it (the CSV is still written).
        #expect(report.file("figures/channel-share.svg") == nil && !report.missing.contains { $0.figure == "channel-share" })
        #expect(try !report.required("index.html").contains("figure-channel-share"))
        try Self.expectMissing(report, "workload-roles", saying: "No volunteer joined with a role")
        try Self.expectMissing(report, "escalations", saying: "No post was escalated")
        #expect(report.keyFigures.text("channel share") == "all of the conversation on Twitter (a single channel)")
        #expect(report.keyFigures.text("team") == "no volunteer joined in this log, so roles are unknown (1 people replied)")
        // Still drawn: the agent's replies, in the grey of "no known role".
        let volunteers = try report.svg("workload-volunteers")
        #expect(volunteers.values("replies") == ["import:agent-7": "2"])
        #expect(volunteers.marks(series: "replies").first?.attributes["fill"] == Palette.color(nil as Role?))
        #expect(try report.svg("first-response-cdf").values("p50") == ["seconds": "127.500"])
        #expect(try report.csv("channel-share").rows == [["twitter", "2", "1.000000"]])
        #expect(try report.csv("workload-roles").rows.map { $0[0] } == ["unknown"])
    }

    /// Posts and nothing else: an archive of the conversation. The desk's figures are left out
    /// with one sentence saying why, instead of "0% answered" and a backlog that only counts posts.
    @Test func noDeskWorkLeavesTheDeskOut() throws {
        let report = try Self.report(Self.noReplies)
        for figure in ["volume", "first-response-cdf", "first-response-by-hour", "backlog", "escalations", "workload-volunteers", "workload-roles"] {
            #expect(report.file("figures/\(figure).svg") == nil && report.file("data/\(figure).csv") == nil, "\(figure)")
            #expect(!report.missing.contains { $0.figure == figure }, "\(figure) listed as not drawn")
        }
        for label in ["answered", "first response", "within target", "team", "escalations", "left at the end"] {
            #expect(report.keyFigures.text(label) == nil, "\(label)")
        }
        #expect(report.keyFigures.text("desk")?.hasPrefix("no desk work in this log") == true)
        let html = try report.required("index.html")
        #expect(html.contains("<p id=\"no-desk\">No desk work in this log"))
        #expect(!html.contains("answered within"))
        try Self.expectMissing(report, "hashtags", saying: "No post carries a hashtag")
        #expect(try report.svg("channel-share").values("share") == ["twitter": "0.500000", "instagram": "0.500000"])
        #expect(try report.svg("conversation-volume").list("originals").values == ["2"])
    }

    @Test func emergingHashtagsSayWhichRulesCameLate() throws {
        // #outage: 5 posts in 4 minutes (emerges at 240 s), a rule 60 s later; #calm is covered
        // before it emerges; #noise never is.
        var events: [Event] = [Hand.event(0, "vol:coord", .listeningRuleAdded(ListeningRuleAdded(rule: "#calm")))]
        for k in 0..<5 {
            events.append(Hand.received("twitter:\(k)", at: 60 * k + 1, postedAt: 60 * k, hashtags: ["outage", "calm", "noise"]))
        }
        events.append(Hand.event(300, "vol:coord", .listeningRuleAdded(ListeningRuleAdded(rule: "!#outage"))))
        // Described, so that no hashtag is assumed to be the event's own (each is on every post).
        events.append(Hand.event(400, "system", .eventDescribed(EventDescribed(name: "Outage", timeZone: "UTC", firstDay: "2026-06-02", lastDay: "2026-06-02", hashtags: ["pivotcon"]))))
        let report = try Self.report(events)
        #expect(report.keyFigures.text("emerging hashtags") == "#outage at 2026-06-02 09:04 UTC, listening rule 60 s later; already covered by a rule when they emerged: #calm; never covered by a rule: #noise")
        let hashtags = try report.svg("hashtags")
        #expect(hashtags.values("#outage rule") == ["outage": "60.000"])
        #expect(hashtags.values("#calm rule").isEmpty)
        #expect(try report.csv("emerging-hashtags").row("calm")?["covered before"] == "yes")
    }

    @Test func aLogOverMoreThanTwoWeeksIsDrawnInDays() throws {
        // One post a day for 20 days (at 10:00), each answered an hour later by an agent.
        var events: [Event] = []
        for d in 0..<20 {
            events.append(Hand.received("twitter:\(d)", at: d * 86_400 + 3_600, postedAt: d * 86_400 + 3_600 - 5))
            events.append(Hand.reply("twitter:\(d)", at: d * 86_400 + 7_200, by: "import:agent"))
        }
        let report = try Self.report(events)
        let volume = try report.csv("volume")
        #expect(volume.rows.count == 20)
        #expect(try volume.column("start").allSatisfy { $0.hasSuffix("T00:00:00.000Z") })
        #expect(try volume.column("total") == Array(repeating: "1", count: 20))
        #expect(try report.svg("volume").list("twitter").values == Array(repeating: "1", count: 20))
        // The backlog at the end of each day: every post answered but none resolved or assigned.
        #expect(try report.csv("backlog").column("triage at end") == (1...20).map(String.init))
        #expect(try report.required("figures/volume.svg").contains("posts per day"))
    }

    @Test func anEmptyLog() throws {
        let report = try Self.report([])
        #expect(!report.files.contains { $0.path.hasPrefix("figures/") })
        #expect(report.missing.map(\.figure) == ["conversation-volume", "conversation-days", "heatmap", "event-hashtags", "hashtags", "channel-share"])
        #expect(report.keyFigures.verifyCommand == nil)
        #expect(report.keyFigures.text("posts") == "0 posts: 0 originals and 0 reposts; 0 replies, 0 quotes")
        #expect(try report.required("index.html").contains("The log is empty: there is no head to check."))
        #expect(try report.csv("posts").rows.isEmpty)
    }

    /// One stray post six years before a day of posts: counted in every total, named on the page,
    /// not drawn (the axis would otherwise span six years with one spike). `--from`/`--to` move
    /// the window, and what falls outside is named the same way.
    @Test func aStrayPostIsNamedNotDrawn() throws {
        let stray = Event(at: Timestamp(milliseconds: Hand.t0 - 6 * 365 * 86_400_000), actor: "import:csv", body: .postReceived(PostReceived(
            post: "twitter:7", channel: .twitter, author: "early", text: "hello", hashtags: [], mentions: [],
            postedAt: Timestamp(milliseconds: Hand.t0 - 6 * 365 * 86_400_000))))
        let events = [stray] + (0..<6).map { Hand.received("twitter:\(100 + $0)", at: 600 * $0 + 5, postedAt: 600 * $0) }
        let log = try TemporaryLog(events)
        let report = CaseStudyReport(try log.facts(), title: "Stray")
        let volume = try report.csv("conversation-volume")
        // 09:00 and 09:50 are the first and last posts: the window is the hour of each.
        #expect(try volume.column("start") == ["2026-06-02T09:00:00.000Z"])
        #expect(try volume.column("posts") == ["6"])
        #expect(report.keyFigures.text("posts")?.hasPrefix("7 posts: 7 originals") == true)
        let html = try report.required("index.html")
        #expect(html.contains("1 post outside it is counted in every total but not drawn: 1 on 2020-06-03."), "\(html.prefix(3000))")
        #expect(try report.csv("heatmap").rows.count == 1)

        let late = try EventFacts.replay(log.store, log: log.path, head: nil, options: .init(from: .instant(Hand.at(1_200)), to: .day(CivilDate("2026-06-02")!)))
        let window = CaseStudyReport(late, title: "Late")
        // 09:20 to the end of the day: 15 hours; the posts at 09:20, 09:30, 09:40 and 09:50 in the first.
        let posts = try window.csv("conversation-volume").column("posts")
        #expect(posts.count == 15 && posts.first == "4" && posts.dropFirst().allSatisfy { $0 == "0" }, "\(posts)")
        #expect(try window.required("index.html").contains("as --from/--to asked. 3 posts outside it are counted in every total but not drawn: 1 on 2020-06-03, 2 on 2026-06-02."))
    }

    @Test func comparedWithAnotherLogThatHasNoReplies() throws {
        let this = try TemporaryLog(KnownLogTests.events)
        let other = try TemporaryLog(Self.noReplies)
        let report = CaseStudyReport(try this.facts(), compare: [try other.facts()], title: "Compared")
        // Both logs are named `log`: their folders tell them apart.
        let names = [this, other].map { "\($0.directory.split(separator: "/").last!)/log" }
        // Both editions' days are assumed (no description): the one day of their posts, day 1.
        // KnownLog: 5 posts (4 inbound and a repost); the other: 2.
        let daily = try report.svg("compare-daily-volume")
        #expect(daily.values(names[0]) == ["1": "5"])
        #expect(daily.values(names[1]) == ["1": "2"])
        #expect(try report.csv("compare-daily-volume").rows == [["1", "5", "2"]])
        try Self.expectMissing(report, "compare-first-response", saying: "was answered by a desk")
        let key = try report.csv("key-figures")
        #expect(key.header == ["figure"] + names)
        #expect(key.row("answered") == ["figure": "answered", names[0]: "75.0% answered (3 of 4)", names[1]: ""])
        let changes = try report.csv("editions-changes")
        #expect(changes.header == ["figure", names[0], "change", names[1]])
        #expect(changes.row("posts (reposts included)") == ["figure": "posts (reposts included)", names[0]: "5", "change": "\u{2212}3 (\u{2212}60.0%)", names[1]: "2"])
        #expect(changes.row("answered")?["change"] == "–")
        #expect(try report.csv("editions").rows.map { $0[0] } == names)
        #expect(try report.required("index.html").contains("<h2>Editions compared</h2>"))
    }

    @Test func comparedFirstResponseCurvesAreBothLogs() throws {
        let this = try TemporaryLog(KnownLogTests.events)
        let other = try TemporaryLog(Self.singleChannelNoVolunteers)
        let report = CaseStudyReport(try this.facts(), compare: [try other.facts()])
        let names = [this, other].map { "\($0.directory.split(separator: "/").last!)/log" }
        let svg = try report.svg("compare-first-response")
        let csv = try report.csv("compare-first-response")
        #expect(try svg.list(names[0]).values == (try csv.column("\(names[0]) share of answered")))
        #expect(try svg.list(names[1]).values == (try csv.column("\(names[1]) share of answered")))
        // Both curves end with every answered post.
        #expect(try csv.column("\(names[0]) share of answered").last == "1.000000")
        #expect(try csv.column("\(names[1]) share of answered").last == "1.000000")
        // The other log's answers came after 70 − 0 = 70 s and 200 − 15 = 185 s.
        let rows = csv.rows.map { (Int($0[0])!, $0[2]) }
        #expect(rows.filter { $0.0 < 70 }.allSatisfy { $0.1 == "0.000000" })
        #expect(rows.filter { $0.0 >= 70 && $0.0 < 185 }.allSatisfy { $0.1 == "0.500000" })
    }
}
