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

    var index: [String: Int] = [:]
    var actors: [String] = []
    var counts: [Counts] = []
    /// By role slot (``Roster/slot(of:)``): the five roles, then "no known role".
    var roleCounts = Array(repeating: Counts(), count: Roster.slotCount)
    /// Volunteer roles, teams and shifts over time.
    public internal(set) var roster = Roster()

    /// Creates an empty projection.
    public init() {}

    /// Folds one event.
    public mutating func apply(_ event: Event, seq: UInt64) {
        roster.observe(event.at)
        switch event.body {
        case .replied: replied(actor: event.actor)
        case .postPublished: published(actor: event.actor)
        case .postAssigned(let b): assigned(to: b.to, actor: event.actor)
        case .escalated: escalated(actor: event.actor)
        case .noteAdded: noted(actor: event.actor)
        default: roster.apply(event)
        }
    }

    /// Per volunteer: every actor of a counted action and every volunteer of the roster.
    public func perVolunteer() -> [String: Counts] {
        var result: [String: Counts] = [:]
        for (i, actor) in actors.enumerated() { result[actor] = counts[i] }
        for v in roster.volunteers {
            result[v.id, default: Counts()].shiftSeconds = Double(roster.shiftMilliseconds(of: v.id)) / 1000
        }
        return result
    }

    /// Per role at the time of the action (`nil`: an actor with no known role); roles with no
    /// action and no shift time are left out.
    public func perRole() -> [Role?: Counts] {
        var rows = roleCounts
        for (role, ms) in roster.shiftMillisecondsByRole() {
            rows[role.map { Int($0.code) } ?? Roster.unknownSlot].shiftSeconds = Double(ms) / 1000
        }
        var result: [Role?: Counts] = [:]
        for (slot, row) in rows.enumerated() where row != Counts() {
            result[Roster.role(ofSlot: slot)] = row
        }
        return result
    }

    // MARK: Per kind (also called by ``Statistics``)

    /// Moves the roster's clock (open shifts count until the last event).
    @inline(__always)
    mutating func observe(_ at: Timestamp) { roster.observe(at) }

    @inline(__always)
    private mutating func row(_ actor: String) -> Int {
        if let i = index[actor] { return i }
        let i = actors.count
        index[actor] = i
        actors.append(actor)
        counts.append(Counts())
        return i
    }

    mutating func replied(actor: String) {
        counts[row(actor)].replies += 1
        roleCounts[roster.slot(of: actor)].replies += 1
    }

    mutating func published(actor: String) {
        counts[row(actor)].postsPublished += 1
        roleCounts[roster.slot(of: actor)].postsPublished += 1
    }

    mutating func assigned(to: String, actor: String) {
        counts[row(actor)].assignmentsMade += 1
        roleCounts[roster.slot(of: actor)].assignmentsMade += 1
        counts[row(to)].assignmentsReceived += 1
        roleCounts[roster.slot(of: to)].assignmentsReceived += 1
    }

    mutating func escalated(actor: String) {
        counts[row(actor)].escalations += 1
        roleCounts[roster.slot(of: actor)].escalations += 1
    }

    mutating func noted(actor: String) {
        counts[row(actor)].notes += 1
        roleCounts[roster.slot(of: actor)].notes += 1
    }
}
