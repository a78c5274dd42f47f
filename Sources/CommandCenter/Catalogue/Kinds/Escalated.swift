// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `escalated` event: a post was escalated to someone who can decide.
public struct Escalated: Hashable, Sendable {
    /// The post id.
    public var post: String
    /// Who it is escalated to (usually a coordinator's volunteer id).
    public var to: String
    /// Why.
    public var reason: String
    /// How urgent, if said.
    public var priority: Priority?

    /// Creates the fields of a `escalated` event.
    public init(post: String, to: String, reason: String, priority: Priority? = nil) {
        self.post = post
        self.to = to
        self.reason = reason
        self.priority = priority
    }
}
