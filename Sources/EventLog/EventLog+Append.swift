import Dispatch
import Foundation

/// What the single writer of this process keeps between appends.
final class WriterState {
    let compressors: CompressorPool
    let decompressor: ZstdDecompressor
    var buffer: [UInt8] = []
    /// The unsealed tail chunk as of `headSeq`, so a small append need not decompress it again.
    /// Checked against the stored head, since another process may have appended since.
    var tail: (headSeq: UInt64, chunk: PendingChunk)?

    init() throws(LogError) {
        compressors = try CompressorPool(level: ChunkCodec.level)
        decompressor = try ZstdDecompressor()
    }
}

/// The part of an append that needs no LMDB: advancing the hash chain over the new records, filling
/// chunks, and compressing them. Owned by one thread at a time: built by the transaction's thread,
/// run by one worker, read back only after the transaction's thread waited for the worker.
final class ChunkSealing: @unchecked Sendable {
    /// Below this many records the hand-off to another thread costs more than it saves.
    static let backgroundThreshold = 512
    /// Cores this process may use: the sealing is cut into a few slices per core.
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    struct SealedChunk {
        var firstSeq: UInt64
        var firstTime: Int64
        var value: [UInt8]
        var isStored: Bool
        var compressedBytes: Int
        var bodyBytes: Int
    }

    struct Sealed {
        var chunks: [SealedChunk] = []
        var checkpoints: [(seq: UInt64, hash: [UInt8])] = []
        var hash: [UInt8]
        var tail: PendingChunk
        /// Compressed and uncompressed bytes of the chunks sealed, for the dictionary's baseline.
        var compressedBytes = 0
        var bodyBytes = 0
    }

    private let startHash: [UInt8]
    private let firstSeq: UInt64
    private let startTail: PendingChunk
    private let records: [LogRecord]
    private let dictionary: ZstdDictionary?
    private let compressors: CompressorPool
    private var outcome: Result<Sealed, LogError>?

    init(hash: [UInt8], firstSeq: UInt64, tail: PendingChunk, records: [LogRecord], dictionary: ZstdDictionary?, compressors: CompressorPool) {
        self.startHash = hash
        self.firstSeq = firstSeq
        self.startTail = tail
        self.records = records
        self.dictionary = dictionary
        self.compressors = compressors
    }

    func run() {
        do throws(LogError) {
            outcome = .success(try seal())
        } catch {
            outcome = .failure(error)
        }
    }

    func result() throws(LogError) -> Sealed {
        guard let outcome else { throw LogError(.storage, "chunk sealing did not run") }
        return try outcome.get()
    }

