/// Who is who, as of the last event applied: each volunteer's role, team, presence and time on
/// shift.
///
/// Applied in log order, ``role(of:)`` answers with the role the volunteer has *at that point of
/// the log*, which is how the statistics attribute a reply to the role its author had when
/// replying. Volunteers the log never introduced (an agent named only as the actor of an imported
/// reply) have no role.
///
/// Shifts: `shiftStarted` opens a shift (ignored if one is open), `shiftEnded` or `volunteerLeft`
/// closes it (ignored if none is open). A shift still open counts until the time of the last event
/// applied, whatever its kind. Time on shift is also split by role: a `roleChanged` during a shift
/// closes the running segment for the old role and opens one for the new role.
public struct Roster: Projection, Equatable, Sendable {
    /// One volunteer as of the last event applied.
    public struct Volunteer: Equatable, Sendable {
        /// The volunteer id (`vol:maria`).
        public var id: String
        /// The display name from `volunteerJoined`; the id if the volunteer never joined.
        public var name: String
        /// The current role; `nil` if no `volunteerJoined` or `roleChanged` named one.
        public var role: Role?
        /// The team from `volunteerJoined`, if any.
        public var team: String?
        /// When the volunteer joined (or first appeared in a volunteer event).
        public var joinedAt: Timestamp
        /// When the volunteer left; `nil` while present (a new `volunteerJoined` clears it).
        public var leftAt: Timestamp?
        /// Start of the open shift segment, in milliseconds; `nil` when off shift.
        var segmentStart: Int64?
        /// Closed shift time, in milliseconds, by role slot (``Roster/slot(of:)``).
        var closedMsByRole: [Int64] = Array(repeating: 0, count: Roster.slotCount)

        /// Whether a shift is open.
        public var isOnShift: Bool { segmentStart != nil }
        /// When the open shift started, or the volunteer's role last changed during it (the
        /// shift time of each role is counted apart); `nil` when off shift.
        public var onShiftInRoleSince: Timestamp? { segmentStart.map(Timestamp.init(milliseconds:)) }
    }

    /// Role slots: the five roles by ``Role/code``, then one for "no known role".
    static let slotCount = Role.allCases.count + 1
    static let unknownSlot = Role.allCases.count

    var index: [String: Int] = [:]
    /// Every volunteer seen, in order of first appearance.
    public internal(set) var volunteers: [Volunteer] = []
    /// The time of the last event applied; open shifts count until it.
    public internal(set) var lastAt: Timestamp?

    /// Creates an empty roster.
    public init() {}

    /// Folds one event: volunteer kinds change the roster; every event moves ``lastAt``.
    public mutating func apply(_ event: Event, seq: UInt64) {
        observe(event.at)
        switch event.body {
        case .volunteerJoined(let b): joined(b, at: event.at)
        case .volunteerLeft(let b): left(b.volunteer, at: event.at)
        case .roleChanged(let b): changed(b.volunteer, to: b.to, at: event.at)
        case .shiftStarted(let b): shiftStarted(b.volunteer, at: event.at)
        case .shiftEnded(let b): shiftEnded(b.volunteer, at: event.at)
        default: break
        }
    }

    /// The current role of `volunteer`; `nil` if unknown.
    public func role(of volunteer: String) -> Role? {
        guard let i = index[volunteer] else { return nil }
        return volunteers[i].role
    }

    /// The team of `volunteer`; `nil` if unknown or in no team.
    public func team(of volunteer: String) -> String? {
        guard let i = index[volunteer] else { return nil }
        return volunteers[i].team
    }

    /// The volunteer with id `id`, if the log named them in a volunteer event.
    public func volunteer(_ id: String) -> Volunteer? {
        index[id].map { volunteers[$0] }
    }

    /// Time on shift of `volunteer` up to ``lastAt``, in milliseconds (0 if unknown).
    public func shiftMilliseconds(of volunteer: String) -> Int64 {
        guard let i = index[volunteer] else { return 0 }
        return shiftMsByRole(volunteers[i]).reduce(0, +)
    }

    /// Time on shift of every volunteer, split by the role they had, up to ``lastAt``, in
    /// milliseconds; `nil` key for time spent with no known role.
    public func shiftMillisecondsByRole() -> [Role?: Int64] {
        var total = Array(repeating: Int64(0), count: Roster.slotCount)
        for v in volunteers {
            for (slot, ms) in shiftMsByRole(v).enumerated() { total[slot] += ms }
        }
        var result: [Role?: Int64] = [:]
        for (slot, ms) in total.enumerated() where ms > 0 { result[Roster.role(ofSlot: slot)] = ms }
        return result
    }

