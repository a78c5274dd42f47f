import Foundation
import StoreTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Several `smcc serve` on one log on PostgreSQL: each has its own group commit, all judge
/// against one state (the log's, under its write lock), and every server's live streams carry
/// every server's events. Needs the test server (`SMCC_TEST_POSTGRES`).
@Suite(.enabled(if: TestStore.postgresURL != nil, "\(TestStore.postgresMissing)"))
struct MultiServerTests {
    /// Waits until `client` answers `path` with 200 (the other server caught up), at most 10 s.
    func eventually(_ client: Client, _ path: String) async throws -> Reply {
        var last = try await client.get(path)
        for _ in 0..<200 where last.status != 200 {
            try await Task.sleep(for: .milliseconds(50))
            last = try await client.get(path)
        }
        return last
    }

    @Test func ofAHundredClaimsThroughTwoServersExactlyOneWins() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch, at: scratch.log("claims", on: .postgres))
        let first = try RunningServer(log: log, in: scratch)
        defer { _ = first.stop() }
        let second = try RunningServer(log: log, in: scratch)
        defer { _ = second.stop() }
        let ana = Client(base: first.base, token: anaToken)
        let (ids, tokens) = try await hundredMonitorsOnShift(ana, log: log, in: scratch)
        // The post arrives through the second server; the first learns of it from the log.
        let monitor = Client(base: second.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        let version = try #require(try await monitor.post("/v1/posts", postBody(42)).json["version"] as? Int)
        #expect(try await eventually(ana, "/v1/posts/twitter:42").status == 200)
        let bases = [first.base, second.base]
        let answers = try await withThrowingTaskGroup(of: Reply.self) { group in
            for (n, id) in ids.enumerated() {
                let client = Client(base: bases[n % 2], token: tokens[id])
                group.addTask { try await client.post("/v1/posts/twitter:42/assign", #"{"to":"\#(id)"}"#, headers: ["If-Match": "\"\(version)\""]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let winners = answers.filter { $0.status == 200 }
        #expect(winners.count == 1, "\(answers.map(\.status))")
        #expect(answers.allSatisfy { $0.status == 200 || $0.status == 412 || $0.status == 409 }, "\(answers.map(\.description))")
        let assignee = winners.first?.events.first?["to"] as? String
        for base in bases {
            let post = try await Client(base: base, token: anaToken).get("/v1/posts/twitter:42")
            #expect(post.json["assignee"] as? String == assignee, "\(base): \(post)")
            #expect(post.json["version"] as? Int == version + 1, "\(base): \(post)")
        }
        let verified = try runSmcc(["verify", log], in: scratch)
        #expect(verified.exited(0), "\(verified)")
    }

    /// A token issued while a server runs works on its very next request, though that server
    /// asked the tokens' version just before the issue (on PostgreSQL it asks at most once a
    /// second): the claims above once drew 401s from the server that had not asked again.
    @Test func aTokenIssuedJustNowWorksAtOnce() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch, at: scratch.log("fresh-token", on: .postgres))
        let server = try RunningServer(log: log, in: scratch)
        defer { _ = server.stop() }
        let ana = Client(base: server.base, token: anaToken)
        let clock = ContinuousClock()
        for round in 0..<3 {
            #expect(try await ana.get("/v1/volunteers").status == 200)
            let asked = clock.now
            let token = try issueTokens(log, ["fresh\(round)"], ingest: true, in: scratch)["monitor:fresh\(round)"]
            let reply = try await Client(base: server.base, token: token).post("/v1/posts", postBody(100 + round))
            #expect(reply.status == 200, "round \(round), \(clock.now - asked) after the server last read the tokens: \(reply)")
        }
    }

    @Test func theEventsOfOneServerReachTheStreamsOfTheOtherInOrder() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch, at: scratch.log("streams", on: .postgres))
        let first = try RunningServer(log: log, in: scratch)
        defer { _ = first.stop() }
        let second = try RunningServer(log: log, in: scratch)
        defer { _ = second.stop() }
        let tokens = try issueTokens(log, ["one", "two"], ingest: true, in: scratch)
        let viaFirst = Client(base: first.base, token: tokens["monitor:one"])
        let viaSecond = Client(base: second.base, token: tokens["monitor:two"])
        _ = try await viaFirst.post("/v1/posts", postBody(1))
        // A generous --max-time: on a loaded machine the posts below may take a minute; SIGKILL ends it.
        let curl = try Child(executable: "/usr/bin/curl", arguments: ["-sN", "--max-time", "900", "-H", "Authorization: Bearer \(anaToken)",
                                                                     "-H", "Last-Event-ID: 1", second.base + "/v1/events/stream"], scratch: scratch)
        var expected = 2
        for id in 2...21 {
            let reply = try await (id % 2 == 0 ? viaFirst : viaSecond).post("/v1/posts", postBody(id))
            #expect(reply.status == 200, "\(reply)")
            expected = max(expected, reply.seqs.max() ?? 0)
        }
        let deadline = Date().addingTimeInterval(120)
        while curl.isRunning && !curl.stdoutSoFar.contains("id: \(expected)\n") && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        curl.kill(SIGKILL)
        let output = curl.wait().stdout
        let ids = output.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
        #expect(ids == Array(2...expected), "\(output.suffix(1500))")
    }

    /// An erasure rewrites the log: with another server serving it, that server would keep what
    /// was erased in memory. It is refused (409, as an LMDB log another process has open), and
    /// goes through once the other server stopped.
    @Test func anErasureWaitsUntilItsServerIsTheOnlyOne() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch, at: scratch.log("erase", on: .postgres))
        let first = try RunningServer(log: log, in: scratch)
        defer { _ = first.stop() }
        let second = try RunningServer(log: log, in: scratch)
        let ana = Client(base: first.base, token: anaToken)
        let monitor = Client(base: second.base, token: try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"])
        let hers = #"{"post":"twitter:7","channel":"twitter","author":"Zoe_Erasable","text":"my flight QX417 lands late","hashtags":[],"mentions":[],"postedAt":"\#(recentTime())"}"#
        #expect(try await monitor.post("/v1/posts", hers).status == 200)
        #expect(try await eventually(ana, "/v1/posts/twitter:7").status == 200)
        let refused = try await ana.post("/v1/erasures", #"{"author":"zoe_erasable"}"#)
        #expect(refused.status == 409 && refused.code == "logBusy", "\(refused)")
        #expect(try await Client(base: second.base, token: anaToken).get("/v1/posts/twitter:7").text.contains("QX417"))
        #expect(second.stop().exited(0))
        let erased = try await ana.post("/v1/erasures", #"{"author":"zoe_erasable"}"#)
        #expect(erased.status == 200 && erased.json["posts"] as? [String] == ["twitter:7"], "\(erased)")
        #expect(try await ana.get("/v1/posts/twitter:7").text.contains("QX417") == false)
        #expect(try runSmcc(["verify", log], in: scratch).exited(0))
    }

    @Test func killingOneServerLosesNoAcknowledgedEventAndTheOtherKeepsServing() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, _) = try logWithCoordinator(in: scratch, at: scratch.log("kill", on: .postgres))
        let doomed = try RunningServer(log: log, in: scratch)
        let survivor = try RunningServer(log: log, in: scratch)
        defer { _ = survivor.stop() }
        let token = try issueTokens(log, ["tweets"], ingest: true, in: scratch)["monitor:tweets"]
        let bases = [doomed.base, survivor.base]
        // Killed once it has answered 20 posts (not after a fixed time: a loaded machine is slow);
        // the survivor's clients go on for 2 s after the kill.
        let progress = KillProgress()
        let acknowledged = await withTaskGroup(of: [(Int, Int)].self) { group in
            for worker in 0..<16 {
                group.addTask {
                    let client = Client(base: bases[worker % 2], token: token)
                    var mine: [(Int, Int)] = []
                    for n in 0..<100_000 {
                        guard !progress.over else { break }
                        let id = worker * 1_000_000 + n + 1
                        guard let reply = try? await client.post("/v1/posts", postBody(id)) else {
                            // The killed server's clients stop once it is killed; before that, and
                            // for the survivor's, a failure (a timeout on a loaded machine) is retried.
                            if worker % 2 == 0 && progress.isKilled { break } else { continue }
                        }
                        if reply.status == 200, let seq = reply.seqs.first {
                            mine.append((id, seq))
                            progress.answered(byDoomed: worker % 2 == 0)
                        }
                    }
                    return mine
                }
            }
            group.addTask {
                let deadline = Date().addingTimeInterval(600)
                while progress.doomedAnswered < 20 && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
                doomed.child.kill(SIGKILL)
                progress.killed()
                return []
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(doomed.child.wait().signaled)
        let fromSurvivor = acknowledged.filter { $0.0 / 1_000_000 % 2 == 1 }
        let fromDoomed = acknowledged.filter { $0.0 / 1_000_000 % 2 == 0 }
        #expect(fromDoomed.count >= 20 && progress.survivorAnsweredAfterKill > 0, "acknowledged: \(fromDoomed.count) by the killed server, \(fromSurvivor.count) by the other (\(progress.survivorAnsweredAfterKill) after the kill)")
        // The survivor still takes commands after the kill.
        let after = try await Client(base: survivor.base, token: token).post("/v1/posts", postBody(99_999_999))
        #expect(after.status == 200, "\(after)")
        try expectVerifiedHolding(acknowledged, log: log, in: scratch)
    }
}

/// Who answered how many posts, and when the kill happened: shared by the load's tasks.
final class KillProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var doomed = 0
    private var afterKill = 0
    private var killedAt: Date?

    var doomedAnswered: Int { lock.withLock { doomed } }
    var isKilled: Bool { lock.withLock { killedAt != nil } }
    var survivorAnsweredAfterKill: Int { lock.withLock { afterKill } }
    /// The load ends 2 s after the kill, or 12 minutes after it began whatever happened (the
    /// kill waits for 20 answers, however slow the machine).
    private let started = Date()
    var over: Bool {
        lock.withLock { (killedAt.map { Date().timeIntervalSince($0) > 2 } ?? false) || Date().timeIntervalSince(started) > 720 }
    }

    func answered(byDoomed: Bool) {
        lock.withLock {
            if byDoomed { doomed += 1 } else if killedAt != nil { afterKill += 1 }
        }
    }

    func killed() { lock.withLock { killedAt = Date() } }
}
