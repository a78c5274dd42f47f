import EventLog

extension EventStore {
    /// Calls `body` with each event from `from` through `through` read in place (``EventView``),
    /// until it returns `false`: the replay's path, which builds no `String` it does not keep.
    ///
    /// A view borrows the scan's buffer: keep what it says, not the view. `body` may change the
    /// view it is lent (``Symbols/intern(_:)`` records the ids in it).
    /// - Throws: `LogError` (`.corrupt`, with the seq) for a record whose structure is not an
    ///   event's, or what `body` throws.
    public func eventViews(from: UInt64 = 1, through: UInt64 = .max, _ body: (UInt64, inout EventView) throws -> Bool) throws {
        try log.scan(from: from, through: through) { record in
            var view = try Self.view(record)
            return try body(record.seq, &view)
        }
    }

    @inline(__always)
    private static func view(_ record: RecordView) throws(LogError) -> EventView {
        do {
            return try EventView(record.payload, personal: record.personal, erased: record.isErased, at: Timestamp(milliseconds: record.time))
        } catch {
            throw LogError(.corrupt, "the event does not decode: \(error)", seq: record.seq)
        }
    }
}
