import Glibc

/// Small files beside a log (the server's `tokens`) that must never be seen half-written, nor
/// lose an update to a concurrent writer.
public enum AtomicFile {
    /// Replaces the file at `path` with `bytes`, created with `mode`: written to a new temporary
    /// file in the same directory, synced, renamed over `path`, and the directory synced, so a
    /// reader sees the old file or the new one, never a mix, and once this returns a crash keeps
    /// the new one. Concurrent writers must hold ``withLock(_:_:)``, or the last rename wins.
    ///
    /// - Throws: `LogError` with `.storage` naming the file.
    /// Implementation details: `open(O_CREAT|O_EXCL, mode)` on a random name, `write`, `fsync`,
    /// `rename`, `fsync` of the directory.
    public static func replace(_ path: String, with bytes: [UInt8], mode: UInt32) throws(LogError) {
        var temporary = ""
        var descriptor: Int32 = -1
        for _ in 0..<8 {
            temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0 ... .max))"
            descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode_t(mode))
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(descriptor)
                unlink(temporary)
                throw failure("cannot write \(temporary)")
            }
            written += count
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("cannot replace \(path)")
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw failure("cannot open \(directory) to sync it") }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw failure("cannot sync \(directory)") }
    }

    /// Runs `body` holding an exclusive advisory lock on the file `lockPath` (created if missing),
    /// waiting for another holder to finish: how read-modify-write updates of a small file (a
    /// token issued while another is revoked) are serialised across processes.
    ///
    /// - Throws: `LogError` with `.storage` when the lock file cannot be opened or locked, or what `body` throws.
    /// Implementation details: `open(O_CREAT)`, `flock(LOCK_EX)` (blocking), `close` releases it.
    public static func withLock<T, E: Error>(_ lockPath: String, _ body: () throws(E) -> T) throws -> T {
        let descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot open the lock \(lockPath)") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("cannot lock \(lockPath)") }
        }
        return try body()
    }

    /// What changes when the file at `path` is replaced or rewritten: its inode, size, and
    /// modification and change times (ns); `nil` when there is no such file. One `stat`, no
    /// allocation, so a server may check it on every request.
    public static func signature(_ path: String) -> [Int64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [Int64(bitPattern: UInt64(status.st_ino)), Int64(status.st_size),
                Int64(status.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(status.st_mtim.tv_nsec),
                Int64(status.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(status.st_ctim.tv_nsec)]
    }

    private static func failure(_ message: String) -> LogError {
        LogError(.storage, "\(message) (\(String(cString: strerror(errno))))")
    }
}
