extension Statistics: DeltaSnapshotting {
    static let snapshotName = "statistics.5"

    var snapshotBaseline: SnapshotBaseline { SnapshotBaseline(self) }

    /// What a statistics snapshot delta is written against: the sizes of the append-only parts
    /// at the previous snapshot, and the volume counts then (a few thousand numbers).
    struct SnapshotBaseline {
        var seq: UInt64 = 0
        var posts = 0
        var escalations = 0
        var minutes = 0
        var volumeCounts: [Int32] = []
        var hashtagTimes: [Int] = []
        var conversation = ConversationProjection.SnapshotBaseline()

        init() {}

        init(_ statistics: Statistics) {
            seq = statistics.lastSeq
            posts = statistics.reactionTimes.posts.count
            escalations = statistics.reactionTimes.escalations.count
            minutes = statistics.volume.minutes.count
            volumeCounts = statistics.volume.counts
            hashtagTimes = statistics.hashtags.times.map(\.count)
            conversation = ConversationProjection.SnapshotBaseline(statistics.conversation, seq: statistics.lastSeq)
        }
    }

    /// The changes since `baseline` in snapshot form (the `target` is a reporting choice, not
    /// state: not written). Posts and escalations an event changed since are written again
    /// (each keeps the seq of its last change); the small parts are written whole.
    func writeSnapshotDelta(since baseline: SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.varint(baseline.seq)
        writer.varint(lastSeq)
        writer.int(reactionTimes.posts.count)
        writer.int(events)
        writer.optionalDelta(firstAt?.milliseconds, from: 0)
        writer.optionalDelta(lastAt?.milliseconds, from: 0)
        reactionTimes.writeSnapshotDelta(since: baseline, into: &writer)
        writer.count(channelShare.counts.count)
        for count in channelShare.counts { writer.int(count) }
        volume.writeSnapshotDelta(since: baseline, into: &writer)
        workload.writeSnapshot(into: &writer)
        hashtags.writeSnapshotDelta(since: baseline, into: &writer)
        conversation.writeSnapshotDelta(since: baseline.conversation, into: &writer)
    }

    /// Reserves room for `posts` posts, so that loading a chain of deltas grows the tables once.
    mutating func reserveSnapshotCapacity(_ posts: Int) {
        // A header is checksummed, but a count from a file never sizes an allocation unbounded.
        // The headroom is for the posts the replay after the snapshot appends: without it the
        // first of them copies the whole table.
        let posts = min(posts, 1 << 27) + 16_384
        reactionTimes.posts.reserveCapacity(posts)
        reactionTimes.index.reserveCapacity(posts)
    }

    /// Applies one delta written by ``writeSnapshotDelta(since:into:)`` against this state.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Bool {
        guard try reader.varint() == lastSeq else { return false }
        lastSeq = try reader.varint()
        _ = try reader.int()  // the post count after this delta: see `ProjectionSnapshots.postCount(after:)`
        events = try reader.int()
        firstAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        lastAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        try reactionTimes.applySnapshotDelta(&reader)
        guard try reader.count() == channelShare.counts.count else { throw SnapshotReader.Damaged(offset: -1) }
        for i in channelShare.counts.indices { channelShare.counts[i] = try reader.int() }
        try volume.applySnapshotDelta(&reader)
        workload = try WorkloadProjection(snapshot: &reader)
        try hashtags.applySnapshotDelta(&reader)
        try conversation.applySnapshotDelta(&reader)
        return true
    }

    /// Nothing to rebuild; the links between posts and escalations must point inside the tables.
    mutating func finishSnapshotLoad() -> Bool { reactionTimes.linksAreValid() }
}

extension ActorStamp {
    func writeSnapshot(into writer: inout SnapshotWriter) {
        writer.shared(id)
        writer.optionalCode(role?.code)
        writer.optionalShared(team)
    }

    init(snapshot reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        self.init(id: try reader.shared(), role: try reader.optionalCode(Role.init(code:)), team: try reader.optionalShared())
    }

