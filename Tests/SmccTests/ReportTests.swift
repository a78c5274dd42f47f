import Foundation
import FoundationXML
import Testing

/// `smcc report` and `smcc demo` end to end: the built binary, real logs, files on disk.
struct ReportTests {
    /// Every file under `directory`, relative path → bytes.
    static func files(under directory: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: directory))
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { result[path] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path)) }
        }
        return result
    }

    /// Whether `data` is well-formed XML (libxml2 through XMLParser; it may report a mismatched
    /// tag only in `parserError`).
    static func isWellFormedXML(_ data: Data) -> Bool {
        let parser = XMLParser(data: data)
        return parser.parse() && parser.parserError == nil
    }

    static func postReceived(_ n: Int, at ms: Int64, channel: String = "twitter") -> Interchange.Event {
        Interchange.Event(at: ms, actor: "import:test", kind: "postReceived", fields: [
            ("post", .string("\(channel):\(n)")), ("channel", .string(channel)), ("author", .string("someone")), ("text", .string("hello")),
            ("hashtags", .strings([])), ("mentions", .strings([])), ("postedAt", .string(Interchange.rfc3339(ms - 1_000))),
        ])
    }

    /// A log `name` in `scratch` holding three imported posts a minute apart, nothing else.
    static func importThreePosts(into name: String, in scratch: Scratch) throws {
        let start: Int64 = 1_780_390_800_000
        let file = try scratch.write("posts.ndjson", Interchange.text((0..<3).map { postReceived($0, at: start + Int64($0) * 60_000) }))
        try initLog(scratch.child(name), in: scratch)
        try importFiles(scratch.child(name), [file], in: scratch)
    }

    @Test func demoSimulatesReportsAndPrintsWhereTheReportIs() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let result = try runSmcc(["demo", "d", "--posts", "300"], in: scratch)
        try #require(result.exited(0), "\(result)")
        #expect(result.stdout.contains("report: d/report/index.html"))
        #expect(result.stdout.contains("answered "))
        let files = try Self.files(under: scratch.child("d/report"))
        for name in ["index.html", "report.md", "data/posts.csv", "figures/volume.svg", "figures/first-response-cdf.svg"] {
            #expect(files[name] != nil, "no \(name) in the demo's report")
        }
        let svgs = files.filter { $0.key.hasSuffix(".svg") }
        #expect(svgs.count >= 8)
        for (name, data) in svgs { #expect(Self.isWellFormedXML(data), "\(name) is not well-formed XML") }
        // One row per inbound post, as smcc stats counts them.
        let stats = try runSmcc(["stats", "d/log", "--json"], in: scratch)
        let document = try #require(try JSONSerialization.jsonObject(with: stats.stdoutData) as? [String: Any])
        let posts = try #require((document["firstResponse"] as? [String: Any])?["posts"] as? Int)
        #expect(lines(String(decoding: files["data/posts.csv"]!, as: UTF8.self)).count == posts + 1)
        // The printed verify command is the log's and it passes.
        let line = try #require(lines(result.stdout).first { $0.hasPrefix("check the log: smcc verify ") })
        let words = line.split(separator: " ").map(String.init)
        let verify = try runSmcc(Array(words.dropFirst(4)), in: scratch)
        #expect(verify.exited(0), "\(verify)")
        #expect(try info("d/log", in: scratch).head == words.last)
        #expect(String(decoding: files["index.html"]!, as: UTF8.self).contains(words.dropFirst(3).joined(separator: " ")))

        // A second demo replaces the first one's log and report.
        let again = try runSmcc(["demo", "d", "--posts", "200"], in: scratch)
        #expect(again.exited(0), "\(again)")
        #expect(again.stdout.contains("simulated 200 posts"))
    }

    @Test func demoRefusesADirectoryThatIsNotAPreviousDemo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.child("mine"), withIntermediateDirectories: true)
        try scratch.write("mine/notes.txt", "keep me")
        let result = try runSmcc(["demo", "mine", "--posts", "100"], in: scratch)
        #expect(result.exited(2), "\(result)")
        #expect(result.stderr.contains("mine is not empty and is not a previous smcc demo"))
        #expect(lines(result.stderr).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.child("mine")) == ["notes.txt"])
    }

    @Test func theSameLogGivesAByteIdenticalReport() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try #require(try runSmcc(["simulate", "log", "--posts", "400"], in: scratch).exited(0))
        let first = try runSmcc(["report", "log", "--out", "a", "--title", "PivotCon"], in: scratch)
        try #require(first.exited(0), "\(first)")
        let second = try runSmcc(["report", "log", "--out", "b", "--title", "PivotCon"], in: scratch)
        try #require(second.exited(0), "\(second)")
        let a = try Self.files(under: scratch.child("a")), b = try Self.files(under: scratch.child("b"))
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.count > 20)
        for (name, data) in a { #expect(b[name] == data, "\(name) differs between two reports of the same log") }
        #expect(first.stdout == second.stdout.replacing("to b/", with: "to a/"))
        // Writing again over a previous report replaces it.
        #expect(try runSmcc(["report", "log", "--out", "a", "--title", "PivotCon"], in: scratch).exited(0))
        #expect(try Self.files(under: scratch.child("a")) == a)
    }

    /// Three imported posts and nothing else: an archive, not a desk. The report leads with the
    /// conversation, says in one sentence why there are no desk figures (no "0% answered", no
    /// backlog that only counts posts), and names what it assumed about the event.
    @Test func anImportedLogWithoutDeskWorkHasNoDeskFigures() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try Self.importThreePosts(into: "log", in: scratch)
        let result = try runSmcc(["report", "log", "--out", "out"], in: scratch)
        try #require(result.exited(0), "\(result)")
        #expect(result.stdout.contains("  posts              3 posts: 3 originals and 0 reposts"))
        #expect(result.stdout.contains("  desk               no desk work in this log"))
        #expect(result.stdout.contains("  event              not described in the log: times are UTC."))
        #expect(!result.stdout.contains("% answered") && !result.stdout.contains("not drawn: first-response") && !result.stdout.contains("in triage"))
        let files = try Self.files(under: scratch.child("out"))
        #expect(files["figures/channel-share.svg"] == nil)
        for desk in ["first-response-cdf", "volume", "backlog", "workload-volunteers"] {
            #expect(files["figures/\(desk).svg"] == nil && files["data/\(desk).csv"] == nil, "\(desk)")
        }
        #expect(files["data/channel-share.csv"].map { String(decoding: $0, as: UTF8.self) } == "channel,posts,share\ntwitter,3,1.000000\n")
        #expect(files["figures/conversation-volume.svg"].map(Self.isWellFormedXML) == true)
        #expect(files["figures/heatmap.svg"].map(Self.isWellFormedXML) == true)
        let html = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        #expect(html.contains("<p id=\"no-desk\">No desk work in this log"))
        #expect(html.contains("smcc event log --name NAME --time-zone AREA/CITY --days FIRST..LAST --hashtag TAG"))
        #expect(!html.contains("<link") && !html.contains("<img") && !html.contains("<script"))
    }

    /// An erasure is the log's own administration, not desk work: an archive someone asked to be
    /// erased from is still an archive, and its report still leaves the desk out.
    @Test func anErasedArchiveStillHasNoDeskFigures() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try Self.importThreePosts(into: "log", in: scratch)
        let erased = try runSmcc(["erase", "log", "--post", "twitter:1", "--reason", "request"], in: scratch)
        try #require(erased.exited(0), "\(erased)")
        let result = try runSmcc(["report", "log", "--out", "out"], in: scratch)
        try #require(result.exited(0), "\(result)")
        #expect(result.stdout.contains("  desk               no desk work in this log"), "\(result.stdout)")
        #expect(!result.stdout.contains("not drawn: first-response") && !result.stdout.contains("inbound posts"))
        let files = try Self.files(under: scratch.child("out"))
        #expect(files["figures/first-response-cdf.svg"] == nil && files["data/backlog.csv"] == nil)
    }

    /// A post's text and its author's name come from anyone: the terminal never receives their
    /// control characters (an escape sequence would drive it), the page escapes its markup.
    @Test func attackerTextIsInertOnTheTerminalAndThePage() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let start: Int64 = 1_780_390_800_000
        let evil = Self.postReceived(1, at: start)
            .setting("text", .string("\u{1B}[2J\u{1B}]0;pwned\u{07} <script>alert(1)</script> \u{202E}txet"))
            .setting("author", .string("eve\u{1B}[31m"))
            .setting("likeCount", .raw("99"))
        let file = try scratch.write("posts.ndjson", Interchange.text([evil, Self.postReceived(2, at: start + 60_000)]))
        try initLog(scratch.child("log"), in: scratch)
        try importFiles(scratch.child("log"), [file], in: scratch)
        let result = try runSmcc(["report", "log", "--out", "out"], in: scratch)
        try #require(result.exited(0), "\(result)")
        #expect(result.stdout.contains("top post           @eve\\u{1B}[31m, 0 reposts and 99 likes"), "\(result.stdout)")
        #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        let stats = try runSmcc(["stats", "log"], in: scratch)
        #expect(stats.exited(0) && stats.stdout.contains("@eve\\u{1B}[31m") && !stats.stdout.unicodeScalars.contains { $0.value == 0x1B })
        let html = String(decoding: try #require(try Self.files(under: scratch.child("out"))["index.html"]), as: UTF8.self)
        #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func compareAddsTheOtherEventSideBySide() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try #require(try runSmcc(["simulate", "this", "--posts", "300"], in: scratch).exited(0))
        try #require(try runSmcc(["simulate", "last-year", "--posts", "150", "--seed", "2"], in: scratch).exited(0))
        let result = try runSmcc(["report", "this", "--out", "out", "--compare", "last-year"], in: scratch)
        try #require(result.exited(0), "\(result)")
        let files = try Self.files(under: scratch.child("out"))
        let daily = String(decoding: try #require(files["data/compare-daily-volume.csv"]), as: UTF8.self)
        let rows: [[Int]] = lines(daily).dropFirst().map { line in line.split(separator: ",").compactMap { Int($0) } }
        #expect(lines(daily).first == "event day,this,last-year")
        // Columns in the order of the editions' first event day: both simulations start on the
        // same day, so as given. Every post counts, reposts included: 300 and 150 simulated posts.
        let thisTotal = rows.reduce(0) { $0 + $1[1] }
        let otherTotal = rows.reduce(0) { $0 + $1[2] }
        #expect(thisTotal == 300, "\(daily)")
        #expect(otherTotal == 150, "\(daily)")
        #expect(files["figures/compare-first-response.svg"].map(Self.isWellFormedXML) == true)
        let html = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(html.contains("<h2>Editions compared</h2>"))
        #expect(html.contains("<th class=\"n\">this</th><th class=\"n\">change</th><th class=\"n\">last-year</th>"))
        #expect(files["data/editions.csv"].map { lines(String(decoding: $0, as: UTF8.self)).count } == 3)
    }

    @Test func badInputIsOneLineAndExitTwo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let missing = try runSmcc(["report", "no-such-log", "--out", "out"], in: scratch)
        #expect(missing.exited(2), "\(missing)")
        #expect(lines(missing.stderr).count == 1)
        #expect(!FileManager.default.fileExists(atPath: scratch.child("out")))

        try #require(try runSmcc(["simulate", "log", "--posts", "50"], in: scratch).exited(0))
        try scratch.write("precious.txt", "x")
        try FileManager.default.createDirectory(atPath: scratch.child("taken"), withIntermediateDirectories: true)
        try scratch.write("taken/precious.txt", "x")
        let taken = try runSmcc(["report", "log", "--out", "taken"], in: scratch)
        #expect(taken.exited(2), "\(taken)")
        #expect(taken.stderr.contains("taken is not empty and holds no previous report"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.child("taken")) == ["precious.txt"])
        #expect(try runSmcc(["report", "log"], in: scratch).exited(2))
    }
}
