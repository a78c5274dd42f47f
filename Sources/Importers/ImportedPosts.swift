import CommandCenter

/// What an archive import knows of each of its posts, by key: the first pass fills it, the
/// translator marks each post handled as it goes.
///
/// A `[PostKey: Known]` of a million posts took 80 MiB (40 bytes a bucket, twice as many buckets
/// as posts) and 120 MiB while it grew, most of an import's memory, and each lookup was SipHash
/// and a cache miss. Numbered keys (every platform's ids, in practice) live here in flat arrays,
/// 18 bytes a slot, at most three quarters full, found by a multiplicative hash of the id with a
/// random seed (so that ids chosen to collide cannot be prepared in advance); any other key in a
/// dictionary beside them.
struct ImportedPosts {
    typealias Known = HistoryTranslator.Known

    /// Where a post is, to read and update it without looking it up again; valid until the next
    /// insertion.
    enum Index {
        case numbered(Int)
        case other(Dictionary<PostKey, Known>.Index)
    }

    private static let initialCapacity = 1 << 10
    private static let isTeamFlag: UInt8 = 1, handledFlag: UInt8 = 2, preexistingFlag: UInt8 = 4

    private var numbers: [UInt64]
    private var times: [Int64]
    /// The channel code plus one; 0 for an empty slot.
    private var channels: [UInt8]
    private var flags: [UInt8]
    private var numberedCount = 0
    /// log2 of the slot count.
    private var bits: Int
    private let seed = UInt64.random(in: 0 ... .max)
    private var others: [PostKey: Known] = [:]

    init() {
        bits = Self.initialCapacity.trailingZeroBitCount
        numbers = Array(repeating: 0, count: Self.initialCapacity)
        times = Array(repeating: 0, count: Self.initialCapacity)
        channels = Array(repeating: 0, count: Self.initialCapacity)
        flags = Array(repeating: 0, count: Self.initialCapacity)
    }

    var count: Int { numberedCount + others.count }

    /// Every key, in no particular order.
    var keys: [PostKey] {
        var keys = Array(others.keys)
        keys.reserveCapacity(count)
        for slot in channels.indices where channels[slot] != 0 {
            keys.append(.numbered(channel: channels[slot] - 1, number: numbers[slot]))
        }
        return keys
    }

    /// Adds `known` as what is known of `key`, unless the table has `key` already.
    mutating func insertIfAbsent(_ key: PostKey, _ known: Known) {
        guard case .numbered(let channel, let number) = key, channel < .max else {
            if others[key] == nil { others[key] = known }
            return
        }
        var slot = self.slot(channel, number)
        if channels[slot] != 0 { return }
        if (numberedCount + 1) * 4 > channels.count * 3 {
            grow()
            slot = self.slot(channel, number)
        }
        numbers[slot] = number
        channels[slot] = channel + 1
        set(known, at: slot)
        numberedCount += 1
    }

    subscript(key: PostKey) -> Known? {
        index(of: key).map { self[$0] }
    }

    func index(of key: PostKey) -> Index? {
        guard case .numbered(let channel, let number) = key, channel < .max else {
            return others.index(forKey: key).map(Index.other)
        }
        let slot = self.slot(channel, number)
        return channels[slot] == 0 ? nil : .numbered(slot)
    }

    subscript(index: Index) -> Known {
        get {
            switch index {
            case .numbered(let slot):
                let flag = flags[slot]
                return Known(time: times[slot], isTeam: flag & Self.isTeamFlag != 0,
                             handled: flag & Self.handledFlag != 0, preexisting: flag & Self.preexistingFlag != 0)
            case .other(let position):
                return others.values[position]
            }
        }
        set {
            switch index {
            case .numbered(let slot): set(newValue, at: slot)
            case .other(let position): others.values[position] = newValue
            }
        }
    }

    private mutating func set(_ known: Known, at slot: Int) {
        times[slot] = known.time
        flags[slot] = (known.isTeam ? Self.isTeamFlag : 0) | (known.handled ? Self.handledFlag : 0) | (known.preexisting ? Self.preexistingFlag : 0)
    }

    /// The slot holding `number` of `channel`, or the empty slot where it would go.
    private func slot(_ channel: UInt8, _ number: UInt64) -> Int {
        let mask = channels.count - 1
        let hash = ((number ^ seed) &+ UInt64(channel)) &* 0x9E37_79B9_7F4A_7C15
        var slot = Int(truncatingIfNeeded: hash >> UInt64(64 - bits))
        while channels[slot] != 0, numbers[slot] != number || channels[slot] != channel + 1 {
            slot = (slot + 1) & mask
        }
        return slot
    }

    private mutating func grow() {
        let old = (numbers: numbers, times: times, channels: channels, flags: flags)
        let capacity = old.channels.count * 2
        bits += 1
        numbers = Array(repeating: 0, count: capacity)
        times = Array(repeating: 0, count: capacity)
        channels = Array(repeating: 0, count: capacity)
        flags = Array(repeating: 0, count: capacity)
        for slot in old.channels.indices where old.channels[slot] != 0 {
            let new = self.slot(old.channels[slot] - 1, old.numbers[slot])
            numbers[new] = old.numbers[slot]
            times[new] = old.times[slot]
            channels[new] = old.channels[slot]
            flags[new] = old.flags[slot]
        }
    }
}
