import CommandCenter
import EventLog
import Foundation
import HTTPTypes
import Logging

/// A command as the API received it: the actor comes from the token, never from the body.
struct CommandRequest: Sendable {
    var command: DeskCommand
    var actor: String
    /// The client's `Idempotency-Key`, if any.
    var idempotencyKey: String?
    /// SHA-256 of the request (method, path, body), kept with the key: a key reused for another
    /// request is refused rather than answered with the first one's events.
    var requestDigest: [UInt8] = []
    /// The post version of `If-Match`, if any.
    var ifMatch: UInt64?
}

/// What a command did, once durable.
enum CommandAnswer: Sendable {
    /// Appended now (no events: a post already known, received again).
    case applied(events: [(seq: UInt64, event: Event)], post: String?, version: UInt64?)
    /// The same `Idempotency-Key` was already used by this actor: these are the events it appended then.
    case replayed(sequenceNumbers: [UInt64])
    /// An erasure (`POST /v1/erasures`) rewrote the log; `head` is the log's head after it.
    case erased(ErasureOutcome, head: String?)
}

/// The one writer of the log: a dedicated thread owns the desk's state and the log's write side.
///
/// Group commit: requests queue up while a commit is on disk; the thread then takes all of them,
/// judges each against the state the earlier ones of the same batch leave (so a refused command
/// costs nothing to the others), and appends every accepted command's events in one durable LMDB
/// transaction, one all-or-nothing batch per command. Answers go out through the publisher, which
/// first brings the read model up to date, so a client that reads after its command sees it.
///
/// The thread is not on the cooperative pool: a commit blocks on fsync.
final class CommandWriter: Sendable {
    private struct Pending {
        enum Job {
            case command(CommandRequest)
            /// An erasure by `actor`: it rewrites the whole log, so it runs alone, in its turn.
            case erasure(ErasureRequest, actor: String)
        }
        var job: Job
        var continuation: CheckedContinuation<CommandAnswer, any Error>

        var command: CommandRequest? { if case .command(let request) = job { request } else { nil } }
    }

    /// The most commands one transaction takes, so one commit never grows without bound.
    static let maximumBatch = 2048
    /// How often an idle writer looks for events other servers of the log appended.
    static let watchInterval = 0.1

    private let queue = WorkQueue<Pending>()

    /// Starts the writer on `store` whose current state is `state` (replayed by the caller).
    init(store: EventStore, state: DeskState, publisher: Publisher, metrics: ServerMetrics, logger: Logger) {
        let queue = self.queue
        let thread = Thread {
            var worker = Worker(store: store, state: state, publisher: publisher, metrics: metrics, logger: logger)
            worker.run(queue)
        }
        thread.name = "smcc-desk-writer"
        thread.start()
    }

    /// Judges and appends `request`, sharing the commit with concurrent callers.
    /// - Returns: once the events are durable and the read model shows them.
    /// - Throws: `Problem` (a rule refused it, the key was reused, the log failed, or the server is stopping).
    func submit(_ request: CommandRequest) async throws -> CommandAnswer {
        try await withCheckedThrowingContinuation { continuation in
            if !queue.append(Pending(job: .command(request), continuation: continuation)) {
                continuation.resume(throwing: Problem(.serviceUnavailable, "shuttingDown", "the server is shutting down; retry on its next start"))
            }
        }
    }

    /// Erases what `request` names (`EventStore.erase`) if `actor` is an active coordinator,
    /// between two commits: the log is rewritten and swapped while no command is judged, then the
    /// desk, the read model and the statistics start again from the erased log.
    /// - Returns: `.erased`, once the read model no longer holds what was erased.
    /// - Throws: `Problem` (403 not a coordinator, 404 an unknown post, 409 the log is open in
    ///   another process, 503 stopping).
    func erase(_ request: ErasureRequest, actor: String) async throws -> CommandAnswer {
        try await withCheckedThrowingContinuation { continuation in
            if !queue.append(Pending(job: .erasure(request, actor: actor), continuation: continuation)) {
                continuation.resume(throwing: Problem(.serviceUnavailable, "shuttingDown", "the server is shutting down; retry on its next start"))
            }
        }
    }

