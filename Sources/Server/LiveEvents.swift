import CommandCenter
import Synchronization

/// The live stream's fan-out: every commit's events go to each subscriber's buffer. A subscriber
/// that falls more than `bufferedBatches` commits behind is cut off; its client resumes with
/// `Last-Event-ID` and catches up from the log, so a slow phone never holds the server's memory.
final class LiveEvents: Sendable {
    typealias Batch = [(seq: UInt64, event: Event)]

    static let bufferedBatches = 4096

    private struct Subscribers {
        var continuations: [Int: AsyncStream<Batch>.Continuation] = [:]
        var next = 0
        var closed = false
    }

    private let subscribers = Mutex(Subscribers())

    /// A stream of every batch committed from now on, and the id to unsubscribe with.
    func subscribe() -> (id: Int, stream: AsyncStream<Batch>) {
        let (stream, continuation) = AsyncStream<Batch>.makeStream(bufferingPolicy: .bufferingOldest(Self.bufferedBatches))
        let id = subscribers.withLock { subscribers -> Int in
            if subscribers.closed {
                continuation.finish()
                return -1
            }
            subscribers.next += 1
            subscribers.continuations[subscribers.next] = continuation
            return subscribers.next
        }
        return (id, stream)
    }

    func unsubscribe(_ id: Int) {
        subscribers.withLock { $0.continuations.removeValue(forKey: id) }?.finish()
    }

    var count: Int { subscribers.withLock { $0.continuations.count } }

    func publish(_ batch: Batch) {
        subscribers.withLock { subscribers in
            for (id, continuation) in subscribers.continuations {
                if case .dropped = continuation.yield(batch) {
                    continuation.finish()
                    subscribers.continuations[id] = nil
                }
            }
        }
    }

    /// Ends every stream (shutdown), and refuses new subscribers.
    func close() {
        let all = subscribers.withLock { subscribers in
            subscribers.closed = true
            defer { subscribers.continuations = [:] }
            return Array(subscribers.continuations.values)
        }
        for continuation in all { continuation.finish() }
    }
}
