import Dispatch
import EventLog

/// Snapshots of projection state, so that a replay up to seq `s` starts from the newest snapshot
/// at or before `s` instead of from the first event: how `--at` answers fast on a large log.
///
/// A snapshot is taken every ``interval`` events, per projection (the desk and the statistics
/// separately, since `queues --at` needs only the one and `stats --at` only the other). They are a
/// cache: built by the first replay that passes a boundary without one, stored in the log's `snap`
/// database, tied to the chain checkpoint at their seq (see `EventLog+Snapshots`), and ignored when
/// they do not decode with this build (the format version is part of the name).
public struct SnapshotPolicy: Sendable {
    /// Events between two snapshots; a multiple of `EventLog.snapshotAlignment`.
    public var interval: UInt64
    /// Start from a stored snapshot when one fits.
    public var read: Bool
    /// Store the snapshots a replay passes and finds missing (only on a log opened for writing).
    public var write: Bool

    /// Reads and writes every 32,768 events: at ~0.5M events/s for one projection, a `--at` then
    /// replays ≤ 65 ms of events after loading its snapshot (figures in the README).
    public static let standard = SnapshotPolicy(interval: 32_768, read: true, write: true)
    /// Replays from the first event and stores nothing (benchmarks, and the tests that compare).
    public static let none = SnapshotPolicy(interval: 32_768, read: false, write: false)

    /// - Parameter interval: rounded up to a multiple of `EventLog.snapshotAlignment`.
    public init(interval: UInt64, read: Bool, write: Bool) {
        let alignment = EventLog.snapshotAlignment
        self.interval = max(alignment, (interval + alignment - 1) / alignment * alignment)
        self.read = read
        self.write = write
    }
}

/// A projection stored as a chain of snapshot deltas (``DeskState``, ``Statistics``).
///
/// Each snapshot is a *delta*: what changed since the previous snapshot of the same projection
/// (appended posts, the posts an event touched since, the small parts whole), so the snapshots of
/// a log take space in proportion to the log, not to the log times the number of snapshots. A
/// delta starts with the seq it was written against, its own seq and the post count after it;
/// loading applies the chain of deltas from the first and skips one that does not link to the
/// state built so far.
protocol DeltaSnapshotting {
    /// What the next delta is written against: the sizes of the append-only parts and whatever
    /// else tells a change from the previous snapshot.
    associatedtype SnapshotBaseline

    /// The name in the log's `snap` database; its suffix is the byte form's version, so a build
    /// that changes the form reads none of the old ones.
    static var snapshotName: String { get }
    /// The seq of the last event applied.
    var lastSeq: UInt64 { get }
    /// The baseline of the next delta, as of this state.
    var snapshotBaseline: SnapshotBaseline { get }

    func writeSnapshotDelta(since baseline: SnapshotBaseline, into writer: inout SnapshotWriter)
    /// Applies one delta; `false`, changing nothing, when it was not written against this state.
    mutating func applySnapshotDelta(_ reader: inout SnapshotReader) throws(SnapshotReader.Damaged) -> Bool
    /// Makes room for `posts` posts, so that loading a chain grows the tables once.
    mutating func reserveSnapshotCapacity(_ posts: Int)
    /// Where a delta's symbols section starts, read from its header; `nil` if damaged.
    static func symbolsStart(_ delta: [UInt8]) -> Int?
    /// Rebuilds what the deltas do not carry and checks what they do; `false`: unusable.
    ///
    /// - Parameter postTable: the posts' table built from the same chain on another core
    ///   (``Symbols/postTable(of:capacity:symbolsStart:)``), or `nil` to build it here.
    mutating func finishSnapshotLoad(postTable: PostTable?) -> Bool
}

extension DeltaSnapshotting {
    mutating func finishSnapshotLoad() -> Bool {
        finishSnapshotLoad(postTable: nil)
    }
}

/// Loading and writing the snapshots ``Replay`` keeps.
enum ProjectionSnapshots {
    /// `empty` advanced to the newest snapshot at or before `seq`, or `nil` when none loads.
    static func load<Projection: DeltaSnapshotting>(_ empty: Projection, from log: EventLog, through seq: UInt64) -> Projection? {
        guard let deltas = try? log.snapshots(Projection.snapshotName, through: seq), let last = deltas.last, let chain = linked(deltas) else { return nil }
        let postTable = indexPosts(of: chain, capacity: room(after: last.bytes), symbolsStart: Projection.symbolsStart)
        var projection = empty
        projection.reserveSnapshotCapacity(postCount(after: last.bytes) ?? 0)
        for delta in deltas {
            var reader = SnapshotReader(delta.bytes)
            // A damaged delta may have changed the state half-way: nothing loaded can be trusted.
            guard let applied = try? projection.applySnapshotDelta(&reader) else { return nil }
            guard !applied || (reader.isAtEnd && projection.lastSeq == delta.seq) else { return nil }
        }
        guard projection.lastSeq > 0, projection.finishSnapshotLoad(postTable: postTable()) else { return nil }
        return projection
    }

    /// The chain of `deltas`, from the headers, as `applySnapshotDelta` links it: each delta
    /// written against the state the ones before it built; one that does not link is skipped.
    /// `nil` when a header is damaged.
    private static func linked(_ deltas: [EventLog.Snapshot]) -> [EventLog.Snapshot]? {
        var chain: [EventLog.Snapshot] = []
        for delta in deltas {
            var reader = SnapshotReader(delta.bytes)
            guard let base = try? reader.varint() else { return nil }
            if base == chain.last?.seq ?? 0 { chain.append(delta) }
        }
        return chain
    }

