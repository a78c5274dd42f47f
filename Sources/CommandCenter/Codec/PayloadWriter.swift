// The primitive field encodings of `Schemas/log-format.md` §6, appended to a byte array.

extension Array where Element == UInt8 {
    /// Unsigned LEB128: 7 bits per byte, low groups first, high bit on every byte but the last.
    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }

    /// **string**: the UTF-8 byte length as a varint, then the bytes.
    @inline(__always)
    mutating func appendString(_ string: String) {
        let utf8 = string.utf8
        appendVarint(UInt64(utf8.count))
        append(contentsOf: utf8)
    }

    /// **strings**: the count as a varint, then each string.
    mutating func appendStrings(_ strings: [String]) {
        appendVarint(UInt64(strings.count))
        for string in strings { appendString(string) }
    }

    /// **time**: `zigzag(time − at)` as a varint. A field time is usually close to the record
    /// time, so the delta takes 3–4 bytes where the absolute time would take 6. Wrapping
    /// arithmetic keeps every pair of Int64 times representable, and decoding undoes it exactly.
    @inline(__always)
    mutating func appendTime(_ time: Timestamp, relativeTo at: Timestamp) {
        let delta = time.milliseconds &- at.milliseconds
        appendVarint(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)))
    }
}
