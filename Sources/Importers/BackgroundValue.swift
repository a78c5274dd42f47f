import Dispatch

/// A value computed on another thread while the caller goes on: an archive import hashes its
/// files (its identity, `ImportIdentity`) while its first pass reads and checks the same files,
/// rather than before it, on a core that would otherwise wait.
///
/// The work has no effect beyond its value: when the caller gives up without asking for it (the
/// first pass refused a row), it runs to its end unobserved.
final class BackgroundValue<Value>: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written by the worker before it leaves `group`, read only after waiting for it.
    private var result: Result<Value, any Error>?

    init(_ compute: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async(group: group) { self.result = Result(catching: compute) }
    }

    /// Waits for the value.
    /// - Throws: what the computation threw.
    func get() throws -> Value {
        group.wait()
        return try result!.get()
    }
}
