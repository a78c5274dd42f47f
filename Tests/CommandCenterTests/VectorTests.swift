import CommandCenter
import Foundation
import Testing

/// The golden vectors in `Schemas/vectors/events.ndjson`: the export line and payload hex of a
/// fixed list of events. The test regenerates them from ``VectorTests/events`` and compares with
/// the committed file; run with `SMCC_REGENERATE_VECTORS=1` to rewrite it after a deliberate
/// change (then review the diff: it is a format change).
struct VectorTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas/vectors")
    static let file = directory.appendingPathComponent("events.ndjson")

    static func t(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static let at = t("2015-06-23T04:09:49.000Z")

    /// (name, event): at least one per kind, every optional field present and absent, and text
    /// that needs escaping (quotes, backslash, newline, control characters) or is not ASCII.
    static let events: [(String, Event)] = [
        ("postReceived minimal", Event(at: at, actor: "import:twcs", body: .postReceived(PostReceived(
            post: "twitter:1", channel: .twitter, author: "ann", text: "hello",
            hashtags: [], mentions: [], postedAt: t("2015-06-23T04:09:48.000Z"))))),
        ("postReceived all optional fields, unicode", Event(at: at, actor: "import:twarc", body: .postReceived(PostReceived(
            post: "twitter:614319489434718208", channel: .twitter, author: "Zoë_🐝",
            text: "@PivotSupport où est ma commande? 🎉 #AskPivot", hashtags: ["askpivot", "été"],
            mentions: ["PivotSupport"], postedAt: t("2015-06-23T04:09:49.999Z"),
            inReplyTo: "twitter:614319000000000000", conversation: "614310000000000000",
            isRepost: true, url: "https://twitter.com/zoe/status/614319489434718208")))),
        ("postReceived repost only, posted after received (clock skew)", Event(at: at, actor: "system", body: .postReceived(PostReceived(
            post: "mastodon:109", channel: .mastodon, author: "@bob@example.social", text: "",
            hashtags: ["a", "b", "c"], mentions: [], postedAt: t("2015-06-23T04:10:00.000Z"), isRepost: true)))),
        ("postReceived escaping", Event(at: t("2015-06-23T04:09:49.001Z"), actor: "import:ndjson", body: .postReceived(PostReceived(
            post: "other:x\"y", channel: .other, author: "back\\slash",
            text: "line1\nline2\r\n\ttab \"quoted\" \u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f} /slash/ \u{2028}",
            hashtags: [], mentions: ["\""], postedAt: t("1970-01-01T00:00:00.000Z"),
            conversation: "c", url: "u")))),
        ("postPublished without media", Event(at: at, actor: "vol:liam", body: .postPublished(PostPublished(
            post: "instagram:C8x", channel: .instagram, text: "Keynote 📸")))),
        ("postPublished with media", Event(at: at, actor: "vol:liam", body: .postPublished(PostPublished(
            post: "bluesky:3kq", channel: .bluesky, text: "", media: ["photo1.jpg", "https://cdn.example/2.png"])))),
        ("postPublished with empty media", Event(at: at, actor: "vol:liam", body: .postPublished(PostPublished(
            post: "youtube:dQw4w9WgXcQ", channel: .youtube, text: "live", media: [])))),
        ("postAssigned", Event(at: at, actor: "vol:maria", body: .postAssigned(PostAssigned(post: "twitter:1", to: "vol:jo")))),
        ("postUnassigned", Event(at: at, actor: "vol:jo", body: .postUnassigned(PostUnassigned(post: "twitter:1")))),
        ("postUnassigned with reason", Event(at: at, actor: "vol:jo", body: .postUnassigned(PostUnassigned(post: "twitter:1", reason: "shift over")))),
        ("replied", Event(at: at, actor: "vol:jo", body: .replied(Replied(post: "twitter:1", text: "Thanks! DM us 🙏")))),
        ("replied with replyPost", Event(at: at, actor: "vol:jo", body: .replied(Replied(post: "facebook:10_20", text: "Done.", replyPost: "facebook:10_21")))),
        ("escalated", Event(at: at, actor: "vol:jo", body: .escalated(Escalated(post: "linkedin:7", to: "vol:maria", reason: "press")))),
        ("escalated every priority: urgent", Event(at: at, actor: "vol:jo", body: .escalated(Escalated(post: "linkedin:7", to: "vol:maria", reason: "légal", priority: .urgent)))),
        ("escalated priority low", Event(at: at, actor: "vol:jo", body: .escalated(Escalated(post: "linkedin:7", to: "vol:maria", reason: "", priority: .low)))),
        ("escalationResolved", Event(at: at, actor: "vol:maria", body: .escalationResolved(EscalationResolved(post: "linkedin:7")))),
        ("escalationResolved with resolution", Event(at: at, actor: "vol:maria", body: .escalationResolved(EscalationResolved(post: "linkedin:7", resolution: "answered by PR")))),
        ("postResolved answered", Event(at: at, actor: "vol:jo", body: .postResolved(PostResolved(post: "twitter:1", outcome: .answered)))),
        ("postResolved duplicate", Event(at: at, actor: "vol:jo", body: .postResolved(PostResolved(post: "twitter:2", outcome: .duplicate)))),
        ("noteAdded", Event(at: at, actor: "vol:jo", body: .noteAdded(NoteAdded(post: "twitter:1", text: "VIP — handle with care\nsee \"CRM\"")))),
        ("postTagged", Event(at: at, actor: "vol:jo", body: .postTagged(PostTagged(post: "twitter:1", tags: ["billing", "négatif"])))),
        ("postTagged no tags", Event(at: at, actor: "vol:jo", body: .postTagged(PostTagged(post: "twitter:1", tags: [])))),
        ("volunteerJoined", Event(at: at, actor: "vol:maria", body: .volunteerJoined(VolunteerJoined(volunteer: "vol:jo", name: "Jo Li", role: .ambassador)))),
        ("volunteerJoined with team", Event(at: at, actor: "vol:maria", body: .volunteerJoined(VolunteerJoined(volunteer: "vol:李", name: "李小龍", role: .coordinator, team: "Nuit")))),
        ("volunteerLeft", Event(at: at, actor: "vol:maria", body: .volunteerLeft(VolunteerLeft(volunteer: "vol:jo")))),
        ("roleChanged", Event(at: at, actor: "vol:maria", body: .roleChanged(RoleChanged(volunteer: "vol:jo", from: .photo, to: .streamMonitor)))),
        ("roleChanged liveTweets", Event(at: at, actor: "vol:maria", body: .roleChanged(RoleChanged(volunteer: "vol:jo", from: .coordinator, to: .liveTweets)))),
        ("shiftStarted", Event(at: at, actor: "vol:jo", body: .shiftStarted(ShiftStarted(volunteer: "vol:jo")))),
        ("shiftEnded", Event(at: at, actor: "vol:jo", body: .shiftEnded(ShiftEnded(volunteer: "vol:jo")))),
        ("listeningRuleAdded", Event(at: at, actor: "vol:maria", body: .listeningRuleAdded(ListeningRuleAdded(rule: "#AskPivot")))),
        ("listeningRuleRemoved", Event(at: t("9999-12-31T23:59:59.999Z"), actor: "vol:maria", body: .listeningRuleRemoved(ListeningRuleRemoved(rule: "@PivotSupport")))),
        ("postReceived with counts and a quote (2-byte and 9-byte counts)", Event(at: at, actor: "import:csv", body: .postReceived(PostReceived(
            post: "twitter:838901760643248130", channel: .twitter, author: "dvrnd", text: "Honestly, #NICAR17 was the best conference",
            hashtags: ["nicar17"], mentions: [], postedAt: at, url: "https://twitter.com/dvrnd/status/838901760643248130",
            repostCount: 128, likeCount: 9_223_372_036_854_775_807, quoteOf: "twitter:838899455827009537")))),
        ("postReceived with a zero like count only", Event(at: at, actor: "import:twarc", body: .postReceived(PostReceived(
            post: "twitter:2", channel: .twitter, author: "ann", text: "", hashtags: [], mentions: [], postedAt: at, likeCount: 0)))),
        ("eventDescribed", Event(at: at, actor: "system", body: .eventDescribed(EventDescribed(
            name: "NICAR 2017", timeZone: "America/New_York", firstDay: "2017-03-02", lastDay: "2017-03-05", hashtags: ["nicar17"],
            venue: "Jacksonville, FL")))),
        ("eventDescribed one day, no hashtags, no venue, unicode", Event(at: at, actor: "vol:maria", body: .eventDescribed(EventDescribed(
            name: "Été \"22\" 🎉", timeZone: "Asia/Kolkata", firstDay: "2022-07-14", lastDay: "2022-07-14", hashtags: [])))),
        ("personalDataErased", Event(at: at, actor: "vol:maria", body: .personalDataErased(PersonalDataErased(posts: ["twitter:1", "twitter:2"])))),
        ("personalDataErased with reason", Event(at: at, actor: "system", body: .personalDataErased(PersonalDataErased(posts: [], reason: "art. 17 request #4")))),
        ("logUpgraded", Event(at: at, actor: "system", body: .logUpgraded(LogUpgraded(fromFormat: "smcc-log 1", previousHead: "31:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")))),
        // Erased events: the personal fields are gone from the record and from the line.
        ("postReceived erased", Event(at: at, actor: "import:twarc", body: .postReceived(PostReceived(
            post: "twitter:614319489434718208", channel: .twitter, author: "", text: "", hashtags: ["askpivot"],
            mentions: [], postedAt: t("2015-06-23T04:09:40.000Z"), inReplyTo: "twitter:614319000000000000", isRepost: true)), isErased: true)),
        ("replied erased", Event(at: at, actor: "vol:jo", body: .replied(Replied(post: "twitter:1", text: "", replyPost: "twitter:3")), isErased: true)),
    ]

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)
        }.reduce(into: [UInt8]?([])) { acc, b in
            if let b { acc?.append(b) } else { acc = nil }
        }
    }

    /// A JSON string of ASCII-safe content (names, hex) or of an export line, escaped as §7 says.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// One line per vector: `payloadHex` is the whole event in one payload (format 1, and what a
    /// payload plus its personal part read as), `storedHex` and `personalHex` what a record of
    /// format 2 stores (`personalHex` empty when there is no personal part), `erased` `"true"`
    /// for a record whose personal part was erased.
    static func render() -> String {
        var text = ""
        for (i, (name, event)) in events.enumerated() {
            let json = InterchangeJSON.line(event, seq: UInt64(i + 1))
            let (stored, personal) = EventCodec.split(event)
            text += "{\"name\":\(jsonString(name)),\"json\":\(jsonString(json)),\"payloadHex\":\"\(hex(EventCodec.encode(event)))\""
            text += ",\"storedHex\":\"\(hex(stored))\",\"personalHex\":\"\(event.isErased ? "" : hex(personal ?? []))\""
            if event.isErased { text += ",\"erased\":\"true\"" }
            text += "}\n"
        }
        return text
    }

    @Test func coversEveryKind() {
        #expect(Set(Self.events.map(\.1.kind)) == Set(EventKind.allCases))
        #expect(Self.events.contains { $0.1.isErased })
    }

    @Test func committedVectorsMatch() throws {
        let rendered = Self.render()
        if ProcessInfo.processInfo.environment["SMCC_REGENERATE_VECTORS"] == "1" {
            try rendered.write(to: Self.file, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(committed == rendered, "Schemas/vectors/events.ndjson differs; if the change is deliberate, rerun with SMCC_REGENERATE_VECTORS=1")
    }

    /// Reads the committed file as another implementation would: every payload decodes to the
    /// event its JSON line describes, and both re-encode to the committed bytes.
    @Test func committedVectorsDecodeBothWays() throws {
        let lines = try String(contentsOf: Self.file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Self.events.count)
        for (i, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            let json = try #require(object["json"])
            let payloadHex = try #require(object["payloadHex"])
            let payload = try #require(Self.bytes(fromHex: payloadHex))
            let storedHex = try #require(object["storedHex"])
            let personalHex = try #require(object["personalHex"])
            let stored = try #require(Self.bytes(fromHex: storedHex))
            let personalBytes = try #require(Self.bytes(fromHex: personalHex))
            let personal = personalBytes.isEmpty ? nil : personalBytes[...]
            let erased = object["erased"] == "true"
            let fromJSON = try NDJSONEventReader.parse(Array(json.utf8), file: "events.ndjson", line: i + 1)
            #expect(fromJSON.isErased == erased)
            let fromRecord = try EventCodec.decode(stored[...], personal: personal, erased: erased, at: fromJSON.at)
            #expect(fromJSON == fromRecord, "\(object["name"] ?? "")")
            let split = EventCodec.split(fromJSON)
            #expect(split.payload == stored)
            #expect(erased || split.personal ?? [] == personalBytes)
            #expect(InterchangeJSON.line(fromRecord, seq: UInt64(i + 1)) == json)
            if !erased {
                // The whole event in one payload (format 1) reads as the same event.
                let fromPayload = try EventCodec.decode(payload, at: fromJSON.at)
                #expect(fromJSON == fromPayload, "\(object["name"] ?? "")")
                #expect(EventCodec.encode(fromJSON) == payload)
            }
            for length in 0..<payload.count {
                #expect(throws: EventDecodingError.self) { try EventCodec.decode(payload[0..<length], at: fromJSON.at) }
            }
            for length in 0..<personalBytes.count {
                #expect(throws: EventDecodingError.self) {
                    try EventCodec.decode(stored[...], personal: personalBytes[0..<length], erased: false, at: fromJSON.at)
                }
            }
        }
    }

    /// `Schemas/vectors/check_vectors.py` decodes every payload with a decoder written from the
    /// spec alone, validates every line against `Schemas/events/event.schema.json`, and checks
    /// the line is what `json.dumps` prints.
    @Test(.enabled(if: Python.has("jsonschema"), "python3 with the jsonschema module not found: independent check skipped"))
    func independentPythonCheck() throws {
        let script = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
        let output = try Python.run(script, arguments: [Self.directory.appendingPathComponent("check_vectors.py").path])
        #expect(output.hasSuffix("ok\n"), "\(output)")
    }
}
