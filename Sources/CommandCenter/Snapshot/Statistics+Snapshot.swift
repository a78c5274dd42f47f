extension Statistics: DeltaSnapshotting {
    static let snapshotName = "statistics.7"

    var snapshotBaseline: SnapshotBaseline { SnapshotBaseline(self) }

    /// What a statistics snapshot delta is written against: the sizes of the append-only parts
    /// at the previous snapshot, and the volume counts then (a few thousand numbers).
    struct SnapshotBaseline {
        var seq: UInt64 = 0
        var symbols = Symbols.SnapshotBaseline()
        var posts = 0
        var escalations = 0
        var minutes = 0
        var volumeCounts: [Int32] = []
        var hashtagTimes: [Int] = []
        var conversation = ConversationProjection.SnapshotBaseline()

        init() {}

        init(_ statistics: Statistics) {
            seq = statistics.lastSeq
            symbols = Symbols.SnapshotBaseline(statistics.symbols)
            posts = statistics.reactionTimeState.columns.count
            escalations = statistics.reactionTimeState.escalationRows.count
            minutes = statistics.volume.minutes.count
            volumeCounts = statistics.volume.counts
            hashtagTimes = statistics.hashtagState.times.map(\.count)
            conversation = ConversationProjection.SnapshotBaseline(statistics.conversationState, seq: statistics.lastSeq)
        }
    }

    /// The changes since `baseline` in snapshot form (the `target` is a reporting choice, not
    /// state: not written). Posts and escalations an event changed since are written again
    /// (each keeps the seq of its last change); the small parts are written whole.
    func writeSnapshotDelta(since baseline: SnapshotBaseline, into writer: inout SnapshotWriter) {
        // The conversation's section goes last, its length in the header: a loader can apply it
        // on another core while this one applies the rest (``ProjectionSnapshots/statistics``).
        var conversation = SnapshotWriter(capacity: 1 << 14)
        conversationState.writeSnapshotDelta(since: baseline.conversation, symbols: symbols, into: &conversation)
        writer.varint(baseline.seq)
        writer.varint(lastSeq)
        writer.int(symbols.postCount)
        writer.count(conversation.bytes.count)
        writer.int(events)
        writer.optionalDelta(firstAt?.milliseconds, from: 0)
        writer.optionalDelta(lastAt?.milliseconds, from: 0)
        symbols.writeSnapshotDelta(since: baseline.symbols, into: &writer)
        rosterState.writeSnapshot(into: &writer)
        reactionTimeState.writeSnapshotDelta(since: baseline, into: &writer)
        writer.count(channelShare.counts.count)
        for count in channelShare.counts { writer.int(count) }
        volume.writeSnapshotDelta(since: baseline, into: &writer)
        workloadState.writeSnapshot(into: &writer)
        hashtagState.writeSnapshotDelta(since: baseline, into: &writer)
        writer.raw(conversation.bytes)
    }

    /// Reserves room for `posts` posts, so that loading a chain of deltas grows the tables once.
    mutating func reserveSnapshotCapacity(_ posts: Int) {
        // A header is checksummed, but a count from a file never sizes an allocation unbounded.
        // The headroom is for the posts the replay after the snapshot appends: without it the
        // first of them copies the whole table.
        let posts = min(posts, 1 << 27) + 16_384
        symbols.reserveLoadedPosts(posts)
        reactionTimeState.columns.reserveCapacity(posts)
        reactionTimeState.rowOfPost.reserveCapacity(posts)
    }

    /// Applies one delta written by ``writeSnapshotDelta(since:into:)`` against this state.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Bool {
        try applySnapshotDelta(&reader, withConversation: true)
    }

    /// Applies one delta, or all of it but the conversation's section (which
    /// ``ConversationProjection/applySnapshotDelta(_:)`` then applies to a conversation loaded
    /// apart), leaving `reader` at its end either way.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader, withConversation: Bool) throws(SnapshotReader.Damaged) -> Bool {
        guard try reader.varint() == lastSeq else { return false }
        lastSeq = try reader.varint()
        _ = try reader.int()  // the post count after this delta: see `ProjectionSnapshots.postCount(after:)`
        let conversationStart = reader.end - (try reader.count())
        events = try reader.int()
        firstAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        lastAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        try symbols.applySnapshotDelta(&reader)
        rosterState = try Roster(snapshot: &reader, names: symbols.names.count)
        try reactionTimeState.applySnapshotDelta(&reader, symbols: symbols)
        guard try reader.count() == channelShare.counts.count else { throw SnapshotReader.Damaged(offset: -1) }
        for i in channelShare.counts.indices { channelShare.counts[i] = try reader.int() }
        try volume.applySnapshotDelta(&reader)
        workloadState = try WorkloadProjection(snapshot: &reader, names: symbols.names.count)
        try hashtagState.applySnapshotDelta(&reader, hashtags: symbols.hashtags.count)
        guard reader.offset == conversationStart else { throw SnapshotReader.Damaged(offset: reader.offset) }
        if withConversation {
            try conversationState.applySnapshotDelta(&reader)
        } else {
            try reader.skip(to: reader.end)
        }
        return true
    }

    static func symbolsStart(_ delta: [UInt8]) -> Int? {
        var reader = SnapshotReader(delta)
        return try? { () throws(SnapshotReader.Damaged) -> Int in
            _ = try reader.varint()  // the seq it was written against
            _ = try reader.varint()  // its own seq
            _ = try reader.int()  // the post count after it
            _ = try reader.count()  // the conversation section's length
            _ = try reader.int()  // the event count
            _ = try reader.optionalDelta(from: 0)  // the first event's time
            _ = try reader.optionalDelta(from: 0)  // the last event's time
            return reader.offset
        }()
    }

    /// Where the conversation's section of a delta starts, read from its header; `nil` if damaged.
    static func conversationStart(_ delta: [UInt8]) -> Int? {
        var reader = SnapshotReader(delta)
        return try? { () throws(SnapshotReader.Damaged) -> Int in
            for _ in 0..<3 { _ = try reader.varint() }
            return reader.end - (try reader.count())
        }()
    }

    /// Indexes the posts loaded; the links between posts and escalations must point inside the
    /// tables, and the conversation's ids inside the symbols.
    mutating func finishSnapshotLoad(postTable: PostTable?) -> Bool {
        symbols.indexLoadedPosts(postTable) && reactionTimeState.linksAreValid() && conversationState.fits(symbols)
    }
}

