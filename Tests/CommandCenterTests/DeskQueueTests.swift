import CommandCenter
import Testing

struct DeskQueueTests {
    /// A staffed desk without posts.
    static func desk() throws -> DeskFixture {
        var f = DeskFixture()
        try f.run(.joinVolunteer(volunteer: "vol:mia", name: "Mia", role: .coordinator), by: "system")
        try f.run(.joinVolunteer(volunteer: "vol:ana", name: "Ana", role: .ambassador), by: "vol:mia")
        try f.run(.joinVolunteer(volunteer: "vol:ben", name: "Ben", role: .ambassador), by: "vol:mia")
        try f.run(.joinVolunteer(volunteer: "vol:sam", name: "Sam", role: .streamMonitor), by: "vol:mia")
        for id in ["vol:ana", "vol:ben", "vol:sam"] { try f.run(.startShift(volunteer: id), by: id) }
        return f
    }

    @Test func repostsNeverEnterTriage() throws {
        var f = try Self.desk()
        try f.run(.receivePost(DeskFixture.post("twitter:1", repost: true)), by: "system")
        try f.run(.receivePost(DeskFixture.post("twitter:2")), by: "system")
        #expect(f.state.triageQueue().map(\.id) == ["twitter:2"])
        #expect(f.state.post("twitter:1")?.status == .received)
        #expect(f.state.queuesDocument().counts.triage == 1)
    }

    @Test func triageIsEscalatedThenUrgentThenOldest() throws {
        var f = try Self.desk()
        try f.run(.addListeningRule("!#wifidown"), by: "vol:mia")
        try f.run(.addListeningRule("!medic"), by: "vol:mia")
        try f.run(.addListeningRule("#pivotcon26"), by: "vol:mia")
        try f.run(.receivePost(DeskFixture.post("twitter:1")), by: "system")
        try f.run(.receivePost(DeskFixture.post("twitter:2", text: "No wifi at all #wifidown", hashtags: ["wifidown"])), by: "system")
        try f.run(.receivePost(DeskFixture.post("twitter:3")), by: "system")
        try f.run(.receivePost(DeskFixture.post("twitter:4", text: "Is there a MEDIC near hall B?"), ), by: "system")
        try f.run(.receivePost(DeskFixture.post("twitter:5")), by: "system")
        try f.run(.escalate(post: "twitter:5", to: "vol:mia", reason: "looks serious", priority: .high), by: "vol:sam")
        #expect(f.state.triageQueue().map(\.id) == ["twitter:5", "twitter:2", "twitter:4", "twitter:1", "twitter:3"])
        #expect(f.state.triageQueue(limit: 2).map(\.id) == ["twitter:5", "twitter:2"])
        #expect(f.state.post("twitter:2")?.isUrgent == true)
        #expect(f.state.post("twitter:4")?.isUrgent == true)
        #expect(f.state.post("twitter:3")?.isUrgent == false)
    }

    /// A short `limit` of a long backlog takes the partial selection path; it must give exactly
    /// the head of the full order (escalated, urgent, oldest, ties by receipt).
    @Test func aScreenfulOfALongBacklogIsTheHeadOfTheFullOrder() throws {
        var f = try Self.desk()
        try f.run(.addListeningRule("!medic"), by: "vol:mia")
        for n in 1...400 {
            let urgent = n % 37 == 0
            try f.run(.receivePost(DeskFixture.post("twitter:\(n)", text: urgent ? "medic please" : "hello")), by: "system")
        }
        for n in [17, 250, 399] {
            try f.run(.escalate(post: "twitter:\(n)", to: "vol:mia", reason: "serious"), by: "vol:sam")
        }
        let full = f.state.triageQueue().map(\.id)
        #expect(full.count == 400)
        for limit in [0, 1, 5, 20, 49] {
            #expect(f.state.triageQueue(limit: limit).map(\.id) == Array(full.prefix(limit)), "limit \(limit)")
        }
        #expect(Array(full.prefix(4)) == ["twitter:17", "twitter:250", "twitter:399", "twitter:37"])
    }

