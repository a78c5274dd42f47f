import Foundation

/// What `verify` found.
public struct VerificationReport: Sendable {
    /// Records checked.
    public var events: UInt64
    /// The head recomputed from the records (`nil` for an empty log).
    public var head: LogHead?
    /// The first problem, if any: the first bad sequence number and why.
    public var failure: (seq: UInt64, reason: String)?

    public var isValid: Bool { failure == nil }
}

extension EventLog {
    /// Recomputes the hash chain over every record and checks it against each record's tag, the
    /// stored checkpoints and head, and `expectedHead` when given (a head printed earlier: the log
    /// must still hold that record with that hash, so a log cut short is caught).
    ///
    /// - Parameter payloadCheck: called with each record; returns why the payload is invalid, or
    ///   `nil` (the layer above checks that each payload decodes).
    /// - Returns: a report naming the first bad sequence number, if any. Throws only when the log
    ///   cannot be opened for reading at all.
    public func verify(expectedHead: LogHead? = nil, payloadCheck: (RecordView) -> String? = { _ in nil }) throws(LogError) -> VerificationReport {
        try verify(expectedHead: expectedHead, checkingIndexes: false) { record in RecordExpectation(problem: payloadCheck(record)) }
    }

    /// What the layer above says of one record during ``verify(expectedHead:checkingIndexes:check:)``:
    /// why its payload is invalid (or `nil`), and the index entries it must have.
    public struct RecordExpectation {
        public var problem: String?
        public var indexEntries: [IndexEntry]

        public init(problem: String? = nil, indexEntries: [IndexEntry] = []) {
            self.problem = problem
            self.indexEntries = indexEntries
        }
    }

