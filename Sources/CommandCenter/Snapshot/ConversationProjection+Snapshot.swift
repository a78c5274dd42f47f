// The conversation's section of a statistics snapshot (`statistics.5`): a delta like the others —
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
            posts = conversation.postTimes.count
            replyDelays = conversation.replyDelaysMs.count
        }
    }

    func writeSnapshotDelta(since baseline: SnapshotBaseline, into writer: inout SnapshotWriter) {
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

        writer.count(tags.count - baseline.tagTimes.count)
        for tag in tags[baseline.tagTimes.count...] { writer.string(tag) }
        let grown = tags.indices.filter { $0 >= baseline.tagTimes.count || tagTimes[$0].count > baseline.tagTimes[$0] }
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

        writer.count(postTimes.count - baseline.posts)
        var previous = baseline.posts > 0 ? postTimes[baseline.posts - 1] : 0
        for p in baseline.posts..<postTimes.count {
            writer.string(postKeys[p].id)
            writer.delta(postTimes[p], from: previous)
            previous = postTimes[p]
            writer.int(Int(postAuthors[p]))
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

    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
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

        for _ in 0..<(try reader.count()) {
            let tag = try reader.string()
            tagIndex[tag] = Int32(tags.count)
            tags.append(tag)
            tagTimes.append([])
        }
        for _ in 0..<(try reader.count()) {
            let t = try reader.int()
            guard t < tags.count else { throw SnapshotReader.Damaged(offset: -1) }
            var previous = tagTimes[t].last ?? 0
            for _ in 0..<(try reader.count()) {
                previous = try reader.delta(from: previous)
                tagTimes[t].append(previous)
            }
        }
        guard try reader.count() == tags.count else { throw SnapshotReader.Damaged(offset: -1) }
        tagReposts = []
        for _ in tags.indices { tagReposts.append(Int32(truncatingIfNeeded: try reader.int())) }

        var previous = postTimes.last ?? 0
        for _ in 0..<(try reader.count()) {
            let key = PostKey(try reader.string())
            previous = try reader.delta(from: previous)
            let author = try reader.int()
            guard author < accounts.count else { throw SnapshotReader.Damaged(offset: -1) }
            _ = postIndex.updateValue(Int32(postTimes.count), forKey: key)
            postKeys.append(key)
            postTimes.append(previous)
            postAuthors.append(Int32(author))
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
}
