// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `postAssigned` event: a post was assigned to a volunteer.
public struct PostAssigned: Hashable, Sendable {
    /// The post id.
    public var post: String
    /// The volunteer id it is assigned to.
    public var to: String

    /// Creates the fields of a `postAssigned` event.
    public init(post: String, to: String) {
        self.post = post
        self.to = to
    }
}
