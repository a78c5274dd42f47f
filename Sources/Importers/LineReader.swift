import Foundation

/// Reads a file line by line in blocks, so memory stays bounded by the block and the longest line,
/// never the file. Lines end at `\n`; a last line without one is still a line.
struct LineReader {
    static let blockSize = 1 << 20

    let path: String
    let maximumLineBytes: Int

    /// Calls `body` with each line's number (from 1) and bytes (without the `\n`).
    ///
    /// - Throws: `ImportError` when the file cannot be read or a line is longer than allowed.
    func forEachLine(_ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        var pending: [UInt8] = []
        var lineNumber = 0
        try Self.forEachBlock(of: path) { block in
            pending.append(contentsOf: block)
            var lineStart = 0
            while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                try checkLength(newline - lineStart, lineNumber)
                try body(lineNumber, pending[lineStart..<newline])
                lineStart = newline + 1
            }
            pending.removeSubrange(0..<lineStart)
            try checkLength(pending.count, lineNumber + 1)
        }
        if !pending.isEmpty {
            lineNumber += 1
            try body(lineNumber, pending[...])
        }
    }

    /// Calls `body` with each block of up to `blockSize` bytes of the file, in order.
    ///
    /// - Throws: `ImportError` naming the file when it cannot be opened or read.
    static func forEachBlock(of path: String, _ body: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError("\(path): cannot be read (missing, or no permission)")
        }
        defer { try? handle.close() }
        while true {
            let block: Data?
            do { block = try handle.read(upToCount: blockSize) } catch {
                throw ImportError("\(path): read failed: \(error.localizedDescription)")
            }
            guard let block, !block.isEmpty else { return }
            try body(block)
        }
    }

    private func checkLength(_ length: Int, _ line: Int) throws {
        guard length <= maximumLineBytes else {
            throw ImportError("\(path):\(line): the line is over the limit of \(maximumLineBytes) bytes")
        }
    }
}
