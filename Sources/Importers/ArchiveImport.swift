public import CommandCenter
import EventLog

/// A row or line an import left out under `--skip-bad`, and why.
public struct SkippedRow: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var field: String?
    public var reason: String

    /// `FILE:LINE: field 'F': REASON`, as the error would have said.
    public var description: String {
        InputError(file: file, line: line, field: field, message: reason).description
    }
}

/// Imports platform archives (every ``ImportFormat`` but `ndjson`, which ``NDJSONImport`` reads).
///
/// Passes over the files, holding the log's writer lock throughout:
/// 1. read every post, refusing the whole import at the first bad row (or setting it aside
///    with `skipBad`), and keep only a small key per post (time, where it is) and what a reply
///    needs to know of the post it answers;
/// 2. sort the keys by time (a reply the platform's clocks put before its post is moved to the
///    post's time), then, when the log already holds events, read the posts again in that order,
///    translate them (``HistoryTranslator``) and check every event with `RecordedHistoryCheck`
///    without appending, so a file that would put a new event before the log's head is refused
///    whole;
/// 3. read them again in the same order, translate the same way, and append in batches of
///    ``ImportOptions/batchSize``, each one durable transaction.
///
/// Progress: each batch is appended with an ``ArchiveProgress`` mark in the same transaction, so
/// a re-run of the same import (same files, formats and options) into a log nobody else appended
/// to since goes on where the first stopped, without checking again what it already checked.
///
/// Time order: the log's head is the time of its last event. Posts the log already has are
/// duplicates and are dropped wherever they fall, so a later slice of the same event that
/// overlaps what was imported (a second day's capture that repeats the end of the first)
/// imports; a *new* post, reply or volunteer dated before the head is refused, naming it.
/// Memory: the keys (about 40 bytes per post plus its id) are held, the posts themselves only
/// one batch at a time; JSON archives, parsed whole, are held as posts.
public struct ArchiveImport {
    /// How far an import got, for a progress line: a large archive spends as long reading and
    /// checking as appending, and a terminal that shows nothing meanwhile looks stuck.
    public enum Progress: Sendable, Equatable {
        /// Rows read so far in the first pass.
        case read(rows: Int)
        /// Posts checked against the log so far, of all of them (only when the log held events).
        case checked(posts: Int, of: Int)
        /// Events appended so far, after each batch.
        case appended(events: Int)
    }

    public var options: ImportOptions
    public var progress: ((Progress) -> Void)?
    /// Rows between two `.read` or `.checked` reports.
    public var progressInterval = 10_000

    public init(options: ImportOptions = ImportOptions(), progress: ((Progress) -> Void)? = nil) {
        self.options = options
        self.progress = progress
    }

    private struct Key {
        var at: Int64
        var location: PostLocation
    }

