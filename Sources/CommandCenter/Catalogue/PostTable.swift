/// Post keys → positions (a post's slot in a projection's arrays): the lookup every post event
/// of a replay makes, often twice.
///
/// Why not a `Dictionary`: with the per-process seeded SipHash of `Hasher`, hashing was 15% of a
/// replay even for an integer key (perf, 1M events). Numbered keys live in an open-addressing
/// table with linear probing and a multiplicative hash of the number; the rare other ids in a
/// `Dictionary`. Equality is by content, not by layout: tables built in another order (a replay,
/// a snapshot load) compare equal when they map the same keys to the same positions.
struct PostTable: Sendable {
    /// One cell of the table: the key's number, its position and its channel code in 16 bytes,
    /// so that a probe touches one cache line, not three arrays (a snapshot load inserts every
    /// post of the log, each at a random cell).
    private struct Cell {
        var number: UInt64
        var position: Int32
        /// `empty` for a free cell.
        var channel: UInt8

        static let free = Cell(number: 0, position: 0, channel: PostTable.empty)
    }

    private var cells: [Cell] = []
    private var others: [String: Int32] = [:]
    private var numbered = 0
    private var mask = 0

    private static let empty: UInt8 = 0xFF

    init() {}

    /// How many keys the table holds.
    var count: Int { numbered + others.count }

    /// The position of `key`, or `nil`; setting `nil` is not supported (posts are never forgotten).
    subscript(key: PostKey) -> Int32? {
        get {
            switch key {
            case .numbered(let channel, let number):
                guard mask > 0 else { return nil }
                var cell = Self.hash(channel, number) & mask
                while cells[cell].channel != Self.empty {
                    if cells[cell].number == number && cells[cell].channel == channel { return cells[cell].position }
                    cell = (cell + 1) & mask
                }
                return nil
            case .other(let id):
                return others[id]
            }
        }
        set {
            guard let newValue else { preconditionFailure("PostTable never removes a key") }
            updateValue(newValue, forKey: key)
        }
    }

    /// Sets the position of `key`; returns the position it replaced, if any.
    @discardableResult
    mutating func updateValue(_ position: Int32, forKey key: PostKey) -> Int32? {
        switch key {
        case .numbered(let channel, let number):
            if (numbered + 1) * 4 > cells.count * 3 { grow(to: Swift.max(64, cells.count * 2)) }
            var cell = Self.hash(channel, number) & mask
            while cells[cell].channel != Self.empty {
                if cells[cell].number == number && cells[cell].channel == channel {
                    defer { cells[cell].position = position }
                    return cells[cell].position
                }
                cell = (cell + 1) & mask
            }
            cells[cell] = Cell(number: number, position: position, channel: channel)
            numbered += 1
            return nil
        case .other(let id):
            return others.updateValue(position, forKey: id)
        }
    }

    /// Adds `keys`, which are new, at the positions of their indices (a snapshot's post ids):
    /// `false` when one is already in the table or repeated (the table is then unusable).
    ///
    /// Why not one `updateValue` each: each insert of a large table misses the cache at a random
    /// cell; inserted in the order of their cells, the keys walk the table once.
    mutating func insertNew(_ keys: ArraySlice<PostKey>) -> Bool {
        reserveCapacity(count + keys.count)
        // A counting sort of the new cells by the top bits of their home cell, so that both the
        // keys and the table are read in order.
        let shift = Swift.max(0, mask.nonzeroBitCount - 16)
        var starts = [Int](repeating: 0, count: (mask >> shift) + 2)
        for key in keys {
            guard case .numbered(let channel, let number) = key else { continue }
            starts[(Self.hash(channel, number) & mask) >> shift + 1] += 1
        }
        for group in starts.indices.dropFirst() { starts[group] += starts[group - 1] }
        var staged = [Cell](repeating: .free, count: starts[starts.count - 1])
        for (position, key) in zip(keys.indices, keys) {
            switch key {
            case .numbered(let channel, let number):
                let group = (Self.hash(channel, number) & mask) >> shift
                staged[starts[group]] = Cell(number: number, position: Int32(position), channel: channel)
                starts[group] += 1
            case .other(let id):
                guard others.updateValue(Int32(position), forKey: id) == nil else { return false }
            }
        }
        for new in staged {
            var cell = Self.hash(new.channel, new.number) & mask
            while cells[cell].channel != Self.empty {
                if cells[cell].number == new.number && cells[cell].channel == new.channel { return false }
                cell = (cell + 1) & mask
            }
            cells[cell] = new
        }
        numbered += staged.count
        return true
    }

    /// Makes room for `count` keys without growing.
    mutating func reserveCapacity(_ count: Int) {
        var size = 64
        while size * 3 < count * 4 { size *= 2 }
        if size > cells.count { grow(to: size) }
    }

    private mutating func grow(to size: Int) {
        let old = cells
        cells = Array(repeating: .free, count: size)
        mask = size - 1
        for cell in old where cell.channel != Self.empty {
            var target = Self.hash(cell.channel, cell.number) & mask
            while cells[target].channel != Self.empty { target = (target + 1) & mask }
            cells[target] = cell
        }
    }

    /// Fibonacci hashing: platform ids are often sequential or share low bits (snowflakes), and
    /// the multiplication spreads them over the high bits, which the shift brings down.
    @inline(__always)
    private static func hash(_ channel: UInt8, _ number: UInt64) -> Int {
        Int(truncatingIfNeeded: ((number ^ UInt64(channel)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }
}

extension PostTable: Equatable {
    static func == (lhs: PostTable, rhs: PostTable) -> Bool {
        guard lhs.numbered == rhs.numbered, lhs.others == rhs.others else { return false }
        for cell in lhs.cells where cell.channel != empty {
            guard rhs[.numbered(channel: cell.channel, number: cell.number)] == cell.position else { return false }
        }
        return true
    }
}
