import Glibc

/// Secondary indexes as posting lists (`Schemas/log-format.md` §1): for each key, the sequence
/// numbers of the records carrying it, in blocks of up to 128, each block one LMDB value under
/// `len(key) ‖ key ‖ BE64(first seq of the block)`, the other seqs as varint deltas.
///
/// Why not one LMDB duplicate per record: a post has two or three events, and a B-tree node per
/// event costs ~20 bytes of overhead plus the key again; measured with `smcc bench`, the per-event
/// layout took ~48 bytes per event for the post index alone, blocks take a fraction of that. The
/// first block of a key also answers "is this key known" in one seek, which is how posts are deduped.
enum PostingList {
    static let maximumKeyLength = 240
    static let entriesPerBlock = 128

    static func prefix(_ key: [UInt8]) -> [UInt8] { [UInt8(key.count)] + key }

    /// `prefix(key) ‖ BE64(firstSeq)`, in one allocation: an append builds one or two of these
    /// per record.
    static func blockKey(of key: [UInt8], firstSeq: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: key.count + 9) { bytes, initialized in
            bytes[0] = UInt8(key.count)
            key.withUnsafeBufferPointer { source in
                _ = UnsafeMutableBufferPointer(rebasing: bytes[1..<(key.count + 1)]).initialize(fromContentsOf: source)
            }
            var seq = firstSeq.bigEndian
            withUnsafeBytes(of: &seq) { raw in
                for offset in 0..<8 { bytes[key.count + 1 + offset] = raw[offset] }
            }
            initialized = key.count + 9
        }
    }

    /// The first seq of a block whose LMDB key is `storedKey`, if that block belongs to `key`.
    static func firstSeq(_ storedKey: UnsafeRawBufferPointer, ofKey key: [UInt8]) -> UInt64? {
        guard storedKey.count == key.count + 9, storedKey[0] == UInt8(truncatingIfNeeded: key.count),
              key.isEmpty || key.withUnsafeBytes({ memcmp($0.baseAddress!, storedKey.baseAddress! + 1, key.count) == 0 })
        else { return nil }
        return BigEndian.uint64(UnsafeRawBufferPointer(rebasing: storedKey[(key.count + 1)...]))
    }

    static func encode(_ seqs: [UInt64]) -> [UInt8] {
        var value: [UInt8] = []
        value.reserveCapacity(seqs.count * 2)
        for index in seqs.indices.dropFirst() { Varint.append(seqs[index] - seqs[index - 1], to: &value) }
        return value
    }

    static func decode(firstSeq: UInt64, _ value: UnsafeRawBufferPointer) throws(LogError) -> [UInt64] {
        var seqs = [firstSeq]
        var index = 0
        while index < value.count {
            guard let delta = Varint.read(value, at: &index), delta > 0, let last = seqs.last, delta <= UInt64.max - last else {
                throw LogError(.corrupt, "an index block starting at \(firstSeq) is damaged")
            }
            seqs.append(last + delta)
        }
        return seqs
    }
}

/// The index writes of one transaction, gathered so each block is read once and written once however
/// many records of the transaction extend it. Each key costs one dictionary lookup per record and,
/// the first time the transaction touches it, one seek.
final class IndexWriter {
    struct KeyID: Hashable {
        var index: Int
        var key: [UInt8]

