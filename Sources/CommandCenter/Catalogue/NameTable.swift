/// Strings interned as dense integer ids (0, 1, 2, … in order of first sight), found by their
/// UTF-8 bytes without building a `String`: the volunteers, actors, teams, hashtags and authors of
/// a log, each id stored by the projections in place of the string.
///
/// An open-addressing table of positions keyed by a hash of the bytes (``StringInterner``'s), the
/// bytes of every name back to back for the comparison on a hash match, and the `String` of each
/// name built once, when it is first seen. Equality is by the names and their order.
struct NameTable: Sendable {
    /// The names, by id.
    private(set) var strings: [String] = []
    private var utf8: [UInt8] = []
    /// End of each name in `utf8` (its start is the previous end).
    private var ends: [UInt32] = []
    private var hashes: [UInt32] = []
    /// Ids, -1 for a free cell; the count is a power of two, at least twice the names.
    private var cells: [Int32] = Array(repeating: -1, count: 16)

    init() {}

    /// How many names the table holds.
    var count: Int { strings.count }

    /// The name with id `id`.
    subscript(id: UInt32) -> String { strings[Int(id)] }

    /// The id of the name whose UTF-8 is `bytes`, adding it if new.
    /// - Throws: ``EventDecodingError`` for bytes that are not UTF-8 (checked on first sight only:
    ///   equal bytes found later are the same valid name).
    @inline(__always)
    mutating func intern(_ bytes: ArraySlice<UInt8>) throws(EventDecodingError) -> UInt32 {
        let hash = StringInterner.hash(bytes)
        var cell = Int(truncatingIfNeeded: hash) & (cells.count - 1)
        while true {
            let id = cells[cell]
            if id < 0 { break }
            if hashes[Int(id)] == UInt32(truncatingIfNeeded: hash >> 32) && equals(Int(id), bytes) { return UInt32(id) }
            cell = (cell + 1) & (cells.count - 1)
        }
        guard let string = UTF8Text.string(bytes) else { throw EventDecodingError("invalid UTF-8 in a name", offset: 0) }
        return insert(bytes, string, hash: hash, at: cell)
    }

    /// The id of `name`, adding it if new.
    mutating func intern(_ name: String) -> UInt32 {
        let bytes = Array(name.utf8)[...]
        let hash = StringInterner.hash(bytes)
        var cell = Int(truncatingIfNeeded: hash) & (cells.count - 1)
        while true {
            let id = cells[cell]
            if id < 0 { break }
            if hashes[Int(id)] == UInt32(truncatingIfNeeded: hash >> 32) && equals(Int(id), bytes) { return UInt32(id) }
            cell = (cell + 1) & (cells.count - 1)
        }
        return insert(bytes, name, hash: hash, at: cell)
    }

    /// The id of `name`, if the table has it.
    func id(of name: String) -> UInt32? {
        let bytes = Array(name.utf8)[...]
        let hash = StringInterner.hash(bytes)
        var cell = Int(truncatingIfNeeded: hash) & (cells.count - 1)
        while true {
            let id = cells[cell]
            if id < 0 { return nil }
            if hashes[Int(id)] == UInt32(truncatingIfNeeded: hash >> 32) && equals(Int(id), bytes) { return UInt32(id) }
            cell = (cell + 1) & (cells.count - 1)
        }
    }

    /// Makes room for `count` names without growing.
    mutating func reserveCapacity(_ count: Int) {
        strings.reserveCapacity(count)
        ends.reserveCapacity(count)
        hashes.reserveCapacity(count)
        var size = cells.count
        while size < count * 2 { size *= 2 }
        if size > cells.count { rehash(size) }
    }

    @inline(__always)
    private func equals(_ id: Int, _ bytes: ArraySlice<UInt8>) -> Bool {
        let start = id == 0 ? 0 : Int(ends[id - 1])
        let end = Int(ends[id])
        guard end - start == bytes.count else { return false }
        var i = start
        for byte in bytes {
            if utf8[i] != byte { return false }
            i += 1
        }
        return true
    }

    private mutating func insert(_ bytes: ArraySlice<UInt8>, _ string: String, hash: UInt64, at cell: Int) -> UInt32 {
        let id = UInt32(strings.count)
        cells[cell] = Int32(id)
        strings.append(string)
        utf8.append(contentsOf: bytes)
        ends.append(UInt32(utf8.count))
        hashes.append(UInt32(truncatingIfNeeded: hash >> 32))
        if strings.count * 2 > cells.count { rehash(cells.count * 2) }
        return id
    }

    private mutating func rehash(_ size: Int) {
        cells = Array(repeating: -1, count: size)
        let mask = size - 1
        for id in strings.indices {
            let start = id == 0 ? 0 : Int(ends[id - 1])
            var cell = Int(truncatingIfNeeded: StringInterner.hash(utf8[start..<Int(ends[id])])) & mask
            while cells[cell] >= 0 { cell = (cell + 1) & mask }
            cells[cell] = Int32(id)
        }
    }
}

extension NameTable: Equatable {
    static func == (lhs: NameTable, rhs: NameTable) -> Bool { lhs.strings == rhs.strings }
}