    /// Starts building the table of the posts `chain` appends on another core; the function
    /// returned waits for it.
    private static func indexPosts(of chain: [EventLog.Snapshot], capacity: Int, symbolsStart: @escaping @Sendable ([UInt8]) -> Int?) -> () -> PostTable? {
        let table = Slot<PostTable>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            table.value = Symbols.postTable(of: chain.map(\.bytes), capacity: capacity, symbolsStart: symbolsStart)
        }
        return {
            group.wait()
            return table.value
        }
    }

    /// Room for the posts after `delta` and for those the replay after the load appends (without
    /// it the first of them would copy the whole table). A header is checksummed, but a count
    /// from a file never sizes an allocation unbounded.
    static func room(after delta: [UInt8]) -> Int {
        min(postCount(after: delta) ?? 0, 1 << 27) + 16_384
    }

    /// The desk as of the newest snapshot at or before `seq`, or `nil` when none loads.
    static func desk(_ log: EventLog, through seq: UInt64) -> DeskState? {
        load(DeskState(), from: log, through: seq)
    }

    /// The statistics as of the newest snapshot at or before `seq`, or `nil` when none loads.
    ///
    /// The conversation's sections are applied on another core while this one applies the rest:
    /// each is about half of a load (`stats` at the end of a log is mostly this load). The posts'
    /// table is built here: on a third thread, or after the conversation, it made `stats` at the
    /// end of 1M events slower on 2 cores (169 → 183 ms, medians of 30).
    static func statistics(_ log: EventLog, through seq: UInt64, target: Int) -> Statistics? {
        guard let deltas = try? log.snapshots(Statistics.snapshotName, through: seq), let last = deltas.last, let chain = linked(deltas) else { return nil }
        let posts = room(after: last.bytes)
        let conversation = Slot<ConversationProjection>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { [chain] in
            var loading = ConversationProjection()
            loading.reservePosts(posts)
            for delta in chain {
                guard let start = Statistics.conversationStart(delta.bytes) else { return }
                var reader = SnapshotReader(delta.bytes, from: start)
                guard (try? loading.applySnapshotDelta(&reader)) != nil, reader.isAtEnd else { return }
            }
            conversation.value = loading
        }
        var statistics = Statistics(target: target)
        statistics.reserveSnapshotCapacity(posts)
        var loaded = true
        for delta in chain where loaded {
            var reader = SnapshotReader(delta.bytes)
            let applied = try? statistics.applySnapshotDelta(&reader, withConversation: false)
            loaded = applied == true && reader.isAtEnd && statistics.lastSeq == delta.seq
        }
        group.wait()
        guard loaded, let loadedConversation = conversation.value else { return nil }
        statistics.conversationState = loadedConversation
        guard statistics.lastSeq > 0, statistics.finishSnapshotLoad(postTable: nil) else { return nil }
        return statistics
    }

    /// The changes of `projection` since `baseline`, to store at its `lastSeq`.
    static func delta<Projection: DeltaSnapshotting>(_ projection: Projection, since baseline: Projection.SnapshotBaseline) -> EventLog.Snapshot {
        var writer = SnapshotWriter(capacity: 1 << 16)
        projection.writeSnapshotDelta(since: baseline, into: &writer)
        return EventLog.Snapshot(seq: projection.lastSeq, bytes: writer.bytes)
    }

    /// The names in `names` of `name`'s projection in another version: `desk.3` for `desk.5`.
    static func otherVersions(of name: String, among names: [String]) -> [String] {
        guard let dot = name.lastIndex(of: ".") else { return [] }
        let projection = name[...dot]
        return names.filter { other in
            let version = other.dropFirst(projection.count)
            return other != name && other.hasPrefix(projection) && !version.isEmpty && version.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    /// How many posts the state holds after `delta`, read from its header; `nil` if damaged.
    static func postCount(after delta: [UInt8]) -> Int? {
        var reader = SnapshotReader(delta)
        return try? { () throws(SnapshotReader.Damaged) -> Int in
            _ = try reader.varint()
            _ = try reader.varint()
            return try reader.int()
        }()
    }
}

/// The deltas a replay takes of one projection at each boundary it passes, stored together at
/// the end (one transaction, one sync).
struct PendingSnapshots<Projection: DeltaSnapshotting> {
    /// `nil` when not recording.
    private var baseline: Projection.SnapshotBaseline?
    private var deltas: [EventLog.Snapshot] = []

    /// Records deltas of a projection whose current state is `projection`, if `enabled`.
    init(_ projection: Projection, enabled: Bool) {
        baseline = enabled ? projection.snapshotBaseline : nil
    }

    /// Takes the delta of `projection` since the last one taken (or since the start).
    mutating func take(_ projection: Projection) {
        guard let baseline else { return }
        deltas.append(ProjectionSnapshots.delta(projection, since: baseline))
        self.baseline = projection.snapshotBaseline
    }

    /// Stores what was taken, and deletes the snapshots of the same projection in a byte form
    /// of another version (written by an earlier build, and never read again by this one: they
    /// would only take space). A log that refuses the write (read-only files, a full disk)
    /// still answered the question: the error is dropped, and the next replay tries again.
    func save(in log: EventLog) {
        guard !deltas.isEmpty else { return }
        try? log.saveSnapshots(deltas, name: Projection.snapshotName)
        try? log.dropSnapshots(named: ProjectionSnapshots.otherVersions(of: Projection.snapshotName, among: (try? log.snapshotNames()) ?? []))
    }
}

/// A value one task sets and another reads after waiting for it (a `DispatchGroup`'s wait orders
/// the write before the read).
private final class Slot<Value>: @unchecked Sendable {
    var value: Value?
}
