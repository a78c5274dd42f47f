// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `postResolved` event: a post left the queue for good.
public struct PostResolved: Hashable, Sendable {
    /// The post id.
    public var post: String
    /// How it ended.
    public var outcome: Outcome

    /// Creates the fields of a `postResolved` event.
    public init(post: String, outcome: Outcome) {
        self.post = post
        self.outcome = outcome
    }
}
