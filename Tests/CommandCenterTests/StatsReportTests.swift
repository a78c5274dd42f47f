import CommandCenter
import Foundation
import Testing

/// The JSON of ``StatisticsReport``: its shape, its nulls, and `Schemas/cli/stats.schema.json`.
struct StatsReportTests {
    static var schemaURL: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas/cli/stats.schema.json")
    }

    static func json(_ report: StatisticsReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(report)
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static var combined: Statistics {
        ProjectionFixtures.replay(ProjectionFixtures.combined, into: Statistics())
    }

    @Test func shapeAndKeys() throws {
        let report = ProjectionFixtures.replay(ProjectionFixtures.desk, into: Statistics())
            .report(by: [.role, .channel])
        let text = String(decoding: try Self.json(report), as: UTF8.self)
        let top = try Self.object(try Self.json(report))
        #expect(Set(top.keys) == [
            "firstResponse", "timeToAssign", "timeToResolve", "escalation", "channelShare", "by", "volume",
            "workload", "hashtags", "repostsExcluded", "conversation", "events", "firstAt", "lastAt",
        ])
        let fr = try #require(top["firstResponse"] as? [String: Any])
        #expect(Set(fr.keys) == [
            "posts", "answered", "unanswered", "anomalies", "p50Seconds", "p90Seconds", "p99Seconds",
            "meanSeconds", "withinTarget", "withinTargetOfAnswered", "targetSeconds",
        ])
        #expect(fr["p50Seconds"] as? Double == 70)
        #expect(top["events"] as? Int == ProjectionFixtures.desk.count)
        #expect(top["firstAt"] as? String == "2012-10-02T14:00:00.000Z")
        #expect(top["lastAt"] as? String == "2012-10-02T14:23:20.000Z")
        // A group unanswered: null percentiles, written as null, not left out.
        #expect(text.contains(#""unanswered":{"anomalies":0,"answered":0,"escalation":{"#))
        #expect(text.contains(#""meanSeconds":null"#))
        let by = try #require(top["by"] as? [String: Any])
        #expect(Set(by.keys) == ["role", "channel"])
        #expect(text.contains(#""channelShare":{"instagram":0.25,"twitter":0.75}"#))
        #expect(text.contains(#""perHour":[{"byChannel":{"instagram":1,"twitter":3},"start":"2012-10-02T14:00:00.000Z","total":4}]"#))
    }

    @Test func emptyReportEncodesNulls() throws {
        let text = String(decoding: try Self.json(Statistics().report()), as: UTF8.self)
        #expect(text.contains(#""firstAt":null"#))
        #expect(text.contains(#""p99Seconds":null"#))
        #expect(text.contains(#""withinTarget":null"#))
        #expect(!text.contains("NaN"))
    }

    @Test func emergingEncodes() throws {
        let text = String(decoding: try Self.json(Self.combined.report()), as: UTF8.self)
        #expect(text.contains(#""emergedAt":"2012-10-02T16:46:44.000Z""#))  // askpivot: 4 s + 10,000 s
        #expect(text.contains(#""secondsToRule":720"#))
    }

    /// Validates reports against the schema with python's `jsonschema`, when installed.
    @Test func validatesAgainstSchema() throws {
        let reports = [
            Statistics().report(by: GroupingKey.allCases),
            Self.combined.report(by: GroupingKey.allCases),
        ]
        let documents = try reports.map { try JSONSerialization.jsonObject(with: try Self.json($0)) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("smcc-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("reports.json")
        try JSONSerialization.data(withJSONObject: documents).write(to: file)
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit(77)
        schema = json.load(open(sys.argv[1]))
        validator = jsonschema.Draft202012Validator(schema)
        for doc in json.load(open(sys.argv[2])):
            errors = list(validator.iter_errors(doc))
            for e in errors: print(list(e.absolute_path), e.message)
            if errors: sys.exit(1)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Self.schemaURL.path, file.path]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch {
            print("python3 not available: schema not checked")
            return
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 77 || process.terminationStatus == 127 {
            print("python3 jsonschema not available: schema not checked")
            return
        }
        #expect(process.terminationStatus == 0, "\(String(decoding: data, as: UTF8.self))")
    }
}
