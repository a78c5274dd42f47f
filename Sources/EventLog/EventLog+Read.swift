import Foundation

/// A record copied out of the log.
public struct StoredRecord: Sendable, Equatable {
    public var seq: UInt64
    public var time: Int64
    public var payload: [UInt8]
    /// The personal part, `nil` when the record has none or it was erased.
    public var personal: [UInt8]?
    /// The record had a personal part, now erased.
    public var isErased: Bool

    public init(seq: UInt64, time: Int64, payload: [UInt8], personal: [UInt8]? = nil, isErased: Bool = false) {
        self.seq = seq
        self.time = time
        self.payload = payload
        self.personal = personal
        self.isErased = isErased
    }
}

extension EventLog {
    /// Calls `body` with each record from `from` through `through`, in order, until it returns `false`.
    ///
    /// Everything is read in one read transaction: the scan sees the log as it was when it began, and
    /// appends by others go on meanwhile. Do not append from inside `body` (the scan holds the lock
    /// that lets the map grow). Each payload is a slice of a buffer reused for the next chunk.
    ///
    /// - Throws: `LogError` with `.corrupt` and the seq when a chunk cannot be read, or what `body` throws.
    public func scan(from: UInt64 = 1, through: UInt64 = .max, _ body: (RecordView) throws -> Bool) throws {
        guard from <= through else { return }
        let decompressor = try ZstdDecompressor()
        var buffer: [UInt8] = []
        var layout = ChunkBody()
        var bodyError: (any Error)?
        try environment.read { txn throws(LogError) in
            try txn.withCursor(events) { cursor throws(LogError) in
                var entry = try cursor.moveAtOrBefore(BigEndian.bytes(max(from, 1)))
                var expected: UInt64?
                while let current = entry {
                    guard let key = BigEndian.uint64(current.key) else { throw LogError(.corrupt, "a chunk key is not 8 bytes") }
                    if let expected, key != expected {
                        throw LogError(.corrupt, "record \(expected) is missing (the next stored record is \(key))", seq: expected)
                    }
                    guard key <= through else { return }
                    try decodeChunk(key: key, value: current.value, txn: txn, decompressor: decompressor, buffer: &buffer, body: &layout)
                    let bytes = buffer[...]
                    for record in 0..<layout.count {
                        let seq = key + UInt64(record)
                        if seq < from { continue }
                        if seq > through { return }
                        do {
                            guard try body(layout.view(record, seq: seq, in: bytes)) else { return }
                        } catch {
                            bodyError = error
                            return
                        }
                    }
                    expected = key + UInt64(layout.count)
                    entry = try cursor.move(.next)
                }
            }
        }
        if let bodyError { throw bodyError }
    }

    /// Walks every stored chunk without decompressing anything: the floor any scan can reach.
    ///
    /// - Returns: the number of chunks and the bytes of their values.
    public func scanStoredBytes() throws(LogError) -> (chunks: Int, bytes: Int) {
        try environment.read { txn throws(LogError) in
            try txn.withCursor(events) { cursor throws(LogError) in
                var chunks = 0
                var bytes = 0
                var entry = try cursor.move(.first)
                while let current = entry {
                    chunks += 1
                    bytes += current.value.count
                    entry = try cursor.move(.next)
                }
                return (chunks, bytes)
            }
        }
    }

    /// The record `seq`, or `nil` when the log has no such record.
    public func record(_ seq: UInt64) throws(LogError) -> StoredRecord? {
        var found: StoredRecord?
        do {
            try scan(from: seq, through: seq) { view in
                found = StoredRecord(view)
                return false
            }
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError(.storage, "\(error)")
        }
        return found
    }

    /// The records `seqs` (ascending), in one read transaction: records that share a chunk cost one
    /// decompression. Sequence numbers past the head are left out.
    ///
    /// Implementation details: one `MDB_SET_RANGE` per chunk touched.
    public func records(_ seqs: [UInt64]) throws(LogError) -> [StoredRecord] {
        guard !seqs.isEmpty else { return [] }
        let decompressor = try ZstdDecompressor()
        var buffer: [UInt8] = []
        var layout = ChunkBody()
        return try environment.read { txn throws(LogError) in
            try txn.withCursor(events) { cursor throws(LogError) in
                var result: [StoredRecord] = []
                result.reserveCapacity(seqs.count)
                var loaded: (first: UInt64, count: Int)?
                for seq in seqs.sorted() {
                    if loaded == nil || seq < loaded!.first || seq >= loaded!.first + UInt64(loaded!.count) {
                        guard let entry = try cursor.moveAtOrBefore(BigEndian.bytes(seq)), let key = BigEndian.uint64(entry.key) else { continue }
                        try decodeChunk(key: key, value: entry.value, txn: txn, decompressor: decompressor, buffer: &buffer, body: &layout)
                        loaded = (key, layout.count)
                    }
                    guard let chunk = loaded, seq < chunk.first + UInt64(chunk.count) else { continue }
                    let record = Int(seq - chunk.first)
                    result.append(StoredRecord(layout.view(record, seq: seq, in: buffer[...])))
                }
                return result
            }
        }
    }

    /// The sequence number of the record appended with `idempotencyKey`, or `nil`.
    public func sequenceNumber(idempotencyKey: [UInt8]) throws(LogError) -> UInt64? {
        try idempotencyEntry(idempotencyKey)?.seq
    }

