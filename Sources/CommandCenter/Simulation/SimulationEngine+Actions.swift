// What each scheduled action does, and what arrives.

extension SimulationEngine {
    func perform(_ action: Action) throws {
        switch action {
        case .shiftStart(let i):
            guard people[i].active, !people[i].onShift else { return }
            issue(.startShift(volunteer: people[i].id), by: people[i].id)
            people[i].onShift = true
            switch people[i].role {
            case .streamMonitor, .photo, .liveTweets: wake(i, after: random.seconds(30, 180))
            case .ambassador: wakeMonitors()
            case .coordinator: break
            }

        case .shiftEnd(let i):
            guard people[i].active, people[i].onShift else { return }
            // Hand the queue back to triage (the post in hand is finished first).
            while let p = people[i].popQueue() {
                guard posts[Int(p)].assignee == Int16(i), !posts[Int(p)].resolved, !posts[Int(p)].escalated else { continue }
                issue(.unassign(post: postIDs[Int(p)], reason: "end of shift, handing over"), by: people[i].id)
                posts[Int(p)].assignee = -1
                triage.push(slot: p, receivedAt: posts[Int(p)].receivedAt, urgent: posts[Int(p)].urgent)
            }
            issue(.endShift(volunteer: people[i].id), by: people[i].id)
            people[i].onShift = false
            wakeMonitors()

        case .ready(let i):
            guard people[i].active, people[i].onShift else {
                people[i].busy = false
                return
            }
            switch people[i].role {
            case .streamMonitor: try triageNext(i)
            case .ambassador: answerNext(i)
            case .photo, .liveTweets: publish(i)
            case .coordinator: people[i].busy = false
            }

        case .reply(let i, let p):
            let post = posts[Int(p)]
            people[i].current = -1
            guard people[i].active, post.assignee == Int16(i), !post.resolved, !post.escalated else {
                if people[i].active { later(work(2, 6), .ready(i)) } else { people[i].busy = false }
                return
            }
            issue(.reply(post: postIDs[Int(p)], text: texts.answer(post.category, author: author(p), &contentRandom), replyPost: ownID(.twitter)), by: people[i].id)
            posts[Int(p)].replied = true
            later(work(3, 15), .resolve(i, p, .answered))
            later(work(2, 6), .ready(i))

        case .resolve(let i, let p, let outcome):
            let post = posts[Int(p)]
            let v = people[i]
            guard v.active, !post.resolved, !post.escalated, outcome != .answered || post.replied,
                  post.assignee == Int16(i) || v.role == .coordinator || v.role == .streamMonitor else { return }
            issue(.resolve(post: postIDs[Int(p)], outcome: outcome), by: v.id)
            posts[Int(p)].resolved = true

        case .escalationDecision(let p):
            guard posts[Int(p)].escalated else { return }
            var c = Int(posts[Int(p)].escalatedTo)
            if c < 0 || !(people[c].active && people[c].role == .coordinator) {
                guard let other = coordinatorFor() else { return }
                c = other
            }
            let resolution = random.pick(["Venue team informed, fixed on site", "Answered with the organisers' statement",
                                          "Refund handled by the ticket desk", "AV team sent to the room", "Medic sent, attendee is fine"])
            issue(.resolveEscalation(post: postIDs[Int(p)], resolution: resolution), by: people[c].id)
            posts[Int(p)].escalated = false
            later(random.seconds(60, 240), .coordinatorReply(c, p))

        case .coordinatorReply(let c, let p):
            let post = posts[Int(p)]
            guard people[c].active, people[c].role == .coordinator, !post.resolved, !post.escalated else { return }
            issue(.reply(post: postIDs[Int(p)], text: texts.answer(post.category == .emerging ? .emerging : .complaint, author: author(p), &contentRandom),
                         replyPost: ownID(.twitter)), by: people[c].id)
            posts[Int(p)].replied = true
            later(random.seconds(5, 30), .resolve(c, p, .answered))

        case .addRule(let t):
            guard let c = coordinatorFor() else { return }
            let rule = timeline.topics[t].rule
            issue(.addListeningRule(rule), by: people[c].id)
            noteRule(rule)
            rulesAdded[t] = true
            summary.emerging[t].ruleAddedAt = Timestamp(milliseconds: now)

        case .removeRule(let t):
            let rule = timeline.topics[t].rule
            guard rulesAdded[t], let c = coordinatorFor() else { return }
            issue(.removeListeningRule(rule), by: people[c].id)
            rulesAdded[t] = false
            urgentRules.removeAll { $0.text == rule }

        case .announce(let t):
            guard let c = coordinatorFor() else { return }
            let topic = timeline.topics[t]
            let text: String
            switch topic.kind {
            case .outage: text = "Update: wifi is back in all halls. Thanks for your patience! #\(options.eventHashtag) #\(topic.tag)"
            case .venue: text = "Update: Hall B sessions have moved to the keynote hall, the leak is contained. #\(options.eventHashtag) #\(topic.tag)"
            case .catering: text = "Fresh coffee is on its way to both floors ☕️ #\(options.eventHashtag)"
            }
            issue(.publish(post: ownID(.twitter), channel: .twitter, text: text), by: people[c].id)

        case .roleChange(let i, let role):
            guard people[i].active, !people[i].onShift, people[i].role != role, let c = coordinatorFor() else { return }
            issue(.changeRole(volunteer: people[i].id, to: role), by: people[c].id)
            people[i].role = role

        case .join(let i):
            guard !people[i].active, let c = coordinatorFor() else { return }
            issue(.joinVolunteer(volunteer: people[i].id, name: people[i].name, role: people[i].role, team: people[i].team), by: people[c].id)
            people[i].active = true

        case .leave(let i):
            guard people[i].active, let c = coordinatorFor() else { return }
            // The desk unassigns everything they hold: mirror it (posts waiting for a coordinator's
            // decision stay with the coordinator; the rest go back to triage).
            issue(.leaveVolunteer(volunteer: people[i].id), by: people[c].id)
            people[i].active = false
            people[i].onShift = false
            people[i].current = -1
            for p in posts.indices where posts[p].assignee == Int16(i) && !posts[p].resolved {
                posts[p].assignee = -1
                if !posts[p].escalated {
                    triage.push(slot: Int32(p), receivedAt: posts[p].receivedAt, urgent: posts[p].urgent)
                }
            }
            people[i].queue = []
            people[i].head = 0
            wakeMonitors()
        }
    }