    @Test func urgencyIsDecidedWhenThePostArrives() throws {
        var f = try Self.desk()
        try f.run(.receivePost(DeskFixture.post("twitter:1", text: "#wifidown", hashtags: ["wifidown"])), by: "system")
        try f.run(.addListeningRule("!#wifidown"), by: "vol:mia")
        try f.run(.receivePost(DeskFixture.post("twitter:2", text: "#wifidown", hashtags: ["wifidown"])), by: "system")
        #expect(f.state.triageQueue().map(\.id) == ["twitter:2", "twitter:1"])
    }

    @Test func oldestFirstByReceiptTime() throws {
        var f = try Self.desk()
        for n in 1...5 { try f.run(.receivePost(DeskFixture.post("twitter:\(n)")), by: "system") }
        try f.run(.assign(post: "twitter:2", to: "vol:ana"), by: "vol:sam")
        try f.run(.unassign(post: "twitter:2"), by: "vol:ana")
        #expect(f.state.triageQueue().map(\.id) == ["twitter:1", "twitter:2", "twitter:3", "twitter:4", "twitter:5"])
    }

    @Test func volunteerQueuesHoldTheirUnresolvedPostsOldestFirst() throws {
        var f = try Self.desk()
        for n in 1...4 { try f.run(.receivePost(DeskFixture.post("twitter:\(n)")), by: "system") }
        try f.run(.assign(post: "twitter:3", to: "vol:ana"), by: "vol:sam")
        try f.run(.assign(post: "twitter:1", to: "vol:ana"), by: "vol:sam")
        try f.run(.assign(post: "twitter:2", to: "vol:ben"), by: "vol:sam")
        try f.run(.assign(post: "twitter:4", to: "vol:ana"), by: "vol:sam")
        try f.run(.resolve(post: "twitter:4", outcome: .noAction), by: "vol:ana")
        #expect(f.state.volunteerQueue("vol:ana").map(\.id) == ["twitter:1", "twitter:3"])
        #expect(f.state.volunteerQueue("vol:ben").map(\.id) == ["twitter:2"])
        #expect(f.state.volunteerQueue("vol:sam").isEmpty)
        // Reassigning moves the post between queues.
        try f.run(.assign(post: "twitter:1", to: "vol:ben"), by: "vol:mia")
        #expect(f.state.volunteerQueue("vol:ana").map(\.id) == ["twitter:3"])
        #expect(f.state.volunteerQueue("vol:ben").map(\.id) == ["twitter:1", "twitter:2"])
        #expect(f.state.triageQueue().isEmpty)
        #expect(f.state.volunteersWithQueues == ["vol:ana", "vol:ben"])
    }

    @Test func escalationsByPriorityThenAge() throws {
        var f = try Self.desk()
        for n in 1...4 { try f.run(.receivePost(DeskFixture.post("twitter:\(n)")), by: "system") }
        try f.run(.escalate(post: "twitter:1", to: "vol:mia", reason: "a", priority: .low), by: "vol:sam")
        try f.run(.escalate(post: "twitter:2", to: "vol:mia", reason: "b"), by: "vol:sam")
        try f.run(.escalate(post: "twitter:3", to: "vol:mia", reason: "c", priority: .urgent), by: "vol:sam")
        try f.run(.escalate(post: "twitter:4", to: "vol:mia", reason: "d", priority: .normal), by: "vol:sam")
        #expect(f.state.escalationQueue().map(\.id) == ["twitter:3", "twitter:2", "twitter:4", "twitter:1"])
        try f.run(.resolveEscalation(post: "twitter:3"), by: "vol:mia")
        #expect(f.state.escalationQueue().map(\.id) == ["twitter:2", "twitter:4", "twitter:1"])
        #expect(f.state.post("twitter:3")?.escalation == nil)
    }

