@testable import CommandCenter
import Testing

/// The replay's decode path (``EventView`` and ``Symbols``) against the full decode.
struct EventViewTests {
    /// Every accessor of the view of `event`'s payload equals the field of the decoded event.
    static func expectViewMatches(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let payload = EventCodec.encode(event)
        // A slice that does not start at 0, as a scan lends them.
        let lent = ([0xAA, 0xBB] + payload + [0xCC])[2..<(2 + payload.count)]
        let view = try EventView(lent, at: event.at)
        #expect(view.kind == event.kind, sourceLocation: sourceLocation)
        #expect(view.at == event.at, sourceLocation: sourceLocation)
        #expect(try view.event() == event, sourceLocation: sourceLocation)
        #expect(view.actor == event.actor, sourceLocation: sourceLocation)
        #expect(view.post == event.post, sourceLocation: sourceLocation)
        #expect(view.volunteer == event.volunteer, sourceLocation: sourceLocation)
        var rule: String?, to: String?, author: String?, name: String?, team: String?, text: String?
        var hashtags: [String] = [], mentions: [String] = [], inReplyTo: String?, conversation: String?
        var channel: Channel?, postedAt: Timestamp?, isRepost = false, outcome: Outcome?, priority: Priority?
        var role: Role?, previousRole: Role?
        switch event.body {
        case .postReceived(let b):
            (author, text, hashtags, mentions, inReplyTo, conversation) = (b.author, b.text, b.hashtags, b.mentions, b.inReplyTo, b.conversation)
            (channel, postedAt, isRepost) = (b.channel, b.postedAt, b.isRepost)
        case .postPublished(let b): (channel, text) = (b.channel, b.text)
        case .postAssigned(let b): to = b.to
        case .replied(let b): text = b.text
        case .escalated(let b): (to, priority) = (b.to, b.priority)
        case .postResolved(let b): outcome = b.outcome
        case .noteAdded(let b): text = b.text
        case .volunteerJoined(let b): (name, role, team) = (b.name, b.role, b.team)
        case .roleChanged(let b): (role, previousRole) = (b.to, b.from)
        case .listeningRuleAdded(let b): rule = b.rule
        case .listeningRuleRemoved(let b): rule = b.rule
        default: break
        }
        #expect(view.rule == rule, sourceLocation: sourceLocation)
        #expect(view.to == to, sourceLocation: sourceLocation)
        #expect(view.author == author, sourceLocation: sourceLocation)
        #expect(view.name == name, sourceLocation: sourceLocation)
        #expect(view.team == team, sourceLocation: sourceLocation)
        #expect(view.text == text, sourceLocation: sourceLocation)
        #expect(view.hashtags == hashtags, sourceLocation: sourceLocation)
        #expect(view.hashtagCount == hashtags.count, sourceLocation: sourceLocation)
        #expect(view.mentions == mentions, sourceLocation: sourceLocation)
        #expect(view.inReplyTo == inReplyTo, sourceLocation: sourceLocation)
        #expect(view.conversation == conversation, sourceLocation: sourceLocation)
        #expect(view.channel == channel, sourceLocation: sourceLocation)
        #expect(view.postedAt == postedAt, sourceLocation: sourceLocation)
        #expect(view.isRepost == isRepost, sourceLocation: sourceLocation)
        #expect(view.outcome == outcome, sourceLocation: sourceLocation)
        #expect(view.priority == priority, sourceLocation: sourceLocation)
        #expect(view.role == role, sourceLocation: sourceLocation)
        #expect(view.previousRole == previousRole, sourceLocation: sourceLocation)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theViewEqualsTheFullDecode(seed: UInt64) throws {
        for valid in [true, false] {
            var generator = EventGenerator(seed: seed, valid: valid)
            for _ in 0..<2_000 { try Self.expectViewMatches(generator.event()) }
        }
    }

