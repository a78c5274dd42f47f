import EventLog
import Foundation

/// Standard output, buffered (export writes millions of lines), and standard error.
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Progress for long work: only when standard error is a terminal, on one rewritten line.
    static func progress(_ line: String) {
        guard Terminal.standardErrorIsInteractive else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    static func endProgress() {
        guard Terminal.standardErrorIsInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// `text` safe to print on a terminal: post texts and account names come from anyone, so
    /// control characters (an escape sequence would drive the terminal) and the bidirectional
    /// overrides (they reorder what is shown) are written as `\u{1B}` instead.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Collects output bytes and writes them to standard output in large blocks.
struct OutputBuffer {
    private(set) var bytes: [UInt8] = []
    static let flushThreshold = 1 << 20

    init() { bytes.reserveCapacity(Self.flushThreshold + 4096) }

    mutating func flushIfFull() {
        if bytes.count >= Self.flushThreshold { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ line: String) {
        bytes.append(contentsOf: line.utf8)
    }

    mutating func withBytes(_ body: (inout [UInt8]) -> Void) {
        body(&bytes)
    }
}

extension Int {
    /// `1234567` as `1,234,567`.
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return self < 0 ? "-" + result : result
    }
}

extension Double {
    /// Fixed decimals for people (no exponent).
    func fixed(_ decimals: Int) -> String { String(format: "%.\(decimals)f", self) }
}
