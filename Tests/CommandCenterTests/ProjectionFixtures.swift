import CommandCenter

/// Small event sequences with hand-computed statistics, shared by the projection tests.
enum ProjectionFixtures {
    /// 2012-10-02T14:00:00.000Z.
    static let t0: Int64 = 1_349_186_400_000

    /// `seconds` after ``t0``.
    static func t(_ seconds: Double) -> Timestamp {
        Timestamp(milliseconds: t0 + Int64((seconds * 1000).rounded()))
    }

    static func event(_ at: Double, _ actor: String, _ body: EventBody) -> Event {
        Event(at: t(at), actor: actor, body: body)
    }

    static func received(
        _ post: String, at: Double, postedAt: Double, channel: Channel = .twitter,
        hashtags: [String] = [], isRepost: Bool = false
    ) -> Event {
        event(at, "import:test", .postReceived(PostReceived(
            post: post, channel: channel, author: "someone", text: "hello", hashtags: hashtags,
            mentions: [], postedAt: t(postedAt), isRepost: isRepost
        )))
    }

    /// `events` moved `seconds` later, `at` and `postedAt` alike.
    static func shifted(_ events: [Event], by seconds: Int64) -> [Event] {
        events.map { e in
            var e = e
            e.at = Timestamp(milliseconds: e.at.milliseconds + seconds * 1000)
            if case .postReceived(var b) = e.body {
                b.postedAt = Timestamp(milliseconds: b.postedAt.milliseconds + seconds * 1000)
                e.body = .postReceived(b)
            }
            return e
        }
    }

    /// ``desk`` then the hashtag scenario 10,000 s later (too late for either to change the
    /// other's emerging hashtags: the baseline looks back 130 minutes).
    static var combined: [Event] { desk + shifted(hashtagEvents, by: 10_000) }

    /// Feeds `events` to a fresh projection, seq from 1.
    static func replay<P: Projection>(_ events: [Event], into projection: P) -> P {
        var p = projection
        for (i, e) in events.enumerated() { p.apply(e, seq: UInt64(i + 1)) }
        return p
    }

    /// The desk scenario (times in seconds after ``t0``):
    ///
    /// | at | event | effect |
    /// |---|---|---|
    /// | 0 | ana joins (ambassador, team red), ben joins (streamMonitor, no team), ana's shift starts | |
    /// | 10 | p1 twitter #askpivot posted 0 | |
    /// | 20 | p2 instagram #askpivot #swift #askpivot posted 5 | duplicate tag counts once |
    /// | 30 | p3 twitter posted 100 | clock skew: posted after received |
    /// | 40 | p4 twitter repost posted 30 | excluded |
    /// | 60 | ben assigns p1 to ana | time to assign p1 = 60 − 10 = 50 |
    /// | 70 | ana (ambassador) replies p1 | first response p1 = 70 − 0 = 70 |
    /// | 80 | ana becomes coordinator | her shift: 80 s as ambassador |
    /// | 90 | ana (coordinator) replies p3 | 90 − 100 = −10 → 0, anomaly |
    /// | 95 | ben replies p1 | not first, ignored for reaction times |
    /// | 100 | ana escalates p1 to ben | |
    /// | 130 | ana resolves p3 | time to resolve p3 = 130 − 30 = 100 |
    /// | 210 | p5 twitter #askpivot posted 200 | never answered |
    /// | 500 | ana's shift ends | 420 s as coordinator |
    /// | 1000 | ben's shift starts; ben (streamMonitor) replies p2 | 1000 − 5 = 995 |
    /// | 1300 | ben resolves the escalation of p1 | 1300 − 100 = 1200 |
    /// | 1350 | ana notes p1; cy (never joined) publishes a post | |
    /// | 1400 | ben replies p4 (the repost) | ignored for reaction times; ben's shift: 400 s |
    static let desk: [Event] = [
        event(0, "vol:coord", .volunteerJoined(VolunteerJoined(volunteer: "vol:ana", name: "Ana", role: .ambassador, team: "red"))),
        event(0, "vol:coord", .volunteerJoined(VolunteerJoined(volunteer: "vol:ben", name: "Ben", role: .streamMonitor))),
        event(0, "vol:ana", .shiftStarted(ShiftStarted(volunteer: "vol:ana"))),
        received("twitter:1", at: 10, postedAt: 0, hashtags: ["askpivot"]),
        received("instagram:2", at: 20, postedAt: 5, channel: .instagram, hashtags: ["askpivot", "swift", "askpivot"]),
        received("twitter:3", at: 30, postedAt: 100),
        received("twitter:4", at: 40, postedAt: 30, hashtags: ["askpivot"], isRepost: true),
        event(60, "vol:ben", .postAssigned(PostAssigned(post: "twitter:1", to: "vol:ana"))),
        event(70, "vol:ana", .replied(Replied(post: "twitter:1", text: "hi"))),
        event(80, "vol:coord", .roleChanged(RoleChanged(volunteer: "vol:ana", from: .ambassador, to: .coordinator))),
        event(90, "vol:ana", .replied(Replied(post: "twitter:3", text: "hi"))),
        event(95, "vol:ben", .replied(Replied(post: "twitter:1", text: "also hi"))),
        event(100, "vol:ana", .escalated(Escalated(post: "twitter:1", to: "vol:ben", reason: "angry"))),
        event(130, "vol:ana", .postResolved(PostResolved(post: "twitter:3", outcome: .answered))),
        received("twitter:5", at: 210, postedAt: 200, hashtags: ["askpivot"]),
        event(500, "vol:ana", .shiftEnded(ShiftEnded(volunteer: "vol:ana"))),
        event(1000, "vol:ben", .shiftStarted(ShiftStarted(volunteer: "vol:ben"))),
        event(1000, "vol:ben", .replied(Replied(post: "instagram:2", text: "hi"))),
        event(1300, "vol:ben", .escalationResolved(EscalationResolved(post: "twitter:1"))),
        event(1350, "vol:ana", .noteAdded(NoteAdded(post: "twitter:1", text: "calm now"))),
        event(1350, "vol:cy", .postPublished(PostPublished(post: "twitter:900", channel: .twitter, text: "live!"))),
        event(1400, "vol:ben", .replied(Replied(post: "twitter:4", text: "thanks for sharing"))),
    ]

