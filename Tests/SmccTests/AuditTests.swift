import Foundation
import Testing

/// `smcc audit`: a post's history and a volunteer's actions, each with the role its actor had at
/// the time, from the indexes.
struct AuditTests {
    /// Ana joins as an ambassador, answers a post, becomes a coordinator, answers again.
    static let history = """
        {"at":"2026-06-02T08:00:00.000Z","actor":"system","kind":"volunteerJoined","volunteer":"vol:ana","name":"Ana","role":"ambassador"}
        {"at":"2026-06-02T08:01:00.000Z","actor":"system","kind":"postReceived","post":"twitter:100","channel":"twitter","author":"u1","text":"where is hall B?","hashtags":["askpivot"],"mentions":[],"postedAt":"2026-06-02T08:00:30.000Z"}
        {"at":"2026-06-02T08:02:00.000Z","actor":"system","kind":"postReceived","post":"twitter:101","channel":"twitter","author":"u2","text":"wifi?","hashtags":[],"mentions":[],"postedAt":"2026-06-02T08:01:50.000Z"}
        {"at":"2026-06-02T08:03:00.000Z","actor":"vol:ana","kind":"replied","post":"twitter:100","text":"Level 2!"}
        {"at":"2026-06-02T09:00:00.000Z","actor":"system","kind":"roleChanged","volunteer":"vol:ana","from":"ambassador","to":"coordinator"}
        {"at":"2026-06-02T09:05:00.000Z","actor":"vol:ana","kind":"replied","post":"twitter:100","text":"Still on level 2."}
        {"at":"2026-06-02T09:06:00.000Z","actor":"vol:ana","kind":"postResolved","post":"twitter:101","outcome":"noAction"}

        """

    func importHistory(_ scratch: Scratch) throws -> String {
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        try importFiles(log, [try scratch.write("history.ndjson", Self.history)], in: scratch)
        return log
    }

    @Test func aPostsHistoryShowsTheRoleAtEachMoment() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = try importHistory(scratch)
        let result = try runSmcc(["audit", log, "--post", "twitter:100"], in: scratch)
        #expect(result.exited(0), "\(result)")
        let rows = lines(result.stdout).map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.map { $0[0] } == ["2", "4", "6"])
        #expect(rows.map { $0[2] } == ["system", "vol:ana (ambassador)", "vol:ana (coordinator)"])
        #expect(rows.map { $0[3] } == ["postReceived", "replied", "replied"])
    }

    @Test func aVolunteersActionsWithinATimeRangeAsJSON() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = try importHistory(scratch)
        let result = try runSmcc(["audit", log, "--volunteer", "vol:ana", "--since", "2026-06-02T08:30:00Z", "--json"], in: scratch)
        #expect(result.exited(0), "\(result)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["volunteer"] as? String == "vol:ana")
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.map { $0["role"] as? String } == ["coordinator", "coordinator"])
        let events = entries.compactMap { $0["event"] as? [String: Any] }
        #expect(events.map { $0["seq"] as? Int } == [6, 7])
        #expect(events.map { $0["kind"] as? String } == ["replied", "postResolved"])

        let all = try runSmcc(["audit", log, "--volunteer", "vol:ana"], in: scratch)
        #expect(lines(all.stdout).count == 3)
        let none = try runSmcc(["audit", log, "--post", "twitter:999"], in: scratch)
        #expect(none.exited(0) && none.stdout == "no events for post twitter:999\n", "\(none)")
    }

    @Test func askingForBothOrNeitherIsBadUsage() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let log = try importHistory(scratch)
        #expect(try runSmcc(["audit", log], in: scratch).exited(2))
        #expect(try runSmcc(["audit", log, "--post", "twitter:100", "--volunteer", "vol:ana"], in: scratch).exited(2))
        #expect(try runSmcc(["audit", log, "--volunteer", "vol:ana", "--since", "yesterday"], in: scratch).exited(2))
    }
}
