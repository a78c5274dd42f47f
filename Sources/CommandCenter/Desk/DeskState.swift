/// The current state of the desk: the posts, who has them, the volunteers, the listening rules.
///
/// Built only by ``apply(_:seq:)``, one event at a time in log order, for live commands and
/// recorded history alike: `apply` never traps and never refuses — a reply to a post it does not
/// know, an assignment by an unknown actor, a shift of someone who never joined are tolerated
/// (the event still counts in ``lastSeq`` and ``lastAt``). Judging commands is ``decide(_:actor:at:)``'s job.
///
/// Memory: a post costs one 64-byte record, its key in the log's ``Symbols`` and a cell of their
/// post table; post ids, authors, hashtags and volunteer ids are interned integers, texts are not
/// kept. About 100 bytes a post. The queues are kept by `apply` in a ``QueueIndex``, so a
/// volunteer's queue costs O(k log k) to read for k posts in it, not a scan of every post.
public struct DeskState: Sendable, Equatable {
    /// A post's compact record (no strings; ids into the symbol tables).
    struct PostRecord: Equatable, Sendable {
        var receivedAt: Int64
        var postedAt: Int64
        var version: UInt64
        var receivedSeq: UInt64
        /// `Int64.min` when there is no reply yet.
        var firstReplyAt: Int64 = .min
        var hashtagStart: UInt32
        /// In ``DeskState/authors``.
        var author: UInt32
        /// 0 for nobody, else the id in ``Symbols/names`` plus one.
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
        /// The name id plus one of the volunteer whose queue holds the post, 0 for none.
        var queueOwner: UInt32 { isResolved ? 0 : assignee }
    }

    /// An open escalation, compactly.
    struct EscalationRecord: Equatable, Sendable {
        /// In ``Symbols/names``.
        var to: UInt32
        var priority: Priority?
        var since: Int64
        var seq: UInt64
    }

