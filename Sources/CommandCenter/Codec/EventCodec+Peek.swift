extension EventCodec {
    /// Reads the kind, the actor and the subject (post, volunteer or rule id) of a payload
    /// without allocating: the projections' fast path.
    ///
    /// Why: a full ``decode(_:at:)`` builds every string of the event (text, hashtags, …), which
    /// costs allocations that a queue or audit projection never looks at. `peek` touches only
    /// the first few bytes and returns byte ranges; a ``StringInterner`` turns the ids into
    /// shared `String`s, allocating once per distinct id rather than once per event.
    ///
    /// It checks bounds and the kind, flags and lengths it reads, never traps, but validates
    /// nothing after the subject (and not the UTF-8 of the ranges; the interner does that).
    /// A log whose payloads were all written by ``encode(_:)`` decodes fully as well.
    /// - Throws: ``EventDecodingError`` when the bytes it reads are malformed.
    @inline(__always)
    public static func peek(_ payload: ArraySlice<UInt8>) throws(EventDecodingError) -> EventSummary {
        var r = PayloadReader(payload)
        let code = try r.byte("kind")
        guard let kind = EventKind(rawValue: code) else {
            throw EventDecodingError("unknown kind code \(code)", offset: 0)
        }
        let actor = try r.lengthPrefixedRange("actor")
        if let bits = kind.flagBits {
            _ = try r.flags(definedBits: bits, kind: kind)
        }
        guard kind.isPostKind || kind.isVolunteerKind || kind == .listeningRuleAdded || kind == .listeningRuleRemoved
            || kind == .eventDescribed else {
            // An erasure or an upgrade has no single subject.
            return EventSummary(kind: kind, actor: actor, subject: r.index..<r.index, rest: r.index)
        }
        let field = kind.isPostKind ? "post" : kind.isVolunteerKind ? "volunteer" : kind == .eventDescribed ? "name" : "rule"
        let subject = try r.lengthPrefixedRange(field)
        return EventSummary(kind: kind, actor: actor, subject: subject, rest: r.index)
    }
}

extension EventKind {
    /// How many flag bits the kind defines; `nil` for a kind with no flags varint (§6).
    var flagBits: Int? {
        switch self {
        case .postReceived: 7
        case .postPublished, .postUnassigned, .replied, .escalated, .escalationResolved,
             .volunteerJoined, .eventDescribed, .personalDataErased: 1
        case .postAssigned, .postResolved, .noteAdded, .postTagged, .volunteerLeft, .roleChanged,
             .shiftStarted, .shiftEnded, .listeningRuleAdded, .listeningRuleRemoved, .logUpgraded: nil
        }
    }
}
