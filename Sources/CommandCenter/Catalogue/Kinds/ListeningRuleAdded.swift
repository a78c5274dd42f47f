// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `listeningRuleAdded` event: a listening rule was added: posts matching it now reach the desk.
public struct ListeningRuleAdded: Hashable, Sendable {
    /// The rule: `#hashtag`, `keyword`, or `@account`.
    public var rule: String

    /// Creates the fields of a `listeningRuleAdded` event.
    public init(rule: String) {
        self.rule = rule
    }
}
