import Foundation
import Testing

/// The rules every archive import keeps, on small hand-made files: bad rows refuse the import
/// whole (file, line, field; nothing appended) or are skipped with `--skip-bad`; CSV variants
/// read the same; the same post through two formats is one post; later slices of the same event
/// import, older ones are refused.
@Suite(.serialized)
struct ArchiveImportRulesTests {
    static let header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    static let base = header
        + "1001,c1,True,Sun Oct 01 10:00:00 +0000 2017,@Brand hello,1002,\n"
        + "1002,Brand,False,Sun Oct 01 10:05:00 +0000 2017,@c1 hi there ^AB,,1001\n"
    /// Row 2003 spans lines 4 and 5; row 2004 is line 6.
    static let rows = [
        "2001,c2,True,Mon Oct 02 10:00:00 +0000 2017,@Brand where is my order #Late,2002,\n",
        "2002,Brand,False,Mon Oct 02 10:01:30 +0000 2017,@c2 on its way -Ann,,2001\n",
        "2003,c3,True,Mon Oct 02 11:00:00 +0000 2017,\"@Brand line one\nline two, with a comma and \"\"quotes\"\"\",,\n",
        "2004,c4,TRUE,Mon Oct 02 12:00:00 +0000 2017,@Brand thanks &amp; bye,,\n",
    ]

    struct Setup {
        var scratch: Scratch
        var log: String
        var before: LogInfoJSON
    }

    /// A log holding `base` (3 events: a post, Brand/AB joining, the reply).
    static func setup() throws -> Setup {
        let scratch = Scratch()
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        try importFiles(log, [try scratch.write("base.csv", base)], in: scratch)
        let before = try info(log, in: scratch)
        #expect(before.events == 3)
        return Setup(scratch: scratch, log: log, before: before)
    }

    enum BadCase: String, CaseIterable, Sendable {
        case badTime, missingColumn, badBoolean, badID, truncatedQuotedLastRow, badJSONLine, truncatedJSONLastLine
        /// A row dated 9999 would date every later live event 9999 (time never goes back in a log).
        case timeInTheFuture
        /// Bytes no text has: refused like NDJSON refuses them, never repaired into another text.
        case nulByte
    }

    /// The file, the format, and what the one-line error must say.
    static func badFile(_ bad: BadCase) -> (name: String, text: String, format: String, expected: [String]) {
        var rows = Self.rows
        switch bad {
        case .badTime:
            rows[3] = "2004,c4,TRUE,yesterday,@Brand thanks,,\n"
            return ("bad.csv", header + rows.joined(), "twcs", ["bad.csv:6:", "field 'created_at'", "yesterday"])
        case .nulByte:
            rows[3] = "2004,c4,TRUE,Mon Oct 02 12:00:00 +0000 2017,@Brand thanks\u{0}bye,,\n"
            return ("bad.csv", header + rows.joined(), "twcs", ["bad.csv:6:", "field 'text'", "NUL"])
        case .timeInTheFuture:
            rows[3] = "2004,c4,TRUE,Fri Dec 31 23:59:59 +0000 9999,@Brand thanks,,\n"
            return ("bad.csv", header + rows.joined(), "twcs", ["bad.csv:6:", "field 'created_at'", "in the future"])
        case .missingColumn:
            rows[3] = "2004,c4,TRUE,Mon Oct 02 12:00:00 +0000 2017\n"
            return ("bad.csv", header + rows.joined(), "twcs", ["bad.csv:6:", "field 'text'", "missing column"])
        case .badBoolean:
            rows[0] = rows[0].replacingOccurrences(of: "True", with: "maybe")
            return ("bad.csv", header + rows.joined(), "twcs", ["bad.csv:2:", "field 'inbound'", "maybe"])
        case .badID:
            rows[1] = rows[1].replacingOccurrences(of: "2002,Brand", with: "20x2,Brand")
            return ("bad.csv", header + rows.joined(), "twcs", ["bad.csv:3:", "field 'tweet_id'", "20x2"])
        case .truncatedQuotedLastRow:
            return ("bad.csv", header + rows.joined() + "2005,c5,True,Mon Oct 02 13:00:00 +0000 2017,\"@Brand I was cut", "twcs",
                    ["bad.csv:7:", "not closed"])
        case .badJSONLine, .truncatedJSONLastLine:
            let line = { (id: Int, minute: Int) in
                "{\"id_str\":\"\(id)\",\"created_at\":\"Mon Oct 02 10:\(minute):00 +0000 2017\",\"text\":\"hi #Desk\",\"user\":{\"screen_name\":\"u\(id)\"}}"
            }
            if bad == .badJSONLine {
                return ("bad.jsonl", [line(3001, 10), "{\"id_str\": \"3002\", ", line(3003, 12)].joined(separator: "\n") + "\n", "tweets",
                        ["bad.jsonl:2:", "malformed JSON"])
            }
            return ("bad.jsonl", [line(3001, 10), line(3002, 11), String(line(3003, 12).prefix(40))].joined(separator: "\n"), "tweets",
                    ["bad.jsonl:3:", "malformed JSON", "truncated"])
        }
    }