    /// Seals the records as a pipeline over slices of consecutive chunks. Each slice is laid out
    /// and its personal parts committed to on any core (a commitment depends on its record alone);
    /// this thread advances the chain through the slices in order (each hash depends on the one
    /// before), waiting for a slice only until it is laid out; and each slice the chain has passed
    /// is built and compressed on any core. Only the chain waits, and only for tasks that never
    /// wait; on one core everything runs on this thread, in the same order.
    private func seal() throws(LogError) -> Sealed {
        let layout = ChunkLayout(records: records.count, alreadyInFirst: startTail.count)
        let slices = Self.slices(layout.chunks, parallel: records.count >= Self.backgroundThreshold)
        let work = slices.map { SliceWork(chunks: $0) }
        let queue = DispatchQueue.global(qos: .userInitiated)
        let group = DispatchGroup()
        let inParallel = slices.count > 1 && Self.cores > 1
        for slice in work {
            if inParallel { queue.async(group: group) { self.prepare(slice, layout) } } else { prepare(slice, layout) }
        }

        var hash = startHash
        var scratch: [UInt8] = []
        var checkpoints: [(seq: UInt64, hash: [UInt8])] = []
        var seq = firstSeq
        for slice in work {
            if inParallel { slice.ready.wait() }
            var committed = 0
            var next = 0
            for chunk in slice.chunkRange {
                let position = chunk - slice.chunkRange.lowerBound
                for record in layout.firstNew(inChunk: chunk)..<slice.laidOut[position].count {
                    let commitment: ArraySlice<UInt8>?
                    if slice.hasCommitment[next] {
                        commitment = slice.commitments[committed..<(committed + ChunkFormat.commitmentLength)]
                        committed += ChunkFormat.commitmentLength
                    } else {
                        commitment = nil
                    }
                    next += 1
                    HashChain.advance(&hash, seq: seq, time: slice.laidOut[position].times[record], commitment: commitment,
                                      payload: slice.laidOut[position].payloads[record][...], scratch: &scratch)
                    if seq % HashChain.checkpointInterval == 0 { checkpoints.append((seq, hash)) }
                    slice.laidOut[position].tags.append(hash[0])
                    seq += 1
                }
            }
            if inParallel { queue.async(group: group) { self.compress(slice, layout) } } else { compress(slice, layout) }
        }
        group.wait()
        if let failure = work.lazy.compactMap(\.failure).first { throw failure }

        var sealed = Sealed(hash: hash, tail: work[work.count - 1].laidOut.last!)
        sealed.chunks = work.flatMap(\.sealed)
        sealed.checkpoints = checkpoints
        sealed.compressedBytes = sealed.chunks.reduce(0) { $0 + $1.compressedBytes }
        sealed.bodyBytes = sealed.chunks.reduce(0) { $0 + $1.bodyBytes }
        sealed.tail.isStored = true
        return sealed
    }

    /// The slice's chunks with their records, and the commitments of its new records in order.
    private func prepare(_ slice: SliceWork, _ layout: ChunkLayout) {
        defer { slice.ready.signal() }
        let newChunks = slice.chunkRange.filter { $0 > 0 }.count
        // One call to the CSPRNG for the slice's seeds: a call per seed was a system call per chunk.
        let seeds = Commitment.randomBytes(ChunkFormat.seedLength * newChunks)
        var seedOffset = 0
        let sliceRecords = (newChunks + 1) * ChunkFormat.recordsPerChunk
        slice.hasCommitment.reserveCapacity(sliceRecords)
        slice.commitments.reserveCapacity(sliceRecords * ChunkFormat.commitmentLength)
        for chunk in slice.chunkRange {
            var pending: PendingChunk
            if chunk == 0 {
                pending = startTail
            } else {
                pending = PendingChunk(firstSeq: firstSeq + UInt64(layout.records(inChunk: chunk).lowerBound), isStored: false,
                                       seed: Array(seeds[seedOffset..<seedOffset + ChunkFormat.seedLength]))
                seedOffset += ChunkFormat.seedLength
            }
            pending.reserveCapacity(ChunkFormat.recordsPerChunk)
            for offset in layout.records(inChunk: chunk) {
                let personal: StoredPersonal = switch records[offset].personal {
                case nil: .none
                case .bytes(let bytes): .seeded(bytes)
                case .erased: .erased(commitment: Commitment.randomBytes(ChunkFormat.commitmentLength))
                }
                pending.times.append(records[offset].time)
                pending.payloads.append(records[offset].payload)
                pending.personal.append(personal)
            }
            for record in layout.firstNew(inChunk: chunk)..<pending.count {
                slice.hasCommitment.append(pending.appendCommitment(record, to: &slice.commitments))
            }
            slice.laidOut.append(pending)
        }
    }

    /// Builds and compresses the slice's chunks that gained records, once the chain has tagged them.
    private func compress(_ slice: SliceWork, _ layout: ChunkLayout) {
        do throws(LogError) {
            try compressors.withCompressor { compressor throws(LogError) in
                for (position, chunk) in slice.laidOut.enumerated() where chunk.count > layout.firstNew(inChunk: slice.chunkRange.lowerBound + position) {
                    let body = chunk.body()
                    var value = ChunkFormat.header(bodyLength: body.count, dictionary: dictionary)
                    let headerLength = value.count
                    try compressor.compress(body, dictionary: dictionary, appendingTo: &value)
                    slice.sealed.append(SealedChunk(firstSeq: chunk.firstSeq, firstTime: chunk.times[0], value: value, isStored: chunk.isStored,
                                                    compressedBytes: value.count - headerLength, bodyBytes: body.count))
                }
            }
        } catch {
            slice.failure = error
        }
    }

