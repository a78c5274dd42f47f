import CLMDB
import Foundation
import Glibc

/// Every LMDB return code goes through here, the way NIO funnels every system call through one
/// function: one place turns C codes into `LogError`s with the call named.
@inline(__always)
func lmdbCheck(_ rc: Int32, _ call: @autoclosure () -> String) throws(LogError) {
    guard rc != 0 else { return }
    throw lmdbError(rc, call())
}

func lmdbError(_ rc: Int32, _ call: String) -> LogError {
    let text = String(cString: mdb_strerror(rc))
    switch rc {
    case ENOENT: return LogError(.missing, "\(call): \(text)")
    case EACCES, EROFS: return LogError(.permissionDenied, "\(call): \(text)")
    case ENOSPC, EDQUOT: return LogError(.noSpace, "\(call): no space left on the device holding the log (\(text)); nothing was written: free some space and try again")
    case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID, MDB_VERSION_MISMATCH:
        return LogError(.corrupt, "\(call): \(text)")
    default: return LogError(.storage, "\(call): \(text) (code \(rc))")
    }
}

/// One LMDB environment: the `MDB_env*` handle, the named databases, and the lock that lets the map
/// grow while nothing in this process holds a transaction (`mdb_env_set_mapsize` requires that).
///
/// Thread safety: LMDB environments are thread-safe; with `MDB_NOTLS` read transactions may be used
/// from any thread. Write transactions live inside one synchronous `write` call, so they never cross
/// threads. The resize lock is a pthread rwlock: every transaction holds it shared, growing holds it
/// exclusive. That is why this class is `@unchecked Sendable`.
final class LMDBEnvironment: StorageEnvironment, @unchecked Sendable {
    /// Replaced only by ``replaceData(with:reopen:)``, under the resize lock held exclusively.
    private var env: OpaquePointer
    /// Set while ``replaceData(with:databases:)`` has the handle closed, and for good if it could
    /// not open it again.
    private var isClosed = false
    private let path: String
    let readOnly: Bool
    private var resizeLock = pthread_rwlock_t()
    private(set) var mapSize: Int