    /// Commits what is waiting, then refuses new commands. Returns when the writer thread is done.
    func close() {
        queue.close()
    }

    private struct Worker {
        let store: EventStore
        var state: DeskState
        let publisher: Publisher
        let metrics: ServerMetrics
        let logger: Logger
        /// Events of other writers read since the last publish, in log order.
        var caughtUp: [(seq: UInt64, event: Event)] = []

        /// Applies what other writers appended since the state's last event (another server of
        /// a log on PostgreSQL), keeping the events for the publisher. One read of the head when
        /// nothing is new.
        mutating func catchUp() {
            do {
                try catchUp(through: try store.headSeq())
            } catch {
                logger.error("reading what other writers appended failed: \(error)")
                rebuild()
            }
        }

        /// Applies the events after the state's last one through `head`.
        mutating func catchUp(through head: UInt64) throws(LogError) {
            guard head != state.lastSeq else { return }
            guard head > state.lastSeq else {
                throw LogError(.headMoved, "the log's head is \(head), behind this writer's \(state.lastSeq): it was replaced")
            }
            var read: [(seq: UInt64, event: Event)] = []
            do {
                try store.events(from: state.lastSeq + 1, through: head) { seq, event in
                    read.append((seq, event))
                    return true
                }
            } catch let error as LogError {
                throw error
            } catch {
                throw LogError(.storage, "\(error)")
            }
            for (seq, event) in read { state.apply(event, seq: seq) }
            caughtUp += read
        }

        mutating func run(_ queue: WorkQueue<Pending>) {
            while let taken = queue.take(atMost: CommandWriter.maximumBatch, waitingAtMost: CommandWriter.watchInterval) {
                // Events another server of the log appended reach this one's streams and read
                // model in order, before anything this one commits after them.
                catchUp()
                if !caughtUp.isEmpty {
                    publisher.publish(Publisher.Work(events: caughtUp, answers: []))
                    caughtUp = []
                }
                // Runs of commands commit together; an erasure runs alone, in its turn.
                var start = taken.startIndex
                while start < taken.endIndex {
                    if case .erasure(let request, let actor) = taken[start].job {
                        publisher.publish(erase(request, actor: actor, answering: taken[start].continuation))
                        start += 1
                        continue
                    }
                    let end = taken[start...].firstIndex { $0.command == nil } ?? taken.endIndex
                    let run = taken[start..<end]
                    let answers = commit(run.compactMap(\.command))
                    publisher.publish(Publisher.Work(events: caughtUp + answers.committed, answers: zip(run, answers.results).map { ($0.continuation, $1) }))
                    caughtUp = []
                    start = end
                }
            }
        }

        /// The erasure of `request` by `actor`, and what the publisher is to do with it: reset the
        /// read model to the erased log, send the erasure's event to the live streams, answer.
        private mutating func erase(_ request: ErasureRequest, actor: String, answering continuation: CheckedContinuation<CommandAnswer, any Error>) -> Publisher.Work {
            func failed(_ problem: Problem) -> Publisher.Work {
                Publisher.Work(events: [], answers: [(continuation, .failure(problem))])
            }
            guard let volunteer = state.volunteer(actor), volunteer.active, volunteer.role == .coordinator else {
                return failed(Problem(.forbidden, "forbidden", "only an active coordinator may erase personal data; \(actor) is not one"))
            }
            do {
                if case .post(let id) = request.target, try !store.knowsPost(id) {
                    return failed(Problem(.notFound, "notFound", "post \(id) is not in the log: nothing was erased"))
                }
                let now = Timestamp.now
                let outcome = try store.erase(request, by: actor, at: max(now, state.lastAt ?? now))
                // The rewrite dropped the snapshots: one replay from the first event gives both.
                let replayed = try Replay.run(store, projections: .all, snapshots: .none)
                state = replayed.desk
                let statistics = replayed.statistics
                let recent = try CommandCenterServer.recentPosts(store, through: state.lastSeq)
                var events: [(seq: UInt64, event: Event)] = []
                if let seq = outcome.erasureSeq { events = try store.events(at: [seq]) }
                let head = try store.head()?.description
                logger.notice("\(actor) erased the personal data of \(outcome.posts.count) posts (\(outcome.records) records)")
                return Publisher.Work(events: events, reset: ReadModel.State(desk: state, statistics: statistics, recent: recent),
                                      answers: [(continuation, .success(.erased(outcome, head: head)))])
            } catch let error as LogError where error.code == .busy {
                return failed(Problem(.conflict, "logBusy", "the log is open in another process (an smcc command reading or writing it): it can be rewritten only when no one else has it open; nothing was erased, retry when it is done"))
            } catch let error as LogError {
                rebuild()
                return failed(Problem(error, logger: logger))
            } catch {
                rebuild()
                return failed(Problem(.internalServerError, "internal", "the erasure failed"))
            }
        }