    /// Consecutive ranges of chunks, one per task: several per core, so that the chain can start
    /// on the first while the others are laid out, and a core slowed by other work (the index
    /// writes run beside the sealing) does not hold up the rest.
    private static func slices(_ chunks: Int, parallel: Bool) -> [Range<Int>] {
        let count = parallel ? min(chunks, 8 * cores) : 1
        return (0..<count).map { slice in (chunks * slice / count)..<(chunks * (slice + 1) / count) }
    }
}

/// Which records of an append go to which chunk: the stored tail takes what it has room for, then
/// every chunk takes `recordsPerChunk`. Chunk 0 is the tail, even when it has no room left.
struct ChunkLayout {
    let records: Int
    let alreadyInFirst: Int
    var roomInFirst: Int { ChunkFormat.recordsPerChunk - alreadyInFirst }
    var chunks: Int { 1 + (max(0, records - roomInFirst) + ChunkFormat.recordsPerChunk - 1) / ChunkFormat.recordsPerChunk }

    /// The offsets, among the appended records, of those chunk `chunk` receives.
    func records(inChunk chunk: Int) -> Range<Int> {
        guard chunk > 0 else { return 0..<min(records, roomInFirst) }
        let start = roomInFirst + (chunk - 1) * ChunkFormat.recordsPerChunk
        return start..<min(records, start + ChunkFormat.recordsPerChunk)
    }

    /// The position in chunk `chunk` of its first appended record: the tail's stored records
    /// before it are chained and tagged already.
    func firstNew(inChunk chunk: Int) -> Int { chunk == 0 ? alreadyInFirst : 0 }
}

/// One slice of a sealing pipeline. Each field is written by one task at a time, and read by the
/// next only after `ready` or the group's wait, which order the accesses.
private final class SliceWork: @unchecked Sendable {
    let chunkRange: Range<Int>
    var laidOut: [PendingChunk] = []
    /// The commitments of the slice's new records that have one, 32 bytes each, in order; which
    /// records have one is in `hasCommitment`. Flat, so a record costs no array of its own.
    var commitments: [UInt8] = []
    var hasCommitment: [Bool] = []
    var sealed: [ChunkSealing.SealedChunk] = []
    var failure: LogError?
    let ready = DispatchSemaphore(value: 0)

    init(chunks: Range<Int>) { chunkRange = chunks }
}

enum ChunkCodec {
    /// Level 9 is never smaller than 3 on values this small (STORAGE-NOTES.md), and 3 is much faster.
    static let level: Int32 = 3
}

extension EventLog {
    /// Appends `records` in one durable write transaction: all of them or none.
    ///
    /// Records whose idempotency key is already in the log are not appended again; their existing
    /// sequence numbers are returned. When the call returns, the records are on disk (fsync).
    ///
    /// - Throws: `LogError` with `.invalidRecord` (a time before the log's last, a payload or key too
    ///   large, an unknown index) or a storage error; nothing is appended then.
    ///
    /// Implementation details: one `mdb_txn_begin`/`mdb_txn_commit`; `MDB_APPEND` for new chunks.
    @discardableResult
    public func append(_ records: [LogRecord]) throws(LogError) -> AppendOutcome {
        try append(batches: [records])[0].get()
    }

    /// Appends `records` and stores `metadata` (`app:` keys) in the same durable transaction, so the
    /// metadata says exactly what the log holds, even after a crash (an import's progress, say).
    @discardableResult
    public func append(_ records: [LogRecord], metadata: [String: [UInt8]], expectedHead: UInt64? = nil) throws(LogError) -> AppendOutcome {
        try append(batches: [records], metadata: metadata, expectedHead: expectedHead)[0].get()
    }

