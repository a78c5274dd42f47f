import CommandCenter
import Testing

/// One refusal: the command, who asks, the code expected and a word the message must name.
struct RejectionCase: Sendable, CustomStringConvertible {
    var label: String
    var command: DeskCommand
    var actor: String
    var code: CommandRejection.Code
    var names: String
    var description: String { label }

    init(_ label: String, _ command: DeskCommand, by actor: String, _ code: CommandRejection.Code, naming names: String) {
        self.label = label
        self.command = command
        self.actor = actor
        self.code = code
        self.names = names
    }
}

/// One command the rules accept.
struct AllowedCase: Sendable, CustomStringConvertible {
    var label: String
    var command: DeskCommand
    var actor: String
    var description: String { label }

    init(_ label: String, _ command: DeskCommand, by actor: String) {
        self.label = label
        self.command = command
        self.actor = actor
    }
}

struct DeskRulesTests {
    static let post1 = DeskFixture.post("twitter:1")

    static let rejections: [RejectionCase] = [
        // receivePost
        .init("a volunteer cannot receive posts", .receivePost(DeskFixture.post("twitter:77")), by: "vol:ana", .forbidden, naming: "vol:ana"),
        .init("post id of another channel", .receivePost(DeskFixture.post("facebook:77")), by: "system", .invalid, naming: "facebook:77"),
        .init("post id without platform id", .receivePost(DeskFixture.post("twitter:")), by: "system", .invalid, naming: "twitter:"),
        // assign
        .init("an ambassador cannot assign", .assign(post: "twitter:1", to: "vol:ben"), by: "vol:ana", .forbidden, naming: "vol:ana"),
        .init("a photo volunteer cannot assign", .assign(post: "twitter:1", to: "vol:ben"), by: "vol:pat", .forbidden, naming: "vol:pat"),
        .init("assign an unknown post", .assign(post: "twitter:404", to: "vol:ana"), by: "vol:sam", .notFound, naming: "twitter:404"),
        .init("assign a resolved post", .assign(post: "twitter:3", to: "vol:ben"), by: "vol:sam", .conflict,
              naming: "post twitter:3 is resolved (answered); it cannot be assigned"),
        .init("assign to a volunteer off shift", .assign(post: "twitter:1", to: "vol:zed"), by: "vol:sam", .conflict, naming: "vol:zed"),
        .init("assign to a volunteer who left", .assign(post: "twitter:1", to: "vol:kim"), by: "vol:sam", .notFound, naming: "vol:kim"),
        .init("assign to an unknown volunteer", .assign(post: "twitter:1", to: "vol:nobody"), by: "vol:sam", .notFound, naming: "vol:nobody"),
        .init("assign to the current assignee", .assign(post: "twitter:2", to: "vol:ana"), by: "vol:sam", .alreadyDone, naming: "twitter:2"),
        .init("a monitor cannot take someone's post without a version", .assign(post: "twitter:2", to: "vol:ben"), by: "vol:sam", .conflict,
              naming: "already assigned to vol:ana"),
        .init("assign with a stale version", .assign(post: "twitter:1", to: "vol:ana", expectedVersion: 1), by: "vol:sam", .conflict,
              naming: "changed since version 1"),
        .init("assign by someone who left", .assign(post: "twitter:1", to: "vol:ana"), by: "vol:kim", .forbidden, naming: "vol:kim"),
        .init("assign by an unknown actor", .assign(post: "twitter:1", to: "vol:ana"), by: "vol:ghost", .forbidden, naming: "vol:ghost"),
        .init("assign by system", .assign(post: "twitter:1", to: "vol:ana"), by: "system", .forbidden, naming: "system"),
        .init("assign a post we published", .assign(post: "twitter:900", to: "vol:ana"), by: "vol:sam", .notFound, naming: "twitter:900"),
        // unassign
        .init("another ambassador cannot unassign", .unassign(post: "twitter:2"), by: "vol:ben", .forbidden, naming: "twitter:2"),
        .init("unassign a post nobody has", .unassign(post: "twitter:1"), by: "vol:sam", .alreadyDone, naming: "twitter:1"),
        .init("unassign a resolved post", .unassign(post: "twitter:3"), by: "vol:mia", .conflict, naming: "twitter:3"),
        // reply
        .init("reply to someone else's post", .reply(post: "twitter:2", text: "Hi"), by: "vol:ben", .forbidden, naming: "assigned to vol:ana"),
        .init("a monitor cannot reply", .reply(post: "twitter:1", text: "Hi"), by: "vol:sam", .forbidden, naming: "twitter:1"),
        .init("reply to a resolved post", .reply(post: "twitter:3", text: "Hi again"), by: "vol:ana", .conflict, naming: "twitter:3"),
        .init("empty reply", .reply(post: "twitter:2", text: "  "), by: "vol:ana", .invalid, naming: "twitter:2"),
        .init("reply with a stale version", .reply(post: "twitter:2", text: "Hi", expectedVersion: 2), by: "vol:ana", .conflict, naming: "twitter:2"),
        // publish
        .init("an ambassador cannot publish", .publish(post: "twitter:901", channel: .twitter, text: "Hi"), by: "vol:ana", .forbidden, naming: "vol:ana"),
        .init("a monitor cannot publish", .publish(post: "twitter:901", channel: .twitter, text: "Hi"), by: "vol:sam", .forbidden, naming: "vol:sam"),
        .init("publish under a known id", .publish(post: "twitter:1", channel: .twitter, text: "Hi"), by: "vol:liv", .alreadyDone, naming: "twitter:1"),
        .init("publish nothing", .publish(post: "twitter:901", channel: .twitter, text: ""), by: "vol:liv", .invalid, naming: "twitter:901"),
        .init("publish an id of another channel", .publish(post: "instagram:5", channel: .twitter, text: "Hi"), by: "vol:pat", .invalid, naming: "instagram:5"),
        // escalate
        .init("escalate to a non-coordinator", .escalate(post: "twitter:2", to: "vol:ben", reason: "x"), by: "vol:ana", .notFound, naming: "vol:ben"),
        .init("escalate someone else's post", .escalate(post: "twitter:2", to: "vol:mia", reason: "x"), by: "vol:ben", .forbidden, naming: "twitter:2"),
        .init("escalate twice", .escalate(post: "twitter:4", to: "vol:noah", reason: "x"), by: "vol:sam", .alreadyDone, naming: "vol:mia"),
        .init("escalate a resolved post", .escalate(post: "twitter:3", to: "vol:mia", reason: "x"), by: "vol:sam", .conflict, naming: "twitter:3"),
        .init("escalate without a reason", .escalate(post: "twitter:1", to: "vol:mia", reason: ""), by: "vol:sam", .invalid, naming: "twitter:1"),
        // resolveEscalation
        .init("an ambassador cannot resolve an escalation", .resolveEscalation(post: "twitter:4"), by: "vol:ben", .forbidden, naming: "vol:ben"),
        .init("a monitor cannot resolve an escalation", .resolveEscalation(post: "twitter:4"), by: "vol:sam", .forbidden, naming: "vol:sam"),
        .init("resolve an escalation that is not open", .resolveEscalation(post: "twitter:1"), by: "vol:mia", .conflict, naming: "twitter:1"),
        // resolve
        .init("resolve someone else's post", .resolve(post: "twitter:2", outcome: .noAction), by: "vol:ben", .forbidden, naming: "twitter:2"),
        .init("a photo volunteer cannot resolve", .resolve(post: "twitter:1", outcome: .spam), by: "vol:pat", .forbidden, naming: "twitter:1"),
        .init("resolve twice", .resolve(post: "twitter:3", outcome: .noAction), by: "vol:mia", .alreadyDone, naming: "twitter:3"),
        .init("resolve with an open escalation", .resolve(post: "twitter:4", outcome: .noAction), by: "vol:mia", .conflict, naming: "escalation"),
        .init("answered without a reply", .resolve(post: "twitter:2", outcome: .answered), by: "vol:ana", .conflict, naming: "twitter:2 has no reply"),
        .init("resolve with a stale version", .resolve(post: "twitter:1", outcome: .spam, expectedVersion: 99), by: "vol:sam", .conflict, naming: "twitter:1"),
        // notes and tags
        .init("note on an unknown post", .addNote(post: "twitter:404", text: "x"), by: "vol:ana", .notFound, naming: "twitter:404"),
        .init("empty note", .addNote(post: "twitter:1", text: ""), by: "vol:ana", .invalid, naming: "twitter:1"),
        .init("note by someone who is not a volunteer", .addNote(post: "twitter:1", text: "x"), by: "import:twcs", .forbidden, naming: "import:twcs"),
        .init("no tags", .tag(post: "twitter:1", tags: []), by: "vol:ana", .invalid, naming: "twitter:1"),
        .init("a tag with a space", .tag(post: "twitter:1", tags: ["two words"]), by: "vol:ana", .invalid, naming: "twitter:1"),
        // volunteers
        .init("an ambassador cannot add volunteers", .joinVolunteer(volunteer: "vol:new", name: "New", role: .photo), by: "vol:ana", .forbidden, naming: "vol:ana"),
        .init("system cannot add volunteers once a coordinator exists", .joinVolunteer(volunteer: "vol:new", name: "New", role: .photo), by: "system",
              .forbidden, naming: "first coordinator"),
        .init("a volunteer id without vol:", .joinVolunteer(volunteer: "new", name: "New", role: .photo), by: "vol:mia", .invalid, naming: "new"),
        .init("a volunteer without a name", .joinVolunteer(volunteer: "vol:new", name: "", role: .photo), by: "vol:mia", .invalid, naming: "vol:new"),
        .init("join twice", .joinVolunteer(volunteer: "vol:ana", name: "Ana", role: .photo), by: "vol:mia", .alreadyDone, naming: "vol:ana"),
        .init("an ambassador cannot remove someone", .leaveVolunteer(volunteer: "vol:ben"), by: "vol:ana", .forbidden, naming: "vol:ana"),
        .init("remove someone who left", .leaveVolunteer(volunteer: "vol:kim"), by: "vol:mia", .notFound, naming: "vol:kim"),
        .init("an ambassador cannot change roles", .changeRole(volunteer: "vol:ben", to: .photo), by: "vol:ana", .forbidden, naming: "coordinators"),
        .init("a monitor cannot change their own role", .changeRole(volunteer: "vol:sam", to: .coordinator), by: "vol:sam", .forbidden, naming: "vol:sam"),
        .init("change to the same role", .changeRole(volunteer: "vol:ben", to: .ambassador), by: "vol:mia", .alreadyDone, naming: "vol:ben"),
        .init("change the role of someone who left", .changeRole(volunteer: "vol:kim", to: .photo), by: "vol:mia", .notFound, naming: "vol:kim"),
        .init("system cannot change roles once a coordinator exists", .changeRole(volunteer: "vol:ben", to: .photo), by: "system", .forbidden, naming: "system"),
        // shifts
        .init("start someone else's shift", .startShift(volunteer: "vol:zed"), by: "vol:ana", .forbidden, naming: "vol:ana"),
        .init("end someone else's shift", .endShift(volunteer: "vol:ben"), by: "vol:ana", .forbidden, naming: "vol:ana"),
        .init("start a shift twice", .startShift(volunteer: "vol:ana"), by: "vol:ana", .alreadyDone, naming: "vol:ana"),
        .init("end a shift not started", .endShift(volunteer: "vol:zed"), by: "vol:zed", .alreadyDone, naming: "vol:zed"),
        .init("a shift for someone who left", .startShift(volunteer: "vol:kim"), by: "vol:kim", .notFound, naming: "vol:kim"),
        // listening rules
        .init("a monitor cannot add rules", .addListeningRule("#wifidown"), by: "vol:sam", .forbidden, naming: "vol:sam"),
        .init("an empty rule", .addListeningRule(""), by: "vol:mia", .invalid, naming: "listening rule"),
        .init("a bare hashtag sign", .addListeningRule("!#"), by: "vol:mia", .invalid, naming: "!#"),
        .init("a rule with surrounding spaces", .addListeningRule(" wifi"), by: "vol:mia", .invalid, naming: "wifi"),
        .init("add a rule twice", .addListeningRule("#pivotcon26"), by: "vol:mia", .alreadyDone, naming: "#pivotcon26"),
        .init("remove a rule that is not there", .removeListeningRule("#nothing"), by: "vol:mia", .notFound, naming: "#nothing"),
        .init("an ambassador cannot remove rules", .removeListeningRule("#pivotcon26"), by: "vol:ana", .forbidden, naming: "vol:ana"),
    ]

