/// Who did how much: per actor and per role *at the time of each action*, the replies, posts
/// published, assignments made and received, escalations and notes, and the time on shift.
///
/// Every action counts, whatever post it concerns (reposts and unknown posts included: it is
/// work done). An assignment counts as made for its actor and as received for its `to`, each
/// under the role that person had when it was made. Time on shift comes from ``Roster``: shift
/// intervals from `shiftStarted` to `shiftEnded` (or `volunteerLeft`), an open shift counting
/// until the last event applied, split by the role held during each part of the shift.
public struct WorkloadProjection: Projection, Equatable, Sendable {
    /// The counts of one volunteer or one role.
    public struct Counts: Encodable, Equatable, Sendable {
        /// `replied` events.
        public var replies = 0
        /// `postPublished` events.
        public var postsPublished = 0
        /// `postAssigned` events made (as actor).
        public var assignmentsMade = 0
        /// `postAssigned` events received (as `to`).
        public var assignmentsReceived = 0
        /// `escalated` events made.
        public var escalations = 0
        /// `noteAdded` events.
        public var notes = 0
        /// Time on shift, in seconds.
        public var shiftSeconds: Double = 0

        /// Creates zero counts.
        public init() {}
    }

    /// Name id → row, `-1` for a name with no counted action.
    var rowOfActor: [Int32] = []
    /// Row → name id, in order of first counted action.
    var actors: [UInt32] = []
    var counts: [Counts] = []
    /// By role slot (``Roster/slot(of:)``): the five roles, then "no known role".
    var roleCounts = Array(repeating: Counts(), count: Roster.slotCount)
    /// The log's ids and the roster, for the accessors by string and for ``apply(_:seq:)``;
    /// inside ``Statistics`` they are the statistics' own, lent to each call.
    var symbols = Symbols()
    var rosterState = Roster()

    /// Creates an empty projection.
    public init() {}

    /// Volunteer roles, teams and shifts over time.
    public var roster: Roster {
        var roster = rosterState
        roster.symbols = symbols
        return roster
    }

    /// Folds one event.
    public mutating func apply(_ event: Event, seq: UInt64) {
        var view = EventView(event)
        try! symbols.intern(&view)
        rosterState.observe(event.at)
        apply(view, roster: rosterState)
        rosterState.apply(view)
    }

    /// Per volunteer: every actor of a counted action and every volunteer of the roster.
    public func perVolunteer() -> [String: Counts] {
        var result: [String: Counts] = [:]
        for (i, actor) in actors.enumerated() { result[symbols.names[actor]] = counts[i] }
        let roster = self.roster
        for v in roster.volunteers {
            result[v.id, default: Counts()].shiftSeconds = Double(roster.shiftMilliseconds(of: v.id)) / 1000
        }
        return result
    }

    /// Per role at the time of the action (`nil`: an actor with no known role); roles with no
    /// action and no shift time are left out.
    public func perRole() -> [Role?: Counts] {
        var rows = roleCounts
        for (role, ms) in rosterState.shiftMillisecondsByRole() {
            rows[role.map { Int($0.code) } ?? Roster.unknownSlot].shiftSeconds = Double(ms) / 1000
        }
        var result: [Role?: Counts] = [:]
        for (slot, row) in rows.enumerated() where row != Counts() {
            result[Roster.role(ofSlot: slot)] = row
        }
        return result
    }

    // MARK: Per kind (also called by ``Statistics``)

    /// Folds an event read in place, interned, the roster as of before it.
    @inline(__always)
    mutating func apply(_ event: borrowing EventView, roster: borrowing Roster) {
        let actor = event.ids.actor
        switch event.kind {
        case .replied: count(actor, roster) { $0.replies += 1 }
        case .postPublished: count(actor, roster) { $0.postsPublished += 1 }
        case .postAssigned:
            count(actor, roster) { $0.assignmentsMade += 1 }
            count(event.ids.person, roster) { $0.assignmentsReceived += 1 }
        case .escalated: count(actor, roster) { $0.escalations += 1 }
        case .noteAdded: count(actor, roster) { $0.notes += 1 }
        default: break
        }
    }

    /// Adds one action of `actor` to their row and to the row of the role they have now.
    @inline(__always)
    private mutating func count(_ actor: UInt32, _ roster: borrowing Roster, _ add: (inout Counts) -> Void) {
        add(&counts[row(actor)])
        add(&roleCounts[roster.slot(of: actor)])
    }

    @inline(__always)
    private mutating func row(_ actor: UInt32) -> Int {
        if Int(actor) < rowOfActor.count, rowOfActor[Int(actor)] >= 0 { return Int(rowOfActor[Int(actor)]) }
        if rowOfActor.count <= Int(actor) {
            rowOfActor.append(contentsOf: repeatElement(-1, count: Int(actor) + 1 - rowOfActor.count))
        }
        let i = actors.count
        rowOfActor[Int(actor)] = Int32(i)
        actors.append(actor)
        counts.append(Counts())
        return i
    }
}