extension Stamp {
    /// The stamps a delta names, each written once (``write(into:)``): rows then name a stamp by
    /// its position, one byte for the few hundred people and roles of an event.
    struct Table {
        private(set) var stamps: [Stamp] = []
        private var index: [Stamp: Int] = [:]

        init() {}

        /// The stamps of `rows` of `columns` and of `escalations`.
        init<Rows: Sequence>(_ columns: ReactionTimeProjection.Columns, rows: Rows, escalations: [ReactionTimeProjection.EscalationRow]) where Rows.Element == Int {
            for i in rows {
                for stamp in [columns.responder[i], columns.assignee[i], columns.assigner[i], columns.resolver[i]] { add(stamp) }
            }
            for e in escalations {
                add(e.escalator)
                add(e.resolver)
            }
        }

        private mutating func add(_ stamp: Stamp) {
            guard !stamp.isNobody, index[stamp] == nil else { return }
            index[stamp] = stamps.count
            stamps.append(stamp)
        }

        /// 0 for nobody, else the position plus one.
        func code(_ stamp: Stamp) -> UInt64 { stamp.isNobody ? 0 : UInt64(index[stamp]! + 1) }

        func write(into writer: inout SnapshotWriter) {
            writer.count(stamps.count)
            for stamp in stamps {
                writer.varint(UInt64(stamp.person))
                writer.byte(stamp.role)
                writer.varint(stamp.team == EventIDs.none ? 0 : UInt64(stamp.team) + 1)
            }
        }

