// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `volunteerJoined` event: a volunteer joined the desk.
public struct VolunteerJoined: Hashable, Sendable {
    /// The volunteer id, `vol:<handle>`.
    public var volunteer: String
    /// Their display name.
    public var name: String
    /// Their first role.
    public var role: Role
    /// Their team, if any.
    public var team: String?

    /// Creates the fields of a `volunteerJoined` event.
    public init(volunteer: String, name: String, role: Role, team: String? = nil) {
        self.volunteer = volunteer
        self.name = name
        self.role = role
        self.team = team
    }
}