    /// The hashtag scenario (times in seconds after ``t0``, `at` = `postedAt`):
    ///
    /// - `#AskPivot` rule added at −60; `askpivot` posted at 0, 1, 2, 3, 4: at 4 the window holds 5
    ///   posts, the baseline 0, threshold max(5, ⌈0/3⌉) = 5 → emerges at 4, already covered.
    /// - `launch` posted every 300 s from 0 to 6900 (24 posts: 2 per 10 minutes, never 5), then a
    ///   burst every 30 s from 7800 (130 min) to 8070. At the burst post j (t = 7800 + 30j) the
    ///   window (t − 600, t] holds j + 1 burst posts (the last regular one, 6900, is before
    ///   t − 600 ≥ 7200); the baseline (t − 7800, t − 600] = (30j, 7200 + 30j] holds the regular
    ///   posts 300…6900 = 23. Threshold max(5, ⌈23/3⌉) = 8 (4 × 23/12 = 7.67) → emerges at j = 7,
    ///   t = 8010, window 8, baseline 23/12 per 10 minutes.
    /// - `#launch` rule added at 100 and removed at 200 (not active at 8010), added again as
    ///   `#LAUNCH` at 8730 → 720 s after the emergence.
    /// - `quiet` posted 4 times at 0…3: never reaches 5.
    static var hashtagEvents: [Event] {
        var events: [Event] = [
            event(-60, "vol:coord", .listeningRuleAdded(ListeningRuleAdded(rule: "#AskPivot"))),
            event(100, "vol:coord", .listeningRuleAdded(ListeningRuleAdded(rule: "#launch"))),
            event(200, "vol:coord", .listeningRuleRemoved(ListeningRuleRemoved(rule: "#launch"))),
            event(8730, "vol:coord", .listeningRuleAdded(ListeningRuleAdded(rule: "#LAUNCH"))),
        ]
        var n = 0
        func post(_ s: Double, _ tags: [String]) {
            n += 1
            events.append(received("twitter:\(n)", at: s, postedAt: s, hashtags: tags))
        }
        for s in 0..<5 { post(Double(s), s < 4 ? ["askpivot", "quiet"] : ["askpivot"]) }
        for k in 0..<24 { post(Double(300 * k), ["launch"]) }
        for j in 0..<10 { post(Double(7800 + 30 * j), ["launch"]) }
        // Stable sort by time: the log's order.
        return events.enumerated().sorted {
            $0.element.at != $1.element.at ? $0.element.at < $1.element.at : $0.offset < $1.offset
        }.map(\.element)
    }
}
