public import EventLog

/// `smcc verify`'s check of the projection snapshots. A snapshot is a cache, but a used one answers
/// queries (`--at`, `stats`): its MAC stops a changed byte or one moved in from another log, not
/// someone who can read the log's key. So every snapshot a load would use is rebuilt from the
/// events and compared with what the deltas give, state for state. Cost: one replay of each
/// projection, with a comparison at every stored snapshot.
public struct SnapshotCheck: Sendable {
    /// A snapshot that differs from the events, with why; `nil` when every used one matches.
    public var failure: (seq: UInt64, reason: String)?
    /// Snapshots checked, per name.
    public var checked: [String: Int]
}

extension ProjectionSnapshots {
    /// Checks the desk's and the statistics' snapshots against a replay of `store`'s events.
    static func verify(_ store: EventStore) throws -> SnapshotCheck {
        var checked: [String: Int] = [:]
        let desk = try verify(DeskState(), store, checked: &checked)
        let statistics = try verify(Statistics(), store, checked: &checked)
        let failures = [desk, statistics].compactMap { $0 }
        return SnapshotCheck(failure: failures.min { $0.seq < $1.seq }, checked: checked)
    }

    /// Replays the events alongside the deltas of `Projection`, as `load` would apply them, and
    /// compares the two at each delta's seq.
    private static func verify<Projection: DeltaSnapshotting & CommandCenter.Projection & Equatable>(
        _ empty: Projection,
        _ store: EventStore,
        checked: inout [String: Int]
    ) throws -> (seq: UInt64, reason: String)? {
        let name = Projection.snapshotName
        let deltas = try store.log.snapshots(name, through: .max)
        guard !deltas.isEmpty else { return nil }
        var loaded = empty
        var replayed = empty
        var position: UInt64 = 0
        for delta in deltas {
            var reader = SnapshotReader(delta.bytes)
            // As in `load`: a damaged delta makes every load that reaches it fail (nothing from it
            // on is used), one that does not link is skipped.
            guard let applied = try? loaded.applySnapshotDelta(&reader) else { break }
            guard applied else { continue }
            guard reader.isAtEnd, loaded.lastSeq == delta.seq else { break }
            // Finished in place (it only rebuilds and indexes what the deltas do not carry), so
            // that each delta's posts are indexed once, not the whole chain's again at each.
            guard loaded.finishSnapshotLoad() else { break }
            let usable = loaded
            try store.events(from: position + 1, through: delta.seq) { seq, event in
                replayed.apply(event, seq: seq)
                return true
            }
            position = delta.seq
            checked[name, default: 0] += 1
            if usable != replayed {
                return (delta.seq, "the snapshot \(name) at seq \(delta.seq) is not the state the events make: it was altered (a query using it would answer wrongly); `smcc verify --drop-snapshots` deletes the snapshots, which the next query rebuilds")
            }
        }
        return nil
    }
}

extension EventStore {
    /// Rebuilds every usable projection snapshot from the events and compares (see ``SnapshotCheck``).
    public func verifySnapshots() throws -> SnapshotCheck {
        try ProjectionSnapshots.verify(self)
    }

    /// Deletes every projection snapshot of the log (they are a cache); returns how many.
    public func dropSnapshots() throws(LogError) -> Int {
        try log.dropSnapshots()
    }
}
