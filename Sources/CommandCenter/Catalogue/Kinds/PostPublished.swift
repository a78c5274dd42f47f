// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `postPublished` event: a post the team published: a live tweet or a photo; `actor` is the volunteer.
public struct PostPublished: Hashable, Sendable {
    /// The id of the published post.
    public var post: String
    /// The platform it was published on.
    public var channel: Channel
    /// Its text.
    public var text: String
    /// The media attached (file names or URLs), if any.
    public var media: [String]?

    /// Creates the fields of a `postPublished` event.
    public init(post: String, channel: Channel, text: String, media: [String]? = nil) {
        self.post = post
        self.channel = channel
        self.text = text
        self.media = media
    }
}