    @Test func queuesDocumentHasEveryActiveVolunteerAndTheCounts() throws {
        var f = try Self.desk()
        for n in 1...3 { try f.run(.receivePost(DeskFixture.post("twitter:\(n)")), by: "system") }
        try f.run(.assign(post: "twitter:1", to: "vol:ana"), by: "vol:sam")
        try f.run(.escalate(post: "twitter:2", to: "vol:mia", reason: "x", priority: .high), by: "vol:sam")
        let doc = f.state.queuesDocument()
        #expect(doc.at == f.state.lastAt)
        #expect(doc.triage.map(\.post) == ["twitter:2", "twitter:3"])
        #expect(doc.triage.first?.escalated == true)
        #expect(doc.escalations.map(\.post.post) == ["twitter:2"])
        #expect(doc.escalations.first?.priority == .high)
        #expect(doc.volunteers.map(\.volunteer) == ["vol:ana", "vol:ben", "vol:mia", "vol:sam"])
        #expect(doc.volunteers.first?.posts.map(\.post) == ["twitter:1"])
        #expect([doc.counts.triage, doc.counts.escalations, doc.counts.assigned, doc.counts.posts, doc.counts.resolved] == [2, 1, 1, 3, 0])
    }

    @Test func listeningRuleSyntax() {
        #expect(ListeningRule("!#WifiDown")?.target == .hashtag("wifidown"))
        #expect(ListeningRule("!#WifiDown")?.isUrgent == true)
        #expect(ListeningRule("@PivotDesk")?.target == .account("pivotdesk"))
        #expect(ListeningRule("wifi down")?.target == .keyword("wifi down"))
        #expect(ListeningRule("wifi down")?.isUrgent == false)
        #expect(ListeningRule("!#wifidown")?.covers(hashtag: "wifidown") == true)
        #expect(ListeningRule("#wifi")?.covers(hashtag: "wifidown") == false)
        for bad in ["", "!", "#", "@", " x", "x ", "#two words"] { #expect(ListeningRule(bad) == nil, "\(bad)") }
    }

    @Test func applyToleratesOddRecordedHistory() {
        var state = DeskState()
        let at = Timestamp(milliseconds: 1000)
        state.apply(Event(at: at, actor: "import:twcs", body: .replied(Replied(post: "twitter:9", text: "hi"))), seq: 1)
        state.apply(Event(at: at, actor: "agent42", body: .postAssigned(PostAssigned(post: "twitter:9", to: "agent42"))), seq: 2)
        state.apply(Event(at: at, actor: "x", body: .shiftStarted(ShiftStarted(volunteer: "vol:ghost"))), seq: 3)
        state.apply(Event(at: at, actor: "x", body: .roleChanged(RoleChanged(volunteer: "vol:ghost", from: .photo, to: .coordinator))), seq: 4)
        state.apply(Event(at: at, actor: "import:twcs", body: .postReceived(DeskFixture.post("twitter:9"))), seq: 5)
        state.apply(Event(at: at, actor: "agent42", body: .postAssigned(PostAssigned(post: "twitter:9", to: "agent42"))), seq: 6)
        state.apply(Event(at: at, actor: "agent42", body: .postResolved(PostResolved(post: "twitter:9", outcome: .answered))), seq: 7)
        state.apply(Event(at: at, actor: "agent42", body: .postAssigned(PostAssigned(post: "twitter:9", to: "agent43"))), seq: 8)
        state.apply(Event(at: Timestamp(milliseconds: 10), actor: "agent42", body: .escalationResolved(EscalationResolved(post: "twitter:9"))), seq: 9)
        #expect(state.eventCount == 9)
        #expect(state.lastSeq == 9)
        #expect(state.lastAt == at)
        #expect(state.post("twitter:9")?.status == .resolved(.answered))
        #expect(state.post("twitter:9")?.assignee == "agent43")
        #expect(state.volunteerQueue("agent43").isEmpty)
        #expect(state.volunteer("vol:ghost") == nil)
    }
}
