import Foundation
import Testing

/// The case study of real conference archives, end to end with the built binary: `smcc init`,
/// `import`, `event`, `stats --json` and `report` on the #NICAR17, #NICAR20 and #srccon files of
/// `Tests/Fixtures/` (ATTRIBUTION.md). The whole files are used: the counts below are of whole
/// files, and checking them by hand or by script needs the files as they are (2–3 MB each).
///
/// Every expected number was computed without smcc by `Tests/Fixtures/count_conversation.py`
/// (Python's csv, re, html and zoneinfo, from the definitions of Schemas/cli/stats.md):
///
///     python3 Tests/Fixtures/count_conversation.py Tests/Fixtures/conference-nicar2017-tweets.csv America/New_York 2017-03-03
///     python3 Tests/Fixtures/count_conversation.py Tests/Fixtures/conference-nicar2020-tweets.csv America/Chicago 2020-03-08
///     python3 Tests/Fixtures/count_conversation.py Tests/Fixtures/conference-srccon2015-tweets.csv America/Chicago
@Suite(.serialized)
struct RealArchiveTests {
    static func fixture(_ name: String) -> String { ArchiveImportTests.fixture(name) }

    /// A log of `file`, described as `event`; returns the import summary (validated).
    func describedLog(_ name: String, _ file: String, event: [String], in scratch: Scratch) throws -> (log: String, summary: [String: Any]) {
        let log = scratch.child(name)
        try initLog(log, in: scratch)
        let summary = try ArchiveImportTests().importJSON(log, [Self.fixture(file)], in: scratch)
        let described = try runSmcc(["event", log] + event, in: scratch)
        try #require(described.exited(0), "\(described)")
        let shown = try runSmcc(["event", log, "--json"], in: scratch)
        try #require(shown.exited(0), "\(shown)")
        try DeskCommandTests().validate(shown.stdout, schema: "event", in: scratch)
        return (log, summary)
    }

    /// `smcc stats LOG --json` validated against its schema; its `conversation`.
    func conversation(_ log: String, _ extra: [String] = [], in scratch: Scratch) throws -> [String: Any] {
        let result = try runSmcc(["stats", log, "--json"] + extra, in: scratch)
        try #require(result.exited(0), "\(result)")
        try DeskCommandTests().validate(result.stdout, schema: "stats", in: scratch)
        let document = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        return try #require(document["conversation"] as? [String: Any])
    }

