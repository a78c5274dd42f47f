// # EventLog
//
// The store of `smcc`: an append-only log of opaque records, in one LMDB environment (a directory,
// the embedded default) or in one schema of a PostgreSQL database (a `postgresql://` URL), both
// holding the same keys and values (`StorageEnvironment`). It owns the
// record framing (chunks of up to 16 records, one zstd frame each, with dictionaries trained from
// the log's own records), the SHA-256 hash chain that makes the log tamper-evident, the secondary
// indexes (idempotency keys, time, and named byte-key indexes the layer above fills), growing the
// LMDB map, and group commit. It knows bytes, times and sequence numbers, nothing of posts or
// volunteers. All the unsafe pointer code and C calls of the project live in this module, and it
// is the only one that knows which engine a log is on.
//
// The on-disk format is specified in `Schemas/log-format.md`.

import CLMDB
import Foundation

/// One record to append.
public struct LogRecord: Sendable {
    /// When it happened, in milliseconds since 1970-01-01T00:00:00Z; never before the log's last record.
    public var time: Int64
    /// The record's bytes, at most 65,536.
    public var payload: [UInt8]
    /// Bytes the layer above may have to erase one day (a person's texts, handle, links), kept
    /// beside the payload; the chain covers a salted commitment to them, so erasing them leaves
    /// the chain intact (`Schemas/log-format.md` §3–4). At most 65,536 bytes.
    public var personal: PersonalPart?
    /// A key that makes the append idempotent: if a record with this key is already in the log, the
    /// append adds nothing for it and reports the existing sequence number. 1–480 bytes.
    public var idempotencyKey: [UInt8]?
    /// Bytes kept with `idempotencyKey` (at most 64), for the writer to recognise a retry by more
    /// than its key: the server keeps a digest of the request there. Ignored without a key.
    public var idempotencyNote: [UInt8] = []
    /// Entries for the named secondary indexes the log was opened with.
    public var indexEntries: [IndexEntry]
    /// An index entry that must be the first of its key: when the index already holds the key, the
    /// record is not appended and the key's first sequence number is returned (how a post is
    /// appended once: its id is the key, and its first record is the one that introduced it).
    /// The entry is added to the index like those of `indexEntries`.
    public var uniqueIndexEntry: IndexEntry?

    public init(
        time: Int64,
        payload: [UInt8],
        personal: PersonalPart? = nil,
        idempotencyKey: [UInt8]? = nil,
        indexEntries: [IndexEntry] = [],
        uniqueIndexEntry: IndexEntry? = nil
    ) {
        self.time = time
        self.payload = payload
        self.personal = personal
        self.idempotencyKey = idempotencyKey
        self.indexEntries = indexEntries
        self.uniqueIndexEntry = uniqueIndexEntry
    }
}

/// A record's personal part as appended.
public enum PersonalPart: Sendable, Equatable {
    /// The bytes (committed to under a fresh salt).
    case bytes([UInt8])
    /// Already erased where it comes from (an export of an erased log imported again): the record
    /// keeps a random commitment, standing for bytes nobody has.
    case erased
}

/// A key for one named secondary index (`ix:NAME`), mapping it to the record's sequence number.
public struct IndexEntry: Hashable, Sendable {
    public var index: String
    public var key: [UInt8]

