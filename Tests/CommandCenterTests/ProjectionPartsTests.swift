@testable import CommandCenter
import Testing

/// Roster, channel share, volume, workload and hashtags, on the fixtures, computed by hand.
struct ProjectionPartsTests {
    typealias F = ProjectionFixtures

    @Test func rosterFollowsRolesInLogOrder() {
        var roster = Roster()
        var rolesSeen: [Role?] = []
        for (i, e) in F.desk.enumerated() {
            roster.apply(e, seq: UInt64(i + 1))
            if case .replied = e.body, e.actor == "vol:ana" { rolesSeen.append(roster.role(of: "vol:ana")) }
        }
        #expect(rolesSeen == [.ambassador, .coordinator])
        #expect(roster.role(of: "vol:ben") == .streamMonitor)
        #expect(roster.team(of: "vol:ana") == "red")
        #expect(roster.team(of: "vol:ben") == nil)
        #expect(roster.role(of: "vol:cy") == nil)
        // ana: 0 → 80 ambassador, 80 → 500 coordinator; ben: 1000 → 1400 (open, last event).
        #expect(roster.shiftMilliseconds(of: "vol:ana") == 500_000)
        #expect(roster.shiftMilliseconds(of: "vol:ben") == 400_000)
        #expect(roster.shiftMillisecondsByRole() == [.ambassador: 80_000, .coordinator: 420_000, .streamMonitor: 400_000])
        #expect(roster.volunteer("vol:ben")?.isOnShift == true)
    }

    @Test func rosterLeaveEndsShiftAndRejoinRestores() {
        let events = [
            F.event(0, "c", .volunteerJoined(VolunteerJoined(volunteer: "vol:a", name: "A", role: .photo))),
            F.event(10, "vol:a", .shiftStarted(ShiftStarted(volunteer: "vol:a"))),
            F.event(15, "vol:a", .shiftStarted(ShiftStarted(volunteer: "vol:a"))),  // already open: ignored
            F.event(40, "c", .volunteerLeft(VolunteerLeft(volunteer: "vol:a"))),  // ends the shift: 30 s
            F.event(50, "vol:a", .shiftEnded(ShiftEnded(volunteer: "vol:a"))),  // none open: ignored
            F.event(60, "c", .volunteerJoined(VolunteerJoined(volunteer: "vol:a", name: "A", role: .liveTweets, team: "t"))),
            F.event(100, "c", .noteAdded(NoteAdded(post: "x", text: "y"))),
        ]
        let roster = F.replay(events, into: Roster())
        #expect(roster.shiftMilliseconds(of: "vol:a") == 30_000)
        #expect(roster.role(of: "vol:a") == .liveTweets)
        #expect(roster.volunteer("vol:a")?.leftAt == nil)
        #expect(roster.lastAt == F.t(100))
    }

    @Test func channelShare() {
        // Inbound: twitter p1, p3, p5; instagram p2; the twitter repost p4 is left out.
        let p = F.replay(F.desk, into: ChannelShareProjection())
        #expect(p.total == 4)
        #expect(p.shares() == [.twitter: 0.75, .instagram: 0.25])
        #expect(F.replay(F.desk, into: Statistics()).report().channelShare == ["twitter": 0.75, "instagram": 0.25])
    }

    @Test func volumeBuckets() {
        // postedAt: p1 0 s and p2 5 s → 14:00; p3 100 s → 14:01; p5 200 s → 14:03; p4 repost.
        let p = F.replay(F.desk, into: VolumeProjection())
        let minutes = p.perMinute()
        #expect(minutes.map(\.start) == [F.t(0), F.t(60), F.t(180)])
        #expect(minutes.map(\.total) == [2, 1, 1])
        #expect(minutes[0].byChannel == [.twitter: 1, .instagram: 1])
        let hours = p.perHour()
        #expect(hours.count == 1)
        #expect(hours[0].start == F.t(0) && hours[0].total == 4 && hours[0].byChannel == [.twitter: 3, .instagram: 1])
    }

    @Test func volumeOutOfOrderPostedAt() {
        // postedAt 14:00:30, 13:59:59.999, 14:00:10, 15:00 — out of order, sparse.
        let events = [
            F.received("a:1", at: 100, postedAt: 30),
            F.received("a:2", at: 101, postedAt: -0.001, channel: .mastodon),
            F.received("a:3", at: 102, postedAt: 10),
            F.received("a:4", at: 103, postedAt: 3600),
        ]
        let p = F.replay(events, into: VolumeProjection())
        #expect(p.perMinute().map(\.start) == [F.t(-60), F.t(0), F.t(3600)])
        #expect(p.perMinute().map(\.total) == [1, 2, 1])
        #expect(p.perHour().map(\.start) == [F.t(-3600), F.t(0), F.t(3600)])
        #expect(p.perHour().map(\.total) == [1, 2, 1])
    }

