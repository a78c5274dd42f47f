// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `volunteerLeft` event: a volunteer left the desk.
public struct VolunteerLeft: Hashable, Sendable {
    /// The volunteer id.
    public var volunteer: String

    /// Creates the fields of a `volunteerLeft` event.
    public init(volunteer: String) {
        self.volunteer = volunteer
    }
}
