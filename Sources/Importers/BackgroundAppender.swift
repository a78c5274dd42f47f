import Dispatch
import EventLog
import Foundation

/// Appends an import's batches on a second thread while the caller reads, translates and encodes
/// the next one. Each half took about as long as the other, and a 2-core machine did one and then
/// the other. At most one batch waits while one is appended, so memory stays bounded by the
/// batch size; batches are appended in the order given, each against the head the one before
/// left, exactly as one thread would.
final class BackgroundAppender: @unchecked Sendable {
    private let log: EventLog
    private let queue = DispatchQueue(label: "smcc.import.append")
    /// Taken by each batch handed over and given back when it is appended: the caller blocks while
    /// one batch is being appended and another is waiting.
    private let room = DispatchSemaphore(value: 1)
    private let lock = NSLock()
    // Guarded by `lock`: written on `queue`, read by the caller.
    private var head: UInt64
    private var failure: (any Error)?
    private var appended = 0
    private var offered = 0

    init(log: EventLog, head: UInt64) {
        self.log = log
        self.head = head
    }

    /// Events appended so far and events handed over so far (the rest were already in the log).
    var counts: (appended: Int, offered: Int) {
        lock.withLock { (appended, offered) }
    }

    /// Hands `records` over to be appended after the batches before, with the metadata
    /// `metadataAtHead` gives for the head they leave, in one durable transaction.
    ///
    /// - Throws: the failure of an earlier batch, if one failed; nothing more is appended then.
    func append(_ records: [LogRecord], metadataAtHead: @escaping @Sendable (UInt64) -> [String: [UInt8]]) throws {
        try rethrowFailure()
        room.wait()
        queue.async {
            defer { self.room.signal() }
            let expectedHead: UInt64? = self.lock.withLock { self.failure == nil ? self.head : nil }
            guard let expectedHead else { return }
            do {
                let outcome = try self.log.append(records, metadataAtHead: metadataAtHead, expectedHead: expectedHead)
                self.lock.withLock {
                    self.head += UInt64(outcome.appended)
                    self.appended += outcome.appended
                    self.offered += records.count
                }
            } catch {
                self.lock.withLock { self.failure = error }
            }
        }
        try rethrowFailure()
    }

    /// Waits for the batches handed over, whatever became of them: a caller that stops early
    /// must not give up the log's writer lock while one is still being appended.
    func drain() {
        queue.sync {}
    }

    /// Waits for every batch handed over to be appended.
    ///
    /// - Throws: the first failure of a batch.
    func finish() throws -> (appended: Int, offered: Int) {
        drain()
        try rethrowFailure()
        return counts
    }

    private func rethrowFailure() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
