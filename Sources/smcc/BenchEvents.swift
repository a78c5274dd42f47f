import CommandCenter

/// Realistic events for benchmarks: about 40% inbound posts with ~100-character texts, hashtags and
/// mentions, 60% desk actions (assign, reply, resolve, tag, note, escalate, shifts) on recent posts,
/// by a dozen volunteers, times increasing by a few hundred milliseconds. Deterministic for a seed.
struct BenchEvents {
    private var random: SimulationRandom
    private var now: Int64 = 1_700_000_000_000
    private var nextPostId: UInt64 = 1_720_000_000_000_000_000
    private var recentPosts: [String] = []

    static let volunteers = ["ana", "ben", "chloe", "dmitri", "emma", "farid", "grace", "hugo", "ines", "jamal", "kim", "lea", "coord-mia", "coord-noah"].map { "vol:" + $0 }
    static let channels: [(Channel, Int)] = [(.twitter, 89), (.instagram, 5), (.facebook, 3), (.linkedin, 2), (.other, 1)]
    static let openers = ["where is", "does anyone know where", "is there", "can't find", "how do I get to", "loving", "thanks for", "any update on", "who is running", "is it true that"]
    static let topics = ["the keynote room", "the wifi password", "badge pickup", "the lunch queue", "the livestream", "hall B", "the swift workshop",
                         "the coffee", "the speaker lounge", "the slides from the opening talk", "the afterparty", "the accessibility desk",
                         "the cloakroom", "the shuttle to the hotel", "the sponsor booths", "session 4"]
    static let endings = ["?", "!", " today?", " right now", ", it's packed", " — please help", ". great event so far", ", the app says nothing"]
    static let hashtags = ["pivotcon", "askpivot", "keynote", "wifi", "swiftlang", "lunch", "badges", "livestream", "hallb", "devday"]
    /// Common words, so texts vary like real ones rather than repeating a few templates (which would
    /// flatter the compression figures).
    static let vocabulary = """
        the be to of and a in that have it for not on with he as you do at this but his by from they we say her she or an will my \
        one all would there their what so up out if about who get which go me when make can like time no just him know take people \
        into year your good some could them see other than then now look only come its over think also back after use two how our \
        work first well way even new want because any these give day most us great talk keynote session speaker slides demo room \
        hall coffee lunch queue badge wifi stream video audio mic stage panel workshop track sponsor booth swag party hotel shuttle \
        train airport morning afternoon evening tomorrow today tonight awesome amazing loved learned question answer help thanks \
        please anyone where when why broken down slow fast crowded empty late early schedule app map floor level door line ticket \
        register checkin volunteer team code open source swift server cloud data security design product community diversity
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    static let replies = ["Hi! It's on level 2, follow the orange signs.", "Thanks for flagging, we're on it.", "The password is on the back of your badge.",
                          "Slides will be posted on the event site tonight.", "Sorry about that, the queue moves fast after 12:30.",
                          "Please come to the help desk by the main entrance.", "Fixed now, thanks for your patience!"]

    init(seed: UInt64) { random = SimulationRandom(seed: seed) }

    mutating func make(_ count: Int) -> [Event] {
        var events: [Event] = []
        events.reserveCapacity(count)
        for _ in 0..<count { events.append(next()) }
        return events
    }

    private mutating func pick<T>(_ items: [T]) -> T { random.pick(items) }

    private mutating func percent() -> Int { Int(random.next() % 100) }

    mutating func next() -> Event {
        now += Int64(random.next() % 400)
        let at = Timestamp(milliseconds: now)
        let roll = percent()
        if roll < 40 || recentPosts.count < 20 { return post(at) }
        let post = recentPosts[recentPosts.count - 1 - Int(random.next() % UInt64(min(recentPosts.count, 200)))]
        let actor = pick(Self.volunteers)
        let body: EventBody
        switch roll {
        case 40..<55: body = .postAssigned(PostAssigned(post: post, to: pick(Self.volunteers)))
        case 55..<76: body = .replied(Replied(post: post, text: pick(Self.replies), replyPost: "twitter:\(nextPostId &+ random.next() % 1_000_000)"))
        case 76..<90: body = .postResolved(PostResolved(post: post, outcome: percent() < 85 ? .answered : .noAction))
        case 90..<94: body = .postTagged(PostTagged(post: post, tags: [pick(["wifi", "venue", "food", "content", "access"])]))
        case 94..<97: body = .noteAdded(NoteAdded(post: post, text: "checked with the venue team, " + pick(Self.replies).lowercased()))
        case 97: body = .escalated(Escalated(post: post, to: "vol:coord-mia", reason: "needs the venue manager", priority: .high))
        case 98: body = .escalationResolved(EscalationResolved(post: post, resolution: "venue fixed it"))
        default: body = percent() < 50 ? .shiftStarted(ShiftStarted(volunteer: actor)) : .shiftEnded(ShiftEnded(volunteer: actor))
        }
        return Event(at: at, actor: actor, body: body)
    }

    private mutating func post(_ at: Timestamp) -> Event {
        nextPostId &+= 1 + random.next() % 50_000
        var channelRoll = percent()
        var channel = Channel.twitter
        for (candidate, share) in Self.channels {
            if channelRoll < share { channel = candidate; break }
            channelRoll -= share
        }
        let id = "\(channel.rawValue):\(nextPostId)"
        recentPosts.append(id)
        if recentPosts.count > 400 { recentPosts.removeFirst(200) }
        var tags = ["pivotcon"]
        if percent() < 60 { tags.append("askpivot") }
        if percent() < 40 { tags.append(pick(Self.hashtags)) }
        let mention = percent() < 50 ? ["pivotdesk"] : []
        var words: [String] = []
        if percent() < 50 {
            words = [pick(Self.openers), pick(Self.topics) + pick(Self.endings)]
        }
        for _ in 0..<(4 + Int(random.next() % 10)) { words.append(pick(Self.vocabulary)) }
        if percent() < 30 { words.append("@user\(random.next() % 20_000)") }
        if percent() < 35 { words.append("https://t.co/" + random.token(10)) }
        if percent() < 15 { words.append(String(random.next() % 1_000)) }
        let text = (mention.isEmpty ? "" : "@pivotdesk ") + words.joined(separator: " ") + " " + tags.map { "#" + $0 }.joined(separator: " ")
        let author = "user\(random.next() % 20_000)"
        let received = PostReceived(
            post: id, channel: channel, author: author, text: text, hashtags: tags, mentions: mention,
            postedAt: Timestamp(milliseconds: at.milliseconds - Int64(random.next() % 3_000)),
            isRepost: percent() < 8
        )
        return Event(at: at, actor: "system", body: .postReceived(received))
    }
}
