// # Importers
//
// Turn what a team archived into events of the catalogue and append them through the domain's
// `EventStore`: our own interchange form (NDJSON, `NDJSONImport`) and the archives a team brings
// (`ArchiveImport`: TWCS and tweet CSVs, Twitter v2 and v1.1 JSON, Mastodon), each format read
// into `SourcePost`s and turned into events by `HistoryTranslator`.
// An import is recorded history: checked for consistency (`RecordedHistoryCheck`), never against
// the live desk's permissions, and refused whole when any line is bad.

public import CommandCenter
import EventLog

/// What an import did.
public struct ImportSummary: Sendable {
    /// Events read from the files.
    public var read = 0
    /// Events appended to the log.
    public var appended = 0
    /// Events already in the log (a post received or published before), not appended again.
    public var duplicates = 0
    /// Events skipped because an earlier run of the same import (same file contents) appended them.
    public var alreadyImported = 0
    /// The time of the first and last event (or archived post) read.
    public var firstAt: Timestamp?
    public var lastAt: Timestamp?
    /// Rows or lines left out under `--skip-bad`, with why.
    public var skipped: [SkippedRow] = []
    /// Inbound posts answering a post neither the files nor the log have (imported all the same).
    public var repliesToUnknownPosts = 0
    /// Team replies to a post neither the files nor the log have: counted, not imported.
    public var teamRepliesToUnknownPosts = 0
    /// Team replies the platform dated before their post, appended at the post's time.
    public var repliesBeforeTheirPost = 0
    /// Team members seen for the first time (`volunteerJoined` appended).
    public var volunteersJoined = 0
    /// Reposts (retweets, boosts) received: recorded as such, never in triage or statistics.
    public var reposts = 0
    /// Posts whose id column had lost digits (it went through a float) and whose id was taken
    /// from the post's URL instead.
    public var idsRepaired = 0
    /// Replies whose reply-to id had lost digits the same way, linked to the one post of the
    /// import it was cut from.
    public var replyLinksRepaired = 0
}

/// Imports NDJSON files of our own events (`smcc export` output, `Schemas/events/`).
///
/// Passes over the files: the first hashes their contents (the import's identity); the second
/// parses and checks every line and appends nothing, so a bad line anywhere refuses the whole
/// import; the third parses again and appends in batches. Each batch is one transaction that also
/// records how far the import got (`app:import:<hash>`), so a crash leaves whole batches and a
/// progress mark that says which: running the same import again appends the rest and nothing
/// twice, and running it after it finished appends nothing. The log's writer lock is held
/// throughout, so no other import or server interleaves its batches.
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
    ///   then), or `LogError` for a storage failure or when another process is writing.
    public func run(files: [String], into store: EventStore) throws -> ImportSummary {
        let lock = try store.log.takeWriterLock()
        defer { withExtendedLifetime(lock) {} }
        let progressKey = "import:" + (try ImportIdentity.of(files))
        let done = try store.log.metadata(progressKey).flatMap(ImportIdentity.decodeCount) ?? 0
        // Every batch is appended against the head the previous one left: a writer that got past
        // the lock meanwhile makes the append fail rather than interleave.
        let head = try store.log.head()?.seq ?? 0

        var summary = ImportSummary()
        var check = try RecordedHistoryCheck(store: store)
        var position = 0
        try forEachEvent(files) { file, line, event in
            position += 1
            summary.read += 1
            if summary.firstAt == nil { summary.firstAt = event.at }
            summary.lastAt = event.at
            guard position > done else { return }
            do throws(RecordedHistoryCheck.Problem) {
                try check.check(event)
            } catch {
                throw ImportError(InputError(file: file, line: line, field: error.field, message: error.message).description)
            }
        }
        summary.alreadyImported = min(done, summary.read)

        // Batches are appended on a second thread while this one parses and encodes the next.
        let appender = BackgroundAppender(log: store.log, head: head)
        defer { appender.drain() }
        var batch: [LogRecord] = []
        batch.reserveCapacity(batchSize)
        position = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            let mark = ImportIdentity.encodeCount(position)
            try appender.append(batch) { _ in [progressKey: mark] }
            batch.removeAll(keepingCapacity: true)
            progress?(appender.counts.appended)
        }
        try forEachEvent(files) { _, _, event in
            position += 1
            guard position > done else { return }
            batch.append(EventStore.record(for: event))
            if batch.count >= batchSize { try flush() }
        }
        try flush()
        let appended = try appender.finish()
        summary.appended = appended.appended
        summary.duplicates = appended.offered - appended.appended
        progress?(summary.appended)
        return summary
    }

    /// Calls `body` with each event of `files`, in order, with its file and line. The lines are
    /// read and parsed on a second thread (`StreamAhead`) while `body` checks or encodes.
    private func forEachEvent(_ files: [String], _ body: (String, Int, Event) throws -> Void) throws {
        try StreamAhead<(String, Int, Event)>.forEach(produce: { yield in
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
                    try yield((file, line, event))
                }
            }
        }) { file, line, event in
            try body(file, line, event)
        }
    }
}