    /// Opens (or, when writable, creates the files of) the environment in the directory `path`.
    ///
    /// Implementation details: `mdb_env_create`, `mdb_env_set_maxdbs`, `mdb_env_set_mapsize`, `mdb_env_open`.
    init(path: String, readOnly: Bool, initialMapSize: Int) throws(LogError) {
        var handle: OpaquePointer?
        try lmdbCheck(mdb_env_create(&handle), "mdb_env_create")
        guard let handle else { throw LogError(.storage, "mdb_env_create returned no handle") }
        do throws(LogError) {
            try lmdbCheck(mdb_env_set_maxdbs(handle, 16), "mdb_env_set_maxdbs")
            try lmdbCheck(mdb_env_set_mapsize(handle, initialMapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            // data.mdb and lock.mdb readable by their owner only: the log holds personal data.
            let rc = mdb_env_open(handle, path, flags, 0o600)
            if rc != 0 {
                switch rc {
                case ENOENT: throw LogError(.missing, "\(path): no such log directory (create it with `smcc init \(path)`)")
                case EACCES, EROFS:
                    throw LogError(.permissionDenied, "\(path): permission denied (a reader needs write access to lock.mdb; a writer to the directory)")
                default: throw lmdbError(rc, "opening \(path)")
                }
            }
        } catch {
            mdb_env_close(handle)
            throw error
        }
        self.env = handle
        self.path = path
        self.readOnly = readOnly
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        self.mapSize = max(info.me_mapsize, initialMapSize)
        pthread_rwlock_init(&resizeLock, nil)
    }

    deinit {
        if !isClosed { mdb_env_close(env) }
        pthread_rwlock_destroy(&resizeLock)
    }

    var pageSize: Int {
        var stat = MDB_stat()
        mdb_env_stat(env, &stat)
        return Int(stat.ms_psize)
    }

    /// Opens a named database, creating it when the environment is writable.
    func openDatabase(_ name: String, duplicateSorted: Bool) throws(LogError) -> Database {
        try write { txn throws(LogError) in try (txn as! LMDBTransaction).openDatabase(name, duplicateSorted: duplicateSorted, create: true) }
    }

    /// Opens a named database that must already exist (read-only logs); `nil` when it does not.
    ///
    /// The read transaction is committed, not aborted: LMDB keeps a handle opened in a transaction
    /// only if that transaction commits.
    func existingDatabase(_ name: String, duplicateSorted: Bool) throws(LogError) -> Database? {
        var txnHandle: OpaquePointer?
        try lmdbCheck(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txnHandle), "mdb_txn_begin (read)")
        guard let txnHandle else { throw LogError(.storage, "mdb_txn_begin returned no transaction") }
        var dbi = MDB_dbi()
        let rc = mdb_dbi_open(txnHandle, name, 0, &dbi)
        if rc != 0 {
            mdb_txn_abort(txnHandle)
            if rc == MDB_NOTFOUND { return nil }
            throw lmdbError(rc, "mdb_dbi_open(\(name))")
        }
        try lmdbCheck(mdb_txn_commit(txnHandle), "mdb_txn_commit (read)")
        return Database(dbi: dbi, name: name, duplicateSorted: duplicateSorted)
    }

    /// Runs `body` in a read transaction, aborted when it returns. Values it reads are valid only inside.
    func read<T>(_ body: (any Transaction) throws(LogError) -> T) throws(LogError) -> T {
        while true {
            pthread_rwlock_rdlock(&resizeLock)
            if isClosed {
                pthread_rwlock_unlock(&resizeLock)
                throw LogError(.storage, "\(path) could not be opened again after a rewrite; start the process again")
            }
            var txnHandle: OpaquePointer?
            let rc = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txnHandle)
            if rc == MDB_MAP_RESIZED {
                pthread_rwlock_unlock(&resizeLock)
                try adoptForeignMapSize()
                continue
            }
            defer { pthread_rwlock_unlock(&resizeLock) }
            try lmdbCheck(rc, "mdb_txn_begin (read)")
            guard let txnHandle else { throw LogError(.storage, "mdb_txn_begin returned no transaction") }
            let txn = LMDBTransaction(txnHandle)
            defer { mdb_txn_abort(txnHandle) }
            return try body(txn)
        }
    }

    /// Runs `body` in a write transaction and commits (fsync) when it returns; aborts if it throws.
    ///
    /// When the map fills up, the transaction is aborted, the map doubled, and `body` runs again from
    /// scratch: the caller sees neither the failure nor a half-written state. `body` must therefore
    /// derive everything it writes from what it reads in the transaction (or from its inputs).
    func write<T>(_ body: (any Transaction) throws(LogError) -> T) throws(LogError) -> T {
        guard !readOnly else { throw LogError(.readOnly, "the log was opened read-only") }
        while true {
            pthread_rwlock_rdlock(&resizeLock)
            if isClosed {
                pthread_rwlock_unlock(&resizeLock)
                throw LogError(.storage, "\(path) could not be opened again after a rewrite; start the process again")
            }
            var txnHandle: OpaquePointer?
            let rc = mdb_txn_begin(env, nil, 0, &txnHandle)
            if rc == MDB_MAP_RESIZED {
                pthread_rwlock_unlock(&resizeLock)
                try adoptForeignMapSize()
                continue
            }
            guard rc == 0, let txnHandle else {
                pthread_rwlock_unlock(&resizeLock)
                throw lmdbError(rc, "mdb_txn_begin (write)")
            }
            let txn = LMDBTransaction(txnHandle)
            let result: Result<T, LogError>
            do throws(LogError) { result = .success(try body(txn)) } catch { result = .failure(error) }
            switch result {
            case .success(let value):
                let commitCode = mdb_txn_commit(txnHandle)
                pthread_rwlock_unlock(&resizeLock)
                if commitCode == 0 { return value }
                if commitCode == MDB_MAP_FULL {
                    try grow()
                    continue
                }
                throw lmdbError(commitCode, "mdb_txn_commit")
            case .failure(let error):
                mdb_txn_abort(txnHandle)
                pthread_rwlock_unlock(&resizeLock)
                if txn.sawMapFull {
                    try grow()
                    continue
                }
                throw error
            }
        }
    }

