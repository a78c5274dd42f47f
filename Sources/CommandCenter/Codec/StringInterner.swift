/// Turns UTF-8 byte ranges into `String`s, returning the same `String` for the same bytes, so
/// that reading a million events by a hundred volunteers builds a hundred strings.
///
/// Why not `[ArraySlice<UInt8>: String]`: hashing a slice through `Hasher` costs a call per
/// byte and made interning slower than decoding the whole event. This is an open-addressing
/// table keyed by a multiplicative hash of the bytes, compared byte by byte on a hash match.
///
/// A value type and not thread-safe by design: give each projection its own. Memory grows with
/// the distinct strings seen; call ``removeAll()`` between logs if that matters.
public struct StringInterner: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        // A copy, never a slice of the caller's buffer, which would keep a whole decompressed
        // chunk alive for as long as the interner lives.
        var bytes: [UInt8]
        var string: String
    }

    private var entries: [Entry] = []
    /// Indices into `entries`, -1 for an empty slot; the count is a power of two kept at least
    /// twice the entries.
    private var slots: [Int32] = Array(repeating: -1, count: 64)

    /// Creates an empty interner.
    public init() {}

    /// The number of distinct strings held.
    public var count: Int { entries.count }

    /// The string whose UTF-8 encoding is `bytes`, built (and validated) on first sight only.
    /// - Throws: ``EventDecodingError`` if `bytes` is not valid UTF-8.
    @inline(__always)
    public mutating func intern(_ bytes: ArraySlice<UInt8>) throws(EventDecodingError) -> String {
        let hash = StringInterner.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            // Field by field, not `let entry = entries[index]`: a copy of the entry retains and
            // releases its array and string on every probe.
            if entries[index].hash == hash && entries[index].bytes.elementsEqual(bytes) { return entries[index].string }
            slot = (slot + 1) & mask
        }
        guard let string = UTF8Text.string(bytes) else {
            throw EventDecodingError("invalid UTF-8", offset: 0)
        }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(hash: hash, bytes: Array(bytes), string: string))
        if entries.count * 2 > slots.count { grow() }
        return string
    }

    /// Forgets every string.
    public mutating func removeAll() {
        entries.removeAll()
        slots = Array(repeating: -1, count: 64)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// FNV-1a over 8-byte words then bytes, with a final avalanche so the low bits (the slot)
    /// depend on every byte. Not for hostile input across trust boundaries: ids come from the log.
    @inline(__always)
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var i = bytes.startIndex
        while bytes.endIndex - i >= 8 {
            var word: UInt64 = 0
            for k in 0..<8 { word |= UInt64(bytes[i + k]) << (UInt64(k) * 8) }
            h = (h ^ word) &* 0x0000_0100_0000_01B3
            i += 8
        }
        while i < bytes.endIndex {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
