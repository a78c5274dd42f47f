/// The current state of the desk: the posts, who has them, the volunteers, the listening rules.
///
/// Built only by ``apply(_:seq:)``, one event at a time in log order, for live commands and
/// recorded history alike: `apply` never traps and never refuses — a reply to a post it does not
/// know, an assignment by an unknown actor, a shift of someone who never joined are tolerated
/// (the event still counts in ``lastSeq`` and ``lastAt``). Judging commands is ``decide(_:actor:at:)``'s job.
///
/// Memory: a post costs one 64-byte record plus its id and a dictionary entry; authors, hashtags
/// and volunteer ids are interned, texts are not kept. About 200 bytes a post, so 2M posts fit in
/// well under half a gigabyte. The queues are kept as sets of post slots updated by `apply`, so a
/// queue costs O(k log k) to read for k posts in it, not a scan of every post.
public struct DeskState: Sendable, Equatable {
    /// A post's compact record (no strings; indexes into the interners).
    struct PostRecord: Equatable, Sendable {
        var receivedAt: Int64
        var postedAt: Int64
        var version: UInt64
        var receivedSeq: UInt64
        /// `Int64.min` when there is no reply yet.
        var firstReplyAt: Int64 = .min
        var hashtagStart: UInt32
        var author: UInt32
        /// 0 for nobody, else the index in `people` plus one.
        var assignee: UInt32 = 0
        var replies: UInt32 = 0
        var hashtagCount: UInt16
        var channel: Channel
        /// `unresolved`, else the outcome's storage code.
        var outcome: UInt8 = PostRecord.unresolved
        var isRepost: Bool
        var isUrgent: Bool

        static let unresolved: UInt8 = 0xFF

        var isResolved: Bool { outcome != Self.unresolved }
        var inTriage: Bool { !isRepost && assignee == 0 && !isResolved }
        /// The people index plus one of the volunteer whose queue holds the post, 0 for none.
        var queueOwner: UInt32 { isResolved ? 0 : assignee }
    }

    /// An open escalation, compactly.
    struct EscalationRecord: Equatable, Sendable {
        var to: UInt32
        var priority: Priority?
        var since: Int64
        var seq: UInt64
    }

    /// Strings stored once, named by their position.
    struct Interner: Equatable, Sendable {
        private(set) var names: [String] = []
        private(set) var index: [String: UInt32] = [:]

        mutating func intern(_ name: String) -> UInt32 {
            if let known = index[name] { return known }
            let id = UInt32(names.count)
            names.append(name)
            index[name] = id
            return id
        }

        subscript(_ id: UInt32) -> String { names[Int(id)] }
    }

    // Posts, by slot (the order they were received).
    /// The post ids as keys: a numbered id costs no string (rebuilt by ``PostKey/id`` when shown).
    var postKeys: [PostKey] = []
    var postSlots = PostTable()
    var records: [PostRecord] = []
    var authors = Interner()
    var hashtagNames = Interner()
    var hashtagPool: [UInt32] = []
    /// Volunteer ids named by assignments and escalations (they need not have joined: imports).
    var people = Interner()
    var escalations: [Int32: EscalationRecord] = [:]
    // The queues, kept up to date by `apply`.
    var triage: Set<Int32> = []
    var assigned: [UInt32: Set<Int32>] = [:]
    /// The urgent rules, parsed, in the order of their text.
    var urgentRules: [ListeningRule] = []

    /// The volunteers who ever joined, by id (active or not).
    public internal(set) var volunteers: [String: VolunteerState] = [:]
    /// The listening rules in force, as written.
    public internal(set) var listeningRules: Set<String> = []
    /// The ids of the posts the team published.
    public internal(set) var publishedPosts: Set<String> = []
    /// The sequence number of the last event applied; 0 for none.
    public internal(set) var lastSeq: UInt64 = 0
    /// The latest `at` applied; `nil` before any event.
    public internal(set) var lastAt: Timestamp?
    /// How many events were applied.
    public internal(set) var eventCount = 0

