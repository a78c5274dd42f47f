/// Strings from UTF-8 bytes that must be valid, fast.
///
/// Why not `String(validating:as:)` alone: on Swift 6.3 it looks up generic metadata on every call
/// (`perf` showed `_swift_getGenericMetadata` under it for every string of a full decode). Ids and
/// most texts are ASCII: those take `String(decoding:)`, the specialised path, after a plain scan.
enum UTF8Text {
    @inline(__always)
    static func string(_ bytes: ArraySlice<UInt8>) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func string(_ bytes: [UInt8]) -> String? { string(bytes[...]) }
}
