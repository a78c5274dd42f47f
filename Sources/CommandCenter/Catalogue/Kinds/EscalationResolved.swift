// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `escalationResolved` event: an escalation was decided.
public struct EscalationResolved: Hashable, Sendable {
    /// The post id.
    public var post: String
    /// What was decided, if recorded.
    public var resolution: String?

    /// Creates the fields of a `escalationResolved` event.
    public init(post: String, resolution: String? = nil) {
        self.post = post
        self.resolution = resolution
    }
}