    /// Appends several independent batches in one durable transaction (group commit): each batch is
    /// all or nothing on its own, and a batch that is refused does not stop the others.
    ///
    /// - Parameter expectedHead: the last sequence number the caller decided against (0 for an
    ///   empty log). Checked inside the write transaction, so a decision made on a state another
    ///   writer has moved on from is never appended, whatever happened to the writer lock.
    /// - Returns: one result per batch, in order.
    /// - Throws: only when the transaction itself fails; then nothing is appended. `.headMoved`
    ///   when `expectedHead` is not the log's head.
    public func append(batches: [[LogRecord]], metadata: [String: [UInt8]] = [:], expectedHead: UInt64? = nil) throws(LogError) -> [Result<AppendOutcome, LogError>] {
        try append(batches: batches, metadataAtHead: { _ in metadata }, expectedHead: expectedHead)
    }

    /// Appends `records` and stores the metadata `metadataAtHead` gives for the head they leave
    /// (`app:` keys), in the same durable transaction: a progress mark that names the head it was
    /// written at, whatever the log deduplicated.
    @discardableResult
    public func append(_ records: [LogRecord], metadataAtHead: (UInt64) -> [String: [UInt8]], expectedHead: UInt64? = nil) throws(LogError) -> AppendOutcome {
        try append(batches: [records], metadataAtHead: metadataAtHead, expectedHead: expectedHead)[0].get()
    }

    /// Appends the batches `decide` gives for the head it is handed, deciding them inside the
    /// write transaction, under the log's write lock: no writer of any process can append between
    /// the decision and the append, so the caller never has to decide again. `decide` may read the
    /// log (what other writers appended up to that head) through separate read transactions.
    ///
    /// - Returns: one result per batch `decide` gave, in order.
    /// - Throws: what `decide` throws, or a failure of the transaction; nothing is appended then.
    public func append(deciding decide: (_ head: UInt64) throws(LogError) -> [[LogRecord]]) throws(LogError) -> [Result<AppendOutcome, LogError>] {
        try append(decidingOnce: true, decide, metadataAtHead: { _ in [:] }, expectedHead: nil)
    }

    private func append(batches: [[LogRecord]], metadataAtHead: (UInt64) -> [String: [UInt8]], expectedHead: UInt64?) throws(LogError) -> [Result<AppendOutcome, LogError>] {
        try append(decidingOnce: false, { _ in batches }, metadataAtHead: metadataAtHead, expectedHead: expectedHead)
    }

    private func append(
        decidingOnce: Bool,
        _ decide: (UInt64) throws(LogError) -> [[LogRecord]],
        metadataAtHead: (UInt64) -> [String: [UInt8]],
        expectedHead: UInt64?
    ) throws(LogError) -> [Result<AppendOutcome, LogError>] {
        writerLock.lock()
        defer { writerLock.unlock() }
        if writer == nil { writer = try WriterState() }
        let writer = self.writer!
        // LMDB runs the transaction again after growing its map: a decision is made once per head.
        var decided: (head: UInt64, batches: [[LogRecord]])?
        let outcome = try environment.write { txn throws(LogError) in
            let actual = try self.readHead(txn)?.seq ?? 0
            if let expectedHead, actual != expectedHead {
                throw LogError(.headMoved, "the log's head moved from \(expectedHead) to \(actual) since this writer read it: another process appended to \(self.path)")
            }
            let batches: [[LogRecord]]
            if let decided, decided.head == actual {
                batches = decided.batches
            } else if decided != nil && decidingOnce {
                throw LogError(.headMoved, "the log's head moved to \(actual) while this writer decided: another process appended to \(self.path)")
            } else {
                batches = try decide(actual)
                decided = (actual, batches)
            }
            let outcome = try self.appendInTransaction(batches, txn, writer)
            for (key, value) in metadataAtHead(outcome.headAfter) { try txn.put(self.meta, Array(("app:" + key).utf8), value) }
            return outcome
        }
        writer.tail = outcome.tail
        // Only now that the transaction committed may other readers see the new dictionary's id.
        if let trained = outcome.trainedDictionary { remember(trained) }
        return outcome.results
    }

