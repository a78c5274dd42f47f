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
    /// ``indexLoadedPosts()``.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        let added = try reader.count()
        var channels: [UInt8] = []
        channels.reserveCapacity(added)
        for _ in 0..<added { channels.append(try reader.byte()) }
        var keys: [PostKey?] = []
        keys.reserveCapacity(added)
        var previous: UInt64 = 0
        for channel in channels {
            guard channel != 0xFF else {
                keys.append(nil)
                continue
            }
            guard Channel(code: channel) != nil else { throw SnapshotReader.Damaged(offset: -1) }
            previous = previous &+ UInt64(bitPattern: try reader.signed())
            keys.append(.numbered(channel: channel, number: previous))
        }
        for _ in 0..<(try reader.count()) {
            let offset = try reader.int()
            guard offset < keys.count, keys[offset] == nil else { throw SnapshotReader.Damaged(offset: -1) }
            keys[offset] = .other(try reader.string())
        }
        // Found by their keys only once the whole chain is loaded (``indexLoadedPosts()``).
        for key in keys {
            guard let key else { throw SnapshotReader.Damaged(offset: -1) }
            postKeys.append(key)
        }
        try names.applySnapshotDelta(&reader)
        try hashtags.applySnapshotDelta(&reader)
    }

    /// Makes the posts a snapshot load appended findable by key, all at once; `false` when a key
    /// repeats (the snapshot is then unusable).
    mutating func indexLoadedPosts() -> Bool {
        posts.insertNew(postKeys[posts.count...])
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
