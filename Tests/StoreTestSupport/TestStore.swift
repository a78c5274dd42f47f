// Shared by the test targets: which engines a store test runs on, and a place for a log on each.

public import EventLog
import Foundation

/// The engines a store test runs on: LMDB always; PostgreSQL when `SMCC_TEST_POSTGRES` names a
/// server (`Tools/test.sh` starts a throwaway cluster and sets it; CI always has one).
public enum TestStore: String, CaseIterable, Sendable {
    case lmdb, postgres

    /// The server's URL without `log=`, e.g. `postgresql://postgres@127.0.0.1:55432/smcc_test`.
    public static let postgresURL: String? = ProcessInfo.processInfo.environment["SMCC_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// What a parameterised test runs on here.
    public static let available: [TestStore] = postgresURL == nil ? [.lmdb] : [.lmdb, .postgres]

    /// Why the PostgreSQL variants do not run.
    public static let postgresMissing = "SMCC_TEST_POSTGRES is not set: the PostgreSQL variants of the store tests are skipped (Tools/test.sh starts a server and sets it)"

    /// Where a log named `name` goes: `directory/name`, or a schema of its own on the test server
    /// (the same for the same directory and name), recorded in `logs` so that
    /// ``removeTestLogs(_:)`` drops it.
    public func location(_ name: String, under directory: String, logs: inout [String]) -> String {
        switch self {
        case .lmdb:
            return directory + "/" + name
        case .postgres:
            let clean = name.lowercased().filter { ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "_" }.prefix(30)
            // FNV-1a of the directory: a test's directories are unique, so are their schemas.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in directory.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            let location = Self.postgresURL! + "?log=t" + String(hash, radix: 16) + "_" + clean
            if !logs.contains(location) { logs.append(location) }
            return location
        }
    }
}

/// Drops the PostgreSQL logs a test made (LMDB logs go with their directory).
public func removeTestLogs(_ logs: [String]) {
    for log in logs { try? EventLog.destroy(at: log) }
}
