import Foundation

/// Group commit: the one writer of a log in this process. Callers on any task hand it batches; a
/// dedicated thread takes everything waiting, appends it in one durable transaction, and answers
/// each caller only once its batch is on disk. Under load, one fsync serves many callers, which is
/// what makes many small appends fast (~0.4 ms a commit on this machine, STORAGE-NOTES.md).
///
/// The commit runs on its own thread, never on the cooperative pool: a commit blocks on fsync.
public final class GroupCommitWriter: Sendable {
    private typealias Pending = (records: [LogRecord], continuation: CheckedContinuation<AppendOutcome, any Error>)

    /// The most batches one transaction takes, so one commit never grows without bound.
    public static let maximumBatchesPerCommit = 4096

    private let log: EventLog
    private let queue = WorkQueue<Pending>()

    /// Starts the writer thread for `log`.
    public init(log: EventLog) {
        self.log = log
        let queue = self.queue
        let thread = Thread { Self.run(log: log, queue: queue) }
        thread.name = "smcc-log-writer"
        thread.start()
    }

    /// Appends `records` as one all-or-nothing batch, sharing the commit with concurrent callers.
    ///
    /// - Returns: when the batch is durable.
    /// - Throws: `LogError` when the batch is refused or the commit fails, or `.readOnly` after `close`.
    public func append(_ records: [LogRecord]) async throws(LogError) -> AppendOutcome {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                if !queue.append((records, continuation)) {
                    continuation.resume(throwing: LogError(.readOnly, "the log writer is closed"))
                }
            }
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError(.storage, "\(error)")
        }
    }

    /// Commits what is waiting, then stops taking batches. Returns when the writer thread is done.
    public func close() {
        queue.close()
    }

    private static func run(log: EventLog, queue: WorkQueue<Pending>) {
        while let taken = queue.take(atMost: maximumBatchesPerCommit) {
            do {
                let results = try log.append(batches: taken.map(\.records))
                for (request, result) in zip(taken, results) {
                    request.continuation.resume(with: result.mapError { $0 as any Error })
                }
            } catch {
                for request in taken { request.continuation.resume(throwing: error) }
            }
        }
    }
}