    /// An empty desk.
    public init() {}

    /// How many inbound posts the desk knows.
    public var postCount: Int { records.count }

    /// Applies one event of the log: the only way the state changes.
    ///
    /// Never traps: events about unknown posts or volunteers change nothing but ``lastSeq``,
    /// ``lastAt`` and ``eventCount``; a second `postReceived` of a known post is ignored.
    /// - Parameters:
    ///   - event: the event, as appended.
    ///   - seq: its sequence number in the log (the post's new ``PostState/version``).
    public mutating func apply(_ event: Event, seq: UInt64) {
        lastSeq = seq
        if lastAt.map({ $0 < event.at }) ?? true { lastAt = event.at }
        eventCount += 1
        switch event.body {
        case .postReceived(let b):
            receive(b, at: event.at, seq: seq)
        case .postPublished(let b):
            publishedPosts.insert(b.post)
        case .postAssigned(let b):
            guard let slot = postSlots[PostKey(b.post)] else { return }
            let to = people.intern(b.to) + 1
            update(slot, seq) { $0.assignee = to }
        case .postUnassigned(let b):
            update(b.post, seq) { $0.assignee = 0 }
        case .replied(let b):
            let at = event.at.milliseconds
            update(b.post, seq) { record in
                record.replies &+= 1
                if record.firstReplyAt == .min { record.firstReplyAt = at }
            }
        case .escalated(let b):
            guard let slot = postSlots[PostKey(b.post)] else { return }
            let to = people.intern(b.to)
            escalations[slot] = EscalationRecord(to: to, priority: b.priority, since: event.at.milliseconds, seq: seq)
            update(slot, seq) { _ in }
        case .escalationResolved(let b):
            guard let slot = postSlots[PostKey(b.post)] else { return }
            escalations[slot] = nil
            update(slot, seq) { _ in }
        case .postResolved(let b):
            let code = b.outcome.code
            update(b.post, seq) { $0.outcome = code }
        case .noteAdded(let b):
            update(b.post, seq) { _ in }
        case .postTagged(let b):
            update(b.post, seq) { _ in }
        case .volunteerJoined(let b):
            volunteers[b.volunteer] = VolunteerState(id: b.volunteer, name: b.name, role: b.role, team: b.team)
        case .volunteerLeft(let b):
            volunteers[b.volunteer]?.active = false
            volunteers[b.volunteer]?.onShift = false
        case .roleChanged(let b):
            volunteers[b.volunteer]?.role = b.to
        case .shiftStarted(let b):
            volunteers[b.volunteer]?.onShift = true
        case .shiftEnded(let b):
            volunteers[b.volunteer]?.onShift = false
        case .listeningRuleAdded(let b):
            listeningRules.insert(b.rule)
            refreshUrgentRules()
        case .listeningRuleRemoved(let b):
            listeningRules.remove(b.rule)
            refreshUrgentRules()
        case .eventDescribed, .personalDataErased, .logUpgraded:
            // The erased posts' texts are already empty in the events replayed after the erasure;
            // a desk that held them is rebuilt by whoever erased.
            break
        }
    }

    private mutating func receive(_ b: PostReceived, at: Timestamp, seq: UInt64) {
        let key = PostKey(b.post)
        guard postSlots[key] == nil else { return }
        let slot = Int32(records.count)
        let start = UInt32(hashtagPool.count)
        let count = min(b.hashtags.count, Int(UInt16.max))
        for tag in b.hashtags.prefix(count) { hashtagPool.append(hashtagNames.intern(tag)) }
        let urgent = urgentRules.contains { $0.matches(b) }
        let record = PostRecord(
            receivedAt: at.milliseconds, postedAt: b.postedAt.milliseconds, version: seq, receivedSeq: seq,
            hashtagStart: start, author: authors.intern(b.author), hashtagCount: UInt16(count),
            channel: b.channel, isRepost: b.isRepost, isUrgent: urgent
        )
        postKeys.append(key)
        postSlots[key] = slot
        records.append(record)
        if record.inTriage { triage.insert(slot) }
    }

