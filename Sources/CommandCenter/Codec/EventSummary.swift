/// The few facts a projection needs to route an event, read from a payload without building any
/// string: see ``EventCodec/peek(_:)``.
///
/// The ranges index the payload slice passed to `peek` (ArraySlice indices, so they stay valid
/// in the base array the slice came from). Turn one into a `String` only when needed, through a
/// ``StringInterner`` that returns the same `String` for the same bytes.
public struct EventSummary: Hashable, Sendable {
    /// The kind of the event.
    public var kind: EventKind
    /// Where the actor's UTF-8 bytes are (not yet validated).
    public var actor: Range<Int>
    /// Where the first field's UTF-8 bytes are (not yet validated): the post id for the post
    /// kinds, the volunteer id for the volunteer kinds, the rule for the listening-rule kinds, the name for `eventDescribed`.
    /// Every kind of §6 starts with such a string.
    public var subject: Range<Int>
    /// The index just after ``subject``: where the kind's remaining fields start, for a caller
    /// that wants to read one more field itself.
    public var rest: Int

    /// Creates a summary.
    public init(kind: EventKind, actor: Range<Int>, subject: Range<Int>, rest: Int) {
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.rest = rest
    }
}
