import Foundation

/// The `aside` table of a log's schema: `(name text PRIMARY KEY, value bytea, version bigint)`,
/// made when first written. Updates take the log's transaction lock, like an append.
struct PostgresSideDocuments {
    let location: PostgresLocation
    private let pool: PostgresPool
    private var table: String { "\"\(location.log)\".aside" }

    init(_ location: PostgresLocation) {
        self.location = location
        self.pool = PostgresPool.shared(location)
    }

    func read(_ name: String) throws(LogError) -> [UInt8]? {
        try pool.with { link throws(LogError) -> [UInt8]? in
            guard try exists(link) else { return nil }
            return try link.query("SELECT value FROM \(table) WHERE name = $1", text: [name]).first?.bytes(0)
        }
    }

    private func exists(_ link: PostgresLink) throws(LogError) -> Bool {
        let rows = try link.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'aside'", text: [location.log])
        if !rows.isEmpty { return true }
        guard try !link.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", text: [location.log]).isEmpty else {
            throw LogError(.missing, "\(location): no such log (create one with `smcc init \(location)`)")
        }
        return false
    }

    private static let checked = NSLock()
    nonisolated(unsafe) private static var lastVersions: [String: (at: Date, version: [Int64]?)] = [:]

    func version(_ name: String, fresh: Bool = false) -> [Int64]? {
        let key = location.description + "#" + name
        Self.checked.lock()
        let known = Self.lastVersions[key]
        Self.checked.unlock()
        if !fresh, let known, Date().timeIntervalSince(known.at) < 1 { return known.version }
        let version = try? pool.with { link throws(LogError) -> [Int64]? in
            guard try exists(link) else { return nil }
            return try link.query("SELECT version FROM \(table) WHERE name = $1", text: [name]).first.map { [$0.integer(0)] }
        }
        Self.checked.lock()
        Self.lastVersions[key] = (Date(), version.flatMap { $0 })
        Self.checked.unlock()
        return version.flatMap { $0 }
    }

    func update<T>(_ name: String, _ change: ([UInt8]?) throws -> (T, [UInt8]?)) throws -> T {
        let result = try pool.with { link throws(LogError) -> Result<T, any Error> in
            let existed = try exists(link)
            try link.beginWriting(log: location.log)
            do throws(LogError) {
                if !existed {
                    try link.query("CREATE TABLE IF NOT EXISTS \(table) (name text PRIMARY KEY, value bytea NOT NULL, version bigint NOT NULL)")
                }
                let current = try link.query("SELECT value FROM \(table) WHERE name = $1", text: [name]).first?.bytes(0)
                let outcome: Result<(T, [UInt8]?), any Error> = Result { try change(current) }
                guard case .success(let (value, bytes)) = outcome else {
                    try link.query("ROLLBACK")
                    return outcome.map(\.0)
                }
                if let bytes {
                    try link.query("""
                        INSERT INTO \(table) (name, value, version) VALUES (convert_from($1, 'UTF8'), $2, 1)
                        ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, version = \(table).version + 1
                        """, [Array(name.utf8), bytes])
                }
                try link.query("COMMIT")
                return .success(value)
            } catch {
                if !link.isBroken { _ = try? link.query("ROLLBACK") }
                throw error
            }
        }
        return try result.get()
    }
}
