import Foundation
import Testing

/// What the hash chain does not cover — the indexes, the time index — changed behind smcc's back
/// (with Python, from log-format.md alone): `smcc verify` and the reader name it, and the answers
/// read from them (audit, `--at`) never show what the events do not say.
struct DerivedTamperingTests {
    /// A simulated conference (volunteers, roles, posts, replies) with the tamper script beside it,
    /// and an untouched copy to compare answers with.
    struct Fixture {
        var scratch: Scratch
        var log: String
        var pristine: String
        var script: String

        init() throws {
            scratch = Scratch()
            try requirePython(in: scratch)
            log = scratch.child("log")
            let simulated = try runSmcc(["simulate", log, "--posts", "400", "--seed", "7"], in: scratch)
            try #require(simulated.exited(0), "\(simulated)")
            pristine = scratch.child("pristine")
            try FileManager.default.copyItem(atPath: log, toPath: pristine)
            script = try scratch.write("tamper.py", tamperScript)
            let clean = try runSmcc(["verify", log], in: scratch)
            try #require(clean.exited(0), "the untouched log must verify: \(clean)")
        }

        @discardableResult
        func tamper(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let result = try runPython([script, log] + arguments, in: scratch)
            try #require(result.exited(0), "tamper.py \(arguments) failed: \(result)", sourceLocation: sourceLocation)
            return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], sourceLocation: sourceLocation)
        }

        /// `smcc verify` and `smcc_read.py --verify` both exit 1 naming `seq`, and mention `what`.
        func expectBothFail(at seq: Int, mentioning what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let smcc = try runSmcc(["verify", log], in: scratch)
            #expect(smcc.exited(1), "\(smcc)", sourceLocation: sourceLocation)
            #expect(failedSeq(smcc.stdout) == UInt64(seq), "smcc verify should name seq \(seq): \(smcc)", sourceLocation: sourceLocation)
            #expect(smcc.stdout.contains(what), "\(smcc)", sourceLocation: sourceLocation)
            let python = try runPython([Paths.reader, log, "--verify"], in: scratch)
            #expect(python.exited(1), "\(python)", sourceLocation: sourceLocation)
            #expect(failedSeq(python.stdout) == UInt64(seq), "smcc_read.py should name seq \(seq): \(python)", sourceLocation: sourceLocation)
        }

        func json(_ arguments: [String], log path: String? = nil) throws -> [String: Any] {
            let result = try runSmcc(arguments.map { $0 == "LOG" ? (path ?? log) : $0 }, in: scratch)
            try #require(result.exited(0), "\(result)")
            return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        }
    }

    /// ix:post of one post made to list another post's events: verify names the first seq where
    /// they differ; `audit --post` shows none of the other post's events.
    @Test func aPostIndexPointingAtAnotherPostIsCaught() throws {
        let fixture = try Fixture()
        let done = try fixture.tamper(["ixcopy", "post"])
        let victimSeqs = try #require(done["victimSeqs"] as? [Int])
        let sourceSeqs = try #require(done["sourceSeqs"] as? [Int])
        try fixture.expectBothFail(at: zip(victimSeqs, sourceSeqs).first { $0 != $1 }.map { min($0, $1) } ?? min(victimSeqs[0], sourceSeqs[0]),
                                   mentioning: "index post")
        let post = try #require(done["victimPost"] as? String)
        let audit = try fixture.json(["audit", "LOG", "--post", post, "--json"])
        let entries = try #require(audit["entries"] as? [[String: Any]])
        for entry in entries {
            let event = try #require(entry["event"] as? [String: Any])
            #expect(event["post"] as? String == post, "audit --post \(post) showed \(event)")
        }
    }

    /// Every other action of a volunteer dropped from ix:actor: verify names the first one dropped.
    @Test func actionsDroppedFromTheActorIndexAreCaught() throws {
        let fixture = try Fixture()
        let done = try fixture.tamper(["ixdrop", "actor", "vol:ana"])
        let dropped = try #require(done["dropped"] as? [Int])
        try #require(!dropped.isEmpty)
        try fixture.expectBothFail(at: dropped[0], mentioning: "index actor")
    }

    /// ix:role of an ambassador made to list a coordinator's role events: verify names it, and
    /// audit still shows her role from her own events, never the coordinator's.
    @Test func aRoleIndexBorrowedFromACoordinatorIsCaught() throws {
        let fixture = try Fixture()
        let done = try fixture.tamper(["ixpoint", "role", "vol:ana", "vol:mia"])
        let seqs = try #require(done["seqs"] as? [Int])
        let old = try #require(done["old"] as? [Int])
        try fixture.expectBothFail(at: min(seqs[0], old[0]), mentioning: "index role")
        let audit = try fixture.json(["audit", "LOG", "--volunteer", "vol:ana", "--json"])
        let roles = Set((audit["entries"] as? [[String: Any]] ?? []).map { $0["role"] as? String ?? "none" })
        #expect(!roles.contains("coordinator"), "vol:ana shown as a coordinator: \(roles)")
    }

    /// A chunk's time index entry moved ten chunks later: verify names the chunk, and `queues
    /// --at` still answers from the events' own times (the same seq as on the untouched copy).
    @Test func aMovedTimeIndexEntryIsCaughtAndIgnoredByAt() throws {
        let fixture = try Fixture()
        let done = try fixture.tamper(["timeshift", "321"])
        try fixture.expectBothFail(at: 321, mentioning: "time index")
        let time = try #require(done["time"] as? Int)
        let movedTo = try #require(done["movedTo"] as? Int)
        for instant in [time, time + 1, (time + movedTo) / 2, movedTo - 1, movedTo] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let at = formatter.string(from: Date(timeIntervalSince1970: Double(instant) / 1000))
            let tampered = try fixture.json(["queues", "LOG", "--at", at, "--json", "--no-snapshots"])
            let untouched = try fixture.json(["queues", "LOG", "--at", at, "--json", "--no-snapshots"], log: fixture.pristine)
            #expect(tampered["seq"] as? Int == untouched["seq"] as? Int, "queues --at \(at)")
        }
    }
}
