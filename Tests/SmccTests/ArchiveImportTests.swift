import Foundation
import Testing

/// `smcc import` of real platform archives (`Tests/Fixtures/`, see ATTRIBUTION.md) end to end:
/// each sample's posts, replies, volunteers, hashtags and first responses against counts made by
/// hand (the one-liner that counted is next to each number), bad rows, `--skip-bad`, re-imports,
/// the same post through two formats, CSV variants and time order.
@Suite(.serialized)
struct ArchiveImportTests {
    static func fixture(_ name: String) -> String {
        Paths.repository.appendingPathComponent("Tests/Fixtures/\(name)").path
    }

    /// The events of `log`, as `smcc export` prints them.
    func events(_ log: String, in scratch: Scratch) throws -> [[String: Any]] {
        try lines(String(decoding: try export(log, in: scratch), as: UTF8.self)).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// `smcc import LOG FILES --json` (which must succeed), validated against its schema, parsed.
    func importJSON(_ log: String, _ files: [String], _ extra: [String] = [], in scratch: Scratch) throws -> [String: Any] {
        let result = try importFiles(log, files, extra: extra + ["--json"], in: scratch)
        try DeskCommandTests().validate(result.stdout, schema: "import", in: scratch)
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
    }

    func freshLog(_ name: String, in scratch: Scratch) throws -> String {
        let log = scratch.child(name)
        try initLog(log, in: scratch)
        return log
    }

    /// Seconds from the post's `postedAt` to its first `replied`, from the exported events.
    func firstResponse(_ post: String, in events: [[String: Any]]) throws -> Double {
        let received = try #require(events.first { $0["kind"] as? String == "postReceived" && $0["post"] as? String == post })
        let reply = try #require(events.first { $0["kind"] as? String == "replied" && $0["post"] as? String == post })
        func ms(_ text: Any?) throws -> Double {
            let string = try #require(text as? String)
            let date = try #require(ISO8601DateFormatter.withFraction.date(from: string))
            return date.timeIntervalSince1970
        }
        return try ms(reply["at"]) - ms(received["postedAt"])
    }

    func count(_ events: [[String: Any]], _ kind: String, where test: ([String: Any]) -> Bool = { _ in true }) -> Int {
        events.filter { $0["kind"] as? String == kind && test($0) }.count
    }

    // MARK: - Each format's real sample

    @Test func twcsSampleByHandAndPerBrandMedianFirstResponse() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = try freshLog("twcs", in: scratch)
        let summary = try importJSON(log, [Self.fixture("twcs-sample.csv")], in: scratch)
        // Counted with python's csv module: rows = 121; inbound == 'TRUE' → 66; brand rows whose
        // in_response_to_tweet_id is an inbound row of the file → 53; brand rows answering nothing → 1;
        // brand rows answering an id not in the file → 1 (tweet 203, MicrosoftHelps).
        #expect(summary["read"] as? Int == 121)
        #expect(summary["teamRepliesToUnknownPosts"] as? Int == 1)
        #expect(summary["files"] as? [[String: String]] == [["file": Self.fixture("twcs-sample.csv"), "format": "twcs"]])
        let counts = try info(log, in: scratch).countsByKind
        // Volunteers: distinct (author_id, sign-off) over the 54 imported brand rows, sign-off =
        // re.search(r'(?:^|\s)[\^\-\*~]([^\W\d_]{1,20})\s*$', text) → 18 (e.g. ChipotleTweets/Becky,
        // VerizonSupport/HSB, sprintcare unsigned).
        #expect(counts == ["postReceived": 66, "replied": 53, "postPublished": 1, "volunteerJoined": 18])
        let all = try events(log, in: scratch)
        let becky = try #require(all.first { $0["volunteer"] as? String == "vol:ChipotleTweets/Becky" })
        #expect(becky["team"] as? String == "ChipotleTweets" && becky["name"] as? String == "Becky" && becky["role"] as? String == "ambassador")
        #expect(count(all, "replied") { $0["actor"] as? String == "vol:ChipotleTweets/Becky" } == 16)  // rows ending '-Becky' answering inbound rows: 16
        // Tweet 8 (21:45:10) is answered by sprintcare's tweet 6 (21:46:24): 74 s.
        #expect(try firstResponse("twitter:8", in: all) == 74)
        // Hashtags from the text, lowercased (grep '#' twcs-sample.csv): tweet 177 "#speedwaybrick
        // #UTtranscript", tweet 202 "#countcolin #halloween #food"; '#..' and '# or' are not hashtags;
        // 5 inbound rows (66, 76, 155, 177, 202) carry 7 distinct tags.
        #expect(all.first { $0["post"] as? String == "twitter:177" }?["hashtags"] as? [String] == ["speedwaybrick", "uttranscript"])
        #expect(all.first { $0["post"] as? String == "twitter:202" }?["hashtags"] as? [String] == ["countcolin", "halloween", "food"])
        #expect(count(all, "postReceived") { ($0["hashtags"] as? [String])?.isEmpty == false } == 5)
        #expect(Set(all.flatMap { ($0["hashtags"] as? [String]) ?? [] }).count == 7)

        // The per-brand median first response, by hand: for each inbound row, its first brand reply
        // (sorted by time, then row), grouped by brand, statistics.median of (reply − post) seconds:
        // AskPlayStation 4 posts 50037, Ask_Spectrum 6 146, ChipotleTweets 18 482,
        // VerizonSupport 13 214, marksandspencer 5 13772, sprintcare 7 192; 13 unanswered.
        let stats = try DeskCommandTests().json(["stats", log, "--by", "team"], in: scratch)
        let byTeam = try #require((stats["by"] as? [String: Any])?["team"] as? [String: [String: Any]])
        let expected: [String: (Int, Double)] = [
            "AskPlayStation": (4, 50037), "Ask_Spectrum": (6, 146), "ChipotleTweets": (18, 482),
            "VerizonSupport": (13, 214), "marksandspencer": (5, 13772), "sprintcare": (7, 192),
        ]
        for (brand, (posts, median)) in expected {
            #expect(byTeam[brand]?["answered"] as? Int == posts, "\(brand)")
            #expect((byTeam[brand]?["p50Seconds"] as? NSNumber)?.doubleValue == median, "\(brand)")
        }
        #expect(byTeam["unanswered"]?["posts"] as? Int == 13)
        #expect(Set(byTeam.keys) == Set(expected.keys).union(["unanswered"]))

        // Importing it again appends nothing.
        let again = try importJSON(log, [Self.fixture("twcs-sample.csv")], in: scratch)
        #expect(again["appended"] as? Int == 0)
        // The same import (same file, format and options) into a log nobody wrote to since: its
        // progress mark says it is done, so nothing is checked or appended again.
        #expect(again["alreadyImported"] as? Int == 138)  // every event the first run appended (the log's 138)
        #expect(again["duplicates"] as? Int == 0)
        #expect(try info(log, in: scratch).events == 138)
    }