    private struct TransactionOutcome {
        var results: [Result<AppendOutcome, LogError>]
        var headAfter: UInt64
        var tail: (headSeq: UInt64, chunk: PendingChunk)?
        var trainedDictionary: ZstdDictionary? = nil
    }

    private func appendInTransaction(_ batches: [[LogRecord]], _ txn: any Transaction, _ writer: WriterState) throws(LogError) -> TransactionOutcome {
        let storedHead = try readHead(txn)
        var head = storedHead ?? StoredHead(seq: 0, hash: HashChain.genesis, time: 0)
        let headBefore = head.seq
        let tail: PendingChunk
        if let cached = writer.tail, cached.headSeq == head.seq {
            tail = cached.chunk
        } else {
            tail = try loadTail(txn, after: head.seq, writer)
        }
        var results: [Result<AppendOutcome, LogError>] = []
        var keysThisTransaction: [ByteKey: UInt64] = [:]
        let indexWriter = IndexWriter(indexes: indexes, txn: txn)
        defer { indexWriter.close() }
        // About two keys per record; growing the table while adding cost a tenth of a large append.
        indexWriter.reserveCapacity(2 * batches.reduce(0) { $0 + $1.count })
        var touched = Set<IndexWriter.KeyID>()
        for batch in batches where txn.answersPrefixBounds {
            for position in batch.indices {
                for entry in batch[position].indexEntries {
                    if let ordinal = indexWriter.ordinal(entry.index) { touched.insert(IndexWriter.KeyID(index: ordinal, key: entry.key)) }
                }
                if let entry = batch[position].uniqueIndexEntry, let ordinal = indexWriter.ordinal(entry.index) {
                    touched.insert(IndexWriter.KeyID(index: ordinal, key: entry.key))
                }
            }
        }
        try indexWriter.preload(touched)
        let early = try sealBeforePlanning(batches, head: head, tail: tail, txn, writer)
        // Whatever becomes of the transaction, no sealing outlives it.
        defer { early?.group.wait() }
        // The records this transaction appends, in order: record i gets seq headBefore + 1 + i.
        var newRecords: [LogRecord] = []
        // The index slots of each batch's entries, by record (`RecordPlan.new`), and every entry
        // of the new records with the seq it is added at, once every batch is planned.
        var entrySlots: [Int32] = []
        var newEntries: [(slot: Int32, seq: UInt64)] = []
        newEntries.reserveCapacity(3 * batches.reduce(0) { $0 + $1.count })
        for batch in batches {
            let plan: [RecordPlan]
            entrySlots.removeAll(keepingCapacity: true)
            switch try planBatch(batch, lastTime: head.seq == 0 ? nil : head.time, keysThisTransaction, indexWriter, &entrySlots, txn) {
            case .failure(let error):
                results.append(.failure(error))
                continue
            case .success(let planned): plan = planned
            }
            var sequenceNumbers: [UInt64] = []
            sequenceNumbers.reserveCapacity(batch.count)
            var appended = 0
            for position in batch.indices {
                switch plan[position] {
                case .existing(let seq):
                    sequenceNumbers.append(seq)
                    continue
                case .sameAs(let earlier):
                    sequenceNumbers.append(sequenceNumbers[earlier])
                    continue
                case .new(let slots):
                    for slot in entrySlots[Int(slots.lowerBound)..<Int(slots.upperBound)] { newEntries.append((slot, head.seq + 1)) }
                }
                head.seq += 1
                head.time = batch[position].time
                if let key = batch[position].idempotencyKey {
                    try txn.put(idempotency, key, BigEndian.bytes(head.seq) + batch[position].idempotencyNote)
                    keysThisTransaction[ByteKey(bytes: key)] = head.seq
                }
                sequenceNumbers.append(head.seq)
                appended += 1
            }
            indexWriter.batchAppended(sequenceNumbers: sequenceNumbers)
            results.append(.success(AppendOutcome(sequenceNumbers: sequenceNumbers, appended: appended)))
            // Copying a record retains each of its arrays, and the sealing threads retain them
            // again: a batch appended whole is handed on as it is.
            if appended == batch.count && newRecords.isEmpty {
                newRecords = batch
            } else {
                for (position, planned) in plan.enumerated() { if case .new = planned { newRecords.append(batch[position]) } }
            }
        }
        guard head.seq > headBefore else {
            return TransactionOutcome(results: results, headAfter: headBefore, tail: storedHead.map { (headSeq: $0.seq, chunk: tail) })
        }

        let dictionary: ZstdDictionary?
        let isNewDictionary: Bool
        let sealing: ChunkSealing
        let group: DispatchGroup
        if let early, early.records == newRecords.count {
            // Every record of the one batch is new: what was sealed early is what is appended.
            (dictionary, isNewDictionary, sealing, group) = (early.dictionary, false, early.sealing, early.group)
        } else {
            early?.group.wait()
            (dictionary, isNewDictionary) = try maintainDictionary(
                txn, headBefore: headBefore, headAfter: head.seq, recentPayloads: newRecords.lazy.map(\.trainingSample), writer)
            (sealing, group) = startSealing(newRecords, hash: head.hash, firstSeq: headBefore + 1, tail: tail, dictionary: dictionary, writer)
        }
        var indexFailure: LogError?
        do throws(LogError) {
            try indexWriter.flush(adding: newEntries)
        } catch {
            indexFailure = error
        }
        group.wait()
        if let indexFailure { throw indexFailure }
        let sealed = try sealing.result()

        for chunk in sealed.chunks {
            let key = BigEndian.bytes(chunk.firstSeq)
            try txn.put(events, key, chunk.value, append: !chunk.isStored)
            if !chunk.isStored {
                try txn.put(timeIndex, BigEndian.bytes(UInt64(chunk.firstTime)), key)
            }
        }
        for checkpoint in sealed.checkpoints {
            try txn.put(chain, BigEndian.bytes(checkpoint.seq), checkpoint.hash, append: true)
        }
        if isNewDictionary, let dictionary, sealed.chunks.count >= 16 {
            try recordDictionaryBaseline(txn, id: dictionary.id, ratio: Double(sealed.compressedBytes) / Double(sealed.bodyBytes))
        }
        head.hash = sealed.hash
        try writeHead(head, txn)
        return TransactionOutcome(
            results: results,
            headAfter: head.seq,
            tail: (headSeq: head.seq, chunk: sealed.tail),
            trainedDictionary: isNewDictionary ? dictionary : nil
        )
    }

