import Foundation
import Testing

/// `smcc erase` and `smcc upgrade` (`Schemas/log-format.md` §10–§11): a person's posts leave every
/// file of the log directory while the chain, earlier heads and every figure that reads no text
/// stay as they were; a killed erasure leaves the old log or the erased one; a log of format 1
/// is refused with the command that upgrades it, and upgrades.
@Suite(.serialized)
struct ErasureTests {
    static let handle = "zoe_erasable"

    /// A log past dictionary training whose person to erase, `zoe_erasable`, wrote four posts
    /// (the first among the records the dictionary is trained on), was answered and noted about
    /// by the desk in texts that quote her, was reposted by `kim` and mentioned by `sam`.
    struct PersonLog {
        var path: String
        /// Byte strings that are hers and must leave the disk: her texts, the desk's texts about
        /// her posts, the repost of her text.
        var hers: [String]
        /// Her first text: trained into the log's first dictionary.
        var trained: String
        var herPosts: [String]
        var mentioningPost: String
    }

    static func personLog(in scratch: Scratch, name: String = "log", at location: String? = nil) throws -> PersonLog {
        var random = SplitMix64(seed: 17)
        let start = Int64(Date().timeIntervalSince1970 * 1000) - 2 * 86_400_000
        var at = start
        var events: [Interchange.Event] = []
        func add(_ actor: String, _ kind: String, _ fields: [(String, Interchange.Value)]) {
            at += 1_000 + Int64(random.below(4_000))
            events.append(Interchange.Event(at: at, actor: actor, kind: kind, fields: fields))
        }
        func post(_ id: String, by author: String, _ text: String, mentions: [String] = [], repost: Bool = false) {
            var fields: [(String, Interchange.Value)] = [
                ("post", .string(id)), ("channel", .string("twitter")), ("author", .string(author)), ("text", .string(text)),
                ("hashtags", .strings(["pivotcon"])), ("mentions", .strings(mentions)), ("postedAt", .string(Interchange.rfc3339(at - 20_000))),
            ]
            if repost { fields.append(("isRepost", .yes)) }
            add("import:ndjson", "postReceived", fields)
        }
        add("system", "volunteerJoined", [("volunteer", .string("vol:ana")), ("name", .string("Ana")), ("role", .string("coordinator"))])
        add("vol:ana", "volunteerJoined", [("volunteer", .string("vol:ben")), ("name", .string("Ben")), ("role", .string("ambassador"))])
        var hers: [String] = []
        var herPosts: [String] = []
        let topics = ["the keynote room", "the wifi in hall B", "badge pickup", "the coffee queue", "the swift workshop", "lunch"]
        for i in 0..<1300 {
            let id = "twitter:\(1_000_000 + i)"
            if [2, 150, 420, 690].contains(i) {
                let secret = "Zoë here, flight QX\(100 + i) is late, call me on +33 6 \(random.below(90_000_000) + 10_000_000)"
                post(id, by: Self.handle, secret)
                hers.append(secret)
                herPosts.append(id)
                add("vol:ana", "postAssigned", [("post", .string(id)), ("to", .string("vol:ben"))])
                let reply = "Sorry Zoë, QX\(100 + i) lands at \(random.below(12)):\(10 + random.below(50)), we will keep your seat"
                add("vol:ben", "replied", [("post", .string(id)), ("text", .string(reply))])
                let note = "Zoë called twice about QX\(100 + i), lives at \(random.below(200)) rue Oberkampf"
                add("vol:ben", "noteAdded", [("post", .string(id)), ("text", .string(note))])
                add("vol:ben", "postResolved", [("post", .string(id)), ("outcome", .string("answered"))])
                hers += [reply, note]
                if i == 150 {
                    let repost = "RT @\(Self.handle): \(secret)"
                    post("twitter:\(2_000_000 + i)", by: "kim", repost, mentions: [Self.handle], repost: true)
                    hers.append(repost)
                }
                continue
            }
            post(id, by: "user\(i % 97)", "Where is \(topics[i % topics.count])? asking for a friend (#\(i))")
            if i % 3 == 0 {
                add("vol:ana", "postAssigned", [("post", .string(id)), ("to", .string("vol:ben"))])
                add("vol:ben", "replied", [("post", .string(id)), ("text", .string("It is on level \(i % 4), see the map"))])
                add("vol:ben", "postResolved", [("post", .string(id)), ("outcome", .string("answered"))])
            }
        }
        let mentioning = "twitter:3000000"
        post(mentioning, by: "sam", "@\(Self.handle) see you at the closing party", mentions: [Self.handle])
        let file = try scratch.write("\(name).ndjson", Interchange.text(events))
        let log = location ?? scratch.child(name)
        try initLog(log, in: scratch)
        try importFiles(log, [file], in: scratch)
        return PersonLog(path: log, hers: hers, trained: hers[0], herPosts: herPosts, mentioningPost: mentioning)
    }