        // The synthesized hash feeds the array to the hasher byte by byte: the profile of
        // `smcc bench` showed it as the largest cost of an append.
        func hash(into hasher: inout Hasher) {
            hasher.combine(index)
            key.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private struct KeyState {
        /// Whether the stored blocks of the key have been looked at.
        var loaded = false
        /// The key's first seq in the log (stored or added here); `nil` while the key is new.
        var firstSeq: UInt64?
        /// Blocks to write: the stored last block being extended, then new ones.
        var blocks: [(firstSeq: UInt64, seqs: [UInt64])] = []
        /// The batch being planned (its generation) and the position in it of the record that
        /// first claimed this key as unique; a claim of an earlier batch counts for nothing.
        var claim: (generation: Int, position: Int)?

        mutating func append(_ seq: UInt64) {
            if firstSeq == nil { firstSeq = seq }
            if let lastBlock = blocks.indices.last, blocks[lastBlock].seqs.count < PostingList.entriesPerBlock {
                blocks[lastBlock].seqs.append(seq)
            } else {
                blocks.append((seq, [seq]))
            }
        }
    }

    private let names: [String]
    private let databases: [Database]
    private let txn: any Transaction
    private var cursors: [(any Cursor)?]
    private var states: [KeyID: KeyState] = [:]
    private var generation = 0
    /// The sequence numbers, by position, of the batches of this transaction already planned and
    /// appended: their keys are not added until every batch is planned, so their claims stand in.
    private var appendedBatches: [Int: [UInt64]] = [:]

    init(indexes: [String: Database], txn: any Transaction) {
        names = indexes.keys.sorted()
        databases = names.map { indexes[$0]! }
        cursors = Array(repeating: nil, count: names.count)
        self.txn = txn
    }

    /// Closes the cursors; must run before the transaction ends, whether it commits or not.
    func close() {
        for cursor in cursors { cursor?.close() }
        cursors = []
    }

    /// Looks at the stored blocks of many keys at once, when the engine answers that in one
    /// request (PostgreSQL); otherwise each key is looked at when first touched.
    func preload(_ ids: Set<KeyID>) throws(LogError) {
        var byIndex: [Int: [KeyID]] = [:]
        for id in ids where states[id] == nil { byIndex[id.index, default: []].append(id) }
        for (ordinal, keys) in byIndex {
            guard let bounds = try txn.prefixBounds(databases[ordinal], keys.map { PostingList.prefix($0.key) }) else { return }
            for (id, bound) in zip(keys, bounds) {
                var state = KeyState()
                state.loaded = true
                if let last = bound.last,
                   let lastFirst = last.key.withUnsafeBytes({ PostingList.firstSeq($0, ofKey: id.key) }) {
                    let seqs: [UInt64]
                    do {
                        seqs = try last.value.withUnsafeBytes { try PostingList.decode(firstSeq: lastFirst, $0) }
                    } catch let error as LogError {
                        throw error
                    } catch {
                        throw LogError(.corrupt, "an index block of \(names[ordinal]) is damaged: \(error)")
                    }
                    state.firstSeq = bound.firstKey.flatMap { key in key.withUnsafeBytes { PostingList.firstSeq($0, ofKey: id.key) } } ?? lastFirst
                    if seqs.count < PostingList.entriesPerBlock { state.blocks = [(lastFirst, seqs)] }
                }
                states[id] = state
            }
        }
    }

    func reserveCapacity(_ keys: Int) { states.reserveCapacity(keys) }

    /// The position of a named index, `nil` for an unknown name.
    func ordinal(_ index: String) -> Int? { names.firstIndex(of: index) }

    enum UniqueClaim {
        /// The log, or an earlier batch of this transaction, holds the key from this seq on.
        case stored(UInt64)
        /// The record at this position of the same batch claimed the key first.
        case claimed(Int)
        /// The key is new: the record at `position` claimed it.
        case new
    }

    /// Starts planning a batch: the claims of a batch planned before count only if it was appended.
    func beginBatch() { generation += 1 }

    /// The batch being planned was appended, its records at `sequenceNumbers` by position.
    func batchAppended(sequenceNumbers: [UInt64]) { appendedBatches[generation] = sequenceNumbers }

    /// Where a record that must be the only one under `id` stands, in one dictionary access: the
    /// key's first seq (stored, or of an earlier batch of this transaction), or the earlier record
    /// of this batch that claimed it, or neither, and then the record at `position` claims it.
    func claimUnique(_ id: KeyID, position: Int) throws(LogError) -> UniqueClaim {
        try claimUnique(&states[id, default: KeyState()], id, position: position)
    }

    private func claimUnique(_ state: inout KeyState, _ id: KeyID, position: Int) throws(LogError) -> UniqueClaim {
        if let seq = try load(&state, id, appending: nil) { return .stored(seq) }
        if let claim = state.claim {
            if claim.generation == generation { return .claimed(claim.position) }
            if let appended = appendedBatches[claim.generation] { return .stored(appended[claim.position]) }
        }
        state.claim = (generation, position)
        return .new
    }

    /// Adds `seq` under `key` in index `ordinal`.
    func add(_ ordinal: Int, key: [UInt8], seq: UInt64) throws(LogError) {
        let id = KeyID(index: ordinal, key: key)
        try load(&states[id, default: KeyState()], id, appending: seq)
    }

    /// Writes every block touched in this transaction.
    func flush() throws(LogError) {
        var entries: [[(key: [UInt8], value: [UInt8])]] = Array(repeating: [], count: databases.count)
        for (id, state) in states {
            for block in state.blocks {
                entries[id.index].append((PostingList.blockKey(of: id.key, firstSeq: block.firstSeq), PostingList.encode(block.seqs)))
            }
        }
        for (ordinal, blocks) in entries.enumerated() where !blocks.isEmpty { try txn.putMany(databases[ordinal], blocks) }
    }

    /// Looks at the stored blocks of a key the first time it is touched — its last block (to extend
    /// it) and its first seq (to dedupe on it) — then appends `seq`, in one dictionary access.
    @discardableResult
    private func load(_ state: inout KeyState, _ id: KeyID, appending seq: UInt64?) throws(LogError) -> UInt64? {
        if !state.loaded { try loadStored(&state, id) }
        if let seq { state.append(seq) }
        return state.firstSeq
    }

    private func loadStored(_ state: inout KeyState, _ id: KeyID) throws(LogError) {
        state.loaded = true
        let cursor = try cursor(id.index)
        let beyond = PostingList.blockKey(of: id.key, firstSeq: .max)
        let last = try cursor.move(.atOrAfter(beyond)) != nil ? try cursor.move(.previous) : try cursor.move(.last)
        guard let last, let lastFirst = PostingList.firstSeq(last.key, ofKey: id.key) else { return }
        let seqs = try PostingList.decode(firstSeq: lastFirst, last.value)
        if let previous = try cursor.move(.previous), PostingList.firstSeq(previous.key, ofKey: id.key) != nil {
            let first = try cursor.move(.atOrAfter(PostingList.blockKey(of: id.key, firstSeq: 0)))
            state.firstSeq = first.flatMap { PostingList.firstSeq($0.key, ofKey: id.key) }
        } else {
            state.firstSeq = lastFirst
        }
        if seqs.count < PostingList.entriesPerBlock { state.blocks = [(lastFirst, seqs)] }
    }

    private func cursor(_ ordinal: Int) throws(LogError) -> any Cursor {
        if let open = cursors[ordinal] { return open }
        let opened = try txn.openCursor(databases[ordinal])
        cursors[ordinal] = opened
        return opened
    }
}
