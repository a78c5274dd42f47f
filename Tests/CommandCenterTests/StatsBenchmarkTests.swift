import CommandCenter
import Foundation
import Testing

/// Replay speed of ``Statistics``: printed, never asserted. Run in release:
/// `SMCC_BENCH=1 swift test -c release --filter StatsBenchmarkTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SMCC_BENCH"] == "1", "set SMCC_BENCH=1 to measure"))
struct StatsBenchmarkTests {
    /// A conference desk: 12 volunteers changing roles, a quarter of the events received posts
    /// with one or two of 40 hashtags, the rest replies, assignments, resolutions, escalations,
    /// notes and published posts; strings interned (the same `String` for the same id), as the
    /// decoder's interner gives them.
    static func events(count: Int) -> [Event] {
        var rng = SplitMix64(seed: 7)
        let volunteers = (0..<12).map { "vol:v\($0)" }
        let tags = (0..<40).map { "tag\($0)" }
        let roles = Role.allCases
        var events: [Event] = []
        events.reserveCapacity(count)
        var at: Int64 = 1_349_186_400_000
        for (i, v) in volunteers.enumerated() {
            events.append(Event(at: Timestamp(milliseconds: at), actor: "vol:coord", body: .volunteerJoined(
                VolunteerJoined(volunteer: v, name: v, role: roles[i % roles.count], team: i % 2 == 0 ? "red" : nil))))
            events.append(Event(at: Timestamp(milliseconds: at), actor: v, body: .shiftStarted(ShiftStarted(volunteer: v))))
        }
        var posts: [String] = []
        var nextPost = 0
        while events.count < count {
            at += Int64(rng.next() % 40)
            let actor = volunteers[Int(rng.next() % 12)]
            let roll = rng.next() % 100
            let recent = posts.isEmpty ? "twitter:0" : posts[posts.count - 1 - Int(rng.next() % UInt64(min(posts.count, 200)))]
            let body: EventBody
            switch roll {
            case 0..<28:
                nextPost += 1
                let post = "twitter:\(1_000_000_000_000 + nextPost)"
                posts.append(post)
                var hashtags = [tags[Int(rng.next() % 40)]]
                if roll % 3 == 0 { hashtags.append(tags[Int(rng.next() % 40)]) }
                body = .postReceived(PostReceived(
                    post: post, channel: roll < 25 ? .twitter : .instagram, author: "user",
                    text: "help please", hashtags: hashtags, mentions: [],
                    postedAt: Timestamp(milliseconds: at - Int64(rng.next() % 5000)), isRepost: roll == 27))
            case 28..<48: body = .postAssigned(PostAssigned(post: recent, to: volunteers[Int(rng.next() % 12)]))
            case 48..<75: body = .replied(Replied(post: recent, text: "hi"))
            case 75..<88: body = .postResolved(PostResolved(post: recent, outcome: .answered))
            case 88..<92: body = .escalated(Escalated(post: recent, to: "vol:coord", reason: "r"))
            case 92..<95: body = .escalationResolved(EscalationResolved(post: recent))
            case 95..<97: body = .noteAdded(NoteAdded(post: recent, text: "n"))
            case 97..<99: body = .postPublished(PostPublished(post: "twitter:own", channel: .twitter, text: "live"))
            default:
                body = .roleChanged(RoleChanged(volunteer: actor, from: .ambassador, to: roles[Int(rng.next() % 5)]))
            }
            events.append(Event(at: Timestamp(milliseconds: at), actor: actor, body: body))
        }
        return events
    }

    @Test func replayIntoAllProjections() {
        let count = 1_000_000
        let events = Self.events(count: count)
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        var last = Statistics()
        for _ in 0..<3 {
            var stats = Statistics()
            let elapsed = clock.measure {
                for (i, e) in events.enumerated() { stats.apply(e, seq: UInt64(i + 1)) }
            }
            best = min(best, elapsed)
            last = stats
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        print("bench stats apply: \(Int(Double(count) / seconds / 1000))k events/s (\(last.reactionTimes.posts.count) posts)")
        let reportTime = clock.measure { _ = last.report(by: GroupingKey.allCases) }
        print("bench stats report(by: all keys): \(reportTime)")
    }
}
