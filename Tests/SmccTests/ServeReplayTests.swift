import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `smcc serve LOG --replay`: a past log played to the desk and the wall, read-only, on a virtual
/// clock, with pause, speed and seek; what it shows at an instant is what `smcc queues --at` and
/// `smcc stats --at` say of that instant.
@Suite(.serialized)
struct ServeReplayTests {
    @Test func aReplayShowsEachInstantAsTheLogWasThen() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = scratch.child("log")
        let simulated = try runSmcc(["simulate", log, "--posts", "400", "--days", "1", "--seed", "3"], in: scratch)
        try #require(simulated.exited(0), "\(simulated)")
        let wallToken = try #require(try issueTokens(log, ["wall"], ingest: false, readOnly: true, in: scratch)["viewer:wall"])
        let volunteerToken = try #require(try issueTokens(log, ["vol:mia"], in: scratch)["vol:mia"])
        let head = try info(log, in: scratch).events
        let server = try RunningServer(log: log, in: scratch, extra: ["--replay", "--speed", "600"])
        defer { _ = server.stop() }
        let wall = Client(base: server.base, token: wallToken), mia = Client(base: server.base, token: volunteerToken)

        // It plays: the seq moves on by itself, and nothing can be done to the desk.
        let started = try await wall.get("/v1/replay")
        #expect(started.status == 200 && started.json["head"] as? Int == head && started.json["speed"] as? Double == 600, "\(started)")
        try await waitUntil("the replay moved on") { (try await wall.get("/v1/replay").json["seq"] as? Int ?? 0) > 0 }
        let refused = try await mia.post("/v1/listening-rules", ##"{"rule":"#x"}"##)
        #expect(refused.status == 403 && refused.text.contains("replays a past log"), "\(refused)")
        #expect(try await wall.post("/v1/posts/twitter:1/notes", #"{"text":"x"}"#).status == 403)

        // Paused at an instant in the afternoon: the desk as `smcc queues --at` sees it then.
        let instant = "2026-06-02T15:30:00.000Z"
        let paused = try await wall.post("/v1/replay", #"{"paused":true,"seek":"\#(instant)"}"#)
        #expect(paused.status == 200 && paused.json["paused"] as? Bool == true, "\(paused)")
        try await waitUntil("the replay reached \(instant)") {
            let document = try await wall.get("/v1/wall").json
            return document["at"] as? String == instant && (document["seq"] as? Int ?? 0) > 0
        }
        let document = try await wall.get("/v1/wall").json
        let queues = try JSONSerialization.jsonObject(with: try runSmcc(["queues", log, "--at", instant, "--json"], in: scratch).stdoutData) as? [String: Any] ?? [:]
        #expect(document["seq"] as? Int == queues["seq"] as? Int, "\(document["seq"] ?? "") vs \(queues["seq"] ?? "")")
        let counts = queues["counts"] as? [String: Int] ?? [:]
        #expect((document["triage"] as? [String: Any])?["waiting"] as? Int == counts["triage"])
        #expect(document["escalationsOpen"] as? Int == counts["escalations"])
        let stats = try JSONSerialization.jsonObject(with: try runSmcc(["stats", log, "--at", instant, "--since", "2026-06-02T14:30:00.000Z", "--json"], in: scratch).stdoutData) as? [String: Any] ?? [:]
        let response = document["firstResponse"] as? [String: Any] ?? [:], expected = stats["firstResponse"] as? [String: Any] ?? [:]
        #expect(response["posts"] as? Int == expected["posts"] as? Int && (expected["posts"] as? Int ?? 0) > 0, "\(response) vs \(expected)")
        #expect(response["p50Seconds"] as? Double == expected["p50Seconds"] as? Double && response["p90Seconds"] as? Double == expected["p90Seconds"] as? Double)
        #expect(response["withinTarget"] as? Double == expected["withinTarget"] as? Double)

        // A live stream follows; seeking back tells it to start again.
        let stream = try Child(executable: "/usr/bin/curl", arguments: ["-sN", "--max-time", "120", "-H", "Authorization: Bearer \(volunteerToken)",
                                                                       server.base + "/v1/events/stream"], scratch: scratch)
        try await waitUntil("the stream is open") { try await liveStreams(mia) == 1 }
        #expect(try await wall.post("/v1/replay", #"{"seek":"2026-06-02T08:00:00Z"}"#).status == 200)
        let ended = stream.wait()
        #expect(ended.stdout.contains("event: reset"), "\(ended.stdout.suffix(500))")
        let rewound = try await wall.get("/v1/replay").json
        #expect((rewound["seq"] as? Int ?? .max) < document["seq"] as? Int ?? 0, "\(rewound)")

        // Played to the end, it holds every event.
        #expect(try await wall.post("/v1/replay", #"{"seek":"2099-01-01T00:00:00Z","paused":false}"#).status == 200)
        try await waitUntil("the replay reached the end") { try await wall.get("/v1/replay").json["finished"] as? Bool == true }
        #expect(try await wall.get("/v1/wall").json["seq"] as? Int == head)
        #expect(try await wall.post("/v1/replay", #"{"speed":601}"#).status == 400)
        #expect(server.stop().exited(0))
    }
}
