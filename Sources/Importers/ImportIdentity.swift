import Crypto
import Foundation

/// What makes two imports "the same import": the contents of their files, in order. Its hash keys
/// the progress mark an import keeps in the log, so a re-run resumes instead of appending twice.
enum ImportIdentity {
    /// The first 16 bytes of SHA-256 over the files' bytes, each file followed by its byte count
    /// (so moving bytes from one file to the next changes the identity), as hex.
    static func of(_ files: [String]) throws -> String {
        var hasher = SHA256()
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

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
