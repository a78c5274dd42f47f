// The conversation's section of a statistics snapshot (`statistics.7`): a delta like the others —
// appended minutes, accounts, hashtag times, posts and reply delays, the minutes and accounts an
// event changed since, and the small parts (counters, the description, the top lists) whole.

extension ConversationProjection {
    /// The sizes of the append-only parts at the previous snapshot.
    struct SnapshotBaseline {
        var seq: UInt64 = 0
        var minutes = 0
        var accounts = 0
        var tagTimes: [Int] = []
        var posts = 0
        var replyDelays = 0

        init() {}

        init(_ conversation: ConversationProjection, seq: UInt64) {
            self.seq = seq
            minutes = conversation.minutes.count
            accounts = conversation.accounts.count
            tagTimes = conversation.tagTimes.map(\.count)
            posts = conversation.originalPosts.count
            replyDelays = conversation.replyDelaysMs.count
        }
    }

    /// The delta's section, which starts with the sizes of the `symbols` its ids are checked
    /// against (it is applied apart from them).
    func writeSnapshotDelta(since baseline: SnapshotBaseline, symbols: borrowing Symbols, into writer: inout SnapshotWriter) {
        writer.int(symbols.hashtags.count)
        writer.int(symbols.postCount)
        writer.bool(description != nil)
        if let d = description {
            for text in [d.name, d.timeZone, d.firstDay, d.lastDay] { writer.string(text) }
            writer.count(d.hashtags.count)
            for tag in d.hashtags { writer.string(tag) }
            writer.bool(d.venue != nil)
            if let venue = d.venue { writer.string(venue) }
        }
        for n in [posts, reposts, replies, quotes, authors, repliesToOwnPosts, repliesToPostsNotInLog, replyAnomalies, postsWithCounts] { writer.int(n) }

        minutes.writeSnapshotDelta(since: baseline.minutes, seq: baseline.seq, into: &writer) { $1.signed($0) }
        // The key is the lowercased account: the name as first spelt is written instead.
        writer.count(accountNames.count - baseline.accounts)
        for name in accountNames[baseline.accounts...] { writer.string(name) }
        accounts.writeSnapshotDelta(since: baseline.accounts, seq: baseline.seq, into: &writer) { $1.string($0) }

        // Hashtags and posts by their ids in the statistics' symbols, stored before this section.
        writer.count(tagIDs.count - baseline.tagTimes.count)
        for tag in tagIDs[baseline.tagTimes.count...] { writer.int(Int(tag)) }
        let grown = tagIDs.indices.filter { $0 >= baseline.tagTimes.count || tagTimes[$0].count > baseline.tagTimes[$0] }
        writer.count(grown.count)
        for t in grown {
            let known = t < baseline.tagTimes.count ? baseline.tagTimes[t] : 0
            writer.int(t)
            writer.count(tagTimes[t].count - known)
            var previous = known > 0 ? tagTimes[t][known - 1] : 0
            for time in tagTimes[t][known...] {
                writer.delta(time, from: previous)
                previous = time
            }
        }
        writer.count(tagReposts.count)
        for n in tagReposts { writer.int(Int(n)) }

        writer.count(originalPosts.count - baseline.posts)
        var previousID = baseline.posts > 0 ? Int64(originalPosts[baseline.posts - 1]) : -1
        var previous = baseline.posts > 0 ? postTimes[Int(previousID)] : 0
        for id in originalPosts[baseline.posts...] {
            writer.delta(Int64(id), from: previousID)
            previousID = Int64(id)
            writer.delta(postTimes[Int(id)], from: previous)
            previous = postTimes[Int(id)]
            writer.int(Int(postAuthors[Int(id)]))
        }
        writer.count(replyDelaysMs.count - baseline.replyDelays)
        for delay in replyDelaysMs[baseline.replyDelays...] { writer.signed(delay) }

        for list in [topByReposts, topByLikes] {
            writer.count(list.count)
            for top in list {
                writer.string(top.post)
                writer.string(top.author)
                writer.signed(top.postedAt)
                writer.int(top.reposts)
                writer.int(top.likes)
            }
        }
    }

