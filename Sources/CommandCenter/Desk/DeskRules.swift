/// The desk's rules: who may do what, and what the current state allows.
///
/// "Coordinator" means an active volunteer whose current role is `coordinator`; "active" means
/// joined and not left since. Every command is also refused (`invalid`) when `at` is before the
/// last event applied, when an event it would append breaks a ``FieldRule`` (the rules
/// `smcc import` applies, so that an export of the log imports), and when an event does not fit
/// in a log record.
///
/// | command | who may (else `forbidden`) | what the state must allow |
/// |---|---|---|
/// | `receivePost` | `system`, `import:*`, `monitor:*` | id `<channel>:<id>` of the post's channel, `postedAt` within a year before `at` and at most 5 minutes after (`invalid`); a known id appends nothing (dedupe) |
/// | `assign` | stream monitors, coordinators | post received (`notFound`), not resolved (`conflict`); assignee an active volunteer (`notFound`) on shift (`conflict`); already theirs: `alreadyDone`; someone else's: `conflict` unless the actor is a coordinator or names the current `expectedVersion` |
/// | `unassign` | the assignee, stream monitors, coordinators | assigned (`alreadyDone` if not), not resolved (`conflict`) |
/// | `reply` | the assignee, coordinators | not resolved (`conflict`); text not empty (`invalid`) |
/// | `publish` | photo, live tweets, coordinators | id of the channel (`invalid`), not known yet (`alreadyDone`); text or media |
/// | `escalate` | the assignee, stream monitors, coordinators | to an active coordinator (`notFound`); not resolved (`conflict`); none open (`alreadyDone`); a reason |
/// | `resolveEscalation` | coordinators | an open escalation (`conflict`) |
/// | `resolve` | the assignee, stream monitors, coordinators | not resolved (`alreadyDone`); no open escalation (`conflict`); `answered` needs a reply (`conflict`) |
/// | `addNote`, `tag` | any active volunteer | post received (`notFound`); text / tags not empty |
/// | `joinVolunteer` | coordinators; `system` while no coordinator exists (bootstrap) | id `vol:<handle>`, a name (`invalid`); already active: `alreadyDone` |
/// | `leaveVolunteer` | coordinators, the volunteer themself | active (`notFound`); also ends their shift and unassigns their posts |
/// | `changeRole` | coordinators; `system` while no coordinator exists | active (`notFound`); same role: `alreadyDone` |
/// | `startShift`, `endShift` | the volunteer themself, coordinators | active (`notFound`); already on / off shift: `alreadyDone` |
/// | `addListeningRule`, `removeListeningRule` | coordinators; `system` while no coordinator exists | rule syntax (`invalid`); already there: `alreadyDone`; not there: `notFound` |
///
/// Post commands (`assign` … `tag`) are refused with `forbidden` for an actor who is not an active
/// volunteer, and with `conflict` when `expectedVersion` is given and is not the post's version.
/// Checks run in this order: time, the actor's right, the post or volunteer named, the version,
/// the state.
extension DeskState {
    /// Judges `command` by `actor` at `at` against this state, without changing it.
    ///
    /// - Returns: the events to append, in order: usually one; none for a `receivePost` of a post
    ///   already known; `leaveVolunteer` also ends the shift and unassigns the volunteer's posts.
    /// - Throws: ``CommandRejection``, with a message naming the post or volunteer.
    public func decide(_ command: DeskCommand, actor: String, at: Timestamp) throws(CommandRejection) -> [Event] {
        if let lastAt, at < lastAt {
            throw CommandRejection(.invalid, "time goes backwards: \(at) is before \(lastAt), the time of the last event; commands must come in time order")
        }
        let events = try decideBodies(command, actor: actor, at: at).map { Event(at: at, actor: actor, body: $0) }
        for event in events { try Self.checkFields(event) }
        for event in events where Self.mightBeLarge(event) {
            let size = EventCodec.encode(event).count
            if size > 65_536 {
                throw CommandRejection(.invalid, "the \(event.kind) event would take \(size) bytes encoded, over the 65,536-byte limit of a record; shorten its text")
            }
        }
        return events
    }

