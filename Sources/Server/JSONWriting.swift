import CommandCenter
import HTTPTypes
import Hummingbird

/// The JSON shapes of the API, written by hand like `InterchangeJSON` (key order as in
/// Schemas/openapi.yaml, events in their interchange form).
enum JSONWriting {
    /// A post as the queues list it; `text` from ``PostTexts`` (empty when the log has none).
    static func post(_ state: PostState, text: String?, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"post":"#.utf8)
        InterchangeJSON.writeString(state.id, into: &out)
        out.append(contentsOf: #","channel":""#.utf8)
        out.append(contentsOf: state.channel.rawValue.utf8)
        out.append(contentsOf: #"","author":"#.utf8)
        InterchangeJSON.writeString(state.author, into: &out)
        out.append(contentsOf: #","postedAt":""#.utf8)
        out.append(contentsOf: state.postedAt.rfc3339.utf8)
        out.append(contentsOf: #"","receivedAt":""#.utf8)
        out.append(contentsOf: state.receivedAt.rfc3339.utf8)
        out.append(contentsOf: #"","status":""#.utf8)
        out.append(contentsOf: state.status.name.utf8)
        out.append(contentsOf: #"","assignee":"#.utf8)
        if let assignee = state.assignee { InterchangeJSON.writeString(assignee, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","version":"#.utf8)
        out.append(contentsOf: String(state.version).utf8)
        out.append(contentsOf: #","escalated":"#.utf8)
        out.append(contentsOf: (state.escalation != nil ? "true" : "false").utf8)
        out.append(contentsOf: #","urgent":"#.utf8)
        out.append(contentsOf: (state.isUrgent ? "true" : "false").utf8)
        out.append(contentsOf: #","hashtags":["#.utf8)
        for (index, tag) in state.hashtags.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            InterchangeJSON.writeString(tag, into: &out)
        }
        out.append(contentsOf: #"],"text":"#.utf8)
        InterchangeJSON.writeString(text ?? "", into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// An event in its interchange form, without the newline.
    static func event(_ event: Event, seq: UInt64, into out: inout [UInt8]) {
        InterchangeJSON.write(event, seq: seq, into: &out)
        out.removeLast()
    }

    static func events(_ events: [(seq: UInt64, event: Event)], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, item) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            event(item.event, seq: item.seq, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func string(_ text: String?, into out: inout [UInt8]) {
        if let text { InterchangeJSON.writeString(text, into: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    static func response(_ json: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        var bytes = json
        bytes.append(UInt8(ascii: "\n"))
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
