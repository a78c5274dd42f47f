// One line per field that carries a rule, in the order of `Schemas/log-format.md` §6; fields not
// listed are `FieldRule.any` (only the length limit).

extension Event {
    /// The first field that breaks its ``FieldRule`` (the actor, then the kind's own fields in
    /// their order), or `nil` when every field keeps its rule.
    public func fieldProblem() -> FieldProblem? {
        var check = FieldCheck()
        check.string("actor", actor, .nonEmpty)
        switch body {
        case .postReceived(let b):
            check.string("post", b.post, .postID)
            check.string("author", b.author, .nonEmpty)
            check.string("text", b.text)
            check.strings("hashtags", b.hashtags, .hashtag)
            check.strings("mentions", b.mentions)
            check.string("inReplyTo", b.inReplyTo, .postID)
            check.string("conversation", b.conversation, .nonEmpty)
            check.string("url", b.url, .nonEmpty)
        case .postPublished(let b):
            check.string("post", b.post, .postID)
            check.string("text", b.text)
            check.strings("media", b.media ?? [])
        case .postAssigned(let b):
            check.string("post", b.post, .postID)
            check.string("to", b.to, .volunteerID)
        case .postUnassigned(let b):
            check.string("post", b.post, .postID)
            check.string("reason", b.reason)
        case .replied(let b):
            check.string("post", b.post, .postID)
            check.string("text", b.text)
            check.string("replyPost", b.replyPost, .postID)
        case .escalated(let b):
            check.string("post", b.post, .postID)
            check.string("to", b.to, .nonEmpty)
            check.string("reason", b.reason)
        case .escalationResolved(let b):
            check.string("post", b.post, .postID)
            check.string("resolution", b.resolution)
        case .postResolved(let b):
            check.string("post", b.post, .postID)
        case .noteAdded(let b):
            check.string("post", b.post, .postID)
            check.string("text", b.text)
        case .postTagged(let b):
            check.string("post", b.post, .postID)
            check.strings("tags", b.tags)
        case .volunteerJoined(let b):
            check.string("volunteer", b.volunteer, .volunteerID)
            check.string("name", b.name)
            check.string("team", b.team)
        case .volunteerLeft(let b):
            check.string("volunteer", b.volunteer, .volunteerID)
        case .roleChanged(let b):
            check.string("volunteer", b.volunteer, .volunteerID)
        case .shiftStarted(let b):
            check.string("volunteer", b.volunteer, .volunteerID)
        case .shiftEnded(let b):
            check.string("volunteer", b.volunteer, .volunteerID)
        case .listeningRuleAdded(let b):
            check.string("rule", b.rule, .nonEmpty)
        case .listeningRuleRemoved(let b):
            check.string("rule", b.rule, .nonEmpty)
        }
        return check.first
    }
}

/// Keeps the first problem found.
private struct FieldCheck {
    var first: FieldProblem?

    mutating func string(_ field: String, _ value: String?, _ rule: FieldRule = .any) {
        guard first == nil, let value, let problem = rule.problem(with: value) else { return }
        first = FieldProblem(field: field, message: "\(problem), got \(JSONValue.string(value).summary)")
    }

    mutating func strings(_ field: String, _ values: [String], _ rule: FieldRule = .any) {
        guard first == nil else { return }
        for (index, value) in values.enumerated() {
            if let problem = rule.problem(with: value) {
                first = FieldProblem(field: field, message: "element \(index): \(problem), got \(JSONValue.string(value).summary)")
                return
            }
        }
    }
}