        /// Judges every request, appends the accepted ones in one transaction, and says what each got.
        ///
        /// The judging happens inside the log's write transaction, under its write lock, after
        /// catching up on what other writers appended (another server of a log on PostgreSQL):
        /// no one can append between the decision and the append, so two servers never both
        /// grant what only one may have (a claim), and no command is judged twice.
        private mutating func commit(_ batch: [CommandRequest]) -> (committed: [(seq: UInt64, event: Event)], results: [Result<CommandAnswer, any Error>]) {
            let started = ContinuousClock.now
            var results = [Result<CommandAnswer, any Error>?](repeating: nil, count: batch.count)
            var sameAs: [Int: Int] = [:]
            // The accepted commands, in order: which request, its events and records, and the
            // version of its post once applied (a later command of the batch may move it on).
            var accepted: [(request: Int, events: [Event], records: [LogRecord], version: UInt64?)] = []
            var headBefore = state.lastSeq

            var committed: [(seq: UInt64, event: Event)] = []
            do {
                let outcomes = try store.log.append { head throws(LogError) -> [[LogRecord]] in
                    try catchUp(through: head)
                    headBefore = state.lastSeq
                    judge(batch, into: &results, sameAs: &sameAs, accepted: &accepted)
                    return accepted.map(\.records)
                }
                var trustState = true
                var expected = headBefore
                var appendedEvents: [(item: Int, events: [(seq: UInt64, event: Event)])] = []
                for (position, (item, outcome)) in zip(accepted, outcomes).enumerated() {
                    switch outcome {
                    case .success(let appended):
                        let seqs = appended.sequenceNumbers
                        if seqs != (0..<UInt64(seqs.count)).map({ expected + 1 + $0 }) || appended.appended != seqs.count { trustState = false }
                        expected += UInt64(appended.appended)
                        let events = zip(seqs, item.events).map { (seq: $0, event: $1) }
                        committed.append(contentsOf: events)
                        appendedEvents.append((position, events))
                    case .failure(let error):
                        trustState = false
                        results[item.request] = .failure(Problem(error, logger: logger))
                    }
                }
                // The versions judged hold when the log took the batch as judged; otherwise
                // the state is rebuilt from the log and read again.
                if !trustState { rebuild() }
                for (position, events) in appendedEvents {
                    let item = accepted[position]
                    let version = trustState ? item.version : batch[item.request].command.post.flatMap { state.version(of: $0) }
                    results[item.request] = .success(answer(batch[item.request], events, version: version))
                }
            } catch {
                for item in accepted { results[item.request] = .failure(Problem(error, logger: logger)) }
                for index in results.indices where results[index] == nil {
                    results[index] = .failure(Problem(error, logger: logger))
                }
                committed = []
                rebuild()
            }
            if !accepted.isEmpty {
                metrics.committed(commands: accepted.count, events: committed.count, seconds: (ContinuousClock.now - started).seconds)
            }
            for (index, earlier) in sameAs {
                results[index] = results[earlier].map { result in
                    if case .success(.applied(let events, _, _)) = result, !events.isEmpty {
                        return .success(.replayed(sequenceNumbers: events.map(\.seq)))
                    }
                    return result
                }
            }
            let answered = results.map { $0 ?? .failure(Problem(.internalServerError, "internal", "the writer gave no answer")) }
            metrics.judged(answered)
            return (committed, answered)
        }