    static func write(_ stamp: ActorStamp?, into writer: inout SnapshotWriter) {
        writer.bool(stamp != nil)
        stamp?.writeSnapshot(into: &writer)
    }

    static func read(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> ActorStamp? {
        try reader.bool() ? try ActorStamp(snapshot: &reader) : nil
    }
}

extension ReactionTimeProjection {
    func writeSnapshotDelta(since baseline: Statistics.SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.int(repostsExcluded)
        writer.varint(currentSeq)
        roster.writeSnapshot(into: &writer)
        writer.count(posts.count - baseline.posts)
        for post in posts[baseline.posts...] { write(post, into: &writer) }
        let changedPosts = (0..<baseline.posts).filter { posts[$0].changedAt > baseline.seq }
        writer.count(changedPosts.count)
        for i in changedPosts {
            writer.varint(UInt64(i))
            write(posts[i], into: &writer)
        }
        writer.count(escalations.count - baseline.escalations)
        for escalation in escalations[baseline.escalations...] { write(escalation, into: &writer) }
        let changedEscalations = (0..<baseline.escalations).filter { escalations[$0].changedAt > baseline.seq }
        writer.count(changedEscalations.count)
        for i in changedEscalations {
            writer.varint(UInt64(i))
            write(escalations[i], into: &writer)
        }
    }

    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        repostsExcluded = try reader.int()
        currentSeq = try reader.varint()
        roster = try Roster(snapshot: &reader)
        let added = try reader.count()
        for _ in 0..<added {
            let post = try readPost(&reader)
            index[PostKey(post.id)] = Int32(posts.count)
            posts.append(post)
        }
        for _ in 0..<(try reader.count()) {
            let i = try reader.varint()
            guard i < UInt64(posts.count) else { throw SnapshotReader.Damaged(offset: -1) }
            posts[Int(i)] = try readPost(&reader)
        }
        for _ in 0..<(try reader.count()) { escalations.append(try readEscalation(&reader)) }
        for _ in 0..<(try reader.count()) {
            let i = try reader.varint()
            guard i < UInt64(escalations.count) else { throw SnapshotReader.Damaged(offset: -1) }
            escalations[Int(i)] = try readEscalation(&reader)
        }
    }

    /// Whether every link between posts and escalations points inside the tables: checked once
    /// after a chain of deltas, so that damaged bytes can never make a later read trap.
    func linksAreValid() -> Bool {
        !posts.indices.contains { posts[$0].openEscalation >= escalations.count }
            && !escalations.indices.contains { escalations[$0].nextOpen >= escalations.count || escalations[$0].post >= posts.count }
    }

    private func write(_ post: Post, into writer: inout SnapshotWriter) {
        writer.string(post.id)
        writer.byte(post.channel.code)
        writer.count(post.hashtags.count)
        for tag in post.hashtags { writer.shared(tag) }
        writer.signed(post.receivedAt)
        writer.delta(post.postedAt, from: post.receivedAt)
        writer.optionalDelta(post.firstReplyAt, from: post.receivedAt)
        ActorStamp.write(post.responder, into: &writer)
        writer.optionalDelta(post.firstAssignedAt, from: post.receivedAt)
        ActorStamp.write(post.assignee, into: &writer)
        ActorStamp.write(post.assigner, into: &writer)
        writer.optionalDelta(post.resolvedAt, from: post.receivedAt)
        ActorStamp.write(post.resolver, into: &writer)
        writer.optionalCode(post.outcome?.code)
        writer.signed(Int64(post.openEscalation))
        writer.varint(post.changedAt)
    }

