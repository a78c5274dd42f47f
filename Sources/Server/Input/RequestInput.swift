import CommandCenter
import Foundation
import HTTPTypes
import Hummingbird

/// What a request says besides its JSON body — headers, path parameters, query parameters — read
/// strictly, with the limits of Schemas/openapi.yaml: anything the document forbids is a 4xx
/// problem naming the part at fault.
enum RequestInput {
    /// The largest body any command takes (a record is at most 65,536 bytes).
    static let maximumBodyBytes = 128 * 1024
    /// The longest id in a path (`{post}`, `{volunteer}`), in characters, as the document says.
    static let maximumPathIDCharacters = 240

    /// The body, at most ``maximumBodyBytes``, in a JSON content type.
    /// - Throws: `Problem` 413 for a larger body (told by `Content-Length` before reading it),
    ///   415 for a body of another content type.
    static func body(_ request: inout Request) async throws(Problem) -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumBodyBytes {
            throw tooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBodyBytes)
        } catch {
            throw tooLarge
        }
        let bytes = Array(buffer.readableBytesView)
        if !bytes.isEmpty, let type = request.headers[.contentType], !isJSON(type) {
            throw Problem(.unsupportedMediaType, "unsupportedMediaType", "the body is \(type.prefix(100)); send it as application/json")
        }
        return bytes
    }

    private static let tooLarge = Problem(.contentTooLarge, "bodyTooLarge", "the body is over \(maximumBodyBytes) bytes, the most a command takes")

    /// `application/json` or `application/<something>+json`, with any parameters. Trimmed of the
    /// header's optional white space (spaces and tabs) without Foundation: the profile of
    /// `Tools/bench-serve.sh` had `trimmingCharacters(in:)` at a tenth of a command's CPU.
    private static func isJSON(_ type: String) -> Bool {
        var media = Substring(type.prefix { $0 != ";" })
        while let first = media.first, first == " " || first == "\t" { media.removeFirst() }
        while let last = media.last, last == " " || last == "\t" { media.removeLast() }
        let lowered = media.lowercased()
        return lowered == "application/json" || (lowered.hasPrefix("application/") && lowered.hasSuffix("+json"))
    }

    /// `text` with its percent escapes decoded, `nil` for a malformed escape. Text without a `%`
    /// (nearly every path) is returned as it is, without Foundation's decoder.
    static func percentDecoded(_ text: String) -> String? {
        text.utf8.contains(UInt8(ascii: "%")) ? text.removingPercentEncoding : text
    }

    /// `Idempotency-Key`: 1–200 visible ASCII characters (so never a space), or `nil`.
    static func idempotencyKey(_ request: Request) throws(Problem) -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem.badRequest("invalidHeader", "Idempotency-Key must be 1–200 visible ASCII characters (a UUID will do)")
        }
        return key
    }

    /// The post version of `If-Match` (`"42"`, `W/"42"` or `42`), or `nil`.
    static func version(_ request: Request) throws(Problem) -> UInt64? {
        guard let header = request.headers[.ifMatch] else { return nil }
        var text = Substring(header.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard text.count <= 19, text.allSatisfy(\.isASCII), let version = UInt64(text) else {
            throw Problem.badRequest("invalidHeader", "If-Match must be a post version as the ETag gives it, such as \"42\"")
        }
        return version
    }

    /// A path parameter, percent-decoded, 1–240 characters.
    static func parameter(_ context: DeskRequestContext, _ name: String) throws(Problem) -> String {
        guard let raw = context.parameters.get(name), let value = percentDecoded(raw), !value.isEmpty else {
            throw Problem.badRequest("invalidParameter", "the path has no \(name)")
        }
        guard value.unicodeScalars.count <= maximumPathIDCharacters else {
            throw Problem.badRequest("invalidParameter", "the \(name) in the path has \(value.unicodeScalars.count) characters, at most \(maximumPathIDCharacters)")
        }
        return value
    }

    /// An integer query parameter in `range`, or `value` when absent.
    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws(Problem) -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest("invalidParameter", "query parameter '\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(text.prefix(40))'")
        }
        return number
    }

    /// An RFC 3339 time query parameter, or `nil` when absent.
    static func time(_ request: Request, _ name: String) throws(Problem) -> Timestamp? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw Problem.badRequest("invalidParameter", "query parameter '\(name)' must be an RFC 3339 time such as 2026-06-02T14:05:00Z, got '\(text.prefix(40))'")
        }
        return time
    }
}
