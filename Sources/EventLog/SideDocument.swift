import Foundation

/// Small documents kept beside a log and never in it (the server's `tokens`): not events, so
/// never exported, copied or shared with the log, yet wherever the log is. Beside an LMDB log they
/// are files of its directory (`LOG/NAME`, replaced atomically under `LOG/NAME.lock`); beside a log
/// on PostgreSQL, rows of the log schema's `aside` table, so that every server of the log reads the
/// same ones.
public enum SideDocument {
    /// The bytes of document `name` beside the log at `log`; `nil` when there is none.
    public static func read(log: String, name: String) throws(LogError) -> [UInt8]? {
        if let location = try PostgresLocation(parsing: log) {
            return try PostgresSideDocuments(location).read(name)
        }
        let file = log + "/" + name
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LogError(.storage, "\(file): cannot read it")
        }
        return Array(data)
    }

    /// What changes when the document changes, `nil` when there is none: one `stat` for a file;
    /// on PostgreSQL a version number, asked at most once a second (a change made by another
    /// server is seen within a second) unless `fresh`, which always asks.
    public static func version(log: String, name: String, fresh: Bool = false) -> [Int64]? {
        if let location = try? PostgresLocation(parsing: log) {
            return PostgresSideDocuments(location).version(name, fresh: fresh)
        }
        return AtomicFile.signature(log + "/" + name)
    }

    /// Reads the document, lets `change` give its new bytes (or `nil` to leave it), and writes
    /// them, all under the document's lock: concurrent updates never lose each other's changes.
    ///
    /// - Throws: `.missing` when there is no log at `log`; what `change` throws.
    public static func update<T>(log: String, name: String, _ change: ([UInt8]?) throws -> (T, [UInt8]?)) throws -> T {
        if let location = try PostgresLocation(parsing: log) {
            return try PostgresSideDocuments(location).update(name, change)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: log, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LogError(.missing, "\(log) is not a log directory; create it with `smcc init \(log)`")
        }
        return try AtomicFile.withLock(log + "/" + name + ".lock") { () throws -> T in
            let (result, bytes) = try change(try read(log: log, name: name))
            if let bytes { try AtomicFile.replace(log + "/" + name, with: bytes, mode: 0o600) }
            return result
        }
    }

    /// Where the document is, for messages: its file, or its row.
    public static func describe(log: String, name: String) -> String {
        if let location = try? PostgresLocation(parsing: log) { return "\(location) (document \(name))" }
        return log + "/" + name
    }
}
