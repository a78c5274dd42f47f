import Foundation

/// Events written by hand in the interchange form (`Schemas/log-format.md` §7): exactly the bytes
/// `smcc export` must print for them, built without any smcc code.
enum Interchange {
    /// A field value of the interchange form.
    enum Value {
        case string(String)
        case strings([String])
        case yes
        /// Raw JSON text, to write what the form does not allow (a number for a string…).
        case raw(String)
    }

    /// One event: its time in ms, actor, kind and fields in the order of §6.
    struct Event {
        var at: Int64
        var actor: String
        var kind: String
        var fields: [(String, Value)]

        /// The NDJSON line (with its newline) for sequence number `seq`.
        func line(seq: Int) -> String {
            var out = "{\"seq\":\(seq),\"at\":\(quote(rfc3339(at))),\"actor\":\(quote(actor)),\"kind\":\(quote(kind))"
            for (name, value) in fields {
                out += ",\(quote(name)):"
                switch value {
                case .string(let text): out += quote(text)
                case .strings(let items): out += "[" + items.map(quote).joined(separator: ",") + "]"
                case .yes: out += "true"
                case .raw(let json): out += json
                }
            }
            return out + "}\n"
        }

        /// The post the event names, if any.
        var post: String? {
            fields.first { $0.0 == "post" }.flatMap { if case .string(let post) = $0.1 { post } else { nil } }
        }
    }

    /// The NDJSON text of `events`, numbered from `firstSeq`.
    static func text(_ events: [Event], firstSeq: Int = 1) -> String {
        var out = ""
        for (offset, event) in events.enumerated() { out += event.line(seq: firstSeq + offset) }
        return out
    }

    /// What Python's `json.dumps(s, ensure_ascii=False)` writes.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0..<0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for ms since 1970 (proleptic Gregorian, integer arithmetic).
    static func rfc3339(_ ms: Int64) -> String {
        let days = Int64((Double(ms) / 86_400_000).rounded(.down))
        let msOfDay = ms - days * 86_400_000
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let hours = msOfDay / 3_600_000
        let minutes = msOfDay / 60_000 % 60
        let seconds = msOfDay / 1000 % 60
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(msOfDay % 1000, 3))Z"
    }
}

/// SplitMix64: the same seed gives the same events everywhere.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// A deterministic stream of valid events of every kind: posts are received (or published) before
/// anything names them, times never decrease.
struct EventStream {
    static let kinds = ["postReceived", "postPublished", "postAssigned", "postUnassigned", "replied", "escalated",
                        "escalationResolved", "postResolved", "noteAdded", "postTagged", "volunteerJoined", "volunteerLeft",
                        "roleChanged", "shiftStarted", "shiftEnded", "listeningRuleAdded", "listeningRuleRemoved", "eventDescribed"]
    static let channels = ["twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"]
    static let roles = ["ambassador", "photo", "liveTweets", "streamMonitor", "coordinator"]
    static let outcomes = ["answered", "noAction", "spam", "duplicate"]
    static let priorities = ["low", "normal", "high", "urgent"]
    static let volunteers = ["vol:ana", "vol:ben", "vol:chloé", "vol:dmitri", "vol:李", "vol:coord-mia"]
    static let texts = [
        "where is the keynote room? #askpivot", "the wifi is down in hall B", "loving the swift workshop 🎉",
        "où est le vestiaire ? 🧥", "line one\nline two", "quote \" and back\\slash", "tab\there", "control \u{01}\u{1F} bytes",
        "", "Thanks! DM us 🙏", "日本語のテキスト", "\u{2028}separator\u{2029}", "form\u{0C}feed and back\u{08}space\r",
    ]
    static let hashtags = ["pivotcon", "askpivot", "été", "wifi", "keynote"]

    private var random: SplitMix64
    /// The time of the last event, ms since 1970.
    private(set) var now: Int64
    private var nextId: UInt64
    private(set) var posts: [String] = []

    /// A stream starting at `start` (ms since 1970); post ids are unique per `idBase`.
    init(seed: UInt64, start: Int64 = 1_435_032_589_000, idBase: UInt64 = 614_319_489_000_000_000) {
        random = SplitMix64(seed: seed)
        now = start
        nextId = idBase
    }

    /// The next `count` events.
    mutating func make(_ count: Int) -> [Interchange.Event] {
        (0..<count).map { _ in next() }
    }

    /// The next event of a random kind (a post while fewer than 3 are known).
    mutating func next() -> Interchange.Event {
        let roll = random.below(100)
        let kind: String
        switch roll {
        case _ where posts.count < 3: kind = "postReceived"
        case 0..<33: kind = "postReceived"
        case 33..<37: kind = "postPublished"
        default: kind = Self.kinds[2 + random.below(Self.kinds.count - 2)]
        }
        return next(kind)
    }