    @Test func conferenceCSVWithATeam() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = Self.fixture("conference-srccon2015-tweets.csv")
        let plain = try freshLog("plain", in: scratch)
        let summary = try importJSON(plain, [file], in: scratch)
        // python csv: 1202 rows, all ids distinct; 526 texts start with 'RT @'; 30 rows have
        // in_reply_to_status_id, 23 of them naming a row of the file → 7 replies to unknown posts.
        #expect(summary["read"] as? Int == 1202 && summary["appended"] as? Int == 1202)
        #expect(summary["reposts"] as? Int == 526)
        #expect(summary["repliesToUnknownPosts"] as? Int == 7)
        #expect(summary["firstAt"] as? String == "2015-06-23T12:39:02.000Z" && summary["lastAt"] as? String == "2015-06-27T14:18:27.000Z")
        let all = try events(plain, in: scratch)
        #expect(count(all, "postReceived") { $0["isRepost"] as? Bool == true } == 526)
        // Rows whose text has #srccon in any case (re.findall(r'(?<!\w)#(\w+)', text), lowercased): 1142.
        #expect(count(all, "postReceived") { ($0["hashtags"] as? [String])?.contains("srccon") == true } == 1142)
        // Reposts never reach triage or the statistics: 1202 − 526 = 676 inbound posts.
        let queues = try DeskCommandTests().json(["queues", plain], in: scratch)
        #expect((queues["triage"] as? [Any])?.count == 676)
        let stats = try DeskCommandTests().json(["stats", plain], in: scratch)
        #expect(stats["repostsExcluded"] as? Int == 526)
        #expect((stats["firstResponse"] as? [String: Any])?["posts"] as? Int == 676)
        // Entities decoded: 53 texts hold '&amp;', none after the import.
        #expect(count(all, "postReceived") { ($0["text"] as? String)?.contains("&amp;") == true } == 0)

