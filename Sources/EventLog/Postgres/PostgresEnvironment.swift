import Foundation

/// A log kept in one schema of a PostgreSQL database: one table per named database of the LMDB
/// layout, holding the same keys and values (`Schemas/log-format.md` §12). Readers see one
/// committed state (`REPEATABLE READ READ ONLY`); writers serialize on a transaction-scoped
/// advisory lock taken first thing in their transaction, so each reads the head the last one
/// committed and appends after it: the order and the chain cannot fork, whichever process writes.
/// A commit returns once PostgreSQL has made it durable (`synchronous_commit` as the server has it).
final class PostgresEnvironment: StorageEnvironment, @unchecked Sendable {
    /// `'smcc'` as a big-endian int32: the first key of the log's advisory locks.
    static let transactionLockClass: Int32 = 1_936_548_707
    static let sessionLockClass: Int32 = 1_936_548_708

    let location: PostgresLocation
    let readOnly: Bool
    var mapSize: Int { 0 }
    private let pool: PostgresPool
    /// The schema as a quoted identifier.
    let schema: String

    init(_ location: PostgresLocation, readOnly: Bool, creating: Bool) throws(LogError) {
        self.location = location
        self.readOnly = readOnly
        self.pool = PostgresPool.shared(location)
        self.schema = "\"\(location.log)\""
        if creating {
            try writeLocked { link throws(LogError) in
                if try Self.tableExists(link, location.log, "meta"),
                   try !link.query("SELECT 1 FROM \(schema).meta WHERE key = $1", [Array("format".utf8)]).isEmpty {
                    throw LogError(.alreadyExists, "\(location) already holds a log")
                }
                try link.query("CREATE SCHEMA IF NOT EXISTS \(schema)")
            }
        } else {
            let found = try pool.with { link throws(LogError) in
                try !link.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", text: [location.log]).isEmpty
            }
            guard found else {
                throw LogError(.missing, "\(location): no such log (create one with `smcc init \(location)`)")
            }
        }
    }

    private static func tableExists(_ link: PostgresLink, _ schema: String, _ table: String) throws(LogError) -> Bool {
        try link.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2", text: [schema, table]).isEmpty == false
    }

    func openDatabase(_ name: String, duplicateSorted: Bool) throws(LogError) -> Database {
        if let existing = try existingDatabase(name, duplicateSorted: duplicateSorted) { return existing }
        guard !readOnly else { throw LogError(.readOnly, "\(location) is open read-only and has no table \(name)") }
        let table = Self.table(schema, name)
        try writeLocked { link throws(LogError) in
            if duplicateSorted {
                try link.query("CREATE TABLE IF NOT EXISTS \(table) (key bytea NOT NULL, value bytea NOT NULL, PRIMARY KEY (key, value))")
            } else {
                try link.query("CREATE TABLE IF NOT EXISTS \(table) (key bytea PRIMARY KEY, value bytea NOT NULL)")
                // Chunks, dictionaries and snapshots are compressed already: TOAST need not try again.
                try link.query("ALTER TABLE \(table) ALTER COLUMN value SET STORAGE EXTERNAL")
            }
        }
        return Database(dbi: 0, name: name, duplicateSorted: duplicateSorted)
    }

    func existingDatabase(_ name: String, duplicateSorted: Bool) throws(LogError) -> Database? {
        let exists = try pool.with { link throws(LogError) in try Self.tableExists(link, location.log, name) }
        return exists ? Database(dbi: 0, name: name, duplicateSorted: duplicateSorted) : nil
    }

    /// `"schema"."name"`; the names are the log's own (`meta`, `ix:post`), never a user's text.
    static func table(_ schema: String, _ name: String) -> String {
        precondition(!name.contains("\""), "a table name with a quote")
        return "\(schema).\"\(name)\""
    }

    func read<T>(_ body: (any Transaction) throws(LogError) -> T) throws(LogError) -> T {
        try pool.with { link throws(LogError) in
            try link.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return try finish(link, body(PostgresTransaction(link: link, schema: schema)))
        }
    }

    func write<T>(_ body: (any Transaction) throws(LogError) -> T) throws(LogError) -> T {
        guard !readOnly else { throw LogError(.readOnly, "the log was opened read-only") }
        return try pool.with { link throws(LogError) in
            try link.beginWriting(log: location.log)
            return try finish(link, body(PostgresTransaction(link: link, schema: schema)))
        }
    }

