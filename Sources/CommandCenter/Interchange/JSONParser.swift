/// A small strict JSON parser over UTF-8 bytes, for one NDJSON line.
///
/// Why not `JSONSerialization`: on Linux it turns `true` into an `NSNumber` that also reads as
/// `1`, it accepts lone surrogates, it silently keeps one of two duplicate keys, and it reports
/// errors without a column. This parser keeps booleans, numbers and strings apart, validates
/// UTF-8, refuses what RFC 8259 refuses, and bounds nesting so a hostile line cannot exhaust
/// the stack. Public so the importers read platform JSON (Twitter, Mastodon) with the same
/// strictness instead of a second parser.
public struct JSONParser {
    /// Why the bytes are not JSON, and where.
    public struct Failure: Error, Sendable {
        /// `malformed JSON at column N: …` (N counted in bytes from the start of the input, from 1).
        public var message: String
        /// The offset of the fault from the start of the input, in bytes.
        public var offset: Int = 0
    }

    /// The deepest nesting of arrays and objects accepted.
    public static let maxDepth = 32

    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private var depth = 0

    /// Parses `bytes` as exactly one JSON value with optional whitespace around it.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, index: bytes.startIndex)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.endIndex else {
            throw parser.failure("unexpected \(parser.describeCurrent()) after the end of the JSON value")
        }
        return value
    }

    private init(bytes: ArraySlice<UInt8>, index: Int) {
        self.bytes = bytes
        self.index = index
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: "malformed JSON at column \(index - bytes.startIndex + 1): \(message)", offset: index - bytes.startIndex)
    }

    private func describeCurrent() -> String {
        guard index < bytes.endIndex else { return "end of line" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func skipWhitespace() {
        while index < bytes.endIndex {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.endIndex else { throw failure("expected a value, got end of line") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("expected a value, got \(describeCurrent())")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for expected in word.utf8 {
            guard index < bytes.endIndex, bytes[index] == expected else {
                throw failure("expected '\(word)'")
            }
            index += 1
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw failure("nested deeper than \(JSONParser.maxDepth)") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a field name in double quotes, got \(describeCurrent())")
            }
            let key = try string()
            skipWhitespace()
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") else {
                throw failure("expected ':' after \"\(key)\", got \(describeCurrent())")
            }
            index += 1
            skipWhitespace()
            members.append((key, try value()))
            skipWhitespace()
            guard index < bytes.endIndex else { throw failure("expected ',' or '}', got end of line") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw failure("expected ',' or '}', got \(describeCurrent())")
        }
        depth -= 1
        return .object(members)
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            guard index < bytes.endIndex else { throw failure("expected ',' or ']', got end of line") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw failure("expected ',' or ']', got \(describeCurrent())")
        }
        depth -= 1
        return .array(elements)
    }

    /// RFC 8259 number syntax; the text is kept as is.
    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            var count = 0
            while parser.index < parser.bytes.endIndex, parser.bytes[parser.index] &- UInt8(ascii: "0") < 10 {
                parser.index += 1
                count += 1
            }
            return count
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.endIndex, bytes[index] &- UInt8(ascii: "0") < 10 else {
            throw failure("expected a digit")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.endIndex, bytes[index] &- UInt8(ascii: "0") < 10 {
                throw failure("a number cannot have a leading zero")
            }
        } else {
            _ = digits(&self)
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw failure("expected a digit after '.'") }
        }
        if index < bytes.endIndex, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits(&self) > 0 else { throw failure("expected a digit in the exponent") }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    /// A string starting at the opening quote. The common case (no escapes) is one scan and one
    /// validating copy; escapes fall back to building the bytes.
    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let s = UTF8Text.string(bytes[start..<index]) else {
                    throw failure("invalid UTF-8 in a string")
                }
                index += 1
                return s
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character 0x\(String(byte, radix: 16)) in a string must be escaped") }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard let s = UTF8Text.string(decoded) else {
                    throw failure("invalid UTF-8 in a string")
                }
                index += 1
                return s
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.endIndex else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard bytes.endIndex - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                              bytes[index + 1] == UInt8(ascii: "u")
                        else { throw failure("unpaired surrogate \\u\(String(scalar, radix: 16))") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw failure("unpaired surrogate \\u\(String(scalar, radix: 16))")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw failure("unpaired surrogate \\u\(String(scalar, radix: 16))")
                    }
                    // Cannot fail: surrogates are excluded above and the value is ≤ 0x10FFFF.
                    let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    decoded.append(contentsOf: String(unicode).utf8)
                default:
                    index -= 1
                    throw failure("unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
            default:
                if byte < 0x20 { throw failure("control character 0x\(String(byte, radix: 16)) in a string must be escaped") }
                decoded.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard bytes.endIndex - index >= 4 else { throw failure("expected 4 hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("expected 4 hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
