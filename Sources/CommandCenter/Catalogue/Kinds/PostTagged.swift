// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `postTagged` event: labels added to a post (topics, sentiment, follow-up).
public struct PostTagged: Hashable, Sendable {
    /// The post id.
    public var post: String
    /// The labels.
    public var tags: [String]

    /// Creates the fields of a `postTagged` event.
    public init(post: String, tags: [String]) {
        self.post = post
        self.tags = tags
    }
}