    /// The log's post ids, names and hashtags as integers (a replay shares them with the statistics).
    /// A post's slot here is its post id there.
    var symbols = Symbols()
    /// Posts, by slot (the order they were received).
    var records: [PostRecord] = []
    var authors = NameTable()
    /// The hashtags of every post (ids in ``Symbols/hashtags``), each post's a run of it.
    var hashtagPool: [UInt32] = []
    var escalations: [Int32: EscalationRecord] = [:]
    /// The queues, kept up to date by `apply`.
    var queues = QueueIndex()
    /// The urgent rules, parsed, in the order of their text.
    var urgentRules: [ListeningRule.Matcher] = []

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
        var view = EventView(event)
        // The strings of an `Event` are valid UTF-8: interning its encoding cannot fail.
        try! symbols.intern(&view)
        apply(view, seq: seq, symbols: symbols)
    }

    /// Applies one event read in place, whose ids `symbols` interned (the replay's path: the
    /// desk's own ``symbols`` are the replay's once it ends).
    mutating func apply(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols) {
        lastSeq = seq
        if lastAt.map({ $0 < event.at }) ?? true { lastAt = event.at }
        eventCount += 1
        let post = event.ids.post
        // Ids past the records are posts received later in the log (the replay's tables may
        // be ahead of this desk): not known here yet.
        let known = post >= 0 && Int(post) < records.count
        switch event.kind {
        case .postReceived:
            // Post ids follow the order of receipt: the next one is new, an older one a repeat.
            if Int(post) == records.count { receive(event, seq: seq, symbols: symbols) }
        case .postPublished:
            if let id = event.post { publishedPosts.insert(id) }
        case .postAssigned:
            guard known else { return }
            let to = event.ids.person + 1
            update(post, seq) { $0.assignee = to }
        case .postUnassigned:
            guard known else { return }
            update(post, seq) { $0.assignee = 0 }
        case .replied:
            guard known else { return }
            let at = event.at.milliseconds
            update(post, seq) { record in
                record.replies &+= 1
                if record.firstReplyAt == .min { record.firstReplyAt = at }
            }
        case .escalated:
            guard known else { return }
            escalations[post] = EscalationRecord(to: event.ids.person, priority: event.priority, since: event.at.milliseconds, seq: seq)
            update(post, seq) { _ in }
        case .escalationResolved:
            guard known else { return }
            escalations[post] = nil
            update(post, seq) { _ in }
        case .postResolved:
            guard known, let code = event.outcome?.code else { return }
            update(post, seq) { $0.outcome = code }
        case .noteAdded, .postTagged:
            guard known else { return }
            update(post, seq) { _ in }
        case .volunteerJoined:
            guard let id = event.volunteer, let name = event.name, let role = event.role else { return }
            volunteers[id] = VolunteerState(id: id, name: name, role: role, team: event.team)
        case .volunteerLeft:
            guard let id = event.volunteer else { return }
            volunteers[id]?.active = false
            volunteers[id]?.onShift = false
        case .roleChanged:
            guard let id = event.volunteer, let role = event.role else { return }
            volunteers[id]?.role = role
        case .shiftStarted:
            guard let id = event.volunteer else { return }
            volunteers[id]?.onShift = true
        case .shiftEnded:
            guard let id = event.volunteer else { return }
            volunteers[id]?.onShift = false
        case .listeningRuleAdded:
            guard let rule = event.rule else { return }
            listeningRules.insert(rule)
            refreshUrgentRules()
        case .listeningRuleRemoved:
            guard let rule = event.rule else { return }
            listeningRules.remove(rule)
            refreshUrgentRules()
        case .eventDescribed, .personalDataErased, .logUpgraded:
            // The erased posts' texts are already empty in the events replayed after the erasure;
            // a desk that held them is rebuilt by whoever erased.
            break
        }
    }

    private mutating func receive(_ event: borrowing EventView, seq: UInt64, symbols: borrowing Symbols) {
        let slot = Int32(records.count)
        let start = UInt32(hashtagPool.count)
        let count = min(symbols.eventHashtags.count, Int(UInt16.max))
        hashtagPool.append(contentsOf: symbols.eventHashtags.prefix(count))
        var urgent = false
        for matcher in urgentRules where matcher.matches(event, symbols: symbols) {
            urgent = true
            break
        }
        let isRepost = event.isRepost
        // An author that is not UTF-8 is damaged text in a payload that otherwise walks: kept with
        // replacement characters rather than refusing the whole replay over a field shown to people only.
        let author = (try? authors.intern(event.secondBytes)) ?? authors.intern(String(decoding: event.secondBytes, as: UTF8.self))
        records.append(PostRecord(
            receivedAt: event.at.milliseconds, postedAt: event.postedAt?.milliseconds ?? 0, version: seq, receivedSeq: seq,
            hashtagStart: start, author: author, hashtagCount: UInt16(count),
            channel: event.channel ?? .other, isRepost: isRepost, isUrgent: urgent
        ))
        queues.addSlot(slot)
        if !isRepost { queues.setTriage(slot, true) }
    }

    /// Changes the record in `slot`, sets its version, and keeps the queues in step.
    @inline(__always)
    private mutating func update(_ slot: Int32, _ seq: UInt64, _ change: (inout PostRecord) -> Void) {
        let old = records[Int(slot)]
        change(&records[Int(slot)])
        records[Int(slot)].version = seq
        let new = records[Int(slot)]
        if old.inTriage != new.inTriage { queues.setTriage(slot, new.inTriage) }
        if old.queueOwner != new.queueOwner { queues.move(slot, from: old.queueOwner, to: new.queueOwner) }
    }

    mutating func refreshUrgentRules() {
        urgentRules = listeningRules.compactMap(ListeningRule.init).filter(\.isUrgent).sorted { $0.text < $1.text }
            .map(ListeningRule.Matcher.init)
    }

    /// The slot of inbound post `id`, if received.
    func slot(of id: String) -> Int32? {
        symbols.post(PostKey(id)).flatMap { Int($0) < records.count ? $0 : nil }
    }
}

extension DeskState {
    /// The post `id` as the desk sees it now; `nil` if it was never received.
    public func post(_ id: String) -> PostState? {
        slot(of: id).map(postState(slot:))
    }

    /// Every inbound post, in the order received. O(n): for tests and small desks.
    public func allPosts() -> [PostState] {
        (0..<Int32(records.count)).map(postState(slot:))
    }

    /// The version of inbound post `id` (see ``PostState/version``); `nil` if it was never received. O(1).
    public func version(of id: String) -> UInt64? {
        slot(of: id).map { records[Int($0)].version }
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
        slot(of: id) != nil || publishedPosts.contains(id)
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
            OpenEscalation(to: symbols.names[$0.to], priority: $0.priority, since: Timestamp(milliseconds: $0.since))
        }
        return PostState(
            id: symbols.postKeys[Int(slot)].id, channel: r.channel, author: authors[r.author],
            receivedAt: Timestamp(milliseconds: r.receivedAt), postedAt: Timestamp(milliseconds: r.postedAt),
            hashtags: hashtagPool[start..<start + Int(r.hashtagCount)].map { symbols.hashtags[$0] },
            isRepost: r.isRepost, isUrgent: r.isUrgent, status: status,
            assignee: r.assignee == 0 ? nil : symbols.names[r.assignee - 1],
            escalation: escalation, version: r.version, receivedSeq: r.receivedSeq, replies: Int(r.replies),
            firstReplyAt: r.firstReplyAt == .min ? nil : Timestamp(milliseconds: r.firstReplyAt)
        )
    }
}
