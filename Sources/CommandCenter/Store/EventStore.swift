public import EventLog

/// The domain's door to the log: every event appended or read by `smcc` goes through here, never
/// straight into `EventLog`. It turns events into records (payload, idempotency key, index
/// entries) and records back into events, and checks that a log holds events of this format.
///
/// Which records carry index entries is decided here, once:
/// - every event of a post kind is indexed under its post id (index `post`), every event under its
///   actor (index `actor`), every event about a volunteer who is not its actor (joined, left, role,
///   shifts, assigned to them, escalated to them) under that volunteer (index `volunteer`), and the
///   events that set a volunteer's role (`volunteerJoined`, `roleChanged`) under index `role`: the
///   audit trail reads those instead of scanning the log;
/// - for `postReceived` and `postPublished` the post entry is *unique*: a post already in the log
///   (any event of it implies it was received or published first) is not appended again, however
///   often it is imported or pushed.
public final class EventStore: Sendable {
    /// The log underneath.
    public let log: EventLog

    /// The secondary indexes the domain fills.
    public static let indexNames = ["post", "actor", "volunteer", "role"]

    /// The longest id (actor, volunteer, post key) the indexes take, in UTF-8 bytes.
    public static let maximumIdBytes = 240

    private init(log: EventLog) { self.log = log }

    /// Creates an empty log of this event format in `path`.
    public static func create(at path: String) throws(LogError) -> EventStore {
        let metadataKey = String(EventFormat.metaKey.dropFirst("app:".count))
        let log = try EventLog.create(at: path, metadata: [metadataKey: Array(EventFormat.identifier.utf8)], indexes: indexNames)
        return EventStore(log: log)
    }

    /// Opens the log in `path`, refusing a log of another event format.
    public static func open(at path: String, readOnly: Bool = false) throws(LogError) -> EventStore {
        let log = try EventLog.open(at: path, readOnly: readOnly, indexes: indexNames)
        let format = try log.metadata(String(EventFormat.metaKey.dropFirst("app:".count)))
        guard let format, String(decoding: format, as: UTF8.self) == EventFormat.identifier else {
            let found = format.map { "'\(String(decoding: $0, as: UTF8.self))'" } ?? "none"
            throw LogError(.notALog, "\(path) holds events of format \(found), not '\(EventFormat.identifier)'")
        }
        return EventStore(log: log)
    }

    /// Opens the log in `path` for a query that replays: writable when the files allow it, so
    /// that the replay can store the projection snapshots it builds (``SnapshotPolicy``), else
    /// read-only. The events are never written either way.
    public static func openForReplay(at path: String) throws(LogError) -> EventStore {
        do {
            return try open(at: path, readOnly: false)
        } catch {
            guard error.code == .permissionDenied || error.code == .readOnly else { throw error }
            return try open(at: path, readOnly: true)
        }
    }

    /// The key of a post in the `post` index: `<channel>:<digits>` (every platform id we import) as
    /// `0x80|channel code` then the number as 8 big-endian bytes, anything else as `channel code`
    /// then the id's UTF-8, or `0xFF` then the whole id when the channel is unknown. One-to-one,
    /// and 9 bytes instead of ~27 for a tweet id: measured with `smcc bench`, the post index
    /// shrank by about a third.
    public static func postIndexKey(_ post: String) -> [UInt8] {
        if case .numbered(let channel, let number) = PostKey(post) {
            return [0x80 | channel] + (0..<8).map { UInt8(truncatingIfNeeded: number >> (56 - 8 * UInt64($0))) }
        }
        let utf8 = post.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
              let channel = Channel(rawValue: String(post[..<colon])) else {
            return [0xFF] + Array(utf8)
        }
        return [channel.code] + Array(utf8[utf8.index(after: colon)...])
    }

    /// The record that stores `event`.
    public static func record(for event: Event) -> LogRecord {
        let (entries, unique) = indexEntries(for: event)
        let (payload, personal) = EventCodec.split(event)
        let part: PersonalPart? = event.isErased ? (PersonalFields.fields(of: event.kind).isEmpty ? nil : .erased) : personal.map(PersonalPart.bytes)
        return LogRecord(time: event.at.milliseconds, payload: payload, personal: part, indexEntries: entries, uniqueIndexEntry: unique)
    }