    /// Commits after `body` ran, or rolls back when it threw.
    private func finish<T>(_ link: PostgresLink, _ body: @autoclosure () throws(LogError) -> T) throws(LogError) -> T {
        let value: T
        do throws(LogError) {
            value = try body()
        } catch {
            if !link.isBroken { _ = try? link.query("ROLLBACK") }
            throw error
        }
        try link.query("COMMIT")
        return value
    }

    /// A locked write transaction on a bare connection (schema changes).
    private func writeLocked(_ body: (PostgresLink) throws(LogError) -> Void) throws(LogError) {
        try pool.with { link throws(LogError) in
            try link.beginWriting(log: location.log)
            try finish(link, body(link))
        }
    }

    func sync() throws(LogError) {}

    // MARK: - Rewrites

    /// The schema of a rewrite: the log's name (cut to leave room), `_rw_`, 8 hex digits.
    private var rewritePrefix: String { String(location.log.prefix(46)) + "_rw_" }

    func makeRewriteTarget() throws(LogError) -> String {
        let name = rewritePrefix + LogHead(seq: 1, hash: Commitment.randomBytes(4)).hashHex
        return location.with(log: name).url
    }

    func discardRewriteTarget(_ target: String) {
        guard let parsed = try? PostgresLocation(parsing: target) else { return }
        _ = try? pool.with { link throws(LogError) in try link.query("DROP SCHEMA IF EXISTS \"\(parsed.log)\" CASCADE") }
    }

    func removeStaleRewrites() {
        _ = try? pool.with { link throws(LogError) in
            let rows = try link.query("SELECT nspname::text FROM pg_namespace WHERE nspname ~ ('^' || $1 || '[0-9a-f]{8}$')", text: [rewritePrefix])
            for row in rows {
                let name = String(decoding: row.bytes(0), as: UTF8.self)
                guard PostgresLocation.isValidLogName(name) else { continue }
                try link.query("DROP SCHEMA IF EXISTS \"\(name)\" CASCADE")
            }
        }
    }

    /// Drops the log's schema and renames the rewrite's in its place, in one transaction: another
    /// session sees the old log or the new one, never neither. Its readers finish first (the drop
    /// waits for their locks); the old tables' files are removed when the transaction commits.
    func replaceContent(with target: String, databases: [(name: String, duplicateSorted: Bool)]) throws(LogError) -> [Database] {
        guard let rewrite = try PostgresLocation(parsing: target) else {
            throw LogError(.storage, "a rewrite of \(location) was not built in PostgreSQL")
        }
        try writeLocked { link throws(LogError) in
            // As an LMDB log refuses to be swapped while another process has it open: another
            // server of this log would keep serving what the rewrite erased, and read new chunks
            // with dictionaries the rewrite replaced. The writer doing this holds one session lock.
            let holders = try link.query("""
                SELECT count(*)::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
                AND classid = \(Self.sessionLockClass)::oid AND objid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296
                """, text: [location.log]).first?.integer(0) ?? 0
            guard holders <= 1 else {
                throw LogError(.busy, "\(location) is open in another process (\(holders - 1) other server or writer): it can be rewritten only when no one else serves it")
            }
            try link.query("DROP SCHEMA \(schema) CASCADE")
            try link.query("ALTER SCHEMA \"\(rewrite.log)\" RENAME TO \(schema)")
        }
        return databases.map { Database(dbi: 0, name: $0.name, duplicateSorted: $0.duplicateSorted) }
    }

    func bytesOnDisk() -> Int {
        let size = try? pool.with { link throws(LogError) in
            try link.query("""
                SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'
                """, text: [location.log]).first?.integer(0)
        }
        return Int(size.flatMap { $0 } ?? 0)
    }

    func takeWriterLock() throws(LogError) -> any WriterLockHolder {
        try PostgresSessionLock(location)
    }

    func destroy() {
        _ = try? pool.with { link throws(LogError) in try link.query("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
    }
}

/// The writer lock of a log on PostgreSQL held across transactions: a session-level advisory lock
/// on a connection of its own, released when the holder is released or the connection drops.
final class PostgresSessionLock: WriterLockHolder, @unchecked Sendable {
    private let link: PostgresLink

    /// - Parameter shared: a server's hold, compatible with other servers', not with a writer's.
    init(_ location: PostgresLocation, shared: Bool = false) throws(LogError) {
        link = try PostgresLink(location)
        let function = shared ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock"
        let held = try link.query("SELECT \(function)(\(PostgresEnvironment.sessionLockClass), hashtext($1))", text: [location.log]).first?.integer(0) ?? 0
        guard held == 1 else {
            throw LogError(.busy, "another smcc process is writing to \(location) (an import, a simulation or a server); try again when it ends")
        }
    }
}