    /// Replaces the environment's data file by `newData` (a complete `data.mdb` written and synced
    /// elsewhere in the same file system), atomically, while no transaction of this process is open
    /// and no other process has the environment open; then opens it again with the named
    /// `databases`, in the order they were first opened, so that their handles keep their numbers.
    ///
    /// Implementation details: the resize lock held exclusively; `mdb_env_close`; an open file
    /// description lock (`F_OFD_SETLK`) on byte 0 of `lock.mdb`, which LMDB's own shared lock of
    /// every open environment conflicts with; `rename`; `fsync` of the directory; `mdb_env_open`;
    /// `mdb_dbi_open` for each database.
    /// - Returns: the databases' handles in the environment now open.
    /// - Throws: `.busy` when another process has the log open (nothing is replaced then; the
    ///   old data is open again).
    func replaceContent(with target: String, databases: [(name: String, duplicateSorted: Bool)]) throws(LogError) -> [Database] {
        let newData = target + "/data.mdb"
        pthread_rwlock_wrlock(&resizeLock)
        defer { pthread_rwlock_unlock(&resizeLock) }
        mdb_env_close(env)
        // Until it is open again, nothing may touch the closed handle (if opening fails, ever).
        isClosed = true
        var failure: LogError?
        let lockFile = open(path + "/lock.mdb", O_RDWR | O_CLOEXEC)
        if lockFile < 0 {
            failure = LogError(.storage, "\(path)/lock.mdb: cannot open (\(String(cString: strerror(errno))))")
        } else {
            var lock = flock()
            lock.l_type = Int16(F_WRLCK)
            lock.l_whence = Int16(SEEK_SET)
            lock.l_start = 0
            lock.l_len = 1
            if fcntl(lockFile, openFileDescriptionSetLock, &lock) != 0 {
                failure = LogError(.busy, "\(path) is open in another process (a running smcc command or server): it can be rewritten only when no one else has it open")
            } else if rename(newData, path + "/data.mdb") != 0 {
                failure = LogError(.storage, "cannot move the rewritten log into \(path) (\(String(cString: strerror(errno))))")
            } else {
                let directory = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                if directory >= 0 {
                    fsync(directory)
                    close(directory)
                }
            }
            close(lockFile)
        }
        // Open again: the new data when it is in place, the untouched old one otherwise.
        var handle: OpaquePointer?
        try lmdbCheck(mdb_env_create(&handle), "mdb_env_create")
        guard let handle else { throw LogError(.storage, "mdb_env_create returned no handle") }
        var opened: [Database] = []
        do throws(LogError) {
            try lmdbCheck(mdb_env_set_maxdbs(handle, 16), "mdb_env_set_maxdbs")
            try lmdbCheck(mdb_env_set_mapsize(handle, mapSize), "mdb_env_set_mapsize")
            try lmdbCheck(mdb_env_open(handle, path, UInt32(MDB_NOTLS) | (readOnly ? UInt32(MDB_RDONLY) : 0), 0o600), "reopening \(path)")
            var txnHandle: OpaquePointer?
            try lmdbCheck(mdb_txn_begin(handle, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txnHandle), "mdb_txn_begin")
            guard let txnHandle else { throw LogError(.storage, "mdb_txn_begin returned no transaction") }
            let txn = LMDBTransaction(txnHandle)
            do throws(LogError) {
                for database in databases {
                    opened.append(try txn.openDatabase(database.name, duplicateSorted: database.duplicateSorted, create: !readOnly))
                }
            } catch {
                mdb_txn_abort(txnHandle)
                throw error
            }
            try lmdbCheck(mdb_txn_commit(txnHandle), "mdb_txn_commit")
        } catch {
            mdb_env_close(handle)
            throw error
        }
        env = handle
        isClosed = false
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        mapSize = max(info.me_mapsize, mapSize)
        if let failure { throw failure }
        return opened
    }

