/// One volunteer as the desk sees them now.
public struct VolunteerState: Hashable, Sendable {
    /// The volunteer id, `vol:<handle>`.
    public var id: String
    /// Their display name.
    public var name: String
    /// Their current role.
    public var role: Role
    /// Their team, if any.
    public var team: String?
    /// Joined and not left since.
    public var active: Bool
    /// Between a `shiftStarted` and its `shiftEnded`.
    public var onShift: Bool

    /// Creates a volunteer's state.
    public init(id: String, name: String, role: Role, team: String? = nil, active: Bool = true, onShift: Bool = false) {
        self.id = id
        self.name = name
        self.role = role
        self.team = team
        self.active = active
        self.onShift = onShift
    }

    /// Whether they are an active coordinator: the people who run the desk.
    public var isCoordinator: Bool { active && role == .coordinator }
}