        /// Reads a table whose ids must be below `names`.
        init(snapshot reader: inout SnapshotReader, names: Int) throws(SnapshotReader.Damaged) {
            for _ in 0..<(try reader.count()) {
                let person = try reader.varint()
                let role = try reader.byte()
                let team = try reader.varint()
                guard person < UInt64(names), team <= UInt64(names), role == Roster.noRole || Role(code: role) != nil else {
                    throw SnapshotReader.Damaged(offset: -1)
                }
                stamps.append(Stamp(person: UInt32(person), team: team == 0 ? EventIDs.none : UInt32(team - 1), role: role))
            }
        }

        /// The stamp a code names.
        @inline(__always)
        func stamp(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Stamp {
            let code = try reader.varint()
            guard code > 0 else { return .nobody }
            guard code <= UInt64(stamps.count) else { throw SnapshotReader.Damaged(offset: -1) }
            return stamps[Int(code - 1)]
        }
    }
}

extension ReactionTimeProjection {
    /// Appended posts as columns, then the changed posts' changing fields as columns, then the
    /// escalations; people through a table of the delta's stamps.
    func writeSnapshotDelta(since baseline: Statistics.SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.int(repostsExcluded)
        writer.varint(currentSeq)
        let c = columns
        let added = baseline.posts..<c.count
        let changed = (0..<baseline.posts).filter { c.changedAt[$0] > baseline.seq }
        let changedEscalations = (0..<baseline.escalations).filter { escalationRows[$0].changedAt > baseline.seq }
        let stamps = Stamp.Table(
            c, rows: Array(added) + changed,
            escalations: Array(escalationRows[baseline.escalations...]) + changedEscalations.map { escalationRows[$0] }
        )
        stamps.write(into: &writer)
        writer.count(added.count)
        var previousPost: Int32 = baseline.posts > 0 ? c.post[baseline.posts - 1] : -1
        for i in added {
            writer.varint(UInt64(c.post[i] - previousPost))
            previousPost = c.post[i]
        }
        for i in added { writer.byte(c.channel[i]) }
        for i in added { writer.varint(UInt64(c.hashtagCount[i])) }
        for i in added { for tag in c.hashtags(i) { writer.varint(UInt64(tag)) } }
        var previousAt: Int64 = baseline.posts > 0 ? c.receivedAt[baseline.posts - 1] : 0
        for i in added {
            writer.delta(c.receivedAt[i], from: previousAt)
            previousAt = c.receivedAt[i]
        }
        for i in added { writer.delta(c.postedAt[i], from: c.receivedAt[i]) }
        writeMutable(added, stamps: stamps, into: &writer)
        writer.count(changed.count)
        var last = 0
        for i in changed {
            writer.int(i - last)
            last = i
        }
        writeMutable(changed, stamps: stamps, into: &writer)
        writer.count(escalationRows.count - baseline.escalations)
        for escalation in escalationRows[baseline.escalations...] { write(escalation, stamps: stamps, into: &writer) }
        writer.count(changedEscalations.count)
        for i in changedEscalations {
            writer.varint(UInt64(i))
            write(escalationRows[i], stamps: stamps, into: &writer)
        }
    }

    /// The fields of `rows` that events after a `postReceived` change, column by column.
    private func writeMutable<Rows: Collection>(_ rows: Rows, stamps: Stamp.Table, into writer: inout SnapshotWriter) where Rows.Element == Int {
        let c = columns
        func times(_ column: [Int64]) {
            for i in rows { writer.optionalDelta(column[i] == .min ? nil : column[i], from: c.receivedAt[i]) }
        }
        func people(_ column: [Stamp]) {
            for i in rows { writer.varint(stamps.code(column[i])) }
        }
        times(c.firstReplyAt)
        people(c.responder)
        times(c.firstAssignedAt)
        people(c.assignee)
        people(c.assigner)
        times(c.resolvedAt)
        people(c.resolver)
        for i in rows { writer.byte(c.outcome[i]) }
        for i in rows { writer.signed(Int64(c.openEscalation[i])) }
        // How long before the delta's seq the post last changed: a few bytes at most.
        for i in rows { writer.varint(currentSeq &- c.changedAt[i]) }
    }