    // MARK: - Monitors

    func triageNext(_ m: Int) throws {
        // A post can be queued twice (handed back at the end of a shift while still queued from
        // before, say): skip entries a previous pop already dealt with.
        var popped = triage.pop()
        while let candidate = popped, posts[Int(candidate)].resolved || posts[Int(candidate)].assignee >= 0 || posts[Int(candidate)].escalated {
            popped = triage.pop()
        }
        guard let p = popped else {
            people[m].busy = false
            return
        }
        let post = posts[Int(p)]
        let monitor = people[m].id
        let id = postIDs[Int(p)]
        let next = work(6, 20, triage: true)
        if random.chance(0.07) || (post.category == .emerging && random.chance(0.3)) {
            issue(.tag(post: id, tags: [tagFor(post)]), by: monitor)
        }
        switch post.category {
        case .spam:
            issue(.resolve(post: id, outcome: .spam), by: monitor)
            posts[Int(p)].resolved = true
        case .duplicate:
            issue(.resolve(post: id, outcome: .duplicate), by: monitor)
            posts[Int(p)].resolved = true
        case .praise where random.chance(0.03), .chatter where random.chance(0.04):
            issue(.resolve(post: id, outcome: .noAction), by: monitor)
            posts[Int(p)].resolved = true
        case .emerging where !firstReportEscalated[Int(post.topic)] && coordinatorFor() != nil,
             .complaint where post.urgent && coordinatorFor() != nil:
            if post.topic >= 0 { firstReportEscalated[Int(post.topic)] = true }
            let c = coordinatorFor()!
            let reason = post.category == .emerging ? "Several reports of #\(timeline.topics[Int(post.topic)].tag): looks like a venue-wide problem"
                                                    : "Possible medical issue reported, needs someone on site"
            issue(.escalate(post: id, to: people[c].id, reason: reason, priority: post.category == .emerging ? .high : .urgent), by: monitor)
            posts[Int(p)].escalated = true
            posts[Int(p)].escalatedTo = Int16(c)
            later(random.seconds(3 * 60, 15 * 60), .escalationDecision(p))
        default:
            let ambassadors = people.indices.filter { people[$0].active && people[$0].onShift && people[$0].role == .ambassador }
            guard let a = ambassadors.min(by: { (people[$0].queueLength, $0) < (people[$1].queueLength, $1) }) else {
                // Nobody to give it to: leave it in triage until an ambassador starts a shift.
                triage.push(slot: p, receivedAt: post.receivedAt, urgent: post.urgent)
                people[m].busy = false
                return
            }
            issue(.assign(post: id, to: people[a].id), by: monitor)
            posts[Int(p)].assignee = Int16(a)
            people[a].queue.append(p)
            wake(a, after: random.seconds(20, 120))
        }
        later(next, .ready(m))
    }

