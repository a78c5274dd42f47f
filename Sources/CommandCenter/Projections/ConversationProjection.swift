/// The whole conversation of a log, reposts included: how many posts, by whom, about what, when,
/// and how attendees answered each other — what an organiser publishes about a hashtag, whether
/// or not a desk answered it. The definitions are in `Schemas/cli/stats.md` ("The conversation").
///
/// A post is every `postReceived`; a repost (`isRepost`) is counted as a repost, a post with
/// `inReplyTo` as a reply, one with `quoteOf` as a quote (neither for a repost). Times are the
/// posts' `postedAt`, kept as counts per UTC minute: every local hour and local day of any zone
/// whose offset is a whole number of minutes (every zone in use since 1972) is a sum of whole
/// minutes, so the zone is chosen when the report is asked for, not when the log is replayed.
///
/// Kept per post only what a later event needs: the time and author of each original post, for
/// the replies that name it. Everything else is counters (per minute, per account, per hashtag),
/// the ten posts with the most reposts and likes, and the reply delays.
public struct ConversationProjection: Projection, Equatable, Sendable {
    /// How many entries each top list keeps.
    public static let topCount = 10

    /// The description in force: the last `eventDescribed` applied.
    public internal(set) var description: EventDescribed?

    // Per UTC minute of `postedAt`: posts, reposts, replies, quotes. Posts arrive mostly in time
    // order: the last minute is remembered to skip the hash.
    var minutes = CounterTable<Int64>()
    var lastMinute: Int64 = .min
    var lastSlot: Int32 = 0

    // Accounts (authors and mentioned accounts, one table), keyed lowercased and shown as first
    // spelt (`accountNames`): posts, reposts, replies, posts mentioning it.
    var accounts = CounterTable<String>()
    var accountNames: [String] = []
    /// Each spelling seen → its account's row: most handles recur spelt the same, and looking
    /// them up as written spares lowercasing them (a cache, rebuilt as posts come).
    var spellings: [String: Int32] = [:]
    /// Accounts that wrote at least one post.
    public internal(set) var authors = 0

    // Hashtags: the `postedAt` of every post carrying each (reposts included), and how many of
    // those posts are reposts.
    var tags: [String] = []
    var tagIndex: [String: Int32] = [:]
    var tagTimes: [[Int64]] = []
    var tagReposts: [Int32] = []

    // Original posts, for the replies that name them: time and author.
    var postIndex = PostTable()
    var postTimes: [Int64] = []
    var postAuthors: [Int32] = []
    var postKeys: [PostKey] = []

    /// Every post, reposts included.
    public internal(set) var posts = 0
    /// Reposts among them.
    public internal(set) var reposts = 0
    /// Replies (posts with `inReplyTo`, not reposts).
    public internal(set) var replies = 0
    /// Quotes (posts with `quoteOf`, not reposts).
    public internal(set) var quotes = 0
    /// Replies to a post of another account received before them (the delays below), to a
    /// post of their own author (threads), and to a post the log does not hold before them.
    var replyDelaysMs: [Int64] = []
    public internal(set) var repliesToOwnPosts = 0
    public internal(set) var repliesToPostsNotInLog = 0
    public internal(set) var replyAnomalies = 0

    /// Original posts that carry a repost or like count.
    public internal(set) var postsWithCounts = 0
    /// The original posts with the most reposts, and with the most likes (``topCount`` each).
    public internal(set) var topByReposts: [TopPost] = []
    public internal(set) var topByLikes: [TopPost] = []

    /// One of the most reposted or liked posts.
    public struct TopPost: Equatable, Sendable {
        public var post: String
        public var author: String
        public var postedAt: Int64
        public var reposts: Int
        public var likes: Int
    }

    /// Creates an empty projection.
    public init() {}

    /// Folds one event: `postReceived` and `eventDescribed`, nothing else.
    public mutating func apply(_ event: Event, seq: UInt64) {
        switch event.body {
        case .postReceived(let b): received(b, seq: seq)
        case .eventDescribed(let b): described(b)
        default: break
        }
    }

    /// An `eventDescribed`: it replaces the previous description.
    mutating func described(_ b: EventDescribed) {
        description = b
    }

