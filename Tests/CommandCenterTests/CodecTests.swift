import CommandCenter
import Testing

struct CodecTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomEventsRoundTrip(seed: UInt64) throws {
        for valid in [false, true] {
            var generator = EventGenerator(seed: seed, valid: valid)
            for i in 0..<3000 {
                let event = generator.event()
                let payload = EventCodec.encode(event)
                let decoded = try EventCodec.decode(payload, at: event.at)
                #expect(decoded == event, "seed \(seed) event \(i)")
                // String == is canonical equivalence; the bytes must match exactly.
                #expect(EventCodec.encode(decoded) == payload, "seed \(seed) event \(i)")
                #expect(decoded.actor.utf8.elementsEqual(event.actor.utf8))
                // The payload stored beside a personal part is the event with its personal fields emptied.
                #expect(EventCodec.split(event).payload == EventCodec.encode(PersonalFields.emptied(event)), "seed \(seed) event \(i)")
            }
        }
    }

    @Test func encodeIntoAppendsAndDecodesFromASlice() throws {
        var generator = EventGenerator(seed: 9, valid: false)
        var buffer: [UInt8] = [0xFF, 0xFE]
        var spans: [(Range<Int>, Event)] = []
        for _ in 0..<200 {
            let event = generator.event()
            let start = buffer.count
            EventCodec.encode(event, into: &buffer)
            spans.append((start..<buffer.count, event))
        }
        for (range, event) in spans {
            #expect(try EventCodec.decode(buffer[range], at: event.at) == event)
        }
    }

    @Test func everyTruncationThrows() {
        var generator = EventGenerator(seed: 5, valid: false)
        for _ in 0..<300 {
            let event = generator.event()
            let payload = EventCodec.encode(event)
            for length in 0..<payload.count {
                #expect(throws: EventDecodingError.self) {
                    try EventCodec.decode(payload[0..<length], at: event.at)
                }
            }
        }
    }

    @Test func leftoverBytesThrow() throws {
        let event = Event(at: Timestamp(milliseconds: 0), actor: "system",
                          body: .shiftStarted(ShiftStarted(volunteer: "vol:a")))
        let error = try #require(throws: EventDecodingError.self) {
            try EventCodec.decode(EventCodec.encode(event) + [0], at: event.at)
        }
        #expect(error.message.contains("left over"))
    }

    @Test func refusesWhatTheSpecRefuses() throws {
        let cases: [(bytes: [UInt8], needle: String)] = [
            ([], "kind"),
            ([0], "unknown kind code 0"),
            ([21, 0, 0], "unknown kind code 21"),
            ([255], "unknown kind code 255"),
            ([8, 0, 1, 0x61, 4], "outcome"),              // outcome 4 is out of range
            ([13, 0, 1, 0x61, 0, 5], "'to'"),              // role 5
            ([1, 0, 128, 1], "flags"),                       // bit 7 undefined for postReceived
            ([18, 0, 2], "flags"),                           // bit 1 undefined for eventDescribed
            ([4, 0, 2, 1, 0x61], "flags"),                   // bit 1 undefined for postUnassigned
            ([12, 0, 2, 0xC3, 0x28], "UTF-8"),               // invalid UTF-8
            ([12, 0, 2, 0xED, 0xA0], "field 'volunteer'"),   // truncated, and a surrogate anyway
            ([12, 1, 0xFF, 1, 0x61], "UTF-8"),               // invalid UTF-8 in actor
            ([12, 0, 0x85], "volunteer"),                    // varint runs off the end
            ([12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "overflows"),
            ([10, 0, 1, 0x61, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], "count"),
        ]
        for (bytes, needle) in cases {
            let error = try #require(throws: EventDecodingError.self, "\(bytes)") {
                try EventCodec.decode(bytes, at: Timestamp(milliseconds: 0))
            }
            #expect(error.description.contains(needle), "\(bytes): \(error)")
        }
    }

    @Test func randomGarbageNeverTraps() {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<200_000 {
            var bytes = (0..<Int(rng.next() % 24)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Bias toward plausible starts so the decoder gets past the kind byte.
            if !bytes.isEmpty { bytes[0] = UInt8(rng.next() % 22) }
            _ = try? EventCodec.decode(bytes, at: Timestamp(milliseconds: 0))
            _ = try? EventCodec.peek(bytes[...])
        }
    }

    @Test func mutatedPayloadsDecodeOrThrow() {
        var generator = EventGenerator(seed: 11, valid: false)
        var rng = SplitMix64(seed: 12)
        for _ in 0..<2000 {
            let event = generator.event()
            var payload = EventCodec.encode(event)
            let i = Int(rng.next() % UInt64(payload.count))
            payload[i] = UInt8(truncatingIfNeeded: rng.next())
            if let other = try? EventCodec.decode(payload, at: event.at) {
                // Whatever decodes re-encodes to the same bytes, unless a varint became overlong.
                _ = EventCodec.encode(other)
            }
        }
    }

    @Test func timesAreRelativeAndWrap() throws {
        let extremes: [Int64] = [.min, .max, 0, -1, 1, 1_435_032_589_000]
        for at in extremes {
            for posted in extremes {
                let event = Event(at: Timestamp(milliseconds: at), actor: "", body: .postReceived(PostReceived(
                    post: "", channel: .other, author: "", text: "", hashtags: [], mentions: [],
                    postedAt: Timestamp(milliseconds: posted))))
                #expect(try EventCodec.decode(EventCodec.encode(event), at: event.at) == event)
            }
        }
    }

    @Test func peekMatchesDecode() throws {
        var generator = EventGenerator(seed: 21, valid: false)
        var interner = StringInterner()
        for _ in 0..<2000 {
            let event = generator.event()
            let payload: [UInt8] = [9, 9, 9] + EventCodec.encode(event)
            let slice = payload[3...]
            let summary = try EventCodec.peek(slice)
            #expect(summary.kind == event.kind)
            #expect(try interner.intern(payload[summary.actor]) == event.actor)
            let subject = try interner.intern(payload[summary.subject])
            switch event.body {
            case .listeningRuleAdded(let b): #expect(subject == b.rule)
            case .listeningRuleRemoved(let b): #expect(subject == b.rule)
            case .eventDescribed(let b): #expect(subject == b.name)
            case .personalDataErased, .logUpgraded: #expect(subject == "")
            default: #expect(subject == (event.post ?? event.volunteer))
            }
        }
        #expect(interner.count < 2000)
    }

    @Test func internerReturnsTheSameStringAndRefusesBadUTF8() throws {
        var interner = StringInterner()
        let bytes: [UInt8] = Array("vol:maria".utf8)
        #expect(try interner.intern(bytes[...]) == "vol:maria")
        #expect(try interner.intern((bytes + [1])[0..<9]) == "vol:maria")
        #expect(interner.count == 1)
        #expect(throws: EventDecodingError.self) { try interner.intern([0xC0, 0x80][...]) }
    }

    @Test func enumCodesAreSpecPositions() {
        #expect(Channel.allCases.map(\.rawValue) == ["twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"])
        #expect(Role.allCases.map(\.rawValue) == ["ambassador", "photo", "liveTweets", "streamMonitor", "coordinator"])
        #expect(Outcome.allCases.map(\.rawValue) == ["answered", "noAction", "spam", "duplicate"])
        #expect(Priority.allCases.map(\.rawValue) == ["low", "normal", "high", "urgent"])
        for (i, c) in Channel.allCases.enumerated() { #expect(Int(c.code) == i && Channel(code: UInt8(i)) == c) }
        for (i, c) in Role.allCases.enumerated() { #expect(Int(c.code) == i && Role(code: UInt8(i)) == c) }
        for (i, c) in Outcome.allCases.enumerated() { #expect(Int(c.code) == i && Outcome(code: UInt8(i)) == c) }
        for (i, c) in Priority.allCases.enumerated() { #expect(Int(c.code) == i && Priority(code: UInt8(i)) == c) }
        #expect(Channel(code: 8) == nil && Role(code: 5) == nil && Outcome(code: 4) == nil && Priority(code: 4) == nil)
        #expect(EventKind.allCases.map(\.rawValue) == Array(1...20))
        for kind in EventKind.allCases { #expect(EventKind(name: kind.name) == kind) }
        #expect(EventKind(name: "PostReceived") == nil)
    }
}
