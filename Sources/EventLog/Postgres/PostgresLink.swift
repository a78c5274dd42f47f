import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to PostgreSQL, used synchronously: the log's interface is synchronous (LMDB's
/// reads take microseconds and are made from everywhere, projections included), so each query
/// waits for its answer on the calling thread. The connections' own I/O runs on one event-loop
/// thread of their own, never on a thread that waits for them (``PostgresLink/eventLoops``), so a
/// wait can never block the loop it waits on.
final class PostgresLink: @unchecked Sendable {
    /// Shared by every connection of the process, for its lifetime.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private static let logger: Logger = {
        var logger = Logger(label: "smcc.postgres")
        logger.logLevel = .critical
        return logger
    }()
    private static let nextID = NSLock()
    nonisolated(unsafe) private static var lastID = 0

    let location: PostgresLocation
    private let connection: PostgresConnection
    /// Set once a query failed in a way that leaves the session unusable (the connection broke).
    private(set) var isBroken = false

    init(_ location: PostgresLocation) throws(LogError) {
        self.location = location
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable
        )
        Self.nextID.lock()
        Self.lastID += 1
        let id = Self.lastID
        Self.nextID.unlock()
        do {
            connection = try PostgresConnection.connect(on: Self.eventLoops.next(), configuration: configuration, id: id, logger: Self.logger).wait()
        } catch {
            throw Self.logError(error, location: location, doing: "connecting")
        }
    }

    deinit {
        // postgres-nio insists a connection is closed before it goes (it asserts in debug builds).
        let closing: EventLoopFuture<Void> = connection.close()
        try? closing.wait()
    }

    /// Runs one statement with byte-string parameters (`$1`, `$2`, …) and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [[UInt8]] = []) throws(LogError) -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters { bindings.append(ByteBuffer(bytes: parameter)) }
        return try run(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }

    /// Runs one statement whose one parameter `$1` is an array of byte strings (`bytea[]`).
    @discardableResult
    func query(_ sql: String, array: [[UInt8]]) throws(LogError) -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(array.map { ByteBuffer(bytes: $0) })
        return try run(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }

    /// Runs one statement whose parameters are text (names, counts).
    @discardableResult
    func query(_ sql: String, text parameters: [String]) throws(LogError) -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters { bindings.append(parameter) }
        return try run(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }

    private func run(_ query: PostgresQuery) throws(LogError) -> [PostgresRow] {
        do {
            return try connection.query(query, logger: Self.logger).wait().rows
        } catch {
            if let error = error as? PSQLError, error.serverInfo == nil { isBroken = true }
            if !(error is PSQLError) { isBroken = true }
            throw Self.logError(error, location: location, doing: "running a query")
        }
    }

    /// Begins a transaction holding the writer lock of the log `log` until it ends
    /// (`Schemas/log-format.md` §12). Under READ COMMITTED every statement after the lock sees what
    /// the previous holder committed.
    func beginWriting(log: String) throws(LogError) {
        try query("BEGIN")
        do throws(LogError) {
            try query("SELECT pg_advisory_xact_lock(\(PostgresEnvironment.transactionLockClass), hashtext($1))", text: [log])
        } catch {
            if !isBroken { _ = try? query("ROLLBACK") }
            throw error
        }
    }

    /// A `LogError` a person can act on, from what postgres-nio threw.
    static func logError(_ error: any Error, location: PostgresLocation, doing what: String) -> LogError {
        guard let error = error as? PSQLError else {
            return LogError(.storage, "\(location.server): \(what) failed: \(error)")
        }
        if let info = error.serverInfo {
            let message = info[.message] ?? "an error"
            let state = info[.sqlState] ?? ""
            let text = "\(location.server): PostgreSQL says: \(message) (SQLSTATE \(state))"
            switch state {
            case "53100": return LogError(.noSpace, "\(text); nothing was written: free some space and try again")
            case "42501", "28000", "28P01": return LogError(.permissionDenied, text)
            case "3D000": return LogError(.missing, "\(location.server): no database \(location.database) on \(location.host):\(location.port) (create it with `createdb`)")
            case "25006": return LogError(.readOnly, text)
            default: return LogError(.storage, text)
            }
        }
        let cause = error.underlying.map { "\($0)" } ?? "\(error.code)"
        return LogError(.storage, "\(location.server): cannot reach PostgreSQL at \(location.host):\(location.port) while \(what) (\(cause))")
    }
}

/// A few connections to one database, reused: a transaction takes one and gives it back.
final class PostgresPool: @unchecked Sendable {
    let location: PostgresLocation
    private let condition = NSCondition()
    private var idle: [PostgresLink] = []
    private var opened = 0
    /// Enough for the server's writer and its readers; a reader nested in a writer takes a second.
    private let limit = 8

    private init(_ location: PostgresLocation) {
        self.location = location
    }

    private static let registry = NSLock()
    nonisolated(unsafe) private static var pools: [PostgresLocation: PostgresPool] = [:]

    /// The process's pool for the database of `location` (whatever its log): logs of one
    /// database share their connections.
    static func shared(_ location: PostgresLocation) -> PostgresPool {
        let key = location.with(log: PostgresLocation.defaultLog)
        registry.lock()
        defer { registry.unlock() }
        if let pool = pools[key] { return pool }
        let pool = PostgresPool(key)
        pools[key] = pool
        return pool
    }

    /// A connection of this pool, opened when none is idle; waits while `limit` are in use.
    func take() throws(LogError) -> PostgresLink {
        condition.lock()
        while idle.isEmpty && opened >= limit { condition.wait() }
        if let link = idle.popLast() {
            condition.unlock()
            return link
        }
        opened += 1
        condition.unlock()
        do {
            return try PostgresLink(location)
        } catch {
            condition.lock()
            opened -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    /// Gives a connection back; a broken one is dropped.
    func give(_ link: PostgresLink) {
        condition.lock()
        if link.isBroken { opened -= 1 } else { idle.append(link) }
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` with a connection of the pool.
    func with<T>(_ body: (PostgresLink) throws(LogError) -> T) throws(LogError) -> T {
        let link = try take()
        defer { give(link) }
        return try body(link)
    }
}

extension PostgresRow {
    /// The cell of column `index`, `nil` past the last column.
    private func cell(_ index: Int) -> PostgresCell? {
        var iterator = makeIterator()
        for _ in 0..<index { _ = iterator.next() }
        return iterator.next()
    }

    /// The bytes of column `index` (a `bytea` in binary format); empty for NULL.
    func bytes(_ index: Int) -> [UInt8] { optionalBytes(index) ?? [] }

    /// The bytes of column `index`, `nil` for NULL.
    func optionalBytes(_ index: Int) -> [UInt8]? {
        cell(index)?.bytes.map { Array($0.readableBytesView) }
    }

    /// Column `index` as an integer (`bigint`, `int`, `bool`).
    func integer(_ index: Int) -> Int64 {
        guard let cell = cell(index) else { return 0 }
        if let value = try? cell.decode(Int64.self) { return value }
        if let value = try? cell.decode(Bool.self) { return value ? 1 : 0 }
        return 0
    }
}
