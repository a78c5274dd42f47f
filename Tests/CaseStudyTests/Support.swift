import CaseStudy
import CommandCenter
import EventLog
import Foundation
import FoundationXML
import Testing

/// A real log in a fresh temporary directory, removed when the value goes away.
final class TemporaryLog: Sendable {
    let directory: String
    let path: String
    let store: EventStore

    /// A log holding `events`, appended in one transaction as a live desk or an import would.
    init(_ events: [Event]) throws {
        directory = NSTemporaryDirectory() + "smcc-casestudy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/log"
        store = try EventStore.create(at: path)
        if !events.isEmpty { _ = try store.append(events) }
    }

    /// A log holding a simulated conference of `posts` posts (the `smcc simulate` model).
    init(simulatedPosts posts: Int, seed: UInt64 = 1) throws {
        directory = NSTemporaryDirectory() + "smcc-casestudy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/log"
        store = try EventStore.create(at: path)
        _ = try ConferenceSimulation(options: ConferenceSimulation.Options(seed: seed, posts: posts)).run(into: try Desk(store: store), batchSize: 2_000)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The facts of a replay of the whole log, with its head.
    func facts(target: Int = 900) throws -> EventFacts {
        try EventFacts.replay(store, log: path, head: try store.log.head()?.description, target: target)
    }
}

/// One element of a parsed SVG: its name, attributes and the text directly inside it.
struct XMLElementInfo {
    var name: String
    var attributes: [String: String]
    var text = ""
    var depth: Int
}

/// An SVG file parsed by FoundationXML's `XMLParser` (libxml2): the parse fails on anything that
/// is not well-formed XML (libxml2 may report a mismatched tag only through `parserError`, so both
/// are checked).
struct ParsedSVG {
    var elements: [XMLElementInfo] = []

    init(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        let ok = parser.parse()
        guard ok, parser.parserError == nil else {
            throw ParseFailure(description: "not well-formed XML: \(String(describing: parser.parserError))")
        }
        elements = collector.elements
    }

    struct ParseFailure: Error, CustomStringConvertible { var description: String }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [XMLElementInfo] = []
        var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            open.append(elements.count)
            elements.append(XMLElementInfo(name: elementName, attributes: attributeDict, depth: open.count - 1))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let i = open.last { elements[i].text += string }
        }
    }

    /// The elements carrying plotted values (`data-series`).
    func marks(series: String? = nil) -> [XMLElementInfo] {
        elements.filter { $0.attributes["data-series"] != nil && (series == nil || $0.attributes["data-series"] == series) }
    }

    /// The one mark of `series`, whose keys and values are space-separated lists.
    func list(_ series: String) throws -> (keys: [String], values: [String]) {
        let found = marks(series: series)
        try #require(found.count == 1, "expected one mark of series \(series), found \(found.count)")
        let split = { (s: String?) in (s ?? "").split(separator: " ").map(String.init) }
        return (split(found[0].attributes["data-key"]), split(found[0].attributes["data-value"]))
    }

    /// key → value of the single-value marks of `series`.
    func values(_ series: String) -> [String: String] {
        var result: [String: String] = [:]
        for mark in marks(series: series) { result[mark.attributes["data-key"] ?? ""] = mark.attributes["data-value"] }
        return result
    }
}

/// A CSV file of the report, parsed (RFC 4180 quoting).
struct ParsedCSV {
    var header: [String]
    var rows: [[String]]

    init(_ text: String) {
        var records: [[String]] = []
        var field = "", record: [String] = []
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(c) }
        }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// The column named `name`.
    func column(_ name: String) throws -> [String] {
        let i = try #require(header.firstIndex(of: name), "no column \(name) in \(header)")
        return rows.map { $0[i] }
    }

    /// The row whose first cell is `key`, as name → cell.
    func row(_ key: String) -> [String: String]? {
        guard let row = rows.first(where: { $0.first == key }) else { return nil }
        return Dictionary(uniqueKeysWithValues: zip(header, row).map { ($0, $1) })
    }
}

extension CaseStudyReport {
    /// A file the report must have.
    func required(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(file(path), "the report has no \(path)", sourceLocation: sourceLocation)
    }

    func svg(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedSVG {
        try ParsedSVG(try required("figures/\(name).svg", sourceLocation: sourceLocation))
    }

    func csv(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedCSV {
        ParsedCSV(try required("data/\(name).csv", sourceLocation: sourceLocation))
    }
}

/// Events written by hand, times in seconds after 2026-06-02T09:00:00Z.
enum Hand {
    static let t0: Int64 = 1_780_390_800_000

    static func at(_ seconds: Int) -> Timestamp { Timestamp(milliseconds: t0 + Int64(seconds) * 1000) }

    static func event(_ seconds: Int, _ actor: String, _ body: EventBody) -> Event {
        Event(at: at(seconds), actor: actor, body: body)
    }

    static func received(_ post: String, at seconds: Int, postedAt: Int, channel: Channel = .twitter, hashtags: [String] = [], repost: Bool = false) -> Event {
        event(seconds, "system", .postReceived(PostReceived(post: post, channel: channel, author: "someone", text: "hello", hashtags: hashtags,
                                                             mentions: [], postedAt: Hand.at(postedAt), isRepost: repost)))
    }

    static func reply(_ post: String, at seconds: Int, by actor: String) -> Event {
        event(seconds, actor, .replied(Replied(post: post, text: "thanks")))
    }
}
