// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `personalDataErased` event: the personal fields of these posts, and of the
/// desk's events about them, were erased (§10). It names no person: only post ids, which stay in
/// the log anyway.
public struct PersonalDataErased: Hashable, Sendable {
    /// The posts whose personal data went.
    public var posts: [String]
    /// Why (a personal field of this event: erasable too).
    public var reason: String?

    /// Creates the fields of a `personalDataErased` event.
    public init(posts: [String], reason: String? = nil) {
        self.posts = posts
        self.reason = reason
    }
}