    /// The next event, of `kind`.
    mutating func next(_ kind: String) -> Interchange.Event {
        now += [0, 0, 1, 250, 999, 1000, 4_321, 60_000][random.below(8)]
        let at = now
        let volunteer = random.pick(Self.volunteers)
        var fields: [(String, Interchange.Value)] = []
        func s(_ name: String, _ value: String) { fields.append((name, .string(value))) }
        func ss(_ name: String, _ value: [String]) { fields.append((name, .strings(value))) }
        func text() -> String { random.pick(Self.texts) }
        func known() -> String { posts[posts.count - 1 - random.below(min(posts.count, 50))] }
        func newPost(_ channel: String) -> String {
            nextId += 1 + UInt64(random.below(1000))
            let post = "\(channel):\(nextId)"
            posts.append(post)
            return post
        }
        var actor = volunteer
        switch kind {
        case "postReceived":
            actor = random.pick(["system", "import:twcs", "import:ndjson"])
            let channel = random.chance(80) ? "twitter" : random.pick(Self.channels)
            s("post", newPost(channel))
            s("channel", channel)
            s("author", random.pick(["ann", "Zoë_🐝", "@bob@example.social", "back\\slash", "user\(random.below(10_000))"]))
            s("text", text())
            ss("hashtags", (0..<random.below(3)).map { _ in random.pick(Self.hashtags) })
            ss("mentions", random.chance(40) ? ["pivotdesk"] : [])
            s("postedAt", Interchange.rfc3339(at - Int64(random.below(5_000)) + (random.chance(5) ? 9_000 : 0)))
            if random.chance(30) { s("inReplyTo", "twitter:\(random.below(1_000_000) + 1)") }
            if random.chance(30) { s("conversation", "conv-\(random.below(100) + 1)") }
            if random.chance(15) { fields.append(("isRepost", .yes)) }
            if random.chance(30) { s("url", "https://twitter.com/x/status/\(nextId)") }
            if random.chance(30) { fields.append(("repostCount", .raw(String(random.pick([0, 1, 127, 128, 9_223_372_036_854_775_807]))))) }
            if random.chance(30) { fields.append(("likeCount", .raw(String(random.below(100_000))))) }
            if random.chance(15) { s("quoteOf", "twitter:\(random.below(1_000_000) + 1)") }
        case "postPublished":
            let channel = random.pick(Self.channels)
            s("post", newPost(channel))
            s("channel", channel)
            s("text", text())
            if random.chance(60) { ss("media", (0..<random.below(3)).map { "photo\($0).jpg" }) }
        case "postAssigned":
            s("post", known()); s("to", random.pick(Self.volunteers))
        case "postUnassigned":
            s("post", known())
            if random.chance(50) { s("reason", "shift over") }
        case "replied":
            s("post", known()); s("text", text())
            if random.chance(50) { s("replyPost", "twitter:\(random.below(1_000_000) + 1)") }
        case "escalated":
            s("post", known()); s("to", "vol:coord-mia"); s("reason", random.pick(["press", "légal", ""]))
            if random.chance(60) { s("priority", random.pick(Self.priorities)) }
        case "escalationResolved":
            s("post", known())
            if random.chance(50) { s("resolution", "answered by PR") }
        case "postResolved":
            s("post", known()); s("outcome", random.pick(Self.outcomes))
        case "noteAdded":
            s("post", known()); s("text", text())
        case "postTagged":
            s("post", known()); ss("tags", (0..<random.below(3)).map { _ in random.pick(["billing", "négatif", "venue"]) })
        case "volunteerJoined":
            actor = "vol:coord-mia"
            s("volunteer", volunteer); s("name", random.pick(["Ana Lima", "李小龍", "Jo \"JJ\" Li"])); s("role", random.pick(Self.roles))
            if random.chance(50) { s("team", random.pick(["Nuit", "Day"])) }
        case "volunteerLeft", "shiftStarted", "shiftEnded":
            s("volunteer", volunteer)
        case "roleChanged":
            actor = "vol:coord-mia"
            s("volunteer", volunteer); s("from", random.pick(Self.roles)); s("to", random.pick(Self.roles))
        case "listeningRuleAdded", "listeningRuleRemoved":
            actor = "vol:coord-mia"
            s("rule", random.pick(["#AskPivot", "@pivotdesk", "pivot OR pivotcon", "\"quoted\""]))
        case "eventDescribed":
            actor = "system"
            s("name", random.pick(["PivotCon 2026", "NICAR \"17\"", "Été 🎉"])); s("timeZone", random.pick(["Europe/Paris", "America/Chicago", "UTC"]))
            s("firstDay", "2026-06-02"); s("lastDay", random.pick(["2026-06-02", "2026-06-04"]))
            ss("hashtags", (0..<random.below(3)).map { _ in random.pick(Self.hashtags) })
            if random.chance(50) { s("venue", "Hall B, Paris") }
        default:
            preconditionFailure("unknown kind \(kind)")
        }
        return Interchange.Event(at: at, actor: actor, kind: kind, fields: fields)
    }
}

extension Interchange.Event {
    /// This event without the field `name`.
    func removing(_ name: String) -> Self {
        var copy = self
        copy.fields.removeAll { $0.0 == name }
        return copy
    }

    /// This event with the field `name` set to `value` (replaced in place, or added at the end).
    func setting(_ name: String, _ value: Interchange.Value) -> Self {
        var copy = self
        if let index = copy.fields.firstIndex(where: { $0.0 == name }) {
            copy.fields[index].1 = value
        } else {
            copy.fields.append((name, value))
        }
        return copy
    }
}
