/// The tamper-evident chain of `Schemas/log-format.md` §4 (format 2):
/// `H(s) = SHA-256(H(s−1) ‖ BE64(s) ‖ BE64(time) ‖ P ‖ payload)`, `H(0)` all zeros, where `P` is
/// `0x00` for a record without a personal part and `0x01 ‖ C` with its 32-byte commitment `C`
/// otherwise — so the personal bytes can be erased and every hash stays what it was.
enum HashChain {
    static let checkpointInterval: UInt64 = 1024
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// Replaces `hash` (H(s−1)) by H(s) in place. One contiguous `update` over a reused
    /// scratch buffer: the profile of appends showed the per-call overhead of four `update`s and a
    /// fresh array per record costing more than the hashing itself.
    static func advance(_ hash: inout [UInt8], seq: UInt64, time: Int64, commitment: ArraySlice<UInt8>?, payload: ArraySlice<UInt8>, scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: hash)
        withUnsafeBytes(of: seq.bigEndian) { scratch.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(bitPattern: time).bigEndian) { scratch.append(contentsOf: $0) }
        if let commitment {
            scratch.append(1)
            scratch.append(contentsOf: commitment)
        } else {
            scratch.append(0)
        }
        scratch.append(contentsOf: payload)
        finish(&hash, scratch)
    }

    /// The chain of format 1 (`H(s−1) ‖ BE64(s) ‖ BE64(time) ‖ payload`), which an upgrade
    /// recomputes to check the log it reads.
    static func advanceLegacy(_ hash: inout [UInt8], seq: UInt64, time: Int64, payload: ArraySlice<UInt8>, scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: hash)
        withUnsafeBytes(of: seq.bigEndian) { scratch.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(bitPattern: time).bigEndian) { scratch.append(contentsOf: $0) }
        scratch.append(contentsOf: payload)
        finish(&hash, scratch)
    }

    private static func finish(_ hash: inout [UInt8], _ scratch: [UInt8]) {
        var hasher = ChainDigest()
        scratch.withUnsafeBytes { hasher.update($0) }
        hash.withUnsafeMutableBytes { hasher.finalize(into: $0) }
    }
}

/// The head of a log: its last sequence number and the chain hash there. Printed as `SEQ:HEX`, it is
/// what a person writes down to prove later that the log was not altered or cut short.
public struct LogHead: Hashable, Sendable, CustomStringConvertible {
    /// The last sequence number.
    public var seq: UInt64
    /// `H(seq)`, 32 bytes.
    public var hash: [UInt8]

    public init(seq: UInt64, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }

    /// Parses `SEQ:HEX` (64 hex digits).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = UInt64(parts[0]), seq > 0, parts[1].utf8.count == 64 else { return nil }
        var hash: [UInt8] = []
        var digits = parts[1].utf8.makeIterator()
        while let high = digits.next(), let low = digits.next() {
            guard let h = Self.nibble(high), let l = Self.nibble(low) else { return nil }
            hash.append(h << 4 | l)
        }
        self.seq = seq
        self.hash = hash
    }

    public var hashHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in hash {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { "\(seq):\(hashHex)" }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