    /// The ids interned for an event name its strings, and the same string gets the same id.
    @Test func internedIdsNameTheStrings() throws {
        var generator = EventGenerator(seed: 9, valid: true)
        var symbols = Symbols()
        var received: [String: Int32] = [:]
        for _ in 0..<3_000 {
            let event = generator.event()
            var view = EventView(event)
            try symbols.intern(&view)
            #expect(symbols.names[view.ids.actor] == event.actor)
            switch event.body {
            case .postReceived(let b):
                let isNew = received[b.post] == nil
                let id = received[b.post] ?? Int32(received.count)
                received[b.post] = id
                #expect(view.ids.post == id)
                #expect(view.ids.isNewPost == isNew)
                #expect(symbols.postKeys[Int(view.ids.post)].id == b.post)
                #expect(symbols.eventHashtags.map { symbols.hashtags[$0] } == b.hashtags)
            case .postAssigned(let b):
                #expect(view.ids.post == received[b.post] ?? -1)
                #expect(symbols.names[view.ids.person] == b.to)
            case .escalated(let b):
                #expect(symbols.names[view.ids.person] == b.to)
            case .volunteerJoined(let b):
                #expect(symbols.names[view.ids.person] == b.volunteer)
                #expect(view.ids.team == b.team.map { symbols.name($0)! } ?? EventIDs.none)
            default:
                if let post = event.post, event.kind != .postPublished { #expect(view.ids.post == received[post] ?? -1) }
                if let volunteer = event.volunteer { #expect(symbols.names[view.ids.person] == volunteer) }
            }
        }
        #expect(symbols.postCount == received.count)
    }

    /// The view is never stricter than the decoder, and never traps: on every truncation and on
    /// flipped bytes of valid payloads, a payload that decodes also walks, to the same event.
    @Test func damagedPayloadsWalkWhenTheyDecodeAndNeverTrap() throws {
        var generator = EventGenerator(seed: 4, valid: false)
        var rng = SplitMix64(seed: 4)
        for _ in 0..<300 {
            let event = generator.event()
            let payload = EventCodec.encode(event)
            var damaged = (0..<payload.count).map { Array(payload[..<$0]) }
            for _ in 0..<20 {
                var flipped = payload
                flipped[Int(rng.next() % UInt64(payload.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                damaged.append(flipped)
            }
            for bytes in damaged {
                let view = try? EventView(bytes[...], at: event.at)
                if let decoded = try? EventCodec.decode(bytes, at: event.at) {
                    #expect(try view?.event() == decoded)
                }
                if var view {
                    // Interning checks the ids' UTF-8; whatever it says, it never traps.
                    var symbols = Symbols()
                    _ = try? symbols.intern(&view)
                    _ = (view.hashtags, view.mentions, view.text, view.channel, view.postedAt)
                }
            }
        }
    }

    /// Urgent rules read the post in place exactly as they read the decoded post.
    @Test func listeningRulesMatchTheViewAsTheyMatchThePost() throws {
        let rules = ["#askpivot", "!#AskPivot", "#日本", "@someone", "@ÉMILE", "hello", "ÜNÏ", "wifi down", "!émoji"]
            .compactMap(ListeningRule.init)
        var generator = EventGenerator(seed: 12, valid: true)
        var symbols = Symbols()
        var checked = 0
        for _ in 0..<10_000 {
            var event = generator.event()
            guard case .postReceived(var b) = event.body else { continue }
            if checked % 3 == 0 { b.author = ["someone", "SomeOne", "émile", "Émile"][checked % 4] }
            if checked % 5 == 0 { b.mentions.append(["SOMEONE", "Émile"][checked % 2]) }
            if checked % 7 == 0 { b.text += " Hello WiFi DOWN ünï" }
            if checked % 2 == 0 { b.hashtags.append(["AskPivot", "askpivot", "日本"][checked % 3]) }
            event.body = .postReceived(b)
            var view = EventView(event)
            try symbols.intern(&view)
            for rule in rules {
                #expect(ListeningRule.Matcher(rule).matches(view, symbols: symbols) == rule.matches(b), "\(rule.text) on \(b)")
            }
            checked += 1
        }
        #expect(checked > 400, "about one event in 17 is a postReceived")
    }

    /// The keyword search (Horspool's, ASCII case folded) against the plain scan of
    /// ``ListeningRule/containsIgnoringASCIICase(_:_:)``, on texts built from few letters, so that
    /// partial matches, overlaps and repeats abound.
    @Test func keywordSearchFindsWhatThePlainScanFinds() throws {
        var rng = SplitMix64(seed: 21)
        let letters = Array("aAbB .éÉ".unicodeScalars).map(String.init)
        func text(_ n: Int) -> String { (0..<n).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }.joined() }
        var found = 0
        for _ in 0..<3_000 {
            let keyword = text(Int(rng.next() % 5) + 1)
            guard let rule = ListeningRule(keyword), case .keyword(let lowered) = rule.target else { continue }
            let haystack = text(Int(rng.next() % 40))
            let expected = ListeningRule.containsIgnoringASCIICase(haystack, lowered)
            #expect(ListeningRule.Matcher(rule).contains(Array(haystack.utf8)[...]) == expected, "\(keyword) in \(haystack)")
            if expected { found += 1 }
        }
        #expect(found > 300, "the texts should contain the keywords often")
    }
}
