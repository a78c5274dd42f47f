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

/// Sizes and figures of a log, for `smcc info`.
public struct LogInfo: Sendable {
    /// Bytes and entries of one named database.
    public struct DatabaseUsage: Sendable {
        public var name: String
        public var entries: Int
        public var bytes: Int
    }

    public var logId: String
    public var events: UInt64
    public var chunks: Int
    public var firstTime: Int64?
    public var lastTime: Int64?
    public var head: LogHead?
    /// Size of `data.mdb` (with LMDB's free pages).
    public var bytesOnDisk: Int
    public var mapSize: Int
    public var databases: [DatabaseUsage]
    public var dictionaryIds: [UInt32]
}

extension EventLog {
    /// Figures of the log; reads the first chunk, the head and LMDB's statistics (no full scan).
    public func info() throws(LogError) -> LogInfo {
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0
        let named: [(String, Database)] = [("events", events), ("time", timeIndex), ("idem", idempotency), ("chain", chain), ("dicts", dictionaries), ("meta", meta)]
            + indexes.keys.sorted().map { ("ix:" + $0, indexes[$0]!) } + (snapshots.map { [("snap", $0)] } ?? [])
        let (head, databases, dictionaryIds, logId) = try environment.read { txn throws(LogError) in
            let head = try readHead(txn)
            let usage = try named.map { name, db throws(LogError) in
                let stats = try txn.statistics(db)
                return LogInfo.DatabaseUsage(name: name, entries: stats.entries, bytes: stats.bytes)
            }
            let ids: [UInt32] = try txn.withCursor(dictionaries) { cursor throws(LogError) in
                var ids: [UInt32] = []
                var entry = try cursor.move(.first)
                while let current = entry {
                    if let id = BigEndian.uint32(current.key) { ids.append(id) }
                    entry = try cursor.move(.next)
                }
                return ids
            }
            let logId = try txn.get(meta, Array("logId".utf8)) ?? []
            return (head, usage, ids, LogHead(seq: 1, hash: logId).hashHex)
        }
        var firstTime: Int64?
        if head != nil {
            try scanChunk(startingAt: 1) { seq, time in
                if seq == 1 { firstTime = time }
            }
        }
        return LogInfo(
            logId: logId,
            events: head?.seq ?? 0,
            chunks: databases.first { $0.name == "events" }?.entries ?? 0,
            firstTime: firstTime,
            lastTime: head?.time,
            head: head.map { LogHead(seq: $0.seq, hash: $0.hash) },
            bytesOnDisk: fileSize,
            mapSize: environment.mapSize,
            databases: databases,
            dictionaryIds: dictionaryIds
        )
    }

    /// Recomputes the hash chain over every record and checks it against each record's tag, the
    /// stored checkpoints and head, and `expectedHead` when given (a head printed earlier: the log
    /// must still hold that record with that hash, so a log cut short is caught).
    ///
    /// - Parameter payloadCheck: called with each record; returns why the payload is invalid, or
    ///   `nil` (the layer above checks that each payload decodes).
    /// - Returns: a report naming the first bad sequence number, if any. Throws only when the log
    ///   cannot be opened for reading at all.
    public func verify(expectedHead: LogHead? = nil, payloadCheck: (RecordView) -> String? = { _ in nil }) throws(LogError) -> VerificationReport {
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
            func report(_ failingSeq: UInt64, _ reason: String) -> VerificationReport {
                VerificationReport(events: seq, head: seq == 0 ? nil : LogHead(seq: seq, hash: hash), failure: (failingSeq, reason))
            }
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
                        HashChain.advance(&next, seq: recordSeq, time: time, payload: payload, scratch: &scratch)
                        if next[0] != layout.tags[record] {
                            return report(recordSeq, "the hash chain breaks here: the record was altered, moved or replaced")
                        }
                        if let problem = payloadCheck(RecordView(seq: recordSeq, time: time, payload: payload)) {
                            return report(recordSeq, problem)
                        }
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
            return VerificationReport(events: seq, head: seq == 0 ? nil : LogHead(seq: seq, hash: hash), failure: nil)
        }
    }
}