    func tagFor(_ post: Post) -> String {
        if post.topic >= 0 {
            switch timeline.topics[Int(post.topic)].kind {
            case .outage: return "outage"
            case .venue: return "venue"
            case .catering: return "catering"
            }
        }
        switch post.category {
        case .question: return random.pick(["question", "wifi", "badges", "rooms", "sessions", "food"])
        case .complaint: return random.pick(["complaint", "av", "queue", "venue"])
        case .praise: return "praise"
        default: return "content"
        }
    }

    // MARK: - Ambassadors

    func answerNext(_ a: Int) {
        var picked: Int32?
        while let p = people[a].popQueue() {
            let post = posts[Int(p)]
            if post.assignee == Int16(a) && !post.resolved && !post.escalated { picked = p; break }
        }
        guard let p = picked else {
            people[a].busy = false
            return
        }
        let post = posts[Int(p)]
        let me = people[a].id
        let id = postIDs[Int(p)]
        let escalate = (post.category == .complaint && random.chance(0.22)) || (post.category == .emerging && random.chance(0.05))
        if escalate, let c = coordinatorFor() {
            issue(.escalate(post: id, to: people[c].id, reason: random.pick(["Attendee asks for a refund", "Complaint about a speaker",
                                                                             "Needs a decision from the organisers", "Accessibility issue in the room"]),
                            priority: random.pick([.normal, .normal, .high, .low])), by: me)
            posts[Int(p)].escalated = true
            posts[Int(p)].escalatedTo = Int16(c)
            later(random.seconds(4 * 60, 35 * 60), .escalationDecision(p))
            later(work(10, 30), .ready(a))
            return
        }
        if (post.category == .question && random.chance(0.015)) || ((post.category == .praise || post.category == .chatter) && random.chance(0.02)) {
            issue(.resolve(post: id, outcome: .noAction), by: me)
            posts[Int(p)].resolved = true
            later(work(5, 15), .ready(a))
            return
        }
        if random.chance(0.04) {
            issue(.addNote(post: id, text: random.pick(ConferenceTexts.notes)), by: me)
        }
        people[a].current = p
        let handling: Int64
        switch post.category {
        case .question: handling = work(40, 150)
        case .complaint: handling = work(60, 200)
        case .emerging: handling = work(30, 90)
        default: handling = work(10, 35)
        }
        later(handling, .reply(a, p))
    }

    // MARK: - Publishing

    func publish(_ v: Int) {
        let (_, hour) = timeline.dayAndHour(now)
        let photo = people[v].role == .photo
        if hour >= 8.5 && hour < 18.75 {
            let tags = " #\(options.eventHashtag)" + (timeline.isKeynote(now) ? " #keynote" : "")
            let text: String
            var media: [String]? = nil
            if photo {
                text = texts.fill(random.pick(["Packed house in {place} {happy}", "The crowd for {session} {happy}", "Golden hour on the terrace {happy}",
                                               "Behind the scenes with our volunteers {happy}", "@{speaker} on stage {happy}"]), &contentRandom, day: 0) + tags
                media = (0..<random.int(1...3)).map { _ in "photo-\(random.token(8)).jpg" }
            } else {
                text = texts.fill(random.pick(["Now on stage: @{speaker} on {topic}", "\"Ship small, ship often\" says @{speaker} {happy}",
                                               "Up next in {place}: {session}", "Standing room only for {session} {happy}",
                                               "Key takeaway from @{speaker}: {topic} is a team sport"]), &contentRandom, day: 0) + tags
            }
            let channel: Channel = photo && random.chance(0.5) ? .instagram : .twitter
            issue(.publish(post: ownID(channel), channel: channel, text: text, media: media), by: people[v].id)
            later(photo ? random.seconds(12 * 60, 30 * 60) : random.seconds(5 * 60, 14 * 60), .ready(v))
        } else {
            later(15 * ConferenceTimeline.minute, .ready(v))
        }
    }

    // MARK: - Arrivals

    func receive() throws {
        let slot = Int32(posts.count)
        let (received, post) = makePost(slot: slot)
        issue(.receivePost(received), by: "monitor:" + received.channel.rawValue)
        postIDs.append(received.post)
        posts.append(post)
        summary.posts += 1
        summary.postsByChannel[received.channel, default: 0] += 1
        if post.category != .repost {
            triage.push(slot: slot, receivedAt: post.receivedAt, urgent: post.urgent)
            wakeMonitors()
        }
    }

    func author(_ p: Int32) -> String { texts.author(Int(posts[Int(p)].author)) }

    /// A fresh id of ours on `channel` (a snowflake-like number from a counter of our own).
    func ownID(_ channel: Channel) -> String {
        ownCounter += 1
        let snowflake = UInt64(now - Self.twitterEpoch) << 22 | (1 << 21) | (ownCounter & 0x1F_FFFF)
        return channel == .instagram ? "instagram:\(snowflake)" : "twitter:\(snowflake)"
    }
}
