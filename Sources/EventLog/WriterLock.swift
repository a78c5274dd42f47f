import Glibc

/// An advisory lock (`flock`) on `LOG/writer.lock`, held by a process for the whole of a write that
/// spans several transactions (an import, a simulation, a server). LMDB already serializes single
/// transactions; this keeps a second multi-transaction writer from interleaving its batches with
/// the first's, which could refuse the second half-way (its times would go backwards) after some
/// of its batches were committed. The kernel releases the lock when the process dies.
public final class WriterLock: @unchecked Sendable {
    // The descriptor is only closed in deinit; flock on it is thread-safe.
    private let descriptor: Int32

    /// Takes the lock of the log in `path`, failing at once if another process holds it.
    ///
    /// - Throws: `LogError` with `.busy` naming the log when another writer holds it.
    /// Implementation details: `open(O_CREAT)` + `flock(LOCK_EX | LOCK_NB)`.
    public init(log path: String) throws(LogError) {
        let file = path + "/writer.lock"
        let descriptor = open(file, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LogError(.permissionDenied, "\(file): cannot open the writer lock (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw LogError(.busy, "another smcc process is writing to \(path) (an import, a simulation or a server); try again when it ends")
            }
            throw LogError(.storage, "\(file): flock failed (\(String(cString: strerror(reason))))")
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