    /// Applies a delta's section; its ids are checked against the sizes of the symbols it was
    /// written with (``fits(_:)`` then compares those with the symbols loaded).
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        let hashtagCount = try reader.int(), postCount = try reader.int()
        // Ids only grow: a delta's sizes are never below the previous one's.
        // A count from a file never sizes an allocation unbounded (the bound of
        // `Statistics.reserveSnapshotCapacity`).
        guard hashtagCount >= rowOfTag.count, hashtagCount <= 1 << 27, postCount >= postAuthors.count, postCount <= 1 << 27 else {
            throw SnapshotReader.Damaged(offset: -1)
        }
        if try reader.bool() {
            let name = try reader.string(), zone = try reader.string(), first = try reader.string(), last = try reader.string()
            var hashtags: [String] = []
            for _ in 0..<(try reader.count()) { hashtags.append(try reader.string()) }
            let venue = try reader.bool() ? try reader.string() : nil
            description = EventDescribed(name: name, timeZone: zone, firstDay: first, lastDay: last, hashtags: hashtags, venue: venue)
        } else {
            description = nil
        }
        posts = try reader.int()
        reposts = try reader.int()
        replies = try reader.int()
        quotes = try reader.int()
        authors = try reader.int()
        repliesToOwnPosts = try reader.int()
        repliesToPostsNotInLog = try reader.int()
        replyAnomalies = try reader.int()
        postsWithCounts = try reader.int()

        try minutes.applySnapshotDelta(&reader) { (r: inout SnapshotReader) throws(SnapshotReader.Damaged) in try r.signed() }
        lastMinute = .min
        lastSlot = 0
        for _ in 0..<(try reader.count()) { accountNames.append(try reader.string()) }
        try accounts.applySnapshotDelta(&reader) { (r: inout SnapshotReader) throws(SnapshotReader.Damaged) in try r.string() }
        guard accounts.count == accountNames.count else { throw SnapshotReader.Damaged(offset: -1) }

        growTags(to: hashtagCount)
        for _ in 0..<(try reader.count()) {
            let tag = try reader.int()
            guard tag < rowOfTag.count, rowOfTag[tag] < 0 else { throw SnapshotReader.Damaged(offset: -1) }
            rowOfTag[tag] = Int32(tagIDs.count)
            tagIDs.append(UInt32(tag))
            tagTimes.append([])
        }
        for _ in 0..<(try reader.count()) {
            let t = try reader.int()
            guard t < tagIDs.count else { throw SnapshotReader.Damaged(offset: -1) }
            var previous = tagTimes[t].last ?? 0
            for _ in 0..<(try reader.count()) {
                previous = try reader.delta(from: previous)
                tagTimes[t].append(previous)
            }
        }
        guard try reader.count() == tagIDs.count else { throw SnapshotReader.Damaged(offset: -1) }
        tagReposts = []
        for _ in tagIDs.indices { tagReposts.append(Int32(truncatingIfNeeded: try reader.int())) }

        growPosts(to: postCount)
        var previousID = Int64(originalPosts.last ?? -1)
        var previous = originalPosts.last.map { postTimes[Int($0)] } ?? 0
        for _ in 0..<(try reader.count()) {
            previousID = try reader.delta(from: previousID)
            previous = try reader.delta(from: previous)
            let author = try reader.int()
            guard previousID >= 0, previousID < Int64(postAuthors.count), postAuthors[Int(previousID)] < 0, author < accounts.count else {
                throw SnapshotReader.Damaged(offset: -1)
            }
            postTimes[Int(previousID)] = previous
            postAuthors[Int(previousID)] = Int32(author)
            originalPosts.append(Int32(previousID))
        }
        for _ in 0..<(try reader.count()) { replyDelaysMs.append(try reader.signed()) }

        var lists: [[TopPost]] = []
        for _ in 0..<2 {
            var list: [TopPost] = []
            for _ in 0..<(try reader.count()) {
                list.append(TopPost(post: try reader.string(), author: try reader.string(), postedAt: try reader.signed(),
                                    reposts: try reader.int(), likes: try reader.int()))
            }
            lists.append(list)
        }
        topByReposts = lists[0]
        topByLikes = lists[1]
    }

    /// Whether the ids loaded name entries of `symbols`: the sizes the last delta was written
    /// with are those of the symbols loaded with it.
    func fits(_ symbols: borrowing Symbols) -> Bool {
        rowOfTag.count == symbols.hashtags.count && postAuthors.count == symbols.postCount
    }
}