    static func perDay(_ c: [String: Any]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: ((c["perDay"] as? [[String: Any]]) ?? []).map { ($0["day"] as! String, $0["posts"] as! Int) })
    }

    static func hours(_ c: [String: Any], of day: String) -> [String] {
        ((c["perHour"] as? [[String: Any]]) ?? []).compactMap { hour in
            let local = hour["local"] as! String
            return local.hasPrefix(day) ? "\(local.dropFirst(11)) \(hour["posts"] as! Int)" : nil
        }
    }

    static func names(_ list: Any?, _ key: String) -> [String] {
        ((list as? [[String: Any]]) ?? []).map { "\(($0[key] as! String).lowercased()) \($0["posts"] as! Int)" }
    }

    @Test func nicar2017InNewYorkTimeMatchesAnIndependentCount() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, summary) = try describedLog("nicar17", "conference-nicar2017-tweets.csv", event: [
            "--name", "NICAR 2017", "--time-zone", "America/New_York", "--days", "2017-03-02..2017-03-05", "--hashtag", "#NICAR17", "--venue", "Jacksonville, FL",
        ], in: scratch)
        // 6,326 rows whose tweet_id lost its last three digits (tweet_url keeps them); of the 185
        // replies, 123 name a post of the file: 1 exactly, 122 by an id cut the same way.
        #expect(summary["read"] as? Int == 6_354 && summary["reposts"] as? Int == 3_096)
        #expect(summary["idsRepaired"] as? Int == 6_326)
        #expect(summary["replyLinksRepaired"] as? Int == 122)
        #expect(summary["repliesToUnknownPosts"] as? Int == 62)
        let c = try conversation(log, in: scratch)
        #expect(c["timeZone"] as? String == "America/New_York" && c["timeZoneSource"] as? String == "event")
        #expect(c["posts"] as? Int == 6_354 && c["originals"] as? Int == 3_258 && c["reposts"] as? Int == 3_096)
        #expect(c["replies"] as? Int == 185 && c["quotes"] as? Int == 0 && c["authors"] as? Int == 1_681)
        #expect(Self.perDay(c) == ["2017-02-25": 5, "2017-02-26": 22, "2017-02-27": 39, "2017-02-28": 143, "2017-03-01": 469,
                                   "2017-03-02": 1_446, "2017-03-03": 1_640, "2017-03-04": 1_624, "2017-03-05": 776, "2017-03-06": 190])
        #expect(c["postsOnEventDays"] as? Int == 1_446 + 1_640 + 1_624 + 776)
        let busiest = try #require(c["busiestHour"] as? [String: Any])
        #expect(busiest["local"] as? String == "2017-03-03T17:00:00-05:00" && busiest["posts"] as? Int == 263)
        #expect(Self.hours(c, of: "2017-03-03") == [
            "00:00:00-05:00 12", "01:00:00-05:00 6", "02:00:00-05:00 2", "03:00:00-05:00 3", "04:00:00-05:00 2", "05:00:00-05:00 7",
            "06:00:00-05:00 14", "07:00:00-05:00 23", "08:00:00-05:00 42", "09:00:00-05:00 106", "10:00:00-05:00 195", "11:00:00-05:00 170",
            "12:00:00-05:00 134", "13:00:00-05:00 38", "14:00:00-05:00 94", "15:00:00-05:00 145", "16:00:00-05:00 117", "17:00:00-05:00 263",
            "18:00:00-05:00 100", "19:00:00-05:00 30", "20:00:00-05:00 40", "21:00:00-05:00 46", "22:00:00-05:00 13", "23:00:00-05:00 38",
        ])
        #expect(Self.names(c["topAuthors"], "account").prefix(5) == ["danict89 254", "watchdogdiva 173", "margaretjanz 105", "aditihbhandari 60", "erin_vt 59"])
        #expect(Self.names(c["topMentioned"], "account").prefix(5) == ["ire_nicar 245", "albertocairo 186", "macdiva 169", "cezary 159", "kleinmatic 111"])
        #expect(Self.names(c["topHashtags"], "tag").prefix(3) == ["nicar17 6234", "ddj 195", "lightningtalk 83"])
        #expect(c["eventHashtags"] as? [String] == ["nicar17"])
        let delays = try #require(c["replyDelays"] as? [String: Any])
        #expect(delays["replies"] as? Int == 55 && delays["toOwnPosts"] as? Int == 68 && delays["toPostsNotInLog"] as? Int == 62)
        #expect(delays["p50Seconds"] as? Double == 687)
        let top = try #require((c["topPosts"] as? [String: Any])?["byReposts"] as? [[String: Any]])
        #expect(top.prefix(3).map { "\($0["post"]!) \($0["reposts"]!) \($0["likes"]!)" }
                == ["twitter:837172631401005056 94 180", "twitter:837744772664147970 79 222", "twitter:837787425598550016 75 149"])

        // --time-zone UTC reads the same log in UTC: the UTC days of the file (python:
        // Counter(r['tweet_utc_date'][:10] for r in csv.DictReader(...))).
        let utc = try conversation(log, ["--time-zone", "UTC"], in: scratch)
        #expect(utc["timeZoneSource"] as? String == "option")
        #expect(Self.perDay(utc) == ["2017-02-26": 22, "2017-02-27": 38, "2017-02-28": 120, "2017-03-01": 403, "2017-03-02": 1_414,
                                     "2017-03-03": 1_600, "2017-03-04": 1_566, "2017-03-05": 896, "2017-03-06": 295])
    }

    /// NICAR 2020 ended on 2020-03-08, the day the clocks went forward in New Orleans: that day has
    /// no 02:00 hour, and its hours after 01:00 are CDT (−05:00).
    @Test func nicar2020InChicagoTimeAcrossTheChangeToDaylightTime() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, summary) = try describedLog("nicar20", "conference-nicar2020-tweets.csv", event: [
            "--name", "NICAR 2020", "--time-zone", "America/Chicago", "--days", "2020-03-05..2020-03-08", "--hashtag", "nicar20",
        ], in: scratch)
        #expect(summary["idsRepaired"] as? Int == 0 && summary["replyLinksRepaired"] as? Int == 0)
        let c = try conversation(log, in: scratch)
        #expect(c["posts"] as? Int == 4_312 && c["originals"] as? Int == 1_650 && c["reposts"] as? Int == 2_662)
        #expect(c["replies"] as? Int == 210 && c["authors"] as? Int == 1_768)
        #expect(Self.perDay(c) == ["2020-03-04": 279, "2020-03-05": 872, "2020-03-06": 997, "2020-03-07": 988, "2020-03-08": 419,
                                   "2020-03-09": 147, "2020-03-10": 512, "2020-03-11": 98])
        let busiest = try #require(c["busiestHour"] as? [String: Any])
        #expect(busiest["local"] as? String == "2020-03-10T20:00:00-05:00" && busiest["posts"] as? Int == 252)
        #expect(Self.hours(c, of: "2020-03-08") == [
            "00:00:00-06:00 10", "01:00:00-06:00 3", "03:00:00-05:00 3", "04:00:00-05:00 2", "05:00:00-05:00 4", "06:00:00-05:00 8",
            "07:00:00-05:00 52", "08:00:00-05:00 48", "09:00:00-05:00 33", "10:00:00-05:00 42", "11:00:00-05:00 37", "12:00:00-05:00 32",
            "13:00:00-05:00 26", "14:00:00-05:00 11", "15:00:00-05:00 29", "16:00:00-05:00 21", "17:00:00-05:00 10", "18:00:00-05:00 14",
            "19:00:00-05:00 7", "20:00:00-05:00 7", "21:00:00-05:00 12", "22:00:00-05:00 3", "23:00:00-05:00 5",
        ])
        #expect(Self.names(c["topAuthors"], "account").prefix(5) == ["spjfreelance 88", "fvaraorta 65", "ksophiewill 56", "macloo 48", "iff_or 47"])
        #expect(Self.names(c["topMentioned"], "account").prefix(3) == ["ire_nicar 544", "doughaddix 209", "ceostroff 203"])
        let delays = try #require(c["replyDelays"] as? [String: Any])
        #expect(delays["replies"] as? Int == 12 && delays["toOwnPosts"] as? Int == 129 && delays["toPostsNotInLog"] as? Int == 69)
        #expect(delays["p50Seconds"] as? Double == 1_550.5)
    }

    /// Three editions in one study: days aligned on each one's first event day, columns named by
    /// the events, one row per edition, and no desk figure (none of them has desk work).
    @Test func aStudyOfThreeEditions() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let n17 = try describedLog("nicar17", "conference-nicar2017-tweets.csv", event: [
            "--name", "NICAR 2017", "--time-zone", "America/New_York", "--days", "2017-03-02..2017-03-05", "--hashtag", "nicar17"], in: scratch).log
        let n20 = try describedLog("nicar20", "conference-nicar2020-tweets.csv", event: [
            "--name", "NICAR 2020", "--time-zone", "America/Chicago", "--days", "2020-03-05..2020-03-08", "--hashtag", "nicar20"], in: scratch).log
        // SRCCON 2015: 604 and 487 posts on 2015-06-25 and -26 (Chicago), at most 83 on any other day.
        let src = try describedLog("srccon", "conference-srccon2015-tweets.csv", event: [
            "--name", "SRCCON 2015", "--time-zone", "America/Chicago", "--days", "2015-06-25..2015-06-26", "--hashtag", "srccon"], in: scratch).log
        let result = try runSmcc(["report", n17, "--compare", n20, "--compare", src, "--out", scratch.child("study")], in: scratch)
        try #require(result.exited(0), "\(result)")
        let files = try ReportTests.files(under: scratch.child("study"))
        func csv(_ name: String) throws -> [[String]] {
            try lines(String(decoding: try #require(files["data/\(name).csv"], "no \(name).csv"), as: UTF8.self)).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let daily = try csv("compare-daily-volume")
        #expect(daily[0] == ["event day", "SRCCON 2015", "NICAR 2017", "NICAR 2020"])
        let dayOne = try #require(daily.first { $0[0] == "1" })
        #expect(dayOne == ["1", "604", "1446", "872"])
        #expect(daily.first { $0[0] == "2" } == ["2", "487", "1640", "997"])
        #expect(daily.first { $0[0] == "4" } == ["4", "0", "776", "419"])
        let editions = try csv("editions")
        #expect(editions.dropFirst().map { [$0[0], $0[6]] } == [["SRCCON 2015", "1202"], ["NICAR 2017", "6354"], ["NICAR 2020", "4312"]])
        let changes = try csv("editions-changes")
        #expect(changes[0] == ["figure", "SRCCON 2015", "change", "NICAR 2017", "change", "NICAR 2020"])
        // 6,354 → 4,312: −2,042, −32.1% of 6,354 (CSV fields with a comma are quoted).
        #expect(String(decoding: files["data/editions-changes.csv"]!, as: UTF8.self).contains("posts (reposts included),\"1,202\""))
        #expect(String(decoding: files["data/editions-changes.csv"]!, as: UTF8.self).contains("\"6,354\",\"\u{2212}2,042 (\u{2212}32.1%)\",\"4,312\""))
        let html = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        for id in ["figure-conversation-volume", "figure-conversation-days", "figure-heatmap", "figure-event-hashtags", "figure-hashtags",
                   "table-top-authors", "table-top-posts", "table-editions-changes", "figure-compare-daily-volume"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        #expect(html.contains("<p id=\"no-desk\">"))
        #expect(files["figures/first-response-cdf.svg"] == nil && files["figures/compare-first-response.svg"] == nil && files["data/backlog.csv"] == nil)
        #expect(html.contains("All times are local to the event, America/New_York"))
        for (name, data) in files where name.hasSuffix(".svg") { #expect(ReportTests.isWellFormedXML(data), "\(name)") }
    }

    @Test func describingTheEventRefusesBadInputAndKeepsTimeOrder() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        for (args, words) in [
            (["--name", "X", "--time-zone", "Mars/Olympus", "--days", "2017-03-02"], "--time-zone Mars/Olympus: not a time zone"),
            (["--name", "X", "--time-zone", "EST5EDT!", "--days", "2017-03-02"], "not a time zone"),
            (["--name", "X", "--time-zone", "UTC", "--days", "2017-03-05..2017-03-02"], "the last day is before the first"),
            (["--name", "X", "--time-zone", "UTC", "--days", "2017-02-30"], "dates that exist"),
            (["--name", "X", "--time-zone", "UTC"], "--days"),
            (["--name", "X", "--time-zone", "UTC", "--days", "2017-03-02", "--hashtag", "two words"], "one word"),
            // The rules every door applies (FieldRule), and the clock bound of every append.
            (["--name", "X", "--time-zone", "UTC", "--days", "2017-03-02", "--venue", ""], "--venue: must not be empty"),
            (["--name", "X", "--time-zone", "UTC", "--days", "2017-03-02", "--at", "9999-01-01T00:00:00Z"], "--at: 9999-01-01T00:00:00.000Z is in the future"),
        ] {
            let result = try runSmcc(["event", log] + args, in: scratch)
            #expect(result.exited(2), "\(args): \(result)")
            #expect(result.stderr.contains(words) && lines(result.stderr).count == 1, "\(args): \(result.stderr)")
        }
        #expect(try info(log, in: scratch).events == 0)
        #expect(try runSmcc(["event", log, "--json"], in: scratch).stdout == "null\n")

        // Described now, the log then refuses the 2015 archive (time order), and says which event is
        // last; described with --at before it, the archive imports after.
        #expect(try runSmcc(["event", log, "--name", "SRCCON 2015", "--time-zone", "America/Chicago", "--days", "2015-06-25..2015-06-26"], in: scratch).exited(0))
        let refused = try runSmcc(["import", log, Self.fixture("conference-srccon2015-tweets.csv")], in: scratch)
        #expect(refused.exited(2), "\(refused)")
        #expect(refused.stderr.contains("time goes backwards"), "\(refused.stderr)")
        let early = scratch.child("early")
        try initLog(early, in: scratch)
        #expect(try runSmcc(["event", early, "--name", "SRCCON 2015", "--time-zone", "America/Chicago", "--days", "2015-06-25..2015-06-26", "--at", "2015-06-01T00:00:00Z"], in: scratch).exited(0))
        try importFiles(early, [Self.fixture("conference-srccon2015-tweets.csv")], in: scratch)
        let c = try conversation(early, in: scratch)
        #expect((c["event"] as? [String: Any])?["name"] as? String == "SRCCON 2015" && c["posts"] as? Int == 1_202)
        // A second description corrects the first: the last one counts.
        #expect(try runSmcc(["event", early, "--name", "SRCCON 2015 (Minneapolis)", "--time-zone", "America/Chicago", "--days", "2015-06-25..2015-06-26", "--hashtag", "srccon"], in: scratch).exited(0))
        let again = try conversation(early, in: scratch)
        #expect((again["event"] as? [String: Any])?["name"] as? String == "SRCCON 2015 (Minneapolis)")
        #expect(Self.perDay(again)["2015-06-25"] == 604 && Self.perDay(again)["2015-06-26"] == 487)
    }
}
