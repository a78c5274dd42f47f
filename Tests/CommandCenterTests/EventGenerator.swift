import CommandCenter

/// SplitMix64: a tiny seeded generator, so a failing property test names a seed that replays.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random events covering every kind, every combination of optional fields, empty and non-ASCII
/// strings, escapes and extreme times.
///
/// With `valid: true` it only makes events the NDJSON reader accepts (ids with their prefixes,
/// lowercase hashtags, non-empty names, times in years 0000–9999); with `valid: false` anything
/// the binary codec must carry, such as empty actors and times at the ends of Int64.
struct EventGenerator {
    var rng: SplitMix64
    var valid: Bool

    init(seed: UInt64, valid: Bool) {
        rng = SplitMix64(seed: seed)
        self.valid = valid
    }

    static let pieces = [
        "", "a", "hello world", "émoji 🎉🇫🇷", "quote \" and back\\slash", "line\nbreak\r\n",
        "ctl \u{1}\u{8}\u{c}\u{1f}\t", "del \u{7f}", "sep \u{2028}\u{2029}", "日本語のテキスト",
        "e\u{301}", "/slash/", "\u{0}", "Ünïcödé", "#AskPivot", "@someone", "<b>&amp;</b>",
    ]
    static let tagPieces = ["askpivot", "swift", "日本", "émoji🎉", "a_b", "2024", "ß"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func bool() -> Bool { Bool.random(using: &rng) }

    mutating func text() -> String {
        var s = ""
        for _ in 0..<int(0...3) { s += Self.pieces[int(0...Self.pieces.count - 1)] }
        if int(0...20) == 0 { s += String(repeating: "x", count: int(100...400)) }
        return s
    }

    mutating func nonEmpty() -> String {
        let s = text()
        return valid && s.isEmpty ? "x" : s
    }

    mutating func texts() -> [String] { (0..<int(0...4)).map { _ in text() } }

    mutating func hashtags() -> [String] {
        guard valid else { return texts() }
        return (0..<int(0...4)).map { _ in Self.tagPieces[int(0...Self.tagPieces.count - 1)] }
    }

    mutating func postID() -> String {
        guard valid else { return text() }
        return Channel.allCases[int(0...7)].rawValue + ":" + String(rng.next() % 10_000_000_000) + (bool() ? "" : text())
    }

    mutating func volunteerID() -> String {
        guard valid else { return text() }
        return "vol:" + ["maria", "jo", "李", "o'brien"][int(0...3)] + text()
    }

    mutating func optional<T>(_ make: (inout EventGenerator) -> T) -> T? {
        bool() ? make(&self) : nil
    }

    mutating func time(near at: Timestamp) -> Timestamp {
        if !valid && int(0...10) == 0 {
            return Timestamp(milliseconds: [Int64.min, Int64.max, 0, -1][int(0...3)])
        }
        let maxValid: Int64 = 253_402_300_799_999
        let t = at.milliseconds &+ Int64(int(-3_000_000_000...3_000_000_000))
        return Timestamp(milliseconds: valid ? min(max(t, 0), maxValid) : t)
    }

    mutating func at() -> Timestamp {
        if !valid && int(0...10) == 0 {
            return Timestamp(milliseconds: [Int64.min, Int64.max, 0, -1][int(0...3)])
        }
        return Timestamp(milliseconds: Int64(int(0...253_402_300_799_999)))
    }

    mutating func event() -> Event {
        let at = at()
        let actor = valid ? nonEmpty() : text()
        return Event(at: at, actor: actor, body: body(at: at))
    }

    mutating func body(at: Timestamp) -> EventBody {
        switch EventKind.allCases[int(0...EventKind.allCases.count - 1)] {
        case .postReceived:
            .postReceived(PostReceived(
                post: postID(), channel: Channel.allCases[int(0...7)], author: nonEmpty(), text: text(),
                hashtags: hashtags(), mentions: texts(), postedAt: time(near: at),
                inReplyTo: optional { $0.postID() }, conversation: optional { $0.nonEmpty() },
                isRepost: bool(), url: optional { $0.nonEmpty() }, repostCount: optional { $0.int(0...Int.max) },
                likeCount: optional { $0.int(0...1_000_000) }, quoteOf: optional { $0.postID() }))
        case .postPublished:
            .postPublished(PostPublished(
                post: postID(), channel: Channel.allCases[int(0...7)], text: text(), media: optional { $0.texts() }))
        case .postAssigned: .postAssigned(PostAssigned(post: postID(), to: volunteerID()))
        case .postUnassigned: .postUnassigned(PostUnassigned(post: postID(), reason: optional { $0.text() }))
        case .replied: .replied(Replied(post: postID(), text: text(), replyPost: optional { $0.postID() }))
        case .escalated:
            .escalated(Escalated(
                post: postID(), to: nonEmpty(), reason: text(), priority: optional { $0.pick(Priority.self) }))
        case .escalationResolved:
            .escalationResolved(EscalationResolved(post: postID(), resolution: optional { $0.text() }))
        case .postResolved: .postResolved(PostResolved(post: postID(), outcome: pick(Outcome.self)))
        case .noteAdded: .noteAdded(NoteAdded(post: postID(), text: text()))
        case .postTagged: .postTagged(PostTagged(post: postID(), tags: texts()))
        case .volunteerJoined:
            .volunteerJoined(VolunteerJoined(
                volunteer: volunteerID(), name: text(), role: pick(Role.self), team: optional { $0.text() }))
        case .volunteerLeft: .volunteerLeft(VolunteerLeft(volunteer: volunteerID()))
        case .roleChanged:
            .roleChanged(RoleChanged(volunteer: volunteerID(), from: pick(Role.self), to: pick(Role.self)))
        case .shiftStarted: .shiftStarted(ShiftStarted(volunteer: volunteerID()))
        case .shiftEnded: .shiftEnded(ShiftEnded(volunteer: volunteerID()))
        case .listeningRuleAdded: .listeningRuleAdded(ListeningRuleAdded(rule: nonEmpty()))
        case .listeningRuleRemoved: .listeningRuleRemoved(ListeningRuleRemoved(rule: nonEmpty()))
        case .eventDescribed:
            .eventDescribed(EventDescribed(
                name: nonEmpty(), timeZone: pick(["America/New_York", "Europe/Paris", "UTC", "Asia/Kolkata"]), firstDay: "2017-03-02",
                lastDay: pick(["2017-03-02", "2017-03-05"]), hashtags: hashtags(), venue: optional { $0.nonEmpty() }))
        case .personalDataErased:
            .personalDataErased(PersonalDataErased(posts: (0..<int(0...3)).map { _ in postID() }, reason: optional { $0.text() }))
        case .logUpgraded: .logUpgraded(LogUpgraded(fromFormat: nonEmpty(), previousHead: nonEmpty()))
        }
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    mutating func pick<T: CaseIterable>(_ type: T.Type) -> T where T.AllCases == [T] {
        T.allCases[int(0...T.allCases.count - 1)]
    }
}
