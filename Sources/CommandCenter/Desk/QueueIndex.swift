/// Which posts the desk's queues hold, kept in step by `DeskState.apply`: triage as one bit per
/// post, each volunteer's queue as a doubly-linked list through the posts.
///
/// Why not `Set`s: a replay moves every post in and out of the queues, and hashing a slot into
/// a `Set` (SipHash, seeded per process) was a tenth of a desk replay. Here a move is a few array
/// writes, and reading a queue of k posts costs O(k) for a volunteer, O(posts / 64 + k) for
/// triage. Everything here can be derived from the post records (``DeskState/PostRecord/inTriage``,
/// ``DeskState/PostRecord/queueOwner``): equality compares what the queues hold, not the links.
struct QueueIndex: Sendable {
    private var triageBits: [UInt64] = []
    /// Posts in triage.
    private(set) var triageCount = 0
    /// The next and previous post in the same volunteer's queue, -1 at the ends.
    private var next: [Int32] = []
    private var previous: [Int32] = []
    /// By owner (a name id plus one, as ``DeskState/PostRecord/queueOwner``): the first post of
    /// their queue, -1 for none, and its length.
    private var heads: [Int32] = []
    private var lengths: [Int32] = []

    init() {}

    /// Makes room for slot `slot`, in no queue.
    @inline(__always)
    mutating func addSlot(_ slot: Int32) {
        next.append(-1)
        previous.append(-1)
        if Int(slot) >> 6 >= triageBits.count { triageBits.append(0) }
    }

    mutating func reserveCapacity(_ posts: Int) {
        next.reserveCapacity(posts)
        previous.reserveCapacity(posts)
        triageBits.reserveCapacity(posts / 64 + 1)
    }

    /// Puts `slot` in triage or takes it out.
    @inline(__always)
    mutating func setTriage(_ slot: Int32, _ inTriage: Bool) {
        let word = Int(slot) >> 6
        let bit = UInt64(1) << UInt64(slot & 63)
        let was = triageBits[word] & bit != 0
        guard was != inTriage else { return }
        triageBits[word] ^= bit
        triageCount += inTriage ? 1 : -1
    }

    /// Moves `slot` from the queue of owner `old` to that of `new` (0: no queue).
    @inline(__always)
    mutating func move(_ slot: Int32, from old: UInt32, to new: UInt32) {
        if old != 0 { unlink(slot, Int(old)) }
        if new != 0 { link(slot, Int(new)) }
    }

    /// The posts in triage, by slot.
    var triageSlots: [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(triageCount)
        for (word, bits) in triageBits.enumerated() where bits != 0 {
            var rest = bits
            while rest != 0 {
                result.append(Int32(word << 6 + rest.trailingZeroBitCount))
                rest &= rest - 1
            }
        }
        return result
    }

    /// The posts in the queue of `owner` (a name id plus one), in no particular order.
    func slots(of owner: UInt32) -> [Int32] {
        guard Int(owner) < heads.count else { return [] }
        var result: [Int32] = []
        result.reserveCapacity(Int(lengths[Int(owner)]))
        var slot = heads[Int(owner)]
        while slot >= 0 {
            result.append(slot)
            slot = next[Int(slot)]
        }
        return result
    }

    /// The owners whose queue is not empty.
    var owners: [UInt32] {
        lengths.indices.filter { lengths[$0] > 0 }.map { UInt32($0) }
    }

    /// How many posts are in some volunteer's queue.
    var assignedCount: Int { lengths.reduce(0) { $0 + Int($1) } }

    private mutating func link(_ slot: Int32, _ owner: Int) {
        if owner >= heads.count {
            heads.append(contentsOf: repeatElement(-1, count: owner + 1 - heads.count))
            lengths.append(contentsOf: repeatElement(0, count: owner + 1 - lengths.count))
        }
        let head = heads[owner]
        next[Int(slot)] = head
        previous[Int(slot)] = -1
        if head >= 0 { previous[Int(head)] = slot }
        heads[owner] = slot
        lengths[owner] += 1
    }

    private mutating func unlink(_ slot: Int32, _ owner: Int) {
        let before = previous[Int(slot)]
        let after = next[Int(slot)]
        if before >= 0 { next[Int(before)] = after } else { heads[owner] = after }
        if after >= 0 { previous[Int(after)] = before }
        next[Int(slot)] = -1
        previous[Int(slot)] = -1
        lengths[owner] -= 1
    }
}

extension QueueIndex: Equatable {
    /// Equal when the queues hold the same posts, whatever the order of the links.
    static func == (lhs: QueueIndex, rhs: QueueIndex) -> Bool {
        guard lhs.triageSlots == rhs.triageSlots, lhs.owners == rhs.owners else { return false }
        return lhs.owners.allSatisfy { lhs.slots(of: $0).sorted() == rhs.slots(of: $0).sorted() }
    }
}