    @Test(arguments: rejections)
    func rejects(_ c: RejectionCase) throws {
        var f = try DeskFixture.staffed()
        try f.run(.addListeningRule("#pivotcon26"), by: "vol:mia")
        let before = f.state
        let rejection = try #require(f.rejection(c.command, by: c.actor), "\(c.label) was accepted")
        #expect(rejection.code == c.code, "\(c.label): \(rejection)")
        #expect(rejection.message.contains(c.names), "\(c.label): '\(rejection.message)' does not name \(c.names)")
        #expect(f.state == before)
    }

    static let allowed: [AllowedCase] = [
        .init("system receives", .receivePost(DeskFixture.post("twitter:50")), by: "system"),
        .init("an importer receives", .receivePost(DeskFixture.post("twitter:51")), by: "import:twcs"),
        .init("a listening monitor receives", .receivePost(DeskFixture.post("twitter:52")), by: "monitor:twitter"),
        .init("a monitor assigns", .assign(post: "twitter:1", to: "vol:ana"), by: "vol:sam"),
        .init("a coordinator assigns", .assign(post: "twitter:1", to: "vol:ben"), by: "vol:mia"),
        .init("a monitor assigns with the current version", .assign(post: "twitter:1", to: "vol:ana", expectedVersion: 16), by: "vol:sam"),
        .init("a monitor reassigns naming the version it saw", .assign(post: "twitter:2", to: "vol:ben", expectedVersion: 21), by: "vol:sam"),
        .init("a coordinator reassigns", .assign(post: "twitter:2", to: "vol:ben"), by: "vol:noah"),
        .init("a coordinator assigns to themself", .assign(post: "twitter:1", to: "vol:mia"), by: "vol:mia"),
        .init("the assignee unassigns", .unassign(post: "twitter:2", reason: "end of shift"), by: "vol:ana"),
        .init("a monitor unassigns", .unassign(post: "twitter:2"), by: "vol:sam"),
        .init("a coordinator unassigns", .unassign(post: "twitter:2"), by: "vol:noah"),
        .init("the assignee replies", .reply(post: "twitter:2", text: "Level 2!"), by: "vol:ana"),
        .init("a coordinator replies to an unassigned post", .reply(post: "twitter:1", text: "Level 2!"), by: "vol:noah"),
        .init("photo publishes", .publish(post: "instagram:77", channel: .instagram, text: "", media: ["a.jpg"]), by: "vol:pat"),
        .init("live tweets publishes", .publish(post: "twitter:901", channel: .twitter, text: "On stage now"), by: "vol:liv"),
        .init("a coordinator publishes", .publish(post: "twitter:902", channel: .twitter, text: "Wifi is back"), by: "vol:mia"),
        .init("the assignee escalates", .escalate(post: "twitter:2", to: "vol:noah", reason: "refund"), by: "vol:ana"),
        .init("a monitor escalates", .escalate(post: "twitter:1", to: "vol:mia", reason: "outage", priority: .urgent), by: "vol:sam"),
        .init("a coordinator escalates to the other", .escalate(post: "twitter:1", to: "vol:noah", reason: "x"), by: "vol:mia"),
        .init("a coordinator resolves an escalation", .resolveEscalation(post: "twitter:4", resolution: "refunded"), by: "vol:noah"),
        .init("the assignee resolves", .resolve(post: "twitter:2", outcome: .noAction), by: "vol:ana"),
        .init("a monitor resolves spam", .resolve(post: "twitter:1", outcome: .spam), by: "vol:sam"),
        .init("a coordinator resolves", .resolve(post: "twitter:2", outcome: .duplicate), by: "vol:mia"),
        .init("anyone active adds a note", .addNote(post: "twitter:1", text: "seen it"), by: "vol:pat"),
        .init("anyone active tags", .tag(post: "twitter:1", tags: ["wifi", "venue"]), by: "vol:liv"),
        .init("a coordinator adds a volunteer", .joinVolunteer(volunteer: "vol:new", name: "New", role: .photo, team: "content"), by: "vol:noah"),
        .init("someone who left rejoins", .joinVolunteer(volunteer: "vol:kim", name: "Kim", role: .ambassador), by: "vol:mia"),
        .init("a volunteer leaves", .leaveVolunteer(volunteer: "vol:zed"), by: "vol:zed"),
        .init("a coordinator removes a volunteer", .leaveVolunteer(volunteer: "vol:ana"), by: "vol:mia"),
        .init("a coordinator changes a role", .changeRole(volunteer: "vol:pat", to: .ambassador), by: "vol:mia"),
        .init("a coordinator promotes a coordinator", .changeRole(volunteer: "vol:sam", to: .coordinator), by: "vol:noah"),
        .init("a volunteer starts their shift", .startShift(volunteer: "vol:zed"), by: "vol:zed"),
        .init("a coordinator starts someone's shift", .startShift(volunteer: "vol:zed"), by: "vol:noah"),
        .init("a coordinator ends someone's shift", .endShift(volunteer: "vol:ana"), by: "vol:mia"),
        .init("a coordinator adds a rule", .addListeningRule("!#wifidown"), by: "vol:mia"),
        .init("a coordinator removes a rule", .removeListeningRule("#pivotcon26"), by: "vol:noah"),
    ]