    /// For each of `texts`, the files under `directory` that hold one of its 16-byte pieces
    /// (of its UTF-8), leaving out pieces that also occur in `kept` (what stays in the log): a
    /// zstd frame or dictionary holds fragments of a text, not always the whole of it.
    static func piecesOnDisk(of texts: [String], keeping kept: String, under directory: String, in scratch: Scratch) throws -> [String: [String]] {
        let input = try scratch.write("pieces.json", try JSONSerialization.data(withJSONObject: ["texts": texts, "kept": kept]))
        let script = """
            import json, os, sys
            spec = json.load(open(sys.argv[1], encoding="utf-8"))
            kept = spec["kept"].encode()
            files = {}
            for root, _, names in os.walk(sys.argv[2]):
                for name in names:
                    path = os.path.join(root, name)
                    files[os.path.relpath(path, sys.argv[2])] = open(path, "rb").read()
            found = {}
            for text in spec["texts"]:
                raw = text.encode()
                pieces = {raw[i:i + 16] for i in range(max(1, len(raw) - 15))} - {p for p in [raw[i:i + 16] for i in range(len(raw))] if p in kept}
                holding = sorted(name for name, data in files.items() if any(p in data for p in pieces))
                if holding:
                    found[text] = holding
            print(json.dumps(found))
            """
        let result = try runPython(["-c", script, input, directory], in: scratch)
        try #require(result.exited(0), "\(result)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: [String]])
    }

    /// Every file under `directory` that holds `needle` (its UTF-8 bytes).
    static func filesHolding(_ needle: String, under directory: String) throws -> [String] {
        let bytes = Data(needle.utf8)
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let name = enumerator?.nextObject() as? String {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if try Data(contentsOf: URL(fileURLWithPath: path)).range(of: bytes) != nil { found.append(name) }
        }
        return found
    }

