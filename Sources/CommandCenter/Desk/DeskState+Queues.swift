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
    /// - Complexity: O(k log k) for k posts in triage.
    public func triageQueue(limit: Int? = nil) -> [PostState] {
        let keyed = triage.map { slot -> (Int, Int, Int64, UInt64, Int32) in
            let r = records[Int(slot)]
            return (escalations[slot] == nil ? 1 : 0, r.isUrgent ? 0 : 1, r.receivedAt, r.receivedSeq, slot)
        }
        let sorted = keyed.sorted { ($0.0, $0.1, $0.2, $0.3) < ($1.0, $1.1, $1.2, $1.3) }
        return sorted.prefix(max(0, limit ?? sorted.count)).map { postState(slot: $0.4) }
    }

    /// How many posts are in the triage queue. O(1).
    public var triageCount: Int { triage.count }

    /// Volunteer `id`'s queue: the posts assigned to them and not resolved, oldest first
    /// (by ``PostState/receivedAt``, ties by receipt order).
    /// - Complexity: O(k log k) for k posts in the queue.
    public func volunteerQueue(_ id: String) -> [PostState] {
        guard let person = people.index[id], let slots = assigned[person + 1] else { return [] }
        return slots.sorted { (records[Int($0)].receivedAt, $0) < (records[Int($1)].receivedAt, $1) }.map(postState(slot:))
    }

    /// The ids of the volunteers (or, for imported history, any actor) whose queue is not empty, sorted.
    public var volunteersWithQueues: [String] {
        assigned.keys.map { people[$0 - 1] }.sorted()
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
