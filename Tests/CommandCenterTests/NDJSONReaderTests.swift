import CommandCenter
import Foundation
import Testing

struct NDJSONReaderTests {
    static let base = #""at":"2015-06-23T04:09:49.000Z","actor":"vol:maria""#
    static let received = #"{"seq":1,"at":"2015-06-23T04:09:49.000Z","actor":"import:twcs","kind":"postReceived","post":"twitter:1","channel":"twitter","author":"ann","text":"hi","hashtags":["askpivot"],"mentions":[],"postedAt":"2015-06-23T04:09:48.000Z""#
    static let described = #"{"at":"2015-06-23T04:09:49.000Z","actor":"system","kind":"eventDescribed","name":"NICAR 2017","timeZone":"America/New_York","firstDay":"2017-03-02","lastDay":"2017-03-05","hashtags":["nicar17"]"#

    func parse(_ line: String, lineNumber: Int = 12) throws(InputError) -> Event {
        try NDJSONEventReader.parse(Array(line.utf8), file: "events.ndjson", line: lineNumber)
    }

    @Test func acceptsAValidLine() throws {
        let event = try parse(Self.received + "}")
        #expect(event.kind == .postReceived)
        #expect(event.post == "twitter:1")
        #expect(event.at.rfc3339 == "2015-06-23T04:09:49.000Z")
    }

    @Test func acceptsOtherOffsetsWhitespaceNoSeqAndFalseRepost() throws {
        let line = " { \"kind\" : \"postReceived\" , \"at\":\"2015-06-23T06:09:49.000123+02:00\",\"actor\":\"x\",\"post\":\"twitter:1\",\"channel\":\"twitter\",\"author\":\"ann\",\"text\":\"\\u00e9\\ud83c\\udf89\\/\",\"hashtags\":[],\"mentions\":[\"@b\"],\"postedAt\":\"2015-06-23T04:09:48Z\",\"isRepost\":false}\r\n"
        let event = try parse(line)
        guard case .postReceived(let b) = event.body else { Issue.record("wrong kind"); return }
        #expect(b.isRepost == false)
        #expect(b.text == "é🎉/")
        #expect(event.at == Timestamp(rfc3339: "2015-06-23T04:09:49Z"))
    }