    static func json(_ result: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result)")
    }

    /// `smcc stats --json` without `events`, which counts the erasure's own event, and with the
    /// conversation's figures that name nobody: its totals, minutes, hashtags and reply delays
    /// (its accounts are what an erasure takes away).
    static func stats(_ log: String, in scratch: Scratch) throws -> NSDictionary {
        let result = try runSmcc(["stats", log, "--json"], in: scratch)
        try #require(result.exited(0), "\(result)")
        var object = try json(result)
        object["events"] = nil
        if var conversation = object["conversation"] as? [String: Any] {
            for key in ["authors", "topAuthors", "topMentioned", "topPosts"] { conversation[key] = nil }
            object["conversation"] = conversation
        }
        return object as NSDictionary
    }

    /// The conversation's distinct authors in `smcc stats --json`.
    static func authors(_ log: String, in scratch: Scratch) throws -> Int? {
        let result = try runSmcc(["stats", log, "--json"], in: scratch)
        return ((try json(result)["conversation"] as? [String: Any])?["authors"] as? NSNumber)?.intValue
    }

    @Test func erasingAPersonKeepsTheProofAndLeavesNoByteOfHers() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        let person = try Self.personLog(in: scratch)
        let log = person.path
        let headBefore = try #require(try info(log, in: scratch).head)
        let statsBefore = try Self.stats(log, in: scratch)
        let authorsBefore = try #require(try Self.authors(log, in: scratch))
        let exportBefore = String(decoding: try export(log, in: scratch), as: UTF8.self)
        var kept = try String(contentsOfFile: scratch.child("log.ndjson"), encoding: .utf8)
        for text in person.hers { kept = kept.replacingOccurrences(of: text, with: "") }
        // The search below can fail: before the erasure pieces of her texts are on disk, among
        // them pieces of her first text in the dictionary trained on it.
        let before = try Self.piecesOnDisk(of: person.hers, keeping: kept, under: log, in: scratch)
        #expect(before[person.trained] != nil, "no piece of her trained text on disk before the erasure: the check below proves nothing (\(before))")
        #expect(before.count == person.hers.count, "\(before.count) of \(person.hers.count) texts found before the erasure")

        let erased = try runSmcc(["erase", log, "--author", "@Zoe_Erasable", "--reason", "request 2026-11-30", "--json"], in: scratch)
        #expect(erased.exited(0), "\(erased)")
        let outcome = try Self.json(erased)
        #expect(outcome["posts"] as? [String] == [person.herPosts[0], person.herPosts[1], "twitter:2000150", person.herPosts[2], person.herPosts[3]], "\(outcome)")
        // Her 4 posts and the repost, and for each of hers a reply and a note.
        #expect((outcome["records"] as? NSNumber)?.intValue == 5 + 8, "\(outcome)")
        #expect((outcome["postsStillMentioning"] as? NSNumber)?.intValue == 1, "\(outcome)")

        // The chain is the same chain: a head written down before still verifies, by smcc and by
        // the independent reader.
        let verify = try runSmcc(["verify", log, "--head", headBefore], in: scratch)
        #expect(verify.exited(0), "\(verify)")
        let pythonVerify = try runPython([Paths.reader, log, "--verify", "--head", headBefore], in: scratch)
        #expect(pythonVerify.exited(0), "\(pythonVerify)")
        #expect(try Self.stats(log, in: scratch) == statsBefore, "an erasure changed the statistics")
        // She and kim (whose only post was the repost of hers) are no longer among the authors.
        #expect(try Self.authors(log, in: scratch) == authorsBefore - 2)

        // What she wrote and what was written about her is gone from every file; sam's post that
        // mentions her is sam's and stays.
        let after = try Self.piecesOnDisk(of: person.hers, keeping: kept, under: log, in: scratch)
        #expect(after.isEmpty, "pieces still on disk after the erasure: \(after)")
        let exportAfter = String(decoding: try export(log, in: scratch), as: UTF8.self)
        let read = try runPython([Paths.reader, log], in: scratch)
        #expect(read.exited(0) && read.stdout == exportAfter, "smcc_read.py and smcc export differ after the erasure")
        let linesBefore = lines(exportBefore), linesAfter = lines(exportAfter)
        try #require(linesAfter.count == linesBefore.count + 1, "\(linesBefore.count) lines before, \(linesAfter.count) after")
        for (before, after) in zip(linesBefore, linesAfter) where before != after {
            #expect(after.hasSuffix(#","erased":true}"#), "a line changed without being erased: \(after)")
        }
        #expect(linesAfter.filter { $0.hasSuffix(#","erased":true}"#) }.count == 13)
        #expect(linesAfter.last?.contains(#""kind":"personalDataErased","posts":["twitter:1000002""#) == true, "\(linesAfter.last ?? "")")
        #expect(exportAfter.contains(Self.handle), "sam's mention should stay without --with-mentions")
        let audit = try runSmcc(["audit", log, "--post", person.herPosts[0]], in: scratch)
        #expect(audit.exited(0) && audit.stdout.contains("erased") && !audit.stdout.contains("QX102"), "\(audit)")

        // With --with-mentions the handle itself leaves the disk; a third erasure finds nothing.
        let mentions = try runSmcc(["erase", log, "--author", Self.handle, "--with-mentions", "--json"], in: scratch)
        #expect(mentions.exited(0), "\(mentions)")
        #expect(try Self.json(mentions)["posts"] as? [String] == [person.mentioningPost], "\(mentions)")
        #expect(try Self.filesHolding(Self.handle, under: log).isEmpty, "the handle is still on disk")
        // sam's post is still in triage, shown as erased.
        let queues = try runSmcc(["queues", log, "--json"], in: scratch)
        let triage = try #require(try Self.json(queues)["triage"] as? [[String: Any]], "\(queues)")
        let samsPost = try #require(triage.first { $0["post"] as? String == person.mentioningPost }, "\(queues)")
        #expect(samsPost["erased"] as? Bool == true && samsPost["author"] as? String == "", "\(samsPost)")
        #expect(triage.filter { $0["erased"] as? Bool == true }.count == 1)
        let queuesText = try runSmcc(["queues", log, "--limit", "100000"], in: scratch)
        #expect(queuesText.stdout.contains("\(person.mentioningPost)  ") && queuesText.stdout.contains("(erased)"), "\(queuesText)")
        #expect(try Self.filesHolding("zoe_erasable".uppercased(), under: log).isEmpty)
        let headAfter = try #require(try info(log, in: scratch).head)
        let dataAfter = try Data(contentsOf: URL(fileURLWithPath: log + "/data.mdb"))
        let again = try runSmcc(["erase", log, "--author", Self.handle, "--with-mentions", "--json"], in: scratch)
        #expect(again.exited(0), "\(again)")
        let nothing = try Self.json(again)
        #expect(nothing["posts"] as? [String] == [] && nothing["erasureSeq"] is NSNull, "\(again)")
        #expect(try info(log, in: scratch).head == headAfter)
        #expect(try Data(contentsOf: URL(fileURLWithPath: log + "/data.mdb")) == dataAfter, "erasing nothing rewrote the log")
        #expect(try runSmcc(["verify", log, "--head", headBefore], in: scratch).exited(0))
        #expect(try Self.stats(log, in: scratch) == statsBefore)
    }

    /// An export of an erased log imports into a new log that reads the same (the erased records
    /// arrive erased), and a post id that is not in the log is a clear error that changes nothing.
    @Test func anErasedExportRoundTripsAndAnUnknownPostIsAnError() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let person = try Self.personLog(in: scratch)
        let unknown = try runSmcc(["erase", person.path, "--post", "twitter:42"], in: scratch)
        #expect(unknown.exited(1) || unknown.exited(2), "\(unknown)")
        #expect(unknown.stderr.contains("twitter:42") && lines(unknown.stderr).count == 1, "\(unknown)")
        let one = try runSmcc(["erase", person.path, "--post", person.herPosts[1]], in: scratch)
        #expect(one.exited(0), "\(one)")
        let exported = try export(person.path, in: scratch)
        let file = try scratch.write("erased.ndjson", exported)
        let copy = scratch.child("copy")
        try initLog(copy, in: scratch)
        try importFiles(copy, [file], in: scratch)
        #expect(try export(copy, in: scratch) == exported)
        #expect(try runSmcc(["verify", copy], in: scratch).exited(0))
    }

    /// SIGKILL at many moments of an erasure: each time the log verifies against the head taken
    /// before, and holds either all of her data and no erasure event, or none and the event.
    @Test func aKilledErasureLeavesTheOldLogOrTheErasedOne() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let person = try Self.personLog(in: scratch)
        let log = person.path
        let headBefore = try #require(try info(log, in: scratch).head)
        var outcomes: [String: Int] = [:]
        for round in 0..<12 {
            let erasing = try startSmcc(["erase", log, "--author", Self.handle], in: scratch)
            usleep(useconds_t(round * 40_000))
            erasing.kill()
            let ended = erasing.wait()
            let verify = try runSmcc(["verify", log, "--head", headBefore], in: scratch)
            #expect(verify.exited(0), "round \(round): \(verify)")
            let exported = String(decoding: try export(log, in: scratch), as: UTF8.self)
            let erasureEvents = exported.components(separatedBy: #""kind":"personalDataErased""#).count - 1
            let textsLeft = person.hers.filter { exported.contains($0) }.count
            let onDisk = try person.hers.filter { try !Self.filesHolding($0, under: log).isEmpty }.count
            if erasureEvents == 0 {
                #expect(textsLeft == person.hers.count, "round \(round): half erased, no erasure event")
                outcomes["old", default: 0] += 1
            } else {
                #expect(erasureEvents == 1 && textsLeft == 0 && onDisk == 0, "round \(round): \(erasureEvents) erasure events, \(textsLeft) texts left, \(onDisk) on disk")
                outcomes[ended.signaled ? "erased, then killed" : "erased", default: 0] += 1
                break
            }
        }
        // Once more, whole: it erases what is left (if every kill came before the swap) and
        // clears what a killed erasure left behind.
        #expect(try runSmcc(["erase", log, "--author", Self.handle], in: scratch).exited(0))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: log).filter { $0.hasPrefix(".rewrite-") }
        #expect(leftovers.isEmpty, "a killed rewrite's directory outlived the next erasure: \(leftovers)")
        var kept = try String(contentsOfFile: scratch.child("log.ndjson"), encoding: .utf8)
        for text in person.hers { kept = kept.replacingOccurrences(of: text, with: "") }
        let left = try Self.piecesOnDisk(of: person.hers, keeping: kept, under: log, in: scratch)
        #expect(left.isEmpty, "pieces on disk after the erasure: \(left)")
        #expect(try runSmcc(["verify", log, "--head", headBefore], in: scratch).exited(0))
        #expect(outcomes["old", default: 0] >= 1, "no kill landed before the swap: \(outcomes)")
    }

    /// A log of format 1 (written by the independent writer) is refused with the command that
    /// upgrades it; `smcc upgrade` keeps every event, records the old head and verifies.
    @Test func aFormatOneLogIsRefusedThenUpgraded() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        let log = scratch.child("old")
        let made = try runPython([Paths.repository.appendingPathComponent("Tools/tests/make_sample_log.py").path, log, "--format", "1"], in: scratch)
        try #require(made.exited(0), "\(made)")
        let oldExport = try runPython([Paths.reader, log], in: scratch)
        try #require(oldExport.exited(0), "\(oldExport)")
        let oldHead = try #require(verifiedHead(try runPython([Paths.reader, log, "--verify"], in: scratch).stdout))

        for command in [["verify", log], ["export", log], ["stats", log]] {
            let refused = try runSmcc(command, in: scratch)
            #expect(refused.exited(2) || refused.exited(1), "\(command): \(refused)")
            #expect(refused.stderr.contains("smcc upgrade"), "\(command) does not name the upgrade: \(refused)")
        }
        let upgraded = try runSmcc(["upgrade", log], in: scratch)
        #expect(upgraded.exited(0), "\(upgraded)")
        #expect(try runSmcc(["verify", log], in: scratch).exited(0))
        let newExport = String(decoding: try export(log, in: scratch), as: UTF8.self)
        let newLines = lines(newExport), oldLines = lines(oldExport.stdout)
        #expect(newLines.count == oldLines.count + 1, "\(oldLines.count) events before the upgrade, \(newLines.count) after")
        let changed = oldLines.indices.first { $0 < newLines.count && newLines[$0] != oldLines[$0] }
        #expect(changed == nil, "the upgrade changed event \(changed.map { $0 + 1 } ?? 0)")
        #expect(newLines.last?.contains(#""kind":"logUpgraded","fromFormat":"smcc-log 1","previousHead":"\#(oldHead)""#) == true, "\(newLines.last ?? "")")
        let python = try runPython([Paths.reader, log, "--verify"], in: scratch)
        #expect(python.exited(0), "\(python)")
        let twice = try runSmcc(["upgrade", log], in: scratch)
        #expect(!twice.exited(0) && twice.stderr.contains("smcc-log 2"), "\(twice)")
    }
}

