import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Live streams and connections cannot pile up: ids beyond the head are refused, streams carry
/// keep-alives and are capped per token, dropped clients are let go, and idle, slow or
/// never-finished requests are closed.
@Suite(.serialized)
struct ServeConnectionTests {
    static let quick = ["--keep-alive", "1", "--idle-timeout", "2", "--request-timeout", "2"]

    @Test func streamsRefuseTheFutureKeepAliveAndAreCapped() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch, extra: Self.quick)
        defer { _ = server.stop() }
        let ana = Client(base: server.base, token: anaToken)
        let head = try #require(try await ana.get("/health").json["head"] as? Int)

        let future = try runCurl(["-sS", "--max-time", "5", "-o", "-", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(anaToken)",
                                  "-H", "Last-Event-ID: \(head + 1000)", server.base + "/v1/events/stream"], in: scratch)
        #expect(future.stdout.hasSuffix("\n400") && future.stdout.contains("invalidParameter"), "\(future)")

        // Nothing happens for 3 s: the stream still carries keep-alive comments.
        let quiet = try runCurl(["-sN", "--max-time", "6", "-H", "Authorization: Bearer \(anaToken)", server.base + "/v1/events/stream"], in: scratch)
        #expect(quiet.stdout.contains(": keep-alive"), "\(quiet)")

        // Sixteen streams per token; the seventeenth is 429. The quiet stream above must be gone
        // first, or it is counted among the sixteen and then leaves room for one more.
        try await waitUntil("the quiet stream closed") { try await liveStreams(ana) == 0 }
        let open = try (0..<16).map { _ in
            try Child(executable: "/usr/bin/curl", arguments: ["-sN", "--max-time", "180", "-H", "Authorization: Bearer \(anaToken)",
                                                               server.base + "/v1/events/stream"], scratch: scratch)
        }
        try await waitUntil("16 streams open") { try await liveStreams(ana) == 16 }
        // Bounded: were it not refused, it would be a stream that never ends.
        let refused = try runCurl(["-sS", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(anaToken)",
                                   server.base + "/v1/events/stream"], in: scratch)
        #expect(refused.stdout.hasSuffix("\n429") && refused.stdout.contains("tooManyStreams"), "\(refused)")

        // Clients that go away are let go.
        for child in open { child.kill() }
        for child in open { _ = child.wait() }
        try await waitUntil("the dropped streams closed") { try await liveStreams(ana) == 0 }
    }

    @Test func idleSlowAndOversizedRequestsAreClosed() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (log, anaToken) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch, extra: Self.quick)
        defer { _ = server.stop() }
        let port = try #require(URL(string: server.base)?.port)
        let probe = """
            import socket, sys, time
            port, token = int(sys.argv[1]), sys.argv[2]
            def attempt(data, trickle=None):
                s = socket.create_connection(("127.0.0.1", port), timeout=60)
                s.sendall(data)
                started, got = time.monotonic(), b""
                s.settimeout(1)
                while time.monotonic() - started < 60:
                    if trickle:
                        try: s.sendall(trickle)
                        except OSError: break
                    try:
                        chunk = s.recv(65536)
                    except socket.timeout:
                        continue
                    except OSError:
                        break
                    if not chunk: break
                    got += chunk
                return "%s %.1f" % (got.split(b" ")[1].decode() if got.startswith(b"HTTP/") else "closed", time.monotonic() - started)
            head = "POST /v1/posts/twitter:1/notes HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer %s\\r\\nContent-Type: application/json\\r\\n" % token
            print("idle", attempt(b""))
            print("header", attempt(b"GET /health HTTP/1.1\\r\\nHost: x\\r\\n", trickle=b"X"))
            print("body", attempt((head + "Content-Length: 100\\r\\n\\r\\n{\\"text\\":").encode()))
            print("trickle", attempt((head + "Content-Length: 100000\\r\\n\\r\\n{\\"text\\":\\"").encode(), trickle=b"a"))
            print("huge", attempt((head + "Content-Length: 10000000000\\r\\n\\r\\n{\\"text\\":").encode()))
            """
        let result = try runPython(["-c", probe, String(port), anaToken], in: scratch)
        #expect(result.exited(0), "\(result)")
        var outcomes: [String: (String, Double)] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 3, let seconds = Double(parts[2]) { outcomes[String(parts[0])] = (String(parts[1]), seconds) }
        }
        for name in ["idle", "header", "body", "trickle"] {
            let outcome = try #require(outcomes[name], "\(result)")
            #expect(outcome.1 < 30, "\(name): held \(outcome.1) s, with timeouts of 2 s: \(result)")
        }
        #expect(outcomes["huge"]?.0 == "413", "\(result)")
        #expect(try await Client(base: server.base, token: anaToken).get("/health").status == 200)
    }
}

/// `smcc_live_streams` from `/metrics`.
func liveStreams(_ client: Client) async throws -> Int? {
    let text = try await client.get("/metrics").text
    return text.split(separator: "\n").first { $0.hasPrefix("smcc_live_streams ") }.flatMap { Int($0.split(separator: " ")[1]) }
}

/// Polls `condition` until it holds, failing after `seconds` (generous: the whole suite runs its
/// servers in parallel on two shared cores).
func waitUntil(_ what: String, seconds: Double = 90, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("timed out after \(seconds) s waiting until \(what)")
}

/// `curl` with `args`, waited for.
func runCurl(_ args: [String], in scratch: Scratch) throws -> RunResult {
    try Child(executable: "/usr/bin/curl", arguments: args, scratch: scratch).wait()
}
