extension Symbols {
    /// The sizes of the tables at a snapshot: the next delta writes what was interned since.
    struct SnapshotBaseline: Equatable, Sendable {
        var posts = 0
        var names = 0
        var hashtags = 0

        init() {}

        init(_ symbols: Symbols) {
            posts = symbols.postKeys.count
            names = symbols.names.count
            hashtags = symbols.hashtags.count
        }
    }

    /// What was interned since `baseline`: post keys as columns (channel codes, then the numbers
    /// as deltas from the previous one, then the ids that are not numbered), names and hashtags.
    func writeSnapshotDelta(since baseline: SnapshotBaseline, into writer: inout SnapshotWriter) {
        let keys = postKeys[baseline.posts...]
        writer.count(keys.count)
        var others: [(Int, String)] = []
        for (i, key) in zip(keys.indices, keys) {
            switch key {
            case .numbered(let channel, _): writer.byte(channel)
            case .other(let id):
                writer.byte(0xFF)
                others.append((i - baseline.posts, id))
            }
        }
        var previous: UInt64 = 0
        for key in keys {
            guard case .numbered(_, let number) = key else { continue }
            writer.signed(Int64(bitPattern: number &- previous))
            previous = number
        }
        writer.count(others.count)
        for (offset, id) in others {
            writer.int(offset)
            writer.string(id)
        }
        names.writeSnapshotDelta(since: baseline.names, into: &writer)
        hashtags.writeSnapshotDelta(since: baseline.hashtags, into: &writer)
    }

    /// Appends what ``writeSnapshotDelta(since:into:)`` wrote; damaged when a name would not get
    /// the id it had (a repeated name). The posts appended are found by key only after
    /// ``indexLoadedPosts(_:)``.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        try Self.readPostKeys(&reader, into: &postKeys)
        try names.applySnapshotDelta(&reader)
        try hashtags.applySnapshotDelta(&reader)
    }

    /// Appends to `keys` the post keys a delta appends, read from its symbols section (where
    /// `reader` stands).
    static func readPostKeys(_ reader: inout SnapshotReader, into keys: inout [PostKey]) throws(SnapshotReader.Damaged) {
        let added = try reader.count()
        let first = keys.count
        var channels: [UInt8] = []
        channels.reserveCapacity(added)
        for _ in 0..<added { channels.append(try reader.byte()) }
        var previous: UInt64 = 0
        var unnumbered = 0
        for channel in channels {
            guard channel != 0xFF else {
                // A placeholder, which the ids after the numbers replace.
                keys.append(.other(""))
                unnumbered += 1
                continue
            }
            guard Channel(code: channel) != nil else { throw SnapshotReader.Damaged(offset: -1) }
            previous = previous &+ UInt64(bitPattern: try reader.signed())
            keys.append(.numbered(channel: channel, number: previous))
        }
        guard try reader.count() == unnumbered else { throw SnapshotReader.Damaged(offset: -1) }
        for _ in 0..<unnumbered {
            let offset = try reader.int()
            // Each placeholder once: its channel marks it, and filling it clears the mark.
            guard offset < added, channels[offset] == 0xFF else { throw SnapshotReader.Damaged(offset: -1) }
            channels[offset] = 0
            keys[first + offset] = .other(try reader.string())
        }
    }

    /// The table of the posts a chain of deltas appends, built from their keys alone, so that
    /// another core can build it while this one applies the chain (a sixth of `queues` at the
    /// end of a 1M-event log); `nil` when a delta is damaged or a key repeats.
    ///
    /// - Parameters:
    ///   - symbolsStart: where a delta's symbols section starts, from its header.
    ///   - capacity: the posts to make room for (with the replay after the load).
    static func postTable(of chain: [[UInt8]], capacity: Int, symbolsStart: ([UInt8]) -> Int?) -> PostTable? {
        var keys: [PostKey] = []
        keys.reserveCapacity(capacity)
        for delta in chain {
            guard let start = symbolsStart(delta) else { return nil }
            var reader = SnapshotReader(delta, from: start)
            guard (try? readPostKeys(&reader, into: &keys)) != nil else { return nil }
        }
        var table = PostTable()
        table.reserveCapacity(capacity)
        return table.insertNew(keys[...]) ? table : nil
    }

    /// Makes room for the keys of `count` posts a snapshot load appends; their table comes whole
    /// with ``indexLoadedPosts(_:)``.
    mutating func reserveLoadedPosts(_ count: Int) {
        postKeys.reserveCapacity(count)
    }

    /// Makes the posts a snapshot load appended findable by key, all at once; `false` when a key
    /// repeats (the snapshot is then unusable). `prebuilt`, the table ``postTable(of:capacity:symbolsStart:)``
    /// built from the same chain, is taken instead when it holds exactly the keys loaded.
    mutating func indexLoadedPosts(_ prebuilt: PostTable? = nil) -> Bool {
        if posts.count == 0, let prebuilt, prebuilt.count == postKeys.count,
           let first = postKeys.first, let last = postKeys.last, prebuilt[first] == 0, prebuilt[last] == Int32(postKeys.count - 1) {
            posts = prebuilt
            return true
        }
        posts.reserveCapacity(postKeys.capacity)
        return posts.insertNew(postKeys[posts.count...])
    }
}

extension NameTable {
    func writeSnapshotDelta(since known: Int, into writer: inout SnapshotWriter) {
        writer.count(count - known)
        for name in strings[known...] { writer.string(name) }
    }

    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        for _ in 0..<(try reader.count()) {
            let expected = UInt32(count)
            // Interned from the bytes in place: the name's `String` is built once, inside.
            let bytes = try reader.stringBytes()
            let id = (try? intern(bytes)) ?? intern(String(decoding: bytes, as: UTF8.self))
            guard id == expected else { throw SnapshotReader.Damaged(offset: -1) }
        }
    }
}