    /// A `postReceived`.
    mutating func received(_ b: PostReceived, seq: UInt64) {
        let at = b.postedAt.milliseconds
        posts += 1
        let isReply = !b.isRepost && b.inReplyTo != nil
        let isQuote = !b.isRepost && b.quoteOf != nil
        if b.isRepost { reposts += 1 }
        if isReply { replies += 1 }
        if isQuote { quotes += 1 }
        count(minute: at, repost: b.isRepost, reply: isReply, quote: isQuote, seq: seq)

        let author = account(b.author, seq: seq)
        // An erased post keeps its place in every volume and reply delay under the empty
        // account, which is nobody's: it is not a distinct author.
        if accounts[Int(author), 0] == 0 && !b.author.isEmpty { authors += 1 }
        accounts.add(row: author, counter: 0, seq: seq)
        if b.isRepost { accounts.add(row: author, counter: 1, seq: seq) }
        if isReply { accounts.add(row: author, counter: 2, seq: seq) }
        // A post names a few accounts and hashtags: a linear check for repeats costs less than a
        // set per post (measured with callgrind on a replay).
        var mentioned: [Int32] = []
        for handle in b.mentions where !handle.isEmpty {
            let m = account(handle.hasPrefix("@") ? String(handle.dropFirst()) : handle, seq: seq)
            if !mentioned.contains(m) {
                mentioned.append(m)
                accounts.add(row: m, counter: 3, seq: seq)
            }
        }

        for (i, tag) in b.hashtags.enumerated() where !b.hashtags[..<i].contains(tag) {
            let t: Int
            if let known = tagIndex[tag] {
                t = Int(known)
            } else {
                t = tags.count
                tagIndex[tag] = Int32(t)
                tags.append(tag)
                tagTimes.append([])
                tagReposts.append(0)
            }
            tagTimes[t].append(at)
            if b.isRepost { tagReposts[t] += 1 }
        }

        if isReply, let parent = b.inReplyTo {
            if let p = postIndex[PostKey(parent)] {
                if postAuthors[Int(p)] == author {
                    repliesToOwnPosts += 1
                } else {
                    var delay = at - postTimes[Int(p)]
                    if delay < 0 {
                        delay = 0
                        replyAnomalies += 1
                    }
                    replyDelaysMs.append(delay)
                }
            } else {
                repliesToPostsNotInLog += 1
            }
        }
        guard !b.isRepost else { return }
        let key = PostKey(b.post)
        if postIndex[key] == nil {
            _ = postIndex.updateValue(Int32(postTimes.count), forKey: key)
            postTimes.append(at)
            postAuthors.append(author)
            postKeys.append(key)
        }
        if b.repostCount != nil || b.likeCount != nil {
            postsWithCounts += 1
            let top = TopPost(post: b.post, author: accountNames[Int(author)], postedAt: at, reposts: b.repostCount ?? 0, likes: b.likeCount ?? 0)
            if top.reposts > 0 { Self.insert(top, into: &topByReposts, by: Self.moreReposted) }
            if top.likes > 0 { Self.insert(top, into: &topByLikes, by: Self.moreLiked) }
        }
    }

    /// The account's row, added on first sight (shown as spelt then).
    private mutating func account(_ handle: String, seq: UInt64) -> Int32 {
        if let known = spellings[handle] { return known }
        let row = accounts.row(handle.lowercased(), seq: seq)
        if Int(row) == accountNames.count { accountNames.append(handle) }
        spellings[handle] = row
        return row
    }

    private mutating func count(minute at: Int64, repost: Bool, reply: Bool, quote: Bool, seq: UInt64) {
        let minute = at.floorDividedBy(60_000).quotient
        if minute != lastMinute {
            lastSlot = minutes.row(minute, seq: seq)
            lastMinute = minute
        }
        minutes.add(row: lastSlot, counter: 0, seq: seq)
        if repost { minutes.add(row: lastSlot, counter: 1, seq: seq) }
        if reply { minutes.add(row: lastSlot, counter: 2, seq: seq) }
        if quote { minutes.add(row: lastSlot, counter: 3, seq: seq) }
    }

    // The top lists are ordered totally (count, the other count, earlier first, post id), so the
    // same posts give the same lists in any order of arrival.
    static func moreReposted(_ a: TopPost, _ b: TopPost) -> Bool {
        (a.reposts, a.likes, -a.postedAt, b.post) > (b.reposts, b.likes, -b.postedAt, a.post)
    }

    static func moreLiked(_ a: TopPost, _ b: TopPost) -> Bool {
        (a.likes, a.reposts, -a.postedAt, b.post) > (b.likes, b.reposts, -b.postedAt, a.post)
    }

    static func insert(_ post: TopPost, into list: inout [TopPost], by before: (TopPost, TopPost) -> Bool) {
        if list.count == topCount, let last = list.last, !before(post, last) { return }
        let position = list.firstIndex { before(post, $0) } ?? list.count
        list.insert(post, at: position)
        if list.count > topCount { list.removeLast() }
    }

    public static func == (lhs: ConversationProjection, rhs: ConversationProjection) -> Bool {
        lhs.description == rhs.description && lhs.posts == rhs.posts && lhs.reposts == rhs.reposts && lhs.replies == rhs.replies
            && lhs.quotes == rhs.quotes && lhs.authors == rhs.authors && lhs.minutes == rhs.minutes
            && lhs.accounts == rhs.accounts && lhs.accountNames == rhs.accountNames && lhs.tags == rhs.tags && lhs.tagTimes == rhs.tagTimes
            && lhs.tagReposts == rhs.tagReposts && lhs.postTimes == rhs.postTimes && lhs.postAuthors == rhs.postAuthors && lhs.postKeys == rhs.postKeys
            && lhs.replyDelaysMs == rhs.replyDelaysMs && lhs.repliesToOwnPosts == rhs.repliesToOwnPosts
            && lhs.repliesToPostsNotInLog == rhs.repliesToPostsNotInLog && lhs.replyAnomalies == rhs.replyAnomalies
            && lhs.postsWithCounts == rhs.postsWithCounts && lhs.topByReposts == rhs.topByReposts && lhs.topByLikes == rhs.topByLikes
    }
}
