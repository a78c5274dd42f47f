// # Importers
//
// Turn what a team archived into events of the catalogue and append them through the domain's
// `EventStore`: our own interchange form (NDJSON) now; Twitter, Mastodon and CSV archives next.
// An import is recorded history: checked for consistency (`RecordedHistoryCheck`), never against
// the live desk's permissions, and refused whole when any line is bad.

public import CommandCenter
public import EventLog

/// What an import did.
public struct ImportSummary: Sendable {
    /// Events read from the files.
    public var read = 0
    /// Events appended to the log.
    public var appended = 0
    /// Events already in the log (a post received or published before), not appended again.
    public var duplicates = 0
    /// The time of the first and last event read.
    public var firstAt: Timestamp?
    public var lastAt: Timestamp?
}

/// Imports NDJSON files of our own events (`smcc export` output, `Schemas/events/`).
///
/// Two passes: the first parses and checks every line of every file and appends nothing, so a bad
/// line anywhere refuses the whole import; the second parses again and appends in batches. A crash
/// during the second pass leaves whole batches only (each batch is one transaction); running the
/// import again then skips the posts already there.
public struct NDJSONImport {
    /// Events per append transaction.
    public var batchSize: Int
    /// Called after each batch with the number of events appended so far.
    public var progress: ((Int) -> Void)?

    public init(batchSize: Int = 10_000, progress: ((Int) -> Void)? = nil) {
        self.batchSize = max(1, batchSize)
        self.progress = progress
    }

    /// Imports `files` into `store`.
    ///
    /// - Throws: `ImportError` naming file, line and field for bad input (nothing is appended
    ///   then), or `LogError` for a storage failure.
    public func run(files: [String], into store: EventStore) throws -> ImportSummary {
        var summary = ImportSummary()
        var check = try RecordedHistoryCheck(store: store)
        try forEachEvent(files) { file, line, event in
            do throws(RecordedHistoryCheck.Problem) {
                try check.check(event)
            } catch {
                throw ImportError(InputError(file: file, line: line, field: error.field, message: error.message).description)
            }
            summary.read += 1
            if summary.firstAt == nil { summary.firstAt = event.at }
            summary.lastAt = event.at
        }
        var batch: [Event] = []
        batch.reserveCapacity(batchSize)
        func flush() throws {
            guard !batch.isEmpty else { return }
            let outcome = try store.append(batch)
            summary.appended += outcome.appended
            summary.duplicates += batch.count - outcome.appended
            batch.removeAll(keepingCapacity: true)
            progress?(summary.appended)
        }
        try forEachEvent(files) { _, _, event in
            batch.append(event)
            if batch.count >= batchSize { try flush() }
        }
        try flush()
        return summary
    }

    private func forEachEvent(_ files: [String], _ body: (String, Int, Event) throws -> Void) throws {
        for file in files {
            let reader = NDJSONEventReader(file: file)
            try LineReader(path: file, maximumLineBytes: NDJSONEventReader.maxLineBytes).forEachLine { line, bytes in
                if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { return }
                let event: Event
                do throws(InputError) {
                    event = try reader.event(fromLine: bytes, line: line)
                } catch {
                    throw ImportError(error.description)
                }
                try body(file, line, event)
            }
        }
    }
}