    private mutating func readMutable<Rows: Collection>(_ rows: Rows, stamps: Stamp.Table, _ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) where Rows.Element == Int {
        for i in rows { columns.firstReplyAt[i] = try reader.optionalDelta(from: columns.receivedAt[i]) ?? .min }
        for i in rows { columns.responder[i] = try stamps.stamp(&reader) }
        for i in rows { columns.firstAssignedAt[i] = try reader.optionalDelta(from: columns.receivedAt[i]) ?? .min }
        for i in rows { columns.assignee[i] = try stamps.stamp(&reader) }
        for i in rows { columns.assigner[i] = try stamps.stamp(&reader) }
        for i in rows { columns.resolvedAt[i] = try reader.optionalDelta(from: columns.receivedAt[i]) ?? .min }
        for i in rows { columns.resolver[i] = try stamps.stamp(&reader) }
        for i in rows {
            let outcome = try reader.byte()
            guard outcome == 0xFF || Outcome(code: outcome) != nil else { throw SnapshotReader.Damaged(offset: -1) }
            columns.outcome[i] = outcome
        }
        for i in rows { columns.openEscalation[i] = Int32(truncatingIfNeeded: try reader.signed()) }
        for i in rows { columns.changedAt[i] = currentSeq &- (try reader.varint()) }
    }

    mutating func applySnapshotDelta(_ reader: inout SnapshotReader, symbols: Symbols) throws(SnapshotReader.Damaged) {
        let names = symbols.names.count
        repostsExcluded = try reader.int()
        currentSeq = try reader.varint()
        let stamps = try Stamp.Table(snapshot: &reader, names: names)
        let first = columns.count
        let added = try reader.count()
        var post: Int32 = first > 0 ? columns.post[first - 1] : -1
        for _ in 0..<added {
            let step = try reader.varint()
            guard step > 0, step <= UInt64(symbols.postCount) else { throw SnapshotReader.Damaged(offset: -1) }
            post = post &+ Int32(truncatingIfNeeded: step)
            guard post >= 0, Int(post) < symbols.postCount else { throw SnapshotReader.Damaged(offset: -1) }
            columns.post.append(post)
        }
        for _ in 0..<added {
            let code = try reader.byte()
            guard Channel(code: code) != nil else { throw SnapshotReader.Damaged(offset: -1) }
            columns.channel.append(code)
        }
        var tags = 0
        for _ in 0..<added {
            let count = try reader.varint()
            guard count <= UInt64(UInt16.max) else { throw SnapshotReader.Damaged(offset: -1) }
            columns.hashtagStart.append(UInt32(truncatingIfNeeded: columns.hashtagPool.count + tags))
            columns.hashtagCount.append(UInt16(count))
            tags += Int(count)
        }
        for _ in 0..<tags {
            let tag = try reader.varint()
            guard tag < UInt64(symbols.hashtags.count) else { throw SnapshotReader.Damaged(offset: -1) }
            columns.hashtagPool.append(UInt32(tag))
        }
        var receivedAt: Int64 = first > 0 ? columns.receivedAt[first - 1] : 0
        for _ in 0..<added {
            receivedAt = try reader.delta(from: receivedAt)
            columns.receivedAt.append(receivedAt)
        }
        for i in first..<(first + added) { columns.postedAt.append(try reader.delta(from: columns.receivedAt[i])) }
        // The changing fields: placeholders, then the values read over them.
        for column in [\Columns.firstReplyAt, \Columns.firstAssignedAt, \Columns.resolvedAt] as [WritableKeyPath<Columns, [Int64]>] {
            columns[keyPath: column].append(contentsOf: repeatElement(.min, count: added))
        }
        for column in [\Columns.responder, \Columns.assignee, \Columns.assigner, \Columns.resolver] as [WritableKeyPath<Columns, [Stamp]>] {
            columns[keyPath: column].append(contentsOf: repeatElement(.nobody, count: added))
        }
        columns.outcome.append(contentsOf: repeatElement(0xFF, count: added))
        columns.openEscalation.append(contentsOf: repeatElement(-1, count: added))
        columns.changedAt.append(contentsOf: repeatElement(0, count: added))
        try readMutable(first..<(first + added), stamps: stamps, &reader)
        var changed: [Int] = []
        changed.reserveCapacity(min(first, 1 << 20))
        var i = 0
        for _ in 0..<(try reader.count()) {
            i += try reader.int()
            guard i < first else { throw SnapshotReader.Damaged(offset: -1) }
            changed.append(i)
        }
        try readMutable(changed, stamps: stamps, &reader)
        if let last = columns.post.last, first < columns.count {
            rowOfPost.append(contentsOf: repeatElement(-1, count: Int(last) + 1 - rowOfPost.count))
            for row in first..<columns.count { rowOfPost[Int(columns.post[row])] = Int32(row) }
        }
        for _ in 0..<(try reader.count()) { escalationRows.append(try readEscalation(&reader, stamps: stamps, names: names)) }
        for _ in 0..<(try reader.count()) {
            let i = try reader.varint()
            guard i < UInt64(escalationRows.count) else { throw SnapshotReader.Damaged(offset: -1) }
            escalationRows[Int(i)] = try readEscalation(&reader, stamps: stamps, names: names)
        }
    }

