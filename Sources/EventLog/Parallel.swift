import Dispatch
import Foundation

/// How far the writer's sealing may spread over the machine's cores.
enum Parallel {
    /// Cores this process may use: more slices than this only add hand-offs.
    static let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
}

/// zstd compression contexts for concurrent sealing: a context is not thread-safe, so each task
/// borrows one for its whole slice and gives it back; the pool never holds more than ran at once.
final class CompressorPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [ZstdCompressor]
    private let level: Int32

    init(level: Int32) throws(LogError) {
        self.level = level
        idle = [try ZstdCompressor(level: level)]
    }

    func withCompressor<T>(_ body: (ZstdCompressor) throws(LogError) -> T) throws(LogError) -> T {
        lock.lock()
        let borrowed = idle.popLast()
        lock.unlock()
        let compressor: ZstdCompressor
        if let borrowed { compressor = borrowed } else { compressor = try ZstdCompressor(level: level) }
        defer {
            lock.lock()
            idle.append(compressor)
            lock.unlock()
        }
        return try body(compressor)
    }
}