    /// Forces the data to disk (`mdb_env_sync(env, 1)`): for an environment written with `MDB_NOSYNC`-free
    /// commits this only matters before a file is moved into place.
    func sync() throws(LogError) {
        try lmdbCheck(mdb_env_sync(env, 1), "mdb_env_sync")
    }

    /// Doubles the map. Holding the lock exclusively guarantees no transaction of this process is open.
    private func grow() throws(LogError) {
        pthread_rwlock_wrlock(&resizeLock)
        defer { pthread_rwlock_unlock(&resizeLock) }
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        let newSize = max(info.me_mapsize, mapSize) * 2
        try lmdbCheck(mdb_env_set_mapsize(env, newSize), "mdb_env_set_mapsize(\(newSize))")
        mapSize = newSize
    }

    /// Another process grew the map: adopt its size (`mdb_env_set_mapsize(env, 0)`).
    private func adoptForeignMapSize() throws(LogError) {
        pthread_rwlock_wrlock(&resizeLock)
        defer { pthread_rwlock_unlock(&resizeLock) }
        try lmdbCheck(mdb_env_set_mapsize(env, 0), "mdb_env_set_mapsize(0)")
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        mapSize = info.me_mapsize
    }
}

extension LMDBEnvironment {
    /// A new directory `LOG/.rewrite-…`, the owner's only, for the environment a rewrite writes.
    func makeRewriteTarget() throws(LogError) -> String {
        let scratch = path + "/.rewrite-" + LogHead(seq: 1, hash: Commitment.randomBytes(8)).hashHex
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LogError(.storage, "cannot create \(scratch): \(error.localizedDescription)")
        }
        return scratch
    }

    func discardRewriteTarget(_ target: String) {
        try? FileManager.default.removeItem(atPath: target)
    }

    func removeStaleRewrites() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names where name.hasPrefix(".rewrite-") {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
    }

    func bytesOnDisk() -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0
    }

    func takeWriterLock() throws(LogError) -> any WriterLockHolder {
        try WriterLock(log: path)
    }

    func destroy() {
        for file in ["data.mdb", "lock.mdb"] { try? FileManager.default.removeItem(atPath: path + "/" + file) }
        // Only when empty: the directory may have been the user's, with other files in it.
        rmdir(path)
    }
}

/// An LMDB transaction; valid only inside the closure that received it.
final class LMDBTransaction: Transaction {
    fileprivate let txn: OpaquePointer
    /// Set when a write failed with `MDB_MAP_FULL`: the environment grows and replays the write.
    fileprivate(set) var sawMapFull = false

    fileprivate init(_ txn: OpaquePointer) { self.txn = txn }

    fileprivate func openDatabase(_ name: String, duplicateSorted: Bool, create: Bool) throws(LogError) -> Database {
        var flags: UInt32 = 0
        if create { flags |= UInt32(MDB_CREATE) }
        if duplicateSorted { flags |= UInt32(MDB_DUPSORT) | UInt32(MDB_DUPFIXED) }
        var dbi = MDB_dbi()
        let rc = mdb_dbi_open(txn, name, flags, &dbi)
        if rc == MDB_NOTFOUND { throw LogError(.missing, "database \(name) is missing") }
        try lmdbCheck(rc, "mdb_dbi_open(\(name))")
        return Database(dbi: dbi, name: name, duplicateSorted: duplicateSorted)
    }

    func statistics(_ db: Database) throws(LogError) -> DatabaseStatistics {
        var stat = MDB_stat()
        try lmdbCheck(mdb_stat(txn, db.dbi, &stat), "mdb_stat(\(db.name))")
        let pages = Int(stat.ms_branch_pages) + Int(stat.ms_leaf_pages) + Int(stat.ms_overflow_pages)
        return DatabaseStatistics(entries: Int(stat.ms_entries), bytes: pages * Int(stat.ms_psize))
    }

