// The fields in the order of `Schemas/log-format.md` §6: that order is the storage order and
// the interchange key order, so it must not change.

/// The fields of a `roleChanged` event: a volunteer changed role.
public struct RoleChanged: Hashable, Sendable {
    /// The volunteer id.
    public var volunteer: String
    /// The role they had.
    public var from: Role
    /// The role they have now.
    public var to: Role

    /// Creates the fields of a `roleChanged` event.
    public init(volunteer: String, from: Role, to: Role) {
        self.volunteer = volunteer
        self.from = from
        self.to = to
    }
}
