/// Dictionary policy: train on the log's own records once there are enough, and train again when
/// the text has drifted far enough that the current dictionary no longer fits (a new hashtag, a new
/// day's topics). Old dictionaries stay: every chunk names the one it was written with.
extension EventLog {
    /// Records before the first training (dictionary compression pays off only once it has samples).
    static let firstTrainingAt: UInt64 = 2048
    /// How many recent payloads a dictionary is trained on.
    static let trainingSampleCount = 8192
    /// 64 KiB: on chunks of short posts this beat 16 KiB by a few bytes per event (`smcc bench`).
    static let dictionaryCapacity = 64 * 1024
    /// How often (in records) the drift of the compression ratio is checked.
    static let driftCheckInterval: UInt64 = 8192
    /// Retrain when recent chunks compress this much worse than right after training.
    static let driftTolerance = 1.2

    private var dictionaryStateKey: [UInt8] { Array("dictionary".utf8) }

    /// Returns the dictionary new chunks of this transaction use, training one first when due
    /// (`isNew`). A dictionary trained here is stored in the transaction; the caller caches it only
    /// after the transaction commits, so no reader can see an id that was rolled back.
    ///
    /// - Parameter recentPayloads: the payloads this transaction appends (seqs `headBefore + 1` on).
    func maintainDictionary(
        _ txn: any Transaction,
        headBefore: UInt64,
        headAfter: UInt64,
        recentPayloads: some Collection<[UInt8]>,
        _ writer: WriterState
    ) throws(LogError) -> (dictionary: ZstdDictionary?, isNew: Bool) {
        let (current, currentId, upkeep) = try dictionaryUpkeep(txn, headBefore: headBefore, headAfter: headAfter)
        switch upkeep {
        case .none:
            return (current, false)
        case .recordBaseline(let id, let ratio):
            try recordDictionaryBaseline(txn, id: id, ratio: ratio)
            return (current, false)
        case .train:
            break
        }
        let samples = try samples(txn, appended: recentPayloads, firstAppendedSeq: headBefore + 1, writer)
        guard let bytes = ZstdDictionary.train(samples: samples, capacity: Self.dictionaryCapacity) else { return (current, false) }
        let id = (currentId ?? 0) + 1
        try txn.put(dictionaries, BigEndian.bytes(id), bytes)
        try txn.put(meta, dictionaryStateKey, BigEndian.bytes(id) + BigEndian.bytes(UInt64(0)))
        return (try ZstdDictionary(id: id, bytes: bytes, level: ChunkCodec.level), true)
    }

    /// The dictionary an append of the records `headBefore + 1 ... headAfter` compresses with when
    /// the append has nothing to write about dictionaries (no training, no baseline): what
    /// ``maintainDictionary(_:headBefore:headAfter:recentPayloads:_:)`` would return, found without
    /// writing. `nil` when that call would write.
    func dictionaryWithoutUpkeep(_ txn: any Transaction, headBefore: UInt64, headAfter: UInt64) throws(LogError) -> ZstdDictionary?? {
        let (current, _, upkeep) = try dictionaryUpkeep(txn, headBefore: headBefore, headAfter: headAfter)
        guard case .none = upkeep else { return nil }
        return .some(current)
    }

    private enum DictionaryUpkeep {
        case none
        case recordBaseline(id: UInt32, ratio: Double)
        case train
    }

    /// The current dictionary, and what an append of `headBefore + 1 ... headAfter` must do about it.
    /// Reads only: deciding before writing lets an append seal its chunks before it plans its batch.
    private func dictionaryUpkeep(_ txn: any Transaction, headBefore: UInt64, headAfter: UInt64) throws(LogError) -> (current: ZstdDictionary?, currentId: UInt32?, upkeep: DictionaryUpkeep) {
        let state = try txn.get(meta, dictionaryStateKey)
        let currentId = state.flatMap { BigEndian.uint32($0.prefix(4)) }
        let current = try currentId.map { id throws(LogError) in try dictionary(id, txn) }
        var upkeep = DictionaryUpkeep.none
        if current == nil {
            if headAfter >= Self.firstTrainingAt && headAfter / Self.firstTrainingAt > headBefore / Self.firstTrainingAt { upkeep = .train }
        } else if let currentId, headAfter / Self.driftCheckInterval > headBefore / Self.driftCheckInterval,
                  let ratio = try recentCompressionRatio(txn, dictionaryId: currentId) {
            let baseline = state.flatMap { BigEndian.uint64($0.dropFirst(4)) }.map { Double(bitPattern: $0) } ?? 0
            if baseline == 0 {
                upkeep = .recordBaseline(id: currentId, ratio: ratio)
            } else if ratio > baseline * Self.driftTolerance {
                upkeep = .train
            }
        }
        return (current, currentId, upkeep)
    }

    /// Remembers how well the dictionary `id` compressed right after training: drift is measured
    /// against it. Set by the transaction that trained it when that one sealed enough chunks, else by
    /// the next drift check.
    func recordDictionaryBaseline(_ txn: any Transaction, id: UInt32, ratio: Double) throws(LogError) {
        try txn.put(meta, dictionaryStateKey, BigEndian.bytes(id) + BigEndian.bytes(ratio.bitPattern))
    }

    /// Compressed bytes per body byte over the last chunks written with `dictionaryId`, `nil` when too
    /// few chunks use it yet to say.
    private func recentCompressionRatio(_ txn: any Transaction, dictionaryId: UInt32) throws(LogError) -> Double? {
        try txn.withCursor(events) { cursor throws(LogError) in
            var compressed = 0
            var body = 0
            var chunks = 0
            var entry = try cursor.move(.last)
            var examined = 0
            while let current = entry, examined < 256 {
                examined += 1
                if case .success(let header) = ChunkHeader.parse(current.value), header.dictionaryId == dictionaryId {
                    compressed += current.value.count - header.frameOffset
                    body += header.bodyLength
                    chunks += 1
                }
                entry = try cursor.move(.previous)
            }
            guard chunks >= 64, body > 0 else { return nil }
            return Double(compressed) / Double(body)
        }
    }

    /// The most recent payloads, newest first: those this transaction appends, then stored ones.
    private func samples(
        _ txn: any Transaction,
        appended: some Collection<[UInt8]>,
        firstAppendedSeq oldest: UInt64,
        _ writer: WriterState
    ) throws(LogError) -> [[UInt8]] {
        var samples = Array(appended.suffix(Self.trainingSampleCount).reversed())
        guard samples.count < Self.trainingSampleCount, oldest > 1 else { return samples }
        var body = ChunkBody()
        try txn.withCursor(events) { cursor throws(LogError) in
            guard var entry = try cursor.moveAtOrBefore(BigEndian.bytes(oldest - 1)) else { return }
            while samples.count < Self.trainingSampleCount {
                guard let key = BigEndian.uint64(entry.key) else { break }
                try decodeChunk(key: key, value: entry.value, txn: txn, decompressor: writer.decompressor, buffer: &writer.buffer, body: &body)
                let bytes = writer.buffer[...]
                for record in (0..<body.count).reversed() where samples.count < Self.trainingSampleCount {
                    samples.append(Array(body.payload(record, in: bytes)) + Array(body.personal(record, in: bytes) ?? []))
                }
                guard let previous = try cursor.move(.previous) else { break }
                entry = previous
            }
        }
        return samples
    }
}
