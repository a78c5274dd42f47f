import Foundation
import StoreTestSupport
import Testing
@testable import EventLog

extension TemporaryDirectory {
    /// A new log location named `name` on `store` (see ``TestStore/location(_:under:logs:)``).
    func child(_ name: String, on store: TestStore) -> String {
        store.location(name, under: path, logs: &logs)
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
