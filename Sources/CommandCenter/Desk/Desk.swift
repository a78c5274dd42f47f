import EventLog
import Synchronization

/// What a command did: the sequence numbers of the events it appended and the post's new version.
public struct DeskOutcome: Hashable, Sendable {
    /// The events appended, in order (empty for a deduplicated `receivePost`).
    public var events: [Event]
    /// Their sequence numbers in the log.
    public var sequenceNumbers: [UInt64]
    /// The post the command was about, if any.
    public var post: String?
    /// That post's version after the command (its ``PostState/version``), if it is an inbound post
    /// the desk knows.
    public var postVersion: UInt64?

    /// Creates an outcome.
    public init(events: [Event], sequenceNumbers: [UInt64], post: String?, postVersion: UInt64?) {
        self.events = events
        self.sequenceNumbers = sequenceNumbers
        self.post = post
        self.postVersion = postVersion
    }
}

/// The live desk: judges commands against the current state and appends their events to the log.
///
/// It owns the log's domain state: open one `Desk` per log and send every live command through it
/// (imports of recorded history go through ``EventStore`` directly and are seen on the next open).
/// Thread-safe: a mutex serializes commands, so deciding and appending are atomic with respect to
/// each other; reads of ``state`` return a copy (copy-on-write, cheap until the next command).
public final class Desk: Sendable {
    /// The log underneath.
    public let store: EventStore
    private let current: Mutex<DeskState>

    /// Opens a desk on `store`, rebuilding its state by replaying every event of the log.
    /// - Throws: what reading the log throws (`LogError`).
    public init(store: EventStore) throws {
        self.store = store
        self.current = Mutex(try Self.replay(store))
    }

    /// The state as of the last command (a copy).
    public var state: DeskState { current.withLock { $0 } }

    /// The state of the log in `store`: its newest desk snapshot, if any, and the events after it
    /// (``Replay``; the desk stores no snapshot itself).
    public static func replay(_ store: EventStore) throws -> DeskState {
        let policy = SnapshotPolicy(interval: SnapshotPolicy.standard.interval, read: true, write: false)
        return try Replay.run(store, projections: .desk, snapshots: policy).desk
    }

    /// Judges `command` and, if the rules allow it, appends its events in one durable transaction.
    ///
    /// - Returns: the sequence numbers appended and the post's new version.
    /// - Throws: ``CommandRejection`` when the rules refuse it (nothing appended), `LogError` when
    ///   the log fails (nothing appended).
    @discardableResult
    public func execute(_ command: DeskCommand, actor: String, at: Timestamp) throws -> DeskOutcome {
        try execute(batch: [(command, actor, at)])[0]
    }

    /// Judges every command in order, each against the state the earlier ones leave, then appends
    /// all their events in one `store.append` (one durable transaction): all or nothing.
    ///
    /// This is how bulk work (the simulator) avoids one fsync per command.
    ///
    /// Implementation details: the commands are applied to the live state as they are decided, with
    /// the sequence numbers the log will give them; if one is refused or the append fails, the state
    /// is rebuilt from the log (which is unchanged). The success path thus costs no copy of the state;
    /// the failure path costs a replay, O(events in the log).
    /// - Throws: the first ``CommandRejection`` (nothing appended), or a `LogError`.
    public func execute(batch: [(command: DeskCommand, actor: String, at: Timestamp)]) throws -> [DeskOutcome] {
        try current.withLock { (state: inout DeskState) throws -> [DeskOutcome] in
            // The append checks that the log's head is still the one the commands were judged
            // against; when another writer got in between, catch up and judge them again.
            var attempts = 0
            while true {
                do {
                    return try Self.judgeAndAppend(batch, &state, store)
                } catch let error as LogError where error.code == .headMoved && attempts < 3 {
                    attempts += 1
                }
            }
        }
    }

    private static func judgeAndAppend(
        _ batch: [(command: DeskCommand, actor: String, at: Timestamp)],
        _ state: inout DeskState,
        _ store: EventStore
    ) throws -> [DeskOutcome] {
        let headBefore = state.lastSeq
        var events: [Event] = []
        var spans: [Range<Int>] = []
        var versions: [UInt64?] = []
        spans.reserveCapacity(batch.count)
        versions.reserveCapacity(batch.count)
        do {
            for item in batch {
                let decided = try state.decide(item.command, actor: item.actor, at: item.at)
                let start = events.count
                for event in decided {
                    events.append(event)
                    state.apply(event, seq: headBefore + UInt64(events.count))
                }
                spans.append(start..<events.count)
                versions.append(item.command.post.flatMap { state.version(of: $0) })
            }
            if !events.isEmpty {
                let outcome = try store.append(events, expectedHead: headBefore)
                let expected = (0..<UInt64(events.count)).map { headBefore + 1 + $0 }
                if outcome.sequenceNumbers != expected {
                    // The log deduplicated a post this state did not know: catch up from the
                    // log, which now holds the truth.
                    state = try Self.replay(store)
                    versions = batch.map { $0.command.post.flatMap { state.version(of: $0) } }
                }
                return batch.indices.map { i in
                    DeskOutcome(events: Array(events[spans[i]]), sequenceNumbers: Array(outcome.sequenceNumbers[spans[i]]),
                                post: batch[i].command.post, postVersion: versions[i])
                }
            }
            return batch.indices.map { i in
                DeskOutcome(events: [], sequenceNumbers: [], post: batch[i].command.post, postVersion: versions[i])
            }
        } catch {
            if state.lastSeq != headBefore || !events.isEmpty || (error as? LogError)?.code == .headMoved {
                state = try Self.replay(store)
            }
            throw error
        }
    }
}
