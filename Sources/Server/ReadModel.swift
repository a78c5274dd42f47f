import CommandCenter
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What the read endpoints answer from: the desk's state, the statistics and the latest inbound
/// posts, kept up to date by the publisher after every commit (or by the replay). Reads never wait
/// for the writer, only (briefly) for each other and for the publisher's apply.
final class ReadModel: Sendable {
    struct State: Sendable {
        var desk: DeskState
        var statistics: Statistics
        /// The last ``recentCount`` inbound posts (not reposts), oldest first: the wall's feed.
        var recent: [(seq: UInt64, at: Timestamp, post: PostReceived)] = []
    }

    static let recentCount = 12

    private let state: Mutex<State>
    /// The instant the figures are as of: the clock, or the replay's virtual clock.
    private let virtualNow = Mutex<Timestamp?>(nil)
    /// The encoded statistics report and the seq it is as of: the report sorts every duration,
    /// so it is computed at most once per commit, however many clients ask.
    private let statisticsCache = Mutex<(seq: UInt64, at: ContinuousClock.Instant, body: ByteBuffer)?>(nil)
    /// How stale the report may be while commands keep coming: computing it sorts every duration
    /// (O(n log n)) and copies the projection, so under load it is redone at most this often.
    static let statisticsMaximumAge = Duration.milliseconds(250)
    private let computing = Mutex(false)
    /// The wall's document, by seq and second: every wall polls, one computes.
    let wallCache = Mutex<(seq: UInt64, second: Int64, body: ByteBuffer)?>(nil)

    init(desk: DeskState, statistics: Statistics, recent: [(seq: UInt64, at: Timestamp, post: PostReceived)] = []) {
        state = Mutex(State(desk: desk, statistics: statistics, recent: recent))
    }

    func apply(_ events: [(seq: UInt64, event: Event)]) {
        state.withLock { state in
            for (seq, event) in events {
                state.desk.apply(event, seq: seq)
                state.statistics.apply(event, seq: seq)
                Self.remember(event, seq: seq, in: &state.recent)
            }
        }
    }

    /// Keeps `event` among the recent posts if it is an inbound post.
    static func remember(_ event: Event, seq: UInt64, in recent: inout [(seq: UInt64, at: Timestamp, post: PostReceived)]) {
        guard case .postReceived(let post) = event.body, !post.isRepost else { return }
        recent.append((seq, event.at, post))
        if recent.count > recentCount { recent.removeFirst(recent.count - recentCount) }
    }

    /// Replaces the whole state (a replay that seeks backwards).
    func reset(_ fresh: State) {
        state.withLock { $0 = fresh }
        statisticsCache.withLock { $0 = nil }
        wallCache.withLock { $0 = nil }
    }

    /// Runs `body` on the current state, under the lock: keep it short.
    func read<T>(_ body: (borrowing State) -> T) -> T {
        state.withLock { body($0) }
    }

    /// The instant the figures are as of: now, or the instant a replay has reached.
    func now() -> Timestamp {
        virtualNow.withLock { $0 } ?? .now
    }

    /// Sets the replay's virtual clock.
    func setVirtualNow(_ instant: Timestamp) {
        virtualNow.withLock { $0 = instant }
    }

    /// `GET /v1/stats`: the report of `smcc stats --json` as of the last commit, or of one at most
    /// `statisticsMaximumAge` ago; while it is being recomputed, other readers get the previous
    /// one rather than queueing behind it.
    func statisticsReport() throws -> ByteBuffer {
        let seq = state.withLock { $0.statistics.lastSeq }
        if let cached = statisticsCache.withLock({ $0 }),
           cached.seq == seq || ContinuousClock.now - cached.at < Self.statisticsMaximumAge {
            return cached.body
        }
        let mine = computing.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        if !mine, let cached = statisticsCache.withLock({ $0 }) { return cached.body }
        defer { if mine { computing.withLock { $0 = false } } }
        let statistics = state.withLock { $0.statistics }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = ByteBuffer(bytes: Array(try encoder.encode(statistics.report())))
        statisticsCache.withLock { cached in
            if (cached?.seq ?? 0) <= statistics.lastSeq { cached = (statistics.lastSeq, .now, body) }
        }
        return body
    }
}
