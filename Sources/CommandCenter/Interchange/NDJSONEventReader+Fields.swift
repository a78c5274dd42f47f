// One case per kind, mirroring the table of `Schemas/log-format.md` §6 row by row; keep its order.

extension NDJSONEventReader {
    /// Reads the kind's own fields out of `fields`; the caller refuses whatever is left.
    static func readBody(kind: EventKind, from fields: inout ObjectFields) throws(InputError) -> EventBody {
        switch kind {
        case .postReceived:
            return .postReceived(PostReceived(
                post: try fields.requiredString("post", check: .postID),
                channel: try fields.requiredEnum("channel", Channel.self),
                author: try fields.requiredString("author", check: .nonEmpty),
                text: try fields.requiredString("text"),
                hashtags: try fields.requiredStrings("hashtags", check: .hashtag),
                mentions: try fields.requiredStrings("mentions"),
                postedAt: try fields.requiredTime("postedAt"),
                inReplyTo: try fields.optionalString("inReplyTo", check: .postID),
                conversation: try fields.optionalString("conversation", check: .nonEmpty),
                isRepost: try fields.flag("isRepost"),
                url: try fields.optionalString("url", check: .nonEmpty),
                repostCount: try fields.optionalCount("repostCount"),
                likeCount: try fields.optionalCount("likeCount"),
                quoteOf: try fields.optionalString("quoteOf", check: .postID)
            ))
        case .postPublished:
            return .postPublished(PostPublished(
                post: try fields.requiredString("post", check: .postID),
                channel: try fields.requiredEnum("channel", Channel.self),
                text: try fields.requiredString("text"),
                media: try fields.optionalStrings("media")
            ))
        case .postAssigned:
            return .postAssigned(PostAssigned(
                post: try fields.requiredString("post", check: .postID),
                to: try fields.requiredString("to", check: .volunteerID)
            ))
        case .postUnassigned:
            return .postUnassigned(PostUnassigned(
                post: try fields.requiredString("post", check: .postID),
                reason: try fields.optionalString("reason")
            ))
        case .replied:
            return .replied(Replied(
                post: try fields.requiredString("post", check: .postID),
                text: try fields.requiredString("text"),
                replyPost: try fields.optionalString("replyPost", check: .postID)
            ))
        case .escalated:
            return .escalated(Escalated(
                post: try fields.requiredString("post", check: .postID),
                to: try fields.requiredString("to", check: .nonEmpty),
                reason: try fields.requiredString("reason"),
                priority: try fields.optionalEnum("priority", Priority.self)
            ))
        case .escalationResolved:
            return .escalationResolved(EscalationResolved(
                post: try fields.requiredString("post", check: .postID),
                resolution: try fields.optionalString("resolution")
            ))
        case .postResolved:
            return .postResolved(PostResolved(
                post: try fields.requiredString("post", check: .postID),
                outcome: try fields.requiredEnum("outcome", Outcome.self)
            ))
        case .noteAdded:
            return .noteAdded(NoteAdded(
                post: try fields.requiredString("post", check: .postID),
                text: try fields.requiredString("text")
            ))
        case .postTagged:
            return .postTagged(PostTagged(
                post: try fields.requiredString("post", check: .postID),
                tags: try fields.requiredStrings("tags")
            ))
        case .volunteerJoined:
            return .volunteerJoined(VolunteerJoined(
                volunteer: try fields.requiredString("volunteer", check: .volunteerID),
                name: try fields.requiredString("name"),
                role: try fields.requiredEnum("role", Role.self),
                team: try fields.optionalString("team")
            ))
        case .volunteerLeft:
            return .volunteerLeft(VolunteerLeft(
                volunteer: try fields.requiredString("volunteer", check: .volunteerID)
            ))
        case .roleChanged:
            return .roleChanged(RoleChanged(
                volunteer: try fields.requiredString("volunteer", check: .volunteerID),
                from: try fields.requiredEnum("from", Role.self),
                to: try fields.requiredEnum("to", Role.self)
            ))
        case .shiftStarted:
            return .shiftStarted(ShiftStarted(
                volunteer: try fields.requiredString("volunteer", check: .volunteerID)
            ))
        case .shiftEnded:
            return .shiftEnded(ShiftEnded(
                volunteer: try fields.requiredString("volunteer", check: .volunteerID)
            ))
        case .listeningRuleAdded:
            return .listeningRuleAdded(ListeningRuleAdded(
                rule: try fields.requiredString("rule", check: .nonEmpty)
            ))
        case .listeningRuleRemoved:
            return .listeningRuleRemoved(ListeningRuleRemoved(
                rule: try fields.requiredString("rule", check: .nonEmpty)
            ))
        case .eventDescribed:
            let described = EventDescribed(
                name: try fields.requiredString("name", check: .nonEmpty),
                timeZone: try fields.requiredString("timeZone", check: .timeZone),
                firstDay: try fields.requiredString("firstDay", check: .day),
                lastDay: try fields.requiredString("lastDay", check: .day),
                hashtags: try fields.requiredStrings("hashtags", check: .hashtag),
                venue: try fields.optionalString("venue", check: .nonEmpty)
            )
            guard described.firstDay <= described.lastDay else {
                throw fields.error("lastDay", "\(described.lastDay) is before firstDay \(described.firstDay)")
            }
            return .eventDescribed(described)
        }
    }
}
