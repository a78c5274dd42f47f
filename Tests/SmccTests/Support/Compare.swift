import Foundation
import Testing

/// `nil` when `actual` and `expected` hold the same bytes, else where they first differ, by line.
func difference(_ actual: Data, _ expected: Data) -> String? {
    if actual == expected { return nil }
    let a = actual.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let e = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    for index in 0..<max(a.count, e.count) {
        let left = index < a.count ? String(decoding: a[index], as: UTF8.self) : "<none>"
        let right = index < e.count ? String(decoding: e[index], as: UTF8.self) : "<none>"
        if left != right || (index < a.count) != (index < e.count) {
            return "\(actual.count) bytes vs \(expected.count) expected; first difference at line \(index + 1):\n  got:      \(left.prefix(400))\n  expected: \(right.prefix(400))"
        }
    }
    return "\(actual.count) bytes vs \(expected.count) expected (same lines, different bytes)"
}

func difference(_ actual: Data, _ expected: String) -> String? {
    difference(actual, Data(expected.utf8))
}

/// Whether `part` is `whole` cut after one of its lines (or empty, or all of it).
func isLinePrefix(_ part: Data, of whole: Data) -> Bool {
    guard part.count <= whole.count, whole.prefix(part.count) == part else { return false }
    return part.isEmpty || part.last == UInt8(ascii: "\n")
}

/// The number of lines in `data`.
func lineCount(_ data: Data) -> Int {
    data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
}

/// The head `SEQ:HEX` form.
func isHead(_ text: String?, seq: Int) -> Bool {
    guard let text else { return false }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    return parts.count == 2 && parts[0] == "\(seq)" && parts[1].count == 64
        && parts[1].allSatisfy { $0.isHexDigit && !$0.isUppercase }
}

/// How many events of each kind.
func counts(_ events: [Interchange.Event]) -> [String: Int] {
    events.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
}
