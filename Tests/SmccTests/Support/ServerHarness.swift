import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `smcc serve LOG --port 0` running as a child process, on a free loopback port.
// @unchecked: tests share it only to send it a signal from another task.
final class RunningServer: @unchecked Sendable {
    let child: Child
    let base: String

    /// Starts the server (with `extra` options) and waits (up to 60 s) until it prints its address.
    init(log: String, in scratch: Scratch, extra: [String] = []) throws {
        child = try startSmcc(["serve", log, "--port", "0"] + extra, in: scratch)
        let deadline = Date().addingTimeInterval(60)
        while true {
            if let line = child.stdoutSoFar.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                base = String(line.dropFirst("listening on ".count))
                return
            }
            if !child.isRunning || Date() > deadline {
                child.kill()
                throw HarnessError(description: "smcc serve did not start: \(child.wait())")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// A test that failed half-way must not leave its server running.
    deinit {
        if child.isRunning { child.kill() }
    }

    /// SIGTERM, then the exit.
    func stop() -> RunResult {
        child.kill(SIGTERM)
        return child.wait()
    }
}

/// An HTTP answer.
struct Reply: CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    /// The problem's stable code, for error answers.
    var code: String? { json["code"] as? String }
    var events: [[String: Any]] { json["events"] as? [[String: Any]] ?? [] }
    var seqs: [Int] { events.compactMap { $0["seq"] as? Int } }
    var description: String { "HTTP \(status) \(text.prefix(600))" }
}

/// A client of the API with one token.
struct Client: Sendable {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 128
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration)
    }()

    var base: String
    var token: String?

    func send(_ method: String, _ path: String, _ body: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func get(_ path: String) async throws -> Reply { try await send("GET", path) }
    func post(_ path: String, _ body: String = "{}", headers: [String: String] = [:]) async throws -> Reply {
        try await send("POST", path, body, headers: headers)
    }
}

/// Issues tokens with the CLI: `ACTOR TOKEN` lines, by actor.
func issueTokens(_ log: String, _ actors: [String], ingest: Bool = false, readOnly: Bool = false, in scratch: Scratch) throws -> [String: String] {
    let result = try runSmcc(["token", "issue", log] + actors + (ingest ? ["--ingest"] : []) + (readOnly ? ["--read-only"] : []), in: scratch)
    try #require(result.exited(0), "\(result)")
    var tokens: [String: String] = [:]
    for line in result.stdout.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2 { tokens[String(parts[0])] = String(parts[1]) }
    }
    return tokens
}

/// A new log (at `location`, or `scratch/log`) with a first coordinator, `vol:ana`, and her token.
func logWithCoordinator(in scratch: Scratch, at location: String? = nil) throws -> (log: String, token: String) {
    let log = location ?? scratch.child("log")
    try initLog(log, in: scratch)
    let added = try runSmcc(["volunteer", "add", log, "vol:ana", "--name", "Ana", "--coordinator"], in: scratch)
    try #require(added.exited(0), "\(added)")
    let parts = added.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
    try #require(parts.count == 2 && parts[0] == "vol:ana" && parts[1].hasPrefix("smcc_"), "\(added)")
    return (log, String(parts[1]))
}

/// 100 stream monitors `vol:m0`…`vol:m99` joined by the coordinator `ana` and on shift, with their
/// tokens: the crowd of the claim races.
func hundredMonitorsOnShift(_ ana: Client, log: String, in scratch: Scratch) async throws -> (ids: [String], tokens: [String: String]) {
    let ids = (0..<100).map { "vol:m\($0)" }
    for id in ids {
        #expect(try await ana.post("/v1/volunteers", #"{"volunteer":"\#(id)","name":"M","role":"streamMonitor"}"#).status == 200)
        #expect(try await ana.post("/v1/volunteers/\(id)/shift/start").status == 200)
    }
    return (ids, try issueTokens(log, ids, in: scratch))
}

/// The log verifies and holds every acknowledged post (`twitter:ID`, answered with `SEQ`) at the
/// seq it was answered with: what a server killed mid-load must leave.
func expectVerifiedHolding(_ acknowledged: [(Int, Int)], log: String, in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let verified = try runSmcc(["verify", log], in: scratch)
    #expect(verified.exited(0), "\(verified)", sourceLocation: sourceLocation)
    var stored: [Int: Int] = [:]
    for line in String(decoding: try export(log, in: scratch), as: UTF8.self).split(separator: "\n") {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let post = object["post"] as? String, let seq = object["seq"] as? Int,
              let id = Int(post.dropFirst("twitter:".count)) else { continue }
        stored[id] = seq
    }
    let missing = acknowledged.filter { stored[$0.0] != $0.1 }
    #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged posts are not in the log as answered, e.g. \(missing.prefix(5))", sourceLocation: sourceLocation)
}

/// A post body for `POST /v1/posts`, posted a minute ago.
func postBody(_ id: Int, hashtags: [String] = ["askpivot"]) -> String {
    #"{"post":"twitter:\#(id)","channel":"twitter","author":"fan\#(id % 17)","text":"when does the keynote start? #askpivot","hashtags":[\#(hashtags.map { "\"\($0)\"" }.joined(separator: ","))],"mentions":[],"postedAt":"\#(recentTime())"}"#
}

/// An RFC 3339 time `secondsAgo` before now, with milliseconds (`offsetHours` shifts the written
/// offset, not the instant): posts must be posted within a year before they are received.
func recentTime(secondsAgo: Double = 60, offsetHours: Int = 0) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(secondsFromGMT: offsetHours * 3600)!
    return formatter.string(from: Date().addingTimeInterval(-secondsAgo))
}
