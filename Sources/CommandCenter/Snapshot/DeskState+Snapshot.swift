extension DeskState: DeltaSnapshotting {
    static let snapshotName = "desk.5"

    var snapshotBaseline: SnapshotBaseline { SnapshotBaseline(self) }

    /// What a desk snapshot delta is written against: the state of the previous snapshot, by the
    /// sizes of its append-only parts (records, symbols, authors, hashtag pool) and its published posts.
    struct SnapshotBaseline {
        var seq: UInt64 = 0
        var records = 0
        var symbols = Symbols.SnapshotBaseline()
        var authors = 0
        var hashtagPool = 0
        var publishedPosts: Set<String> = []

        init() {}

        init(_ desk: DeskState) {
            seq = desk.lastSeq
            records = desk.records.count
            symbols = Symbols.SnapshotBaseline(desk.symbols)
            authors = desk.authors.count
            hashtagPool = desk.hashtagPool.count
            publishedPosts = desk.publishedPosts
        }
    }

    /// The changes since `baseline` in snapshot form: what was appended (the records as columns),
    /// the fields an event can change of the records it touched since (a record's `version` is the
    /// seq of its last event), and the small parts (escalations, volunteers, rules) whole. The
    /// lookup tables and the queues are not written: the reader derives them.
    func writeSnapshotDelta(since baseline: SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.varint(baseline.seq)
        writer.varint(lastSeq)
        writer.int(records.count)
        writer.optionalDelta(lastAt?.milliseconds, from: 0)
        writer.int(eventCount)
        symbols.writeSnapshotDelta(since: baseline.symbols, into: &writer)
        authors.writeSnapshotDelta(since: baseline.authors, into: &writer)
        writer.count(hashtagPool.count - baseline.hashtagPool)
        for tag in hashtagPool[baseline.hashtagPool...] { writer.varint(UInt64(tag)) }
        let added = records[baseline.records...]
        writer.count(added.count)
        var previous = baseline.records > 0 ? records[baseline.records - 1] : nil
        for r in added {
            writer.delta(r.receivedAt, from: previous?.receivedAt ?? 0)
            previous = r
        }
        previous = baseline.records > 0 ? records[baseline.records - 1] : nil
        for r in added {
            writer.delta(Int64(bitPattern: r.receivedSeq), from: Int64(bitPattern: previous?.receivedSeq ?? 0))
            previous = r
        }
        for r in added { writer.delta(r.postedAt, from: r.receivedAt) }
        for r in added { writer.varint(UInt64(r.hashtagCount)) }
        for r in added { writer.varint(UInt64(r.author)) }
        for r in added { writer.byte(r.channel.code | (r.isRepost ? 0x40 : 0) | (r.isUrgent ? 0x80 : 0)) }
        writeMutable(baseline.records..<records.count, into: &writer)
        let changed = (0..<baseline.records).filter { records[$0].version > baseline.seq }
        writer.count(changed.count)
        var last = 0
        for slot in changed {
            writer.int(slot - last)
            last = slot
        }
        writeMutable(changed, into: &writer)
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

    /// The fields of `slots`' records that events after their `postReceived` change, column by column.
    private func writeMutable<Slots: Collection>(_ slots: Slots, into writer: inout SnapshotWriter) where Slots.Element == Int {
        for slot in slots { writer.varint(records[slot].version &- records[slot].receivedSeq) }
        for slot in slots {
            let r = records[slot]
            writer.optionalDelta(r.firstReplyAt == .min ? nil : r.firstReplyAt, from: r.receivedAt)
        }
        for slot in slots { writer.varint(UInt64(records[slot].assignee)) }
        for slot in slots { writer.varint(UInt64(records[slot].replies)) }
        for slot in slots { writer.byte(records[slot].outcome) }
    }

    private mutating func readMutable<Slots: Collection>(_ slots: Slots, _ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) where Slots.Element == Int {
        for slot in slots { records[slot].version = records[slot].receivedSeq &+ (try reader.varint()) }
        for slot in slots { records[slot].firstReplyAt = try reader.optionalDelta(from: records[slot].receivedAt) ?? .min }
        // Ids must name entries of the tables, or a later read of the state would trap.
        for slot in slots {
            let assignee = try reader.varint()
            guard assignee <= UInt64(symbols.names.count) else { throw SnapshotReader.Damaged(offset: -1) }
            records[slot].assignee = UInt32(assignee)
        }
        for slot in slots { records[slot].replies = UInt32(truncatingIfNeeded: try reader.varint()) }
        for slot in slots {
            let outcome = try reader.byte()
            guard outcome == PostRecord.unresolved || Outcome(code: outcome) != nil else { throw SnapshotReader.Damaged(offset: -1) }
            records[slot].outcome = outcome
        }
    }

    /// Reserves room for `posts` posts, so that loading a chain of deltas grows the tables once.
    mutating func reserveSnapshotCapacity(_ posts: Int) {
        // A header is checksummed, but a count from a file never sizes an allocation unbounded.
        // The headroom is for the posts the replay after the snapshot appends: without it the
        // first of them copies the whole table.
        let posts = min(posts, 1 << 27) + 16_384
        records.reserveCapacity(posts)
        symbols.reserveLoadedPosts(posts)
    }

    static func symbolsStart(_ delta: [UInt8]) -> Int? {
        var reader = SnapshotReader(delta)
        return try? { () throws(SnapshotReader.Damaged) -> Int in
            _ = try reader.varint()  // the seq it was written against
            _ = try reader.varint()  // its own seq
            _ = try reader.int()  // the post count after it
            _ = try reader.optionalDelta(from: 0)  // the last event's time
            _ = try reader.int()  // the event count
            return reader.offset
        }()
    }

    /// Applies one delta written by ``writeSnapshotDelta(since:into:)`` against this state.
    /// The queues and urgent rules are left stale: ``finishSnapshotLoad()`` rebuilds them once.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Bool {
        guard try reader.varint() == lastSeq else { return false }
        lastSeq = try reader.varint()
        _ = try reader.int()  // the post count after this delta: see `ProjectionSnapshots.postCount(after:)`
        lastAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        eventCount = try reader.int()
        try symbols.applySnapshotDelta(&reader)
        try authors.applySnapshotDelta(&reader)
        for _ in 0..<(try reader.count()) {
            let tag = UInt32(truncatingIfNeeded: try reader.varint())
            guard tag < symbols.hashtags.count else { throw SnapshotReader.Damaged(offset: -1) }
            hashtagPool.append(tag)
        }
        let added = try reader.count()
        let first = records.count
        guard first + added <= symbols.postCount else { throw SnapshotReader.Damaged(offset: -1) }
        // The fixed fields as columns, then each record built once.
        var previousAt = records.last?.receivedAt ?? 0
        var receivedAt: [Int64] = []
        receivedAt.reserveCapacity(added)
        for _ in 0..<added {
            previousAt = try reader.delta(from: previousAt)
            receivedAt.append(previousAt)
        }
        var previousSeq = records.last?.receivedSeq ?? 0
        var receivedSeq: [UInt64] = []
        receivedSeq.reserveCapacity(added)
        for _ in 0..<added {
            previousSeq = UInt64(bitPattern: try reader.delta(from: Int64(bitPattern: previousSeq)))
            receivedSeq.append(previousSeq)
        }
        var postedAt: [Int64] = []
        postedAt.reserveCapacity(added)
        for i in 0..<added { postedAt.append(try reader.delta(from: receivedAt[i])) }
        var start = records.last.map { Int($0.hashtagStart) + Int($0.hashtagCount) } ?? 0
        var hashtagStarts: [UInt32] = []
        var hashtagCounts: [UInt16] = []
        hashtagStarts.reserveCapacity(added)
        hashtagCounts.reserveCapacity(added)
        for _ in 0..<added {
            let count = try reader.varint()
            guard count <= UInt64(max(0, min(hashtagPool.count - start, Int(UInt16.max)))) else { throw SnapshotReader.Damaged(offset: -1) }
            hashtagStarts.append(UInt32(start))
            hashtagCounts.append(UInt16(count))
            start += Int(count)
        }
        var authorIds: [UInt32] = []
        authorIds.reserveCapacity(added)
        for _ in 0..<added {
            let author = try reader.varint()
            guard author < UInt64(authors.count) else { throw SnapshotReader.Damaged(offset: -1) }
            authorIds.append(UInt32(author))
        }
        for i in 0..<added {
            let flags = try reader.byte()
            guard let channel = Channel(code: flags & 0x3F) else { throw SnapshotReader.Damaged(offset: -1) }
            records.append(PostRecord(
                receivedAt: receivedAt[i], postedAt: postedAt[i], version: receivedSeq[i], receivedSeq: receivedSeq[i],
                hashtagStart: hashtagStarts[i], author: authorIds[i], hashtagCount: hashtagCounts[i], channel: channel,
                isRepost: flags & 0x40 != 0, isUrgent: flags & 0x80 != 0
            ))
        }
        try readMutable(first..<records.count, &reader)
        var changed: [Int] = []
        changed.reserveCapacity(min(first, 1 << 20))
        var slot = 0
        for _ in 0..<(try reader.count()) {
            slot += try reader.int()
            guard slot < first else { throw SnapshotReader.Damaged(offset: -1) }
            changed.append(slot)
        }
        try readMutable(changed, &reader)
        escalations = [:]
        for _ in 0..<(try reader.count()) {
            let slot = Int32(truncatingIfNeeded: try reader.varint())
            let to = UInt32(truncatingIfNeeded: try reader.varint())
            guard slot >= 0, Int(slot) < records.count, to < symbols.names.count else { throw SnapshotReader.Damaged(offset: -1) }
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

    /// Rebuilds what the deltas do not carry: the index of the post keys, the queues and the
    /// parsed urgent rules; checks that every post has its key (the two tables grow together).
    @discardableResult
    mutating func finishSnapshotLoad(postTable: PostTable?) -> Bool {
        guard records.count == symbols.postCount, symbols.indexLoadedPosts(postTable) else { return false }
        queues = QueueIndex()
        queues.reserveCapacity(records.capacity)
        for (slot, record) in records.enumerated() {
            queues.addSlot(Int32(slot))
            if record.inTriage { queues.setTriage(Int32(slot), true) }
            if record.queueOwner != 0 { queues.move(Int32(slot), from: 0, to: record.queueOwner) }
        }
        refreshUrgentRules()
        return true
    }
}