    /// Changes the record of `post` (if known), sets its version, and keeps the queues in step.
    private mutating func update(_ post: String, _ seq: UInt64, _ change: (inout PostRecord) -> Void) {
        guard let slot = postSlots[PostKey(post)] else { return }
        update(slot, seq, change)
    }

    /// Changes the record in `slot`, for callers that looked the post up already.
    private mutating func update(_ slot: Int32, _ seq: UInt64, _ change: (inout PostRecord) -> Void) {
        let old = records[Int(slot)]
        change(&records[Int(slot)])
        records[Int(slot)].version = seq
        let new = records[Int(slot)]
        if old.inTriage != new.inTriage {
            if new.inTriage { triage.insert(slot) } else { triage.remove(slot) }
        }
        if old.queueOwner != new.queueOwner {
            if old.queueOwner != 0 {
                assigned[old.queueOwner]?.remove(slot)
                if assigned[old.queueOwner]?.isEmpty == true { assigned[old.queueOwner] = nil }
            }
            if new.queueOwner != 0 { assigned[new.queueOwner, default: []].insert(slot) }
        }
    }

    mutating func refreshUrgentRules() {
        urgentRules = listeningRules.compactMap(ListeningRule.init).filter(\.isUrgent).sorted { $0.text < $1.text }
    }
}

extension DeskState {
    /// The post `id` as the desk sees it now; `nil` if it was never received.
    public func post(_ id: String) -> PostState? {
        postSlots[PostKey(id)].map(postState(slot:))
    }

    /// Every inbound post, in the order received. O(n): for tests and small desks.
    public func allPosts() -> [PostState] {
        (0..<Int32(records.count)).map(postState(slot:))
    }

    /// The version of inbound post `id` (see ``PostState/version``); `nil` if it was never received. O(1).
    public func version(of id: String) -> UInt64? {
        postSlots[PostKey(id)].map { records[Int($0)].version }
    }

    /// The volunteer `id`, active or not; `nil` if they never joined.
    public func volunteer(_ id: String) -> VolunteerState? { volunteers[id] }

    /// The active coordinators' ids, sorted.
    public var coordinators: [String] {
        volunteers.values.filter(\.isCoordinator).map(\.id).sorted()
    }

    /// Whether some volunteer is an active coordinator.
    public var hasCoordinator: Bool { volunteers.values.contains { $0.isCoordinator } }

    /// Whether `id` names a post the desk knows (received or published).
    public func knowsPost(_ id: String) -> Bool {
        postSlots[PostKey(id)] != nil || publishedPosts.contains(id)
    }

    func postState(slot: Int32) -> PostState {
        let r = records[Int(slot)]
        let start = Int(r.hashtagStart)
        let status: PostStatus
        if let outcome = Outcome(code: r.outcome) {
            status = .resolved(outcome)
        } else {
            status = r.assignee == 0 ? .received : .assigned
        }
        let escalation = escalations[slot].map {
            OpenEscalation(to: people[$0.to], priority: $0.priority, since: Timestamp(milliseconds: $0.since))
        }
        return PostState(
            id: postKeys[Int(slot)].id, channel: r.channel, author: authors[r.author],
            receivedAt: Timestamp(milliseconds: r.receivedAt), postedAt: Timestamp(milliseconds: r.postedAt),
            hashtags: hashtagPool[start..<start + Int(r.hashtagCount)].map { hashtagNames[$0] },
            isRepost: r.isRepost, isUrgent: r.isUrgent, status: status,
            assignee: r.assignee == 0 ? nil : people[r.assignee - 1],
            escalation: escalation, version: r.version, receivedSeq: r.receivedSeq, replies: Int(r.replies),
            firstReplyAt: r.firstReplyAt == .min ? nil : Timestamp(milliseconds: r.firstReplyAt)
        )
    }
}