    @Test(arguments: BadCase.allCases)
    func aBadRowRefusesTheWholeImport(_ bad: BadCase) throws {
        let setup = try Self.setup()
        defer { setup.scratch.remove() }
        let (name, text, format, expected) = Self.badFile(bad)
        let file = try setup.scratch.write(name, text)
        for formatArguments in [[String](), ["--format", format]] {
            let result = try runSmcc(["import", setup.log, file] + formatArguments, in: setup.scratch)
            #expect(result.exited(2), "\(result)")
            let errorLines = lines(result.stderr)
            #expect(errorLines.count == 1, "\(result)")
            for part in expected {
                #expect(result.stderr.contains(part), "expected '\(part)' in: \(result.stderr)")
            }
            let after = try info(setup.log, in: setup.scratch)
            #expect(after.events == setup.before.events && after.head == setup.before.head)
        }
    }

    /// A row in Latin-1 among UTF-8 rows: refused naming the line and column, or skipped and
    /// listed with `--skip-bad`.
    @Test func invalidUTF8IsRefusedOrListed() throws {
        let setup = try Self.setup()
        defer { setup.scratch.remove() }
        var bytes = Array((Self.header + Self.rows[0] + Self.rows[1]).utf8)
        bytes += Array("2003,c3,True,Mon Oct 02 11:00:00 +0000 2017,@Brand caf".utf8) + [0xE9] + Array(" ferm\u{e9},,\n".utf8)
        let file = try setup.scratch.write("latin1.csv", Data(bytes))
        let refused = try runSmcc(["import", setup.log, file], in: setup.scratch)
        #expect(refused.exited(2), "\(refused)")
        #expect(refused.stderr.contains("latin1.csv:4:") && refused.stderr.contains("field 'text'") && refused.stderr.contains("UTF-8"), "\(refused)")
        #expect(try info(setup.log, in: setup.scratch).events == setup.before.events)
        let skipped = try importFiles(setup.log, [file], extra: ["--skip-bad"], in: setup.scratch)
        #expect(lines(skipped.stderr).filter { $0.hasPrefix("skipped ") && $0.contains("latin1.csv:4:") }.count == 1, "\(skipped)")
        #expect(try info(setup.log, in: setup.scratch).events == setup.before.events + 3)
    }

    @Test func skipBadImportsTheRestAndReportsEachRow() throws {
        let setup = try Self.setup()
        defer { setup.scratch.remove() }
        var rows = Self.rows
        rows[3] = "2004,c4,TRUE,yesterday,@Brand thanks,,\n"
        let file = try setup.scratch.write("bad.csv", Self.header + rows.joined() + "2005,c5,nope,Mon Oct 02 13:00:00 +0000 2017,hi,,\n")
        let result = try importFiles(setup.log, [file], extra: ["--skip-bad", "--json"], in: setup.scratch)
        try DeskCommandTests().validate(result.stdout, schema: "import", in: setup.scratch)
        let summary = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let skipped = try #require(summary["skipped"] as? [[String: Any]])
        #expect(skipped.count == 2)
        #expect(skipped.first?["line"] as? Int == 6 && skipped.first?["field"] as? String == "created_at")
        #expect(skipped.last?["line"] as? Int == 7 && skipped.last?["field"] as? String == "inbound")
        #expect((skipped.first?["reason"] as? String)?.contains("yesterday") == true)
        // 2001 received, Brand/Ann joins, 2002 replied, 2003 received.
        #expect(summary["read"] as? Int == 3 && summary["appended"] as? Int == 4)
        #expect(try info(setup.log, in: setup.scratch).countsByKind == ["postReceived": 3, "replied": 2, "volunteerJoined": 2])
        // Without a JSON summary the skipped rows go to standard error, one line each.
        let human = try importFiles(setup.log, [file], extra: ["--skip-bad"], in: setup.scratch)
        #expect(lines(human.stderr).filter { $0.hasPrefix("skipped ") }.count == 2)
        #expect(human.stdout.contains("appended 0 events"))
    }

