// # Server
//
// The live backend of the command center over HTTP (Hummingbird 2): `smcc serve LOG`.
// It owns, for one log, the single writer (`CommandWriter`: group commit of desk commands with
// idempotency keys and If-Match), the read model the queues and statistics are answered from
// (`ReadModel`), the live event stream (`LiveEvents`, Server-Sent Events), bearer-token
// authentication (`TokenStore`, `Authenticator`, `AuthenticationMiddleware` → `DeskRequestContext`),
// strict request input (`RequestInput`, `JSONBody`), the routes by resource (`Controllers/`),
// problem+json errors (`Problem`, `ProblemMiddleware`), connection limits (`RequestTimeoutHandler`)
// and Prometheus metrics (`ServerMetrics`). The contract is Schemas/openapi.yaml.

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
    /// How long connections and streams may take.
    public struct Limits: Sendable {
        /// A connection with no request in progress, or whose request's headers are not done, is closed after this.
        public var idleTimeout: Duration = .seconds(60)
        /// A request whose body is not fully received this long after its headers is closed.
        public var requestTimeout: Duration = .seconds(30)
        /// A live stream with nothing to send writes a comment this often.
        public var keepAlive: Duration = .seconds(15)

        public init() {}
    }

    public var log: String
    public var host: String
    public var port: Int
    public var limits: Limits
    /// Replay the log at this speed (1–600× the real pace) instead of serving it live; read-only.
    public var replaySpeed: Double?

    public init(log: String, host: String = "127.0.0.1", port: Int = 8080, limits: Limits = Limits(), replaySpeed: Double? = nil) {
        self.log = log
        self.host = host
        self.port = port
        self.limits = limits
        self.replaySpeed = replaySpeed
    }

    /// Runs the server; `onListening` gets the bound port (useful with port 0).
    /// - Throws: `LogError` when the log cannot be opened or another process writes to it.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "smcc-serve", factory: ServerLogHandler.init)
        logger.logLevel = .warning
        let metrics = ServerMetrics()
        let live = LiveEvents(keepAlive: limits.keepAlive)
        let parts: Parts
        let service: any Service
        if let replaySpeed {
            let store = try EventStore.openForReplay(at: log)
            let readModel = ReadModel(desk: DeskState(), statistics: Statistics())
            let driver = try ReplayDriver(store: store, readModel: readModel, live: live, speed: replaySpeed)
            parts = Parts(store: store, writer: nil, readModel: readModel, live: live, metrics: metrics, driver: driver, logger: logger)
            service = ReplayService(driver: driver, live: live)
        } else {
            let lock = try EventLog.takeWriterLock(of: log, sharedWithServers: true)
            let store = try EventStore.open(at: log)
            // The desk decides who may do what: it is replayed from the events, never loaded from
            // a snapshot (a cache whose key lives beside the log). The statistics may start from one.
            var replayed = try Replay.run(store, projections: .desk, snapshots: .none)
            replayed.statistics = try Replay.run(store, through: replayed.lastSeq, projections: .statistics).statistics
            // Live events are dated now, and a log's time never goes back: on a log dated in the
            // future every command would be dated after it (reaction times 0, `--at` blind).
            if let last = replayed.desk.lastAt, let problem = last.tooFarAhead() {
                throw LogError(.invalidRecord, "\(log)'s last event is dated \(problem); live events cannot be appended after it. Check this machine's clock, or the import that dated it")
            }
            let readModel = ReadModel(desk: replayed.desk, statistics: replayed.statistics, recent: try Self.recentPosts(store, through: replayed.lastSeq))
            let publisher = Publisher(readModel: readModel, live: live)
            let writer = CommandWriter(store: store, state: replayed.desk, publisher: publisher, metrics: metrics, logger: logger)
            parts = Parts(store: store, writer: writer, readModel: readModel, live: live, metrics: metrics, driver: nil, logger: logger)
            service = WriterService(writer: writer, publisher: publisher, live: live, lock: lock)
        }
        let requestTimeout = TimeAmount.nanoseconds(Int64(limits.requestTimeout.seconds * 1e9))
        let app = Application(
            router: buildRouter(parts),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [RequestTimeoutHandler(timeout: requestTimeout)],
                idleTimeout: .nanoseconds(Int64(limits.idleTimeout.seconds * 1e9)))),
            configuration: .init(address: .hostname(host, port: port), serverName: "smcc"),
            services: [service],
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService()
    }

    /// What the routes are built from.
    struct Parts {
        var store: EventStore
        var writer: CommandWriter?
        var readModel: ReadModel
        var live: LiveEvents
        var metrics: ServerMetrics
        var driver: ReplayDriver?
        var logger: Logger
    }

    /// Every route, behind the error mapping and the authentication middleware.
    func buildRouter(_ parts: Parts) -> Router<DeskRequestContext> {
        let replaying = parts.driver != nil
        let access = Access(readModel: parts.readModel, replay: replaying)
        let texts = PostTexts(store: parts.store)
        let commands = CommandRunner(store: parts.store, writer: parts.writer, access: access, log: log, logger: parts.logger)
        let router = Router(context: DeskRequestContext.self)
        let table = MethodTable(router: router)
        // Middlewares wrap the routes added after them; the error mapping goes outermost.
        router.middlewares.add(ProblemMiddleware<DeskRequestContext>(metrics: parts.metrics, logger: parts.logger, allowed: table.allowed))
        router.middlewares.add(AuthenticationMiddleware(authenticator: Authenticator(log: log, logger: parts.logger)))
        table.addRoutes(PageController().endpoints)
        table.addRoutes(OperationsController(readModel: parts.readModel, live: parts.live, metrics: parts.metrics, access: access).endpoints)
        table.addRoutes(PostController(commands: commands, readModel: parts.readModel, texts: texts, access: access).endpoints)
        table.addRoutes(TeamController(commands: commands).endpoints)
        table.addRoutes(ErasureController(commands: commands, texts: texts).endpoints)
        table.addRoutes(QueueController(readModel: parts.readModel, texts: texts, access: access).endpoints)
        table.addRoutes(EventController(store: parts.store, readModel: parts.readModel, live: parts.live, access: access, replay: replaying).endpoints)
        table.addRoutes(DeskController(readModel: parts.readModel, access: access, replay: replaying).endpoints)
        table.addRoutes(ReplayController(driver: parts.driver, access: access).endpoints)
        return router
    }

    /// The last inbound posts up to `seq`, for the wall's feed (read from the log's last events).
    static func recentPosts(_ store: EventStore, through seq: UInt64) throws -> [(seq: UInt64, at: Timestamp, post: PostReceived)] {
        var recent: [(seq: UInt64, at: Timestamp, post: PostReceived)] = []
        try store.events(from: seq > 2000 ? seq - 2000 : 1, through: seq) { seq, event in
            ReadModel.remember(event, seq: seq, in: &recent)
            return true
        }
        return recent
    }
}

/// Closes the writer side after the HTTP server stopped (services shut down in reverse order, so
/// the server has drained its requests by then): commits what is queued, ends the live streams,
/// and lets the writer lock go.
private struct WriterService: Service {
    let writer: CommandWriter
    let publisher: Publisher
    let live: LiveEvents
    let lock: any WriterLockHolder

    func run() async throws {
        try? await gracefulShutdown()
        writer.close()
        publisher.close()
        live.close()
        withExtendedLifetime(lock) {}
    }
}

/// Stops the replay's player and ends the live streams once the HTTP server stopped.
private struct ReplayService: Service {
    let driver: ReplayDriver
    let live: LiveEvents

    func run() async throws {
        try? await gracefulShutdown()
        driver.stop()
        live.close()
    }
}
