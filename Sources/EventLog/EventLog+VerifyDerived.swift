/// The derived half of `verify`: the indexes, the time index, the checkpoints and the idempotency
/// keys are not covered by the hash chain, yet audit, `--at` and deduplication answer from them.
/// They are checked by rebuilding what the records make and comparing, entry by entry.

/// What the records make, gathered during the chain scan.
struct DerivedData {
    /// Per named index, per key, the sequence numbers in order.
    var expected: [String: [ByteKey: [UInt64]]]
    /// Each chunk's first time and first seq, in order: the time index's entries.
    var chunks: [(time: Int64, seq: UInt64)] = []

    init(indexNames: [String]) {
        expected = Dictionary(uniqueKeysWithValues: indexNames.map { ($0, [:]) })
    }

    mutating func add(_ entries: [IndexEntry], seq: UInt64) {
        for entry in entries {
            // An entry for an index the log was not opened with is the caller's to refuse; here
            // only the indexes being checked count.
            guard expected[entry.index] != nil else { continue }
            expected[entry.index]![ByteKey(bytes: entry.key), default: []].append(seq)
        }
    }
}

/// The first difference found between what is stored and what the records make.
struct DerivedFailure {
    var seq: UInt64
    var reason: String

    static func earliest(_ a: DerivedFailure?, _ b: DerivedFailure?) -> DerivedFailure? {
        guard let a else { return b }
        guard let b else { return a }
        return b.seq < a.seq ? b : a
    }
}

extension EventLog {
    func verifyDerived(_ derived: DerivedData, head: UInt64, _ txn: any Transaction) throws(LogError) -> DerivedFailure? {
        var failure: DerivedFailure?
        for name in derived.expected.keys.sorted() {
            guard let database = indexes[name] else { continue }
            failure = DerivedFailure.earliest(failure, try verifyIndex(name, database, derived.expected[name]!, txn))
        }
        failure = DerivedFailure.earliest(failure, try verifyTimeIndex(derived.chunks, txn))
        failure = DerivedFailure.earliest(failure, try verifyCheckpointsAndKeys(head: head, txn))
        return failure
    }

    /// Every block of `ix:NAME` in key order against the lists the records make.
    private func verifyIndex(_ name: String, _ database: Database, _ expected: [ByteKey: [UInt64]], _ txn: any Transaction) throws(LogError) -> DerivedFailure? {
        try txn.withCursor(database) { cursor throws(LogError) -> DerivedFailure? in
            var failure: DerivedFailure?
            func fail(_ seq: UInt64, _ reason: String) {
                failure = DerivedFailure.earliest(failure, DerivedFailure(seq: seq, reason: "index \(name): \(reason)"))
            }
            var seen = Set<ByteKey>()
            var current: (key: ByteKey, list: [UInt64], position: Int, lastBlockFull: Bool)?
            func finishKey() {
                guard let done = current, done.position < done.list.count else { return }
                fail(done.list[done.position], "seq \(done.list[done.position]) is missing under key \(Self.describe(done.key.bytes))")
            }
            var entry = try cursor.move(.first)
            while let (storedKey, value) = entry {
                guard storedKey.count >= 10, Int(storedKey[0]) == storedKey.count - 9,
                      let first = BigEndian.uint64(storedKey.suffix(8)) else {
                    fail(1, "an entry's key is not length ‖ key ‖ first seq")
                    entry = try cursor.move(.next)
                    continue
                }
                let key = ByteKey(bytes: Array(storedKey[1..<(storedKey.count - 8)]))
                let block: [UInt64]
                do throws(LogError) { block = try PostingList.decode(firstSeq: first, value) } catch {
                    fail(first, "the block of key \(Self.describe(key.bytes)) at \(first) is damaged")
                    entry = try cursor.move(.next)
                    continue
                }
                if current?.key != key {
                    finishKey()
                    seen.insert(key)
                    guard let list = expected[key] else {
                        fail(first, "lists seq \(first) under key \(Self.describe(key.bytes)), which no record carries")
                        current = nil
                        entry = try cursor.move(.next)
                        continue
                    }
                    current = (key, list, 0, true)
                }
                guard var state = current else {
                    entry = try cursor.move(.next)
                    continue
                }
                if !state.lastBlockFull {
                    fail(first, "the block before seq \(first) of key \(Self.describe(key.bytes)) is not full")
                }
                for seq in block {
                    guard state.position < state.list.count, state.list[state.position] == seq else {
                        let wanted = state.position < state.list.count ? state.list[state.position] : seq
                        fail(min(seq, wanted), "lists seq \(seq) under key \(Self.describe(key.bytes)) where the records put \(state.position < state.list.count ? "seq \(wanted)" : "nothing")")
                        break
                    }
                    state.position += 1
                }
                state.lastBlockFull = block.count == PostingList.entriesPerBlock
                current = state
                entry = try cursor.move(.next)
            }
            finishKey()
            for (key, list) in expected where !seen.contains(key) {
                fail(list[0], "key \(Self.describe(key.bytes)) is missing (its records begin at seq \(list[0]))")
            }
            return failure
        }
    }

