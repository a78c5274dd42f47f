/// A cursor over one payload that reads the primitive field encodings of
/// `Schemas/log-format.md` §6, checking every bound: any byte sequence either decodes or throws.
struct PayloadReader {
    let bytes: ArraySlice<UInt8>
    var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    /// The offset of `index` from the start of the payload, for messages.
    var offset: Int { index - bytes.startIndex }

    func error(_ message: String) -> EventDecodingError {
        EventDecodingError(message, offset: offset)
    }

    @inline(__always)
    mutating func byte(_ field: String) throws(EventDecodingError) -> UInt8 {
        guard index < bytes.endIndex else { throw error("field '\(field)': payload ends early") }
        let byte = bytes[index]
        index += 1
        return byte
    }

    /// A varint of at most 10 bytes whose value fits in 64 bits.
    @inline(__always)
    mutating func varint(_ field: String) throws(EventDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            if shift == 63 && byte > 1 {
                throw error("field '\(field)': varint overflows 64 bits")
            }
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw error("field '\(field)': payload ends inside a varint")
    }

    /// A varint length that must fit in the bytes left; returns the range it covers and skips it.
    @inline(__always)
    mutating func lengthPrefixedRange(_ field: String) throws(EventDecodingError) -> Range<Int> {
        let length = try varint(field)
        let left = bytes.endIndex - index
        guard length <= UInt64(left) else {
            throw error("field '\(field)': length \(length) runs past the payload (\(left) bytes left)")
        }
        let start = index
        index += Int(length)
        return start..<index
    }

    @inline(__always)
    mutating func string(_ field: String) throws(EventDecodingError) -> String {
        let start = index
        let range = try lengthPrefixedRange(field)
        guard let string = UTF8Text.string(bytes[range]) else {
            index = start
            throw error("field '\(field)': invalid UTF-8")
        }
        return string
    }

    mutating func strings(_ field: String) throws(EventDecodingError) -> [String] {
        let count = try varint(field)
        // Each string takes at least its length byte, so a count larger than the bytes left is
        // a lie; checking it first keeps a forged count from reserving gigabytes.
        guard count <= UInt64(bytes.endIndex - index) else {
            throw error("field '\(field)': count \(count) runs past the payload")
        }
        var result: [String] = []
        result.reserveCapacity(Int(count))
        for _ in 0..<count { result.append(try string(field)) }
        return result
    }

    /// **count**: a varint that fits in `Int` (a platform's counter).
    mutating func count(_ field: String) throws(EventDecodingError) -> Int {
        let start = index
        let value = try varint(field)
        guard value <= UInt64(Int.max) else {
            index = start
            throw error("field '\(field)': count \(value) is above 2^63 - 1")
        }
        return Int(value)
    }

    @inline(__always)
    mutating func time(_ field: String, relativeTo at: Timestamp) throws(EventDecodingError) -> Timestamp {
        let zigzag = try varint(field)
        let delta = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
        return Timestamp(milliseconds: at.milliseconds &+ delta)
    }

    @inline(__always)
    mutating func enumeration<Value>(
        _ field: String, _ make: (UInt8) -> Value?
    ) throws(EventDecodingError) -> Value {
        let code = try byte(field)
        guard let value = make(code) else {
            index -= 1
            throw error("field '\(field)': value \(code) out of range")
        }
        return value
    }

    /// The flags varint; refuses a bit the kind does not define.
    mutating func flags(definedBits: Int, kind: EventKind) throws(EventDecodingError) -> UInt64 {
        let start = index
        let flags = try varint("flags")
        guard flags >> UInt64(definedBits) == 0 else {
            index = start
            throw error("flags \(flags): \(kind.name) defines only \(definedBits) flag bit(s)")
        }
        return flags
    }

    func finish() throws(EventDecodingError) {
        guard index == bytes.endIndex else {
            throw error("\(bytes.endIndex - index) byte(s) left over after the last field")
        }
    }
}
