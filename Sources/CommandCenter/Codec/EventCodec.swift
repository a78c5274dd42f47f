/// The storage form of an event: the payload bytes of one log record (`Schemas/log-format.md` §6).
///
/// The payload holds the kind code, the actor, the flags of optional fields, and the kind's fields
/// in spec order. It does **not** hold `at`: that is the record's time, kept by the log, and
/// passed back to ``decode(_:at:)``; field times (`postedAt`) are stored relative to it.
/// See `EventCodec+Decode.swift` and `EventCodec+Peek.swift` for reading.
public enum EventCodec {
    /// What a record of event format `smcc-event 2` stores of `event`: the payload (the event with
    /// its personal fields emptied, see ``PersonalFields``) and the personal part (`nil` when the
    /// event has none).
    public static func split(_ event: Event) -> (payload: [UInt8], personal: [UInt8]?) {
        // Written with the personal fields left out, rather than encoding a copy of the event
        // with them emptied (``PersonalFields/emptied(_:)``, the same bytes): that copy was a
        // twentieth of an archive import's CPU.
        var payload: [UInt8] = []
        payload.reserveCapacity(64)
        encode(event, into: &payload, withPersonalFields: false)
        return (payload, PersonalFields.encode(event))
    }

    /// The payload of `event` with every field in it: what format 1 stored, and what a payload
    /// plus its personal part decode to.
    public static func encode(_ event: Event) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        encode(event, into: &bytes)
        return bytes
    }

    /// Appends the payload of `event` to `bytes`, so a batch can share one buffer.
    public static func encode(_ event: Event, into bytes: inout [UInt8]) {
        encode(event, into: &bytes, withPersonalFields: true)
    }

    /// Without its personal fields, the payload is that of ``PersonalFields/emptied(_:)``.
    private static func encode(_ event: Event, into bytes: inout [UInt8], withPersonalFields personal: Bool) {
        bytes.append(event.kind.rawValue)
        bytes.appendString(event.actor)
        switch event.body {
        case .postReceived(let b):
            var flags: UInt64 = 0
            if b.inReplyTo != nil { flags |= 1 }
            if b.conversation != nil { flags |= 2 }
            if b.isRepost { flags |= 4 }
            if personal && b.url != nil { flags |= 8 }
            if b.repostCount != nil { flags |= 16 }
            if b.likeCount != nil { flags |= 32 }
            if b.quoteOf != nil { flags |= 64 }
            bytes.appendVarint(flags)
            bytes.appendString(b.post)
            bytes.append(b.channel.code)
            bytes.appendString(personal ? b.author : "")
            bytes.appendString(personal ? b.text : "")
            bytes.appendStrings(b.hashtags)
            bytes.appendStrings(personal ? b.mentions : [])
            bytes.appendTime(b.postedAt, relativeTo: event.at)
            if let value = b.inReplyTo { bytes.appendString(value) }
            if let value = b.conversation { bytes.appendString(value) }
            if personal, let value = b.url { bytes.appendString(value) }
            if let value = b.repostCount { bytes.appendVarint(UInt64(clamping: value)) }
            if let value = b.likeCount { bytes.appendVarint(UInt64(clamping: value)) }
            if let value = b.quoteOf { bytes.appendString(value) }
        case .postPublished(let b):
            var flags: UInt64 = 0
            if b.media != nil { flags |= 1 }
            bytes.appendVarint(flags)
            bytes.appendString(b.post)
            bytes.append(b.channel.code)
            bytes.appendString(personal ? b.text : "")
            if let value = b.media { bytes.appendStrings(value) }
        case .postAssigned(let b):
            bytes.appendString(b.post)
            bytes.appendString(b.to)
        case .postUnassigned(let b):
            var flags: UInt64 = 0
            if personal && b.reason != nil { flags |= 1 }
            bytes.appendVarint(flags)
            bytes.appendString(b.post)
            if personal, let value = b.reason { bytes.appendString(value) }
        case .replied(let b):
            var flags: UInt64 = 0
            if b.replyPost != nil { flags |= 1 }
            bytes.appendVarint(flags)
            bytes.appendString(b.post)
            bytes.appendString(personal ? b.text : "")
            if let value = b.replyPost { bytes.appendString(value) }
        case .escalated(let b):
            var flags: UInt64 = 0
            if b.priority != nil { flags |= 1 }
            bytes.appendVarint(flags)
            bytes.appendString(b.post)
            bytes.appendString(b.to)
            bytes.appendString(personal ? b.reason : "")
            if let value = b.priority { bytes.append(value.code) }
        case .escalationResolved(let b):
            var flags: UInt64 = 0
            if personal && b.resolution != nil { flags |= 1 }
            bytes.appendVarint(flags)
            bytes.appendString(b.post)
            if personal, let value = b.resolution { bytes.appendString(value) }
        case .postResolved(let b):
            bytes.appendString(b.post)
            bytes.append(b.outcome.code)
        case .noteAdded(let b):
            bytes.appendString(b.post)
            bytes.appendString(personal ? b.text : "")
        case .postTagged(let b):
            bytes.appendString(b.post)
            bytes.appendStrings(b.tags)
        case .volunteerJoined(let b):
            var flags: UInt64 = 0
            if b.team != nil { flags |= 1 }
            bytes.appendVarint(flags)
            bytes.appendString(b.volunteer)
            bytes.appendString(personal ? b.name : "")
            bytes.append(b.role.code)
            if let value = b.team { bytes.appendString(value) }
        case .volunteerLeft(let b):
            bytes.appendString(b.volunteer)
        case .roleChanged(let b):
            bytes.appendString(b.volunteer)
            bytes.append(b.from.code)
            bytes.append(b.to.code)
        case .shiftStarted(let b):
            bytes.appendString(b.volunteer)
        case .shiftEnded(let b):
            bytes.appendString(b.volunteer)
        case .listeningRuleAdded(let b):
            bytes.appendString(b.rule)
        case .listeningRuleRemoved(let b):
            bytes.appendString(b.rule)
        case .eventDescribed(let b):
            bytes.appendVarint(b.venue != nil ? 1 : 0)
            bytes.appendString(b.name)
            bytes.appendString(b.timeZone)
            bytes.appendString(b.firstDay)
            bytes.appendString(b.lastDay)
            bytes.appendStrings(b.hashtags)
            if let value = b.venue { bytes.appendString(value) }
        case .personalDataErased(let b):
            var flags: UInt64 = 0
            if personal && b.reason != nil { flags |= 1 }
            bytes.appendVarint(flags)
            bytes.appendStrings(b.posts)
            if personal, let value = b.reason { bytes.appendString(value) }
        case .logUpgraded(let b):
            bytes.appendString(b.fromFormat)
            bytes.appendString(b.previousHead)
        }
    }
}
