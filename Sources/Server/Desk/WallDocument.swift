import CommandCenter
import Foundation

/// `GET /v1/wall`: every tile of the wall, as of one seq and one instant (`at`: now, or the
/// instant a replay has reached). The definitions, each the same code as `smcc stats` or
/// `smcc queues` at that seq:
///
/// - `postsLastHour`: inbound posts whose `postedAt` falls in the hour before `at`, per minute and
///   per channel (`smcc stats`' volume, in minutes: `VolumeProjection.perMinute()`);
/// - `triage`: posts waiting (`smcc queues`' `counts.triage`) and the age at `at` of the one
///   received first (`min(receivedAt)` of its `triage`);
/// - `firstResponse`: `smcc stats --since <windowStart> --json`'s `firstResponse`, the window
///   being the hour before `at`;
/// - `onShift`: active volunteers on shift by role (`smcc queues`' `volunteers`);
/// - `escalationsOpen`: `smcc queues`' `counts.escalations`;
/// - `emerging`: `smcc stats`' `hashtags.emerging`, newest first, with the rule now covering each;
/// - `latestPosts`: the last inbound posts received, newest first.
struct WallDocument: Encodable {
    struct Minute: Encodable {
        var start: String
        var total: Int
        var byChannel: [String: Int]
    }

    struct Volume: Encodable {
        var total: Int
        var byChannel: [String: Int]
        var perMinute: [Minute]
    }

    struct Triage: Encodable {
        var waiting: Int
        var oldestReceivedAt: String?
        var oldestWaitingSeconds: Double?
    }

    struct Post: Encodable {
        var post: String
        var channel: String
        var author: String
        var text: String
        var postedAt: String
        var receivedAt: String
    }

    var seq: UInt64
    var at: String
    var windowStart: String
    var replay: Bool
    var postsLastHour: Volume
    var triage: Triage
    var firstResponse: DurationSummary
    var onShift: [String: Int]
    var onShiftTotal: Int
    var escalationsOpen: Int
    var emerging: [DeskDocuments.Rules.Emerging]
    var latestPosts: [Post]

    static let window: Int64 = 3_600_000

    init(_ state: borrowing ReadModel.State, at now: Timestamp, replay: Bool) {
        let windowStart = Timestamp(milliseconds: now.milliseconds - Self.window)
        seq = state.desk.lastSeq
        at = now.rfc3339
        self.windowStart = windowStart.rfc3339
        self.replay = replay

        let minutes = state.statistics.volume.perMinute().filter { $0.start > windowStart && $0.start <= now }
        var byChannel: [String: Int] = [:]
        for minute in minutes { for (channel, posts) in minute.byChannel { byChannel[channel.rawValue, default: 0] += posts } }
        postsLastHour = Volume(
            total: minutes.reduce(0) { $0 + $1.total }, byChannel: byChannel,
            perMinute: minutes.map { Minute(start: $0.start.rfc3339, total: $0.total, byChannel: Dictionary(uniqueKeysWithValues: $0.byChannel.map { ($0.key.rawValue, $0.value) })) })

        let waiting = state.desk.triageQueue()
        let oldest = waiting.map(\.receivedAt).min()
        triage = Triage(waiting: state.desk.triageCount, oldestReceivedAt: oldest?.rfc3339,
                        oldestWaitingSeconds: oldest.map { Double(max(0, now.milliseconds - $0.milliseconds)) / 1000 })
        firstResponse = state.statistics.firstResponse(postedSince: windowStart)

        var onShift: [String: Int] = [:]
        for volunteer in state.desk.volunteers.values where volunteer.active && volunteer.onShift { onShift[volunteer.role.rawValue, default: 0] += 1 }
        self.onShift = onShift
        onShiftTotal = onShift.values.reduce(0, +)
        escalationsOpen = state.desk.escalationQueue().count
        emerging = DeskDocuments.emerging(state, state.desk.listeningRules.sorted().compactMap(ListeningRule.init))
        latestPosts = state.recent.reversed().map { item in
            Post(post: item.post.post, channel: item.post.channel.rawValue, author: item.post.author, text: item.post.text,
                 postedAt: item.post.postedAt.rfc3339, receivedAt: item.at.rfc3339)
        }
    }
}
