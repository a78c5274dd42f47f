import Crypto
import Foundation

/// What makes two imports "the same import": the contents of their files, in order. Its hash keys
/// the progress mark an import keeps in the log, so a re-run resumes instead of appending twice.
enum ImportIdentity {
    /// The first 16 bytes of SHA-256 over the files' bytes, each file followed by its byte count
    /// (so moving bytes from one file to the next changes the identity), as hex.
    ///
    /// - Parameter context: what else decides the import's events (an archive's formats and
    ///   options), hashed first: the same files imported another way are another import.
    static func of(_ files: [String], context: String = "") throws -> String {
        var hasher = SHA256()
        if !context.isEmpty {
            hasher.update(data: Array(context.utf8))
            withUnsafeBytes(of: UInt64(context.utf8.count).bigEndian) { hasher.update(bufferPointer: $0) }
        }
        for file in files {
            var size: UInt64 = 0
            try LineReader.forEachBlock(of: file) { block in
                hasher.update(data: block)
                size += UInt64(block.count)
            }
            withUnsafeBytes(of: size.bigEndian) { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize().prefix(16).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    static func encodeCount(_ count: Int) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(count) >> (56 - 8 * UInt64($0))) }
    }

    static func decodeCount(_ bytes: [UInt8]) -> Int? {
        guard bytes.count == 8 else { return nil }
        return Int(bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
}

/// How far an archive import got, stored with each of its batches (`app:import:<identity>`): the
/// posts (in the import's time order) whose events are in the log, the log's head after that
/// batch, and whether the log was empty when the import began. When the head is still that one,
/// nothing else was appended since, so a re-run can go on exactly where the first stopped.
struct ArchiveProgress: Equatable {
    var postsDone: Int
    var head: UInt64
    var logWasEmpty: Bool

    var bytes: [UInt8] {
        ImportIdentity.encodeCount(postsDone) + ImportIdentity.encodeCount(Int(head)) + [logWasEmpty ? 1 : 0]
    }

    init(postsDone: Int, head: UInt64, logWasEmpty: Bool) {
        self.postsDone = postsDone
        self.head = head
        self.logWasEmpty = logWasEmpty
    }

    init?(_ bytes: [UInt8]) {
        guard bytes.count == 17, let done = ImportIdentity.decodeCount(Array(bytes[0..<8])),
              let head = ImportIdentity.decodeCount(Array(bytes[8..<16])), bytes[16] <= 1 else { return nil }
        self.init(postsDone: done, head: UInt64(head), logWasEmpty: bytes[16] == 1)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
