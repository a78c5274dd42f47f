import CommandCenter
import Foundation

/// Hands each commit's results on, off the writer's thread: brings the read model up to date,
/// pushes the events to the live streams, then answers the requests. The writer starts its next
/// commit meanwhile, so readers holding the read model's lock never slow a commit down.
final class Publisher: Sendable {
    struct Work: @unchecked Sendable {
        // @unchecked: the continuations are resumed once, by the publisher thread only.
        var events: [(seq: UInt64, event: Event)]
        var answers: [(CheckedContinuation<CommandAnswer, any Error>, Result<CommandAnswer, any Error>)]
    }

    private final class Queue: @unchecked Sendable {
        // Guarded by `condition`.
        let condition = NSCondition()
        var work: [Work] = []
        var closed = false
        var finished = false
    }

    private let queue = Queue()

    init(readModel: ReadModel, live: LiveEvents) {
        let queue = self.queue
        let thread = Thread {
            while true {
                queue.condition.lock()
                while queue.work.isEmpty && !queue.closed { queue.condition.wait() }
                if queue.work.isEmpty && queue.closed {
                    queue.finished = true
                    queue.condition.broadcast()
                    queue.condition.unlock()
                    return
                }
                let taken = queue.work
                queue.work.removeAll(keepingCapacity: true)
                queue.condition.unlock()
                let events = taken.flatMap(\.events)
                if !events.isEmpty {
                    readModel.apply(events)
                    live.publish(events)
                }
                for work in taken {
                    for (continuation, result) in work.answers { continuation.resume(with: result) }
                }
            }
        }
        thread.name = "smcc-publisher"
        thread.start()
    }

    func publish(_ work: Work) {
        queue.condition.lock()
        queue.work.append(work)
        queue.condition.signal()
        queue.condition.unlock()
    }

    /// Publishes what is waiting, then stops. Call after the writer closed.
    func close() {
        queue.condition.lock()
        queue.closed = true
        queue.condition.broadcast()
        while !queue.finished { queue.condition.wait() }
        queue.condition.unlock()
    }
}