        // --team eyeseast,livlab: 84 rows by them; 3 answer a row of someone else in the file
        // (614632176336900096 → 614614960631476224, 614500065919406080, 614418083554291712), none
        // answers an unknown id, 81 are published; 1118 inbound.
        let desk = try freshLog("desk", in: scratch)
        let withTeam = try importJSON(desk, [file], ["--format", "csv", "--team", "eyeseast,@livlab"], in: scratch)
        #expect(withTeam["volunteersJoined"] as? Int == 2)
        #expect(try info(desk, in: scratch).countsByKind == ["postReceived": 1118, "replied": 3, "postPublished": 81, "volunteerJoined": 2])
        // 614614960631476224 at 02:03:20, answered by eyeseast at 03:11:44: 4104 s.
        #expect(try firstResponse("twitter:614614960631476224", in: try events(desk, in: scratch)) == 4104)
    }

    @Test func twarcPage() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = try freshLog("twarc", in: scratch)
        let summary = try importJSON(log, [Self.fixture("twarc2-search-recent-brexit.jsonl")], in: scratch)
        // python: len(page['data']) = 100; referenced_tweets types: retweeted 67, replied_to 10
        // (none of their targets among the 100), quoted 11.
        #expect(summary["read"] as? Int == 100 && summary["appended"] as? Int == 100)
        #expect(summary["files"] as? [[String: String]] == [["file": Self.fixture("twarc2-search-recent-brexit.jsonl"), "format": "twarc"]])
        #expect(summary["reposts"] as? Int == 67 && summary["repliesToUnknownPosts"] as? Int == 10)
        let all = try events(log, in: scratch)
        // Posts whose entities.hashtags[].tag lowercased holds 'brexit': 59.
        #expect(count(all, "postReceived") { ($0["hashtags"] as? [String])?.contains("brexit") == true } == 59)
        // data[0]: author 4203239195 is 'WarmongerHodges' in includes.users; tags PeoplesVote, Brexit.
        let first = try #require(all.first { $0["post"] as? String == "twitter:1440716895355764743" })
        #expect(first["author"] as? String == "WarmongerHodges")
        #expect(first["hashtags"] as? [String] == ["peoplesvote", "brexit"])
        #expect(first["postedAt"] as? String == "2021-09-22T16:37:29.000Z")
        #expect(first["conversation"] as? String == "twitter:1440716895355764743")
        let reply = try #require(all.first { $0["post"] as? String == "twitter:1440716745577140229" })
        #expect(reply["inReplyTo"] as? String == "twitter:1440621713281093641")
    }

    @Test func tweetsV1Stream() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = try freshLog("tweets", in: scratch)
        let summary = try importJSON(log, [Self.fixture("twitter-v1.1-stream-filter-72.jsonl")], in: scratch)
        // python: 72 lines, 71 distinct id_str (972473017333899264 twice); of the 71, 32 answer an
        // id_str not in the file.
        #expect(summary["read"] as? Int == 72 && summary["appended"] as? Int == 71 && summary["duplicates"] as? Int == 1)
        #expect(summary["repliesToUnknownPosts"] as? Int == 32)
        let all = try events(log, in: scratch)
        // 972472958596866048 is truncated: text 140 characters, extended_tweet.full_text 237, tag Quran.
        let long = try #require(all.first { $0["post"] as? String == "twitter:972472958596866048" })
        #expect((long["text"] as? String)?.unicodeScalars.count == 237)  // python's len: code points
        #expect((long["text"] as? String)?.hasSuffix("#Quran") == true)
        #expect(long["hashtags"] as? [String] == ["quran"])
        // Distinct hashtags over the 71 (extended_tweet.entities when present): 57.
        let tags = Set(all.flatMap { ($0["hashtags"] as? [String]) ?? [] })
        #expect(tags.count == 57)

        let extended = try freshLog("extended", in: scratch)
        try importFiles(extended, [Self.fixture("twitter-v1.1-extended-tweet-extended-mode.json")], in: scratch)
        let status = try #require(try events(extended, in: scratch).first)
        // full_text (there is no 'text'), created_at 'Mon Oct 03 00:23:22 +0000 2016'.
        #expect(status["post"] as? String == "twitter:782737772490600448")
        #expect((status["text"] as? String)?.hasPrefix("has more details about these changes.") == true)
        #expect(status["postedAt"] as? String == "2016-10-03T00:23:22.000Z")
    }

    @Test func mastodonStatusesAndContext() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = try freshLog("mastodon", in: scratch)
        let files = ["mastodon-status-hashtag-mention.json", "mastodon-status-reply-with-quote.json", "mastodon-status-context.json"].map(Self.fixture)
        let summary = try importJSON(log, files, in: scratch)
        // 1 + 1 + 2 statuses (ancestors[0], descendants[0]); the reply (in_reply_to_id
        // 115044053131672379) and the descendant (…983926957470, the context's own status) answer
        // statuses not in the files.
        #expect(summary["read"] as? Int == 4 && summary["appended"] as? Int == 4)
        #expect(summary["repliesToUnknownPosts"] as? Int == 2)
        let all = try events(log, in: scratch)
        let tagged = try #require(all.first { $0["post"] as? String == "mastodon:110446223051565765" })
        #expect(tagged["channel"] as? String == "mastodon")
        #expect(tagged["text"] as? String == "@halcy you're a doo-doo head\n\nedit: editing this to have the maximum amount of fields filled :trans_heart: #ThisIsAHashtag")
        #expect(tagged["hashtags"] as? [String] == ["thisisahashtag"])
        #expect(tagged["mentions"] as? [String] == ["halcy@icosahedron.website"])
        #expect(tagged["author"] as? String == "halcy@icosahedron.website")
        let reply = try #require(all.first { $0["post"] as? String == "mastodon:115044073088181107" })
        #expect(reply["inReplyTo"] as? String == "mastodon:115044053131672379")
        #expect(all.contains { $0["post"] as? String == "mastodon:110446983178245440" && $0["text"] as? String == "first status" })
    }
}

extension ISO8601DateFormatter {
    static var withFraction: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
