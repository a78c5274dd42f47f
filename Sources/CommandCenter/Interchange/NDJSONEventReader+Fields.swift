// One case per kind, mirroring the table of `Schemas/log-format.md` §6 row by row; keep its order.

extension NDJSONEventReader {
    /// Reads the kind's own fields out of `fields`; the caller refuses whatever is left.
    static func readBody(kind: EventKind, from fields: inout ObjectFields) throws(InputError) -> EventBody {
        switch kind {
        case .postReceived:
            return .postReceived(PostReceived(
                post: try fields.requiredString("post"),
                channel: try fields.requiredEnum("channel", Channel.self),
                author: try fields.requiredString("author"),
                text: try fields.requiredString("text"),
                hashtags: try fields.requiredStrings("hashtags"),
                mentions: try fields.requiredStrings("mentions"),
                postedAt: try fields.requiredTime("postedAt"),
                inReplyTo: try fields.optionalString("inReplyTo"),
                conversation: try fields.optionalString("conversation"),
                isRepost: try fields.flag("isRepost"),
                url: try fields.optionalString("url")
            ))
        case .postPublished:
            return .postPublished(PostPublished(
                post: try fields.requiredString("post"),
                channel: try fields.requiredEnum("channel", Channel.self),
                text: try fields.requiredString("text"),
                media: try fields.optionalStrings("media")
            ))
        case .postAssigned:
            return .postAssigned(PostAssigned(
                post: try fields.requiredString("post"),
                to: try fields.requiredString("to")
            ))
        case .postUnassigned:
            return .postUnassigned(PostUnassigned(
                post: try fields.requiredString("post"),
                reason: try fields.optionalString("reason")
            ))
        case .replied:
            return .replied(Replied(
                post: try fields.requiredString("post"),
                text: try fields.requiredString("text"),
                replyPost: try fields.optionalString("replyPost")
            ))
        case .escalated:
            return .escalated(Escalated(
                post: try fields.requiredString("post"),
                to: try fields.requiredString("to"),
                reason: try fields.requiredString("reason"),
                priority: try fields.optionalEnum("priority", Priority.self)
            ))
        case .escalationResolved:
            return .escalationResolved(EscalationResolved(
                post: try fields.requiredString("post"),
                resolution: try fields.optionalString("resolution")
            ))
        case .postResolved:
            return .postResolved(PostResolved(
                post: try fields.requiredString("post"),
                outcome: try fields.requiredEnum("outcome", Outcome.self)
            ))
        case .noteAdded:
            return .noteAdded(NoteAdded(
                post: try fields.requiredString("post"),
                text: try fields.requiredString("text")
            ))
        case .postTagged:
            return .postTagged(PostTagged(
                post: try fields.requiredString("post"),
                tags: try fields.requiredStrings("tags")
            ))
        case .volunteerJoined:
            return .volunteerJoined(VolunteerJoined(
                volunteer: try fields.requiredString("volunteer"),
                name: try fields.requiredString("name"),
                role: try fields.requiredEnum("role", Role.self),
                team: try fields.optionalString("team")
            ))
        case .volunteerLeft:
            return .volunteerLeft(VolunteerLeft(
                volunteer: try fields.requiredString("volunteer")
            ))
        case .roleChanged:
            return .roleChanged(RoleChanged(
                volunteer: try fields.requiredString("volunteer"),
                from: try fields.requiredEnum("from", Role.self),
                to: try fields.requiredEnum("to", Role.self)
            ))
        case .shiftStarted:
            return .shiftStarted(ShiftStarted(
                volunteer: try fields.requiredString("volunteer")
            ))
        case .shiftEnded:
            return .shiftEnded(ShiftEnded(
                volunteer: try fields.requiredString("volunteer")
            ))
        case .listeningRuleAdded:
            return .listeningRuleAdded(ListeningRuleAdded(
                rule: try fields.requiredString("rule")
            ))
        case .listeningRuleRemoved:
            return .listeningRuleRemoved(ListeningRuleRemoved(
                rule: try fields.requiredString("rule")
            ))
        }
    }
}
