import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// What the API takes in: only what Schemas/openapi.yaml allows, and only what `smcc import` takes
/// back from the export of the log it wrote.
@Suite(.serialized)
struct ServeInputTests {
    /// Bodies the document forbids (over its limits, empty or `#` hashtags, empty optional ids),
    /// duplicate keys, a non-JSON content type, and an over-long path id: each refused with a 4xx
    /// problem, and the log unchanged.
    @Test func theAPIRefusesWhatItsDocumentForbids() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let ana = Client(base: server.base, token: anaToken)
        let monitor = Client(base: server.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        #expect(try await monitor.post("/v1/posts", postBody(1)).status == 200)
        let head = try #require(try await ana.get("/health").json["head"] as? Int)

        func post(_ fields: String) -> String {
            #"{"post":"twitter:2","channel":"twitter","author":"fan","text":"hi","postedAt":"\#(recentTime())",\#(fields)}"#
        }
        let longText = String(repeating: "é", count: 20_001)
        let manyTags = "[" + Array(repeating: "\"x\"", count: 20_000).joined(separator: ",") + "]"
        let refusedPosts: [(String, String)] = [
            ("text over maxLength", #"{"post":"twitter:2","channel":"twitter","author":"fan","text":"\#(longText)","postedAt":"\#(recentTime())"}"#),
            ("20,000 hashtags", post(#""hashtags":\#(manyTags)"#)),
            ("an empty hashtag", post(#""hashtags":[""]"#)),
            ("a hashtag with #", post(##""hashtags":["#x"]"##)),
            ("an empty inReplyTo", post(#""inReplyTo":"""#)),
            ("an inReplyTo that is no post id", post(#""inReplyTo":"x""#)),
            ("an empty conversation", post(#""conversation":"""#)),
            ("an empty url", post(#""url":"""#)),
            ("an empty mention", post(#""mentions":[""]"#)),
            ("a duplicate key", post(#""author":"other""#)),
            ("posted in year 1", #"{"post":"twitter:2","channel":"twitter","author":"fan","text":"hi","postedAt":"0001-01-01T00:00:00Z"}"#),
            ("posted in 9999", #"{"post":"twitter:2","channel":"twitter","author":"fan","text":"hi","postedAt":"9999-12-31T23:59:59.999Z"}"#),
        ]
        for (what, body) in refusedPosts {
            let answer = try await monitor.post("/v1/posts", body)
            #expect((400...499).contains(answer.status) && answer.header("Content-Type") == "application/problem+json", "\(what): \(answer)")
        }
        let duplicate = try await ana.post("/v1/posts/twitter:1/notes", #"{"text":"a","text":"b"}"#)
        #expect(duplicate.status == 400 && duplicate.code == "duplicateField", "\(duplicate)")
        let longNote = try await ana.post("/v1/posts/twitter:1/notes", #"{"text":"\#(String(repeating: "a", count: 20_001))"}"#)
        #expect(longNote.status == 400 || longNote.status == 422, "\(longNote)")
        let emptyReplyPost = try await ana.post("/v1/posts/twitter:1/reply", #"{"text":"yes","replyPost":""}"#)
        #expect(emptyReplyPost.status == 400 || emptyReplyPost.status == 422, "\(emptyReplyPost)")
        let badReplyPost = try await ana.post("/v1/posts/twitter:1/reply", #"{"text":"yes","replyPost":"nochannel"}"#)
        #expect(badReplyPost.status == 400 || badReplyPost.status == 422, "\(badReplyPost)")
        let plain = try await ana.send("POST", "/v1/posts/twitter:1/notes", #"{"text":"a"}"#, headers: ["Content-Type": "text/plain"])
        #expect(plain.status == 415 && plain.code == "unsupportedMediaType", "\(plain)")
        let longID = try await ana.get("/v1/audit/posts/twitter:" + String(repeating: "9", count: 300))
        #expect(longID.status == 400 && longID.code == "invalidParameter", "\(longID)")
        let tooManyTags = try await ana.post("/v1/posts/twitter:1/tags", #"{"tags":[\#(Array(repeating: "\"x\"", count: 51).joined(separator: ","))]}"#)
        #expect(tooManyTags.status == 400, "\(tooManyTags)")

        #expect(try await ana.get("/health").json["head"] as? Int == head)
    }

    /// Every command the API accepts, with the edge values it allows, exports to NDJSON that
    /// `smcc import` takes whole into a fresh log, which then exports to the same bytes. Values the
    /// old API accepted and import refused (`hashtags: [""]`, `["#x"]`, empty optional ids) are
    /// sent too: they must be refused at the door, not appended.
    @Test func everythingTheAPIAppendsExportsAndImportsAgain() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        let base = server.base
        let ana = Client(base: base, token: anaToken)
        let monitor = Client(base: base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        let posts = [
            #"{"post":"twitter:1","channel":"twitter","author":"fan","text":"","postedAt":"\#(recentTime())"}"#,
            #"{"post":"mastodon:2","channel":"mastodon","author":"@a@b.c","text":"Ünïcødé 🎉 \"quoted\" \\ \n tab\t","hashtags":["Ünï","askpivot"],"mentions":["@x"],"postedAt":"\#(recentTime())","inReplyTo":"twitter:1","conversation":"c1","isRepost":true,"url":"https://x.y/2"}"#,
            #"{"post":"other:3","channel":"other","author":"x","text":"null fields","hashtags":null,"mentions":null,"postedAt":"\#(recentTime(offsetHours: 2).replacingOccurrences(of: "+02:00", with: "456+02:00"))","inReplyTo":null,"conversation":null,"isRepost":null,"url":null}"#,
            #"{"post":"twitter:4","channel":"twitter","author":"a","text":"t","hashtags":[""],"postedAt":"\#(recentTime())"}"#,
            ##"{"post":"twitter:5","channel":"twitter","author":"a","text":"t","hashtags":["#x"],"postedAt":"\#(recentTime())"}"##,
            #"{"post":"twitter:6","channel":"twitter","author":"a","text":"t","inReplyTo":"","postedAt":"\#(recentTime())"}"#,
            #"{"post":"twitter:7","channel":"twitter","author":"a","text":"t","conversation":"","postedAt":"\#(recentTime())"}"#,
            #"{"post":"twitter:8","channel":"twitter","author":"a","text":"t","url":"","postedAt":"\#(recentTime())"}"#,
            #"{"post":"twitter:9","channel":"twitter","author":"a","text":"t","mentions":[""],"postedAt":"\#(recentTime())"}"#,
            #"{"post":"twitter:10","channel":"twitter","author":"a","text":"\#(String(repeating: "x", count: 20_000))","postedAt":"\#(recentTime())"}"#,
        ]
        for body in posts { _ = try await monitor.post("/v1/posts", body) }
        _ = try await ana.post("/v1/volunteers", #"{"volunteer":"vol:bob","name":"Bob ✓","role":"streamMonitor","team":"day"}"#)
        _ = try await ana.post("/v1/volunteers", #"{"volunteer":"vol:cat","name":"Cat","role":"photo","team":null}"#)
        _ = try await ana.post("/v1/volunteers", #"{"volunteer":"vol:dan","name":"Dan","role":"ambassador","team":""}"#)
        for volunteer in ["vol:ana", "vol:bob", "vol:cat"] { _ = try await ana.post("/v1/volunteers/\(volunteer)/shift/start") }
        let commands: [(String, String)] = [
            ("/v1/posts/twitter:1/assign", #"{"to":"vol:bob"}"#),
            ("/v1/posts/twitter:1/reply", #"{"text":"ok","replyPost":"twitter:100"}"#),
            ("/v1/posts/twitter:1/reply", #"{"text":"again","replyPost":null}"#),
            ("/v1/posts/twitter:1/reply", #"{"text":"bad","replyPost":""}"#),
            ("/v1/posts/twitter:1/notes", #"{"text":"note ✎"}"#),
            ("/v1/posts/twitter:1/tags", #"{"tags":["a","b-c"]}"#),
            ("/v1/posts/twitter:1/unassign", #"{"reason":null}"#),
            ("/v1/posts/mastodon:2/assign", #"{"to":"vol:cat"}"#),
            ("/v1/posts/mastodon:2/unassign", #"{"reason":""}"#),
            ("/v1/posts/mastodon:2/escalate", #"{"to":"vol:ana","reason":"press","priority":"urgent"}"#),
            ("/v1/posts/mastodon:2/resolve-escalation", #"{"resolution":""}"#),
            ("/v1/posts/mastodon:2/escalate", #"{"to":"vol:ana","reason":"again","priority":null}"#),
            ("/v1/posts/mastodon:2/resolve-escalation", "{}"),
            ("/v1/posts/mastodon:2/resolve", #"{"outcome":"spam"}"#),
            ("/v1/published", #"{"post":"instagram:p1","channel":"instagram","text":"","media":["m.jpg"]}"#),
            ("/v1/published", #"{"post":"instagram:p2","channel":"instagram","text":"x","media":[""]}"#),
            ("/v1/published", #"{"post":"twitter:p3","channel":"twitter","text":"live","media":null}"#),
            ("/v1/listening-rules", ##"{"rule":"!#pivotlive"}"##),
            ("/v1/listening-rules", #"{"rule":"@pivot"}"#),
            ("/v1/listening-rules/remove", #"{"rule":"@pivot"}"#),
            ("/v1/volunteers/vol:cat/role", #"{"role":"liveTweets"}"#),
            ("/v1/posts/other:3/assign", #"{"to":"vol:cat"}"#),
            ("/v1/volunteers/vol:cat/leave", ""),
            ("/v1/volunteers/vol:bob/shift/end", "{}"),
        ]
        for (path, body) in commands { _ = try await ana.post(path, body) }
        #expect(server.stop().exited(0))

        let exported = try export(log, in: scratch)
        let text = String(decoding: exported, as: UTF8.self)
        #expect(text.contains("\"kind\":\"postPublished\"") && text.contains("\"kind\":\"volunteerLeft\"") && text.contains("\"isRepost\":true"), "\(text.prefix(2000))")
        let file = try scratch.write("export.ndjson", exported)
        let copy = scratch.child("copy")
        try initLog(copy, in: scratch)
        let imported = try runSmcc(["import", copy, file], in: scratch)
        #expect(imported.exited(0), "the export of what the API appended does not import: \(imported)")
        #expect(difference(try export(copy, in: scratch), text) == nil)
    }
}
