import Foundation

/// Rewriting a log into a new file and swapping it in: how erased personal parts leave the disk,
/// not only the view. LMDB keeps freed pages in its file (an overwritten value's old bytes stay
/// until the page is reused), and the zstd dictionaries were trained on the records' own bytes; so
/// an erasure writes every chunk again into a fresh environment — the erased records' personal
/// parts replaced by their commitments, every chunk compressed with a dictionary trained anew on
/// what is left, the snapshots (state derived from the old bytes) left behind — and moves its
/// `data.mdb` over the old one in one `rename`. A crash before the rename leaves the old log whole;
/// after it, the new one. The chain, the indexes and every sequence number are copied as they were:
/// an erasure changes no hash, so a head printed before it still verifies.
extension EventLog {
    /// What a rewrite did.
    public struct RewriteOutcome: Sendable {
        /// Records whose personal part was erased now (those already erased are not counted).
        public var erased: Int
        /// The records appended after the rewrite, in the same swap.
        public var appended: AppendOutcome
    }

    /// The named databases in the order a writable open creates them: a reopened environment
    /// must open them in this order to give them the same handles.
    var databaseOrder: [(name: String, duplicateSorted: Bool)] {
        ["meta", "dicts", "events", "chain", "idem"].map { ($0, false) } + [("time", true), ("snap", false)]
            + indexOrder.map { ("ix:" + $0, false) }
    }

    /// Rewrites the whole log, erasing the personal parts of the records `erasing` (a record
    /// without one, or already erased, is left as it is), then appends `records` (the erasure's
    /// own event), and swaps the result in.
    ///
    /// Other threads of this process wait while the swap happens; another process that has the
    /// log open makes the rewrite fail with `.busy`, appending and erasing nothing.
    public func rewrite(erasing: Set<UInt64>, thenAppend records: [LogRecord]) throws(LogError) -> RewriteOutcome {
        guard !isReadOnly, !isLegacy else { throw LogError(.readOnly, "\(path) is open read-only") }
        writerLock.lock()
        defer { writerLock.unlock() }
        environment.removeStaleRewrites()
        let scratch = try environment.makeRewriteTarget()
        defer { environment.discardRewriteTarget(scratch) }

        var erased = 0
        var appended = AppendOutcome(sequenceNumbers: [], appended: 0)
        do {
            let target = try EventLog(path: scratch, readOnly: false, creating: true, metadata: [:], indexes: indexOrder,
                                      mapSize: environment.mapSize)
            let dictionary = try trainRewriteDictionary(erasing: erasing)
            erased = try copy(into: target, erasing: erasing, dictionary: dictionary)
            if !records.isEmpty { appended = try target.append(records) }
            try target.environment.sync()
        }
        let reopened = try environment.replaceContent(with: scratch, databases: databaseOrder)
        guard reopened.map(\.dbi) == databaseOrder.map({ name, _ in handle(name).dbi }) else {
            throw LogError(.storage, "\(path): the rewritten log opened with other database handles; open it again")
        }
        dictionaryCacheReset()
        writer = nil
        return RewriteOutcome(erased: erased, appended: appended)
    }

    /// The handle of the named database as this log opened it.
    private func handle(_ name: String) -> Database {
        switch name {
        case "meta": meta
        case "dicts": dictionaries
        case "events": events
        case "chain": chain
        case "idem": idempotency
        case "time": timeIndex
        case "snap": snapshots!
        default: indexes[String(name.dropFirst("ix:".count))]!
        }
    }

    /// Removes what rewrites killed before they finished left behind (a partial copy of the log
    /// as it would have been). The caller holds the writer lock, so none is running.
    public func removeStaleRewrites() {
        environment.removeStaleRewrites()
    }

    /// A dictionary trained on the newest records as they will be after the erasure (so no erased
    /// byte is in it); `nil` for a log too small to train one.
    private func trainRewriteDictionary(erasing: Set<UInt64>) throws(LogError) -> ZstdDictionary? {
        guard let head = try head(), head.seq >= Self.firstTrainingAt else { return nil }
        var samples: [[UInt8]] = []
        let decompressor = try ZstdDecompressor()
        var buffer: [UInt8] = []
        var body = ChunkBody()
        try environment.read { txn throws(LogError) in
            try txn.withCursor(events) { cursor throws(LogError) in
                var entry = try cursor.move(.last)
                while let current = entry, samples.count < Self.trainingSampleCount {
                    guard let key = BigEndian.uint64(current.key) else { throw LogError(.corrupt, "a chunk key is not 8 bytes") }
                    try decodeChunk(key: key, value: current.value, txn: txn, decompressor: decompressor, buffer: &buffer, body: &body)
                    let bytes = buffer[...]
                    for record in (0..<body.count).reversed() where samples.count < Self.trainingSampleCount {
                        let personal = erasing.contains(key + UInt64(record)) ? nil : body.personal(record, in: bytes)
                        samples.append(Array(body.payload(record, in: bytes)) + Array(personal ?? []))
                    }
                    entry = try cursor.move(.previous)
                }
            }
        }
        guard let bytes = ZstdDictionary.train(samples: samples, capacity: Self.dictionaryCapacity) else { return nil }
        return try ZstdDictionary(id: 1, bytes: bytes, level: ChunkCodec.level)
    }

