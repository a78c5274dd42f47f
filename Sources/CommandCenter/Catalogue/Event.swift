/// One event of the catalogue: when it happened, who did it, and what happened.
///
/// The log assigns the sequence number; it is not part of the event. `at` is stored as the
/// record's time, not in the payload (see ``EventCodec``).
public struct Event: Hashable, Sendable {
    /// When it happened. Never decreases along the log.
    public var at: Timestamp
    /// Who did it: a volunteer id (`vol:maria`), `system`, or an importer (`import:twcs`).
    public var actor: String
    /// What happened.
    public var body: EventBody
    /// Its personal fields (``PersonalFields``) were erased: they read as empty.
    public var isErased: Bool

    /// Creates an event.
    public init(at: Timestamp, actor: String, body: EventBody, isErased: Bool = false) {
        self.at = at
        self.actor = actor
        self.body = body
        self.isErased = isErased
    }

    /// The kind of ``body``.
    public var kind: EventKind { body.kind }

    /// The post id this event concerns, for the post kinds (`postReceived` … `postTagged`);
    /// `nil` for the others.
    public var post: String? {
        switch body {
        case .postReceived(let b): b.post
        case .postPublished(let b): b.post
        case .postAssigned(let b): b.post
        case .postUnassigned(let b): b.post
        case .replied(let b): b.post
        case .escalated(let b): b.post
        case .escalationResolved(let b): b.post
        case .postResolved(let b): b.post
        case .noteAdded(let b): b.post
        case .postTagged(let b): b.post
        case .volunteerJoined, .volunteerLeft, .roleChanged, .shiftStarted, .shiftEnded,
             .listeningRuleAdded, .listeningRuleRemoved, .eventDescribed, .personalDataErased, .logUpgraded: nil
        }
    }

    /// The volunteer id this event concerns, for the volunteer kinds (`volunteerJoined` …
    /// `shiftEnded`); `nil` for the others (the target of `postAssigned` is in its `to`).
    public var volunteer: String? {
        switch body {
        case .volunteerJoined(let b): b.volunteer
        case .volunteerLeft(let b): b.volunteer
        case .roleChanged(let b): b.volunteer
        case .shiftStarted(let b): b.volunteer
        case .shiftEnded(let b): b.volunteer
        default: nil
        }
    }
}
