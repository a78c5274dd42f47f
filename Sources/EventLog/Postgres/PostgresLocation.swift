import Foundation

/// Where a log on PostgreSQL lives: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?log=NAME`
/// (also `postgres://`), the log being the schema NAME of DATABASE (`smcc` when `log=` is absent).
/// The password never appears in ``description``: that string names the log in messages.
struct PostgresLocation: CustomStringConvertible, Sendable, Hashable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    /// The log's name: the schema holding its tables.
    var log: String

    static let defaultLog = "smcc"

    /// Whether `path` is meant as a PostgreSQL URL rather than a directory.
    static func names(_ path: String) -> Bool {
        path.hasPrefix("postgresql://") || path.hasPrefix("postgres://")
    }

    /// The location `path` names; `nil` when it is not a PostgreSQL URL (a directory).
    ///
    /// - Throws: `.notALog` naming what is wrong with a URL that cannot be used.
    init?(parsing path: String) throws(LogError) {
        guard Self.names(path) else { return nil }
        let shown = Self.withoutPassword(path)
        guard let components = URLComponents(string: path) else {
            throw LogError(.notALog, "\(shown) is not a URL: expected postgresql://USER@HOST[:PORT]/DATABASE?log=NAME")
        }
        guard let host = components.host, !host.isEmpty else {
            throw LogError(.notALog, "\(shown) names no host: expected postgresql://USER@HOST[:PORT]/DATABASE?log=NAME")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw LogError(.notALog, "\(shown) names no database (or more than one path segment): expected postgresql://USER@HOST[:PORT]/DATABASE?log=NAME")
        }
        var log = Self.defaultLog
        for item in components.queryItems ?? [] {
            guard item.name == "log", let value = item.value else {
                throw LogError(.notALog, "\(shown): unknown URL parameter '\(item.name)' (only log=NAME is taken)")
            }
            log = value
        }
        guard Self.isValidLogName(log) else {
            throw LogError(.notALog, "\(shown): log=\(log) is not a log name (1–63 characters of a–z, 0–9 and _, not starting with a digit or pg_)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        self.password = components.password
        self.database = database
        self.log = log
    }

    /// A log name is an unquoted-safe schema name, so it can be spliced into SQL as an identifier.
    static func isValidLogName(_ name: String) -> Bool {
        // PostgreSQL reserves `pg_` for its own schemas.
        guard let first = name.utf8.first, name.utf8.count <= 63, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
              !name.hasPrefix("pg_") else { return false }
        return name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    /// The same database, another log in it.
    func with(log: String) -> PostgresLocation {
        var other = self
        other.log = log
        return other
    }

    /// The URL of this location, with its password (to open it again).
    var url: String {
        var components = URLComponents()
        components.scheme = "postgresql"
        components.user = user
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "log", value: log)]
        return components.string ?? description
    }

    var description: String { "postgresql://\(user)@\(host):\(port)/\(database)?log=\(log)" }

    /// The database, without a log: what a connection reaches.
    var server: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    private static func withoutPassword(_ path: String) -> String {
        guard let at = path.lastIndex(of: "@"), let scheme = path.range(of: "://"),
              let colon = path[scheme.upperBound..<at].firstIndex(of: ":") else { return path }
        return String(path[..<colon]) + String(path[at...])
    }
}