    /// Copies everything but the snapshots into `target` in one transaction: the chunks re-encoded
    /// (with `erasing` erased) and compressed with `dictionary`, the rest byte for byte.
    /// - Returns: how many personal parts were erased.
    private func copy(into target: EventLog, erasing: Set<UInt64>, dictionary: ZstdDictionary?) throws(LogError) -> Int {
        let compressor = try ZstdCompressor(level: ChunkCodec.level)
        let decompressor = try ZstdDecompressor()
        var buffer: [UInt8] = []
        var body = ChunkBody()
        var erased = 0
        try environment.read { source throws(LogError) in
            try target.environment.write { destination throws(LogError) in
                erased = 0
                for (name, _) in databaseOrder where name != "snap" && name != "events" && name != "dicts" {
                    let from = handle(name), to = target.handle(name)
                    try source.withCursor(from) { cursor throws(LogError) in
                        var entry = try cursor.move(.first)
                        while let (key, value) = entry {
                            // The dictionary in use is the new one, trained for this copy.
                            if name != "meta" || !key.elementsEqual("dictionary".utf8) {
                                try destination.put(to, Array(key), Array(value))
                            }
                            entry = try cursor.move(.next)
                        }
                    }
                }
                if let dictionary {
                    try destination.put(target.dictionaries, BigEndian.bytes(dictionary.id), dictionary.bytes)
                    try destination.put(target.meta, Array("dictionary".utf8), BigEndian.bytes(dictionary.id) + BigEndian.bytes(UInt64(0)))
                } else {
                    try destination.delete(target.meta, Array("dictionary".utf8))
                }
                try source.withCursor(events) { cursor throws(LogError) in
                    var entry = try cursor.move(.first)
                    while let current = entry {
                        guard let key = BigEndian.uint64(current.key) else { throw LogError(.corrupt, "a chunk key is not 8 bytes") }
                        try decodeChunk(key: key, value: current.value, txn: source, decompressor: decompressor, buffer: &buffer, body: &body)
                        var chunk = PendingChunk(firstSeq: key, isStored: true, seed: body.seed.map { Array(buffer[$0]) } ?? [])
                        let bytes = buffer[...]
                        var erasesHere = false
                        for record in 0..<body.count {
                            chunk.times.append(body.times[record])
                            chunk.tags.append(body.tags[record])
                            chunk.payloads.append(Array(body.payload(record, in: bytes)))
                            chunk.personal.append(body.stored(record, in: bytes))
                            if erasing.contains(key + UInt64(record)), body.personal(record, in: bytes) != nil { erasesHere = true }
                        }
                        if erasesHere {
                            // The seed would give back the erased records' salts: the others get
                            // theirs written out, and the seed goes.
                            for record in 0..<chunk.count {
                                let seq = key + UInt64(record)
                                if erasing.contains(seq), let commitment = chunk.commitment(record), body.personal(record, in: bytes) != nil {
                                    chunk.personal[record] = .erased(commitment: commitment)
                                    erased += 1
                                } else if case .seeded(let personal) = chunk.personal[record] {
                                    chunk.personal[record] = .salted(salt: Commitment.salt(seed: chunk.seed, seq: seq), bytes: personal)
                                }
                            }
                        }
                        let encoded = chunk.body()
                        var value = ChunkFormat.header(bodyLength: encoded.count, dictionary: dictionary)
                        try compressor.compress(encoded, dictionary: dictionary, appendingTo: &value)
                        try destination.put(target.events, BigEndian.bytes(key), value, append: true)
                        entry = try cursor.move(.next)
                    }
                }
            }
        }
        return erased
    }
}

extension EventLog {
    /// What an upgrade did: the format-1 head it started from and the format-2 head it left.
    public struct UpgradeOutcome: Sendable {
        public var events: UInt64
        public var previousHead: LogHead?
        public var head: LogHead?
    }

