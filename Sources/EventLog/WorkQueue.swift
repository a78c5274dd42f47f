import Foundation

/// A queue from any number of producers to one consumer thread that takes everything waiting at
/// once: the shape of group commit (`GroupCommitWriter`, and the server's command writer and
/// publisher). Closing lets the consumer drain what waits, then end.
///
/// The consumer runs on a thread of its own, never on the cooperative pool: what it does with a
/// batch (an fsync) blocks.
public final class WorkQueue<Item>: @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [Item] = []
    private var closed = false
    private var finished = false

    public init() {}

    /// Adds `item` for the consumer.
    /// - Returns: `false`, adding nothing, once the queue is closed.
    public func append(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        pending.append(item)
        condition.signal()
        return true
    }

    /// Waits until something is queued, then takes up to `limit` items, oldest first.
    /// - Returns: `nil` once the queue is closed and drained: the consumer's cue to end.
    public func take(atMost limit: Int) -> [Item]? {
        take(atMost: limit, waitingAtMost: nil)
    }

    /// Like ``take(atMost:)``, but returns an empty batch when nothing came within `timeout`
    /// seconds: a consumer that also has to look elsewhere now and then (the server's writer
    /// watching for events other servers appended).
    public func take(atMost limit: Int, waitingAtMost timeout: Double?) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while pending.isEmpty && !closed {
            if let deadline {
                if !condition.wait(until: deadline) && pending.isEmpty && !closed { return [] }
            } else {
                condition.wait()
            }
        }
        if pending.isEmpty {
            finished = true
            condition.broadcast()
            return nil
        }
        let taken = Array(pending.prefix(limit))
        pending.removeFirst(taken.count)
        return taken
    }

    /// Refuses new items and returns once the consumer has taken everything and seen the end.
    public func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
    }
}
