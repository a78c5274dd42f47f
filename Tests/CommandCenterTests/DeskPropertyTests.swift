import CommandCenter
import Testing

/// Random command sequences, each command chosen by a seeded generator among plausible ones and
/// kept only if the rules accept it; after every step the invariants must hold.
struct DeskPropertyTests {
    static let volunteers = ["vol:mia", "vol:noah", "vol:ana", "vol:ben", "vol:cat", "vol:sam", "vol:sue", "vol:pat", "vol:liv"]
    static let actors = volunteers + ["system", "monitor:twitter", "import:twcs", "vol:ghost"]

    struct Generator {
        var rng: SplitMix64
        var nextPost = 1
        var posts: [String] = []

        mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

        mutating func command(_ state: DeskState) -> (DeskCommand, String) {
            let post = posts.isEmpty || int(5) == 0 ? "twitter:404" : pick(posts)
            let version: UInt64? = int(3) == 0 ? (int(2) == 0 ? state.post(post)?.version : UInt64(int(40))) : nil
            let volunteer = pick(DeskPropertyTests.volunteers)
            let actor = pick(DeskPropertyTests.actors)
            switch int(20) {
            case 0, 1, 2:
                var id = "twitter:\(nextPost)"
                if int(6) == 0, let known = posts.isEmpty ? nil : pick(posts) { id = known } else { nextPost += 1; posts.append(id) }
                let tags = int(4) == 0 ? ["wifidown"] : ["pivotcon26"]
                return (.receivePost(PostReceived(post: id, channel: .twitter, author: "a\(int(9))", text: int(5) == 0 ? "need a MEDIC" : "hello",
                                                  hashtags: tags, mentions: [], postedAt: Timestamp(milliseconds: 1_780_383_000_000), isRepost: int(8) == 0)),
                        pick(["system", "monitor:twitter", "import:twcs"]))
            case 3, 4: return (.assign(post: post, to: pick([volunteer, "vol:ana", "vol:ben"]), expectedVersion: version), pick(["vol:sam", "vol:sue", "vol:mia", actor]))
            case 5: return (.unassign(post: post, reason: nil, expectedVersion: version), actor)
            case 6, 7:
                // Mostly work on someone's queue, as an ambassador would.
                let holders = state.volunteersWithQueues
                if !holders.isEmpty, int(4) != 0, let mine = state.volunteerQueue(pick(holders)).first, let holder = mine.assignee {
                    return mine.replies == 0 || int(2) == 0
                        ? (.reply(post: mine.id, text: "hi", expectedVersion: version), holder)
                        : (.resolve(post: mine.id, outcome: .answered), holder)
                }
                return (.reply(post: post, text: "hi", expectedVersion: version), state.post(post)?.assignee ?? actor)
            case 8, 9: return (.resolve(post: post, outcome: int(2) == 0 ? .answered : pick(Outcome.allCases), expectedVersion: version), state.post(post)?.assignee ?? actor)
            case 10: return (.escalate(post: post, to: pick(["vol:mia", "vol:noah", volunteer]), reason: "why", priority: pick([nil, .low, .urgent])), actor)
            case 11: return (.resolveEscalation(post: post), pick(["vol:mia", "vol:noah", actor]))
            case 12: return (int(2) == 0 ? .addNote(post: post, text: "n") : .tag(post: post, tags: ["t"]), actor)
            case 13: return (.publish(post: "twitter:9\(nextPost)", channel: .twitter, text: "live"), actor)
            case 14: return (.joinVolunteer(volunteer: volunteer, name: "V", role: pick(Role.allCases)), pick(["system", "vol:mia", "vol:noah", actor]))
            case 15: return (int(4) == 0 ? .leaveVolunteer(volunteer: volunteer) : .changeRole(volunteer: volunteer, to: pick(Role.allCases)),
                             pick(["vol:mia", "vol:noah", actor]))
            case 16, 17: return (int(3) == 0 ? .endShift(volunteer: volunteer) : .startShift(volunteer: volunteer), pick([volunteer, actor]))
            case 18: return (.addListeningRule(pick(["!#wifidown", "!medic", "#pivotcon26", "@pivotdesk"])), pick(["system", "vol:mia", actor]))
            default: return (.removeListeningRule(pick(["!#wifidown", "!medic"])), pick(["vol:mia", actor]))
            }
        }
    }

    static func checkInvariants(_ state: DeskState) {
        let triage = Set(state.triageQueue().map(\.id))
        let queues = Dictionary(uniqueKeysWithValues: Self.volunteers.map { ($0, Set(state.volunteerQueue($0).map(\.id))) })
        for post in state.allPosts() {
            if post.status == .resolved(.answered) { #expect(post.replies >= 1, "\(post.id) answered without a reply") }
            let inTriage = !post.status.isResolved && post.assignee == nil && !post.isRepost
            #expect(triage.contains(post.id) == inTriage, "\(post.id) in triage: \(triage.contains(post.id)), should be \(inTriage)")
            for (v, queue) in queues {
                let mine = post.assignee == v && !post.status.isResolved
                #expect(queue.contains(post.id) == mine, "\(post.id) in \(v)'s queue: \(queue.contains(post.id)), should be \(mine)")
            }
            if let assignee = post.assignee, !post.status.isResolved {
                #expect(state.volunteer(assignee)?.active == true, "\(post.id) held by \(assignee), who is not active")
            }
        }
        for v in state.volunteers.values where !v.active { #expect(!v.onShift) }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomValidSequencesKeepTheInvariants(seed: UInt64) throws {
        var f = DeskFixture()
        try f.run(.joinVolunteer(volunteer: "vol:mia", name: "Mia", role: .coordinator), by: "system")
        var g = Generator(rng: SplitMix64(seed: seed))
        var accepted = 0, rejected = 0
        for step in 0..<3_000 {
            let (command, actor) = g.command(f.state)
            do {
                try f.run(command, by: actor)
                accepted += 1
            } catch {
                rejected += 1
            }
            if step % 250 == 0 { Self.checkInvariants(f.state) }
        }
        Self.checkInvariants(f.state)
        #expect(accepted > 500, "only \(accepted) commands accepted, \(rejected) rejected")
        #expect(f.state.allPosts().contains { $0.status == .resolved(.answered) })

        // Replaying the appended events gives the same state.
        var replayed = DeskState()
        for (i, event) in f.log.enumerated() { replayed.apply(event, seq: UInt64(i + 1)) }
        #expect(replayed == f.state)
    }
}