    @Test func csvVariantsReadTheSame() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let canonical = try scratch.write("canonical.csv", Self.header + Self.rows.joined())
        // pandas' index column, spreadsheet booleans and float ids, CRLF line ends, a BOM.
        var variant = "\u{FEFF}," + Self.header.replacingOccurrences(of: "\n", with: "\r\n")
        for (index, row) in Self.rows.enumerated() {
            var row = row.replacingOccurrences(of: ",True,", with: ",true,").replacingOccurrences(of: ",False,", with: ",FALSE,")
            row = row.replacingOccurrences(of: "2001,", with: "2001.0,").replacingOccurrences(of: ",2001\n", with: ",2001.0\n")
            if row.hasSuffix(",,\n") { row.removeLast(); row += "\r\n" } else if !row.contains("\"") { row.removeLast(); row += "\r\n" }
            variant += "\(index)," + row
        }
        let variantFile = try scratch.write("variant.csv", variant)
        for (name, file) in [("a", canonical), ("b", variantFile)] {
            try initLog(scratch.child(name), in: scratch)
            try importFiles(scratch.child(name), [file], in: scratch)
        }
        let a = try export(scratch.child("a"), in: scratch)
        #expect(difference(a, try export(scratch.child("b"), in: scratch)) == nil)
        let text = String(decoding: a, as: UTF8.self)
        // The quoted field keeps its newline, comma and quotes; entities are decoded; hashtags lowercased.
        #expect(text.contains(#""text":"@Brand line one\nline two, with a comma and \"quotes\"""#))
        #expect(text.contains(#""text":"@Brand thanks & bye""#))
        #expect(text.contains(#""hashtags":["late"]"#))
        #expect(text.contains(#""volunteer":"vol:Brand/Ann","name":"Ann","role":"ambassador","team":"Brand""#))
    }

    @Test func theSamePostThroughTwoFormatsIsOnePost() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let csv = try scratch.write("desk.csv", """
            tweet_id,tweet_utc_date,user_screen_name,tweet_text,in_reply_to_status_id
            11,2015-06-23 10:00:00+00:00,attendee,where is room B? #srccon,
            12,2015-06-23 10:02:00+00:00,desk,@attendee down the hall,11

            """)
        let status = { (id: Int, user: String, minute: Int, reply: Int?) in
            "{\"id_str\":\"\(id)\",\"id\":\(id),\"created_at\":\"Tue Jun 23 10:0\(minute):00 +0000 2015\",\"text\":\"t\(id)\",\"user\":{\"screen_name\":\"\(user)\"},"
                + "\"in_reply_to_status_id_str\":\(reply.map { "\"\($0)\"" } ?? "null")}"
        }
        let json = try scratch.write("search.json", "{\"statuses\":[" + [status(11, "attendee", 0, nil), status(12, "desk", 2, 11), status(13, "attendee", 5, nil)].joined(separator: ",") + "]}")
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        try importFiles(log, [csv], extra: ["--team", "desk"], in: scratch)
        #expect(try info(log, in: scratch).countsByKind == ["postReceived": 1, "replied": 1, "volunteerJoined": 1])
        let second = try importFiles(log, [json], extra: ["--team", "desk", "--json"], in: scratch)
        let summary = try #require(try JSONSerialization.jsonObject(with: second.stdoutData) as? [String: Any])
        #expect(summary["files"] as? [[String: String]] == [["file": json, "format": "tweets"]])
        #expect(summary["appended"] as? Int == 1 && summary["duplicates"] as? Int == 2)
        #expect(try info(log, in: scratch).countsByKind == ["postReceived": 2, "replied": 1, "volunteerJoined": 1])
    }

    @Test func aLaterSliceImportsAnOlderOneIsRefused() throws {
        let setup = try Self.setup()
        defer { setup.scratch.remove() }
        let first = try setup.scratch.write("day2-morning.csv", Self.header + Self.rows[0] + Self.rows[1])
        let overlapping = try setup.scratch.write("day2-all.csv", Self.header + Self.rows.joined())
        let firstRun = try importFiles(setup.log, [first], in: setup.scratch)
        #expect(firstRun.stdout.contains("appended 3 events"))
        // The second slice repeats 2001 and its reply, dated before the log's head: duplicates, not a refusal.
        let second = try importFiles(setup.log, [overlapping], extra: ["--json"], in: setup.scratch)
        let summary = try #require(try JSONSerialization.jsonObject(with: second.stdoutData) as? [String: Any])
        #expect(summary["appended"] as? Int == 2 && summary["duplicates"] as? Int == 2)
        let before = try info(setup.log, in: setup.scratch)
        #expect(before.countsByKind == ["postReceived": 4, "replied": 2, "volunteerJoined": 2])

        // A new post dated before the head is refused whole, naming it; nothing is appended.
        let older = try setup.scratch.write("older.csv", Self.header
            + "3001,c9,True,Mon Oct 02 13:00:00 +0000 2017,@Brand later,,\n"
            + "3002,c9,True,Sat Sep 30 09:00:00 +0000 2017,@Brand earlier,,\n")
        let refused = try runSmcc(["import", setup.log, older], in: setup.scratch)
        #expect(refused.exited(2), "\(refused)")
        #expect(refused.stderr.contains("older.csv:3:") && refused.stderr.contains("before"), "\(refused.stderr)")
        let after = try info(setup.log, in: setup.scratch)
        #expect(after.events == before.events && after.head == before.head)
    }
}
