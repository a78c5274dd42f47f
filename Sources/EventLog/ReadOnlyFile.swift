import Glibc

/// A file read at byte offsets, for the importers: their second pass reads rows again in time
/// order, far apart in the file, by the offsets the first pass noted. One `pread` per read, where
/// Foundation's `FileHandle` made three system calls (`lseek`, `fstat`, `read`) and a `Data` copy:
/// that was a sixth of an archive import's CPU. Here because this module is the one that makes
/// system calls.
public final class ReadOnlyFile {
    /// Why a file could not be opened or read: the system's reason, for the caller to put beside the path.
    public struct Failure: Error, Sendable {
        public let reason: String
    }

    private let descriptor: Int32

    /// Opens `path` for reading.
    /// - Throws: `Failure` (missing, a directory, no permission).
    public init(path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure() }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let failure = Self.failure()
            close(descriptor)
            throw failure
        }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            close(descriptor)
            throw Failure(reason: "a directory, not a file")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Appends up to `count` bytes of the file from `offset` to `buffer`.
    /// - Returns: how many were appended: fewer than `count` only at the end of the file.
    /// - Throws: `Failure` (an I/O error); `buffer` is then as it was.
    @discardableResult
    public func read(at offset: Int, count: Int, appendingTo buffer: inout [UInt8]) throws(Failure) -> Int {
        precondition(offset >= 0 && count >= 0)
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var done = 0
        var failed = false
        buffer.withUnsafeMutableBytes { bytes in
            while done < count {
                let read = pread(descriptor, bytes.baseAddress! + start + done, count - done, off_t(offset + done))
                if read < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                if read == 0 { return }
                done += read
            }
        }
        if failed {
            let failure = Self.failure()
            buffer.removeLast(count)
            throw failure
        }
        buffer.removeLast(count - done)
        return done
    }

    private static func failure() -> Failure {
        Failure(reason: String(cString: strerror(errno)))
    }
}
