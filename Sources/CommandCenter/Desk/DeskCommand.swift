/// What someone asks the desk to do. The actor and the time are not part of the command: they are
/// given to ``DeskState/decide(_:actor:at:)`` and ``Desk/execute(_:actor:at:)``.
///
/// `expectedVersion` is optimistic concurrency: the ``PostState/version`` the caller saw. When it
/// is given and the post has changed since, the command is rejected with `conflict`, so two
/// monitors looking at the same queue cannot both assign the same post.
public enum DeskCommand: Hashable, Sendable {
    /// An inbound post the listening picked up. A post id the desk already knows is not received
    /// twice: the command succeeds and appends nothing.
    case receivePost(PostReceived)
    /// Give a post to a volunteer on shift.
    case assign(post: String, to: String, expectedVersion: UInt64? = nil)
    /// Put an assigned post back in the triage queue.
    case unassign(post: String, reason: String? = nil, expectedVersion: UInt64? = nil)
    /// Answer a post on its platform.
    case reply(post: String, text: String, replyPost: String? = nil, expectedVersion: UInt64? = nil)
    /// Publish our own post: a live tweet or a photo.
    case publish(post: String, channel: Channel, text: String, media: [String]? = nil)
    /// Hand a post to a coordinator for a decision.
    case escalate(post: String, to: String, reason: String, priority: Priority? = nil, expectedVersion: UInt64? = nil)
    /// Close a post's open escalation.
    case resolveEscalation(post: String, resolution: String? = nil, expectedVersion: UInt64? = nil)
    /// Take a post out of the queues for good.
    case resolve(post: String, outcome: Outcome, expectedVersion: UInt64? = nil)
    /// An internal note on a post.
    case addNote(post: String, text: String)
    /// Labels on a post.
    case tag(post: String, tags: [String])
    /// A volunteer joins the desk (or rejoins after leaving).
    case joinVolunteer(volunteer: String, name: String, role: Role, team: String? = nil)
    /// A volunteer leaves the desk: their shift ends and their posts go back to triage.
    case leaveVolunteer(volunteer: String)
    /// A volunteer takes another role.
    case changeRole(volunteer: String, to: Role)
    /// A volunteer starts a shift.
    case startShift(volunteer: String)
    /// A volunteer ends a shift (their posts stay theirs until unassigned).
    case endShift(volunteer: String)
    /// Posts matching this rule now reach the desk (see ``ListeningRule`` for the syntax).
    case addListeningRule(String)
    /// Stop listening for this rule.
    case removeListeningRule(String)

    /// The post the command is about, if any.
    public var post: String? {
        switch self {
        case .receivePost(let b): b.post
        case .assign(let post, _, _), .unassign(let post, _, _), .reply(let post, _, _, _),
             .publish(let post, _, _, _), .escalate(let post, _, _, _, _), .resolveEscalation(let post, _, _),
             .resolve(let post, _, _), .addNote(let post, _), .tag(let post, _):
            post
        default: nil
        }
    }
}