    /// The index entries of `event` (specified in `Schemas/log-format.md` §1, so that an
    /// independent reader rebuilds them): its actor; its post, unique for the kinds that
    /// introduce one; the volunteer it concerns; and, for the events that set a role, `role`.
    static func indexEntries(for event: Event) -> (entries: [IndexEntry], unique: IndexEntry?) {
        var entries = [IndexEntry(index: "actor", key: Array(event.actor.utf8))]
        var unique: IndexEntry?
        var concerned: String?
        switch event.body {
        case .postAssigned(let body): concerned = body.to
        case .escalated(let body): concerned = body.to
        case .volunteerJoined(let body):
            concerned = body.volunteer
            entries.append(IndexEntry(index: "role", key: Array(body.volunteer.utf8)))
        case .roleChanged(let body):
            concerned = body.volunteer
            entries.append(IndexEntry(index: "role", key: Array(body.volunteer.utf8)))
        default: concerned = event.volunteer
        }
        if let concerned, !concerned.isEmpty {
            entries.append(IndexEntry(index: "volunteer", key: Array(concerned.utf8)))
        }
        if let post = event.post {
            let entry = IndexEntry(index: "post", key: postIndexKey(post))
            if event.kind == .postReceived || event.kind == .postPublished {
                unique = entry
            } else {
                entries.append(entry)
            }
        }
        return (entries, unique)
    }

    /// Appends `events` in one durable transaction, all or none. A post already in the log is not
    /// appended again; its existing sequence number is returned.
    ///
    /// - Parameter expectedHead: the head the caller decided against; when the log's head is
    ///   another (a second writer appended meanwhile), nothing is appended and `.headMoved` thrown.
    @discardableResult
    public func append(_ events: [Event], expectedHead: UInt64? = nil) throws(LogError) -> AppendOutcome {
        try log.append(events.map(Self.record(for:)), metadata: [:], expectedHead: expectedHead)
    }

    /// Appends `events` and stores `metadata` (`app:` keys) in the same durable transaction.
    @discardableResult
    public func append(_ events: [Event], metadata: [String: [UInt8]], expectedHead: UInt64? = nil) throws(LogError) -> AppendOutcome {
        try log.append(events.map(Self.record(for:)), metadata: metadata, expectedHead: expectedHead)
    }

    /// Appends `events` and stores the metadata `metadataAtHead` gives for the head they leave, in
    /// the same durable transaction (a progress mark naming the head it was written at).
    @discardableResult
    public func append(_ events: [Event], metadataAtHead: (UInt64) -> [String: [UInt8]], expectedHead: UInt64? = nil) throws(LogError) -> AppendOutcome {
        try log.append(events.map(Self.record(for:)), metadataAtHead: metadataAtHead, expectedHead: expectedHead)
    }

    /// The sequence number of the last event (0 for an empty log).
    public func headSeq() throws(LogError) -> UInt64 {
        try log.head()?.seq ?? 0
    }

    /// `at` of the last event, or `nil` for an empty log.
    public func lastEventTime() throws(LogError) -> Timestamp? {
        try log.lastRecordTime().map(Timestamp.init(milliseconds:))
    }

    /// The sequence number of the event appended with the idempotency key `key` and the note
    /// kept with it (`LogRecord.idempotencyNote`), or `nil` when no event has the key.
    public func idempotencyEntry(_ key: [UInt8]) throws(LogError) -> (seq: UInt64, note: [UInt8])? {
        try log.idempotencyEntry(key)
    }

    /// The log's head: its last sequence number and chain hash; `nil` for an empty log.
    public func head() throws(LogError) -> LogHead? {
        try log.head()
    }

    /// The event that introduced the post `post` (its `postReceived` or `postPublished`), read
    /// through the post index; `nil` when the log has no such post.
    public func introduction(ofPost post: String) throws(LogError) -> Event? {
        guard let seq = try log.firstSequenceNumber(index: "post", key: Self.postIndexKey(post)),
              let record = try log.record(seq) else { return nil }
        return try Self.event(record)
    }

