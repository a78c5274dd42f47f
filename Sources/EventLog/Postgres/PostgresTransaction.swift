import Foundation

/// A transaction on one connection. Every write bumps ``generation`` so that cursors drop the rows
/// they fetched ahead, which the write may have changed.
final class PostgresTransaction: Transaction {
    let link: PostgresLink
    let schema: String
    private(set) var generation = 0

    init(link: PostgresLink, schema: String) {
        self.link = link
        self.schema = schema
    }

    func table(_ db: Database) -> String { PostgresEnvironment.table(schema, db.name) }

    func statistics(_ db: Database) throws(LogError) -> DatabaseStatistics {
        let table = table(db)
        let row = try link.query("SELECT count(*)::bigint, pg_total_relation_size('\(table.replacingOccurrences(of: "'", with: "''"))'::regclass)::bigint FROM \(table)").first
        return DatabaseStatistics(entries: Int(row?.integer(0) ?? 0), bytes: Int(row?.integer(1) ?? 0))
    }

    func get(_ db: Database, _ key: [UInt8]) throws(LogError) -> [UInt8]? {
        let order = db.duplicateSorted ? " ORDER BY value LIMIT 1" : ""
        return try link.query("SELECT value FROM \(table(db)) WHERE key = $1\(order)", [key]).first?.bytes(0)
    }

    func put(_ db: Database, _ key: [UInt8], _ value: [UInt8], append: Bool) throws(LogError) {
        generation += 1
        if db.duplicateSorted {
            try link.query("INSERT INTO \(table(db)) (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING", [key, value])
        } else {
            try link.query("INSERT INTO \(table(db)) (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [key, value])
        }
    }

    /// Up to 1,000 rows a statement (two parameters each, well under PostgreSQL's 65,535).
    func putMany(_ db: Database, _ entries: [(key: [UInt8], value: [UInt8])]) throws(LogError) {
        generation += 1
        let conflict = db.duplicateSorted ? "ON CONFLICT DO NOTHING" : "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
        var start = entries.startIndex
        while start < entries.endIndex {
            var slice = Array(entries[start..<min(start + 1_000, entries.endIndex)])
            start += slice.count
            if !db.duplicateSorted {
                // One statement may not touch a key twice: the last value of a key wins, as with puts.
                var last: [[UInt8]: Int] = [:]
                for (index, entry) in slice.enumerated() { last[entry.key] = index }
                slice = slice.enumerated().filter { last[$0.element.key] == $0.offset }.map(\.element)
            }
            let placeholders = (0..<slice.count).map { "($\(2 * $0 + 1), $\(2 * $0 + 2))" }.joined(separator: ", ")
            try link.query("INSERT INTO \(table(db)) (key, value) VALUES \(placeholders) \(conflict)", slice.flatMap { [$0.key, $0.value] })
        }
    }

    var answersPrefixBounds: Bool { true }

    func prefixBounds(_ db: Database, _ prefixes: [[UInt8]]) throws(LogError) -> [(last: (key: [UInt8], value: [UInt8])?, firstKey: [UInt8]?)]? {
        guard !prefixes.isEmpty else { return [] }
        let table = table(db)
        let range = "key >= k.p || '\\x0000000000000000'::bytea AND key <= k.p || '\\xffffffffffffffff'::bytea"
        let rows = try link.query("""
            SELECT k.i, l.key, l.value, f.key FROM unnest($1::bytea[]) WITH ORDINALITY AS k(p, i)
            LEFT JOIN LATERAL (SELECT key, value FROM \(table) WHERE \(range) ORDER BY key DESC LIMIT 1) l ON true
            LEFT JOIN LATERAL (SELECT key FROM \(table) WHERE \(range) ORDER BY key LIMIT 1) f ON true
            ORDER BY k.i
            """, array: prefixes)
        guard rows.count == prefixes.count else {
            throw LogError(.storage, "\(table): asked for \(prefixes.count) index keys, got \(rows.count) rows")
        }
        return rows.map { row in
            let last = row.optionalBytes(1).map { (key: $0, value: row.bytes(2)) }
            return (last, row.optionalBytes(3))
        }
    }

    func delete(_ db: Database, _ key: [UInt8]) throws(LogError) {
        generation += 1
        try link.query("DELETE FROM \(table(db)) WHERE key = $1", [key])
    }

    func empty(_ db: Database) throws(LogError) {
        generation += 1
        try link.query("DELETE FROM \(table(db))")
    }

    func openCursor(_ db: Database) throws(LogError) -> any Cursor {
        PostgresCursor(transaction: self, table: table(db), duplicateSorted: db.duplicateSorted)
    }
}

@available(*, unavailable)
extension PostgresTransaction: Sendable {}

/// A cursor over one table. Each move that leaves the rows fetched so far runs one query, which
/// fetches ahead in the direction of travel, more rows each time the cursor keeps going (a scan
/// of the log costs a few hundred queries, a lookup one or two).
final class PostgresCursor: Cursor {
    private typealias Row = (key: [UInt8], value: [UInt8])

    private let transaction: PostgresTransaction
    private let table: String
    private let duplicateSorted: Bool
    private var current: Row?
    /// Rows after `current` in the direction of travel, nearest first.
    private var ahead: [Row] = []
    private var ascending = true
    /// The query that filled `ahead` returned all there is in that direction.
    private var exhausted = false
    private var generation: Int
    private var batch = 4
    /// The bytes lent for the current row and the one before it (a caller may still read those).
    private var lent: [UnsafeMutableRawBufferPointer] = []

