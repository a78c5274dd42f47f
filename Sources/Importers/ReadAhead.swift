import Dispatch
import Foundation

/// Produces the items of a sequence on a second thread, one chunk ahead of the caller: an
/// archive import reads each post again by its place in the file and parses it, which took as
/// long as translating and encoding it, and a 2-core machine did one and then the other. At most
/// two chunks exist at a time, so memory stays bounded by the chunk size, not the file.
///
/// `produce` runs on one thread at a time, in order, and never beside another call to it: what it
/// reads (a file's buffer) needs no lock, but nothing else may touch it until ``forEach`` returns.
struct ReadAhead<Item> {
    var count: Int
    var chunkSize = 2_048
    var produce: (Int) throws -> Item

    /// Calls `body` with each item in order, `produce` running up to a chunk ahead on another thread.
    ///
    /// - Throws: the first error of `produce` (at the item it failed on) or of `body`.
    func forEach(_ body: (Int, Item) throws -> Void) throws {
        let queue = DispatchQueue(label: "smcc.import.read-ahead")
        let producer = UncheckedBox(produce)
        func start(_ range: Range<Int>) -> (DispatchGroup, UncheckedBox<Result<[Item], any Error>>) {
            let group = DispatchGroup()
            let result = UncheckedBox<Result<[Item], any Error>>(.success([]))
            queue.async(group: group) {
                result.value = Result { try range.map(producer.value) }
            }
            return (group, result)
        }
        let chunks = stride(from: 0, to: count, by: chunkSize).map { $0..<min($0 + chunkSize, count) }
        var next = chunks.first.map(start)
        // Whatever ends the loop, the other thread is done with `produce` when this returns.
        defer { queue.sync {} }
        for (position, chunk) in chunks.enumerated() {
            guard let (group, result) = next else { break }
            group.wait()
            next = position + 1 < chunks.count ? start(chunks[position + 1]) : nil
            for (index, item) in zip(chunk, try result.value.get()) { try body(index, item) }
        }
    }
}

/// Carries a value to the read-ahead thread. Sound because ``ReadAhead`` never lets two threads
/// use it at once: the caller reads a chunk's result only after the group says it is written.
private final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs a producer that reads a stream (lines of a file) on a second thread, and hands what it
/// yields to the caller in order, a chunk at a time: importing our own NDJSON parsed each line
/// and then checked or encoded it on one thread, and the parsing was half of it. At most two
/// chunks wait, so memory stays bounded by the chunk size, not the file.
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
