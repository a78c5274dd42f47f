import CommandCenter
import Foundation
@testable import Importers
import Testing

/// The parts of the archive importers that the end-to-end tests reach only through small files:
/// the CSV reader across its 1 MiB blocks, the platforms' time formats, text normalisation.
struct ArchivePartsTests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "smcc-archive-parts-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test func csvRowsAcrossBlocksWithQuotedNewlinesAndRereads() throws {
        // ~3 MiB of rows whose quoted fields hold newlines, commas and doubled quotes, so rows
        // straddle the reader's 1 MiB blocks at every kind of byte.
        var text = "id,text,n\r\n"
        var expected: [(line: Int, id: String, text: String)] = []
        var line = 2
        for n in 0..<20_000 {
            let body = String(repeating: "x", count: n % 97) + "\n\"q\", " + String(n)
            expected.append((line, String(n), body))
            text += "\(n),\"\(body.replacingOccurrences(of: "\"", with: "\"\""))\",\(n % 7)\r\n"
            line += 2
        }
        let path = directory + "/rows.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let csv = try CSVFile(path: path)
        #expect(try csv.next())
        #expect((0..<csv.count).map(csv.string) == ["id", "text", "n"])
        var spans: [CSVFile.Span] = []
        var index = 0
        while try csv.next() {
            #expect(csv.count == 3)
            #expect(csv.span.line == expected[index].line)
            #expect(csv.string(0) == expected[index].id)
            #expect(csv.string(1) == expected[index].text)
            spans.append(csv.span)
            index += 1
        }
        #expect(index == expected.count)
        // Read again out of order, as the sorted pass does.
        for i in [19_999, 0, 7_123, 7_124, 3] {
            try csv.reread(spans[i])
            #expect(csv.string(0) == expected[i].id && csv.string(1) == expected[i].text)
        }
    }

    @Test func csvRefusesAnUnclosedQuoteAndTextAfterAClosingQuote() throws {
        let unclosed = directory + "/unclosed.csv"
        try Data("a,b\n1,\"open\n".utf8).write(to: URL(fileURLWithPath: unclosed))
        let csv = try CSVFile(path: unclosed)
        #expect(try csv.next())
        #expect(throws: CSVFile.Problem.self) { try csv.next() }
        let after = directory + "/after.csv"
        try Data("a,b\n1,\"x\"y\n".utf8).write(to: URL(fileURLWithPath: after))
        let other = try CSVFile(path: after)
        #expect(try other.next())
        #expect(throws: CSVFile.Problem.self) { try other.next() }
    }

    @Test func csvFileThatCannotBeOpenedNamesItselfAndWhy() throws {
        for (path, reason) in [(directory + "/missing.csv", "No such file or directory"), (directory, "a directory, not a file")] {
            #expect {
                _ = try CSVFile(path: path)
            } throws: { error in
                "\(error)" == "\(path): cannot be read (\(reason))"
            }
        }
    }

    @Test func csvBooleansInEveryCaseTheArchivesWriteThem() {
        for spelling in ["True", "TRUE", "true", "tRuE", "1", "yes", "YES", "t", "T", "1.0"] {
            #expect(CSVFields.bool(Array(spelling.utf8)[...]) == true, "\(spelling)")
        }
        for spelling in ["False", "FALSE", "false", "0", "no", "No", "f", "F", "0.0"] {
            #expect(CSVFields.bool(Array(spelling.utf8)[...]) == false, "\(spelling)")
        }
        for spelling in ["", " true", "truth", "tru", "2", "1.5", "y", "n", "nope", "TRUE\u{0}", "\u{0}true", "ſ", "İ"] {
            #expect(CSVFields.bool(Array(spelling.utf8)[...]) == nil, "\(spelling)")
        }
    }

    @Test(arguments: [
        ("Tue Oct 31 22:10:47 +0000 2017", "2017-10-31T22:10:47.000Z"),
        ("Thu Jan 05 01:02:03 +0200 2017", "2017-01-04T23:02:03.000Z"),
        ("2015-06-23 04:09:49+00:00", "2015-06-23T04:09:49.000Z"),
        ("2015-06-23 04:09:49", "2015-06-23T04:09:49.000Z"),
        ("2021-09-22T16:37:29.000Z", "2021-09-22T16:37:29.000Z"),
        ("1520690595657", "2018-03-10T14:03:15.657Z"),
    ])
    func platformTimes(_ text: String, _ expected: String) {
        #expect(PlatformTime.parse(text)?.rfc3339 == expected)
    }

    @Test(arguments: ["yesterday", "Tue Foo 31 22:10:47 +0000 2017", "2015-13-01 00:00:00", "", "12"])
    func notTimes(_ text: String) {
        #expect(PlatformTime.parse(text) == nil)
    }

    @Test func textNormalisation() {
        #expect(PostText.decodingEntities("Q&amp;A &lt;3 &#39;hi&#x27; &bogus; & done") == "Q&A <3 'hi' &bogus; & done")
        #expect(PostText.plainText(fromHTML: "<p>one<br>two &amp; <a href=\"x\">#<span>Tag</span></a></p><p>three</p>") == "one\ntwo & #Tag\n\nthree")
        #expect(PostText.hashtags(in: "#SRCCON café #Ünïcode_2 x#no #123 #srccon") == ["srccon", "ünïcode_2"])
        #expect(PostText.mentions(in: "@a hi @b_c, mail@x.org") == ["a", "b_c"])
        #expect(PostText.signOff(of: "we can help ^JK") == "JK")
        #expect(PostText.signOff(of: "look great! -Becky\n") == "Becky")
        #expect(PostText.signOff(of: "how?\n^HSB") == "HSB")
        #expect(PostText.signOff(of: "thanks *TJ") == "TJ")
        #expect(PostText.signOff(of: "see https://t.co/P7XCmTzPQj") == nil)
        #expect(PostText.signOff(of: "well-known") == nil)
        #expect(PostText.signOff(of: "fanfare :P") == nil)
    }

    func posts(_ json: String, _ format: ImportFormat, team: [String] = []) throws -> [SourcePost] {
        var mapper = JSONPostMapper(format: format, options: ImportOptions(team: team), line: 1)
        mapper.posts(in: try JSONParser.parse(Array(json.utf8)[...]))
        return try mapper.results.map { try $0.get() }
    }

    @Test func twarcStreamLinesAndFlattenedTweets() throws {
        let stream = try posts("""
            {"data":{"id":"5","text":"RT @b: hi &amp; bye","created_at":"2021-09-22T16:00:00.000Z","author_id":"9",
             "referenced_tweets":[{"type":"retweeted","id":"4"}]},"includes":{"users":[{"id":"9","username":"alice"}]},
             "matching_rules":[{"id":"1","tag":"x"}]}
            """, .twarc)
        #expect(stream.count == 1)
        #expect(stream.first?.author == "alice" && stream.first?.isRepost == true && stream.first?.text == "RT @b: hi & bye")
        let flattened = try posts("""
            {"id":"6","text":"@desk where? #Help","created_at":"2021-09-22T16:01:00.000Z","author_id":"9","author":{"username":"alice"},
             "referenced_tweets":[{"type":"replied_to","id":"3"}],"conversation_id":"3"}
            """, .twarc, team: ["Alice"])
        #expect(flattened.first?.inReplyTo == "3" && flattened.first?.conversation == "3")
        #expect(flattened.first?.hashtags == ["help"] && flattened.first?.mentions == ["desk"])
        #expect(flattened.first?.member?.volunteer == "vol:alice")
    }

    @Test func mastodonNotificationsAndBoosts() throws {
        let found = try posts("""
            [{"id":"1","type":"mention","account":{"acct":"bob"},"status":{"id":"10","created_at":"2023-05-28T12:00:00.000Z",
              "content":"<p>@desk help</p>","account":{"acct":"bob"},"tags":[],"mentions":[{"acct":"desk"}],"reblog":null,"in_reply_to_id":null}},
             {"id":"2","type":"follow","account":{"acct":"carol"}},
             {"id":"11","created_at":"2023-05-28T12:01:00.000Z","content":"","account":{"acct":"dan"},"mentions":[],
              "reblog":{"id":"10","content":"<p>boosted <a href='t'>#Tag</a></p>","tags":[{"name":"Tag"}],"account":{"acct":"bob"}}}]
            """, .mastodon)
        #expect(found.map(\.id) == ["10", "11"])
        #expect(found[0].text == "@desk help" && found[0].mentions == ["desk"] && !found[0].isRepost)
        #expect(found[1].isRepost && found[1].text == "boosted #Tag" && found[1].hashtags == ["tag"])
    }

    @Test func tweetsRetweetsAndBigIDs() throws {
        let found = try posts("""
            {"statuses":[{"id":972472958596866048,"id_str":"972472958596866048","created_at":"Sat Mar 10 14:03:15 +0000 2018",
              "text":"RT @x: y","user":{"screen_name":"u"},"retweeted_status":{"id_str":"1"},"entities":{"hashtags":[],"user_mentions":[{"screen_name":"x"}]}},
             {"delete":{"status":{"id_str":"3"}}}]}
            """, .tweets)
        #expect(found.count == 1)
        #expect(found.first?.id == "972472958596866048" && found.first?.isRepost == true && found.first?.mentions == ["x"])
    }

    @Test(arguments: [
        ("twcs-sample.csv", ImportFormat.twcs), ("conference-srccon2015-tweets.csv", .csv),
        ("twarc2-search-recent-brexit.jsonl", .twarc), ("twitter-v1.1-stream-filter-72.jsonl", .tweets),
        ("twitter-v1.1-extended-tweet-extended-mode.json", .tweets), ("mastodon-status-context.json", .mastodon),
        ("mastodon-status-hashtag-mention.json", .mastodon), ("mastodon-status-reply-with-quote.json", .mastodon),
    ])
    func formatsAreToldFromTheContent(_ name: String, _ format: ImportFormat) throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        #expect(try ImportFormat.detect(fixtures.appendingPathComponent(name).path) == format)
    }

    @Test func anEmptyFileIsNDJSONAndUnknownJSONIsRefused() throws {
        let empty = directory + "/empty"
        try Data(" \n".utf8).write(to: URL(fileURLWithPath: empty))
        #expect(try ImportFormat.detect(empty) == .ndjson)
        let other = directory + "/other.json"
        try Data("{\"hello\": 1}".utf8).write(to: URL(fileURLWithPath: other))
        #expect(throws: ImportError.self) { try ImportFormat.detect(other) }
    }
}

