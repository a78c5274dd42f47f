// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `postUnassigned` event: a post went back to the queue.
public struct PostUnassigned: Hashable, Sendable {
    /// The post id.
    public var post: String
    /// Why, if given.
    public var reason: String?

    /// Creates the fields of a `postUnassigned` event.
    public init(post: String, reason: String? = nil) {
        self.post = post
        self.reason = reason
    }
}
