import CommandCenter
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `/v1/events`, `/v1/events/stream`, `/v1/audit/…`: the log itself, read in the log's own read
/// transactions (never through the writer), and live.
struct EventController {
    let store: EventStore
    let readModel: ReadModel
    let live: LiveEvents
    let access: Access
    /// Replaying: the log's head is the future; events stop at the replay's position.
    let replay: Bool

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.get("/v1/events") { request, context in
            _ = try access.reader(context)
            let after = try RequestInput.integer(request, "after", default: 0, range: 0...Int.max)
            let limit = try RequestInput.integer(request, "limit", default: 1000, range: 1...10_000)
            let head = try head()
            let events = try read(after: UInt64(after), limit: limit, through: head)
            var out = Array(#"{"head":\#(head),"events":"#.utf8)
            JSONWriting.events(events, into: &out)
            out.append(UInt8(ascii: "}"))
            return JSONWriting.response(out)
        }
        routes.get("/v1/events/stream") { request, context in
            try stream(request, owner: try access.reader(context))
        }
        routes.get("/v1/audit/posts/:post") { _, context in
            _ = try access.reader(context)
            let id = try RequestInput.parameter(context, "post")
            return try Self.audit("post", id, try AuditTrail(store: store).post(id))
        }
        routes.get("/v1/audit/volunteers/:volunteer") { request, context in
            let me = try access.reader(context)
            let id = try RequestInput.parameter(context, "volunteer")
            if id != me, readModel.read({ $0.desk.volunteer(me)?.isCoordinator }) != true {
                throw Problem(.forbidden, "forbidden", "\(me) may read only their own actions; coordinators read anyone's")
            }
            let since = try RequestInput.time(request, "since"), until = try RequestInput.time(request, "until")
            return try Self.audit("volunteer", id, try AuditTrail(store: store).volunteer(id, since: since, until: until))
        }
        return routes
    }

    /// The last event a client may see: the log's head, or the replay's position.
    private func head() throws -> UInt64 {
        replay ? readModel.read { $0.desk.lastSeq } : try store.headSeq()
    }

    private func read(after: UInt64, limit: Int, through: UInt64) throws -> [(seq: UInt64, event: Event)] {
        var events: [(seq: UInt64, event: Event)] = []
        guard after < through else { return [] }
        try store.events(from: after + 1, through: through) { seq, event in
            events.append((seq, event))
            return events.count < limit
        }
        return events
    }

    /// Server-Sent Events: one `id: SEQ` / `event: KIND` / `data: {interchange JSON}` per event.
    /// Starts after `Last-Event-ID` (or `?after=`, at most the head), catching up from the log,
    /// then goes live, with a keep-alive comment whenever nothing happened for a while. Ends when
    /// the client goes away, when it falls too far behind (it resumes with `Last-Event-ID`), or
    /// at shutdown.
    private func stream(_ request: Request, owner: String) throws -> Response {
        var resume = request.headers[HTTPField.Name("Last-Event-ID")!]
        if resume == nil, let after = request.uri.queryParameters.get("after") { resume = String(after) }
        var resumeAt: UInt64?
        if let resume {
            guard let seq = UInt64(resume.trimmingCharacters(in: .whitespaces)) else {
                throw Problem.badRequest("invalidParameter", "Last-Event-ID (or after) must be a sequence number, got '\(resume.prefix(40))'")
            }
            resumeAt = seq
        }
        // Subscribed before the head is read: whatever is committed after it arrives live.
        guard let (id, items) = live.subscribe(owner: owner) else {
            throw Problem(.tooManyRequests, "tooManyStreams", "\(owner) already holds \(LiveEvents.streamsPerActor) live streams; close one first")
        }
        let head: UInt64
        do {
            head = try self.head()
            if let resumeAt, resumeAt > head {
                throw Problem.badRequest("invalidParameter", "Last-Event-ID (or after) \(resumeAt) is beyond the log's head \(head); resume from an id the stream sent")
            }
        } catch {
            live.unsubscribe(id)
            throw error
        }
        let start = resumeAt ?? head
        let controller = self
        let body = ResponseBody { writer in
            defer { controller.live.unsubscribe(id) }
            try await request.body.consumeWithInboundCloseHandler { _ in
                var after = start
                try await writer.write(ByteBuffer(string: ": smcc live events\nretry: 1000\n\n"))
                // Catch up from the log; events committed meanwhile also arrive live and are skipped by seq.
                while true {
                    let batch = try controller.read(after: after, limit: 1000, through: head)
                    if batch.isEmpty { break }
                    var out: [UInt8] = []
                    for (seq, event) in batch { out.append(contentsOf: LiveEvents.frame(event, seq: seq)) }
                    try await writer.write(ByteBuffer(bytes: out))
                    after = batch.last!.seq
                }
                try await withGracefulShutdownHandler {
                    for await item in items {
                        switch item {
                        case .keepAlive:
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        case .reset(let seq):
                            try await writer.write(ByteBuffer(string: "event: reset\ndata: {\"seq\":\(seq)}\n\n"))
                            controller.live.unsubscribe(id)
                        case .events(let frames):
                            var out: [UInt8] = []
                            for frame in frames where frame.seq > after { out.append(contentsOf: frame.bytes) }
                            guard !out.isEmpty else { continue }
                            try await writer.write(ByteBuffer(bytes: out))
                            after = frames.last!.seq
                        }
                    }
                } onGracefulShutdown: {
                    controller.live.unsubscribe(id)
                }
            } onInboundClosed: {
                controller.live.unsubscribe(id)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    private static func audit(_ key: String, _ id: String, _ entries: [AuditEntry]) throws -> Response {
        var out = Array("{\"\(key)\":".utf8)
        JSONWriting.string(id, into: &out)
        out.append(contentsOf: #","entries":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"role":"#.utf8)
            JSONWriting.string(entry.role?.rawValue, into: &out)
            out.append(contentsOf: #","event":"#.utf8)
            JSONWriting.event(entry.event, seq: entry.seq, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return JSONWriting.response(out)
    }
}
