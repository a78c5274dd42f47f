// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `postReceived` event: an inbound post the listening rules picked up.
public struct PostReceived: Hashable, Sendable {
    /// The post id, `<channel>:<platform id>`.
    public var post: String
    /// The platform it was posted on.
    public var channel: Channel
    /// The author's handle or id on that platform.
    public var author: String
    /// The text of the post.
    public var text: String
    /// Its hashtags, lowercase, without `#`.
    public var hashtags: [String]
    /// The accounts it mentions.
    public var mentions: [String]
    /// When the author posted it (the clock of the platform).
    public var postedAt: Timestamp
    /// The post id it answers, if any.
    public var inReplyTo: String?
    /// The id of the conversation (thread) it belongs to, if known.
    public var conversation: String?
    /// Whether it is a repost (retweet, boost) rather than original content.
    public var isRepost: Bool
    /// A link to the post on its platform.
    public var url: String?
    /// How many times the platform says it was reposted (retweets, boosts) when the archive was
    /// captured; `nil` when the archive does not say. Importers leave it out on a repost, whose
    /// platform count is the original's.
    public var repostCount: Int?
    /// How many likes (favourites) the platform counted when the archive was captured.
    public var likeCount: Int?
    /// The post id it quotes (a quote tweet, a quote boost), if any.
    public var quoteOf: String?

    /// Creates the fields of a `postReceived` event.
    public init(
        post: String,
        channel: Channel,
        author: String,
        text: String,
        hashtags: [String],
        mentions: [String],
        postedAt: Timestamp,
        inReplyTo: String? = nil,
        conversation: String? = nil,
        isRepost: Bool = false,
        url: String? = nil,
        repostCount: Int? = nil,
        likeCount: Int? = nil,
        quoteOf: String? = nil
    ) {
        self.post = post
        self.channel = channel
        self.author = author
        self.text = text
        self.hashtags = hashtags
        self.mentions = mentions
        self.postedAt = postedAt
        self.inReplyTo = inReplyTo
        self.conversation = conversation
        self.isRepost = isRepost
        self.url = url
        self.repostCount = repostCount
        self.likeCount = likeCount
        self.quoteOf = quoteOf
    }
}
