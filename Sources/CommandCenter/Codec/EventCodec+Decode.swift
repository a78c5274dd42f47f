extension EventCodec {
    /// Decodes the payload of a record whose time is `at`.
    ///
    /// Total on arbitrary bytes: it never traps, and refuses everything §6 tells a reader to
    /// refuse (unknown kind, enum out of range, undefined flag bit, a length past the end,
    /// invalid UTF-8, bytes left over).
    /// - Parameters:
    ///   - payload: the payload bytes, exactly (its indices need not start at 0).
    ///   - at: the record's time, which becomes ``Event/at`` and anchors field times.
    /// - Throws: ``EventDecodingError`` naming the field and offset.
    public static func decode(
        _ payload: ArraySlice<UInt8>, at: Timestamp
    ) throws(EventDecodingError) -> Event {
        var r = PayloadReader(payload)
        let code = try r.byte("kind")
        guard let kind = EventKind(rawValue: code) else {
            throw EventDecodingError("unknown kind code \(code)", offset: 0)
        }
        let actor = try r.string("actor")
        let body: EventBody
        switch kind {
        case .postReceived:
            let flags = try r.flags(definedBits: 7, kind: kind)
            let post = try r.string("post")
            let channel = try r.enumeration("channel", Channel.init(code:))
            let author = try r.string("author")
            let text = try r.string("text")
            let hashtags = try r.strings("hashtags")
            let mentions = try r.strings("mentions")
            let postedAt = try r.time("postedAt", relativeTo: at)
            let inReplyTo: String? = try flags & 1 != 0 ? r.string("inReplyTo") : nil
            let conversation: String? = try flags & 2 != 0 ? r.string("conversation") : nil
            let isRepost = flags & 4 != 0
            let url: String? = try flags & 8 != 0 ? r.string("url") : nil
            let repostCount: Int? = try flags & 16 != 0 ? r.count("repostCount") : nil
            let likeCount: Int? = try flags & 32 != 0 ? r.count("likeCount") : nil
            let quoteOf: String? = try flags & 64 != 0 ? r.string("quoteOf") : nil
            body = .postReceived(PostReceived(
                post: post,
                channel: channel,
                author: author,
                text: text,
                hashtags: hashtags,
                mentions: mentions,
                postedAt: postedAt,
                inReplyTo: inReplyTo,
                conversation: conversation,
                isRepost: isRepost,
                url: url,
                repostCount: repostCount,
                likeCount: likeCount,
                quoteOf: quoteOf
            ))
        case .postPublished:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let post = try r.string("post")
            let channel = try r.enumeration("channel", Channel.init(code:))
            let text = try r.string("text")
            let media: [String]? = try flags & 1 != 0 ? r.strings("media") : nil
            body = .postPublished(PostPublished(
                post: post,
                channel: channel,
                text: text,
                media: media
            ))
        case .postAssigned:
            let post = try r.string("post")
            let to = try r.string("to")
            body = .postAssigned(PostAssigned(post: post, to: to))
        case .postUnassigned:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let post = try r.string("post")
            let reason: String? = try flags & 1 != 0 ? r.string("reason") : nil
            body = .postUnassigned(PostUnassigned(post: post, reason: reason))
        case .replied:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let post = try r.string("post")
            let text = try r.string("text")
            let replyPost: String? = try flags & 1 != 0 ? r.string("replyPost") : nil
            body = .replied(Replied(post: post, text: text, replyPost: replyPost))
        case .escalated:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let post = try r.string("post")
            let to = try r.string("to")
            let reason = try r.string("reason")
            let priority: Priority? =
                try flags & 1 != 0 ? r.enumeration("priority", Priority.init(code:)) : nil
            body = .escalated(Escalated(post: post, to: to, reason: reason, priority: priority))
        case .escalationResolved:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let post = try r.string("post")
            let resolution: String? = try flags & 1 != 0 ? r.string("resolution") : nil
            body = .escalationResolved(EscalationResolved(post: post, resolution: resolution))
        case .postResolved:
            let post = try r.string("post")
            let outcome = try r.enumeration("outcome", Outcome.init(code:))
            body = .postResolved(PostResolved(post: post, outcome: outcome))
        case .noteAdded:
            let post = try r.string("post")
            let text = try r.string("text")
            body = .noteAdded(NoteAdded(post: post, text: text))
        case .postTagged:
            let post = try r.string("post")
            let tags = try r.strings("tags")
            body = .postTagged(PostTagged(post: post, tags: tags))
        case .volunteerJoined:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let volunteer = try r.string("volunteer")
            let name = try r.string("name")
            let role = try r.enumeration("role", Role.init(code:))
            let team: String? = try flags & 1 != 0 ? r.string("team") : nil
            body = .volunteerJoined(VolunteerJoined(
                volunteer: volunteer,
                name: name,
                role: role,
                team: team
            ))
        case .volunteerLeft:
            let volunteer = try r.string("volunteer")
            body = .volunteerLeft(VolunteerLeft(volunteer: volunteer))
        case .roleChanged:
            let volunteer = try r.string("volunteer")
            let from = try r.enumeration("from", Role.init(code:))
            let to = try r.enumeration("to", Role.init(code:))
            body = .roleChanged(RoleChanged(volunteer: volunteer, from: from, to: to))
        case .shiftStarted:
            let volunteer = try r.string("volunteer")
            body = .shiftStarted(ShiftStarted(volunteer: volunteer))
        case .shiftEnded:
            let volunteer = try r.string("volunteer")
            body = .shiftEnded(ShiftEnded(volunteer: volunteer))
        case .listeningRuleAdded:
            let rule = try r.string("rule")
            body = .listeningRuleAdded(ListeningRuleAdded(rule: rule))
        case .listeningRuleRemoved:
            let rule = try r.string("rule")
            body = .listeningRuleRemoved(ListeningRuleRemoved(rule: rule))
        case .eventDescribed:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let name = try r.string("name")
            let timeZone = try r.string("timeZone")
            let firstDay = try r.string("firstDay")
            let lastDay = try r.string("lastDay")
            let hashtags = try r.strings("hashtags")
            let venue: String? = try flags & 1 != 0 ? r.string("venue") : nil
            body = .eventDescribed(EventDescribed(
                name: name, timeZone: timeZone, firstDay: firstDay, lastDay: lastDay, hashtags: hashtags, venue: venue
            ))
        case .personalDataErased:
            let flags = try r.flags(definedBits: 1, kind: kind)
            let posts = try r.strings("posts")
            let reason: String? = try flags & 1 != 0 ? r.string("reason") : nil
            body = .personalDataErased(PersonalDataErased(posts: posts, reason: reason))
        case .logUpgraded:
            let fromFormat = try r.string("fromFormat")
            let previousHead = try r.string("previousHead")
            body = .logUpgraded(LogUpgraded(fromFormat: fromFormat, previousHead: previousHead))
        }
        try r.finish()
        return Event(at: at, actor: actor, body: body)
    }

    /// Decodes a record of event format `smcc-event 2`: its payload, then its personal part
    /// (``PersonalFields``) when it has one; an erased record reads with its personal fields empty
    /// and ``Event/isErased`` set.
    public static func decode(
        _ payload: ArraySlice<UInt8>, personal: ArraySlice<UInt8>?, erased: Bool, at: Timestamp
    ) throws(EventDecodingError) -> Event {
        var event = try decode(payload, at: at)
        if let personal { event = try PersonalFields.apply(personal, to: event) }
        event.isErased = erased
        return event
    }

    /// Decodes a whole array as one payload; as the `ArraySlice` overload does.
    public static func decode(_ payload: [UInt8], at: Timestamp) throws(EventDecodingError) -> Event {
        try decode(payload[...], at: at)
    }
}