    /// Whether every link between posts and escalations points inside the tables: checked once
    /// after a chain of deltas, so that damaged bytes can never make a later read trap.
    func linksAreValid() -> Bool {
        !columns.openEscalation.contains { $0 >= escalationRows.count }
            && !escalationRows.contains { $0.nextOpen >= escalationRows.count || $0.post < 0 || Int($0.post) >= columns.count }
    }

    private func write(_ escalation: EscalationRow, stamps: Stamp.Table, into writer: inout SnapshotWriter) {
        writer.varint(UInt64(escalation.post))
        writer.signed(escalation.escalatedAt)
        writer.varint(stamps.code(escalation.escalator))
        writer.varint(UInt64(escalation.to))
        writer.optionalDelta(escalation.resolvedAt == .min ? nil : escalation.resolvedAt, from: escalation.escalatedAt)
        writer.varint(stamps.code(escalation.resolver))
        writer.signed(Int64(escalation.nextOpen))
        writer.varint(escalation.changedAt)
    }

    private func readEscalation(_ reader: inout SnapshotReader, stamps: Stamp.Table, names: Int) throws(SnapshotReader.Damaged) -> EscalationRow {
        let post = Int32(truncatingIfNeeded: try reader.varint())
        let escalatedAt = try reader.signed()
        let escalator = try stamps.stamp(&reader)
        let to = try reader.varint()
        guard to < UInt64(names) else { throw SnapshotReader.Damaged(offset: -1) }
        return EscalationRow(
            post: post, escalatedAt: escalatedAt, escalator: escalator, to: UInt32(to),
            resolvedAt: try reader.optionalDelta(from: escalatedAt) ?? .min, resolver: try stamps.stamp(&reader),
            nextOpen: Int32(truncatingIfNeeded: try reader.signed()), changedAt: try reader.varint()
        )
    }
}

extension Roster {
    func writeSnapshot(into writer: inout SnapshotWriter) {
        writer.optionalDelta(lastAt?.milliseconds, from: 0)
        writer.count(rows.count)
        for row in rows {
            writer.varint(UInt64(row.person))
            writer.bool(row.name != nil)
            if let name = row.name { writer.string(name) }
            writer.byte(row.role)
            writer.varint(row.team == EventIDs.none ? 0 : UInt64(row.team) + 1)
            writer.signed(row.joinedAt)
            writer.optionalDelta(row.leftAt == .min ? nil : row.leftAt, from: 0)
            writer.optionalDelta(row.segmentStart == .min ? nil : row.segmentStart, from: 0)
            for ms in row.closedMsByRole { writer.signed(ms) }
        }
    }

