// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `logUpgraded` event: the log was written again from an earlier format (§11),
/// with a new chain; this records the old one's head, so both can be tied together.
public struct LogUpgraded: Hashable, Sendable {
    /// The format it was upgraded from (`smcc-log 1`).
    public var fromFormat: String
    /// The old log's head, `SEQ:HEX` (`none` for an empty log).
    public var previousHead: String

    /// Creates the fields of a `logUpgraded` event.
    public init(fromFormat: String, previousHead: String) {
        self.fromFormat = fromFormat
        self.previousHead = previousHead
    }
}