    @Test func workloadPerVolunteerAndRoleAtTheTime() throws {
        let w = F.replay(F.desk, into: WorkloadProjection())
        let v = w.perVolunteer()
        // ana: replies p1 (ambassador) and p3 (coordinator), assigned p1, escalated p1 and noted p1
        // as coordinator; shift 500 s. ben: replies p1, p2, p4; assigned p1; shift 1000 → 1400.
        var ana = WorkloadProjection.Counts()
        ana.replies = 2; ana.assignmentsReceived = 1; ana.escalations = 1; ana.notes = 1; ana.shiftSeconds = 500
        var ben = WorkloadProjection.Counts()
        ben.replies = 3; ben.assignmentsMade = 1; ben.shiftSeconds = 400
        var cy = WorkloadProjection.Counts()
        cy.postsPublished = 1
        #expect(v["vol:ana"] == ana)
        #expect(v["vol:ben"] == ben)
        #expect(v["vol:cy"] == cy)
        #expect(v.count == 3)
        let r = w.perRole()
        var ambassador = WorkloadProjection.Counts()
        ambassador.replies = 1; ambassador.assignmentsReceived = 1; ambassador.shiftSeconds = 80
        var coordinator = WorkloadProjection.Counts()
        coordinator.replies = 1; coordinator.escalations = 1; coordinator.notes = 1; coordinator.shiftSeconds = 420
        var monitor = WorkloadProjection.Counts()
        monitor.replies = 3; monitor.assignmentsMade = 1; monitor.shiftSeconds = 400
        #expect(r[.ambassador] == ambassador)
        #expect(r[.coordinator] == coordinator)
        #expect(r[.streamMonitor] == monitor)
        #expect(r[nil] == cy)  // cy never joined: no known role
        #expect(r.count == 4)
        let report = F.replay(F.desk, into: Statistics()).report()
        #expect(report.workload.roles["unknown"] == cy)
        #expect(report.workload.volunteers["vol:ana"] == ana)
    }

    @Test func hashtagCountsAndEmerging() throws {
        let h = F.replay(F.hashtagEvents, into: HashtagProjection())
        #expect(h.count(of: "launch") == 34)
        #expect(h.count(of: "askpivot") == 5)
        #expect(h.count(of: "quiet") == 4)
        #expect(h.ranking().map(\.tag) == ["launch", "askpivot", "quiet"])
        // launch: 0…3300 s → 12 in hour 14, 3600…6900 → 12 in hour 15, the burst → 10 in hour 16.
        let hourly = h.hourlyCounts(of: "launch")
        #expect(hourly.map(\.hour) == [F.t(0), F.t(3600), F.t(7200)])
        #expect(hourly.map(\.posts) == [12, 12, 10])
        let emerging = h.emerging()
        #expect(emerging.map(\.tag) == ["askpivot", "launch"])
        let ask = emerging[0]
        #expect(ask.emergedAt == F.t(4) && ask.windowPosts == 5 && ask.baselinePer10Minutes == 0)
        #expect(ask.coveredBefore && ask.secondsToRule == 0 && ask.ruleAddedAt == F.t(-60))
        let launch = emerging[1]
        #expect(launch.emergedAt == F.t(8010))
        #expect(launch.windowPosts == 8)
        #expect(launch.baselinePer10Minutes == 23.0 / 12.0)
        #expect(!launch.coveredBefore)
        #expect(launch.ruleAddedAt == F.t(8730))
        #expect(launch.secondsToRule == 720)
    }

    @Test func emergenceRuleEdges() {
        let m: Int64 = 60_000
        // Posts at 0, 1, 2, 3 and 10 min: at 10 min the window (0, 10 min] holds 4 (the post at 0
        // is out: the window is open on the left) and the baseline 1 → not yet. A post at
        // 10 min 1 s: the window (1 s, 10 min 1 s] holds 5, the baseline 1, threshold 5 → emerges.
        let times: [Int64] = [0, 1 * m, 2 * m, 3 * m, 10 * m, 10 * m + 1000]
        let e = HashtagProjection.emergence(times)
        #expect(e?.at == 10 * m + 1000 && e?.window == 5 && e?.baseline == 1)
        // Five posts at the same instant emerge at that instant.
        #expect(HashtagProjection.emergence(Array(repeating: 5 * m, count: 5))?.at == 5 * m)
        // A baseline of 30 in the two hours before needs ⌈30/3⌉ = 10 in the window. Base posts every
        // 4 min from 0 to 116 min (at most 3 per 10 min); a burst from 127 min, one per second.
        // At burst post j (t = 127 min + j s) the window (117 min + j s, t] holds j + 1 posts and the
        // baseline (−3 min + j s, 117 min + j s] all 30 base posts: 9 posts are not enough…
        let base = (0..<30).map { Int64($0) * 4 * m }
        let burst9 = (0..<9).map { 127 * m + Int64($0) * 1000 }
        #expect(HashtagProjection.emergence(base + burst9) == nil)
        // …the 10th (j = 9) is.
        let burst10 = (0..<10).map { 127 * m + Int64($0) * 1000 }
        let hit = HashtagProjection.emergence(base + burst10)
        #expect(hit?.at == 127 * m + 9000 && hit?.window == 10 && hit?.baseline == 30)
    }

    @Test func replayingTwiceGivesEqualProjections() {
        let events = F.combined
        let a = F.replay(events, into: Statistics())
        let b = F.replay(events, into: Statistics())
        #expect(a == b)
        #expect(a.report(by: GroupingKey.allCases) == b.report(by: GroupingKey.allCases))
        #expect(a != F.replay(F.desk, into: Statistics()))
    }
}

@Test func anUrgentRuleCoversItsHashtag() {
    var hashtags = HashtagProjection()
    hashtags.rule("!#WifiDown", added: true, at: Timestamp(milliseconds: 1_000))
    for n in 0..<6 {
        let post = PostReceived(post: "twitter:\(n)", channel: .twitter, author: "a", text: "down", hashtags: ["wifidown"], mentions: [],
                                postedAt: Timestamp(milliseconds: 60_000 + Int64(n)))
        hashtags.received(post)
    }
    let emerged = hashtags.emerging()
    #expect(emerged.map(\.tag) == ["wifidown"])
    #expect(emerged.first?.coveredBefore == true)
}