    /// The time index: exactly one entry per chunk, its first record's time → its first seq.
    private func verifyTimeIndex(_ chunks: [(time: Int64, seq: UInt64)], _ txn: any Transaction) throws(LogError) -> DerivedFailure? {
        try txn.withCursor(timeIndex) { cursor throws(LogError) -> DerivedFailure? in
            var position = 0
            var entry = try cursor.move(.first)
            while let (key, value) = entry {
                guard position < chunks.count else {
                    let seq = BigEndian.uint64(value) ?? 1
                    return DerivedFailure(seq: seq, reason: "the time index has an entry for seq \(seq) beyond the last chunk")
                }
                let wanted = chunks[position]
                guard BigEndian.uint64(key) == UInt64(bitPattern: wanted.time), BigEndian.uint64(value) == wanted.seq else {
                    return DerivedFailure(seq: wanted.seq, reason: "the time index does not match the chunk starting at seq \(wanted.seq): `--at` would answer from the wrong place")
                }
                position += 1
                entry = try cursor.move(.next)
            }
            guard position == chunks.count else {
                return DerivedFailure(seq: chunks[position].seq, reason: "the time index has no entry for the chunk starting at seq \(chunks[position].seq)")
            }
            return nil
        }
    }

    /// Checkpoints only at multiples of 1,024 up to the head (their values the chain scan
    /// checked), and idempotency keys naming sequence numbers the log has.
    private func verifyCheckpointsAndKeys(head: UInt64, _ txn: any Transaction) throws(LogError) -> DerivedFailure? {
        if try txn.statistics(chain).entries != Int(head / HashChain.checkpointInterval) {
            return DerivedFailure(seq: head, reason: "the chain database holds checkpoints beyond the head or between checkpoints")
        }
        return try txn.withCursor(idempotency) { cursor throws(LogError) -> DerivedFailure? in
            var entry = try cursor.move(.first)
            while let (key, value) = entry {
                // BE64(seq), then the writer's note (§9).
                guard value.count >= 8, let seq = BigEndian.uint64(value.prefix(8)), seq >= 1, seq <= head else {
                    return DerivedFailure(seq: head, reason: "idempotency key \(Self.describe(Array(key))) names no record of the log")
                }
                entry = try cursor.move(.next)
            }
            return nil
        }
    }

    /// A key as text when it is printable ASCII, else as hex.
    static func describe(_ key: [UInt8]) -> String {
        if !key.isEmpty, key.allSatisfy({ (0x21...0x7E).contains($0) }) { return "'\(String(decoding: key, as: UTF8.self))'" }
        let digits = Array("0123456789abcdef".utf8)
        return "0x" + String(decoding: key.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }
}
