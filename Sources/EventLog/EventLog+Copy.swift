/// Copying a log to another place, on the same engine or the other: every key and value of every
/// named database as it is — the chunks, the chain's checkpoints, the head, the dictionaries, the
/// indexes, the idempotency keys, the snapshots and the log's id — so the copy has the same
/// sequence numbers and the same head hash (`verify --head` proves it), and is the same log.
extension EventLog {
    /// What a copy did.
    public struct CopyOutcome: Sendable {
        public var events: UInt64
        public var head: LogHead?
        /// Entries copied, over every named database.
        public var entries: Int
    }

    /// Copies this log into a new log at `destination` (a directory or a PostgreSQL URL), in one
    /// read transaction here and one write transaction there: the copy holds the whole log as it
    /// was at one moment, or, after a failure, nothing (the new log is removed again).
    ///
    /// - Throws: `.alreadyExists` when `destination` holds a log; what either engine throws.
    public func copy(to destination: String, progress: (Int) -> Void = { _ in }) throws(LogError) -> CopyOutcome {
        let target = try EventLog.create(at: destination, metadata: [:], indexes: indexOrder)
        do throws(LogError) {
            guard let sourceSnapshots = snapshots, let targetSnapshots = target.snapshots else {
                throw LogError(.storage, "\(path) has no snapshot table to copy")
            }
            var pairs: [(Database, Database)] = [(meta, target.meta), (dictionaries, target.dictionaries), (events, target.events), (chain, target.chain),
                                                 (idempotency, target.idempotency), (timeIndex, target.timeIndex), (sourceSnapshots, targetSnapshots)]
            for name in indexOrder {
                guard let from = indexes[name], let to = target.indexes[name] else { continue }
                pairs.append((from, to))
            }
            let copied = try environment.read { source throws(LogError) -> Int in
                try target.environment.write { destination throws(LogError) -> Int in
                    // The new log's own identity goes: the copy keeps the source's id and keys.
                    try destination.empty(target.meta)
                    var total = 0
                    for (from, to) in pairs {
                        var batch: [(key: [UInt8], value: [UInt8])] = []
                        try source.withCursor(from) { cursor throws(LogError) in
                            var entry = try cursor.move(.first)
                            while let current = entry {
                                batch.append((Array(current.key), Array(current.value)))
                                if batch.count == 1_000 {
                                    try destination.putMany(to, batch)
                                    total += batch.count
                                    progress(total)
                                    batch.removeAll(keepingCapacity: true)
                                }
                                entry = try cursor.move(.next)
                            }
                        }
                        try destination.putMany(to, batch)
                        total += batch.count
                    }
                    progress(total)
                    return total
                }
            }
            let head = try target.head()
            return CopyOutcome(events: head?.seq ?? 0, head: head, entries: copied)
        } catch {
            target.environment.destroy()
            throw error
        }
    }
}