    /// Starts sealing a transaction's one large batch before it is planned, as if every record of it
    /// were new: sealing needs to know which records are, and only the planning tells, which for
    /// 10,000 records took 6 ms of the 37 a batch took while the other core waited (`smcc bench`,
    /// timers around each phase). An import's batches and the bench's nearly always are all new.
    /// `nil` (no early start) for several batches, a small one, a transaction that must train a
    /// dictionary or record its baseline (which it may only decide for the records it appends), or a
    /// batch the sealing could not take as it is: a time that goes back or a part over the limit,
    /// which the planning refuses, or drops when the record is a duplicate.
    private func sealBeforePlanning(
        _ batches: [[LogRecord]],
        head: StoredHead,
        tail: PendingChunk,
        _ txn: any Transaction,
        _ writer: WriterState
    ) throws(LogError) -> (sealing: ChunkSealing, group: DispatchGroup, dictionary: ZstdDictionary?, records: Int)? {
        guard batches.count == 1, batches[0].count >= ChunkSealing.backgroundThreshold else { return nil }
        var lastTime = head.seq == 0 ? 0 : head.time
        for record in batches[0] {
            guard record.time >= lastTime, record.payload.count <= ChunkFormat.maximumPayload else { return nil }
            if case .bytes(let personal) = record.personal, personal.count > ChunkFormat.maximumPayload { return nil }
            lastTime = record.time
        }
        guard let dictionary = try dictionaryWithoutUpkeep(txn, headBefore: head.seq, headAfter: head.seq + UInt64(batches[0].count)) else { return nil }
        let (sealing, group) = startSealing(batches[0], hash: head.hash, firstSeq: head.seq + 1, tail: tail, dictionary: dictionary, writer)
        return (sealing, group, dictionary, batches[0].count)
    }