    /// Upgrades the format-1 log in `path` (§11 of the format): checks its chain, writes every
    /// record again through `transform` (the layer above splits each event's personal fields off)
    /// into a fresh environment — so a new chain, with new salts — keeping sequence numbers, times,
    /// idempotency keys and the `app:` metadata (`metadata` overrides some), then appends
    /// `closing(previousHead)` (the upgrade's own event, recording the old head) and swaps the new
    /// environment in. The caller holds the writer lock.
    ///
    /// - Throws: `.notALog` for a log that is not of format 1, `.corrupt` naming the seq when its
    ///   chain or a record fails (nothing is changed then), `.busy` when another process has it open.
    public static func upgrade(
        at path: String,
        indexes: [String],
        expectedHead: LogHead?,
        metadata: [String: [UInt8]],
        transform: (StoredRecord) throws(LogError) -> LogRecord,
        closing: (LogHead?, _ lastTime: Int64?) throws(LogError) -> LogRecord?
    ) throws(LogError) -> UpgradeOutcome {
        let legacy = try EventLog(path: path, readOnly: false, creating: false, metadata: [:], indexes: indexes, allowLegacy: true)
        guard legacy.isLegacy else {
            throw LogError(.notALog, "\(path) is already of format '\(formatName)': nothing to upgrade")
        }
        let report = try legacy.verify(expectedHead: expectedHead, checkingIndexes: false) { record in
            do throws(LogError) {
                _ = try transform(StoredRecord(record))
                return RecordExpectation()
            } catch {
                return RecordExpectation(problem: error.message)
            }
        }
        if let failure = report.failure {
            throw LogError(.corrupt, "\(path) fails verification at seq \(failure.seq) (\(failure.reason)); it was not upgraded", seq: failure.seq)
        }
        legacy.removeStaleRewrites()
        let scratch = try legacy.environment.makeRewriteTarget()
        defer { legacy.environment.discardRewriteTarget(scratch) }
        let previous = try legacy.head()
        let lastTime = try legacy.lastRecordTime()
        var head: LogHead?
        do {
            let target = try EventLog(path: scratch, readOnly: false, creating: true, metadata: [:], indexes: indexes,
                                      mapSize: legacy.environment.mapSize)
            // The log's identity and the layer above's metadata, with `metadata` over them.
            try legacy.environment.read { source throws(LogError) in
                try target.environment.write { destination throws(LogError) in
                    try source.withCursor(legacy.meta) { cursor throws(LogError) in
                        var entry = try cursor.move(.first)
                        while let (key, value) = entry {
                            let name = String(decoding: key, as: UTF8.self)
                            if name == "logId" || name.hasPrefix("app:") { try destination.put(target.meta, Array(key), Array(value)) }
                            entry = try cursor.move(.next)
                        }
                    }
                    for (key, value) in metadata { try destination.put(target.meta, Array(("app:" + key).utf8), value) }
                    try source.withCursor(legacy.idempotency) { cursor throws(LogError) in
                        var entry = try cursor.move(.first)
                        while let (key, value) = entry {
                            try destination.put(target.idempotency, Array(key), Array(value))
                            entry = try cursor.move(.next)
                        }
                    }
                }
            }
            var batch: [LogRecord] = []
            var failure: LogError?
            do {
                try legacy.scan { view in
                    do throws(LogError) {
                        var record = try transform(StoredRecord(view))
                        // Every record of the old log is kept, even a second one of a post the
                        // log already had: its unique key is indexed, not used to skip it.
                        if let unique = record.uniqueIndexEntry {
                            record.indexEntries.insert(unique, at: 0)
                            record.uniqueIndexEntry = nil
                        }
                        batch.append(record)
                        if batch.count == 10_000 {
                            try target.append(batch)
                            batch.removeAll(keepingCapacity: true)
                        }
                    } catch {
                        failure = error
                        return false
                    }
                    return true
                }
            } catch let error as LogError {
                throw error
            } catch {
                throw LogError(.storage, "\(error)")
            }
            if let failure { throw failure }
            if !batch.isEmpty { try target.append(batch) }
            if let last = try closing(previous, lastTime) { try target.append([last]) }
            head = try target.head()
            try target.environment.sync()
        }
        let count = head?.seq ?? 0
        _ = try legacy.environment.replaceContent(with: scratch, databases: legacy.databaseOrder)
        return UpgradeOutcome(events: count, previousHead: previous, head: head)
    }
}