    @Test(arguments: allowed)
    func allows(_ c: AllowedCase) throws {
        var f = try DeskFixture.staffed()
        try f.run(.addListeningRule("#pivotcon26"), by: "vol:mia")
        let events = try f.run(c.command, by: c.actor)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.actor == c.actor })
    }

    @Test func versionsInTheFixtureAreTheOnesTheAllowedCasesName() throws {
        var f = try DeskFixture.staffed()
        try f.run(.addListeningRule("#pivotcon26"), by: "vol:mia")
        #expect(f.state.post("twitter:1")?.version == 16)
        #expect(f.state.post("twitter:2")?.version == 21)
    }

    @Test func bootstrapLetsSystemAddTheFirstVolunteersAndRulesOnly() throws {
        var f = DeskFixture()
        try f.run(.joinVolunteer(volunteer: "vol:ana", name: "Ana", role: .ambassador), by: "system")
        try f.run(.addListeningRule("#pivotcon26"), by: "system")
        try f.run(.changeRole(volunteer: "vol:ana", to: .coordinator), by: "system")
        // Now a coordinator exists: system may no longer.
        #expect(f.rejection(.joinVolunteer(volunteer: "vol:ben", name: "Ben", role: .ambassador), by: "system")?.code == .forbidden)
        #expect(f.rejection(.addListeningRule("#askpivot"), by: "system")?.code == .forbidden)
        // The coordinator leaves: bootstrap again.
        try f.run(.leaveVolunteer(volunteer: "vol:ana"), by: "vol:ana")
        #expect(f.rejection(.joinVolunteer(volunteer: "vol:ben", name: "Ben", role: .coordinator), by: "system") == nil)
        // system never removes volunteers nor runs shifts.
        #expect(f.rejection(.startShift(volunteer: "vol:ana"), by: "system")?.code != nil)
    }

    @Test func timeNeverGoesBackwards() throws {
        var f = try DeskFixture.staffed()
        let rejection = #expect(throws: CommandRejection.self) {
            try f.state.decide(.addNote(post: "twitter:1", text: "x"), actor: "vol:ana", at: Timestamp(milliseconds: f.clock - 1))
        }
        #expect(rejection?.code == .invalid)
        #expect(rejection?.message.contains("backwards") == true)
        // The same millisecond is fine.
        #expect(throws: Never.self) { try f.state.decide(.addNote(post: "twitter:1", text: "x"), actor: "vol:ana", at: Timestamp(milliseconds: f.clock)) }
        _ = f.tick()
    }

    @Test func twoMonitorsCannotBothAssignTheSamePost() throws {
        var f = try DeskFixture.staffed()
        try f.run(.startShift(volunteer: "vol:sue"), by: "vol:sue")
        let seen = try #require(f.state.post("twitter:1")).version
        try f.run(.assign(post: "twitter:1", to: "vol:ana", expectedVersion: seen), by: "vol:sam")
        let second = f.rejection(.assign(post: "twitter:1", to: "vol:ben", expectedVersion: seen), by: "vol:sue")
        #expect(second?.code == .conflict)
        #expect(second?.message.contains("twitter:1") == true)
        #expect(f.state.post("twitter:1")?.assignee == "vol:ana")
    }

    @Test func receivingAKnownPostAppendsNothing() throws {
        var f = try DeskFixture.staffed()
        let before = f.state
        #expect(try f.run(.receivePost(DeskFixture.post("twitter:1", text: "different text")), by: "import:twcs").isEmpty)
        #expect(try f.run(.receivePost(DeskFixture.post("twitter:900")), by: "system").isEmpty)
        #expect(f.state == before)
    }

    @Test func leavingEndsTheShiftAndHandsThePostsBack() throws {
        var f = try DeskFixture.staffed()
        let events = try f.run(.leaveVolunteer(volunteer: "vol:ana"), by: "vol:mia")
        #expect(events.map(\.kind) == [.shiftEnded, .postUnassigned, .volunteerLeft])
        #expect(f.state.volunteerQueue("vol:ana").isEmpty)
        #expect(f.state.triageQueue().map(\.id).contains("twitter:2"))
        #expect(f.state.volunteer("vol:ana")?.active == false)
    }

    @Test func answeredNeedsAReplyThenResolves() throws {
        var f = try DeskFixture.staffed()
        try f.run(.reply(post: "twitter:2", text: "Level 2"), by: "vol:ana")
        try f.run(.resolve(post: "twitter:2", outcome: .answered), by: "vol:ana")
        let post = try #require(f.state.post("twitter:2"))
        #expect(post.status == .resolved(.answered))
        #expect(post.replies == 1)
        #expect(post.firstReplyAt != nil)
    }

    @Test func messagesNameThePostAndWhatToDo() throws {
        let f = try DeskFixture.staffed()
        let r = try #require(f.rejection(.assign(post: "twitter:3", to: "vol:ben"), by: "vol:sam"))
        #expect(r.description == "conflict: post twitter:3 is resolved (answered); it cannot be assigned")
    }
}