    /// Starts sealing `records`, the ones appended from `firstSeq` on after the chain's `hash`. The
    /// hash chain and compression need no LMDB: for a large append they run on the other cores (see
    /// `seal`) while this thread writes the indexes; a small one is sealed here at once.
    private func startSealing(
        _ records: [LogRecord],
        hash: [UInt8],
        firstSeq: UInt64,
        tail: PendingChunk,
        dictionary: ZstdDictionary?,
        _ writer: WriterState
    ) -> (sealing: ChunkSealing, group: DispatchGroup) {
        let sealing = ChunkSealing(hash: hash, firstSeq: firstSeq, tail: tail, records: records, dictionary: dictionary, compressors: writer.compressors)
        let group = DispatchGroup()
        if records.count >= ChunkSealing.backgroundThreshold {
            DispatchQueue.global(qos: .userInitiated).async(group: group) { sealing.run() }
        } else {
            sealing.run()
        }
        return (sealing, group)
    }

    private enum RecordPlan {
        /// Appended; its index entries' slots are these positions of the batch's `entrySlots`.
        case new(Range<Int32>)
        case existing(UInt64)
        case sameAs(Int)
    }

    /// Checks a whole batch before anything of it is written, so a refused batch leaves no trace.
    private func planBatch(
        _ batch: [LogRecord],
        lastTime: Int64?,
        _ keysThisTransaction: [ByteKey: UInt64],
        _ indexWriter: IndexWriter,
        _ entrySlots: inout [Int32],
        _ txn: any Transaction
    ) throws(LogError) -> Result<[RecordPlan], LogError> {
        var plan: [RecordPlan] = []
        plan.reserveCapacity(batch.count)
        var keysInBatch: [ByteKey: Int] = [:]
        indexWriter.beginBatch()
        var time = lastTime
        for position in batch.indices {
            func refuse(_ message: String) -> Result<[RecordPlan], LogError> {
                .failure(LogError(.invalidRecord, "record \(position + 1) of the batch: \(message)"))
            }
            if let key = batch[position].idempotencyKey {
                guard (1...Self.maximumKeyLength).contains(key.count) else {
                    return refuse("idempotency key of \(key.count) bytes (1–\(Self.maximumKeyLength) allowed)")
                }
                guard batch[position].idempotencyNote.count <= Self.maximumNoteLength else {
                    return refuse("idempotency note of \(batch[position].idempotencyNote.count) bytes (at most \(Self.maximumNoteLength))")
                }
                if let seq = keysThisTransaction[ByteKey(bytes: key)] {
                    plan.append(.existing(seq))
                    continue
                }
                if let stored = try txn.get(idempotency, key) {
                    guard let seq = Self.idempotencySequenceNumber(stored) else { throw LogError(.corrupt, "idempotency index entry is shorter than 8 bytes") }
                    plan.append(.existing(seq))
                    continue
                }
                if let earlier = keysInBatch[ByteKey(bytes: key)] {
                    plan.append(.sameAs(earlier))
                    continue
                }
                keysInBatch[ByteKey(bytes: key)] = position
            }
            var uniqueSlot: Int32?
            if let entry = batch[position].uniqueIndexEntry {
                guard let ordinal = indexWriter.ordinal(entry.index) else { return refuse("unknown index '\(entry.index)'") }
                guard (1...PostingList.maximumKeyLength).contains(entry.key.count) else {
                    return refuse("key of \(entry.key.count) bytes for index '\(entry.index)' (1–\(PostingList.maximumKeyLength) allowed)")
                }
                let slot = try indexWriter.slot(ordinal, key: entry.key)
                switch indexWriter.claimUnique(slot: slot, position: position) {
                case .stored(let seq):
                    plan.append(.existing(seq))
                    continue
                case .claimed(let earlier):
                    plan.append(.sameAs(earlier))
                    continue
                case .new:
                    uniqueSlot = Int32(slot)
                }
            }
            guard batch[position].payload.count <= ChunkFormat.maximumPayload else {
                return refuse("payload of \(batch[position].payload.count) bytes (at most \(ChunkFormat.maximumPayload))")
            }
            if case .bytes(let personal) = batch[position].personal, personal.count > ChunkFormat.maximumPayload {
                return refuse("personal part of \(personal.count) bytes (at most \(ChunkFormat.maximumPayload))")
            }
            guard batch[position].time >= 0 else { return refuse("time \(batch[position].time) is before 1970") }
            if let time, batch[position].time < time {
                return refuse("time \(batch[position].time) ms goes back before the log's last record (\(time) ms)")
            }
            time = batch[position].time
            let firstSlot = Int32(entrySlots.count)
            if let uniqueSlot { entrySlots.append(uniqueSlot) }
            for entry in batch[position].indexEntries {
                guard let ordinal = indexWriter.ordinal(entry.index) else { return refuse("unknown index '\(entry.index)'") }
                guard (1...PostingList.maximumKeyLength).contains(entry.key.count) else {
                    return refuse("key of \(entry.key.count) bytes for index '\(entry.index)' (1–\(PostingList.maximumKeyLength) allowed)")
                }
                entrySlots.append(Int32(try indexWriter.slot(ordinal, key: entry.key)))
            }
            plan.append(.new(firstSlot..<Int32(entrySlots.count)))
        }
        return .success(plan)
    }

