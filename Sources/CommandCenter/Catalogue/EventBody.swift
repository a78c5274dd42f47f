/// What happened, with the fields of its kind: one case per ``EventKind``, each carrying the
/// struct of that kind's fields (`Schemas/log-format.md` §6 lists them in order).
public enum EventBody: Hashable, Sendable {
    case postReceived(PostReceived)
    case postPublished(PostPublished)
    case postAssigned(PostAssigned)
    case postUnassigned(PostUnassigned)
    case replied(Replied)
    case escalated(Escalated)
    case escalationResolved(EscalationResolved)
    case postResolved(PostResolved)
    case noteAdded(NoteAdded)
    case postTagged(PostTagged)
    case volunteerJoined(VolunteerJoined)
    case volunteerLeft(VolunteerLeft)
    case roleChanged(RoleChanged)
    case shiftStarted(ShiftStarted)
    case shiftEnded(ShiftEnded)
    case listeningRuleAdded(ListeningRuleAdded)
    case listeningRuleRemoved(ListeningRuleRemoved)
    case eventDescribed(EventDescribed)
    case personalDataErased(PersonalDataErased)
    case logUpgraded(LogUpgraded)

    /// The kind of this body.
    public var kind: EventKind {
        switch self {
        case .postReceived: .postReceived
        case .postPublished: .postPublished
        case .postAssigned: .postAssigned
        case .postUnassigned: .postUnassigned
        case .replied: .replied
        case .escalated: .escalated
        case .escalationResolved: .escalationResolved
        case .postResolved: .postResolved
        case .noteAdded: .noteAdded
        case .postTagged: .postTagged
        case .volunteerJoined: .volunteerJoined
        case .volunteerLeft: .volunteerLeft
        case .roleChanged: .roleChanged
        case .shiftStarted: .shiftStarted
        case .shiftEnded: .shiftEnded
        case .listeningRuleAdded: .listeningRuleAdded
        case .listeningRuleRemoved: .listeningRuleRemoved
        case .eventDescribed: .eventDescribed
        case .personalDataErased: .personalDataErased
        case .logUpgraded: .logUpgraded
        }
    }
}
