import Glibc

/// Small files beside a log (the server's `tokens`) that must never be seen half-written.
public enum AtomicFile {
    /// Replaces the file at `path` with `bytes`, created with `mode`: written to a temporary file
    /// in the same directory, synced, then renamed over `path`, so a reader sees the old file or
    /// the new one, never a mix, and a crash leaves one of the two.
    ///
    /// - Throws: `LogError` with `.storage` naming the file.
    /// Implementation details: `open(O_CREAT|O_EXCL, mode)`, `write`, `fsync`, `rename`.
    public static func replace(_ path: String, with bytes: [UInt8], mode: UInt32) throws(LogError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode_t(mode))
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
    }

    /// What changes when the file at `path` is replaced or rewritten: its inode, size and
    /// modification time (ns); `nil` when there is no such file. One `stat`, no allocation, so a
    /// server may check it on every request.
    public static func signature(_ path: String) -> [Int64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [Int64(bitPattern: UInt64(status.st_ino)), Int64(status.st_size),
                Int64(status.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(status.st_mtim.tv_nsec)]
    }

    private static func failure(_ message: String) -> LogError {
        LogError(.storage, "\(message) (\(String(cString: strerror(errno))))")
    }
}
