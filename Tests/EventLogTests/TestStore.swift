import Foundation
import Testing
@testable import EventLog

/// The engines a store test runs on: LMDB always; PostgreSQL when `SMCC_TEST_POSTGRES` names a
/// server (`Tools/test.sh` starts a throwaway cluster and sets it; CI always has one).
enum TestStore: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case lmdb, postgres

    /// The server's URL without `log=`, e.g. `postgresql://postgres@127.0.0.1:55432/smcc_test`.
    static let postgresURL: String? = ProcessInfo.processInfo.environment["SMCC_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// What a parameterised test runs on here.
    static let available: [TestStore] = postgresURL == nil ? [.lmdb] : [.lmdb, .postgres]

    static let postgresMissing = "SMCC_TEST_POSTGRES is not set: the PostgreSQL variants of the store tests are skipped (Tools/test.sh starts a server and sets it)"

    var testDescription: String { rawValue }
}

extension TemporaryDirectory {
    /// A new log location named `name`: a directory here, or a schema of its own on the test server
    /// (dropped when this directory goes).
    func child(_ name: String, on store: TestStore) -> String {
        switch store {
        case .lmdb: return child(name)
        case .postgres:
            let schema = "t" + String(path.suffix(12)).lowercased().filter { $0.isLetter || $0.isNumber } + "_" + name
            schemas.append(schema)
            return TestStore.postgresURL! + "?log=" + schema
        }
    }
}

/// Drops the schemas a test made.
func dropSchemas(_ schemas: [String]) {
    guard let url = TestStore.postgresURL, !schemas.isEmpty, let location = try? PostgresLocation(parsing: url) else { return }
    guard let link = try? PostgresLink(location) else { return }
    for schema in schemas {
        _ = try? link.query("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
        for suffix in ["_rw_"] {
            let rows = (try? link.query("SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, $1)", text: [schema + suffix])) ?? []
            for row in rows { _ = try? link.query("DROP SCHEMA IF EXISTS \"\(String(decoding: row.bytes(0), as: UTF8.self))\" CASCADE") }
        }
    }
}

@Suite struct PostgresServerTests {
    @Test(.enabled(if: TestStore.postgresURL != nil, "\(TestStore.postgresMissing)"))
    func theTestServerAnswers() throws {
        let location = try #require(try PostgresLocation(parsing: TestStore.postgresURL!))
        let link = try PostgresLink(location)
        #expect(try link.query("SELECT 1::bigint").first?.integer(0) == 1)
    }
}
