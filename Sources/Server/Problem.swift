import CommandCenter
import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// A failure answered as `application/problem+json` (RFC 9457) with a stable `code` clients can
/// switch on, and a `detail` a person can act on. Every error the API returns goes through here,
/// so no handler can leak a stack trace or an empty 500.
struct Problem: HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    /// Stable, camelCase: `unauthorized`, `forbidden`, `notFound`, `conflict`, `versionMismatch`, …
    var code: String
    var detail: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    static func unauthorized(_ detail: String) -> Problem {
        var problem = Problem(.unauthorized, "unauthorized", detail)
        problem.headers[.wwwAuthenticate] = #"Bearer realm="smcc""#
        return problem
    }

    static func badRequest(_ code: String, _ detail: String) -> Problem { Problem(.badRequest, code, detail) }

    /// The HTTP face of a desk rule that refused a command.
    init(_ rejection: CommandRejection) {
        switch rejection.code {
        case .notFound: self.init(.notFound, "notFound", rejection.message)
        case .forbidden: self.init(.forbidden, "forbidden", rejection.message)
        case .conflict: self.init(.conflict, "conflict", rejection.message)
        case .alreadyDone: self.init(.conflict, "alreadyDone", rejection.message)
        default: self.init(.unprocessableContent, "invalid", rejection.message)
        }
    }

    /// A failure of the log: the client could not have prevented it, so it gets a 503 and a retry.
    /// The log's own message (which may name files) goes to the operator's log, not to the caller.
    init(_ error: LogError, logger: Logger) {
        if error.code == .invalidRecord {
            self.init(.unprocessableContent, "invalid", "the log refuses the command's events: \(error.message)")
            return
        }
        logger.error("the log failed: \(error)")
        self.init(.serviceUnavailable, "storageUnavailable", "the log could not store the command; nothing was appended, retry later")
    }

    func body() -> ByteBuffer {
        var json: [UInt8] = []
        json.append(contentsOf: #"{"type":"urn:smcc:problem:"#.utf8)
        json.append(contentsOf: code.utf8)
        json.append(contentsOf: #"","title":"#.utf8)
        InterchangeJSON.writeString(status.reasonPhrase, into: &json)
        json.append(contentsOf: #","status":"#.utf8)
        json.append(contentsOf: String(status.code).utf8)
        json.append(contentsOf: #","code":"#.utf8)
        InterchangeJSON.writeString(code, into: &json)
        json.append(contentsOf: #","detail":"#.utf8)
        InterchangeJSON.writeString(detail, into: &json)
        json.append(contentsOf: "}\n".utf8)
        return ByteBuffer(bytes: json)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body()))
    }
}
