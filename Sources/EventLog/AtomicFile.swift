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

    private static func failure(_ message: String) -> LogError {
        LogError(.storage, "\(message) (\(String(cString: strerror(errno))))")
    }
}