    private func readPost(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Post {
        let id = try reader.string()
        let channel = try reader.code(Channel.init(code:))
        var hashtags: [String] = []
        for _ in 0..<(try reader.count()) { hashtags.append(try reader.shared()) }
        let receivedAt = try reader.signed()
        var post = Post(id: id, channel: channel, hashtags: hashtags, postedAt: try reader.delta(from: receivedAt), receivedAt: receivedAt)
        post.firstReplyAt = try reader.optionalDelta(from: receivedAt)
        post.responder = try ActorStamp.read(&reader)
        post.firstAssignedAt = try reader.optionalDelta(from: receivedAt)
        post.assignee = try ActorStamp.read(&reader)
        post.assigner = try ActorStamp.read(&reader)
        post.resolvedAt = try reader.optionalDelta(from: receivedAt)
        post.resolver = try ActorStamp.read(&reader)
        post.outcome = try reader.optionalCode(Outcome.init(code:))
        post.openEscalation = Int32(truncatingIfNeeded: try reader.signed())
        post.changedAt = try reader.varint()
        return post
    }

    private func write(_ escalation: Escalation, into writer: inout SnapshotWriter) {
        writer.int(escalation.post)
        writer.signed(escalation.escalatedAt)
        escalation.escalator.writeSnapshot(into: &writer)
        writer.shared(escalation.to)
        writer.optionalDelta(escalation.resolvedAt, from: escalation.escalatedAt)
        ActorStamp.write(escalation.resolver, into: &writer)
        writer.signed(Int64(escalation.nextOpen))
        writer.varint(escalation.changedAt)
    }

    private func readEscalation(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Escalation {
        let post = try reader.int()
        let escalatedAt = try reader.signed()
        return Escalation(
            post: post, escalatedAt: escalatedAt, escalator: try ActorStamp(snapshot: &reader), to: try reader.shared(),
            resolvedAt: try reader.optionalDelta(from: escalatedAt), resolver: try ActorStamp.read(&reader),
            nextOpen: Int32(truncatingIfNeeded: try reader.signed()), changedAt: try reader.varint()
        )
    }
}

extension Roster {
    func writeSnapshot(into writer: inout SnapshotWriter) {
        writer.optionalDelta(lastAt?.milliseconds, from: 0)
        writer.count(volunteers.count)
        for volunteer in volunteers {
            writer.shared(volunteer.id)
            writer.string(volunteer.name)
            writer.optionalCode(volunteer.role?.code)
            writer.optionalShared(volunteer.team)
            writer.signed(volunteer.joinedAt.milliseconds)
            writer.optionalDelta(volunteer.leftAt?.milliseconds, from: 0)
            writer.optionalDelta(volunteer.segmentStart, from: 0)
            writer.count(volunteer.closedMsByRole.count)
            for ms in volunteer.closedMsByRole { writer.signed(ms) }
        }
    }

    init(snapshot reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        self.init()
        lastAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        for i in 0..<(try reader.count()) {
            var volunteer = Volunteer(
                id: try reader.shared(), name: try reader.string(), role: try reader.optionalCode(Role.init(code:)),
                team: try reader.optionalShared(), joinedAt: Timestamp(milliseconds: try reader.signed()),
                leftAt: try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
            )
            volunteer.segmentStart = try reader.optionalDelta(from: 0)
            guard try reader.count() == Roster.slotCount else { throw SnapshotReader.Damaged(offset: -1) }
            for slot in 0..<Roster.slotCount { volunteer.closedMsByRole[slot] = try reader.signed() }
            volunteers.append(volunteer)
            index[volunteer.id] = i
        }
    }
}

extension VolumeProjection {
    /// New minutes, then the counts that differ from the baseline's (new minutes' included).
    func writeSnapshotDelta(since baseline: Statistics.SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.count(minutes.count - baseline.minutes)
        var previous = baseline.minutes > 0 ? minutes[baseline.minutes - 1] : 0
        for minute in minutes[baseline.minutes...] {
            writer.delta(minute, from: previous)
            previous = minute
        }
        let changed = counts.indices.filter { $0 >= baseline.volumeCounts.count || counts[$0] != baseline.volumeCounts[$0] }
        writer.count(changed.count)
        var last = 0
        for cell in changed {
            writer.int(cell - last)
            last = cell
            writer.varint(UInt64(UInt32(bitPattern: counts[cell])))
        }
        writer.signed(lastMinute)
        writer.int(lastSlot)
    }

    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        var previous = minutes.last ?? 0
        for _ in 0..<(try reader.count()) {
            previous = try reader.delta(from: previous)
            slotOfMinute[previous] = minutes.count
            minutes.append(previous)
        }
        counts.append(contentsOf: repeatElement(0, count: minutes.count * Self.channels - counts.count))
        var cell = 0
        for _ in 0..<(try reader.count()) {
            cell += try reader.int()
            guard cell < counts.count else { throw SnapshotReader.Damaged(offset: -1) }
            counts[cell] = Int32(truncatingIfNeeded: try reader.varint())
        }
        lastMinute = try reader.signed()
        lastSlot = try reader.int()
        guard lastSlot <= minutes.count else { throw SnapshotReader.Damaged(offset: -1) }
    }
}

extension WorkloadProjection.Counts {
    func writeSnapshot(into writer: inout SnapshotWriter) {
        for value in [replies, postsPublished, assignmentsMade, assignmentsReceived, escalations, notes] { writer.int(value) }
        writer.double(shiftSeconds)
    }

