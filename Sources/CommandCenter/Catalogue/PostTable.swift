/// Post keys → positions (a post's slot in a projection's arrays): the lookup every post event
/// of a replay makes, often twice.
///
/// Why not a `Dictionary`: with the per-process seeded SipHash of `Hasher`, hashing was 15% of a
/// replay even for an integer key (perf, 1M events). Numbered keys live in an open-addressing
/// table with linear probing and a multiplicative hash of the number; the rare other ids in a
/// `Dictionary`. Equality is by content, not by layout: tables built in another order (a replay,
/// a snapshot load) compare equal when they map the same keys to the same positions.
struct PostTable: Sendable {
    private var numbers: [UInt64] = []
    /// The channel code of each cell; `empty` for a free cell.
    private var channels: [UInt8] = []
    private var positions: [Int32] = []
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
                while channels[cell] != Self.empty {
                    if numbers[cell] == number && channels[cell] == channel { return positions[cell] }
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
            if (numbered + 1) * 4 > channels.count * 3 { grow(to: Swift.max(64, channels.count * 2)) }
            var cell = Self.hash(channel, number) & mask
            while channels[cell] != Self.empty {
                if numbers[cell] == number && channels[cell] == channel {
                    defer { positions[cell] = position }
                    return positions[cell]
                }
                cell = (cell + 1) & mask
            }
            channels[cell] = channel
            numbers[cell] = number
            positions[cell] = position
            numbered += 1
            return nil
        case .other(let id):
            return others.updateValue(position, forKey: id)
        }
    }

    /// Makes room for `count` keys without growing.
    mutating func reserveCapacity(_ count: Int) {
        var cells = 64
        while cells * 3 < count * 4 { cells *= 2 }
        if cells > channels.count { grow(to: cells) }
    }

    private mutating func grow(to cells: Int) {
        let (oldNumbers, oldChannels, oldPositions) = (numbers, channels, positions)
        numbers = Array(repeating: 0, count: cells)
        channels = Array(repeating: Self.empty, count: cells)
        positions = Array(repeating: 0, count: cells)
        mask = cells - 1
        for cell in oldChannels.indices where oldChannels[cell] != Self.empty {
            var target = Self.hash(oldChannels[cell], oldNumbers[cell]) & mask
            while channels[target] != Self.empty { target = (target + 1) & mask }
            channels[target] = oldChannels[cell]
            numbers[target] = oldNumbers[cell]
            positions[target] = oldPositions[cell]
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
        for cell in lhs.channels.indices where lhs.channels[cell] != empty {
            guard rhs[.numbered(channel: lhs.channels[cell], number: lhs.numbers[cell])] == lhs.positions[cell] else { return false }
        }
        return true
    }
}
