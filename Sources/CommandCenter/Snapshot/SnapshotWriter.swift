/// The byte form of projection state in a snapshot: varints, zigzag deltas, and strings written
/// once and then named by their position.
///
/// Not an interchange format: only this build reads what it wrote (``ProjectionSnapshots`` puts
/// the format version in each snapshot's name, so a newer build ignores older snapshots and
/// replays instead).
struct SnapshotWriter {
    private(set) var bytes: [UInt8] = []
    private var stringIds: [String: UInt32] = [:]

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Bytes another writer wrote, as they are.
    mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The number of elements that follow.
    mutating func count(_ value: Int) { varint(UInt64(value)) }

    /// A non-negative number that is not a count of elements (a total, an index).
    mutating func int(_ value: Int) { varint(UInt64(value)) }

    /// A signed value, zigzag-coded so that small negative deltas stay short.
    mutating func signed(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// `value − base`, signed: times close to a running base cost a byte or two.
    mutating func delta(_ value: Int64, from base: Int64) { signed(value &- base) }

    /// `nil` as 0, else the delta plus one.
    mutating func optionalDelta(_ value: Int64?, from base: Int64) {
        guard let value else { return varint(0) }
        varint(UInt64(bitPattern: ((value &- base) << 1) ^ ((value &- base) >> 63)) &+ 1)
    }

    mutating func double(_ value: Double) { varint(value.bitPattern) }

    /// A string inline, for strings that rarely repeat (post ids).
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// A string that repeats (actors, teams, hashtags): inline the first time, then its position.
    mutating func shared(_ value: String) {
        if let id = stringIds[value] {
            varint(UInt64(id) + 1)
        } else {
            stringIds[value] = UInt32(stringIds.count)
            varint(0)
            string(value)
        }
    }

    mutating func optionalShared(_ value: String?) {
        bool(value != nil)
        if let value { shared(value) }
    }

    /// A code byte of an optional enum: 0xFF for `nil`.
    mutating func optionalCode(_ code: UInt8?) { byte(code ?? 0xFF) }
}

/// Reads what ``SnapshotWriter`` wrote; every read fails with ``SnapshotReader/Damaged`` instead of
/// trapping on bytes that do not parse.
struct SnapshotReader {
    struct Damaged: Error {
        var offset: Int
    }

    private let bytes: [UInt8]
    private var position = 0
    private var strings: [String] = []

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads `bytes` from `offset` (at most their end).
    init(_ bytes: [UInt8], from offset: Int) {
        self.bytes = bytes
        position = min(max(0, offset), bytes.count)
    }

    var isAtEnd: Bool { position == bytes.count }
    /// Where the next read starts.
    var offset: Int { position }
    /// The end of the bytes.
    var end: Int { bytes.count }

    /// Moves on to `offset`, at or after the current one and at most the end.
    mutating func skip(to offset: Int) throws(Damaged) {
        guard offset >= position, offset <= bytes.count else { throw damaged() }
        position = offset
    }

    private func damaged() -> Damaged { Damaged(offset: position) }

    @inline(__always)
    mutating func byte() throws(Damaged) -> UInt8 {
        guard position < bytes.count else { throw damaged() }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func bool() throws(Damaged) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw damaged()
        }
    }

    /// Most numbers of a snapshot take one byte: that case inline, the others out of line.
    @inline(__always)
    mutating func varint() throws(Damaged) -> UInt64 {
        if position < bytes.count, bytes[position] < 0x80 {
            defer { position += 1 }
            return UInt64(bytes[position])
        }
        return try longVarint()
    }

    private mutating func longVarint() throws(Damaged) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw damaged() }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    /// A count, refused when it could not fit in what is left (one byte per element at least).
    mutating func count() throws(Damaged) -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - position) else { throw damaged() }
        return Int(value)
    }

    /// A non-negative number that is not a count of elements (a total, an index).
    mutating func int() throws(Damaged) -> Int {
        let value = try varint()
        guard value <= UInt64(Int.max) else { throw damaged() }
        return Int(value)
    }

    @inline(__always)
    mutating func signed() throws(Damaged) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    @inline(__always)
    mutating func delta(from base: Int64) throws(Damaged) -> Int64 { base &+ (try signed()) }

    @inline(__always)
    mutating func optionalDelta(from base: Int64) throws(Damaged) -> Int64? {
        let raw = try varint()
        guard raw > 0 else { return nil }
        let zigzag = raw &- 1
        return base &+ (Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
    }

    mutating func double() throws(Damaged) -> Double { Double(bitPattern: try varint()) }

    mutating func string() throws(Damaged) -> String {
        let length = try count()
        defer { position += length }
        return String(decoding: bytes[position..<position + length], as: UTF8.self)
    }

    /// The UTF-8 of a string written by ``SnapshotWriter/string(_:)``, not checked.
    mutating func stringBytes() throws(Damaged) -> ArraySlice<UInt8> {
        let length = try count()
        defer { position += length }
        return bytes[position..<position + length]
    }

    mutating func shared() throws(Damaged) -> String {
        let id = try varint()
        if id == 0 {
            let value = try string()
            strings.append(value)
            return value
        }
        guard id <= UInt64(strings.count) else { throw damaged() }
        return strings[Int(id - 1)]
    }

    mutating func optionalShared() throws(Damaged) -> String? {
        try bool() ? try shared() : nil
    }

    /// The enum stored as `code`, `nil` for 0xFF; damaged when the code names no case.
    mutating func optionalCode<Value>(_ make: (UInt8) -> Value?) throws(Damaged) -> Value? {
        let code = try byte()
        if code == 0xFF { return nil }
        guard let value = make(code) else { throw damaged() }
        return value
    }

    mutating func code<Value>(_ make: (UInt8) -> Value?) throws(Damaged) -> Value {
        guard let value = make(try byte()) else { throw damaged() }
        return value
    }
}
