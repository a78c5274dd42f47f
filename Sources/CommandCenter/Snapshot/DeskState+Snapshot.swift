extension DeskState: DeltaSnapshotting {
    static let snapshotName = "desk.4"

    var snapshotBaseline: SnapshotBaseline { SnapshotBaseline(self) }

    /// What a desk snapshot delta is written against: the state of the previous snapshot, by the
    /// sizes of its append-only parts (records, interners, hashtag pool) and its published posts.
    struct SnapshotBaseline {
        var seq: UInt64 = 0
        var records = 0
        var authors = 0
        var hashtagNames = 0
        var people = 0
        var hashtagPool = 0
        var publishedPosts: Set<String> = []

        init() {}

        init(_ desk: DeskState) {
            seq = desk.lastSeq
            records = desk.records.count
            authors = desk.authors.names.count
            hashtagNames = desk.hashtagNames.names.count
            people = desk.people.names.count
            hashtagPool = desk.hashtagPool.count
            publishedPosts = desk.publishedPosts
        }
    }

    /// The changes since `baseline` in snapshot form: what was appended, the post records an event
    /// touched since (a record's `version` is the seq of its last event), and the small parts
    /// (escalations, volunteers, rules) whole. The lookup tables are not written: the reader
    /// derives them.
    func writeSnapshotDelta(since baseline: SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.varint(baseline.seq)
        writer.varint(lastSeq)
        writer.int(records.count)
        writer.optionalDelta(lastAt?.milliseconds, from: 0)
        writer.int(eventCount)
        for (interner, known) in [(authors, baseline.authors), (hashtagNames, baseline.hashtagNames), (people, baseline.people)] {
            writer.count(interner.names.count - known)
            for name in interner.names[known...] { writer.string(name) }
        }
        writer.count(hashtagPool.count - baseline.hashtagPool)
        for tag in hashtagPool[baseline.hashtagPool...] { writer.varint(UInt64(tag)) }
        writer.count(records.count - baseline.records)
        var previous: Int64 = baseline.records > 0 ? records[baseline.records - 1].receivedAt : 0
        for slot in baseline.records..<records.count {
            write(postKeys[slot], into: &writer)
            writer.delta(records[slot].receivedAt, from: previous)
            previous = records[slot].receivedAt
            writeRecord(records[slot], into: &writer)
        }
        let changed = (0..<baseline.records).filter { records[$0].version > baseline.seq }
        writer.count(changed.count)
        for slot in changed {
            writer.varint(UInt64(slot))
            writer.signed(records[slot].receivedAt)
            writeRecord(records[slot], into: &writer)
        }
        writer.count(escalations.count)
        for (slot, escalation) in escalations.sorted(by: { $0.key < $1.key }) {
            writer.varint(UInt64(slot))
            writer.varint(UInt64(escalation.to))
            writer.optionalCode(escalation.priority?.code)
            writer.signed(escalation.since)
            writer.varint(escalation.seq)
        }
        writer.count(volunteers.count)
        for volunteer in volunteers.values.sorted(by: { $0.id < $1.id }) {
            writer.string(volunteer.id)
            writer.string(volunteer.name)
            writer.byte(volunteer.role.code)
            writer.optionalShared(volunteer.team)
            writer.byte((volunteer.active ? 1 : 0) | (volunteer.onShift ? 2 : 0))
        }
        writer.count(listeningRules.count)
        for rule in listeningRules.sorted() { writer.string(rule) }
        let published = publishedPosts.subtracting(baseline.publishedPosts).sorted()
        writer.count(published.count)
        for post in published { writer.string(post) }
    }

    /// A numbered key as its channel and number (9 bytes at most instead of a ~27-byte string).
    private func write(_ key: PostKey, into writer: inout SnapshotWriter) {
        switch key {
        case .numbered(let channel, let number):
            writer.byte(channel)
            writer.varint(number)
        case .other(let id):
            writer.byte(0xFF)
            writer.string(id)
        }
    }

    private func readKey(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> PostKey {
        let tag = try reader.byte()
        if tag == 0xFF { return .other(try reader.string()) }
        guard Channel(code: tag) != nil else { throw SnapshotReader.Damaged(offset: -1) }
        return .numbered(channel: tag, number: try reader.varint())
    }

    /// A record but its id and `receivedAt` (written before it, differently for new and changed rows).
    private func writeRecord(_ record: PostRecord, into writer: inout SnapshotWriter) {
        writer.delta(record.postedAt, from: record.receivedAt)
        writer.varint(record.receivedSeq)
        writer.varint(record.version - record.receivedSeq)
        writer.optionalDelta(record.firstReplyAt == .min ? nil : record.firstReplyAt, from: record.receivedAt)
        writer.varint(UInt64(record.hashtagStart))
        writer.varint(UInt64(record.hashtagCount))
        writer.varint(UInt64(record.author))
        writer.varint(UInt64(record.assignee))
        writer.varint(UInt64(record.replies))
        writer.byte(record.channel.code)
        writer.byte(record.outcome)
        writer.byte((record.isRepost ? 1 : 0) | (record.isUrgent ? 2 : 0))
    }

    private func readRecord(receivedAt: Int64, _ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> PostRecord {
        let postedAt = try reader.delta(from: receivedAt)
        let receivedSeq = try reader.varint()
        let version = receivedSeq &+ (try reader.varint())
        let firstReplyAt = try reader.optionalDelta(from: receivedAt) ?? .min
        let hashtagStart = UInt32(truncatingIfNeeded: try reader.varint())
        let hashtagCount = UInt16(truncatingIfNeeded: try reader.varint())
        let author = UInt32(truncatingIfNeeded: try reader.varint())
        let assignee = UInt32(truncatingIfNeeded: try reader.varint())
        let replies = UInt32(truncatingIfNeeded: try reader.varint())
        let channel = try reader.code(Channel.init(code:))
        let outcome = try reader.byte()
        let flags = try reader.byte()
        // Indexes into the tables must hold, or a later read of the state would trap.
        guard Int(hashtagStart) + Int(hashtagCount) <= hashtagPool.count, author < authors.names.count,
              assignee <= people.names.count, outcome == PostRecord.unresolved || Outcome(code: outcome) != nil
        else { throw SnapshotReader.Damaged(offset: -1) }
        return PostRecord(
            receivedAt: receivedAt, postedAt: postedAt, version: version, receivedSeq: receivedSeq,
            firstReplyAt: firstReplyAt, hashtagStart: hashtagStart, author: author, assignee: assignee,
            replies: replies, hashtagCount: hashtagCount, channel: channel, outcome: outcome,
            isRepost: flags & 1 != 0, isUrgent: flags & 2 != 0
        )
    }

    /// Reserves room for `posts` posts, so that loading a chain of deltas grows the tables once.
    mutating func reserveSnapshotCapacity(_ posts: Int) {
        // A header is checksummed, but a count from a file never sizes an allocation unbounded.
        // The headroom is for the posts the replay after the snapshot appends: without it the
        // first of them copies the whole table.
        let posts = min(posts, 1 << 27) + 16_384
        records.reserveCapacity(posts)
        postKeys.reserveCapacity(posts)
        postSlots.reserveCapacity(posts)
    }

    /// Applies one delta written by ``writeSnapshotDelta(since:into:)`` against this state.
    /// The queues and urgent rules are left stale: ``finishSnapshotLoad()`` rebuilds them once.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Bool {
        guard try reader.varint() == lastSeq else { return false }
        lastSeq = try reader.varint()
        _ = try reader.int()  // the post count after this delta: see `ProjectionSnapshots.postCount(after:)`
        lastAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        eventCount = try reader.int()
        for n in 0..<3 {
            for _ in 0..<(try reader.count()) {
                let name = try reader.string()
                switch n {
                case 0: _ = authors.intern(name)
                case 1: _ = hashtagNames.intern(name)
                default: _ = people.intern(name)
                }
            }
        }
        for _ in 0..<(try reader.count()) { hashtagPool.append(UInt32(truncatingIfNeeded: try reader.varint())) }
        let added = try reader.count()
        var previous: Int64 = records.last?.receivedAt ?? 0
        for _ in 0..<added {
            let key = try readKey(&reader)
            previous = try reader.delta(from: previous)
            postSlots[key] = Int32(records.count)
            postKeys.append(key)
            records.append(try readRecord(receivedAt: previous, &reader))
        }
        for _ in 0..<(try reader.count()) {
            let slot = try reader.varint()
            guard slot < UInt64(records.count) else { throw SnapshotReader.Damaged(offset: -1) }
            let receivedAt = try reader.signed()
            records[Int(slot)] = try readRecord(receivedAt: receivedAt, &reader)
        }
        escalations = [:]
        for _ in 0..<(try reader.count()) {
            let slot = Int32(truncatingIfNeeded: try reader.varint())
            let to = UInt32(truncatingIfNeeded: try reader.varint())
            guard slot >= 0, Int(slot) < records.count, to < people.names.count else { throw SnapshotReader.Damaged(offset: -1) }
            escalations[slot] = EscalationRecord(
                to: to, priority: try reader.optionalCode(Priority.init(code:)), since: try reader.signed(), seq: try reader.varint()
            )
        }
        volunteers = [:]
        for _ in 0..<(try reader.count()) {
            let id = try reader.string()
            let name = try reader.string()
            let role = try reader.code(Role.init(code:))
            let team = try reader.optionalShared()
            let flags = try reader.byte()
            volunteers[id] = VolunteerState(id: id, name: name, role: role, team: team, active: flags & 1 != 0, onShift: flags & 2 != 0)
        }
        listeningRules = []
        for _ in 0..<(try reader.count()) { listeningRules.insert(try reader.string()) }
        for _ in 0..<(try reader.count()) { publishedPosts.insert(try reader.string()) }
        return true
    }

    /// Rebuilds what the deltas do not carry: the queues and the parsed urgent rules.
    @discardableResult
    mutating func finishSnapshotLoad() -> Bool {
        triage = []
        assigned = [:]
        for (slot, record) in records.enumerated() {
            if record.inTriage { triage.insert(Int32(slot)) }
            if record.queueOwner != 0 { assigned[record.queueOwner, default: []].insert(Int32(slot)) }
        }
        refreshUrgentRules()
        return true
    }
}
