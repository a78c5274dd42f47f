// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `shiftStarted` event: a volunteer started a shift.
public struct ShiftStarted: Hashable, Sendable {
    /// The volunteer id.
    public var volunteer: String

    /// Creates the fields of a `shiftStarted` event.
    public init(volunteer: String) {
        self.volunteer = volunteer
    }
}