    public init(index: String, key: [UInt8]) {
        self.index = index
        self.key = key
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(index)
        key.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// A byte string as a dictionary key, hashed as one block rather than byte by byte.
struct ByteKey: Hashable {
    var bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// What an append did.
public struct AppendOutcome: Sendable, Equatable {
    /// For each record given, the sequence number it has in the log (the existing one for a
    /// record whose idempotency key was already there).
    public var sequenceNumbers: [UInt64]
    /// How many records were new.
    public var appended: Int
}

/// One record as a scan lends it: the payload is a slice of a reused buffer, valid to keep.
public struct RecordView: Sendable {
    public var seq: UInt64
    public var time: Int64
    public var payload: ArraySlice<UInt8>
    /// The personal part, `nil` when the record has none or it was erased.
    public var personal: ArraySlice<UInt8>?
    /// The record had a personal part, now erased.
    public var isErased: Bool
}

/// The append-only log in the directory `path`.
///
/// Thread safety: appends from this process are serialized by a lock; reads may run on any thread
/// at any time (each takes its own LMDB read transaction and its own zstd context). LMDB itself
/// serializes writers across processes and lets readers in other processes run alongside. Mutable
/// state (the writer's contexts and tail cache, the dictionary cache) is only touched under its lock,
/// which is why the class is `@unchecked Sendable`.
public final class EventLog: @unchecked Sendable {
    /// The log's directory, or its PostgreSQL URL without the password.
    public let path: String
    /// Whether the log was opened read-only.
    public var isReadOnly: Bool { environment.readOnly }

    static let formatName = "smcc-log 2"
    public static let legacyFormatName = "smcc-log 1"
    static let initialMapSize = 32 << 20
    static let maximumKeyLength = 480
    /// The longest `LogRecord.idempotencyNote`, in bytes.
    static let maximumNoteLength = 64

    let environment: any StorageEnvironment
    let meta: Database
    let dictionaries: Database
    let events: Database
    let chain: Database
    let idempotency: Database
    let timeIndex: Database
    /// Derived state of the layer above (`EventLog+Snapshots`); `nil` when a read-only open finds none.
    let snapshots: Database?
    let indexes: [String: Database]
    /// The index names in the order they were opened (a reopened environment opens them so again).
    let indexOrder: [String]

    /// A log of format 1, opened (read-only) to be upgraded: its chunks and chain are read the old way.
    private(set) var isLegacy = false

    let writerLock = NSLock()
    var writer: WriterState?
    private let dictionaryLock = NSLock()
    private var dictionaryCache: [UInt32: ZstdDictionary] = [:]

    /// Creates a new, empty log in `path` (the directory is made if missing).
    ///
    /// - Parameters:
    ///   - metadata: `app:` metadata to store with the log, e.g. the payload format of the layer above.
    ///   - indexes: names of the secondary indexes records may fill.
    /// - Throws: `LogError` with `.alreadyExists` when `path` already holds a log.
    public static func create(at path: String, metadata: [String: [UInt8]] = [:], indexes: [String] = []) throws(LogError) -> EventLog {
        if PostgresLocation.names(path) {
            return try EventLog(path: path, readOnly: false, creating: true, metadata: metadata, indexes: indexes)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw LogError(.notALog, "\(path) exists and is not a directory") }
            if FileManager.default.fileExists(atPath: path + "/data.mdb") {
                throw LogError(.alreadyExists, "\(path) already holds a log")
            }
        } else {
            do {
                // Owner only: the log holds people's posts, handles and the desk's notes.
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw LogError(.permissionDenied, "cannot create \(path): \(error.localizedDescription)")
            }
        }
        return try EventLog(path: path, readOnly: false, creating: true, metadata: metadata, indexes: indexes)
    }

    /// Opens an existing log.
    ///
    /// - Parameters:
    ///   - readOnly: open for reading only (other processes may append meanwhile).
    ///   - indexes: names of the secondary indexes; created if missing (writable logs only).
    public static func open(at path: String, readOnly: Bool = false, indexes: [String] = []) throws(LogError) -> EventLog {
        if PostgresLocation.names(path) {
            return try EventLog(path: path, readOnly: readOnly, creating: false, metadata: [:], indexes: indexes)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LogError(.missing, "\(path): no such log (create one with `smcc init \(path)`)")
        }
        guard isDirectory.boolValue, FileManager.default.fileExists(atPath: path + "/data.mdb") else {
            throw LogError(.notALog, "\(path) is not an smcc log (it has no data.mdb)")
        }
        // LMDB would take an empty data.mdb for a new environment and write one into it.
        if let size = try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int, size == 0 {
            throw LogError(.notALog, "\(path)/data.mdb is empty (0 bytes): not an smcc log, or one whose creation or copy was cut short; restore it from a copy, or remove \(path) and run `smcc init`")
        }
        return try EventLog(path: path, readOnly: readOnly, creating: false, metadata: [:], indexes: indexes)
    }

    init(path: String, readOnly: Bool, creating: Bool, metadata: [String: [UInt8]], indexes: [String], allowLegacy: Bool = false,
         mapSize: Int = EventLog.initialMapSize) throws(LogError) {
        self.indexOrder = indexes
        let environment: any StorageEnvironment
        if let location = try PostgresLocation(parsing: path) {
            self.path = location.description
            environment = try PostgresEnvironment(location, readOnly: readOnly, creating: creating)
        } else {
            self.path = path
            environment = try LMDBEnvironment(path: path, readOnly: readOnly, initialMapSize: max(mapSize, Self.initialMapSize))
        }
        self.environment = environment
        let fixedNames = ["meta", "dicts", "events", "chain", "idem"]
        var opened: [String: Database] = [:]
        if readOnly {
            for name in fixedNames {
                guard let db = try environment.existingDatabase(name, duplicateSorted: false) else {
                    throw LogError(.notALog, "\(path) is not an smcc log (database \(name) is missing)")
                }
                opened[name] = db
            }
            guard let time = try environment.existingDatabase("time", duplicateSorted: true) else {
                throw LogError(.notALog, "\(path) is not an smcc log (database time is missing)")
            }
            opened["time"] = time
            for index in indexes {
                if let db = try environment.existingDatabase("ix:" + index, duplicateSorted: false) { opened["ix:" + index] = db }
            }
            opened["snap"] = try environment.existingDatabase("snap", duplicateSorted: false)
        } else {
            for name in fixedNames { opened[name] = try environment.openDatabase(name, duplicateSorted: false) }
            opened["time"] = try environment.openDatabase("time", duplicateSorted: true)
            opened["snap"] = try environment.openDatabase("snap", duplicateSorted: false)
            for index in indexes { opened["ix:" + index] = try environment.openDatabase("ix:" + index, duplicateSorted: false) }
        }
        self.meta = opened["meta"]!
        self.dictionaries = opened["dicts"]!
        self.events = opened["events"]!
        self.chain = opened["chain"]!
        self.idempotency = opened["idem"]!
        self.timeIndex = opened["time"]!
        self.snapshots = opened["snap"]
        var named: [String: Database] = [:]
        for index in indexes { if let db = opened["ix:" + index] { named[index] = db } }
        self.indexes = named

        let meta = self.meta
        let format: [UInt8]? = try environment.read { txn throws(LogError) in try txn.get(meta, Array("format".utf8)) }
        switch format {
        case nil where creating:
            try environment.write { txn throws(LogError) in
                var generator = SystemRandomNumberGenerator()
                let logId = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try txn.put(meta, Array("format".utf8), Array(Self.formatName.utf8))
                try txn.put(meta, Array("logId".utf8), logId)
                for (key, value) in metadata { try txn.put(meta, Array(("app:" + key).utf8), value) }
            }
        case nil:
            throw LogError(.notALog, "\(path) is not an smcc log (no format marker)")
        case let bytes?:
            let name = String(decoding: bytes, as: UTF8.self)
            if name == Self.legacyFormatName && !allowLegacy {
                throw LogError(.legacyFormat, "\(path) is a log of format '\(name)'; this smcc reads '\(Self.formatName)': run `smcc upgrade \(path)` (it rewrites the log in the new format, once, and records the old head in it)")
            }
            guard name == Self.formatName || (allowLegacy && name == Self.legacyFormatName) else {
                throw LogError(.notALog, "\(path) is a log of format '\(name)'; this smcc reads '\(Self.formatName)'")
            }
            isLegacy = name == Self.legacyFormatName
        }
    }

    /// Removes the log at `path` for good: the LMDB files of its directory (and the directory when
    /// nothing else is in it), or its PostgreSQL schema. For tools and tests that made the log.
    public static func destroy(at path: String) throws(LogError) {
        if let location = try PostgresLocation(parsing: path) {
            try PostgresEnvironment(location, readOnly: false, creating: false).destroy()
        } else if FileManager.default.fileExists(atPath: path + "/data.mdb") {
            try LMDBEnvironment(path: path, readOnly: false, initialMapSize: initialMapSize).destroy()
        }
    }

    /// Takes the writer lock of the log at `path` (a directory or a PostgreSQL URL), held until the
    /// holder is released: for a write that spans several transactions (an import, a simulation,
    /// a server). Another process that holds it makes this throw `.busy`.
    ///
    /// - Parameter sharedWithServers: taken by a server. Servers of a log on PostgreSQL share the
    ///   lock (each judges against the log's head inside its append transaction and catches up
    ///   on what the others appended), and keep imports out while they serve; an LMDB log is
    ///   served by one server at a time, so there it is exclusive all the same.
    public static func takeWriterLock(of path: String, sharedWithServers: Bool = false) throws(LogError) -> any WriterLockHolder {
        if let location = try PostgresLocation(parsing: path) { return try PostgresSessionLock(location, shared: sharedWithServers) }
        return try WriterLock(log: path)
    }

    /// Takes this log's writer lock (see ``takeWriterLock(of:)``).
    public func takeWriterLock() throws(LogError) -> any WriterLockHolder {
        try environment.takeWriterLock()
    }

    /// The `app:` metadata stored under `key`, or `nil`.
    public func metadata(_ key: String) throws(LogError) -> [UInt8]? {
        let meta = self.meta
        return try environment.read { txn throws(LogError) in try txn.get(meta, Array(("app:" + key).utf8)) }
    }

    /// The log's head (last sequence number and chain hash), `nil` when the log is empty.
    public func head() throws(LogError) -> LogHead? {
        try environment.read { txn throws(LogError) in try self.readHead(txn).map { LogHead(seq: $0.seq, hash: $0.hash) } }
    }

    /// The time of the log's last record, `nil` when the log is empty.
    public func lastRecordTime() throws(LogError) -> Int64? {
        try environment.read { txn throws(LogError) in try self.readHead(txn)?.time }
    }

    // MARK: - Shared internals

    /// The head as stored in `meta/head`: last seq, its chain hash and its time.
    struct StoredHead {
        var seq: UInt64
        var hash: [UInt8]
        var time: Int64
    }

    func readHead(_ txn: any Transaction) throws(LogError) -> StoredHead? {
        guard let bytes = try txn.get(meta, Array("head".utf8)) else { return nil }
        guard bytes.count == 48, let seq = BigEndian.uint64(bytes[0..<8]), let time = BigEndian.uint64(bytes[40..<48]) else {
            throw LogError(.corrupt, "meta/head is \(bytes.count) bytes, not 48")
        }
        return StoredHead(seq: seq, hash: Array(bytes[8..<40]), time: Int64(bitPattern: time))
    }

    func writeHead(_ head: StoredHead, _ txn: any Transaction) throws(LogError) {
        try txn.put(meta, Array("head".utf8), BigEndian.bytes(head.seq) + head.hash + BigEndian.bytes(UInt64(bitPattern: head.time)))
    }

    /// The dictionary `id`, loaded from `dicts` once and cached.
    func dictionary(_ id: UInt32, _ txn: any Transaction) throws(LogError) -> ZstdDictionary {
        dictionaryLock.lock()
        let cached = dictionaryCache[id]
        dictionaryLock.unlock()
        if let cached { return cached }
        guard let bytes = try txn.get(dictionaries, BigEndian.bytes(id)) else {
            throw LogError(.corrupt, "zstd dictionary \(id) is missing from the log")
        }
        let dictionary = try ZstdDictionary(id: id, bytes: bytes, level: ChunkCodec.level)
        remember(dictionary)
        return dictionary
    }

    /// Forgets every cached dictionary: after a rewrite, ids name other dictionaries.
    func dictionaryCacheReset() {
        dictionaryLock.lock()
        dictionaryCache = [:]
        dictionaryLock.unlock()
    }

    func remember(_ dictionary: ZstdDictionary) {
        dictionaryLock.lock()
        dictionaryCache[dictionary.id] = dictionary
        dictionaryLock.unlock()
    }

    /// Reads the chunk a cursor points at into `body`/`buffer`, or throws naming the chunk's first seq.
    func decodeChunk(
        key: UInt64,
        value: UnsafeRawBufferPointer,
        txn: any Transaction,
        decompressor: ZstdDecompressor,
        buffer: inout [UInt8],
        body: inout ChunkBody
    ) throws(LogError) {
        let header: ChunkHeader
        switch ChunkHeader.parse(value, legacy: isLegacy) {
        case .success(let parsed): header = parsed
        case .failure(let damage): throw LogError(.corrupt, "record damaged: \(damage.reason)", seq: key)
        }
        let dictionary = try header.dictionaryId.map { id throws(LogError) in try self.dictionary(id, txn) }
        let frame = UnsafeRawBufferPointer(rebasing: value[header.frameOffset...])
        if let problem = decompressor.decompress(frame, dictionary: dictionary, expectedLength: header.bodyLength, into: &buffer) {
            throw LogError(.corrupt, "record damaged: \(problem)", seq: key)
        }
        if let damage = body.parse(buffer[0..<header.bodyLength], version: header.version) {
            throw LogError(.corrupt, "record damaged: \(damage.reason)", seq: key)
        }
    }
}
