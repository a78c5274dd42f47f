/// A read model rebuilt from the log: it sees every event once, in log order.
///
/// Conformers keep `apply` cheap (O(1) amortized, no per-event allocation beyond what storing a
/// new post or volunteer needs) so that a replay of millions of events stays decode-bound, and
/// do the expensive work (sorting, grouping, percentiles) when a report is asked for.
public protocol Projection {
    /// Folds one event into the projection.
    /// - Parameters:
    ///   - event: the event, decoded.
    ///   - seq: its position in the log (from 1).
    mutating func apply(_ event: Event, seq: UInt64)
}