/// The byte walk of a brand agent's sign-off gives the `Character` walk's answer on every text of
/// up to three pieces after each prefix, with grapheme clusters, other scripts' letters and spaces,
/// and a prepended mark where it looks.
struct SignOffTests {
    @Test func theByteWalkAgreesWithTheCharacterWalk() {
        let pieces = ["a", "JK", "Becky", " ", "\t", "\n", "\r\n", "\r", "^", "-", "*", "~", ".", "1", "_",
                      "é", "e\u{301}", "\u{301}", "\u{A0}", "\u{3000}", "\u{600}", "\u{D4E}", "😀", "日本", "\u{1C}"]
        let prefixes = ["", " ", "x", "\u{600}", "ÿ", String(repeating: "x ", count: 40)]  // the last is longer than the byte window
        var answeredByBytes = 0
        var compared = 0
        for prefix in prefixes {
            for a in [""] + pieces {
                for b in [""] + pieces {
                    for c in [""] + pieces {
                        let text = prefix + a + b + c
                        let expected = PostText.signOffByCharacters(of: text)
                        if let answer = PostText.asciiSignOff(of: text) {
                            answeredByBytes += 1
                            if answer != expected { Issue.record("\(text.debugDescription): bytes \(String(describing: answer)), characters \(String(describing: expected))") }
                        }
                        compared += 1
                    }
                }
            }
        }
        // A third of the texts end in ASCII where the walk looks (the others go to the Character
        // walk by design), so the comparison exercised the byte walk on tens of thousands of texts.
        #expect(answeredByBytes > compared / 4, "\(answeredByBytes) of \(compared)")
        for (text, expected) in [("we can help ^JK", "JK"), ("x ^é", "é"), ("x ^JK!", nil), ("^JK", "JK"), (" \t^JK \r\n", "JK"), ("-Becky", "Becky")] as [(String, String?)] {
            #expect(PostText.signOff(of: text) == expected, "\(text.debugDescription)")
        }
    }
}

