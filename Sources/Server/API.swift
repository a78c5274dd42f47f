import CommandCenter
import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// The endpoints of Schemas/openapi.yaml. Commands go to the single writer; reads are answered
/// from the read model (queues, stats) or from the log's own read transactions (events, audit),
/// never through the writer.
struct API: Sendable {
    let store: EventStore
    let writer: CommandWriter
    let readModel: ReadModel
    let live: LiveEvents
    let auth: Authenticator
    let metrics: ServerMetrics

    func register(on router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in
            JSONWriting.response(Array(#"{"status":"ok","head":\#(readModel.read { $0.desk.lastSeq })}"#.utf8))
        }
        router.get("/metrics") { request, _ in
            _ = try volunteer(request)
            let text = metrics.render(head: readModel.read { $0.desk.lastSeq }, liveStreams: live.count)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }

        // Commands.
        router.post("/v1/posts") { request, context in
            try await command(request, context, ReceivePostBody.self, ingest: true) { body, _ in try body.command() }
        }
        router.post("/v1/posts/:post/assign") { request, context in
            try await command(request, context, AssignBody.self) { body, post in .assign(post: try post(), to: body.to) }
        }
        router.post("/v1/posts/:post/unassign") { request, context in
            try await command(request, context, UnassignBody.self) { body, post in .unassign(post: try post(), reason: body.reason) }
        }
        router.post("/v1/posts/:post/reply") { request, context in
            try await command(request, context, ReplyBody.self) { body, post in .reply(post: try post(), text: body.text, replyPost: body.replyPost) }
        }
        router.post("/v1/posts/:post/escalate") { request, context in
            try await command(request, context, EscalateBody.self) { body, post in
                .escalate(post: try post(), to: body.to, reason: body.reason, priority: try body.priority.map { try parseEnum($0, "priority") })
            }
        }
        router.post("/v1/posts/:post/resolve-escalation") { request, context in
            try await command(request, context, ResolveEscalationBody.self) { body, post in .resolveEscalation(post: try post(), resolution: body.resolution) }
        }
        router.post("/v1/posts/:post/resolve") { request, context in
            try await command(request, context, ResolveBody.self) { body, post in .resolve(post: try post(), outcome: try parseEnum(body.outcome, "outcome")) }
        }
        router.post("/v1/posts/:post/notes") { request, context in
            try await command(request, context, NoteBody.self) { body, post in .addNote(post: try post(), text: body.text) }
        }
        router.post("/v1/posts/:post/tags") { request, context in
            try await command(request, context, TagBody.self) { body, post in .tag(post: try post(), tags: body.tags) }
        }
        router.post("/v1/published") { request, context in
            try await command(request, context, PublishBody.self) { body, _ in
                .publish(post: body.post, channel: try parseEnum(body.channel, "channel"), text: body.text, media: body.media)
            }
        }
        router.post("/v1/volunteers") { request, context in
            try await command(request, context, JoinBody.self) { body, _ in
                .joinVolunteer(volunteer: body.volunteer, name: body.name, role: try parseEnum(body.role, "role"), team: body.team)
            }
        }
        router.post("/v1/volunteers/:volunteer/leave") { request, context in
            try await command(request, context, EmptyBody.self) { _, _ in .leaveVolunteer(volunteer: try parameter(context, "volunteer")) }
        }
        router.post("/v1/volunteers/:volunteer/role") { request, context in
            try await command(request, context, RoleBody.self) { body, _ in
                .changeRole(volunteer: try parameter(context, "volunteer"), to: try parseEnum(body.role, "role"))
            }
        }
        router.post("/v1/volunteers/:volunteer/shift/start") { request, context in
            try await command(request, context, EmptyBody.self) { _, _ in .startShift(volunteer: try parameter(context, "volunteer")) }
        }
        router.post("/v1/volunteers/:volunteer/shift/end") { request, context in
            try await command(request, context, EmptyBody.self) { _, _ in .endShift(volunteer: try parameter(context, "volunteer")) }
        }
        router.post("/v1/listening-rules") { request, context in
            try await command(request, context, RuleBody.self) { body, _ in .addListeningRule(body.rule) }
        }
        router.post("/v1/listening-rules/remove") { request, context in
            try await command(request, context, RuleBody.self) { body, _ in .removeListeningRule(body.rule) }
        }

        // Reads.
        router.get("/v1/posts/:post") { request, context in
            _ = try volunteer(request)
            let id = try parameter(context, "post")
            guard let state = readModel.read({ $0.desk.post(id) }) else {
                throw Problem(.notFound, "notFound", "post \(id) was never received by the desk")
            }
            var out: [UInt8] = []
            JSONWriting.post(state, into: &out)
            return JSONWriting.response(out, headers: [.eTag: "\"\(state.version)\""])
        }
        router.get("/v1/queues/mine") { request, _ in
            let me = try volunteer(request)
            let (seq, posts) = readModel.read { ($0.desk.lastSeq, $0.desk.volunteerQueue(me)) }
            return postList(#"{"volunteer":"#, me, seq: seq, count: posts.count, posts)
        }
        router.get("/v1/queues/triage") { request, _ in
            _ = try volunteer(request)
            let limit = try integer(request, "limit", default: 100, range: 1...10_000)
            let (seq, count, posts) = readModel.read { ($0.desk.lastSeq, $0.desk.triageCount, $0.desk.triageQueue(limit: limit)) }
            return postList(nil, nil, seq: seq, count: count, posts)
        }
        router.get("/v1/queues/escalations") { request, _ in
            _ = try volunteer(request)
            let (seq, posts) = readModel.read { ($0.desk.lastSeq, $0.desk.escalationQueue()) }
            var out = Array(#"{"seq":\#(seq),"count":\#(posts.count),"escalations":["#.utf8)
            for (index, state) in posts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"{"post":"#.utf8)
                JSONWriting.post(state, into: &out)
                out.append(contentsOf: #","to":"#.utf8)
                JSONWriting.string(state.escalation?.to ?? "", into: &out)
                out.append(contentsOf: #","priority":"#.utf8)
                JSONWriting.string(state.escalation?.priority?.rawValue, into: &out)
                out.append(contentsOf: #","since":""#.utf8)
                out.append(contentsOf: (state.escalation?.since ?? state.receivedAt).rfc3339.utf8)
                out.append(contentsOf: "\"}".utf8)
            }
            out.append(contentsOf: "]}".utf8)
            return JSONWriting.response(out)
        }
        router.get("/v1/stats") { request, _ in
            _ = try volunteer(request)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: try readModel.statisticsReport()))
        }
        router.get("/v1/audit/posts/:post") { request, context in
            _ = try volunteer(request)
            let id = try parameter(context, "post")
            return try audit("post", id, try AuditTrail(store: store).post(id))
        }
        router.get("/v1/audit/volunteers/:volunteer") { request, context in
            let me = try volunteer(request)
            let id = try parameter(context, "volunteer")
            if id != me, readModel.read({ $0.desk.volunteer(me)?.isCoordinator }) != true {
                throw Problem(.forbidden, "forbidden", "\(me) may read only their own actions; coordinators read anyone's")
            }
            let since = try time(request, "since"), until = try time(request, "until")
            return try audit("volunteer", id, try AuditTrail(store: store).volunteer(id, since: since, until: until))
        }
        router.get("/v1/events") { request, _ in
            _ = try volunteer(request)
            let after = try integer(request, "after", default: 0, range: 0...Int.max)
            let limit = try integer(request, "limit", default: 1000, range: 1...10_000)
            let head = try store.log.head()?.seq ?? 0
            let events = try read(after: UInt64(after), limit: limit)
            var out = Array(#"{"head":\#(head),"events":"#.utf8)
            JSONWriting.events(events, into: &out)
            out.append(UInt8(ascii: "}"))
            return JSONWriting.response(out)
        }
        router.get("/v1/events/stream") { request, _ in
            _ = try volunteer(request)
            return try stream(request)
        }
    }

    // MARK: Commands

    private func command<Body: StrictBody>(
        _ request: Request, _ context: BasicRequestContext, _ type: Body.Type, ingest: Bool = false,
        _ make: (Body, () throws -> String) throws -> DeskCommand
    ) async throws -> Response {
        let subject = try auth.subject(of: request)
        if subject.kind == .ingest && !ingest {
            throw Problem(.forbidden, "forbidden", "\(subject.actor) holds an ingest token, which may only push posts (POST /v1/posts)")
        }
        let key = try idempotencyKey(request)
        let ifMatch = try version(request)
        var request = request
        let body = try await request.decodeStrict(type)
        let command = try make(body) { try parameter(context, "post") }
        if let long = command.ids.first(where: { $0.utf8.count > EventStore.maximumIdBytes }) {
            throw Problem(.unprocessableContent, "invalid", "the id '\(long.prefix(40))…' is \(long.utf8.count) bytes, over the \(EventStore.maximumIdBytes) the log indexes")
        }
        let answer = try await writer.submit(CommandRequest(command: command, actor: subject.actor, idempotencyKey: key, ifMatch: ifMatch))
        switch answer {
        case .applied(let events, let post, let version):
            return commandResponse(events, post: post, version: version, replayed: false)
        case .replayed(let seqs):
            // One scan: a command's events were appended together, so their seqs are adjacent.
            var found: [UInt64: Event] = [:]
            if let first = seqs.min(), let last = seqs.max() {
                try store.events(from: first, through: last) { seq, event in
                    found[seq] = event
                    return true
                }
            }
            let events = try seqs.map { seq in
                (seq: seq, event: try found[seq].orThrow(Problem(.internalServerError, "internal", "event \(seq) is missing")))
            }
            if let last = events.last?.event, let expected = command.finalKind, last.kind != expected || last.post != command.post {
                throw Problem(.unprocessableContent, "idempotencyKeyReused",
                              "Idempotency-Key \(key ?? "") was used for another request (a \(last.kind.name) at seq \(seqs[0])); use a new key for a new request")
            }
            let post = command.post
            return commandResponse(events, post: post, version: post == nil ? nil : events.last?.seq, replayed: true)
        }
    }

    private func commandResponse(_ events: [(seq: UInt64, event: Event)], post: String?, version: UInt64?, replayed: Bool) -> Response {
        var out = Array(#"{"events":"#.utf8)
        JSONWriting.events(events, into: &out)
        out.append(contentsOf: #","post":"#.utf8)
        JSONWriting.string(post, into: &out)
        out.append(contentsOf: #","version":"#.utf8)
        out.append(contentsOf: (version.map(String.init) ?? "null").utf8)
        out.append(UInt8(ascii: "}"))
        var headers: HTTPFields = [:]
        if let version { headers[.eTag] = "\"\(version)\"" }
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return JSONWriting.response(out, headers: headers)
    }

    private func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem.badRequest("invalidHeader", "Idempotency-Key must be 1–200 visible ASCII characters (a UUID will do)")
        }
        return key
    }

    private func version(_ request: Request) throws -> UInt64? {
        guard let header = request.headers[.ifMatch] else { return nil }
        var text = Substring(header.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard let version = UInt64(text) else {
            throw Problem.badRequest("invalidHeader", "If-Match must be a post version as the ETag gives it, such as \"42\"")
        }
        return version
    }

    // MARK: Reads

    private func volunteer(_ request: Request) throws -> String {
        let subject = try auth.subject(of: request)
        guard subject.kind == .volunteer else {
            throw Problem(.forbidden, "forbidden", "\(subject.actor) holds an ingest token, which may only push posts (POST /v1/posts)")
        }
        return subject.actor
    }

    private func parameter(_ context: BasicRequestContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name), let value = raw.removingPercentEncoding, !value.isEmpty else {
            throw Problem.badRequest("invalidParameter", "the path has no \(name)")
        }
        return value
    }

    private func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest("invalidParameter", "query parameter '\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return number
    }

    private func time(_ request: Request, _ name: String) throws -> Timestamp? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw Problem.badRequest("invalidParameter", "query parameter '\(name)' must be an RFC 3339 time such as 2026-06-02T14:05:00Z, got '\(text)'")
        }
        return time
    }

    private func postList(_ ownerKey: String?, _ owner: String?, seq: UInt64, count: Int, _ posts: [PostState]) -> Response {
        var out: [UInt8] = Array("{".utf8)
        if let ownerKey {
            out = Array(ownerKey.utf8)
            JSONWriting.string(owner, into: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""seq":\#(seq),"count":\#(count),"posts":["#.utf8)
        for (index, state) in posts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriting.post(state, into: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return JSONWriting.response(out)
    }

    private func audit(_ key: String, _ id: String, _ entries: [AuditEntry]) throws -> Response {
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

    private func read(after: UInt64, limit: Int) throws -> [(seq: UInt64, event: Event)] {
        var events: [(seq: UInt64, event: Event)] = []
        guard after < UInt64.max else { return [] }
        try store.events(from: after + 1) { seq, event in
            events.append((seq, event))
            return events.count < limit
        }
        return events
    }

    // MARK: Live stream

    /// Server-Sent Events: one `id: SEQ` / `event: KIND` / `data: {interchange JSON}` per event.
    /// Starts after `Last-Event-ID` (or `?after=`), catching up from the log, then goes live; a
    /// stream cut off (shutdown, or a client too far behind) is resumed by the client with `Last-Event-ID`.
    private func stream(_ request: Request) throws -> Response {
        var resume = request.headers[HTTPField.Name("Last-Event-ID")!]
        if resume == nil, let after = request.uri.queryParameters.get("after") { resume = String(after) }
        let start: UInt64
        if let resume {
            guard let seq = UInt64(resume.trimmingCharacters(in: .whitespaces)) else {
                throw Problem.badRequest("invalidParameter", "Last-Event-ID (or after) must be a sequence number, got '\(resume)'")
            }
            start = seq
        } else {
            start = try store.log.head()?.seq ?? 0
        }
        let (id, events) = live.subscribe()
        let api = self
        let body = ResponseBody { writer in
            defer { api.live.unsubscribe(id) }
            var after = start
            try await writer.write(ByteBuffer(string: ": smcc live events\nretry: 1000\n\n"))
            // Catch up from the log; events committed meanwhile also arrive live and are skipped by seq.
            while true {
                let batch = try api.read(after: after, limit: 1000)
                if batch.isEmpty { break }
                try await writer.write(Self.sse(batch))
                after = batch.last!.seq
            }
            try await withGracefulShutdownHandler {
                for await batch in events {
                    let fresh = batch.filter { $0.seq > after }
                    guard !fresh.isEmpty else { continue }
                    try await writer.write(Self.sse(fresh))
                    after = fresh.last!.seq
                }
            } onGracefulShutdown: {
                api.live.unsubscribe(id)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    private static func sse(_ events: [(seq: UInt64, event: Event)]) -> ByteBuffer {
        var out: [UInt8] = []
        for (seq, event) in events {
            out.append(contentsOf: "id: \(seq)\nevent: \(event.kind.name)\ndata: ".utf8)
            JSONWriting.event(event, seq: seq, into: &out)
            out.append(contentsOf: "\n\n".utf8)
        }
        return ByteBuffer(bytes: out)
    }
}

extension DeskCommand {
    /// The ids the command names (post, volunteer, assignee), which the log indexes.
    var ids: [String] {
        switch self {
        case .assign(let post, let to, _), .escalate(let post, let to, _, _, _): [post, to]
        case .joinVolunteer(let volunteer, _, _, _), .leaveVolunteer(let volunteer), .changeRole(let volunteer, _),
             .startShift(let volunteer), .endShift(let volunteer): [volunteer]
        default: post.map { [$0] } ?? []
        }
    }

    /// The kind of the last event the command appends, to recognise it under an idempotency key.
    var finalKind: EventKind? {
        switch self {
        case .receivePost: .postReceived
        case .assign: .postAssigned
        case .unassign: .postUnassigned
        case .reply: .replied
        case .publish: .postPublished
        case .escalate: .escalated
        case .resolveEscalation: .escalationResolved
        case .resolve: .postResolved
        case .addNote: .noteAdded
        case .tag: .postTagged
        case .joinVolunteer: .volunteerJoined
        case .leaveVolunteer: .volunteerLeft
        case .changeRole: .roleChanged
        case .startShift: .shiftStarted
        case .endShift: .shiftEnded
        case .addListeningRule: .listeningRuleAdded
        case .removeListeningRule: .listeningRuleRemoved
        }
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