/// `POST /v1/erasures` on a running `smcc serve`: only a coordinator erases; the server goes on
/// serving from the erased log, and nothing it answers afterwards holds what was erased.
@Suite(.serialized)
struct ServeErasureTests {
    @Test func aCoordinatorErasesWhileTheServerServes() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        let ana = Client(base: server.base, token: anaToken)
        let monitor = Client(base: server.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        #expect(try await ana.post("/v1/volunteers", #"{"volunteer":"vol:bob","name":"Bob","role":"streamMonitor"}"#).status == 200)
        let bob = Client(base: server.base, token: try issueTokens(log, ["vol:bob"], in: scratch)["vol:bob"])
        let secret = "my flight QX417 lands late, call +33 6 12 34 56 78"
        let hers = #"{"post":"twitter:7","channel":"twitter","author":"Zoe_Erasable","text":"\#(secret)","hashtags":["askpivot"],"mentions":[],"postedAt":"\#(recentTime())"}"#
        #expect(try await monitor.post("/v1/posts", hers).status == 200)
        #expect(try await monitor.post("/v1/posts", postBody(8)).status == 200)
        #expect(try await ana.post("/v1/posts/twitter:7/notes", #"{"text":"Zoe called about QX417"}"#).status == 200)
        let triageBefore = try await bob.get("/v1/queues/triage")
        #expect(triageBefore.text.contains("QX417"), "\(triageBefore)")
        let headBefore = try #require((try await Client(base: server.base).get("/health")).json["head"] as? Int)

        // Who may: a coordinator; what: exactly one of author or post, a post the log has.
        let refused = try await bob.post("/v1/erasures", #"{"author":"zoe_erasable"}"#)
        #expect(refused.status == 403 && refused.code == "forbidden", "\(refused)")
        #expect(try await monitor.post("/v1/erasures", #"{"author":"zoe_erasable"}"#).status == 403)
        #expect(try await ana.post("/v1/erasures", #"{"author":"a","post":"twitter:7"}"#).status == 400)
        #expect(try await ana.post("/v1/erasures", "{}").status == 400)
        let unknown = try await ana.post("/v1/erasures", #"{"post":"twitter:404"}"#)
        #expect(unknown.status == 404 && unknown.code == "notFound", "\(unknown)")

        let erased = try await ana.post("/v1/erasures", #"{"author":"@zoe_erasable","reason":"request 12"}"#)
        #expect(erased.status == 200, "\(erased)")
        #expect(erased.json["posts"] as? [String] == ["twitter:7"] && erased.json["records"] as? Int == 2, "\(erased)")
        let erasureSeq = try #require(erased.json["erasureSeq"] as? Int, "\(erased)")
        #expect(erasureSeq == headBefore + 1)

        // The server answers from the erased log: the queue, the post, its history, the events.
        let triage = try await bob.get("/v1/queues/triage")
        #expect(triage.status == 200 && !triage.text.contains("QX417") && !triage.text.contains("Zoe_Erasable"), "\(triage)")
        let events = try await ana.get("/v1/events")
        #expect(events.status == 200 && !events.text.contains("QX417") && events.text.contains(#""erased":true"#), "\(events)")
        let history = try await ana.get("/v1/audit/posts/twitter:7")
        #expect(history.status == 200 && !history.text.contains("QX417"), "\(history)")
        // And goes on: a new post is taken and claimed.
        #expect(try await monitor.post("/v1/posts", postBody(9)).status == 200)
        #expect(try await bob.post("/v1/volunteers/vol:bob/shift/start").status == 200)
        #expect(try await bob.post("/v1/posts/twitter:9/assign", #"{"to":"vol:bob"}"#).status == 200)
        let again = try await ana.post("/v1/erasures", #"{"author":"zoe_erasable"}"#)
        #expect(again.status == 200 && again.json["posts"] as? [String] == [] && again.json["erasureSeq"] is NSNull, "\(again)")
        #expect(server.stop().exited(0))

        let verify = try runSmcc(["verify", log], in: scratch)
        #expect(verify.exited(0), "\(verify)")
        #expect(try ErasureTests.filesHolding("QX417", under: log).isEmpty, "the erased text is still on disk")
        #expect(try ErasureTests.filesHolding("Zoe_Erasable", under: log).isEmpty, "the erased handle is still on disk")
    }
}