        /// Judges `batch` against the state, each command against what the earlier ones leave,
        /// applying the accepted ones' events to the state as it goes.
        private mutating func judge(
            _ batch: [CommandRequest],
            into results: inout [Result<CommandAnswer, any Error>?],
            sameAs: inout [Int: Int],
            accepted: inout [(request: Int, events: [Event], records: [LogRecord], version: UInt64?)]
        ) {
            var keysInBatch: [String: Int] = [:]
            var predicted = state.lastSeq
            for (index, request) in batch.enumerated() {
                let key = request.idempotencyKey.map { IdempotencyRecord.key(actor: request.actor, clientKey: $0) }
                if let key {
                    if let earlier = keysInBatch[key] {
                        if batch[earlier].requestDigest == request.requestDigest {
                            sameAs[index] = earlier
                        } else {
                            results[index] = .failure(IdempotencyRecord.reused(request.idempotencyKey!, detail: "by another request in flight"))
                        }
                        continue
                    }
                    do {
                        if let stored = try store.idempotencyEntry(Array(key.utf8)) {
                            results[index] = IdempotencyRecord.replay(stored, of: request)
                            continue
                        }
                    } catch {
                        results[index] = .failure(Problem(error, logger: logger))
                        continue
                    }
                    keysInBatch[key] = index
                }
                let now = Timestamp.now
                let at = max(now, state.lastAt ?? now)
                do throws(Problem) {
                    let events = try decide(request, at: at)
                    var records: [LogRecord] = []
                    for (position, event) in events.enumerated() {
                        predicted += 1
                        state.apply(event, seq: predicted)
                        var record = EventStore.record(for: event)
                        if let key {
                            record.idempotencyKey = Array((position == 0 ? key : "\(key) \(position)").utf8)
                            if position == 0 { record.idempotencyNote = IdempotencyRecord.note(count: events.count, digest: request.requestDigest) }
                        }
                        records.append(record)
                    }
                    accepted.append((index, events, records, request.command.post.flatMap { state.version(of: $0) }))
                } catch {
                    results[index] = .failure(error)
                }
            }
        }

        private func answer(_ request: CommandRequest, _ events: [(seq: UInt64, event: Event)], version: UInt64?) -> CommandAnswer {
            .applied(events: events, post: request.command.post, version: version)
        }

        /// The rules, plus `If-Match`: a stale version is 412 whatever the command.
        private func decide(_ request: CommandRequest, at: Timestamp) throws(Problem) -> [Event] {
            let command = request.ifMatch.map { request.command.expecting(version: $0) } ?? request.command
            let stale = { () -> Problem? in
                guard let ifMatch = request.ifMatch, let post = command.post else { return nil }
                let version = state.version(of: post)
                guard let version, version != ifMatch else { return nil }
                return Problem(.preconditionFailed, "versionMismatch", "post \(post) is at version \(version), not \(ifMatch) as If-Match says; reload it and decide again")
            }
            let events: [Event]
            do {
                events = try state.decide(command, actor: request.actor, at: at)
            } catch {
                if error.code == .conflict, let problem = stale() { throw problem }
                throw Problem(error)
            }
            if let problem = stale() { throw problem }
            return events
        }

        /// The log is the truth: when an append did not go as judged, start again from it.
        private mutating func rebuild() {
            if let replayed = try? Desk.replay(store) { state = replayed }
        }
    }
}

extension DeskCommand {
    /// The command with `expectedVersion` set, for the commands that take one.
    func expecting(version: UInt64) -> DeskCommand {
        switch self {
        case .assign(let post, let to, _): .assign(post: post, to: to, expectedVersion: version)
        case .unassign(let post, let reason, _): .unassign(post: post, reason: reason, expectedVersion: version)
        case .reply(let post, let text, let replyPost, _): .reply(post: post, text: text, replyPost: replyPost, expectedVersion: version)
        case .escalate(let post, let to, let reason, let priority, _): .escalate(post: post, to: to, reason: reason, priority: priority, expectedVersion: version)
        case .resolveEscalation(let post, let resolution, _): .resolveEscalation(post: post, resolution: resolution, expectedVersion: version)
        case .resolve(let post, let outcome, _): .resolve(post: post, outcome: outcome, expectedVersion: version)
        default: self
        }
    }
}
