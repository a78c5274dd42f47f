public import EventLog

/// One line of an audit trail: an event, its place in the log, and the role its actor had when
/// it happened (roles change during an event).
public struct AuditEntry: Sendable, Equatable {
    public var seq: UInt64
    public var event: Event
    /// The actor's role at `seq`, `nil` when the actor is not a volunteer (`system`, an importer).
    public var role: Role?
}

/// Who did what, when, in which role — answered from the log's indexes, never a full scan: a post's
/// history is its `post` index entries, a volunteer's actions their `actor` entries, and the role an
/// actor had at any moment comes from their few `role` entries (`volunteerJoined`, `roleChanged`).
///
/// The indexes are not covered by the hash chain (`smcc verify` rebuilds and compares them), so
/// every event read through one is checked to name what was asked for: an altered index can hide
/// events until `verify` names it, but never show another post's events or another volunteer's
/// role.
public struct AuditTrail: Sendable {
    public let store: EventStore

    public init(store: EventStore) { self.store = store }

    /// Every event of the post `id`, in order.
    public func post(_ id: String) throws -> [AuditEntry] {
        try entries(store.log.sequenceNumbers(index: "post", key: EventStore.postIndexKey(id))) { $0.post == id }
    }

    /// Every action of the volunteer `id` (events they are the actor of), optionally within a time range.
    public func volunteer(_ id: String, since: Timestamp? = nil, until: Timestamp? = nil) throws -> [AuditEntry] {
        var seqs = try store.log.sequenceNumbers(index: "actor", key: Array(id.utf8))
        if let since {
            let first = try store.log.lastSequence(atOrBefore: since.milliseconds - 1) + 1
            seqs.removeAll { $0 < first }
        }
        if let until {
            let last = try store.log.lastSequence(atOrBefore: until.milliseconds)
            seqs.removeAll { $0 > last }
        }
        return try entries(seqs) { $0.actor == id }
    }

    private func entries(_ seqs: [UInt64], naming: (Event) -> Bool) throws -> [AuditEntry] {
        let events = try decode(store.log.records(seqs)).filter { naming($0.event) }
        var roleHistory: [String: [(seq: UInt64, role: Role)]] = [:]
        for actor in Set(events.map(\.event.actor)) {
            let changes = try decode(store.log.records(store.log.sequenceNumbers(index: "role", key: Array(actor.utf8))))
            roleHistory[actor] = changes.compactMap { change in
                switch change.event.body {
                case .volunteerJoined(let joined) where joined.volunteer == actor: (change.seq, joined.role)
                case .roleChanged(let changed) where changed.volunteer == actor: (change.seq, changed.to)
                default: nil
                }
            }
        }
        return events.map { item in
            // The role set by the last role event at or before this one (a volunteer's own
            // `volunteerJoined` precedes their actions).
            let role = roleHistory[item.event.actor]?.last { $0.seq <= item.seq }?.role
            return AuditEntry(seq: item.seq, event: item.event, role: role)
        }
    }

    private func decode(_ records: [StoredRecord]) throws -> [(seq: UInt64, event: Event)] {
        try records.map { record in (record.seq, try EventStore.event(record.payload[...], time: record.time, seq: record.seq)) }
    }
}