    init(snapshot reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        self.init()
        replies = try reader.int()
        postsPublished = try reader.int()
        assignmentsMade = try reader.int()
        assignmentsReceived = try reader.int()
        escalations = try reader.int()
        notes = try reader.int()
        shiftSeconds = try reader.double()
    }
}

extension WorkloadProjection {
    func writeSnapshot(into writer: inout SnapshotWriter) {
        roster.writeSnapshot(into: &writer)
        writer.count(actors.count)
        for (actor, counts) in zip(actors, counts) {
            writer.shared(actor)
            counts.writeSnapshot(into: &writer)
        }
        writer.count(roleCounts.count)
        for counts in roleCounts { counts.writeSnapshot(into: &writer) }
    }

    init(snapshot reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        self.init()
        roster = try Roster(snapshot: &reader)
        for i in 0..<(try reader.count()) {
            let actor = try reader.shared()
            actors.append(actor)
            counts.append(try Counts(snapshot: &reader))
            index[actor] = i
        }
        guard try reader.count() == roleCounts.count else { throw SnapshotReader.Damaged(offset: -1) }
        for slot in roleCounts.indices { roleCounts[slot] = try Counts(snapshot: &reader) }
    }
}

extension HashtagProjection {
    /// New hashtags, the times appended to each since the baseline, and the rule changes whole.
    func writeSnapshotDelta(since baseline: Statistics.SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.count(tags.count - baseline.hashtagTimes.count)
        for tag in tags[baseline.hashtagTimes.count...] { writer.string(tag) }
        let grown = tags.indices.filter { $0 >= baseline.hashtagTimes.count || times[$0].count > baseline.hashtagTimes[$0] }
        writer.count(grown.count)
        for i in grown {
            let known = i < baseline.hashtagTimes.count ? baseline.hashtagTimes[i] : 0
            writer.int(i)
            writer.count(times[i].count - known)
            var previous = known > 0 ? times[i][known - 1] : 0
            for time in times[i][known...] {
                writer.delta(time, from: previous)
                previous = time
            }
        }
        writer.count(ruleChanges.count)
        for (tag, changes) in ruleChanges.sorted(by: { $0.key < $1.key }) {
            writer.string(tag)
            writer.count(changes.count)
            for change in changes {
                writer.signed(change.at)
                writer.bool(change.added)
            }
        }
    }

    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) {
        for _ in 0..<(try reader.count()) {
            let tag = try reader.string()
            index[tag] = tags.count
            tags.append(tag)
            times.append([])
        }
        for _ in 0..<(try reader.count()) {
            let i = try reader.int()
            guard i < tags.count else { throw SnapshotReader.Damaged(offset: -1) }
            var previous = times[i].last ?? 0
            for _ in 0..<(try reader.count()) {
                previous = try reader.delta(from: previous)
                times[i].append(previous)
            }
        }
        ruleChanges = [:]
        for _ in 0..<(try reader.count()) {
            let tag = try reader.string()
            var changes: [RuleChange] = []
            for _ in 0..<(try reader.count()) { changes.append(RuleChange(at: try reader.signed(), added: try reader.bool())) }
            ruleChanges[tag] = changes
        }
    }
}
