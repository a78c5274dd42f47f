public import EventLog

/// The consistency rules for recorded history — events that already happened elsewhere and are
/// imported (DESIGN.md, "Live commands and recorded history"). They are not the live desk's rules
/// (who may reply, who is on shift): an archive keeps its real actors. They are what any log must
/// hold: times never go backwards, a reply or assignment names a post the log knows, and every
/// event fits in a record.
///
/// Feed it every event of an import, in order, before appending any: an import that breaks a rule
/// is refused whole.
public struct RecordedHistoryCheck {
    /// Why an event breaks a rule, and which field.
    public struct Problem: Error, Sendable {
        public var field: String?
        public var message: String
    }

    private let store: EventStore
    private let now: Timestamp
    private var lastTime: Timestamp?
    /// Post ids as bytes: `String` equality is canonical equivalence (`é` as one scalar equals `e`
    /// plus a combining accent), while the log's post index, rightly, compares bytes.
    private var postsSeen: Set<[UInt8]> = []

    /// Starts checking events that will be appended after what `store` holds now.
    public init(store: EventStore, now: Timestamp = .now) throws(LogError) {
        self.store = store
        self.now = now
        self.lastTime = try store.log.lastRecordTime().map(Timestamp.init(milliseconds:))
    }

    /// Checks the next event and remembers what it introduces.
    ///
    /// A post the log (or this import) already has is a duplicate the log will drop: its time is
    /// not checked, so an archive that overlaps what was imported before still imports.
    public mutating func check(_ event: Event) throws(Problem) {
        guard event.at.milliseconds >= 0 else {
            throw Problem(field: "at", message: "\(event.at) is before 1970-01-01, which the log cannot hold")
        }
        if let problem = event.at.tooFarAhead(of: now) { throw Problem(field: "at", message: problem) }
        if case .postReceived(let body) = event.body, let problem = body.postedAt.implausiblePostTime(receivedAt: event.at) {
            throw Problem(field: "postedAt", message: problem)
        }
        let post = event.post.map { Array($0.utf8) }
        if let post, event.kind == .postReceived || event.kind == .postPublished, try isKnown(post, event.post!) {
            return
        }
        if let lastTime, event.at < lastTime {
            throw Problem(field: "at", message: "time goes backwards: \(event.at) is before \(lastTime), the event before it")
        }
        let record = EventStore.record(for: event)
        guard record.payload.count <= 65_536 else {
            throw Problem(field: nil, message: "the event takes \(record.payload.count) bytes encoded, over the 65,536-byte limit of a record")
        }
        // The personal fields are stored apart from the payload, under the same limit. Each field
        // passes its own rule, yet together they can exceed it: the log would refuse the batch
        // only when appending, after the batches before it were appended.
        if case .bytes(let personal) = record.personal, personal.count > 65_536 {
            let fields = PersonalFields.fields(of: event.kind).map(\.name).joined(separator: ", ")
            throw Problem(field: nil, message: "the event's personal fields (\(fields)) take \(personal.count) bytes encoded, over the 65,536-byte limit of a record's personal part")
        }
        for entry in record.indexEntries + (record.uniqueIndexEntry.map { [$0] } ?? []) where entry.key.count > EventStore.maximumIdBytes {
            let field = entry.index == "volunteer" || entry.index == "role" ? (event.volunteer == nil ? "to" : "volunteer") : entry.index
            throw Problem(field: field, message: "an id of \(entry.key.count) bytes is longer than the \(EventStore.maximumIdBytes) the log indexes")
        }
        if let post {
            switch event.kind {
            case .postReceived, .postPublished:
                postsSeen.insert(post)
            default:
                guard try isKnown(post, event.post!) else {
                    throw Problem(field: "post", message: "names post '\(event.post!)', which was neither received nor published before it")
                }
            }
        }
        lastTime = event.at
    }

    private mutating func isKnown(_ post: [UInt8], _ id: String) throws(Problem) -> Bool {
        if postsSeen.contains(post) { return true }
        let known: Bool
        do { known = try store.knowsPost(id) } catch {
            throw Problem(field: "post", message: "cannot look the post up in the log: \(error)")
        }
        if known { postsSeen.insert(post) }
        return known
    }
}
