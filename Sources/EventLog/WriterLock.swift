import Glibc

/// The log's writer lock, held by a process for the whole of a write that spans several
/// transactions (an import, a simulation, a server). LMDB already serializes single transactions;
/// this keeps a second multi-transaction writer from interleaving its batches with the first's,
/// which could refuse the second half-way (its times would go backwards) after some of its batches
/// were committed. The kernel releases the lock when the process dies.
///
/// The lock is an `flock` on the log's directory itself, not on a file inside it: a lock file can be
/// unlinked while held (and a second writer then locks a new file of the same name), a directory
/// holding a log cannot. It is only a guard against mistakes; what makes two writers harmless is
/// the head check inside every append transaction (`append(..., expectedHead:)`).
final class WriterLock: WriterLockHolder, @unchecked Sendable {
    // The descriptor is only closed in deinit; flock on it is thread-safe.
    private let descriptor: Int32

    /// Takes the lock of the log in `path`, failing at once if another process holds it.
    ///
    /// - Throws: `LogError` with `.busy` naming the log when another writer holds it.
    /// Implementation details: `open(O_RDONLY | O_DIRECTORY)` + `flock(LOCK_EX | LOCK_NB)`.
    init(log path: String) throws(LogError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno
            if reason == ENOENT { throw LogError(.missing, "\(path): no such log (create one with `smcc init \(path)`)") }
            if reason == ENOTDIR { throw LogError(.notALog, "\(path) is not a log directory") }
            throw LogError(.permissionDenied, "\(path): cannot open the log directory to lock it (\(String(cString: strerror(reason))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw LogError(.busy, "another smcc process is writing to \(path) (an import, a simulation or a server); try again when it ends")
            }
            throw LogError(.storage, "\(path): flock failed (\(String(cString: strerror(reason))))")
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