    /// Runs `body` as the log's only writer across several transactions (an import, a command
    /// that reads the log before it appends): another process that tries gets `.busy`.
    ///
    /// Implementation details: an `flock` on the log's directory, or a session advisory lock in PostgreSQL.
    public func exclusively<T>(_ body: () throws -> T) throws -> T {
        let lock = try log.takeWriterLock()
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }

    /// Copies the whole log, as it is now, into a new log at `destination` (a directory or a
    /// `postgresql://` URL), keeping its sequence numbers, head hash, id and snapshots.
    public func copy(to destination: String, progress: (Int) -> Void = { _ in }) throws(LogError) -> EventLog.CopyOutcome {
        try log.copy(to: destination, progress: progress)
    }

    /// Whether a post with this id was received or published in the log.
    public func knowsPost(_ post: String) throws(LogError) -> Bool {
        try log.firstSequenceNumber(index: "post", key: Self.postIndexKey(post)) != nil
    }

    /// The event stored as `payload` at `time`, or `.corrupt` naming `seq`: every read of the log
    /// decodes through here, so a damaged record is reported the same way whoever finds it.
    public static func event(_ payload: ArraySlice<UInt8>, personal: ArraySlice<UInt8>? = nil, erased: Bool = false, time: Int64, seq: UInt64) throws(LogError) -> Event {
        do {
            return try EventCodec.decode(payload, personal: personal, erased: erased, at: Timestamp(milliseconds: time))
        } catch {
            throw LogError(.corrupt, "the event does not decode: \(error)", seq: seq)
        }
    }

    /// The event a scan lent.
    public static func event(_ record: RecordView) throws(LogError) -> Event {
        try event(record.payload, personal: record.personal, erased: record.isErased, time: record.time, seq: record.seq)
    }

    /// The event of a record read out of the log.
    public static func event(_ record: StoredRecord) throws(LogError) -> Event {
        try event(record.payload[...], personal: record.personal?[...], erased: record.isErased, time: record.time, seq: record.seq)
    }

    /// Calls `body` with each event from `from` through `through`, fully decoded, until it returns `false`.
    ///
    /// - Throws: `LogError` (`.corrupt`, with the seq) for a record that does not decode, or what `body` throws.
    public func events(from: UInt64 = 1, through: UInt64 = .max, _ body: (UInt64, Event) throws -> Bool) throws {
        try log.scan(from: from, through: through) { record in
            try body(record.seq, Self.event(record))
        }
    }

    /// The events at the sequence numbers `seqs` (those the log holds), fully decoded, ascending:
    /// how the server reads the texts of the posts it lists.
    public func events(at seqs: [UInt64]) throws(LogError) -> [(seq: UInt64, event: Event)] {
        try log.records(Array(Set(seqs)).sorted()).map { record throws(LogError) in
            (record.seq, try Self.event(record))
        }
    }

    /// How many events of each kind the log holds (a scan that reads only each event's kind).
    public func countsByKind() throws -> [EventKind: Int] {
        var counts: [EventKind: Int] = [:]
        try log.scan { record in
            do {
                counts[try EventCodec.peek(record.payload).kind, default: 0] += 1
            } catch {
                throw LogError(.corrupt, "the event does not decode: \(error)", seq: record.seq)
            }
            return true
        }
        return counts
    }

    /// Checks the hash chain (see `EventLog.verify`), that every payload decodes to an event, and
    /// that the indexes hold exactly the entries the events make (rebuilt in memory and compared).
    public func verify(expectedHead: LogHead? = nil) throws(LogError) -> VerificationReport {
        try log.verify(expectedHead: expectedHead, checkingIndexes: true) { record in
            do throws(LogError) {
                let event = try Self.event(record)
                let (entries, unique) = Self.indexEntries(for: event)
                return EventLog.RecordExpectation(indexEntries: unique.map { entries + [$0] } ?? entries)
            } catch {
                return EventLog.RecordExpectation(problem: error.message)
            }
        }
    }
}