    /// The tail chunk to extend: the stored last chunk if it has room, else a new empty one.
    private func loadTail(_ txn: any Transaction, after headSeq: UInt64, _ writer: WriterState) throws(LogError) -> PendingChunk {
        let fresh = PendingChunk(firstSeq: headSeq + 1, isStored: false)
        guard headSeq > 0 else { return fresh }
        var body = ChunkBody()
        let key: UInt64? = try txn.withCursor(events) { cursor throws(LogError) in
            guard let last = try cursor.move(.last) else { return nil }
            guard let key = BigEndian.uint64(last.key) else { throw LogError(.corrupt, "a chunk key is not 8 bytes") }
            try decodeChunk(key: key, value: last.value, txn: txn, decompressor: writer.decompressor, buffer: &writer.buffer, body: &body)
            return key
        }
        guard let key else { throw LogError(.corrupt, "the head says \(headSeq) records but no chunk is stored", seq: 1) }
        guard key + UInt64(body.count) - 1 == headSeq else {
            throw LogError(.corrupt, "the last chunk ends at \(key + UInt64(body.count) - 1) but the head is \(headSeq)", seq: key)
        }
        guard body.count < ChunkFormat.recordsPerChunk else { return fresh }
        let bytes = writer.buffer[...]
        // The chunk's own seed, if its records use one: the salts of those already in it derive from it.
        var tail = PendingChunk(firstSeq: key, isStored: true, seed: body.seed.map { Array(bytes[$0]) } ?? fresh.seed)
        for record in 0..<body.count {
            tail.times.append(body.times[record])
            tail.tags.append(body.tags[record])
            tail.payloads.append(Array(body.payload(record, in: bytes)))
            tail.personal.append(body.stored(record, in: bytes))
        }
        return tail
    }
}

extension LogRecord {
    /// What a dictionary learns from: the payload and the personal part, as a chunk body holds them.
    var trainingSample: [UInt8] {
        guard case .bytes(let personal) = personal else { return payload }
        return payload + personal
    }
}