    // MARK: Internals shared with the other projections

    /// The role of `volunteer` and their team, in one lookup.
    @inline(__always)
    func stamp(of volunteer: String) -> ActorStamp {
        guard let i = index[volunteer] else { return ActorStamp(id: volunteer, role: nil, team: nil) }
        return ActorStamp(id: volunteer, role: volunteers[i].role, team: volunteers[i].team)
    }

    /// The role slot of `volunteer` now: ``Role/code``, or ``unknownSlot``.
    @inline(__always)
    func slot(of volunteer: String) -> Int {
        guard let i = index[volunteer], let role = volunteers[i].role else { return Roster.unknownSlot }
        return Int(role.code)
    }

    static func role(ofSlot slot: Int) -> Role? {
        slot == unknownSlot ? nil : Role(code: UInt8(slot))
    }

    /// Shift time of `v` by role slot, the open segment counted until ``lastAt``.
    func shiftMsByRole(_ v: Volunteer) -> [Int64] {
        var result = v.closedMsByRole
        if let start = v.segmentStart, let now = lastAt?.milliseconds, now > start {
            result[v.role.map { Int($0.code) } ?? Roster.unknownSlot] += now - start
        }
        return result
    }

    @inline(__always)
    mutating func observe(_ at: Timestamp) {
        lastAt = at
    }

    /// Applies `event` if it is one of the roster's kinds (joined, left, role changed, shifts).
    /// - Returns: whether it was.
    @discardableResult
    mutating func apply(_ event: Event) -> Bool {
        switch event.body {
        case .volunteerJoined(let b): joined(b, at: event.at)
        case .volunteerLeft(let b): left(b.volunteer, at: event.at)
        case .roleChanged(let b): changed(b.volunteer, to: b.to, at: event.at)
        case .shiftStarted(let b): shiftStarted(b.volunteer, at: event.at)
        case .shiftEnded(let b): shiftEnded(b.volunteer, at: event.at)
        default: return false
        }
        return true
    }

    mutating func joined(_ b: VolunteerJoined, at: Timestamp) {
        let i = entry(b.volunteer, at: at)
        closeSegment(i, at: at, reopen: true)
        volunteers[i].name = b.name
        volunteers[i].role = b.role
        volunteers[i].team = b.team
        volunteers[i].leftAt = nil
    }

    mutating func left(_ volunteer: String, at: Timestamp) {
        let i = entry(volunteer, at: at)
        closeSegment(i, at: at, reopen: false)
        volunteers[i].leftAt = at
    }

    mutating func changed(_ volunteer: String, to role: Role, at: Timestamp) {
        let i = entry(volunteer, at: at)
        closeSegment(i, at: at, reopen: true)
        volunteers[i].role = role
    }

    mutating func shiftStarted(_ volunteer: String, at: Timestamp) {
        let i = entry(volunteer, at: at)
        if volunteers[i].segmentStart == nil { volunteers[i].segmentStart = at.milliseconds }
    }

    mutating func shiftEnded(_ volunteer: String, at: Timestamp) {
        let i = entry(volunteer, at: at)
        closeSegment(i, at: at, reopen: false)
    }

    /// Adds the open segment of volunteer `i` (if any) to its current role; reopens it at `at`
    /// when `reopen` (a role change inside a shift), else ends the shift.
    private mutating func closeSegment(_ i: Int, at: Timestamp, reopen: Bool) {
        guard let start = volunteers[i].segmentStart else { return }
        let slot = volunteers[i].role.map { Int($0.code) } ?? Roster.unknownSlot
        volunteers[i].closedMsByRole[slot] += max(0, at.milliseconds - start)
        volunteers[i].segmentStart = reopen ? at.milliseconds : nil
    }

    private mutating func entry(_ volunteer: String, at: Timestamp) -> Int {
        if let i = index[volunteer] { return i }
        let i = volunteers.count
        index[volunteer] = i
        volunteers.append(Volunteer(id: volunteer, name: volunteer, role: nil, team: nil, joinedAt: at))
        return i
    }
}

/// Who did an action and the role and team they had when they did it.
public struct ActorStamp: Equatable, Sendable {
    /// The actor id (`vol:maria`, `import:twcs`).
    public var id: String
    /// Their role at the time; `nil` if the roster did not know one.
    public var role: Role?
    /// Their team at the time; `nil` if none.
    public var team: String?
}
