public import CommandCenter
import Foundation

/// The whole case study as files: `index.html`, `report.md`, `figures/*.svg`, `data/*.csv`.
///
/// Built in memory from the facts alone (no clock, no environment, sorted everything), so the
/// same log gives the same bytes; ``write(to:)`` then puts them on disk all at once.
public struct CaseStudyReport: Sendable {
    /// One file of the report.
    public struct File: Sendable, Equatable {
        /// Path inside the report directory (`figures/volume.svg`).
        public var path: String
        public var contents: String
    }

    /// Every file, `index.html` first, then in path order.
    public private(set) var files: [File] = []
    /// The headline numbers of the log reported on.
    public let keyFigures: KeyFigures
    /// The headline numbers of the editions it is compared with, in the order given.
    public let comparedKeyFigures: [KeyFigures]
    /// The figures' names and, for the ones not drawn, why.
    public let missing: [(figure: String, reason: String)]

    /// The marker file that says a directory holds a report `smcc report` may replace.
    public static let marker = ".smcc-report"

    /// Builds the report of `facts`, compared with the editions `others` when given.
    /// - Parameter title: the page's title; default the event's name, else "Case study: <log directory name>".
    public init(_ facts: EventFacts, compare others: [EventFacts] = [], title: String? = nil) {
        let title = title ?? facts.conversation.event?.name ?? "Case study: \(Self.name(of: facts.log))"
        keyFigures = KeyFigures(facts)
        comparedKeyFigures = others.map(KeyFigures.init)
        let conversationFigures = [ConversationFigures.volume(facts), ConversationFigures.perDay(facts), ConversationFigures.heatmap(facts),
                                   ConversationFigures.eventHashtags(facts), ConversationFigures.hashtags(facts), ShareFigures.channelShare(facts)]
        let conversationTables = [ConversationTables.topAuthors(facts), ConversationTables.topMentioned(facts), ConversationTables.topHashtags(facts),
                                  ConversationTables.topPosts(facts)]
        let deskFigures = facts.hasDeskWork ? [TimeFigures.volume(facts), ResponseFigures.distribution(facts), ResponseFigures.byHour(facts), TimeFigures.backlog(facts),
                                               TimeFigures.escalations(facts), ShareFigures.volunteers(facts), ShareFigures.roles(facts)] : []
        var editions: Page.Editions?
        if !others.isEmpty {
            let all = Self.chronological([facts] + others)
            let names = Self.names(all)
            editions = Page.Editions(names: names, tables: [EditionTables.changes(all, names: names), EditionTables.editions(all, names: names)],
                                     figures: [EditionFigures.dailyVolume(all, names: names)]
                                        + (all.contains(where: \.hasDeskWork) ? [EditionFigures.firstResponse(all, names: names)] : []))
        }
        let figures = conversationFigures + deskFigures + (editions?.figures ?? [])
        missing = figures.compactMap { f in f.missing.map { (f.name, $0) } }
        var files: [File] = []
        for figure in figures {
            if let chart = figure.chart { files.append(File(path: "figures/\(figure.name).svg", contents: chart.render(standalone: true))) }
            for table in figure.tables { files.append(File(path: "data/\(table.name).csv", contents: table.text)) }
        }
        for table in conversationTables + (editions?.tables ?? []) { files.append(File(path: "data/\(table.name).csv", contents: table.csv.text)) }
        files.append(File(path: "data/posts.csv", contents: Self.postsTable(facts).text))
        files.append(File(path: "data/key-figures.csv", contents: Self.keyFiguresTable(keyFigures, comparedKeyFigures, names: Self.names([facts] + others)).text))
        let page = Page(title: title, facts: facts, keyFigures: keyFigures, conversationFigures: conversationFigures, conversationTables: conversationTables,
                        deskFigures: deskFigures, editions: editions)
        files.append(File(path: "report.md", contents: page.markdown()))
        files.append(File(path: Self.marker, contents: "written by smcc report; smcc report may replace this directory\n"))
        files.sort { $0.path < $1.path }
        files.insert(File(path: "index.html", contents: page.html()), at: 0)
        self.files = files
    }

