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
/// many records of the transaction extend it. Each key costs one table lookup per record and,
/// the first time the transaction touches it, one seek.
///
/// Why slots and one flat list of additions rather than a block list per key: the profile of
/// `smcc bench` showed the per-key arrays (allocated as keys were added, freed with the writer)
/// costing a third of the index work of an append; a key now has a slot of plain numbers, and
/// `flush` groups the additions by slot with one counting sort.
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

    /// What is known of one key, by slot.
    private struct KeyState {
        var id: KeyID
        /// Whether the stored blocks of the key have been looked at.
        var loaded = false
        /// The key's first seq stored in the log; 0 while the log has none (adds happen only after
        /// every batch is planned, so nothing reads it after them).
        var firstSeq: UInt64 = 0
        /// The stored last block when it has room (it is rewritten with the additions): its first
        /// seq (0 for none) and where its seqs are in `storedSeqs`.
        var storedBlockFirst: UInt64 = 0
        var storedSeqs: Range<Int> = 0..<0
        /// The batch being planned (its generation) and the position in it of the record that
        /// first claimed this key as unique; generation 0 is no claim.
        var claimGeneration = 0
        var claimPosition = 0

        init(id: KeyID) { self.id = id }
    }

    private let names: [String]
    private let databases: [Database]
    private let txn: any Transaction
    private var cursors: [(any Cursor)?]
    /// The slots by key: open addressing over the keys' bytes, so a lookup copies no array and
    /// builds no `KeyID` (with `[KeyID: Int]`, retaining and releasing the key arrays and the
    /// dictionary's own work were a third of the writing thread's time in `smcc bench`). Each
    /// entry is a slot + 1, 0 for empty; the hashes are seeded per process (`Hasher`), so keys an
    /// archive chose cannot be made to collide.
    private var table = [Int32](repeating: 0, count: 1024)
    private var hashes: [Int] = []
    private var states: [KeyState] = []
    /// The seqs of the stored last blocks being extended, for every key at once.
    private var storedSeqs: [UInt64] = []
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

    /// The slot of `key` in index `ordinal`, its stored blocks looked at the first time the key is
    /// touched: its last block (to extend it) and its first seq (to dedupe on it).
    func slot(_ ordinal: Int, key: [UInt8]) throws(LogError) -> Int {
        let slot = makeSlot(ordinal, key)
        try load(slot)
        return slot
    }

    /// The slot of `key` in index `ordinal`, made (not yet loaded) the first time the key is touched.
    private func makeSlot(_ ordinal: Int, _ key: [UInt8]) -> Int {
        let hash = key.withUnsafeBytes { bytes in
            var hasher = Hasher()
            hasher.combine(ordinal)
            hasher.combine(bytes: bytes)
            return hasher.finalize()
        }
        let mask = table.count - 1
        var position = hash & mask
        while table[position] != 0 {
            let slot = Int(table[position] - 1)
            if hashes[slot] == hash && states[slot].id.index == ordinal && states[slot].id.key == key { return slot }
            position = (position + 1) & mask
        }
        let slot = states.count
        table[position] = Int32(slot + 1)
        hashes.append(hash)
        states.append(KeyState(id: KeyID(index: ordinal, key: key)))
        if 2 * states.count > table.count { grow(to: 2 * table.count) }
        return slot
    }

    /// Keeps the table at most half full.
    private func grow(to capacity: Int) {
        table = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for slot in hashes.indices {
            var position = hashes[slot] & mask
            while table[position] != 0 { position = (position + 1) & mask }
            table[position] = Int32(slot + 1)
        }
    }

    /// Looks at the stored blocks of many keys at once, when the engine answers that in one
    /// request (PostgreSQL); otherwise each key is looked at when first touched.
    func preload(_ ids: Set<KeyID>) throws(LogError) {
        var byIndex: [Int: [KeyID]] = [:]
        for id in ids { byIndex[id.index, default: []].append(id) }
        for (ordinal, keys) in byIndex {
            guard let bounds = try txn.prefixBounds(databases[ordinal], keys.map { PostingList.prefix($0.key) }) else { return }
            for (id, bound) in zip(keys, bounds) {
                let slot = makeSlot(id.index, id.key)
                guard !states[slot].loaded else { continue }
                states[slot].loaded = true
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
                    states[slot].firstSeq = bound.firstKey.flatMap { key in key.withUnsafeBytes { PostingList.firstSeq($0, ofKey: id.key) } } ?? lastFirst
                    keepStoredBlock(slot, first: lastFirst, seqs)
                }
            }
        }
    }

    func reserveCapacity(_ keys: Int) {
        var capacity = table.count
        while capacity < 2 * keys { capacity *= 2 }
        if capacity > table.count { grow(to: capacity) }
        hashes.reserveCapacity(keys)
        states.reserveCapacity(keys)
    }

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

    /// Where a record that must be the only one under the key of `slot` stands: the
    /// key's first seq (stored, or of an earlier batch of this transaction), or the earlier record
    /// of this batch that claimed it, or neither, and then the record at `position` claims it.
    func claimUnique(slot: Int, position: Int) -> UniqueClaim {
        if states[slot].firstSeq != 0 { return .stored(states[slot].firstSeq) }
        let claim = (generation: states[slot].claimGeneration, position: states[slot].claimPosition)
        if claim.generation != 0 {
            if claim.generation == generation { return .claimed(claim.position) }
            if let appended = appendedBatches[claim.generation] { return .stored(appended[claim.position]) }
        }
        states[slot].claimGeneration = generation
        states[slot].claimPosition = position
        return .new
    }

    /// Adds each seq under the key of its slot (`entries` in ascending seq, every batch of the
    /// transaction planned) and writes every block that changes: per key, the stored last block
    /// (if it had room) extended by the key's additions, then new blocks of up to `entriesPerBlock`.
    func flush(adding added: [(slot: Int32, seq: UInt64)]) throws(LogError) {
        // Group the additions by slot, keeping their order: a counting sort.
        var starts = [Int](repeating: 0, count: states.count + 1)
        for entry in added { starts[Int(entry.slot) + 1] += 1 }
        for slot in states.indices { starts[slot + 1] += starts[slot] }
        var next = starts
        var grouped = [UInt64](repeating: 0, count: added.count)
        for entry in added {
            grouped[next[Int(entry.slot)]] = entry.seq
            next[Int(entry.slot)] += 1
        }
        var entries: [[(key: [UInt8], value: [UInt8])]] = Array(repeating: [], count: databases.count)
        var block: [UInt64] = []
        block.reserveCapacity(PostingList.entriesPerBlock)
        for slot in states.indices where starts[slot] < starts[slot + 1] {
            let state = states[slot]
            block.removeAll(keepingCapacity: true)
            var blockFirst: UInt64
            if state.storedBlockFirst != 0 {
                block.append(contentsOf: storedSeqs[state.storedSeqs])
                blockFirst = state.storedBlockFirst
            } else {
                blockFirst = grouped[starts[slot]]
            }
            for seq in grouped[starts[slot]..<starts[slot + 1]] {
                if block.count == PostingList.entriesPerBlock {
                    entries[state.id.index].append((PostingList.blockKey(of: state.id.key, firstSeq: blockFirst), PostingList.encode(block)))
                    block.removeAll(keepingCapacity: true)
                    blockFirst = seq
                }
                block.append(seq)
            }
            entries[state.id.index].append((PostingList.blockKey(of: state.id.key, firstSeq: blockFirst), PostingList.encode(block)))
        }
        for (ordinal, blocks) in entries.enumerated() where !blocks.isEmpty { try txn.putMany(databases[ordinal], blocks) }
    }

    /// Keeps the stored last block of a key to extend it, if it has room.
    private func keepStoredBlock(_ slot: Int, first: UInt64, _ seqs: [UInt64]) {
        guard seqs.count < PostingList.entriesPerBlock else { return }
        states[slot].storedBlockFirst = first
        states[slot].storedSeqs = storedSeqs.count..<(storedSeqs.count + seqs.count)
        storedSeqs.append(contentsOf: seqs)
    }

    /// Looks at the stored blocks of a key, once.
    private func load(_ slot: Int) throws(LogError) {
        guard !states[slot].loaded else { return }
        states[slot].loaded = true
        let id = states[slot].id
        let cursor = try cursor(id.index)
        let beyond = PostingList.blockKey(of: id.key, firstSeq: .max)
        let last = try cursor.move(.atOrAfter(beyond)) != nil ? try cursor.move(.previous) : try cursor.move(.last)
        guard let last, let lastFirst = PostingList.firstSeq(last.key, ofKey: id.key) else { return }
        let seqs = try PostingList.decode(firstSeq: lastFirst, last.value)
        if let previous = try cursor.move(.previous), PostingList.firstSeq(previous.key, ofKey: id.key) != nil {
            let first = try cursor.move(.atOrAfter(PostingList.blockKey(of: id.key, firstSeq: 0)))
            states[slot].firstSeq = first.flatMap { PostingList.firstSeq($0.key, ofKey: id.key) } ?? 0
        } else {
            states[slot].firstSeq = lastFirst
        }
        keepStoredBlock(slot, first: lastFirst, seqs)
    }

    private func cursor(_ ordinal: Int) throws(LogError) -> any Cursor {
        if let open = cursors[ordinal] { return open }
        let opened = try txn.openCursor(databases[ordinal])
        cursors[ordinal] = opened
        return opened
    }
}
