import CommandCenter
import Foundation
import StoreTestSupport

/// A desk state driven through `decide` then `apply`, as `Desk` does, without a log: the events
/// are kept in `log`, and each gets the next sequence number.
struct DeskFixture {
    var state = DeskState()
    var clock: Int64 = 1_780_383_600_000
    var log: [Event] = []

    mutating func tick() -> Timestamp {
        clock += 1000
        return Timestamp(milliseconds: clock)
    }

    @discardableResult
    mutating func run(_ command: DeskCommand, by actor: String) throws(CommandRejection) -> [Event] {
        let events = try state.decide(command, actor: actor, at: tick())
        for event in events {
            log.append(event)
            state.apply(event, seq: UInt64(log.count))
        }
        return events
    }

    /// The rejection of `command`, or nil if the rules accept it (the state is not changed).
    func rejection(_ command: DeskCommand, by actor: String) -> CommandRejection? {
        do {
            _ = try state.decide(command, actor: actor, at: Timestamp(milliseconds: clock + 1000))
            return nil
        } catch {
            return error
        }
    }

    static func post(_ id: String, text: String = "Where is Hall B? #pivotcon26", hashtags: [String] = ["pivotcon26"],
                     channel: Channel = .twitter, repost: Bool = false, at: Int64 = 1_780_383_000_000) -> PostReceived {
        PostReceived(post: id, channel: channel, author: "attendee", text: text, hashtags: hashtags, mentions: [],
                     postedAt: Timestamp(milliseconds: at), isRepost: repost)
    }

    /// Two coordinators (mia, noah), ambassadors ana and ben (on shift) and zed (off shift),
    /// monitors sam (on shift) and sue, photo pat, live tweets liv, kim who left; and posts
    /// twitter:1 (waiting), twitter:2 (ana's), twitter:3 (answered), twitter:4 (ben's, escalated
    /// to mia), twitter:5 (a repost), and our published twitter:900.
    static func staffed() throws -> DeskFixture {
        var f = DeskFixture()
        try f.run(.joinVolunteer(volunteer: "vol:mia", name: "Mia", role: .coordinator), by: "system")
        for (id, role) in [("vol:noah", Role.coordinator), ("vol:ana", .ambassador), ("vol:ben", .ambassador), ("vol:zed", .ambassador),
                           ("vol:sam", .streamMonitor), ("vol:sue", .streamMonitor), ("vol:pat", .photo), ("vol:liv", .liveTweets),
                           ("vol:kim", .ambassador)] {
            try f.run(.joinVolunteer(volunteer: id, name: String(id.dropFirst(4)).capitalized, role: role, team: "care"), by: "vol:mia")
        }
        try f.run(.leaveVolunteer(volunteer: "vol:kim"), by: "vol:mia")
        for id in ["vol:ana", "vol:ben", "vol:sam", "vol:mia"] { try f.run(.startShift(volunteer: id), by: id) }
        for n in 1...4 { try f.run(.receivePost(post("twitter:\(n)")), by: "monitor:twitter") }
        try f.run(.receivePost(post("twitter:5", text: "RT @x: great talk #pivotcon26", repost: true)), by: "monitor:twitter")
        try f.run(.assign(post: "twitter:2", to: "vol:ana"), by: "vol:sam")
        try f.run(.assign(post: "twitter:3", to: "vol:ana"), by: "vol:sam")
        try f.run(.reply(post: "twitter:3", text: "Level 2, follow the signs"), by: "vol:ana")
        try f.run(.resolve(post: "twitter:3", outcome: .answered), by: "vol:ana")
        try f.run(.assign(post: "twitter:4", to: "vol:ben"), by: "vol:sam")
        try f.run(.escalate(post: "twitter:4", to: "vol:mia", reason: "refund", priority: .high), by: "vol:ben")
        try f.run(.publish(post: "twitter:900", channel: .twitter, text: "Keynote starting now"), by: "vol:liv")
        return f
    }
}

/// A fresh directory under the system's temporary directory, removed when the test ends.
final class DeskTemporaryDirectory {
    let path: String
    /// PostgreSQL logs made for the test, dropped with the directory.
    private var logs: [String] = []

    init() {
        path = NSTemporaryDirectory() + "smcc-desk-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
        removeTestLogs(logs)
    }

    func child(_ name: String) -> String { path + "/" + name }

    /// A log location named `name` on `store`: the same name gives the same log.
    func child(_ name: String, on store: TestStore) -> String {
        store.location(name, under: path, logs: &logs)
    }
}
