import CommandCenter
import EventLog
import Foundation

/// Hands each commit's results on, off the writer's thread: brings the read model up to date,
/// pushes the events to the live streams, then answers the requests. The writer starts its next
/// commit meanwhile, so readers holding the read model's lock never slow a commit down.
final class Publisher: Sendable {
    struct Work: @unchecked Sendable {
        // @unchecked: the continuations are resumed once, by the publisher thread only.
        var events: [(seq: UInt64, event: Event)]
        /// A state to start again from (after an erasure rewrote the log): it replaces the read
        /// model, and `events` (already in it) only go to the live streams.
        var reset: ReadModel.State? = nil
        var answers: [(CheckedContinuation<CommandAnswer, any Error>, Result<CommandAnswer, any Error>)]
    }

    private let queue = WorkQueue<Work>()

    init(readModel: ReadModel, live: LiveEvents) {
        let queue = self.queue
        let thread = Thread {
            while let taken = queue.take(atMost: .max) {
                var events: [(seq: UInt64, event: Event)] = []
                func flush() {
                    guard !events.isEmpty else { return }
                    readModel.apply(events)
                    live.publish(events)
                    events = []
                }
                for work in taken {
                    if let fresh = work.reset {
                        flush()
                        readModel.reset(fresh)
                        live.publish(work.events)
                    } else {
                        events += work.events
                    }
                }
                flush()
                for work in taken {
                    for (continuation, result) in work.answers { continuation.resume(with: result) }
                }
            }
        }
        thread.name = "smcc-publisher"
        thread.start()
    }

    func publish(_ work: Work) {
        // The publisher closes only after the writer, the one caller: an append is never refused.
        _ = queue.append(work)
    }

    /// Publishes what is waiting, then stops. Call after the writer closed.
    func close() {
        queue.close()
    }
}
