// # Server
//
// The live backend of the command center over HTTP (Hummingbird 2): `smcc serve LOG`.
// It owns, for one log, the single writer (`CommandWriter`: group commit of desk commands with
// idempotency keys and If-Match), the read model the queues and statistics are answered from
// (`ReadModel`), the live event stream (`LiveEvents`, Server-Sent Events), bearer-token
// authentication (`TokenStore`, `Authenticator`), problem+json errors (`Problem`) and Prometheus
// metrics (`ServerMetrics`). The contract is Schemas/openapi.yaml.

import CommandCenter
import EventLog
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Serves one log over HTTP until SIGTERM or SIGINT, then drains in-flight requests, commits what
/// is queued, and closes the log.
public struct CommandCenterServer: Sendable {
    public var log: String
    public var host: String
    public var port: Int

    public init(log: String, host: String = "127.0.0.1", port: Int = 8080) {
        self.log = log
        self.host = host
        self.port = port
    }

    /// Runs the server; `onListening` gets the bound port (useful with port 0).
    /// - Throws: `LogError` when the log cannot be opened or another process writes to it.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let lock = try WriterLock(log: log)
        let store = try EventStore.open(at: log)
        // The desk decides who may do what: it is replayed from the events, never loaded from a
        // snapshot (a cache whose key lives beside the log). The statistics may start from one.
        var replayed = try Replay.run(store, projections: .desk, snapshots: .none)
        replayed.statistics = try Replay.run(store, through: replayed.lastSeq, projections: .statistics).statistics
        // Live events are dated now, and a log's time never goes back: on a log dated in the future
        // every command would be dated after it (reaction times 0, `--at` blind).
        if let last = replayed.desk.lastAt, let problem = last.tooFarAhead() {
            throw LogError(.invalidRecord, "\(log)'s last event is dated \(problem); live events cannot be appended after it. Check this machine's clock, or the import that dated it")
        }
        let metrics = ServerMetrics()
        let readModel = ReadModel(desk: replayed.desk, statistics: replayed.statistics)
        let live = LiveEvents()
        let publisher = Publisher(readModel: readModel, live: live)
        let writer = CommandWriter(store: store, state: replayed.desk, publisher: publisher, metrics: metrics)
        let api = API(store: store, writer: writer, readModel: readModel, live: live, auth: Authenticator(log: log), metrics: metrics)

        let router = Router()
        router.middlewares.add(ProblemMiddleware<BasicRequestContext>(metrics: metrics))
        api.register(on: router)
        var logger = Logger(label: "smcc-serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "smcc"),
            services: [WriterService(writer: writer, publisher: publisher, live: live, lock: lock)],
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService()
    }
}

/// Closes the writer side after the HTTP server stopped (services shut down in reverse order, so
/// the server has drained its requests by then): commits what is queued, ends the live streams,
/// and lets the writer lock go.
private struct WriterService: Service {
    let writer: CommandWriter
    let publisher: Publisher
    let live: LiveEvents
    let lock: WriterLock

    func run() async throws {
        try? await gracefulShutdown()
        writer.close()
        publisher.close()
        live.close()
        withExtendedLifetime(lock) {}
    }
}