    @Test(arguments: [
        // (line, field, part of the message)
        ("", nil, "malformed JSON at column 1"),
        ("[1]", nil, "expected a JSON object"),
        ("{\"kind\":\"shiftStarted\",", nil, "malformed JSON"),
        ("{\"kind\":\"shiftStarted\"} x", nil, "after the end"),
        ("{\"kind\":'shiftStarted'}", nil, "malformed JSON"),
        ("{\"kind\":\"shift\u{1}Started\"}", nil, "control character"),
        ("{\"kind\":\"\\ud800\"}", nil, "unpaired surrogate"),
        ("{\"kind\":\"\\x\"}", nil, "unknown escape"),
        ("{\"seq\":01}", nil, "leading zero"),
        (String(repeating: "[", count: 100), nil, "nested deeper"),
        ("{\(base)}", "kind", "missing"),
        ("{\(base),\"kind\":\"postExploded\"}", "kind", "unknown kind \"postExploded\""),
        ("{\(base),\"kind\":7}", "kind", "expected a string, got 7"),
        ("{\(base),\"kind\":\"shiftStarted\",\"volunteer\":\"vol:a\",\"kind\":\"shiftEnded\"}", "kind", "appears twice"),
        ("{\(base),\"kind\":\"shiftStarted\"}", "volunteer", "missing (required for kind 'shiftStarted')"),
        ("{\(base),\"kind\":\"shiftStarted\",\"volunteer\":\"maria\"}", "volunteer", "vol:<handle>"),
        ("{\(base),\"kind\":\"shiftStarted\",\"volunteer\":1}", "volunteer", "expected a string, got 1"),
        ("{\(base),\"kind\":\"shiftStarted\",\"volunteer\":true}", "volunteer", "expected a string, got true"),
        ("{\(base),\"kind\":\"shiftStarted\",\"volunteer\":\"vol:a\",\"post\":\"twitter:1\"}", "post", "unknown field for kind 'shiftStarted'"),
        ("{\"at\":\"yesterday\",\"actor\":\"a\",\"kind\":\"shiftEnded\",\"volunteer\":\"vol:a\"}", "at", "expected an RFC 3339 time, got \"yesterday\""),
        ("{\"actor\":\"a\",\"kind\":\"shiftEnded\",\"volunteer\":\"vol:a\"}", "at", "missing"),
        ("{\"at\":\"2015-06-23T04:09:49Z\",\"actor\":\"\",\"kind\":\"shiftEnded\",\"volunteer\":\"vol:a\"}", "actor", "must not be empty"),
        ("{\"seq\":1.5,\(base),\"kind\":\"shiftEnded\",\"volunteer\":\"vol:a\"}", "seq", "expected an integer, got 1.5"),
        ("{\"seq\":\"1\",\(base),\"kind\":\"shiftEnded\",\"volunteer\":\"vol:a\"}", "seq", "expected an integer"),
        (received + ",\"postedAt\":\"yesterday\"}", "postedAt", "appears twice"),
        (received.replacingOccurrences(of: "2015-06-23T04:09:48.000Z", with: "yesterday") + "}", "postedAt", "expected an RFC 3339 time, got \"yesterday\""),
        (received.replacingOccurrences(of: "[\"askpivot\"]", with: "\"askpivot\"") + "}", "hashtags", "expected an array of strings, got \"askpivot\""),
        (received.replacingOccurrences(of: "[\"askpivot\"]", with: "[\"AskPivot\"]") + "}", "hashtags", "element 0: a hashtag is stored lowercase"),
        (received.replacingOccurrences(of: "[\"askpivot\"]", with: "[\"ok\",\"#askpivot\"]") + "}", "hashtags", "element 1: a hashtag is stored without '#'"),
        (received.replacingOccurrences(of: "[\"askpivot\"]", with: "[\"ÉTÉ\"]") + "}", "hashtags", "lowercase"),
        (received.replacingOccurrences(of: "[\"askpivot\"]", with: "[1]") + "}", "hashtags", "element 0: expected a string, got 1"),
        (received.replacingOccurrences(of: "\"twitter\",\"author", with: "\"tiktok\",\"author") + "}", "channel", "expected one of twitter, instagram"),
        (received.replacingOccurrences(of: "twitter:1", with: "tiktok:1") + "}", "post", "expected a post id"),
        (received.replacingOccurrences(of: "twitter:1", with: "twitter:") + "}", "post", "expected a post id"),
        (received + ",\"isRepost\":1}", "isRepost", "expected true or false, got 1"),
        (received + ",\"isRepost\":\"true\"}", "isRepost", "expected true or false"),
        (received + ",\"inReplyTo\":null}", "inReplyTo", "got null (leave an absent optional field out)"),
        (received + ",\"url\":\"\"}", "url", "must not be empty"),
        ("{\(base),\"kind\":\"postResolved\",\"post\":\"twitter:1\",\"outcome\":\"solved\"}", "outcome", "expected one of answered, noAction, spam, duplicate, got \"solved\""),
        ("{\(base),\"kind\":\"roleChanged\",\"volunteer\":\"vol:a\",\"from\":\"photo\",\"to\":\"Photo\"}", "to", "expected one of ambassador"),
        ("{\(base),\"kind\":\"escalated\",\"post\":\"twitter:1\",\"to\":\"vol:b\",\"reason\":\"r\",\"priority\":\"asap\"}", "priority", "got \"asap\""),
        ("{\(base),\"kind\":\"postAssigned\",\"post\":\"twitter:1\",\"to\":\"maria\"}", "to", "vol:<handle>"),
        ("{\(base),\"kind\":\"postTagged\",\"post\":\"twitter:1\",\"tags\":{}}", "tags", "expected an array of strings, got an object"),
        ("{\(base),\"kind\":\"postPublished\",\"post\":\"twitter:1\",\"channel\":\"twitter\",\"text\":\"t\",\"media\":[null]}", "media", "element 0: expected a string, got null"),
        ("{\(base),\"kind\":\"noteAdded\",\"post\":\"twitter:1\",\"text\":\"\(String(repeating: "x", count: 65537))\"}", "text", "longer than 65536 bytes"),
        (received + ",\"repostCount\":-1}", "repostCount", "expected a whole number from 0 to 2^63 - 1, got -1"),
        (received + ",\"likeCount\":1.5}", "likeCount", "expected a whole number"),
        (received + ",\"likeCount\":\"3\"}", "likeCount", "expected a whole number"),
        (received + ",\"likeCount\":9223372036854775808}", "likeCount", "expected a whole number"),
        (received + ",\"quoteOf\":\"838\"}", "quoteOf", "expected a post id"),
        (described.replacingOccurrences(of: "America/New_York", with: "New York") + "}", "timeZone", "expected an IANA time zone name"),
        (described.replacingOccurrences(of: "2017-03-02", with: "2017-02-30") + "}", "firstDay", "a date YYYY-MM-DD that exists"),
        (described.replacingOccurrences(of: "2017-03-05", with: "5 March") + "}", "lastDay", "a date YYYY-MM-DD"),
        (described.replacingOccurrences(of: "2017-03-05", with: "2017-03-01") + "}", "lastDay", "2017-03-01 is before firstDay 2017-03-02"),
        (described.replacingOccurrences(of: "[\"nicar17\"]", with: "[\"#nicar17\"]") + "}", "hashtags", "without '#'"),
        (described.replacingOccurrences(of: "\"name\":\"NICAR 2017\"", with: "\"name\":\"\"") + "}", "name", "must not be empty"),
        (described + ",\"venue\":null}", "venue", "got null"),
        ("{\(base),\"kind\":\"eventDescribed\",\"name\":\"X\"}", "timeZone", "missing (required for kind 'eventDescribed')"),
    ] as [(String, String?, String)])
    func refusesWithFieldAndLine(line: String, field: String?, message: String) throws {
        let error = try #require(throws: InputError.self) { try parse(line, lineNumber: 12) }
        #expect(error.file == "events.ndjson")
        #expect(error.line == 12)
        #expect(error.field == field, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("events.ndjson:12: " + (field.map { "field '\($0)': " } ?? "")))
        #expect(!error.description.contains("\n"))
    }

    @Test func describesTheBriefsExample() throws {
        let line = Self.received.replacingOccurrences(of: "2015-06-23T04:09:48.000Z", with: "yesterday") + "}"
        let error = try #require(throws: InputError.self) { try parse(line) }
        #expect(error.description == #"events.ndjson:12: field 'postedAt': expected an RFC 3339 time, got "yesterday""#)
    }

    @Test func acceptsA64KiBString() throws {
        let text = String(repeating: "é", count: 32768)
        let event = try parse("{\(Self.base),\"kind\":\"noteAdded\",\"post\":\"twitter:1\",\"text\":\"\(text)\"}")
        #expect(event.body == .noteAdded(NoteAdded(post: "twitter:1", text: text)))
    }

    @Test func readerInstanceNamesItsFile() throws {
        let reader = NDJSONEventReader(file: "in.ndjson")
        let error = try #require(throws: InputError.self) { try reader.event(fromLine: Array("{}".utf8)[...], line: 3) }
        #expect(error.description == "in.ndjson:3: field 'kind': missing")
    }
}
