// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `listeningRuleRemoved` event: a listening rule was removed.
public struct ListeningRuleRemoved: Hashable, Sendable {
    /// The rule, as it was added.
    public var rule: String

    /// Creates the fields of a `listeningRuleRemoved` event.
    public init(rule: String) {
        self.rule = rule
    }
}