    /// Imports `files`, each in its format, into `store`.
    ///
    /// - Throws: `ImportError` naming file, line and field for bad input or a refused time
    ///   (nothing is appended then), or `LogError` for a storage failure or another writer.
    public func run(files: [(path: String, format: ImportFormat)], into store: EventStore) throws -> ImportSummary {
        let lock = try store.log.takeWriterLock()
        defer { withExtendedLifetime(lock) {} }
        var summary = ImportSummary()
        let paths = files.map(\.path), identityContext = Self.identityContext(files.map(\.format), options)
        let identity = BackgroundValue { try ImportIdentity.of(paths, context: identityContext) }
        let head = try store.log.head()?.seq ?? 0
        var sources: [ImportFormat: any PostSource] = [:]
        func source(_ format: ImportFormat) throws -> any PostSource {
            if let existing = sources[format] { return existing }
            let made = try Self.makeSource(format, options: options)
            sources[format] = made
            return made
        }

        // Pass 1: read and validate everything; keep keys.
        var keys: [Key] = []
        var posts = ImportedPosts()
        var teamReplies: [(key: Int, target: PostKey)] = []
        // Reply targets in files whose id column lost digits: candidates for a repaired link.
        var lossyFiles: Set<Int32> = []
        var replyTargets: [(file: Int32, target: PostKey)] = []
        for (index, file) in files.enumerated() {
            try source(file.format).forEachPost(in: file.path, index: Int32(index)) { location, result in
                switch result {
                case .failure(let problem):
                    let skipped = SkippedRow(file: file.path, line: problem.line, field: problem.field, reason: problem.message)
                    guard options.skipBad else { throw ImportError(skipped.description) }
                    summary.skipped.append(skipped)
                case .success(let post):
                    summary.read += 1
                    if summary.read % progressInterval == 0 { progress?(.read(rows: summary.read)) }
                    let at = post.time.milliseconds
                    if summary.firstAt.map({ at < $0.milliseconds }) ?? true { summary.firstAt = post.time }
                    if summary.lastAt.map({ at > $0.milliseconds }) ?? true { summary.lastAt = post.time }
                    if post.member != nil, let target = post.replyTargetKey { teamReplies.append((keys.count, target)) }
                    if post.idRepaired {
                        summary.idsRepaired += 1
                        lossyFiles.insert(Int32(index))
                    }
                    if let target = post.replyTargetKey, ReplyLinkRepair.mayHaveLostDigits(target) { replyTargets.append((Int32(index), target)) }
                    keys.append(Key(at: at, location: location))
                    posts.insertIfAbsent(post.key, HistoryTranslator.Known(time: at, isTeam: post.member != nil))
                }
            }
        }
        let progressKey = "import:" + (try identity.get())
        // A mark whose head is still the log's: nothing but this import wrote since it stopped.
        let resumed = try store.log.metadata(progressKey).flatMap(ArchiveProgress.init).flatMap { $0.head == head ? $0 : nil }
        let repairs = ReplyLinkRepair(posts: { posts.keys }, targets: replyTargets.filter { lossyFiles.contains($0.file) }.map(\.target))
        summary.replyLinksRepaired = repairs.repaired
        replyTargets = []
        for (key, target) in teamReplies {
            if let known = posts[repairs.exact(target)], !known.isTeam, known.time > keys[key].at {
                keys[key].at = known.time
                summary.repliesBeforeTheirPost += 1
            }
        }
        teamReplies = []
        keys.sort { ($0.at, $0.location.file, $0.location.offset) < ($1.at, $1.location.file, $1.location.offset) }

        // The last pass takes the table instead of copying it: a copy is a second million entries.
        func takePosts() -> ImportedPosts {
            defer { posts = ImportedPosts() }
            return posts
        }
        func forEachTranslated(last: Bool, _ body: (Key, [Event]) throws -> Void) throws -> HistoryTranslator {
            var translator = HistoryTranslator(store: store, logWasEmpty: logWasEmpty, posts: last ? takePosts() : posts)
            var events: [Event] = []
            // Every format's source was opened by the first pass: the read-ahead thread only reads.
            let sourcesOfFiles = try files.map { try source($0.format) }
            try StreamAhead<(Key, SourcePost)>.forEach(produce: { yield in
                for key in keys {
                    let file = files[Int(key.location.file)]
                    var post = try sourcesOfFiles[Int(key.location.file)].post(at: key.location, in: file.path)
                    if let target = post.replyTargetKey, let exact = repairs.links[target], lossyFiles.contains(key.location.file) {
                        post.inReplyTo = exact.platformID
                    }
                    try yield((key, post))
                }
            }) { key, post in
                let file = files[Int(key.location.file)]
                events.removeAll(keepingCapacity: true)
                switch try translator.translate(post, actor: "import:" + file.format.rawValue, into: &events) {
                case .new: break
                case .duplicate: summary.duplicates += 1
                case .teamReplyToUnknownPost: summary.teamRepliesToUnknownPosts += 1
                }
                try body(key, events)
            }
            return translator
        }
        let logWasEmpty = resumed?.logWasEmpty ?? (head == 0)

        // Pass 2: check what would be appended against the log (nothing to check in an empty log:
        // the order is sorted, replies name posts the translator saw, sizes were checked on reading;
        // nor when resuming: the first run checked it all against a log only it appended to since).
        if !logWasEmpty && resumed == nil {
            var check = try RecordedHistoryCheck(store: store)
            var checked = 0
            _ = try forEachTranslated(last: false) { key, events in
                checked += 1
                if checked % progressInterval == 0 { progress?(.checked(posts: checked, of: keys.count)) }
                for event in events {
                    do throws(RecordedHistoryCheck.Problem) {
                        try check.check(event)
                    } catch {
                        let file = files[Int(key.location.file)].path
                        var message = error.message
                        if error.field == "at" {
                            message += "; the log keeps time order: import older archives first, or into a fresh log (an event described with smcc event is dated when described: describe it after the import, or date it earlier with --at)"
                        }
                        throw ImportError(InputError(file: file, line: Int(key.location.line), field: error.field, message: message).description)
                    }
                }
            }
            summary.duplicates = 0
            summary.teamRepliesToUnknownPosts = 0
        }

        // Pass 3: append, after the posts a resumed import already appended (translated again all
        // the same: the translator's decisions depend on the posts before). Batches are appended
        // on a second thread while this one reads and translates the next; the translator's reads
        // of the log do not depend on them (see `HistoryTranslator`).
        let alreadyDone = resumed?.postsDone ?? 0
        var postsDone = 0
        let appender = BackgroundAppender(log: store.log, head: head)
        defer { appender.drain() }
        var batch: [LogRecord] = []
        batch.reserveCapacity(options.batchSize + 4)
        func flush() throws {
            guard !batch.isEmpty else { return }
            let done = postsDone
            try appender.append(batch, metadataAtHead: { newHead in
                [progressKey: ArchiveProgress(postsDone: done, head: newHead, logWasEmpty: logWasEmpty).bytes]
            })
            batch.removeAll(keepingCapacity: true)
            progress?(.appended(events: appender.counts.appended))
        }
        let translator = try forEachTranslated(last: true) { _, events in
            postsDone += 1
            guard postsDone > alreadyDone else {
                summary.alreadyImported += events.count
                return
            }
            for event in events { batch.append(EventStore.record(for: event)) }
            if batch.count >= options.batchSize { try flush() }
        }
        try flush()
        let appended = try appender.finish()
        summary.appended += appended.appended
        summary.duplicates += appended.offered - appended.appended
        progress?(.appended(events: summary.appended))
        summary.repliesToUnknownPosts = translator.repliesToUnknownPosts
        summary.volunteersJoined = translator.volunteersJoined
        summary.reposts = translator.reposts
        return summary
    }

    /// What besides the files' bytes decides the events: formats and options, in a stable order.
    static func identityContext(_ formats: [ImportFormat], _ options: ImportOptions) -> String {
        let columns = options.columns.keys.sorted().map { "\($0)=\(options.columns[$0]!)" }.joined(separator: ",")
        return "archive formats=\(formats.map(\.rawValue).joined(separator: ",")) team=\(options.team.joined(separator: ",")) columns=\(columns) skipBad=\(options.skipBad)"
    }

    static func makeSource(_ format: ImportFormat, options: ImportOptions) throws -> any PostSource {
        switch format {
        case .twcs: TWCSSource(options: options)
        case .csv: TweetCSVSource(options: options)
        case .twarc, .tweets, .mastodon: JSONArchiveSource(format: format, options: options)
        case .ndjson: throw ImportError("ndjson is read by NDJSONImport, not as an archive")
        }
    }
}
