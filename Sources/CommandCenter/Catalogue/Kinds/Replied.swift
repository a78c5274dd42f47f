// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `replied` event: `actor` answered a post.
public struct Replied: Hashable, Sendable {
    /// The post answered.
    public var post: String
    /// The text of the answer.
    public var text: String
    /// The id of the answer as a post on the platform, if known.
    public var replyPost: String?

    /// Creates the fields of a `replied` event.
    public init(post: String, text: String, replyPost: String? = nil) {
        self.post = post
        self.text = text
        self.replyPost = replyPost
    }
}
