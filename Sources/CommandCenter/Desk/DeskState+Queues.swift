// The three queues of the desk. Each is kept by `apply` as a set of post slots, so reading one
// costs O(k log k) for the k posts it holds (a sort on demand), never a scan of all posts: the
// triage queue of a 2M-post log with a backlog of 500 sorts 500 entries.

extension DeskState {
    /// The triage queue: inbound posts received, not assigned, not resolved, not reposts.
    ///
    /// Order: posts with an open escalation first, then posts an urgent listening rule matched when
    /// they were received, then oldest first by ``PostState/receivedAt``, ties by the sequence
    /// number of their `postReceived`.
    /// - Parameter limit: at most this many posts (the first ones); `nil` for all.
    /// - Complexity: O(k log k) for k posts in triage; O(k) for a `limit` well below k.
    public func triageQueue(limit: Int? = nil) -> [PostState] {
        let slots = queues.triageSlots
        let keyed = slots.lazy.map { slot -> (Int, Int, Int64, UInt64, Int32) in
            let r = records[Int(slot)]
            return (escalations[slot] == nil ? 1 : 0, r.isUrgent ? 0 : 1, r.receivedAt, r.receivedSeq, slot)
        }
        let before = { (a: (Int, Int, Int64, UInt64, Int32), b: (Int, Int, Int64, UInt64, Int32)) in (a.0, a.1, a.2, a.3) < (b.0, b.1, b.2, b.3) }
        let wanted = max(0, limit ?? slots.count)
        if wanted == 0 { return [] }
        guard wanted < slots.count / 8 else {
            return keyed.sorted(by: before).prefix(wanted).map { postState(slot: $0.4) }
        }
        // A screenful of a long backlog (the server polls `limit: 20` of thousands): keep only the
        // best `wanted`, O(n log k) instead of sorting all n.
        return keyed.firstSorted(wanted, by: before).map { postState(slot: $0.4) }
    }

    /// How many posts are in the triage queue. O(1).
    public var triageCount: Int { queues.triageCount }

    /// Volunteer `id`'s queue: the posts assigned to them and not resolved, oldest first
    /// (by ``PostState/receivedAt``, ties by receipt order).
    /// - Complexity: O(k log k) for k posts in the queue.
    public func volunteerQueue(_ id: String) -> [PostState] {
        guard let person = symbols.name(id) else { return [] }
        let slots = queues.slots(of: person + 1)
        return slots.sorted { (records[Int($0)].receivedAt, $0) < (records[Int($1)].receivedAt, $1) }.map(postState(slot:))
    }

    /// The ids of the volunteers (or, for imported history, any actor) whose queue is not empty, sorted.
    public var volunteersWithQueues: [String] {
        queues.owners.map { symbols.names[$0 - 1] }.sorted()
    }

    /// The escalation queue: posts with an open escalation, most urgent first (`urgent`, `high`,
    /// `normal` — also when no priority was given —, `low`), then oldest escalation first.
    /// - Complexity: O(e log e) for e open escalations.
    public func escalationQueue() -> [PostState] {
        escalations.sorted { a, b in
            let pa = Self.rank(a.value.priority), pb = Self.rank(b.value.priority)
            return (pa, a.value.since, a.value.seq) < (pb, b.value.since, b.value.seq)
        }.map { postState(slot: $0.key) }
    }

    private static func rank(_ priority: Priority?) -> Int {
        switch priority ?? .normal {
        case .urgent: 0
        case .high: 1
        case .normal: 2
        case .low: 3
        }
    }
}