    /// The sequence number of the record appended with `key` and the note kept with it
    /// (`LogRecord.idempotencyNote`), or `nil` when no record has the key.
    public func idempotencyEntry(_ key: [UInt8]) throws(LogError) -> (seq: UInt64, note: [UInt8])? {
        let stored = try environment.read { txn throws(LogError) in try txn.get(idempotency, key) }
        guard let stored else { return nil }
        guard let seq = Self.idempotencySequenceNumber(stored) else {
            throw LogError(.corrupt, "idempotency index entry is shorter than 8 bytes")
        }
        return (seq, Array(stored.dropFirst(8)))
    }

    /// The sequence number at the front of an `idem` value (the note follows it).
    static func idempotencySequenceNumber(_ value: [UInt8]) -> UInt64? {
        value.count >= 8 ? BigEndian.uint64(value.prefix(8)) : nil
    }

    /// The sequence numbers of the records whose entries in the index `index` have `key`, ascending.
    ///
    /// Implementation details: one `MDB_SET_RANGE`, then one value per block of 128 seqs.
    public func sequenceNumbers(index: String, key: [UInt8]) throws(LogError) -> [UInt64] {
        guard let database = indexes[index] else { throw LogError(.invalidRecord, "unknown index '\(index)'") }
        // A key longer than any the index takes is in no record (and would not fit its length byte).
        guard key.count <= PostingList.maximumKeyLength else { return [] }
        return try environment.read { txn throws(LogError) in
            try txn.withCursor(database) { cursor throws(LogError) in
                var result: [UInt64] = []
                var entry = try cursor.move(.atOrAfter(PostingList.blockKey(of: key, firstSeq: 0)))
                while let current = entry, let firstSeq = PostingList.firstSeq(current.key, ofKey: key) {
                    result += try PostingList.decode(firstSeq: firstSeq, current.value)
                    entry = try cursor.move(.next)
                }
                return result
            }
        }
    }

    /// The first sequence number under `key` in the index `index`, `nil` when the key is not there.
    public func firstSequenceNumber(index: String, key: [UInt8]) throws(LogError) -> UInt64? {
        guard let database = indexes[index] else { throw LogError(.invalidRecord, "unknown index '\(index)'") }
        guard key.count <= PostingList.maximumKeyLength else { return nil }
        return try environment.read { txn throws(LogError) in
            try txn.withCursor(database) { cursor throws(LogError) in
                guard let found = try cursor.move(.atOrAfter(PostingList.blockKey(of: key, firstSeq: 0))) else { return nil }
                return PostingList.firstSeq(found.key, ofKey: key)
            }
        }
    }

    /// The last sequence number whose record's time is at or before `time` (0 when none is).
    ///
    /// Implementation details: a binary search over the chunks themselves (their keys are
    /// 1, 17, 33, …; one `MDB_SET_KEY` and one decompression per step, ~16 steps for a million
    /// records), not the `time` index: the chunks are covered by the hash chain, the index is not,
    /// and a moved index entry must not move `--at` to the wrong event.
    public func lastSequence(atOrBefore time: Int64) throws(LogError) -> UInt64 {
        guard time >= 0 else { return 0 }
        let decompressor = try ZstdDecompressor()
        var buffer: [UInt8] = []
        var layout = ChunkBody()
        return try environment.read { txn throws(LogError) -> UInt64 in
            guard let head = try readHead(txn) else { return 0 }
            if head.time <= time { return head.seq }
            let perChunk = UInt64(ChunkFormat.recordsPerChunk)
            return try txn.withCursor(events) { cursor throws(LogError) -> UInt64 in
                func load(_ chunk: UInt64) throws(LogError) {
                    let key = 1 + chunk * perChunk
                    guard let entry = try cursor.move(.exactly(BigEndian.bytes(key))) else {
                        throw LogError(.corrupt, "record \(key) is missing", seq: key)
                    }
                    try decodeChunk(key: key, value: entry.value, txn: txn, decompressor: decompressor, buffer: &buffer, body: &layout)
                }
                // The last chunk whose first record is at or before `time`: chunks [0, low) are,
                // chunks [high, count) are not.
                var low: UInt64 = 0
                var high = (head.seq + perChunk - 1) / perChunk
                while low < high {
                    let middle = low + (high - low) / 2
                    try load(middle)
                    if layout.times[0] <= time { low = middle + 1 } else { high = middle }
                }
                guard low > 0 else { return 0 }
                try load(low - 1)
                var last = (low - 1) * perChunk
                for record in 0..<layout.count where layout.times[record] <= time { last = (low - 1) * perChunk + UInt64(record) + 1 }
                return last
            }
        }
    }

    func scanChunk(startingAt key: UInt64, _ body: (UInt64, Int64) -> Void) throws(LogError) {
        let decompressor = try ZstdDecompressor()
        var buffer: [UInt8] = []
        var layout = ChunkBody()
        try environment.read { txn throws(LogError) in
            try txn.withCursor(events) { cursor throws(LogError) in
                guard let entry = try cursor.move(.exactly(BigEndian.bytes(key))) else {
                    throw LogError(.corrupt, "the time index names a chunk that is not stored", seq: key)
                }
                try decodeChunk(key: key, value: entry.value, txn: txn, decompressor: decompressor, buffer: &buffer, body: &layout)
                for record in 0..<layout.count { body(key + UInt64(record), layout.times[record]) }
            }
        }
    }
}

extension StoredRecord {
    /// A copy of what a scan lent.
    public init(_ view: RecordView) {
        self.init(seq: view.seq, time: view.time, payload: Array(view.payload), personal: view.personal.map(Array.init), isErased: view.isErased)
    }
}

extension ChunkBody {
    func view(_ record: Int, seq: UInt64, in body: ArraySlice<UInt8>) -> RecordView {
        RecordView(seq: seq, time: times[record], payload: payload(record, in: body), personal: personal(record, in: body), isErased: isErased(record))
    }
}
