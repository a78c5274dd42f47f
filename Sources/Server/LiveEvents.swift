import CommandCenter
import Hummingbird
import Synchronization

/// The live stream's fan-out: every commit's events, each encoded as a Server-Sent Event once,
/// go to each subscriber's buffer, and a keep-alive comment every `keepAlive` goes to all of them,
/// so a stream that has nothing to say still writes, and a client that went away is noticed.
/// A subscriber that falls more than `bufferedItems` behind is cut off (its client resumes with
/// `Last-Event-ID` and catches up from the log, so a slow phone never holds the server's memory);
/// one actor holds at most `streamsPerActor` streams.
final class LiveEvents: Sendable {
    /// What a subscriber receives.
    enum Item: Sendable {
        /// Committed events, each with its SSE frame (`id:`, `event:`, `data:`).
        case events([Frame])
        /// Nothing happened for a while: a comment line keeps the connection honest.
        case keepAlive
        /// A replay went back to this seq: what clients hold is from the future; the stream ends
        /// after saying so, and clients reload.
        case reset(UInt64)
    }

    /// One event as a Server-Sent Event.
    struct Frame: Sendable {
        var seq: UInt64
        var bytes: [UInt8]
    }

    static let bufferedItems = 4096
    static let streamsPerActor = 16

    private struct Subscriber {
        var owner: String
        var continuation: AsyncStream<Item>.Continuation
    }

    private struct Subscribers {
        var all: [Int: Subscriber] = [:]
        var byOwner: [String: Int] = [:]
        var next = 0
        var closed = false
    }

    private let subscribers = Mutex(Subscribers())

    /// Starts the keep-alive ticker (it ends with ``close()``).
    init(keepAlive: Duration) {
        Task { [weak self] in
            while true {
                try? await Task.sleep(for: keepAlive)
                guard let self, self.broadcast(.keepAlive) else { return }
            }
        }
    }

    /// A stream of every item from now on and the id to unsubscribe with; `nil` when `owner`
    /// already holds ``streamsPerActor`` streams.
    func subscribe(owner: String) -> (id: Int, stream: AsyncStream<Item>)? {
        let (stream, continuation) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingOldest(Self.bufferedItems))
        let id = subscribers.withLock { subscribers -> Int? in
            if subscribers.closed {
                continuation.finish()
                return -1
            }
            guard subscribers.byOwner[owner, default: 0] < Self.streamsPerActor else { return nil }
            subscribers.next += 1
            subscribers.all[subscribers.next] = Subscriber(owner: owner, continuation: continuation)
            subscribers.byOwner[owner, default: 0] += 1
            return subscribers.next
        }
        return id.map { ($0, stream) }
    }

    func unsubscribe(_ id: Int) {
        subscribers.withLock { subscribers in Self.remove(id, from: &subscribers) }?.finish()
    }

    private static func remove(_ id: Int, from subscribers: inout Subscribers) -> AsyncStream<Item>.Continuation? {
        guard let gone = subscribers.all.removeValue(forKey: id) else { return nil }
        subscribers.byOwner[gone.owner, default: 1] -= 1
        if subscribers.byOwner[gone.owner] == 0 { subscribers.byOwner[gone.owner] = nil }
        return gone.continuation
    }

    var count: Int { subscribers.withLock { $0.all.count } }

    /// Encodes `events` once and hands them to every subscriber (no encoding without subscribers:
    /// the publisher runs this after every commit).
    func publish(_ events: [(seq: UInt64, event: Event)]) {
        guard subscribers.withLock({ !$0.all.isEmpty }) else { return }
        _ = broadcast(.events(events.map { Frame(seq: $0.seq, bytes: Self.frame($0.event, seq: $0.seq)) }))
    }

    /// Tells every stream that the events went back to `seq` (a replay that seeks backwards).
    func reset(seq: UInt64) {
        _ = broadcast(.reset(seq))
    }

    /// Gives `item` to every subscriber, cutting off those whose buffer is full; `false` once closed.
    private func broadcast(_ item: Item) -> Bool {
        subscribers.withLock { subscribers in
            for (id, subscriber) in subscribers.all {
                if case .dropped = subscriber.continuation.yield(item) {
                    Self.remove(id, from: &subscribers)?.finish()
                }
            }
            return !subscribers.closed
        }
    }

    /// Ends every stream (shutdown), and refuses new subscribers.
    func close() {
        let all = subscribers.withLock { subscribers in
            subscribers.closed = true
            defer { subscribers.all = [:]; subscribers.byOwner = [:] }
            return subscribers.all.values.map(\.continuation)
        }
        for continuation in all { continuation.finish() }
    }

    /// `id: SEQ` / `event: KIND` / `data: {interchange JSON}`, and a blank line.
    static func frame(_ event: Event, seq: UInt64) -> [UInt8] {
        var out = Array("id: \(seq)\nevent: \(event.kind.name)\ndata: ".utf8)
        JSONWriting.event(event, seq: seq, into: &out)
        out.append(contentsOf: "\n\n".utf8)
        return out
    }
}
