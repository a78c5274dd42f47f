import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The tokens file under concurrent `smcc token` commands, and who may read what.
@Suite(.serialized)
struct ServeTokenTests {
    /// Twenty concurrent issues store twenty tokens; revocations racing with issues are all kept;
    /// and a running server refuses every revoked token and takes every new one.
    @Test func concurrentIssuesAndRevocationsAreAllKept() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, _) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }

        let first = try Self.issuedConcurrently(log, 0..<20, in: scratch)
        #expect(first.count == 20)
        let listed = try runSmcc(["token", "list", log], in: scratch)
        #expect(listed.stdout.split(separator: "\n").filter { $0.contains("monitor:tool") }.count == 20, "\(listed)")

        // Ten revocations and ten more issues, all at once.
        let revoking = try (0..<10).map { try startSmcc(["token", "revoke", log, "monitor:tool\($0)"], in: scratch) }
        let second = try Self.issuedConcurrently(log, 20..<30, in: scratch)
        for child in revoking { let result = child.wait(); #expect(result.exited(0), "\(result)") }
        let after = try runSmcc(["token", "list", log], in: scratch).stdout.split(separator: "\n")
        #expect(after.filter { $0.contains("monitor:tool") }.count == 30, "\(after)")
        #expect(after.filter { $0.contains("monitor:tool") && $0.contains("revoked") }.count == 10, "\(after)")

        for (actor, token) in first.merging(second, uniquingKeysWith: { $0 + $1 }) {
            let number = Int(actor.dropFirst("monitor:tool".count))!
            let answer = try await Client(base: server.base, token: token).post("/v1/posts", postBody(1000 + number))
            #expect(answer.status == (number < 10 ? 401 : 200), "\(actor): \(answer)")
        }
        let file = try FileManager.default.attributesOfItem(atPath: log + "/tokens")
        #expect((file[.posixPermissions] as? Int) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: log).filter { $0.hasPrefix("tokens") && $0 != "tokens" && $0 != "tokens.lock" }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// Runs `smcc token issue LOG toolN --ingest` for each N at once; the tokens printed, by actor.
    static func issuedConcurrently(_ log: String, _ numbers: Range<Int>, in scratch: Scratch) throws -> [String: String] {
        let children = try numbers.map { try startSmcc(["token", "issue", log, "tool\($0)", "--ingest"], in: scratch) }
        var tokens: [String: String] = [:]
        for child in children {
            let result = child.wait()
            #expect(result.exited(0), "\(result)")
            let parts = result.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
            if parts.count == 2 { tokens[String(parts[0])] = String(parts[1]) }
        }
        return tokens
    }

    /// Reading needs an active volunteer: a token of someone who never joined reads nothing, and a
    /// volunteer who leaves loses their tokens.
    @Test func readsNeedAnActiveVolunteerAndLeavingRevokes() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let ana = Client(base: server.base, token: anaToken)
        #expect(try await ana.post("/v1/volunteers", #"{"volunteer":"vol:bob","name":"Bob","role":"ambassador"}"#).status == 200)
        let tokens = try issueTokens(log, ["vol:bob", "vol:ghost"], in: scratch)
        let bob = Client(base: server.base, token: tokens["vol:bob"]), ghost = Client(base: server.base, token: tokens["vol:ghost"])

        for path in ["/v1/events", "/v1/queues/triage", "/v1/stats", "/v1/audit/posts/twitter:1", "/metrics"] {
            let refused = try await ghost.get(path)
            #expect(refused.status == 403 && refused.code == "forbidden", "\(path): \(refused)")
            #expect(try await bob.get(path).status == 200, "\(path)")
        }
        // Bounded: were it not refused, it would be a stream that never ends.
        let stream = try runCurl(["-sS", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(tokens["vol:ghost"]!)",
                                  server.base + "/v1/events/stream"], in: scratch)
        #expect(stream.stdout.hasSuffix("\n403"), "\(stream)")

        #expect(try await ana.post("/v1/volunteers/vol:bob/leave").status == 200)
        let gone = try await bob.get("/v1/events")
        #expect(gone.status == 401, "\(gone)")
        let listed = try runSmcc(["token", "list", log], in: scratch)
        #expect(listed.stdout.split(separator: "\n").contains { $0.contains("vol:bob") && $0.contains("revoked") }, "\(listed)")
    }

    /// A damaged line of the tokens file fails closed for that line only, and no answer names the
    /// file or its directory.
    @Test func aDamagedTokenLineFailsClosedForThatLineOnly() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let monitorToken = try #require(try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        var text = try String(contentsOfFile: log + "/tokens", encoding: .utf8)
        // The monitor's revocation field damaged, and a line that is no entry at all.
        let lines = text.split(separator: "\n").map { line in
            line.contains("monitor:tweets") ? line.replacingOccurrences(of: " -", with: " yesterday") : String(line)
        }
        text = lines.joined(separator: "\n") + "\nnot a token line\n"
        try text.write(toFile: log + "/tokens", atomically: false, encoding: .utf8)

        let ana = try await Client(base: server.base, token: anaToken).get("/v1/queues/mine")
        #expect(ana.status == 200, "\(ana)")
        let monitor = try await Client(base: server.base, token: monitorToken).post("/v1/posts", postBody(1))
        #expect(monitor.status == 401, "\(monitor)")
        for answer in [ana, monitor] { #expect(!answer.text.contains(scratch.path), "\(answer)") }
    }
}
