/// The kind of an event: the JSON `kind` string and, as the raw value, the storage byte
/// (`Schemas/log-format.md` §6, codes 1…20).
public enum EventKind: UInt8, CaseIterable, Hashable, Sendable {
    case postReceived = 1
    case postPublished = 2
    case postAssigned = 3
    case postUnassigned = 4
    case replied = 5
    case escalated = 6
    case escalationResolved = 7
    case postResolved = 8
    case noteAdded = 9
    case postTagged = 10
    case volunteerJoined = 11
    case volunteerLeft = 12
    case roleChanged = 13
    case shiftStarted = 14
    case shiftEnded = 15
    case listeningRuleAdded = 16
    case listeningRuleRemoved = 17
    case eventDescribed = 18
    case personalDataErased = 19
    case logUpgraded = 20

    /// Whether the event records the log's own administration (an erasure, an upgrade) rather
    /// than something that happened at the event: such events are dated when the work was done,
    /// maybe months later, so no time span or desk figure counts them.
    public var isLogAdministration: Bool {
        self == .personalDataErased || self == .logUpgraded
    }

    /// The interchange spelling, the value of the JSON `kind` field.
    public var name: String {
        switch self {
        case .postReceived: "postReceived"
        case .postPublished: "postPublished"
        case .postAssigned: "postAssigned"
        case .postUnassigned: "postUnassigned"
        case .replied: "replied"
        case .escalated: "escalated"
        case .escalationResolved: "escalationResolved"
        case .postResolved: "postResolved"
        case .noteAdded: "noteAdded"
        case .postTagged: "postTagged"
        case .volunteerJoined: "volunteerJoined"
        case .volunteerLeft: "volunteerLeft"
        case .roleChanged: "roleChanged"
        case .shiftStarted: "shiftStarted"
        case .shiftEnded: "shiftEnded"
        case .listeningRuleAdded: "listeningRuleAdded"
        case .listeningRuleRemoved: "listeningRuleRemoved"
        case .eventDescribed: "eventDescribed"
        case .personalDataErased: "personalDataErased"
        case .logUpgraded: "logUpgraded"
        }
    }

    /// The kind spelled `name` in the interchange form; `nil` for an unknown name.
    public init?(name: String) {
        switch name {
        case "postReceived": self = .postReceived
        case "postPublished": self = .postPublished
        case "postAssigned": self = .postAssigned
        case "postUnassigned": self = .postUnassigned
        case "replied": self = .replied
        case "escalated": self = .escalated
        case "escalationResolved": self = .escalationResolved
        case "postResolved": self = .postResolved
        case "noteAdded": self = .noteAdded
        case "postTagged": self = .postTagged
        case "volunteerJoined": self = .volunteerJoined
        case "volunteerLeft": self = .volunteerLeft
        case "roleChanged": self = .roleChanged
        case "shiftStarted": self = .shiftStarted
        case "shiftEnded": self = .shiftEnded
        case "listeningRuleAdded": self = .listeningRuleAdded
        case "listeningRuleRemoved": self = .listeningRuleRemoved
        case "eventDescribed": self = .eventDescribed
        case "personalDataErased": self = .personalDataErased
        case "logUpgraded": self = .logUpgraded
        default: return nil
        }
    }

    /// Whether events of this kind concern one post, named by their `post` field (codes 1…10).
    public var isPostKind: Bool { rawValue <= EventKind.postTagged.rawValue }

    /// Whether events of this kind concern one volunteer, named by their `volunteer` field (11…15).
    public var isVolunteerKind: Bool {
        rawValue >= EventKind.volunteerJoined.rawValue && rawValue <= EventKind.shiftEnded.rawValue
    }
}

extension EventKind: CustomStringConvertible {
    /// The interchange spelling, as ``name``.
    public var description: String { name }
}
