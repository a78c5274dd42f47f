// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `noteAdded` event: an internal note on a post, for the team only.
public struct NoteAdded: Hashable, Sendable {
    /// The post id.
    public var post: String
    /// The note.
    public var text: String

    /// Creates the fields of a `noteAdded` event.
    public init(post: String, text: String) {
        self.post = post
        self.text = text
    }
}
