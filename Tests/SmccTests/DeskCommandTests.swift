import Foundation
import Testing

/// `smcc simulate`, `stats`, `queues`, `replay` end to end: determinism, the default conference's
/// figures, the documented JSON shapes, and time travel equal to a replay of the prefix.
@Suite(.serialized)
struct DeskCommandTests {
    func simulate(_ log: String, _ extra: [String], in scratch: Scratch) throws {
        let result = try runSmcc(["simulate", log] + extra, in: scratch)
        try #require(result.exited(0), "\(result)")
    }

    func json(_ args: [String], in scratch: Scratch) throws -> [String: Any] {
        let result = try runSmcc(args + ["--json"], in: scratch)
        try #require(result.exited(0), "\(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Validates `document` against `Schemas/cli/NAME.schema.json` with the real `jsonschema` package.
    func validate(_ document: String, schema name: String, in scratch: Scratch) throws {
        try requirePython(in: scratch)
        let schema = Paths.repository.appendingPathComponent("Schemas/cli/\(name).schema.json").path
        // The event schemas are registered so that a document may `$ref` them (audit entries do).
        let script = """
            import json, pathlib, sys, jsonschema, referencing
            resources = [(s["$id"], referencing.Resource.from_contents(s))
                         for s in (json.loads(p.read_text()) for p in pathlib.Path(sys.argv[2]).glob("*.schema.json"))]
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema, registry=referencing.Registry().with_resources(resources))
            errors = sorted(validator.iter_errors(json.load(sys.stdin)), key=str)
            for e in errors[:5]: print(list(e.absolute_path), e.message)
            sys.exit(1 if errors else 0)
            """
        let result = try runPython(["-c", script, schema, Paths.eventSchemas], stdin: Data(document.utf8), in: scratch)
        #expect(result.exited(0), "\(name): \(result)")
    }

    @Test func theSameSeedGivesTheSameBytes() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        for (name, seed) in [("a", "7"), ("b", "7"), ("c", "8")] {
            try simulate(scratch.child(name), ["--seed", seed, "--posts", "1500", "--days", "2"], in: scratch)
        }
        let a = try export(scratch.child("a"), in: scratch)
        #expect(a.count > 100_000)
        #expect(a == (try export(scratch.child("b"), in: scratch)))
        #expect(a != (try export(scratch.child("c"), in: scratch)))
        let verified = try runSmcc(["verify", scratch.child("a")], in: scratch)
        #expect(verified.exited(0), "\(verified)")
        // Simulating into a log that holds events is refused, appending nothing.
        let again = try runSmcc(["simulate", scratch.child("a"), "--posts", "10"], in: scratch)
        #expect(again.exited(2), "\(again)")
        #expect(try export(scratch.child("a"), in: scratch) == a)
    }

    @Test func theDefaultConferenceShowsItsFigures() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = scratch.child("log")
        try simulate(log, [], in: scratch)
        let stats = try runSmcc(["stats", log, "--by", "channel", "--by", "role", "--json"], in: scratch)
        try #require(stats.exited(0), "\(stats)")
        try validate(stats.stdout, schema: "stats", in: scratch)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        let firstResponse = try #require(document["firstResponse"] as? [String: Any])
        let inbound = try #require(firstResponse["posts"] as? Int)
        let reposts = try #require(document["repostsExcluded"] as? Int)
        #expect(inbound + reposts == 25_000)
        let twitter = try #require((document["channelShare"] as? [String: Any])?["twitter"] as? Double)
        #expect(abs(twitter - 0.89) < 0.015, "twitter share \(twitter)")
        let roles = try #require((document["by"] as? [String: Any])?["role"] as? [String: Any])
        #expect(roles["ambassador"] != nil)
        let emerging = try #require((document["hashtags"] as? [String: Any])?["emerging"] as? [[String: Any]])
        let tags = Set(emerging.compactMap { $0["tag"] as? String })
        #expect(tags.isSuperset(of: ["wifidown", "hallbflood"]), "emerging: \(tags)")
        #expect(emerging.filter { tags.contains($0["tag"] as? String ?? "") && $0["secondsToRule"] is Double }.count >= 2)

        let queues = try runSmcc(["queues", log, "--json"], in: scratch)
        try #require(queues.exited(0), "\(queues)")
        try validate(queues.stdout, schema: "queues", in: scratch)

        // The audit of an answered post, in the documented shape, with the responder's role.
        let answered = try #require(lines(String(decoding: try export(log, in: scratch), as: UTF8.self)).first { $0.contains("\"kind\":\"replied\"") })
        let post = try #require((try JSONSerialization.jsonObject(with: Data(answered.utf8)) as? [String: Any])?["post"] as? String)
        let audit = try runSmcc(["audit", log, "--post", post, "--json"], in: scratch)
        try #require(audit.exited(0), "\(audit)")
        try validate(audit.stdout, schema: "audit", in: scratch)
        let entries = try #require((try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]])
        let reply = try #require(entries.first { ($0["event"] as? [String: Any])?["kind"] as? String == "replied" })
        #expect(["ambassador", "coordinator"].contains(reply["role"] as? String ?? ""), "\(reply)")

        let replay = try runSmcc(["replay", log], in: scratch)
        #expect(replay.exited(0), "\(replay)")
        #expect(replay.stdout.contains("emerging           #wifidown"), "\(replay.stdout)")
    }

    /// `--at T` is the state after every event up to T and none after: the same as a log holding
    /// only that prefix.
    @Test func timeTravelEqualsAReplayOfThePrefix() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = scratch.child("log")
        try simulate(log, ["--posts", "3000", "--seed", "3"], in: scratch)
        let exported = String(decoding: try export(log, in: scratch), as: UTF8.self)
        let all = lines(exported)
        for fraction in [0.2, 0.55] {
            // An instant between two events, and one exactly at an event.
            let pivot = all[Int(Double(all.count) * fraction)]
            let at = try #require((try JSONSerialization.jsonObject(with: Data(pivot.utf8)) as? [String: Any])?["at"] as? String)
            let prefix = all.filter { line in
                let time = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["at"] as? String ?? ""
                return time <= at
            }
            let prefixLog = scratch.child("prefix-\(fraction)")
            try initLog(prefixLog, in: scratch)
            try importFiles(prefixLog, [try scratch.write("prefix-\(fraction).ndjson", prefix.joined(separator: "\n") + "\n")], in: scratch)

            for command in [["stats", "--by", "role", "--by", "hour"], ["queues"]] {
                var travelled = try json([command[0], log] + command.dropFirst() + ["--at", at], in: scratch)
                var replayed = try json([command[0], prefixLog] + command.dropFirst(), in: scratch)
                travelled["at"] = nil
                replayed["at"] = nil
                #expect(NSDictionary(dictionary: travelled).isEqual(to: replayed), "\(command[0]) --at \(at) differs from a replay of the \(prefix.count) events up to it")
            }
        }
        let bad = try runSmcc(["queues", log, "--at", "noon"], in: scratch)
        #expect(bad.exited(2) && bad.stderr.contains("--at"), "\(bad)")
    }
}