    /// The editions in the order of their first event day (then of their first post, then as given).
    static func chronological(_ editions: [EventFacts]) -> [EventFacts] {
        editions.enumerated().sorted { a, b in
            let x = a.element.conversation.eventDays?.firstDay ?? "~", y = b.element.conversation.eventDays?.firstDay ?? "~"
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    /// Each edition's name (the event's, else its log directory), made distinct by more of the
    /// log's path (`2026/log` against `2025/log`), then by a number.
    static func names(_ editions: [EventFacts]) -> [String] {
        let plain = editions.map(\.name)
        var names = plain
        for k in names.indices where plain.filter({ $0 == plain[k] }).count > 1 {
            names[k] = editions[k].conversation.event.map { "\($0.name) (\(name(of: editions[k].log, components: 2)))" } ?? name(of: editions[k].log, components: 2)
        }
        let longer = names
        for k in names.indices where longer.filter({ $0 == longer[k] }).count > 1 { names[k] += " #\(k + 1)" }
        return names
    }

    /// The contents of `path`, if the report has that file.
    public func file(_ path: String) -> String? { files.first { $0.path == path }?.contents }

    /// The last `components` path components of a log path (`runs/2026/log` → `log`, or `2026/log`).
    static func name(of log: String, components: Int = 1) -> String {
        let parts = log.split(separator: "/").filter { $0 != "." }
        return parts.isEmpty ? log : parts.suffix(components).joined(separator: "/")
    }

    /// One row per inbound post.
    static func postsTable(_ facts: EventFacts) -> CSVTable {
        // Written as bytes, the times straight into them: four `String`s of times per post were
        // most of this table's cost.
        var lines: [UInt8] = []
        lines.reserveCapacity(facts.posts.count * 128)
        let clock = facts.clock
        for p in facts.posts {
            var line = CSVLine()
            let time = { (ms: Int64?, out: inout [UInt8]) in if let ms { clock.appendRFC3339(ms, to: &out) } }
            line.field(p.id, to: &lines)
            line.field(p.channel.rawValue, to: &lines)
            line.plain(to: &lines) { time(p.postedAt, &$0) }
            line.plain(to: &lines) { time(p.receivedAt, &$0) }
            line.plain(to: &lines) { time(p.firstReplyAt, &$0) }
            line.field(p.responder?.id ?? "", to: &lines)
            line.field(p.responder.map { $0.role.csvName } ?? "", to: &lines)
            line.field(p.firstReplyAt.map { Format.seconds(milliseconds: max(0, $0 - p.postedAt)) } ?? "", to: &lines)
            line.plain(to: &lines) { time(p.resolvedAt, &$0) }
            line.field(p.outcome?.rawValue ?? "", to: &lines)
            line.end(&lines)
        }
        var table = CSVTable(name: "posts", header: ["post", "channel", "posted", "received", "first reply", "responder", "role", "first response seconds", "resolved", "outcome"],
                             rows: [])
        table.renderedRows = lines
        return table
    }

    static func keyFiguresTable(_ this: KeyFigures, _ others: [KeyFigures], names: [String]) -> CSVTable {
        CSVTable(name: "key-figures", header: others.isEmpty ? ["figure", "value"] : ["figure"] + names, rows: this.items.map { item in
            [item.label, item.text] + others.map { $0.text(item.label) ?? "" }
        })
    }

    /// Writes the report into `directory`, replacing a previous report there.
    ///
    /// All or nothing: the files go to a fresh sibling directory first, which then takes the
    /// place of `directory`. A directory that is neither empty nor a previous report (no
    /// ``marker`` file) is refused rather than overwritten.
    /// - Throws: ``CaseStudyError`` naming the directory and what is wrong.
    public func write(to directory: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw CaseStudyError("\(directory) exists and is not a directory; choose another --out") }
            let entries = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
            guard entries.isEmpty || entries.contains(Self.marker) else {
                throw CaseStudyError("\(directory) is not empty and holds no previous report (no \(Self.marker) file); choose an empty or new --out directory")
            }
        }
        let parent = target.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw CaseStudyError("cannot create \(parent.path): \(error.localizedDescription)")
        }
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        do {
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
            if exists { try fm.removeItem(at: target) }
            try fm.moveItem(at: staging, to: target)
        } catch {
            try? fm.removeItem(at: staging)
            throw CaseStudyError("cannot write the report into \(directory): \(error.localizedDescription)")
        }
    }
}

/// A report that could not be written, with a message naming the directory.
public struct CaseStudyError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