/// Twitter's time read by position gives what the split reading gives, or leaves it to it: on
/// real times, and on each of them with any one byte changed to a space, a digit, a letter or a sign.
struct TwitterTimeTests {
    @Test func readingByPositionAgreesWithSplitting() {
        let times = ["Tue Oct 31 22:10:47 +0000 2017", "Thu Jan 05 01:02:03 +0200 2017", "Sat Mar 10 14:03:15 -0530 2018",
                     "Mon Feb 29 23:59:59 +0000 2016", "Sun Dec 31 00:00:00 +1400 1999", "Wed Jun 30 12:00:00 -1200 2021"]
        var readByPosition = 0
        for time in times {
            var variants = [Array(time.utf8)]
            for position in 0..<30 {
                for byte in Array(" 09a:+-xJ".utf8) {
                    var changed = Array(time.utf8)
                    changed[position] = byte
                    variants.append(changed)
                }
            }
            for bytes in variants {
                let bySplitting = PlatformTime.twitterBySplitting(bytes[...])
                if let byPosition = PlatformTime.canonicalTwitter(bytes[...]) {
                    readByPosition += 1
                    #expect(byPosition == bySplitting, "\(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        #expect(readByPosition > times.count * 30, "\(readByPosition)")
    }
}

/// Hashtags and mentions found in one walk are those two walks, one per marker, find: on every
/// text of up to four pieces, with grapheme clusters, other scripts and both markers side by side.
/// The walk reads bytes where a marker and its word stand among ASCII and `Character`s elsewhere:
/// the pieces put combining marks, a keycap, prepended signs (one a letter) and emoji right
/// before and after markers and words.
struct HashtagAndMentionTests {
    /// Duplicates dropped, first occurrences kept in order, equal strings (canonically) one: the
    /// short lists compared pairwise agree with the set that long lists use.
    @Test func uniquedKeepsFirstOccurrencesInOrder() {
        let decomposed = "e\u{301}", precomposed = "\u{E9}"
        #expect([String]().uniqued() == [])
        #expect(["a"].uniqued() == ["a"])
        #expect(["b", "a", "b", "c", "a"].uniqued() == ["b", "a", "c"])
        #expect([decomposed, "x", precomposed].uniqued().map { Array($0.unicodeScalars) } == [Array(decomposed.unicodeScalars), ["x"]])
        for count in [15, 16, 17, 40] {
            let list = (0..<count).map { "w\($0 % 7)" } + [precomposed, decomposed]
            let bySet: [String] = { var seen = Set<String>(); return list.filter { seen.insert($0).inserted } }()
            #expect(list.uniqued() == bySet, "\(count)")
            #expect(list.uniqued().count == min(count, 7) + 1)
        }
    }

    @Test func oneWalkFindsWhatTwoWalksFind() {
        let pieces = ["#", "@", "a", "Tag", "9", "_", " ", "\n", ".", "#a", "@b", "é", "e\u{301}", "\u{301}", "日本", "😀", "\u{600}", "٣", "\u{D4E}", "#\u{FE0F}\u{20E3}"]
        var found = 0
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in [""] + pieces {
                        let text = a + b + c + d
                        let (tags, accounts) = PostText.words(after: "#", and: "@", in: text)
                        #expect(tags == Self.words(after: "#", in: text) && accounts == Self.words(after: "@", in: text), "\(text.debugDescription)")
                        found += tags.count + accounts.count
                    }
                }
            }
        }
        #expect(found > 10_000, "\(found)")
        #expect(PostText.hashtagsAndMentions(in: "@desk where is #Help? #help #2024 @desk") == (["help"], ["desk"]))
    }

    /// The reference: one marker's words by the rule, over the text's `Character`s as an array.
    /// A marker counts when the character before it is not a letter, digit or `_`; its word is
    /// the letters, digits, marks and `_` after it; the search goes on after the word.
    static func words(after marker: Character, in text: String) -> [String] {
        let characters = Array(text)
        func continuesWord(_ c: Character) -> Bool {
            c == "_" || c.isLetter || c.isNumber || c.unicodeScalars.allSatisfy { [.nonspacingMark, .spacingMark].contains($0.properties.generalCategory) }
        }
        var words: [String] = []
        var position = 0
        while position < characters.count {
            let before: Character = position == 0 ? " " : characters[position - 1]
            guard characters[position] == marker, !(before.isLetter || before.isNumber || before == "_") else {
                position += 1
                continue
            }
            let wordEnd = characters[(position + 1)...].firstIndex { !continuesWord($0) } ?? characters.count
            if wordEnd > position + 1 { words.append(String(characters[(position + 1)..<wordEnd])) }
            position = max(wordEnd, position + 1)
        }
        return words
    }
}
