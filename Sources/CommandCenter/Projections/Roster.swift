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
///
/// Volunteers are kept by their id in the log's ``Symbols`` (a row per volunteer, found through an
/// array indexed by the id); ``symbols`` names them for the public accessors.
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

    /// One volunteer, with ids for strings.
    struct Row: Equatable, Sendable {
        /// In ``Symbols/names``.
        var person: UInt32
        /// From `volunteerJoined`; `nil` if they never joined.
        var name: String?
        /// ``Role/code``, or ``Roster/noRole``.
        var role: UInt8 = Roster.noRole
        /// In ``Symbols/names``; `EventIDs.none` for no team.
        var team: UInt32 = EventIDs.none
        var joinedAt: Int64
        /// `Int64.min` while present.
        var leftAt: Int64 = .min
        /// `Int64.min` when off shift.
        var segmentStart: Int64 = .min
        var closedMsByRole: [Int64] = Array(repeating: 0, count: Roster.slotCount)
    }

    /// Role slots: the five roles by ``Role/code``, then one for "no known role".
    static let slotCount = Role.allCases.count + 1
    static let unknownSlot = Role.allCases.count
    static let noRole: UInt8 = 0xFF

    /// Name id → row, `-1` for a name that is no volunteer; shorter than the names table when
    /// the last names are not volunteers.
    var rowOfPerson: [Int32] = []
    var rows: [Row] = []
    /// The log's ids, for the accessors by string (the hot path gets them as an argument).
    var symbols = Symbols()
    /// The time of the last event applied; open shifts count until it.
    public internal(set) var lastAt: Timestamp?

    /// Creates an empty roster.
    public init() {}

    /// Every volunteer seen, in order of first appearance.
    public var volunteers: [Volunteer] { rows.map(volunteer(row:)) }

    /// Folds one event: volunteer kinds change the roster; every event moves ``lastAt``.
    public mutating func apply(_ event: Event, seq: UInt64) {
        var view = EventView(event)
        try! symbols.intern(&view)
        observe(event.at)
        apply(view)
    }

    /// The current role of `volunteer`; `nil` if unknown.
    public func role(of volunteer: String) -> Role? {
        row(of: volunteer).flatMap { Role(code: rows[$0].role) }
    }

    /// The team of `volunteer`; `nil` if unknown or in no team.
    public func team(of volunteer: String) -> String? {
        row(of: volunteer).flatMap { rows[$0].team == EventIDs.none ? nil : symbols.names[rows[$0].team] }
    }

    /// The volunteer with id `id`, if the log named them in a volunteer event.
    public func volunteer(_ id: String) -> Volunteer? {
        row(of: id).map { volunteer(row: rows[$0]) }
    }

    /// Time on shift of `volunteer` up to ``lastAt``, in milliseconds (0 if unknown).
    public func shiftMilliseconds(of volunteer: String) -> Int64 {
        guard let i = row(of: volunteer) else { return 0 }
        return shiftMsByRole(rows[i]).reduce(0, +)
    }

    /// Time on shift of every volunteer, split by the role they had, up to ``lastAt``, in
    /// milliseconds; `nil` key for time spent with no known role.
    public func shiftMillisecondsByRole() -> [Role?: Int64] {
        var total = Array(repeating: Int64(0), count: Roster.slotCount)
        for v in rows {
            for (slot, ms) in shiftMsByRole(v).enumerated() { total[slot] += ms }
        }
        var result: [Role?: Int64] = [:]
        for (slot, ms) in total.enumerated() where ms > 0 { result[Roster.role(ofSlot: slot)] = ms }
        return result
    }

    // MARK: Internals shared with the other projections

    private func row(of volunteer: String) -> Int? {
        symbols.name(volunteer).flatMap(row(of:))
    }

    @inline(__always)
    func row(of person: UInt32) -> Int? {
        guard Int(person) < rowOfPerson.count else { return nil }
        let row = rowOfPerson[Int(person)]
        return row < 0 ? nil : Int(row)
    }

    private func volunteer(row r: Row) -> Volunteer {
        var v = Volunteer(
            id: symbols.names[r.person], name: r.name ?? symbols.names[r.person], role: Role(code: r.role),
            team: r.team == EventIDs.none ? nil : symbols.names[r.team], joinedAt: Timestamp(milliseconds: r.joinedAt),
            leftAt: r.leftAt == .min ? nil : Timestamp(milliseconds: r.leftAt)
        )
        v.segmentStart = r.segmentStart == .min ? nil : r.segmentStart
        v.closedMsByRole = r.closedMsByRole
        return v
    }

    /// Who `person` is now: their role and team, for the record of an action.
    @inline(__always)
    func stamp(of person: UInt32) -> Stamp {
        guard let i = row(of: person) else { return Stamp(person: person) }
        return Stamp(person: person, team: rows[i].team, role: rows[i].role)
    }

    /// The role slot of `person` now: ``Role/code``, or ``unknownSlot``.
    @inline(__always)
    func slot(of person: UInt32) -> Int {
        guard let i = row(of: person), rows[i].role != Roster.noRole else { return Roster.unknownSlot }
        return Int(rows[i].role)
    }

    static func role(ofSlot slot: Int) -> Role? {
        slot == unknownSlot ? nil : Role(code: UInt8(slot))
    }

    /// Shift time of `v` by role slot, the open segment counted until ``lastAt``.
    func shiftMsByRole(_ v: Row) -> [Int64] {
        var result = v.closedMsByRole
        if v.segmentStart != .min, let now = lastAt?.milliseconds, now > v.segmentStart {
            result[v.role == Roster.noRole ? Roster.unknownSlot : Int(v.role)] += now - v.segmentStart
        }
        return result
    }

    @inline(__always)
    mutating func observe(_ at: Timestamp) {
        lastAt = at
    }

    /// Applies `event` (interned) if it is one of the roster's kinds (joined, left, role changed,
    /// shifts); the clock (``observe(_:)``) is the caller's.
    mutating func apply(_ event: borrowing EventView) {
        let at = event.at.milliseconds
        switch event.kind {
        case .volunteerJoined:
            let i = entry(event.ids.person, at: at)
            closeSegment(i, at: at, reopen: true)
            rows[i].name = event.name
            rows[i].role = event.role?.code ?? Roster.noRole
            rows[i].team = event.ids.team
            rows[i].leftAt = .min
        case .volunteerLeft:
            let i = entry(event.ids.person, at: at)
            closeSegment(i, at: at, reopen: false)
            rows[i].leftAt = at
        case .roleChanged:
            let i = entry(event.ids.person, at: at)
            closeSegment(i, at: at, reopen: true)
            rows[i].role = event.role?.code ?? Roster.noRole
        case .shiftStarted:
            let i = entry(event.ids.person, at: at)
            if rows[i].segmentStart == .min { rows[i].segmentStart = at }
        case .shiftEnded:
            let i = entry(event.ids.person, at: at)
            closeSegment(i, at: at, reopen: false)
        default:
            break
        }
    }

    /// Adds the open segment of volunteer `i` (if any) to its current role; reopens it at `at`
    /// when `reopen` (a role change inside a shift), else ends the shift.
    private mutating func closeSegment(_ i: Int, at: Int64, reopen: Bool) {
        let start = rows[i].segmentStart
        guard start != .min else { return }
        let slot = rows[i].role == Roster.noRole ? Roster.unknownSlot : Int(rows[i].role)
        rows[i].closedMsByRole[slot] += max(0, at - start)
        rows[i].segmentStart = reopen ? at : .min
    }

    private mutating func entry(_ person: UInt32, at: Int64) -> Int {
        if let i = row(of: person) { return i }
        if rowOfPerson.count <= Int(person) {
            rowOfPerson.append(contentsOf: repeatElement(-1, count: Int(person) + 1 - rowOfPerson.count))
        }
        let i = rows.count
        rowOfPerson[Int(person)] = Int32(i)
        rows.append(Row(person: person, name: nil, joinedAt: at))
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

/// An ``ActorStamp`` with ids: what the statistics keep per action.
struct Stamp: Hashable, Sendable {
    /// In ``Symbols/names``; `EventIDs.none` for nobody.
    var person: UInt32
    /// In ``Symbols/names``; `EventIDs.none` for no team.
    var team: UInt32 = EventIDs.none
    /// ``Role/code``, or ``Roster/noRole``.
    var role: UInt8 = Roster.noRole

    static let nobody = Stamp(person: EventIDs.none)

    var isNobody: Bool { person == EventIDs.none }

    /// The stamp with its strings, `nil` for nobody.
    func actorStamp(_ symbols: Symbols) -> ActorStamp? {
        guard !isNobody else { return nil }
        return ActorStamp(id: symbols.names[person], role: Role(code: role), team: team == EventIDs.none ? nil : symbols.names[team])
    }
}
