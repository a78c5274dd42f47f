import CommandCenter

/// One post as an archive holds it, whatever the format, before it becomes events: the common
/// shape every format's reader produces and ``HistoryTranslator`` turns into the catalogue.
struct SourcePost {
    /// The platform's id (`848`), without the channel.
    var id: String
    var channel: Channel
    var author: String
    /// When the platform says it was posted.
    var time: Timestamp
    var text: String
    var hashtags: [String]
    var mentions: [String]
    /// The platform id of the post it answers.
    var inReplyTo: String?
    var conversation: String?
    var isRepost: Bool
    var url: String?
    /// Who on the desk's team wrote it; `nil` for an inbound post (a customer, an attendee).
    var member: TeamMember?
    /// The platform's repost and like counts when the archive was captured, if it says.
    var repostCount: Int? = nil
    var likeCount: Int? = nil
    /// The platform id of the post it quotes.
    var quoteOf: String? = nil
    /// The id came from the post's URL because the id column had lost digits (a float on the way).
    var idRepaired = false

    var postID: String { channel.rawValue + ":" + id }
    var replyTargetID: String? { inReplyTo.map { channel.rawValue + ":" + $0 } }
    var key: PostKey { PostKey(channel, id) }
    var replyTargetKey: PostKey? { inReplyTo.map { PostKey(channel, $0) } }
}

/// A post's author when it is one of the team running the desk.
struct TeamMember: Hashable {
    /// `vol:<handle>`.
    var volunteer: String
    var name: String
    var team: String?
}

/// A row or line that is not a post, with where and why.
struct RowProblem: Error {
    var line: Int
    var field: String?
    var message: String
}

/// Where a post is in its file, so the second pass reads it again in time order.
struct PostLocation {
    /// Index of the file in the import.
    var file: Int32
    /// The row's line (for messages).
    var line: Int32
    /// A format-defined position: the byte offset of a CSV row, the index of a JSON post.
    var offset: Int
    var length: Int32
}

/// A format's reader: every post of a file in file order (first pass), then posts again by
/// location (second pass, in time order).
protocol PostSource: AnyObject {
    /// Calls `body` with each post of `file`, or the problem of each row that is not one.
    func forEachPost(in file: String, index: Int32, _ body: (PostLocation, Result<SourcePost, RowProblem>) throws -> Void) throws
    /// The post at `location` of `file`, read again.
    func post(at location: PostLocation, in file: String) throws -> SourcePost
}
