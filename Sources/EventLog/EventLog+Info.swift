import Foundation

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
    /// Size of `data.mdb` (with LMDB's free pages), or of the log's PostgreSQL tables.
    public var bytesOnDisk: Int
    public var mapSize: Int
    public var databases: [DatabaseUsage]
    public var dictionaryIds: [UInt32]
}

extension EventLog {
    /// Figures of the log; reads the first chunk, the head and LMDB's statistics (no full scan).
    public func info() throws(LogError) -> LogInfo {
        let fileSize = environment.bytesOnDisk()
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
}
