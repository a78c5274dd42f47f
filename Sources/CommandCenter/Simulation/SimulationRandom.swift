/// SplitMix64: the simulation's only source of randomness, so a seed gives the same log on every
/// machine and every run (no `Date()`, no system generator, no dictionary iteration order).
/// Public for the other generators of the project (`smcc bench`'s events).
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed ^ 0x5EED_C0FF_EE00_D15C }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Uniform milliseconds between `low` and `high` seconds.
    mutating func seconds(_ low: Double, _ high: Double) -> Int64 {
        Int64((low + (high - low) * unit()) * 1000)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// An index drawn with the given weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var roll = unit() * total
        for (i, w) in weights.enumerated() {
            if roll < w { return i }
            roll -= w
        }
        return weights.count - 1
    }

    /// Letters and digits, like a link shortener's token.
    public mutating func token(_ length: Int) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        return String(decoding: (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }, as: UTF8.self)
    }
}

/// A binary min-heap on `Key`, the one the simulation's schedules and triage queue share.
struct MinHeap<Key: Comparable, Value> {
    private var items: [(key: Key, value: Value)] = []

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    var minimumKey: Key? { items.first?.key }

    mutating func push(_ value: Value, key: Key) {
        items.append((key, value))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].key < items[parent].key else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (key: Key, value: Value)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && items[l].key < items[m].key { m = l }
            if r < items.count && items[r].key < items[m].key { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}

/// Scheduled actions, by time then by the order they were scheduled (so equal times keep a
/// deterministic order).
struct ActionQueue<Action> {
    private struct Key: Comparable {
        var time: Int64
        var order: UInt64
        static func < (a: Key, b: Key) -> Bool { (a.time, a.order) < (b.time, b.order) }
    }

    private var heap = MinHeap<Key, Action>()
    private var counter: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var nextTime: Int64? { heap.minimumKey?.time }

    mutating func schedule(_ action: Action, at time: Int64) {
        counter += 1
        heap.push(action, key: Key(time: time, order: counter))
    }

    mutating func pop() -> (time: Int64, action: Action)? {
        heap.pop().map { ($0.key.time, $0.value) }
    }
}

/// The simulation's own triage queue: urgent first, then oldest, then receipt order.
struct TriageHeap {
    private struct Key: Comparable {
        var urgent: Bool
        var receivedAt: Int64
        var slot: Int32
        static func < (a: Key, b: Key) -> Bool {
            (a.urgent ? 0 : 1, a.receivedAt, a.slot) < (b.urgent ? 0 : 1, b.receivedAt, b.slot)
        }
    }

    private var heap = MinHeap<Key, Int32>()
    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func push(slot: Int32, receivedAt: Int64, urgent: Bool) {
        heap.push(slot, key: Key(urgent: urgent, receivedAt: receivedAt, slot: slot))
    }

    mutating func pop() -> Int32? { heap.pop()?.value }
}
