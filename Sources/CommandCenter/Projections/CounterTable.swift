/// Rows of four counters keyed by a value (a minute, an account), in the order the keys were first
/// seen, with the seq of each row's last change: what the conversation counts, and what its
/// snapshot delta writes again (the rows added since the previous snapshot, and the rows changed).
struct CounterTable<Key: Hashable & Sendable>: Sendable {
    static var width: Int { 4 }

    private(set) var keys: [Key] = []
    private var positions: [Key: Int32] = [:]
    private var counts: [Int32] = []
    /// The seq of each row's last change (0: none since the state was loaded from a snapshot).
    private var changed: [UInt64] = []

    var count: Int { keys.count }

    /// The row of `key`, if it has one.
    func row(of key: Key) -> Int32? { positions[key] }

    /// The row of `key`, added (all counters 0) on first sight.
    mutating func row(_ key: Key, seq: UInt64) -> Int32 {
        if let known = positions[key] { return known }
        let row = Int32(keys.count)
        positions[key] = row
        keys.append(key)
        counts.append(contentsOf: repeatElement(0, count: Self.width))
        changed.append(seq)
        return row
    }

    /// Adds `n` to counter `counter` of `row`, at `seq`.
    mutating func add(_ n: Int32 = 1, row: Int32, counter: Int, seq: UInt64) {
        counts[Int(row) * Self.width + counter] += n
        changed[Int(row)] = seq
    }

    /// Counter `counter` of `row`.
    subscript(row: Int, counter: Int) -> Int32 { counts[row * Self.width + counter] }

    /// The rows added after the first `rows`, then the earlier rows changed after `seq`: each
    /// key written by `key`, then its counters.
    func writeSnapshotDelta(since rows: Int, seq: UInt64, into writer: inout SnapshotWriter, key: (Key, inout SnapshotWriter) -> Void) {
        writer.count(keys.count - rows)
        for row in rows..<keys.count {
            key(keys[row], &writer)
            writeCounters(row, into: &writer)
        }
        let changedRows = (0..<rows).filter { changed[$0] > seq }
        writer.count(changedRows.count)
        for row in changedRows {
            writer.int(row)
            writeCounters(row, into: &writer)
        }
    }

    private func writeCounters(_ row: Int, into writer: inout SnapshotWriter) {
        for k in 0..<Self.width { writer.int(Int(counts[row * Self.width + k])) }
    }

    /// Applies what ``writeSnapshotDelta(since:seq:into:key:)`` wrote, keys read by `key`.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader, key: (inout SnapshotReader) throws(SnapshotReader.Damaged) -> Key) throws(SnapshotReader.Damaged) {
        for _ in 0..<(try reader.count()) {
            let row = self.row(try key(&reader), seq: 0)
            for k in 0..<Self.width { counts[Int(row) * Self.width + k] = Int32(truncatingIfNeeded: try reader.int()) }
        }
        for _ in 0..<(try reader.count()) {
            let row = try reader.int()
            guard row < keys.count else { throw SnapshotReader.Damaged(offset: -1) }
            for k in 0..<Self.width { counts[row * Self.width + k] = Int32(truncatingIfNeeded: try reader.int()) }
        }
    }
}

extension CounterTable: Equatable {
    /// The same keys in the same order with the same counts (when each changed is bookkeeping).
    static func == (lhs: CounterTable, rhs: CounterTable) -> Bool { lhs.keys == rhs.keys && lhs.counts == rhs.counts }
}
