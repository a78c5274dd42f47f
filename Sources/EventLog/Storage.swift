/// What the log needs of the engine that keeps its bytes: named databases of byte keys and byte
/// values read in key order, transactions that see one committed state, and write transactions
/// that commit durably, all or nothing, one writer at a time. Two engines provide it: an LMDB
/// environment in a directory (``LMDBEnvironment``, the embedded default) and a schema of a
/// PostgreSQL database (``PostgresEnvironment``), holding the same keys and values, so every
/// format rule above this line (chunks, chain, indexes, snapshots) is written once.
protocol StorageEnvironment: AnyObject, Sendable {
    /// Whether writes are refused.
    var readOnly: Bool { get }
    /// The size a rewrite should start its own environment at (LMDB's map; 0 when it means nothing).
    var mapSize: Int { get }

    /// Opens a named database, creating it when the environment is writable.
    func openDatabase(_ name: String, duplicateSorted: Bool) throws(LogError) -> Database
    /// Opens a named database that must already exist; `nil` when it does not.
    func existingDatabase(_ name: String, duplicateSorted: Bool) throws(LogError) -> Database?
    /// Runs `body` in a transaction that sees one committed state and writes nothing.
    func read<T>(_ body: (any Transaction) throws(LogError) -> T) throws(LogError) -> T
    /// Runs `body` in the engine's only write transaction at that moment and commits durably when
    /// it returns; nothing of it remains if it throws. `body` may run more than once (LMDB replays
    /// it after growing its map), so it derives what it writes from what it reads.
    func write<T>(_ body: (any Transaction) throws(LogError) -> T) throws(LogError) -> T
    /// Forces written data to stable storage before it is moved into place.
    func sync() throws(LogError)

    /// A new, empty place beside this log where a rewrite builds the log anew; its location.
    func makeRewriteTarget() throws(LogError) -> String
    /// Removes the place a rewrite built in, whether it was swapped in or not.
    func discardRewriteTarget(_ target: String)
    /// Removes the places of rewrites killed before they finished.
    func removeStaleRewrites()
    /// Replaces this log's content by the rewrite built at `target`, atomically, and opens the
    /// named databases again; returns their handles in that order.
    func replaceContent(with target: String, databases: [(name: String, duplicateSorted: Bool)]) throws(LogError) -> [Database]
    /// Bytes the engine holds for the log (LMDB: `data.mdb` with its free pages; PostgreSQL: the
    /// tables, their indexes and TOAST).
    func bytesOnDisk() -> Int
    /// Removes the log entirely: only to undo a copy that failed into a log it had just created.
    func destroy()
    /// Takes the lock a writer holds across several transactions (an import, a server).
    func takeWriterLock() throws(LogError) -> any WriterLockHolder
}

/// A held writer lock; released when the holder is released (or its process dies).
public protocol WriterLockHolder: AnyObject, Sendable {}

/// A named database handle: LMDB's `MDB_dbi`, or a PostgreSQL table.
struct Database: Sendable {
    let dbi: UInt32
    let name: String
    var duplicateSorted = false
}

/// Statistics of one named database: its entries and the bytes its storage takes.
struct DatabaseStatistics {
    var entries: Int
    var bytes: Int
}

/// A transaction of either engine; valid only inside the closure that received it.
protocol Transaction: AnyObject {
    func statistics(_ db: Database) throws(LogError) -> DatabaseStatistics
    /// Copies the value stored under `key` (the first one in a duplicate-sorted database), or `nil`.
    func get(_ db: Database, _ key: [UInt8]) throws(LogError) -> [UInt8]?
    /// Stores `value` under `key` (beside the others, in a duplicate-sorted database). `append`
    /// promises the key sorts after every key, which LMDB turns into a cheaper write.
    func put(_ db: Database, _ key: [UInt8], _ value: [UInt8], append: Bool) throws(LogError)
    /// Stores many entries, as `put` each would (PostgreSQL sends them in a few statements).
    func putMany(_ db: Database, _ entries: [(key: [UInt8], value: [UInt8])]) throws(LogError)
    /// Deletes the values under `key`; nothing when there is none.
    func delete(_ db: Database, _ key: [UInt8]) throws(LogError)
    /// Deletes every entry of `db`, keeping the database.
    func empty(_ db: Database) throws(LogError)
    /// Opens a cursor the caller must `close()` before the transaction ends.
    func openCursor(_ db: Database) throws(LogError) -> any Cursor
    /// For each prefix, the entry with the greatest key among the keys `prefix ‖ 8 bytes`, and the
    /// smallest such key: what extending a posting list needs to know of it. `nil` when the engine
    /// prefers the caller to seek with a cursor, key by key (LMDB: a seek is a few page reads);
    /// PostgreSQL answers every prefix in one query instead of a round trip per seek.
    func prefixBounds(_ db: Database, _ prefixes: [[UInt8]]) throws(LogError) -> [(last: (key: [UInt8], value: [UInt8])?, firstKey: [UInt8]?)]?
    /// Whether ``prefixBounds(_:_:)`` answers (so gathering the keys first pays).
    var answersPrefixBounds: Bool { get }
}

extension Transaction {
    func prefixBounds(_ db: Database, _ prefixes: [[UInt8]]) throws(LogError) -> [(last: (key: [UInt8], value: [UInt8])?, firstKey: [UInt8]?)]? {
        nil
    }

    var answersPrefixBounds: Bool { false }

    func put(_ db: Database, _ key: [UInt8], _ value: [UInt8]) throws(LogError) {
        try put(db, key, value, append: false)
    }

    func putMany(_ db: Database, _ entries: [(key: [UInt8], value: [UInt8])]) throws(LogError) {
        for entry in entries { try put(db, entry.key, entry.value, append: false) }
    }

    /// Lends a cursor to `body` and closes it when `body` returns, before the transaction can end
    /// (closing a write transaction's cursor after the transaction is a use-after-free in LMDB).
    func withCursor<T>(_ db: Database, _ body: (any Cursor) throws(LogError) -> T) throws(LogError) -> T {
        let cursor = try openCursor(db)
        defer { cursor.close() }
        return try body(cursor)
    }
}

/// Where a cursor moves.
enum CursorPosition {
    case first, last, next, previous
    /// The first key ≥ the given key.
    case atOrAfter([UInt8])
    /// Exactly the given key.
    case exactly([UInt8])
    /// Next duplicate of the current key / first entry of the next key (duplicate-sorted databases).
    case nextDuplicate, nextKey
}

/// A cursor over one database.
protocol Cursor: AnyObject {
    /// Closes the cursor; it must not be used afterwards.
    func close()
    /// Moves the cursor; returns the key and value at the new position, `nil` past the end (the
    /// cursor then stays where it was for `nextDuplicate`). The bytes are valid until the cursor
    /// moves, the transaction writes, or it ends.
    func move(_ position: CursorPosition) throws(LogError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?
    /// The number of values of the current key (duplicate-sorted databases).
    func duplicateCount() throws(LogError) -> Int
    /// Moves to the greatest key ≤ `target` (the chunk holding a sequence number); `nil` if none.
    func moveAtOrBefore(_ target: [UInt8]) throws(LogError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?
}

extension Cursor {
    func moveAtOrBefore(_ target: [UInt8]) throws(LogError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        guard let found = try move(.atOrAfter(target)) else { return try move(.last) }
        if found.key.elementsEqual(target) { return found }
        return try move(.previous)
    }
}
