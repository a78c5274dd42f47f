import CommandCenter
import EventLog
import StoreTestSupport
import Testing

struct SimulationTests {
    static func simulate(_ options: ConferenceSimulation.Options, batchSize: Int = 2_000, on engine: TestStore = .lmdb) throws -> (SimulationSummary, [Event], DeskState, DeskTemporaryDirectory) {
        let dir = DeskTemporaryDirectory()
        let store = try EventStore.create(at: dir.child("log", on: engine))
        let desk = try Desk(store: store)
        let summary = try ConferenceSimulation(options: options).run(into: desk, batchSize: batchSize)
        var events: [Event] = []
        try store.events { _, event in events.append(event); return true }
        return (summary, events, desk.state, dir)
    }

    @Test func theSameSeedGivesTheSameEvents() throws {
        let options = ConferenceSimulation.Options(seed: 7, posts: 1_500)
        let (a, eventsA, _, _) = try Self.simulate(options, batchSize: 500)
        let (b, eventsB, _, _) = try Self.simulate(options, batchSize: 3_000)
        #expect(a == b)
        #expect(eventsA.count == eventsB.count)
        #expect(eventsA == eventsB)
        let (_, eventsC, _, _) = try Self.simulate(ConferenceSimulation.Options(seed: 8, posts: 1_500))
        #expect(eventsA != eventsC)
    }

    @Test func aConferenceLooksLikeTheCaseStudy() throws {
        let options = ConferenceSimulation.Options(posts: 5_000)
        let (summary, events, state, _) = try Self.simulate(options)
        let received = events.compactMap { event -> PostReceived? in
            if case .postReceived(let b) = event.body { return b }
            return nil
        }
        #expect(received.count == 5_000)
        #expect(summary.posts == 5_000)
        #expect(summary.events == events.count)

        // Channels: 89% Twitter.
        let twitter = Double(received.filter { $0.channel == .twitter }.count) / Double(received.count)
        #expect(abs(twitter - 0.89) < 0.02, "twitter share \(twitter)")
        #expect(Set(received.map(\.channel)).count >= 5)

        // Mentions are handles as a platform reads them from the text: "@oleg_ops's talk" names
        // oleg_ops (the case study's most mentioned accounts list them).
        let mentions = received.flatMap(\.mentions)
        let bad = mentions.filter { m in m.isEmpty || m.hasSuffix(".") || !m.allSatisfy { $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) } }
        #expect(bad.isEmpty, "\(Set(bad).sorted().prefix(5))")
        #expect(received.contains { $0.text.split(separator: " ").contains { $0.hasPrefix("@") && $0.contains("'") } }, "no possessive mention to read")

        // Times never decrease; three days.
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.at <= $1.at })
        let span = (events.last!.at.milliseconds - events.first!.at.milliseconds) / 3_600_000
        #expect(span >= 48 && span <= 72, "span \(span) h")

        // Emerging hashtags get a rule 5–20 minutes after they emerge, and they do emerge.
        #expect(summary.emerging.count == 3)
        for emerging in summary.emerging {
            let ruleAt = try #require(emerging.ruleAddedAt)
            let delay = ruleAt.milliseconds - emerging.emergedAt.milliseconds
            #expect(delay >= 5 * 60_000 && delay <= 20 * 60_000, "\(emerging.hashtag): \(delay) ms")
            #expect(state.listeningRules.contains(emerging.rule) || emerging.hashtag == "coffeegate")
            let ruleEvent = events.first { if case .listeningRuleAdded(let b) = $0.body { b.rule == emerging.rule } else { false } }
            #expect(ruleEvent?.at == ruleAt)
            let withTag = received.filter { $0.hashtags.contains(emerging.hashtag) }
            #expect(withTag.count > 20, "\(emerging.hashtag): \(withTag.count) posts")
            let firstSeen = try #require(events.first { if case .postReceived(let b) = $0.body { b.hashtags.contains(emerging.hashtag) } else { false } })
            #expect(firstSeen.at < ruleAt)
            #expect(firstSeen.at >= emerging.emergedAt)
        }

        // Reposts, escalations, role changes, publishing, notes and tags all happen.
        let reposts = received.filter(\.isRepost).count
        #expect(Double(reposts) / 5_000 > 0.05 && Double(reposts) / 5_000 < 0.11)
        let kinds = summary.eventsByKind
        // Every kind of the desk; describing the event is `smcc event`'s, not the desk's, and the
        // log's own administration (erasure, upgrade) is no part of a conference.
        for kind in EventKind.allCases where kind != .eventDescribed && !kind.isLogAdministration { #expect((kinds[kind] ?? 0) > 0, "no \(kind) event") }
        #expect((kinds[.roleChanged] ?? 0) >= 3)
        let escalated = Double(kinds[.escalated] ?? 0) / 5_000
        #expect(escalated > 0.01 && escalated < 0.06, "escalated \(escalated)")
        #expect(kinds[.volunteerJoined] == 15)

        // Most posts are answered; a post answered always has a reply first.
        let posts = state.allPosts()
        let answered = Double(posts.filter { $0.status == .resolved(.answered) }.count) / 5_000
        #expect(answered > 0.80 && answered < 0.95, "answered \(answered)")
        #expect(posts.allSatisfy { $0.status != .resolved(.answered) || $0.replies > 0 })
        #expect(state.triageQueue().allSatisfy { !$0.isRepost })

        // Reply times: a median of minutes, longer at night.
        let firsts = posts.compactMap { p in p.firstReplyAt.map { Double($0.milliseconds - p.postedAt.milliseconds) / 60_000 } }.sorted()
        let median = firsts[firsts.count / 2]
        #expect(median > 1 && median < 20, "median first response \(median) min")
        print("simulation of 5,000 posts: \(summary.events) events, answered \(answered), median first response \(median) min, speed ×\(summary.speedFactor), unresolved \(summary.unresolvedAtEnd)")
    }

    @Test func itRefusesADeskThatIsNotEmpty() throws {
        let dir = DeskTemporaryDirectory()
        let desk = try Desk(store: EventStore.create(at: dir.child("log")))
        try desk.execute(.addListeningRule("#x"), actor: "system", at: Timestamp(milliseconds: 0))
        #expect(throws: SimulationError.self) { try ConferenceSimulation().run(into: desk) }
    }

    @Test func oneDayAndSmallTeamsWork() throws {
        for (days, volunteers) in [(1, 1), (1, 4), (2, 6), (4, 20)] {
            let (summary, events, _, _) = try Self.simulate(.init(seed: 3, posts: 600, days: days, volunteers: volunteers, coordinators: days == 4 ? 3 : 1))
            #expect(summary.posts == 600)
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.at <= $1.at })
        }
    }
}