    func get(_ db: Database, _ key: [UInt8]) throws(LogError) -> [UInt8]? {
        var value = MDB_val()
        let rc = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_get(txn, db.dbi, &keyVal, &value)
        }
        if rc == MDB_NOTFOUND { return nil }
        try lmdbCheck(rc, "mdb_get(\(db.name))")
        return Array(UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
    }

    /// `append` uses `MDB_APPEND` (the key must sort after every key).
    func put(_ db: Database, _ key: [UInt8], _ value: [UInt8], append: Bool) throws(LogError) {
        let flags = append ? UInt32(MDB_APPEND) : 0
        let rc = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var valueVal = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return mdb_put(txn, db.dbi, &keyVal, &valueVal, flags)
            }
        }
        if rc == MDB_MAP_FULL { sawMapFull = true }
        try lmdbCheck(rc, "mdb_put(\(db.name))")
    }

    func delete(_ db: Database, _ key: [UInt8]) throws(LogError) {
        let rc = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(txn, db.dbi, &keyVal, nil)
        }
        if rc == MDB_NOTFOUND { return }
        try lmdbCheck(rc, "mdb_del(\(db.name))")
    }

    /// `mdb_drop(…, 0)`.
    func empty(_ db: Database) throws(LogError) {
        try lmdbCheck(mdb_drop(txn, db.dbi, 0), "mdb_drop(\(db.name))")
    }

    func openCursor(_ db: Database) throws(LogError) -> any Cursor {
        var handle: OpaquePointer?
        try lmdbCheck(mdb_cursor_open(txn, db.dbi, &handle), "mdb_cursor_open(\(db.name))")
        guard let handle else { throw LogError(.storage, "mdb_cursor_open returned no cursor") }
        return LMDBCursor(handle, name: db.name)
    }
}

@available(*, unavailable)
extension LMDBTransaction: Sendable {}

/// An LMDB cursor over one database; the bytes it yields are LMDB's own pages.
final class LMDBCursor: Cursor {
    private let cursor: OpaquePointer
    private let name: String

    fileprivate init(_ cursor: OpaquePointer, name: String) {
        self.cursor = cursor
        self.name = name
    }

    /// `mdb_cursor_close`.
    func close() { mdb_cursor_close(cursor) }

    func move(_ position: CursorPosition) throws(LogError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        var key = MDB_val()
        var value = MDB_val()
        let rc: Int32
        switch position {
        case .first: rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
        case .last: rc = mdb_cursor_get(cursor, &key, &value, MDB_LAST)
        case .next: rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
        case .previous: rc = mdb_cursor_get(cursor, &key, &value, MDB_PREV)
        case .nextDuplicate: rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT_DUP)
        case .nextKey: rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT_NODUP)
        case .atOrAfter(let target), .exactly(let target):
            let operation = if case .exactly = position { MDB_SET_KEY } else { MDB_SET_RANGE }
            rc = target.withUnsafeBytes { targetBytes in
                key = MDB_val(mv_size: targetBytes.count, mv_data: UnsafeMutableRawPointer(mutating: targetBytes.baseAddress))
                return mdb_cursor_get(cursor, &key, &value, operation)
            }
        }
        if rc == MDB_NOTFOUND { return nil }
        try lmdbCheck(rc, "mdb_cursor_get(\(name))")
        return (UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size), UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
    }

    func duplicateCount() throws(LogError) -> Int {
        var count = 0
        try lmdbCheck(mdb_cursor_count(cursor, &count), "mdb_cursor_count(\(name))")
        return count
    }
}

@available(*, unavailable)
extension LMDBCursor: Sendable {}

/// `F_OFD_SETLK` (Linux ≥ 3.15): Glibc's header declares it only under `_GNU_SOURCE`, which the
/// Swift overlay does not define. Open file description locks belong to the open file, not the
/// process, so taking one never disturbs the `fcntl` locks LMDB holds for this process.
private let openFileDescriptionSetLock: Int32 = 37
