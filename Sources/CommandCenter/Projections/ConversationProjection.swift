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
    /// Each spelling seen, interned from its bytes, and its account's row (`accountOfSpelling`,
    /// by spelling id): most handles recur spelt the same, and finding them by their bytes spares
    /// building and lowercasing a `String` per post (a cache, rebuilt as posts come).
    var spellings = NameTable()
    var accountOfSpelling: [Int32] = []
    /// Accounts that wrote at least one post.
    public internal(set) var authors = 0

    // Hashtags, by row in order of first use: the hashtag's id in ``Symbols/hashtags``, the
    // `postedAt` of every post carrying it (reposts included), and how many of those are reposts.
    var tagIDs: [UInt32] = []
    /// Hashtag id → row, `-1` for a hashtag of no post yet.
    var rowOfTag: [Int32] = []
    var tagTimes: [[Int64]] = []
    var tagReposts: [Int32] = []

    // Original posts, for the replies that name them: time and author, by the post's id in
    // ``Symbols`` (an author of `-1`: not an original post, or not received yet), and the ids in
    // the order they were received (what a snapshot delta appends).
    var postTimes: [Int64] = []
    var postAuthors: [Int32] = []
    var originalPosts: [Int32] = []

    /// The log's ids, for ``apply(_:seq:)`` and the hashtags' names; inside ``Statistics`` the
    /// statistics' own, lent to each call and attached by its accessor.
    var symbols = Symbols()

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
        var view = EventView(event)
        // The strings of an `Event` are valid UTF-8: interning its encoding cannot fail.
        try! symbols.intern(&view)
        switch event.body {
        case .postReceived: received(view, seq: seq, symbols: symbols)
        case .eventDescribed(let b): described(b)
        default: break
        }
    }

    /// An `eventDescribed`: it replaces the previous description.
    mutating func described(_ b: EventDescribed) {
        description = b
    }

    /// The names of the hashtags, by row.
    var tags: [String] { tagIDs.map { symbols.hashtags[$0] } }

    /// A `postReceived` read in place, whose ids (its post, its hashtags) `symbols` interned.
    mutating func received(_ post: borrowing EventView, seq: UInt64, symbols: borrowing Symbols) {
        guard post.kind == .postReceived else { return }
        let at = post.postedAtMilliseconds
        let isRepost = post.isRepost
        posts += 1
        let isReply = !isRepost && post.inReplyToBytes != nil
        let isQuote = !isRepost && post.isQuote
        if isRepost { reposts += 1 }
        if isReply { replies += 1 }
        if isQuote { quotes += 1 }
        count(minute: at, repost: isRepost, reply: isReply, quote: isQuote, seq: seq)

        let authorBytes = post.authorBytes
        let author = account(authorBytes, seq: seq)
        // An erased post keeps its place in every volume and reply delay under the empty
        // account, which is nobody's: it is not a distinct author.
        if accounts[Int(author), 0] == 0 && !authorBytes.isEmpty { authors += 1 }
        accounts.add(row: author, counter: 0, seq: seq)
        if isRepost { accounts.add(row: author, counter: 1, seq: seq) }
        if isReply { accounts.add(row: author, counter: 2, seq: seq) }
        // A post names a few accounts and hashtags: a linear check for repeats costs less than a
        // set per post (measured with callgrind on a replay).
        var mentioned: [Int32] = []
        try? post.forEachMention { handle in
            guard !handle.isEmpty else { return }
            let m = account(Self.withoutAt(handle), seq: seq)
            if !mentioned.contains(m) {
                mentioned.append(m)
                accounts.add(row: m, counter: 3, seq: seq)
            }
        }

        let hashtags = symbols.eventHashtags
        growTags(to: symbols.hashtags.count)
        for (i, tag) in hashtags.enumerated() where !hashtags[..<i].contains(tag) {
            var t = Int(rowOfTag[Int(tag)])
            if t < 0 {
                t = tagIDs.count
                rowOfTag[Int(tag)] = Int32(t)
                tagIDs.append(tag)
                tagTimes.append([])
                tagReposts.append(0)
            }
            tagTimes[t].append(at)
            if isRepost { tagReposts[t] += 1 }
        }

        if isReply, let parent = post.inReplyToBytes {
            let key = (try? PostKey(utf8: parent)) ?? PostKey(String(decoding: parent, as: UTF8.self))
            if let p = symbols.post(key).map(Int.init), p < postAuthors.count, postAuthors[p] >= 0 {
                if postAuthors[p] == author {
                    repliesToOwnPosts += 1
                } else {
                    var delay = at - postTimes[p]
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
        guard !isRepost else { return }
        let id = Int(post.ids.post)
        if postAuthors.count <= id { growPosts(to: id + 1) }
        if postAuthors[id] < 0 {
            postTimes[id] = at
            postAuthors[id] = author
            originalPosts.append(Int32(id))
        }
        let counts = post.counts
        if counts.reposts >= 0 || counts.likes >= 0 {
            postsWithCounts += 1
            // The ids are built only for a post that may enter a list: judged on its counts and
            // time, a tie on all three then decided by the post's id in `insert`.
            let reposts = Int(max(counts.reposts, 0)), likes = Int(max(counts.likes, 0))
            let judged = TopPost(post: "", author: "", postedAt: at, reposts: reposts, likes: likes)
            let entersReposts = reposts > 0 && Self.mayEnter(judged, topByReposts, by: Self.moreReposted)
            let entersLikes = likes > 0 && Self.mayEnter(judged, topByLikes, by: Self.moreLiked)
            guard entersReposts || entersLikes, let id = post.post else { return }
            let top = TopPost(post: id, author: accountNames[Int(author)], postedAt: at, reposts: reposts, likes: likes)
            if entersReposts { Self.insert(top, into: &topByReposts, by: Self.moreReposted) }
            if entersLikes { Self.insert(top, into: &topByLikes, by: Self.moreLiked) }
        }
    }

    /// Room for the posts up to `count` ids, none of them an original post yet.
    mutating func growPosts(to count: Int) {
        guard postAuthors.count < count else { return }
        postTimes.append(contentsOf: repeatElement(0, count: count - postTimes.count))
        postAuthors.append(contentsOf: repeatElement(-1, count: count - postAuthors.count))
    }

    /// Room for the hashtags up to `count` ids, none of them on a post yet.
    mutating func growTags(to count: Int) {
        guard rowOfTag.count < count else { return }
        rowOfTag.append(contentsOf: repeatElement(-1, count: count - rowOfTag.count))
    }

    /// Makes room for `count` posts.
    mutating func reservePosts(_ count: Int) {
        postTimes.reserveCapacity(count)
        postAuthors.reserveCapacity(count)
        originalPosts.reserveCapacity(count)
    }

    /// A mentioned handle without its `@`, as `String.hasPrefix("@")` decides: a `@` followed by
    /// a combining mark is another character, and is kept.
    private static func withoutAt(_ handle: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard handle.first == UInt8(ascii: "@") else { return handle }
        let rest = handle.dropFirst()
        guard let next = rest.first, next >= 0x80 else { return rest }
        return String(decoding: handle, as: UTF8.self).hasPrefix("@") ? rest : handle
    }

    /// The account's row, added on first sight (shown as spelt then).
    private mutating func account(_ spelling: ArraySlice<UInt8>, seq: UInt64) -> Int32 {
        // A spelling that is not UTF-8 is damaged text: kept with replacement characters, like
        // every string a view hands out.
        let id = Int((try? spellings.intern(spelling)) ?? spellings.intern(String(decoding: spelling, as: UTF8.self)))
        if id < accountOfSpelling.count { return accountOfSpelling[id] }
        let handle = spellings[UInt32(id)]
        let row = accounts.row(handle.lowercased(), seq: seq)
        if Int(row) == accountNames.count { accountNames.append(handle) }
        accountOfSpelling.append(row)
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

    /// Whether `post` may enter `list`: `false` only when the list is full and its last entry
    /// comes first whatever the post's id.
    static func mayEnter(_ post: TopPost, _ list: [TopPost], by before: (TopPost, TopPost) -> Bool) -> Bool {
        guard list.count == topCount, let last = list.last else { return true }
        return !before(last, post)
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
            && lhs.accounts == rhs.accounts && lhs.accountNames == rhs.accountNames && lhs.tagIDs == rhs.tagIDs && lhs.tagTimes == rhs.tagTimes
            && lhs.tagReposts == rhs.tagReposts && lhs.originalPosts == rhs.originalPosts
            && lhs.originalPosts.allSatisfy { lhs.postTimes[Int($0)] == rhs.postTimes[Int($0)] && lhs.postAuthors[Int($0)] == rhs.postAuthors[Int($0)] }
            && lhs.replyDelaysMs == rhs.replyDelaysMs && lhs.repliesToOwnPosts == rhs.repliesToOwnPosts
            && lhs.repliesToPostsNotInLog == rhs.repliesToPostsNotInLog && lhs.replyAnomalies == rhs.replyAnomalies
            && lhs.postsWithCounts == rhs.postsWithCounts && lhs.topByReposts == rhs.topByReposts && lhs.topByLikes == rhs.topByLikes
    }
}