    init(transaction: PostgresTransaction, table: String, duplicateSorted: Bool) {
        self.transaction = transaction
        self.table = table
        self.duplicateSorted = duplicateSorted
        self.generation = transaction.generation
    }

    deinit { close() }

    func close() {
        for buffer in lent { buffer.deallocate() }
        lent = []
    }

    private var order: String { duplicateSorted ? "key, value" : "key" }
    private var reverseOrder: String { duplicateSorted ? "key DESC, value DESC" : "key DESC" }

    private enum Bound {
        case none
        case after(Row), before(Row)
        case keyAtLeast([UInt8]), keyAtMost([UInt8]), keyAbove([UInt8])
    }

    /// Fetches rows in one direction from a bound, as the new `ahead`.
    private func fetch(_ bound: Bound, ascending: Bool, limit: Int) throws(LogError) {
        var condition = ""
        var parameters: [[UInt8]] = []
        switch bound {
        case .none: break
        case .after(let row):
            condition = duplicateSorted ? "WHERE (key, value) > ($1, $2)" : "WHERE key > $1"
            parameters = duplicateSorted ? [row.key, row.value] : [row.key]
        case .before(let row):
            condition = duplicateSorted ? "WHERE (key, value) < ($1, $2)" : "WHERE key < $1"
            parameters = duplicateSorted ? [row.key, row.value] : [row.key]
        case .keyAtLeast(let key): condition = "WHERE key >= $1"; parameters = [key]
        case .keyAtMost(let key): condition = "WHERE key <= $1"; parameters = [key]
        case .keyAbove(let key): condition = "WHERE key > $1"; parameters = [key]
        }
        let rows = try transaction.link.query(
            "SELECT key, value FROM \(table) \(condition) ORDER BY \(ascending ? order : reverseOrder) LIMIT \(limit)", parameters)
        ahead = rows.map { ($0.bytes(0), $0.bytes(1)) }
        self.ascending = ascending
        exhausted = rows.count < limit
        generation = transaction.generation
    }

    /// Steps one row in a direction, from the rows fetched ahead when they are still good.
    private func step(ascending: Bool) throws(LogError) -> Row? {
        guard let from = current else {
            try fetch(.none, ascending: ascending, limit: batch)
            return ahead.isEmpty ? nil : ahead.removeFirst()
        }
        if ascending != self.ascending || generation != transaction.generation {
            batch = 4
            ahead = []
            exhausted = false
        }
        self.ascending = ascending
        if ahead.isEmpty {
            if exhausted && generation == transaction.generation { return nil }
            batch = min(batch * 4, 1024)
            try fetch(ascending ? .after(from) : .before(from), ascending: ascending, limit: batch)
        }
        return ahead.isEmpty ? nil : ahead.removeFirst()
    }

    private func land(_ row: Row?) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        guard let row else { return nil }
        current = row
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(row.key.count + row.value.count, 1), alignment: 1)
        row.key.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[0..<row.key.count]).copyMemory(from: $0) }
        row.value.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[row.key.count..<row.key.count + row.value.count]).copyMemory(from: $0) }
        lent.append(buffer)
        if lent.count > 2 { lent.removeFirst().deallocate() }
        return (UnsafeRawBufferPointer(rebasing: buffer[0..<row.key.count]),
                UnsafeRawBufferPointer(rebasing: buffer[row.key.count..<row.key.count + row.value.count]))
    }

    /// Positions on the first row a fresh query from `bound` finds.
    private func seek(_ bound: Bound, ascending: Bool) throws(LogError) -> Row? {
        batch = 4
        try fetch(bound, ascending: ascending, limit: batch)
        return ahead.isEmpty ? nil : ahead.removeFirst()
    }

    func move(_ position: CursorPosition) throws(LogError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        switch position {
        case .first: return land(try seek(.none, ascending: true))
        case .last: return land(try seek(.none, ascending: false))
        case .next: return land(try step(ascending: true))
        case .previous: return land(try step(ascending: false))
        case .atOrAfter(let key): return land(try seek(.keyAtLeast(key), ascending: true))
        case .exactly(let key):
            guard let row = try seek(.keyAtLeast(key), ascending: true), row.key == key else {
                current = nil
                return nil
            }
            return land(row)
        case .nextDuplicate:
            guard let from = current else { return nil }
            let saved = (ahead, ascending, exhausted, generation, batch)
            guard let row = try step(ascending: true), row.key == from.key else {
                (ahead, ascending, exhausted, generation, batch) = saved
                current = from
                return nil
            }
            return land(row)
        case .nextKey:
            guard let from = current else { return land(try seek(.none, ascending: true)) }
            while ascending, generation == transaction.generation, let row = ahead.first {
                ahead.removeFirst()
                if row.key != from.key { return land(row) }
            }
            return land(try seek(.keyAbove(from.key), ascending: true))
        }
    }

    func moveAtOrBefore(_ target: [UInt8]) throws(LogError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        land(try seek(.keyAtMost(target), ascending: false))
    }

    func duplicateCount() throws(LogError) -> Int {
        guard let current else { return 0 }
        return Int(try transaction.link.query("SELECT count(*)::bigint FROM \(table) WHERE key = $1", [current.key]).first?.integer(0) ?? 0)
    }
}