    /// Reads a roster whose ids must be below `names`.
    init(snapshot reader: inout SnapshotReader, names: Int) throws(SnapshotReader.Damaged) {
        self.init()
        lastAt = try reader.optionalDelta(from: 0).map(Timestamp.init(milliseconds:))
        for i in 0..<(try reader.count()) {
            let person = try reader.varint()
            guard person < UInt64(names) else { throw SnapshotReader.Damaged(offset: -1) }
            let name = try reader.bool() ? try reader.string() : nil
            let role = try reader.byte()
            let team = try reader.varint()
            guard role == Roster.noRole || Role(code: role) != nil, team <= UInt64(names) else { throw SnapshotReader.Damaged(offset: -1) }
            var row = Row(person: UInt32(person), name: name, role: role, team: team == 0 ? EventIDs.none : UInt32(team - 1),
                          joinedAt: try reader.signed())
            row.leftAt = try reader.optionalDelta(from: 0) ?? .min
            row.segmentStart = try reader.optionalDelta(from: 0) ?? .min
            for slot in 0..<Roster.slotCount { row.closedMsByRole[slot] = try reader.signed() }
            if rowOfPerson.count <= Int(person) {
                rowOfPerson.append(contentsOf: repeatElement(-1, count: Int(person) + 1 - rowOfPerson.count))
            }
            guard rowOfPerson[Int(person)] < 0 else { throw SnapshotReader.Damaged(offset: -1) }
            rowOfPerson[Int(person)] = Int32(i)
            rows.append(row)
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
    /// The counts per actor and per role (the roster is the statistics', written once by them).
    func writeSnapshot(into writer: inout SnapshotWriter) {
        writer.count(actors.count)
        for (actor, counts) in zip(actors, counts) {
            writer.varint(UInt64(actor))
            counts.writeSnapshot(into: &writer)
        }
        writer.count(roleCounts.count)
        for counts in roleCounts { counts.writeSnapshot(into: &writer) }
    }

    /// Reads counts whose actor ids must be below `names`.
    init(snapshot reader: inout SnapshotReader, names: Int) throws(SnapshotReader.Damaged) {
        self.init()
        for i in 0..<(try reader.count()) {
            let actor = try reader.varint()
            guard actor < UInt64(names) else { throw SnapshotReader.Damaged(offset: -1) }
            if rowOfActor.count <= Int(actor) {
                rowOfActor.append(contentsOf: repeatElement(-1, count: Int(actor) + 1 - rowOfActor.count))
            }
            guard rowOfActor[Int(actor)] < 0 else { throw SnapshotReader.Damaged(offset: -1) }
            rowOfActor[Int(actor)] = Int32(i)
            actors.append(UInt32(actor))
            counts.append(try Counts(snapshot: &reader))
        }
        guard try reader.count() == roleCounts.count else { throw SnapshotReader.Damaged(offset: -1) }
        for slot in roleCounts.indices { roleCounts[slot] = try Counts(snapshot: &reader) }
    }
}

extension HashtagProjection {
    /// New hashtags, the times appended to each since the baseline, and the rule changes whole.
    func writeSnapshotDelta(since baseline: Statistics.SnapshotBaseline, into writer: inout SnapshotWriter) {
        writer.count(tags.count - baseline.hashtagTimes.count)
        for tag in tags[baseline.hashtagTimes.count...] { writer.varint(UInt64(tag)) }
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

    /// Applies a delta whose hashtag ids must be below `hashtags`.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader, hashtags: Int) throws(SnapshotReader.Damaged) {
        for _ in 0..<(try reader.count()) {
            let tag = try reader.varint()
            guard tag < UInt64(hashtags) else { throw SnapshotReader.Damaged(offset: -1) }
            if rowOfTag.count <= Int(tag) {
                rowOfTag.append(contentsOf: repeatElement(-1, count: Int(tag) + 1 - rowOfTag.count))
            }
            guard rowOfTag[Int(tag)] < 0 else { throw SnapshotReader.Damaged(offset: -1) }
            rowOfTag[Int(tag)] = Int32(tags.count)
            tags.append(UInt32(tag))
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
