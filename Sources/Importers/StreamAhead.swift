import Dispatch
import Foundation

/// Runs a producer that reads a file (NDJSON lines, a CSV's rows in an archive's first pass, an
/// archive's posts read again in time order) on a second thread, and hands what it yields to the
/// caller in order, a chunk at a time: an import read and parsed each item and then kept,
/// translated, checked or encoded it on one thread, and the reading and parsing were half of it. At most two chunks wait, so memory stays bounded
/// by the chunk size, not the file.
///
/// `produce` alone touches what it reads (a file's buffer): nothing else may until ``forEach``
/// returns, which it does only once the producer has stopped.
final class StreamAhead<Item>: @unchecked Sendable {
    private struct Stopped: Error {}

    private let chunkSize: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var chunks: [[Item]] = []
    private var finished = false
    private var failure: (any Error)?
    private var stopped = false

    private init(chunkSize: Int) {
        self.chunkSize = chunkSize
    }

    /// Calls `produce` on another thread and `body` on this one with each item it yields, in order.
    ///
    /// - Throws: what `body` throws (the producer is stopped then), or, after every item yielded
    ///   before it, what `produce` throws.
    static func forEach(chunkSize: Int = 1_024, produce: @escaping (_ yield: (Item) throws -> Void) throws -> Void, _ body: (Item) throws -> Void) throws {
        let stream = StreamAhead(chunkSize: chunkSize)
        let producer = ProducerBox(produce)
        let group = DispatchGroup()
        DispatchQueue(label: "smcc.import.stream-ahead").async(group: group) { stream.run(producer.produce) }
        // Whatever ends the loop, the producer has stopped when this returns.
        defer {
            stream.stop()
            group.wait()
        }
        while let chunk = try stream.next() {
            for item in chunk { try body(item) }
        }
    }

    private func run(_ produce: (_ yield: (Item) throws -> Void) throws -> Void) {
        var buffer: [Item] = []
        buffer.reserveCapacity(chunkSize)
        do {
            try produce { item in
                buffer.append(item)
                if buffer.count >= chunkSize {
                    try push(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { try push(buffer) }
            end(nil)
        } catch is Stopped {
            end(nil)
        } catch {
            // What was yielded before the failure still reaches the caller, then the failure: an
            // import that skips bad rows goes on after a broken last row with every row before it.
            if !buffer.isEmpty { try? push(buffer) }
            end(error)
        }
    }

    private func push(_ chunk: [Item]) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= 2 && !stopped { condition.wait() }
        if stopped { throw Stopped() }
        chunks.append(chunk)
        condition.broadcast()
    }

    private func end(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    private func next() throws -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    private func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Carries the producer's closure to its thread, which alone calls it.
private final class ProducerBox<Item>: @unchecked Sendable {
    let produce: (_ yield: (Item) throws -> Void) throws -> Void
    init(_ produce: @escaping (_ yield: (Item) throws -> Void) throws -> Void) { self.produce = produce }
}
