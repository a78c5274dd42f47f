import CommandCenter
import Foundation
import Synchronization

/// `smcc serve LOG --replay`: plays a past log to the desk and the wall, read-only, on a virtual
/// clock. The virtual now starts at the log's first event and runs `speed` times faster than the
/// wall clock; each event is applied to the read model and sent to the live streams when the
/// virtual now reaches its `at`, so "oldest waiting" and "last hour" are as they were then. Pause,
/// speed and seek are the controls (`POST /v1/replay`). Seeking back rebuilds the read model at
/// that instant (from the projection snapshots where the log has them) and resets the live streams.
final class ReplayDriver: Sendable {
    /// What `GET /v1/replay` answers.
    struct Status: Encodable, Sendable {
        var seq: UInt64
        var head: UInt64
        var at: String
        var from: String
        var to: String
        var speed: Double
        var paused: Bool
        var finished: Bool
    }

    static let speeds: ClosedRange<Double> = 1...600

    private struct Control {
        var speed: Double
        var paused = false
        /// The virtual instant at `anchor`, and the wall-clock instant it was taken.
        var virtualAnchor: Int64
        var anchor = ContinuousClock.now
        var seek: Int64?
        var stopped = false

        func virtualNow() -> Int64 {
            guard !paused else { return virtualAnchor }
            let elapsed = ContinuousClock.now - anchor
            return virtualAnchor + Int64((elapsed.seconds * 1000 * speed).rounded(.down))
        }

        mutating func reanchor() {
            virtualAnchor = virtualNow()
            anchor = .now
        }
    }

    private let store: EventStore
    private let readModel: ReadModel
    private let live: LiveEvents
    private let first: Int64
    private let last: Int64
    private let head: UInt64
    private let control: Mutex<Control>
    private let done = Mutex(false)

    /// Starts playing `store`'s log into `readModel` (empty) and `live` at `speed`.
    init(store: EventStore, readModel: ReadModel, live: LiveEvents, speed: Double) throws {
        self.store = store
        self.readModel = readModel
        self.live = live
        head = try store.headSeq()
        var firstAt: Int64?
        try store.events(from: 1, through: 1) { _, event in
            firstAt = event.at.milliseconds
            return false
        }
        first = firstAt ?? 0
        last = try store.lastEventTime()?.milliseconds ?? first
        control = Mutex(Control(speed: speed, virtualAnchor: first))
        readModel.setVirtualNow(Timestamp(milliseconds: first))
        let thread = Thread { [self] in self.play() }
        thread.name = "smcc-replay"
        thread.start()
    }

    func status() -> Status {
        let control = control.withLock { $0 }
        let seq = readModel.read { $0.desk.lastSeq }
        return Status(seq: seq, head: head, at: readModel.now().rfc3339, from: Timestamp(milliseconds: first).rfc3339,
                      to: Timestamp(milliseconds: last).rfc3339, speed: control.speed, paused: control.paused, finished: seq >= head)
    }

    /// Applies the controls given; `seek` is clamped to the log's time range.
    func control(speed: Double?, paused: Bool?, seek: Timestamp?) {
        control.withLock { control in
            control.reanchor()
            if let speed { control.speed = speed }
            if let paused { control.paused = paused }
            if let seek { control.seek = min(max(seek.milliseconds, first), last) }
        }
    }

    /// Stops the player (shutdown).
    func stop() {
        control.withLock { $0.stopped = true }
    }

    /// The player's loop: apply what the virtual clock has reached, then sleep a little.
    private func play() {
        var next: UInt64 = 1
        var pending: [(seq: UInt64, event: Event)] = []
        while true {
            let (now, seek, stopped) = control.withLock { control -> (Int64, Int64?, Bool) in
                defer { control.seek = nil }
                if let seek = control.seek {
                    control.virtualAnchor = seek
                    control.anchor = .now
                }
                return (control.virtualNow(), control.seek, control.stopped)
            }
            if stopped { return }
            if let seek, seek < readModel.read({ $0.desk.lastAt?.milliseconds ?? .min }) {
                next = rebuild(at: seek)
                pending = []
            }
            readModel.setVirtualNow(Timestamp(milliseconds: min(now, last)))
            var batch: [(seq: UInt64, event: Event)] = []
            while batch.count < 5000 {
                if pending.isEmpty {
                    guard next <= head else { break }
                    pending = (try? read(from: next)) ?? []
                    guard let lastRead = pending.last else { break }
                    next = lastRead.seq + 1
                    pending.reverse()
                }
                guard let upcoming = pending.last, upcoming.event.at.milliseconds <= now else { break }
                batch.append(pending.removeLast())
            }
            if !batch.isEmpty {
                readModel.apply(batch)
                live.publish(batch)
                continue
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    private func read(from seq: UInt64) throws -> [(seq: UInt64, event: Event)] {
        var events: [(seq: UInt64, event: Event)] = []
        try store.events(from: seq) { seq, event in
            events.append((seq, event))
            return events.count < 2000
        }
        return events
    }

    /// The read model as of the instant `at` (every event with `at` ≤ it); the seq to go on from.
    private func rebuild(at instant: Int64) -> UInt64 {
        guard let replayed = try? Replay.run(store, at: Timestamp(milliseconds: instant), snapshots: .standard) else { return 1 }
        let recent = (try? CommandCenterServer.recentPosts(store, through: replayed.lastSeq)) ?? []
        readModel.reset(ReadModel.State(desk: replayed.desk, statistics: replayed.statistics, recent: recent))
        live.reset(seq: replayed.lastSeq)
        return replayed.lastSeq + 1
    }
}
