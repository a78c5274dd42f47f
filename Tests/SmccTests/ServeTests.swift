import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `smcc serve` end to end: the real binary on a loopback port, a real log, real tokens.
@Suite(.serialized)
struct ServeTests {
    @Test func everyEndpointAndPermissionRule() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        let base = server.base
        let ana = Client(base: base, token: anaToken)
        let monitor = Client(base: base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])

        // Health needs no token; everything else does.
        let health = try await Client(base: base).get("/health")
        #expect(health.status == 200 && health.json["head"] as? Int == 1, "\(health)")
        for client in [Client(base: base), Client(base: base, token: "smcc_0000")] {
            let refused = try await client.get("/v1/queues/triage")
            #expect(refused.status == 401 && refused.code == "unauthorized" && refused.header("Content-Type") == "application/problem+json", "\(refused)")
            #expect(try await client.post("/v1/posts", postBody(1)).status == 401)
        }

        // Onboarding: only coordinators add volunteers.
        #expect(try await ana.post("/v1/volunteers", #"{"volunteer":"vol:bob","name":"Bob","role":"streamMonitor"}"#).status == 200)
        #expect(try await ana.post("/v1/volunteers", #"{"volunteer":"vol:cat","name":"Cat","role":"ambassador","team":"day"}"#).status == 200)
        let tokens = try issueTokens(log, ["vol:bob", "vol:cat"], in: scratch)
        let bob = Client(base: base, token: tokens["vol:bob"]), cat = Client(base: base, token: tokens["vol:cat"])
        let notCoordinator = try await bob.post("/v1/volunteers", #"{"volunteer":"vol:dan","name":"Dan","role":"photo"}"#)
        #expect(notCoordinator.status == 403 && notCoordinator.code == "forbidden", "\(notCoordinator)")

        // Ingest: the monitor pushes posts and can do nothing else; volunteers cannot push.
        let received = try await monitor.post("/v1/posts", postBody(1))
        #expect(received.status == 200 && received.events.first?["actor"] as? String == "monitor:tweets" && received.events.first?["kind"] as? String == "postReceived", "\(received)")
        let again = try await monitor.post("/v1/posts", postBody(1))
        #expect(again.status == 200 && again.events.isEmpty, "\(again)")
        #expect(try await monitor.get("/v1/queues/triage").status == 403)
        #expect(try await monitor.post("/v1/posts/twitter:1/notes", #"{"text":"x"}"#).status == 403)
        #expect(try await cat.post("/v1/posts", postBody(2)).status == 403)
        _ = try await monitor.post("/v1/posts", postBody(2))

        // Shifts: one's own, or a coordinator's doing.
        #expect(try await bob.post("/v1/volunteers/vol:bob/shift/start").status == 200)
        #expect(try await bob.post("/v1/volunteers/vol:cat/shift/start").status == 403)
        #expect(try await cat.post("/v1/volunteers/vol:cat/shift/start").status == 200)
        #expect(try await cat.post("/v1/volunteers/vol:cat/shift/start").code == "alreadyDone")

        // Assign: stream monitors and coordinators; the actor is the token's, whatever the body says.
        let triage = try await bob.get("/v1/queues/triage?limit=1")
        #expect(triage.status == 200 && triage.json["count"] as? Int == 2 && (triage.json["posts"] as? [Any])?.count == 1, "\(triage)")
        #expect(try await cat.post("/v1/posts/twitter:1/assign", #"{"to":"vol:cat"}"#).status == 403)
        let sneaky = try await bob.post("/v1/posts/twitter:1/assign", #"{"to":"vol:cat","actor":"vol:ana"}"#)
        #expect(sneaky.status == 400 && sneaky.code == "unknownField", "\(sneaky)")
        let assigned = try await bob.post("/v1/posts/twitter:1/assign", #"{"to":"vol:cat"}"#)
        #expect(assigned.status == 200 && assigned.events.first?["actor"] as? String == "vol:bob", "\(assigned)")
        let version = try #require(assigned.json["version"] as? Int)
        #expect(assigned.header("ETag") == "\"\(version)\"")
        #expect(try await bob.post("/v1/posts/twitter:404/assign", #"{"to":"vol:cat"}"#).status == 404)
        #expect(try await bob.post("/v1/posts/twitter:2/assign", #"{"to":"vol:ana"}"#).status == 409)  // not on shift

        let mine = try await cat.get("/v1/queues/mine")
        #expect(mine.json["volunteer"] as? String == "vol:cat" && (mine.json["posts"] as? [[String: Any]])?.first?["post"] as? String == "twitter:1", "\(mine)")
        let post = try await cat.get("/v1/posts/twitter:1")
        #expect(post.status == 200 && post.json["assignee"] as? String == "vol:cat" && post.header("ETag") == "\"\(version)\"", "\(post)")
        #expect(try await cat.get("/v1/posts/twitter:999").code == "notFound")

        // Reply: the assignee or a coordinator; If-Match must name the current version.
        #expect(try await bob.post("/v1/posts/twitter:1/reply", #"{"text":"at ten"}"#).status == 403)
        let stale = try await cat.post("/v1/posts/twitter:1/reply", #"{"text":"at ten"}"#, headers: ["If-Match": "\"\(version - 1)\""])
        #expect(stale.status == 412 && stale.code == "versionMismatch", "\(stale)")
        #expect(try await cat.post("/v1/posts/twitter:1/reply", #"{"text":"at ten"}"#, headers: ["If-Match": "\"\(version)\""]).status == 200)
        #expect(try await cat.post("/v1/posts/twitter:1/notes", #"{"text":"asked twice"}"#).status == 200)
        #expect(try await cat.post("/v1/posts/twitter:1/tags", #"{"tags":["schedule"]}"#).status == 200)

        // Escalations: to a coordinator; only coordinators resolve them.
        #expect(try await cat.post("/v1/posts/twitter:1/escalate", #"{"to":"vol:bob","reason":"press"}"#).status == 404)
        #expect(try await cat.post("/v1/posts/twitter:1/escalate", #"{"to":"vol:ana","reason":"press","priority":"high"}"#).status == 200)
        let escalations = try await ana.get("/v1/queues/escalations")
        #expect(escalations.json["count"] as? Int == 1, "\(escalations)")
        #expect(try await cat.post("/v1/posts/twitter:1/resolve", #"{"outcome":"answered"}"#).status == 409)  // escalation open
        #expect(try await cat.post("/v1/posts/twitter:1/resolve-escalation", "{}").status == 403)
        #expect(try await ana.post("/v1/posts/twitter:1/resolve-escalation", #"{"resolution":"answered by PR"}"#).status == 200)
        #expect(try await cat.post("/v1/posts/twitter:1/resolve", #"{"outcome":"answered"}"#).status == 200)
        #expect(try await cat.post("/v1/posts/twitter:1/resolve", #"{"outcome":"answered"}"#).code == "alreadyDone")
        #expect(try await bob.post("/v1/posts/twitter:2/assign", #"{"to":"vol:bob"}"#).status == 200)
        #expect(try await cat.post("/v1/posts/twitter:2/unassign", "{}").status == 403)
        #expect(try await bob.post("/v1/posts/twitter:2/unassign", #"{"reason":"busy"}"#).status == 200)

        // Roles, listening rules, publishing.
        #expect(try await bob.post("/v1/volunteers/vol:cat/role", #"{"role":"photo"}"#).status == 403)
        #expect(try await cat.post("/v1/published", #"{"post":"instagram:p1","channel":"instagram","text":"keynote"}"#).status == 403)
        #expect(try await ana.post("/v1/volunteers/vol:cat/role", #"{"role":"photo"}"#).status == 200)
        #expect(try await cat.post("/v1/published", #"{"post":"instagram:p1","channel":"instagram","text":"keynote"}"#).status == 200)
        #expect(try await cat.post("/v1/listening-rules", ##"{"rule":"#pivotlive"}"##).status == 403)
        #expect(try await ana.post("/v1/listening-rules", ##"{"rule":"#pivotlive"}"##).status == 200)
        #expect(try await ana.post("/v1/listening-rules", ##"{"rule":"#pivotlive"}"##).code == "alreadyDone")
        #expect(try await ana.post("/v1/listening-rules/remove", ##"{"rule":"#pivotlive"}"##).status == 200)

        // Reads: stats, audit, events.
        let stats = try await bob.get("/v1/stats")
        #expect(stats.status == 200 && (stats.json["firstResponse"] as? [String: Any])?["answered"] as? Int == 1, "\(stats)")
        let history = try await bob.get("/v1/audit/posts/twitter:1")
        let kinds = (history.json["entries"] as? [[String: Any]])?.compactMap { ($0["event"] as? [String: Any])?["kind"] as? String }
        #expect(kinds == ["postReceived", "postAssigned", "replied", "noteAdded", "postTagged", "escalated", "escalationResolved", "postResolved"], "\(history)")
        #expect(try await cat.get("/v1/audit/volunteers/vol:bob").status == 403)
        let bobsActions = try await ana.get("/v1/audit/volunteers/vol:bob")
        #expect((bobsActions.json["entries"] as? [[String: Any]])?.first?["role"] as? String == "streamMonitor", "\(bobsActions)")
        let page = try await bob.get("/v1/events?after=1&limit=3")
        #expect(page.seqs == [2, 3, 4], "\(page)")
        let head = try #require(page.json["head"] as? Int)
        #expect(try await bob.get("/v1/events?after=\(head)").events.isEmpty)
        #expect(try await bob.get("/v1/events?limit=0").code == "invalidParameter")
        let metrics = try await bob.get("/metrics")
        #expect(metrics.status == 200 && metrics.text.contains("smcc_commands_total{outcome=\"accepted\"}"), "\(metrics)")

        // Bad input appends nothing.
        for (body, code) in [("{not json", "malformedJSON"), (#"{"to":1}"#, "invalidField"), ("{}", "missingField"), ("[1]", "invalidField"),
                             (#"{"to":"vol:cat","priority":"x"}"#, "unknownField")] {
            let bad = try await bob.post("/v1/posts/twitter:2/assign", body)
            #expect(bad.status == 400 && bad.code == code, "\(body): \(bad)")
        }
        #expect(try await cat.post("/v1/posts/twitter:2/resolve", #"{"outcome":"maybe"}"#).code == "invalidField")
        let huge = try await cat.post("/v1/posts/twitter:2/notes", #"{"text":""# + String(repeating: "a", count: 200_000) + #""}"#)
        #expect(huge.status == 413 && huge.code == "bodyTooLarge", "\(huge)")
        #expect(try await cat.post("/v1/posts/twitter:2/notes", #"{"text":"   "}"#).status == 422)
        #expect(try await cat.get("/v1/nowhere").code == "routeNotFound")
        // Ids longer than the document allows (found by the fuzzer: the index lookup trapped).
        let long = String(repeating: "9", count: 300)
        #expect(try await bob.get("/v1/audit/posts/twitter:\(long)").code == "invalidParameter")
        #expect(try await bob.post("/v1/posts/twitter:1/assign", #"{"to":"vol:\#(long)"}"#).code == "invalidField")
        #expect(try await Client(base: base).get("/health").json["head"] as? Int == head)

        // Revoking a token takes effect on the next request; leaving unassigns.
        let revoked = try runSmcc(["token", "revoke", log, "vol:cat"], in: scratch)
        #expect(revoked.exited(0), "\(revoked)")
        #expect(try await cat.get("/v1/queues/mine").status == 401)
        let listed = try runSmcc(["token", "list", log], in: scratch)
        #expect(listed.exited(0) && listed.stdout.split(separator: "\n").count == 4, "\(listed)")
        #expect(listed.stdout.split(separator: "\n").contains { $0.contains("vol:cat") && $0.contains("revoked") }, "\(listed)")
        #expect(!listed.stdout.contains(anaToken))
        let anaID = try #require(listed.stdout.split(separator: "\n").first { $0.contains("vol:ana") }?.split(separator: " ").first)
        #expect(try runSmcc(["token", "revoke", log, "nosuch"], in: scratch).exited(2))
        let left = try await ana.post("/v1/volunteers/vol:cat/leave")
        #expect(left.events.map { $0["kind"] as? String } == ["shiftEnded", "volunteerLeft"], "\(left)")
        #expect(try runSmcc(["token", "revoke", log, String(anaID)], in: scratch).exited(0))
        #expect(try await ana.get("/v1/queues/mine").status == 401)

        let stopped = server.stop()
        #expect(stopped.exited(0), "\(stopped)")
        let verified = try runSmcc(["verify", log], in: scratch)
        #expect(verified.exited(0), "\(verified)")
        let actors = Set(String(decoding: try export(log, in: scratch), as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["actor"] as? String
        })
        #expect(actors == ["system", "vol:ana", "vol:bob", "vol:cat", "monitor:tweets"])
        let file = try FileManager.default.attributesOfItem(atPath: log + "/tokens")
        #expect((file[.posixPermissions] as? Int) == 0o600)
        #expect(!(String(decoding: FileManager.default.contents(atPath: log + "/tokens") ?? Data(), as: UTF8.self)).contains(anaToken))
    }

    /// Every operation of Schemas/openapi.yaml is served (schemathesis, in Tools/fuzz-api.sh, checks
    /// the answers against the document): without a token each is a 401 problem, never a 404.
    @Test func everyDocumentedOperationIsServed() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, _) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let document = try String(contentsOfFile: Paths.repository.appendingPathComponent("Schemas/openapi.yaml").path, encoding: .utf8)
        var operations: [(String, String)] = []
        var path: String?
        for line in document.split(separator: "\n") {
            if line.hasPrefix("  /") && line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            else if !line.hasPrefix(" ") { path = nil }
            else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), ["get:", "post:"].contains(line.trimmingCharacters(in: .whitespaces)) {
                operations.append((line.trimmingCharacters(in: .whitespaces).dropLast().uppercased(), path))
            }
        }
        #expect(operations.count == 35, "\(operations)")
        for (method, path) in operations {
            let concrete = path.replacingOccurrences(of: "{post}", with: "twitter:1").replacingOccurrences(of: "{volunteer}", with: "vol:ana")
            let reply = try await Client(base: server.base).send(method, concrete, method == "POST" ? "{}" : nil)
            if path == "/health" {
                #expect(reply.status == 200)
            } else {
                #expect(reply.status == 401 && reply.code == "unauthorized", "\(method) \(path): \(reply)")
            }
        }
    }

    @Test func idempotencyKeysAppendOnce() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let ana = Client(base: server.base, token: anaToken)
        let monitor = Client(base: server.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        _ = try await monitor.post("/v1/posts", postBody(7))

        let first = try await ana.post("/v1/posts/twitter:7/notes", #"{"text":"once"}"#, headers: ["Idempotency-Key": "note-1"])
        let retry = try await ana.post("/v1/posts/twitter:7/notes", #"{"text":"once"}"#, headers: ["Idempotency-Key": "note-1"])
        #expect(first.status == 200 && retry.status == 200 && first.seqs == retry.seqs && first.seqs.count == 1, "\(first) / \(retry)")
        #expect(retry.header("Idempotent-Replayed") == "true" && first.header("Idempotent-Replayed") == nil)
        let reused = try await ana.post("/v1/listening-rules", ##"{"rule":"#x"}"##, headers: ["Idempotency-Key": "note-1"])
        #expect(reused.status == 422 && reused.code == "idempotencyKeyReused", "\(reused)")

        // Twenty concurrent retries of one request: one event.
        let before = try #require(try await ana.get("/health").json["head"] as? Int)
        let answers = try await withThrowingTaskGroup(of: Reply.self) { group in
            for _ in 0..<20 { group.addTask { try await ana.post("/v1/posts/twitter:7/tags", #"{"tags":["dup"]}"#, headers: ["Idempotency-Key": "tag-1"]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(answers.map(\.seqs)) == [[before + 1]], "\(answers.map(\.description))")
        #expect(try await ana.get("/health").json["head"] as? Int == before + 1)
        // A leave appends several events; its retry answers all of them.
        _ = try await ana.post("/v1/volunteers", #"{"volunteer":"vol:eve","name":"Eve","role":"ambassador"}"#)
        _ = try await ana.post("/v1/volunteers/vol:eve/shift/start")
        let leave = try await ana.post("/v1/volunteers/vol:eve/leave", headers: ["Idempotency-Key": "leave-eve"])
        let leaveAgain = try await ana.post("/v1/volunteers/vol:eve/leave", headers: ["Idempotency-Key": "leave-eve"])
        #expect(leave.seqs.count == 2 && leave.seqs == leaveAgain.seqs, "\(leave) / \(leaveAgain)")
        #expect(try await ana.post("/v1/posts/twitter:7/notes", "{}", headers: ["Idempotency-Key": "bad key"]).code == "invalidHeader")
    }

    @Test func ofAHundredConcurrentClaimsExactlyOneWins() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let ana = Client(base: server.base, token: anaToken)
        let (ids, tokens) = try await hundredMonitorsOnShift(ana, log: log, in: scratch)
        let monitor = Client(base: server.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        let version = try #require(try await monitor.post("/v1/posts", postBody(42)).json["version"] as? Int)
        let base = server.base
        let answers = try await withThrowingTaskGroup(of: Reply.self) { group in
            for id in ids {
                let client = Client(base: base, token: tokens[id])
                group.addTask { try await client.post("/v1/posts/twitter:42/assign", #"{"to":"\#(id)"}"#, headers: ["If-Match": "\"\(version)\""]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let winners = answers.filter { $0.status == 200 }
        #expect(winners.count == 1, "\(answers.map(\.status))")
        #expect(answers.allSatisfy { $0.status == 200 || $0.status == 412 || $0.status == 409 }, "\(answers.map(\.description))")
        let post = try await ana.get("/v1/posts/twitter:42")
        #expect(post.json["assignee"] as? String == (winners.first?.events.first?["to"] as? String))
        #expect(post.json["version"] as? Int == version + 1, "\(post)")
    }

    @Test func theLiveStreamResumesFromLastEventID() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        let monitor = Client(base: server.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        for id in 1...5 { _ = try await monitor.post("/v1/posts", postBody(id)) }
        // Resume after seq 3: 4, 5, 6 come from the log, then 7… live, while the stream is open.
        let curl = try Child(executable: "/usr/bin/curl", arguments: ["-sN", "--max-time", "60", "-H", "Authorization: Bearer \(anaToken)",
                                                                     "-H", "Last-Event-ID: 3", server.base + "/v1/events/stream"], scratch: scratch)
        // No fixed sleeps (a loaded machine is slow): wait for what the stream has written.
        func streamed(_ id: Int) async throws -> Bool {
            for _ in 0..<600 where curl.isRunning {
                if curl.stdoutSoFar.contains("id: \(id)\n") { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return curl.stdoutSoFar.contains("id: \(id)\n")
        }
        #expect(try await streamed(6), "the stream did not resume from the log: \(curl.stdoutSoFar.prefix(800))")
        for id in 6...10 { _ = try await monitor.post("/v1/posts", postBody(id)) }
        #expect(try await streamed(11), "the live events did not arrive: \(curl.stdoutSoFar.suffix(800))")
        // SIGKILL: a child of the test runner may inherit SIGTERM ignored; -N wrote everything as it came.
        curl.kill(SIGKILL)
        let output = curl.wait().stdout
        let ids = output.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
        #expect(ids == Array(4...11), "\(output.prefix(1500))")
        #expect(output.contains("event: postReceived\ndata: {\"seq\":11,"), "\(output.suffix(800))")

        // SIGTERM ends open streams (curl sees a clean end, not its 30 s timeout) and the server exits 0.
        let open = try Child(executable: "/usr/bin/curl", arguments: ["-sN", "--max-time", "30", "-H", "Authorization: Bearer \(anaToken)",
                                                                     server.base + "/v1/events/stream"], scratch: scratch)
        try await Task.sleep(for: .seconds(0.5))
        let started = Date()
        let stopped = server.stop()
        #expect(stopped.exited(0), "\(stopped)")
        let ended = open.wait()
        #expect(ended.exited(0) && Date().timeIntervalSince(started) < 15, "\(ended)")
    }

    /// SIGKILL mid-load loses nothing that was answered; SIGTERM mid-load drains, answers what it
    /// took, and exits 0. Either way the log verifies and every acknowledged post is in it.
    @Test(arguments: [SIGKILL, SIGTERM])
    func aStoppedServerLosesNoAcknowledgedEvent(signal: Int32) async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, _) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        let monitor = Client(base: server.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        let started = Date()
        let acknowledged = await withTaskGroup(of: [(Int, Int)].self) { group in
            for worker in 0..<16 {
                group.addTask {
                    var mine: [(Int, Int)] = []
                    for n in 0..<100_000 {
                        guard Date().timeIntervalSince(started) < 10 else { break }
                        let id = worker * 1_000_000 + n + 1
                        guard let reply = try? await monitor.post("/v1/posts", postBody(id)) else { break }
                        if reply.status == 200, let seq = reply.seqs.first { mine.append((id, seq)) }
                    }
                    return mine
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(1.5))
                server.child.kill(signal)
                return []
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let result = server.child.wait()
        #expect(signal == SIGKILL ? result.signaled : result.exited(0), "\(result)")
        #expect(acknowledged.count > 50, "only \(acknowledged.count) posts acknowledged before the kill")
        try expectVerifiedHolding(acknowledged, log: log, in: scratch)
        // It starts again on the same log.
        let again = try RunningServer(log: log, in: scratch)
        #expect(try await Client(base: again.base).get("/health").json["head"] as? Int ?? 0 >= acknowledged.count)
        #expect(again.stop().exited(0))
    }
}
