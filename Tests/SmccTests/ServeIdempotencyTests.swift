import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `Idempotency-Key`: a retry answers the same events again; a key reused for any other request
/// (another path, another body) is 422 and does nothing; the keys the server keeps for a command's
/// later events never meet a client's own keys.
@Suite(.serialized)
struct ServeIdempotencyTests {
    @Test func aKeyAnswersOnlyTheRequestItWasFirstUsedFor() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let ana = Client(base: server.base, token: anaToken)
        let monitor = Client(base: server.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        _ = try await monitor.post("/v1/posts", postBody(1))
        for volunteer in ["vol:bob", "vol:cat", "vol:dan"] {
            #expect(try await ana.post("/v1/volunteers", #"{"volunteer":"\#(volunteer)","name":"V","role":"ambassador"}"#).status == 200)
            #expect(try await ana.post("/v1/volunteers/\(volunteer)/shift/start").status == 200)
        }

        // A leave appends two events (shiftEnded, volunteerLeft) under key K; the client's own K#1
        // is another key, for another request.
        let leave = try await ana.post("/v1/volunteers/vol:bob/leave", headers: ["Idempotency-Key": "K"])
        #expect(leave.status == 200 && leave.seqs.count == 2, "\(leave)")
        let note = try await ana.post("/v1/posts/twitter:1/notes", #"{"text":"mine"}"#, headers: ["Idempotency-Key": "K#1"])
        #expect(note.status == 200 && note.header("Idempotent-Replayed") == nil && note.events.first?["kind"] as? String == "noteAdded", "\(note)")
        let retry = try await ana.post("/v1/volunteers/vol:bob/leave", headers: ["Idempotency-Key": "K"])
        #expect(retry.status == 200 && retry.seqs == leave.seqs && retry.header("Idempotent-Replayed") == "true", "\(retry)")

        // The same key on another volunteer's removal is refused, and Cat stays.
        let other = try await ana.post("/v1/volunteers/vol:cat/leave", headers: ["Idempotency-Key": "K"])
        #expect(other.status == 422 && other.code == "idempotencyKeyReused", "\(other)")
        let cat = try await ana.get("/v1/audit/volunteers/vol:cat")
        #expect(!cat.text.contains("volunteerLeft"), "\(cat)")

        // Same path, another body; another shift command; the same body without a body change.
        #expect(try await ana.post("/v1/listening-rules", ##"{"rule":"#a"}"##, headers: ["Idempotency-Key": "R"]).status == 200)
        let otherRule = try await ana.post("/v1/listening-rules", ##"{"rule":"#b"}"##, headers: ["Idempotency-Key": "R"])
        #expect(otherRule.status == 422 && otherRule.code == "idempotencyKeyReused", "\(otherRule)")
        #expect(try await ana.post("/v1/volunteers/vol:cat/shift/end", headers: ["Idempotency-Key": "S"]).status == 200)
        let otherShift = try await ana.post("/v1/volunteers/vol:dan/shift/end", headers: ["Idempotency-Key": "S"])
        #expect(otherShift.status == 422, "\(otherShift)")
        let sameRule = try await ana.post("/v1/listening-rules", ##"{"rule":"#a"}"##, headers: ["Idempotency-Key": "R"])
        #expect(sameRule.status == 200 && sameRule.header("Idempotent-Replayed") == "true", "\(sameRule)")

        // Within one group commit too: twenty concurrent requests under one key, two bodies.
        let answers = try await withThrowingTaskGroup(of: Reply.self) { group in
            for index in 0..<20 {
                group.addTask { try await ana.post("/v1/posts/twitter:1/tags", #"{"tags":["t\#(index % 2)"]}"#, headers: ["Idempotency-Key": "T"]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let applied = Set(answers.filter { $0.status == 200 }.flatMap { $0.events.compactMap { ($0["tags"] as? [String])?.first } })
        #expect(applied.count == 1, "\(answers.map(\.description))")
        #expect(answers.allSatisfy { $0.status == 200 || $0.code == "idempotencyKeyReused" }, "\(answers.map(\.description))")
        #expect(answers.filter { $0.status == 422 }.count == 10, "\(answers.map(\.status))")

        // The keys survive a restart with the request they were used for.
        #expect(server.stop().exited(0))
        let again = try RunningServer(log: log, in: scratch)
        defer { _ = again.stop() }
        let afterRestart = Client(base: again.base, token: anaToken)
        #expect(try await afterRestart.post("/v1/listening-rules", ##"{"rule":"#b"}"##, headers: ["Idempotency-Key": "R"]).status == 422)
        #expect(try await afterRestart.post("/v1/listening-rules", ##"{"rule":"#a"}"##, headers: ["Idempotency-Key": "R"]).header("Idempotent-Replayed") == "true")
    }
}
