/// Where an inbound post stands at the desk.
public enum PostStatus: Hashable, Sendable {
    /// Received, nobody has it.
    case received
    /// A volunteer has it (see ``PostState/assignee``).
    case assigned
    /// It left the queues for good, with this outcome.
    case resolved(Outcome)

    /// The interchange spelling: `received`, `assigned`, or the outcome's (`answered`, `noAction`, …).
    public var name: String {
        switch self {
        case .received: "received"
        case .assigned: "assigned"
        case .resolved(let outcome): outcome.rawValue
        }
    }

    /// Whether the post is resolved, whatever the outcome.
    public var isResolved: Bool {
        if case .resolved = self { return true }
        return false
    }
}

/// An escalation that is still open: who must decide, how urgent, since when.
public struct OpenEscalation: Hashable, Sendable {
    /// Who it is escalated to (a coordinator's volunteer id).
    public var to: String
    /// How urgent, if said.
    public var priority: Priority?
    /// When it was escalated.
    public var since: Timestamp

    /// Creates an open escalation.
    public init(to: String, priority: Priority?, since: Timestamp) {
        self.to = to
        self.priority = priority
        self.since = since
    }
}

/// One inbound post as the desk sees it now: a snapshot built on demand from the compact record
/// ``DeskState`` keeps (texts are not kept; read them from the log).
public struct PostState: Hashable, Sendable {
    /// The post id, `<channel>:<platform id>`.
    public var id: String
    /// The platform it was posted on.
    public var channel: Channel
    /// The author's handle on that platform.
    public var author: String
    /// When the desk received it (`at` of its `postReceived`).
    public var receivedAt: Timestamp
    /// When the author posted it.
    public var postedAt: Timestamp
    /// Its hashtags, lowercase, without `#`.
    public var hashtags: [String]
    /// Whether it is a repost (never in the triage queue).
    public var isRepost: Bool
    /// Whether an urgent listening rule (one starting with `!`) matched it when it was received.
    public var isUrgent: Bool
    /// Received, assigned, or resolved.
    public var status: PostStatus
    /// Who has it: the volunteer of the last `postAssigned` not undone by a `postUnassigned`.
    public var assignee: String?
    /// The open escalation, if any.
    public var escalation: OpenEscalation?
    /// The sequence number of the last event about the post: the version a caller names for
    /// optimistic concurrency (`expectedVersion`).
    public var version: UInt64
    /// The sequence number of its `postReceived` (ties in the triage order).
    public var receivedSeq: UInt64
    /// How many `replied` events it has.
    public var replies: Int
    /// `at` of its first `replied` event.
    public var firstReplyAt: Timestamp?
}