    /// Recomputes the hash chain as ``verify(expectedHead:payloadCheck:)`` does and, with
    /// `checkingIndexes`, then checks that everything derived from the records is exactly what the
    /// records make: each named index holds the entries `check` gives and nothing else, the time
    /// index one entry per chunk, the chain database one checkpoint per 1,024 records, the
    /// idempotency keys sequence numbers the log has. Answers read from the indexes (audit,
    /// `--at`, deduplication) are then as trustworthy as the chain.
    ///
    /// Cost: the expected entries are held in memory (about 8 bytes per entry plus each key), and
    /// every index block is read once.
    public func verify(expectedHead: LogHead? = nil, checkingIndexes: Bool, check: (RecordView) -> RecordExpectation) throws(LogError) -> VerificationReport {
        let decompressor = try ZstdDecompressor()
        var buffer: [UInt8] = []
        var layout = ChunkBody()
        return try environment.read { txn throws(LogError) in
            let storedHead = try readHead(txn)
            var hash = HashChain.genesis
            var next = HashChain.genesis
            var scratch: [UInt8] = []
            var seq: UInt64 = 0
            var lastTime: Int64 = 0
            var hashAtExpected: [UInt8]?
            var derived = DerivedData(indexNames: checkingIndexes ? Array(indexes.keys) : [])
            func report(_ failingSeq: UInt64, _ reason: String) -> VerificationReport {
                VerificationReport(events: seq, head: seq == 0 ? nil : LogHead(seq: seq, hash: hash), failure: (failingSeq, reason))
            }
            let timeCursor = try txn.openCursor(timeIndex)
            defer { timeCursor.close() }
            let chunkFailure: VerificationReport? = try txn.withCursor(events) { cursor throws(LogError) in
                var entry = try cursor.move(.first)
                var previousChunkCount = ChunkFormat.recordsPerChunk
                while let current = entry {
                    guard let key = BigEndian.uint64(current.key) else { return report(seq + 1, "a chunk key is not 8 bytes") }
                    if key != seq + 1 {
                        return key > seq + 1
                            ? report(seq + 1, "record \(seq + 1) is missing (the next stored record is \(key))")
                            : report(key, "record \(key) is stored twice (overlapping chunks)")
                    }
                    if previousChunkCount != ChunkFormat.recordsPerChunk {
                        return report(key, "the chunk before record \(key) holds \(previousChunkCount) records, not \(ChunkFormat.recordsPerChunk)")
                    }
                    do throws(LogError) {
                        try decodeChunk(key: key, value: current.value, txn: txn, decompressor: decompressor, buffer: &buffer, body: &layout)
                    } catch {
                        return report(key, error.message)
                    }
                    let bytes = buffer[...]
                    for record in 0..<layout.count {
                        let recordSeq = key + UInt64(record)
                        let time = layout.times[record]
                        if time < lastTime { return report(recordSeq, "time goes backwards") }
                        let payload = layout.payload(record, in: bytes)
                        // Into a second buffer, swapped in once the record checks out: the report
                        // of a failure names the chain as it was at the last good record.
                        next.replaceSubrange(0..<32, with: hash)
                        if isLegacy {
                            HashChain.advanceLegacy(&next, seq: recordSeq, time: time, payload: payload, scratch: &scratch)
                        } else {
                            let commitment = layout.commitment(record, firstSeq: key, in: bytes)
                            HashChain.advance(&next, seq: recordSeq, time: time, commitment: commitment?[...], payload: payload, scratch: &scratch)
                        }
                        if next[0] != layout.tags[record] {
                            return report(recordSeq, "the hash chain breaks here: the record was altered, moved or replaced")
                        }
                        // Checked here, not with the other derived data after the chain, so that the
                        // smallest seq where anything differs is named (log-format.md §1) whatever
                        // the 1-byte tag does: a chunk moved under another key has its own time.
                        if checkingIndexes, record == 0, try !Self.timeIndex(timeCursor, has: time, for: key) {
                            return report(recordSeq, "the time index has no entry for this chunk (the time of its first record → \(key))")
                        }
                        let expectation = check(layout.view(record, seq: recordSeq, in: bytes))
                        if let problem = expectation.problem {
                            return report(recordSeq, problem)
                        }
                        if checkingIndexes { derived.add(expectation.indexEntries, seq: recordSeq) }
                        swap(&hash, &next)
                        seq = recordSeq
                        lastTime = time
                        if seq % HashChain.checkpointInterval == 0 {
                            let stored = try txn.get(chain, BigEndian.bytes(seq))
                            if stored != hash {
                                let from = seq - HashChain.checkpointInterval + 1
                                return report(seq, stored == nil
                                    ? "the chain checkpoint at \(seq) is missing"
                                    : "the chain checkpoint at \(seq) does not match: a record in \(from)…\(seq) was altered")
                            }
                        }
                        if seq == expectedHead?.seq { hashAtExpected = hash }
                    }
                    if checkingIndexes { derived.chunks.append((time: layout.times[0], seq: key)) }
                    previousChunkCount = layout.count
                    entry = try cursor.move(.next)
                }
                return nil
            }
            if let chunkFailure { return chunkFailure }
            let headSeq = storedHead?.seq ?? 0
            if headSeq > seq { return report(seq + 1, "records \(seq + 1)…\(headSeq) are missing (the head says \(headSeq))") }
            if headSeq < seq { return report(headSeq + 1, "the stored head says \(headSeq) but records go on to \(seq)") }
            if let storedHead, storedHead.hash != hash || storedHead.time != lastTime {
                return report(seq, "the stored head does not match the chain")
            }
            if let expectedHead {
                if expectedHead.seq > seq {
                    return report(seq + 1, "the log ends at \(seq) but the head checked was at \(expectedHead.seq): records \(seq + 1)…\(expectedHead.seq) are missing")
                }
                if hashAtExpected != expectedHead.hash {
                    return report(expectedHead.seq, "the chain hash at \(expectedHead.seq) is not the one given: the log was altered at or before it")
                }
            }
            if checkingIndexes, let failure = try verifyDerived(derived, head: seq, txn) {
                return report(failure.seq, failure.reason)
            }
            return VerificationReport(events: seq, head: seq == 0 ? nil : LogHead(seq: seq, hash: hash), failure: nil)
        }
    }
}

extension EventLog {
    /// Whether the time index holds `time → seq` (one of the duplicates of `time`).
    static func timeIndex(_ cursor: any Cursor, has time: Int64, for seq: UInt64) throws(LogError) -> Bool {
        let wanted = BigEndian.bytes(seq)
        var entry = try cursor.move(.exactly(BigEndian.bytes(UInt64(bitPattern: time))))
        while let current = entry {
            if current.value.elementsEqual(wanted) { return true }
            entry = try cursor.move(.nextDuplicate)
        }
        return false
    }
}