    private func decideBodies(_ command: DeskCommand, actor: String, at: Timestamp) throws(CommandRejection) -> [EventBody] {
        switch command {
        case .receivePost(let b):
            guard actor == "system" || actor.hasPrefix("import:") || actor.hasPrefix("monitor:") else {
                throw CommandRejection(.forbidden, "\(actor) may not receive posts; only system, import:* and monitor:* actors feed the desk")
            }
            try Self.checkPostID(b.post, channel: b.channel)
            guard !b.author.isEmpty else { throw CommandRejection(.invalid, "post \(b.post) has no author") }
            if let problem = b.postedAt.implausiblePostTime(receivedAt: at) { throw CommandRejection(.invalid, problem) }
            // Checked before the dedupe: a post the desk knows is still refused when malformed.
            try Self.checkFields(Event(at: at, actor: actor, body: .postReceived(b)))
            if knowsPost(b.post) { return [] }
            return [.postReceived(b)]

        case .assign(let post, let to, let expectedVersion):
            let me = try activeVolunteer(actor)
            guard me.role == .streamMonitor || me.role == .coordinator else {
                throw CommandRejection(.forbidden, "\(actor) is \(Self.article(me.role)); only stream monitors and coordinators assign posts")
            }
            let state = try inbound(post)
            try check(expectedVersion, state)
            if case .resolved(let outcome) = state.status {
                throw CommandRejection(.conflict, "post \(post) is resolved (\(outcome.rawValue)); it cannot be assigned")
            }
            guard let assignee = volunteers[to], assignee.active else {
                throw CommandRejection(.notFound, "\(to) is not an active volunteer; posts are assigned to active volunteers")
            }
            guard assignee.onShift else {
                throw CommandRejection(.conflict, "\(to) is not on shift; assign post \(post) to a volunteer on shift")
            }
            if let current = state.assignee {
                if current == to { throw CommandRejection(.alreadyDone, "post \(post) is already assigned to \(to)") }
                guard me.role == .coordinator || expectedVersion != nil else {
                    throw CommandRejection(.conflict, "post \(post) is already assigned to \(current); to reassign it, name the version you saw (\(state.version)) or ask a coordinator")
                }
            }
            return [.postAssigned(PostAssigned(post: post, to: to))]

        case .unassign(let post, let reason, let expectedVersion):
            let me = try activeVolunteer(actor)
            let state = try inbound(post)
            guard state.assignee == actor || me.role == .streamMonitor || me.role == .coordinator else {
                throw CommandRejection(.forbidden, "\(actor) may not unassign post \(post): only its assignee, stream monitors and coordinators may")
            }
            try check(expectedVersion, state)
            if case .resolved(let outcome) = state.status {
                throw CommandRejection(.conflict, "post \(post) is resolved (\(outcome.rawValue)); it cannot be unassigned")
            }
            guard state.assignee != nil else { throw CommandRejection(.alreadyDone, "post \(post) is not assigned") }
            return [.postUnassigned(PostUnassigned(post: post, reason: reason))]

        case .reply(let post, let text, let replyPost, let expectedVersion):
            let me = try activeVolunteer(actor)
            let state = try inbound(post)
            guard state.assignee == actor || me.role == .coordinator else {
                let holder = state.assignee.map { "it is assigned to \($0)" } ?? "it is not assigned"
                throw CommandRejection(.forbidden, "\(actor) may not reply to post \(post): \(holder); only the assignee or a coordinator replies")
            }
            try check(expectedVersion, state)
            if case .resolved(let outcome) = state.status {
                throw CommandRejection(.conflict, "post \(post) is resolved (\(outcome.rawValue)); it cannot be replied to")
            }
            try Self.nonEmpty(text, "the reply to post \(post)")
            if let replyPost, replyPost.isEmpty { throw CommandRejection(.invalid, "the reply to post \(post) names an empty replyPost") }
            return [.replied(Replied(post: post, text: text, replyPost: replyPost))]

        case .publish(let post, let channel, let text, let media):
            let me = try activeVolunteer(actor)
            guard [.photo, .liveTweets, .coordinator].contains(me.role) else {
                throw CommandRejection(.forbidden, "\(actor) is \(Self.article(me.role)); only photo, live tweets and coordinators publish")
            }
            try Self.checkPostID(post, channel: channel)
            if knowsPost(post) { throw CommandRejection(.alreadyDone, "post \(post) is already in the log; publish under a new id") }
            guard !text.isEmpty || !(media ?? []).isEmpty else {
                throw CommandRejection(.invalid, "published post \(post) has neither text nor media")
            }
            return [.postPublished(PostPublished(post: post, channel: channel, text: text, media: media))]

        case .escalate(let post, let to, let reason, let priority, let expectedVersion):
            let me = try activeVolunteer(actor)
            let state = try inbound(post)
            guard state.assignee == actor || me.role == .streamMonitor || me.role == .coordinator else {
                throw CommandRejection(.forbidden, "\(actor) may not escalate post \(post): only its assignee, stream monitors and coordinators may")
            }
            try check(expectedVersion, state)
            guard let target = volunteers[to], target.isCoordinator, target.active else {
                throw CommandRejection(.notFound, "\(to) is not an active coordinator; escalate post \(post) to one of: \(coordinators.joined(separator: ", "))")
            }
            if case .resolved(let outcome) = state.status {
                throw CommandRejection(.conflict, "post \(post) is resolved (\(outcome.rawValue)); it cannot be escalated")
            }
            if let open = state.escalation {
                throw CommandRejection(.alreadyDone, "post \(post) is already escalated to \(open.to) since \(open.since)")
            }
            try Self.nonEmpty(reason, "the reason to escalate post \(post)")
            return [.escalated(Escalated(post: post, to: to, reason: reason, priority: priority))]

        case .resolveEscalation(let post, let resolution, let expectedVersion):
            let me = try activeVolunteer(actor)
            guard me.role == .coordinator else {
                throw CommandRejection(.forbidden, "\(actor) is \(Self.article(me.role)); only coordinators resolve escalations")
            }
            let state = try inbound(post)
            try check(expectedVersion, state)
            guard state.escalation != nil else {
                throw CommandRejection(.conflict, "post \(post) has no open escalation")
            }
            return [.escalationResolved(EscalationResolved(post: post, resolution: resolution))]

        case .resolve(let post, let outcome, let expectedVersion):
            let me = try activeVolunteer(actor)
            let state = try inbound(post)
            guard state.assignee == actor || me.role == .streamMonitor || me.role == .coordinator else {
                throw CommandRejection(.forbidden, "\(actor) may not resolve post \(post): only its assignee, stream monitors and coordinators may")
            }
            try check(expectedVersion, state)
            if case .resolved(let previous) = state.status {
                throw CommandRejection(.alreadyDone, "post \(post) is already resolved (\(previous.rawValue))")
            }
            if let open = state.escalation {
                throw CommandRejection(.conflict, "post \(post) has an open escalation to \(open.to); resolve the escalation first")
            }
            if outcome == .answered && state.replies == 0 {
                throw CommandRejection(.conflict, "post \(post) has no reply; reply before resolving it as answered")
            }
            return [.postResolved(PostResolved(post: post, outcome: outcome))]

        case .addNote(let post, let text):
            _ = try activeVolunteer(actor)
            _ = try inbound(post)
            try Self.nonEmpty(text, "the note on post \(post)")
            return [.noteAdded(NoteAdded(post: post, text: text))]

        case .tag(let post, let tags):
            _ = try activeVolunteer(actor)
            _ = try inbound(post)
            guard !tags.isEmpty, tags.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
                throw CommandRejection(.invalid, "the tags for post \(post) must be one or more words without spaces")
            }
            return [.postTagged(PostTagged(post: post, tags: tags))]

        case .joinVolunteer(let volunteer, let name, let role, let team):
            try requireAdmin(actor, "add volunteers")
            try Self.checkVolunteerID(volunteer)
            try Self.nonEmpty(name, "the name of \(volunteer)")
            if let known = volunteers[volunteer], known.active {
                throw CommandRejection(.alreadyDone, "\(volunteer) has already joined (as \(known.role.rawValue))")
            }
            return [.volunteerJoined(VolunteerJoined(volunteer: volunteer, name: name, role: role, team: team))]

        case .leaveVolunteer(let volunteer):
            if actor != volunteer { try requireAdmin(actor, "remove volunteers", bootstrap: false) }
            let them = try activeVolunteerNamed(volunteer)
            var bodies: [EventBody] = []
            if them.onShift { bodies.append(.shiftEnded(ShiftEnded(volunteer: volunteer))) }
            for post in volunteerQueue(volunteer) {
                bodies.append(.postUnassigned(PostUnassigned(post: post.id, reason: "\(volunteer) left the desk")))
            }
            bodies.append(.volunteerLeft(VolunteerLeft(volunteer: volunteer)))
            return bodies

        case .changeRole(let volunteer, let role):
            try requireAdmin(actor, "change roles")
            let them = try activeVolunteerNamed(volunteer)
            guard them.role != role else { throw CommandRejection(.alreadyDone, "\(volunteer) is already \(Self.article(role))") }
            return [.roleChanged(RoleChanged(volunteer: volunteer, from: them.role, to: role))]

        case .startShift(let volunteer), .endShift(let volunteer):
            let starting = if case .startShift = command { true } else { false }
            if actor != volunteer { try requireAdmin(actor, starting ? "start someone else's shift" : "end someone else's shift", bootstrap: false) }
            let them = try activeVolunteerNamed(volunteer)
            if starting {
                guard !them.onShift else { throw CommandRejection(.alreadyDone, "\(volunteer) is already on shift") }
                return [.shiftStarted(ShiftStarted(volunteer: volunteer))]
            }
            guard them.onShift else { throw CommandRejection(.alreadyDone, "\(volunteer) is not on shift") }
            return [.shiftEnded(ShiftEnded(volunteer: volunteer))]

        case .addListeningRule(let rule):
            try requireAdmin(actor, "add listening rules")
            guard ListeningRule(rule) != nil else {
                throw CommandRejection(.invalid, "'\(rule)' is not a listening rule; write #hashtag, @account or a keyword, with ! in front for urgent")
            }
            guard !listeningRules.contains(rule) else { throw CommandRejection(.alreadyDone, "the listening rule '\(rule)' is already in force") }
            return [.listeningRuleAdded(ListeningRuleAdded(rule: rule))]

        case .removeListeningRule(let rule):
            try requireAdmin(actor, "remove listening rules")
            guard listeningRules.contains(rule) else {
                throw CommandRejection(.notFound, "there is no listening rule '\(rule)'; the rules are: \(listeningRules.sorted().joined(separator: ", "))")
            }
            return [.listeningRuleRemoved(ListeningRuleRemoved(rule: rule))]
        }
    }

    // MARK: - Checks

    private func activeVolunteer(_ actor: String) throws(CommandRejection) -> VolunteerState {
        guard let me = volunteers[actor], me.active else {
            throw CommandRejection(.forbidden, "\(actor) is not an active volunteer of the desk; only active volunteers act on posts")
        }
        return me
    }

    private func activeVolunteerNamed(_ volunteer: String) throws(CommandRejection) -> VolunteerState {
        guard let them = volunteers[volunteer], them.active else {
            throw CommandRejection(.notFound, "\(volunteer) is not an active volunteer of the desk")
        }
        return them
    }

    /// Coordinators may; `system` may while no coordinator exists (when `bootstrap`).
    private func requireAdmin(_ actor: String, _ what: String, bootstrap: Bool = true) throws(CommandRejection) {
        if let me = volunteers[actor], me.isCoordinator { return }
        if actor == "system" {
            if bootstrap && !hasCoordinator { return }
            throw CommandRejection(.forbidden, bootstrap
                ? "system may \(what) only until the first coordinator has joined; ask a coordinator (\(coordinators.joined(separator: ", ")))"
                : "only coordinators may \(what)")
        }
        if let me = volunteers[actor], me.active {
            throw CommandRejection(.forbidden, "\(actor) is \(Self.article(me.role)); only coordinators may \(what)")
        }
        throw CommandRejection(.forbidden, "\(actor) is not an active volunteer; only coordinators may \(what)")
    }

    private func inbound(_ post: String) throws(CommandRejection) -> PostState {
        guard let slot = slot(of: post) else {
            if publishedPosts.contains(post) {
                throw CommandRejection(.notFound, "post \(post) is one we published, not an inbound post; the desk handles inbound posts only")
            }
            throw CommandRejection(.notFound, "post \(post) was never received by the desk")
        }
        return postState(slot: slot)
    }

    private func check(_ expectedVersion: UInt64?, _ state: PostState) throws(CommandRejection) {
        if let expectedVersion, expectedVersion != state.version {
            throw CommandRejection(.conflict, "post \(state.id) changed since version \(expectedVersion) (now \(state.version), \(state.status.name)\(state.assignee.map { ", assigned to \($0)" } ?? "")); reload it and decide again")
        }
    }

    /// The rules every door applies (``FieldRule``): what the desk appends, `smcc import` takes back.
    private static func checkFields(_ event: Event) throws(CommandRejection) {
        if let problem = event.fieldProblem() {
            throw CommandRejection(.invalid, "field '\(problem.field)' of the \(event.kind.name) event: \(problem.message)")
        }
    }

    private static func checkPostID(_ post: String, channel: Channel) throws(CommandRejection) {
        let prefix = channel.rawValue + ":"
        guard post.hasPrefix(prefix), post.utf8.count > prefix.utf8.count, !post.contains(where: \.isWhitespace) else {
            throw CommandRejection(.invalid, "'\(post)' is not a \(channel.rawValue) post id; write \(prefix)<platform id>")
        }
    }

    private static func checkVolunteerID(_ volunteer: String) throws(CommandRejection) {
        guard volunteer.hasPrefix("vol:"), volunteer.utf8.count > 4, !volunteer.contains(where: \.isWhitespace) else {
            throw CommandRejection(.invalid, "'\(volunteer)' is not a volunteer id; write vol:<handle>")
        }
    }

    private static func nonEmpty(_ text: String, _ what: String) throws(CommandRejection) {
        guard text.contains(where: { !$0.isWhitespace }) else { throw CommandRejection(.invalid, "\(what) is empty") }
    }

    static func article(_ role: Role) -> String {
        switch role {
        case .ambassador: "an ambassador"
        case .photo: "a photo volunteer"
        case .liveTweets: "a live-tweets volunteer"
        case .streamMonitor: "a stream monitor"
        case .coordinator: "a coordinator"
        }
    }

    /// Whether the event's strings are long enough that it might not fit in a record (so it is
    /// worth encoding it to measure).
    private static func mightBeLarge(_ event: Event) -> Bool {
        switch event.body {
        case .postReceived(let b): (b.hashtags + b.mentions).reduce(b.text.utf8.count + b.author.utf8.count + (b.url?.utf8.count ?? 0)) { $0 + $1.utf8.count + 4 } > 30_000
        case .postPublished(let b): b.text.utf8.count + (b.media ?? []).reduce(0) { $0 + $1.utf8.count + 4 } > 30_000
        case .replied(let b): b.text.utf8.count > 30_000
        case .noteAdded(let b): b.text.utf8.count > 30_000
        case .escalated(let b): b.reason.utf8.count > 30_000
        case .escalationResolved(let b): (b.resolution?.utf8.count ?? 0) > 30_000
        case .postTagged(let b): b.tags.reduce(0) { $0 + $1.utf8.count + 4 } > 30_000
        case .postUnassigned(let b): (b.reason?.utf8.count ?? 0) > 30_000
        default: false
        }
    }
}
