import CommandCenter
import Hummingbird
import Synchronization

/// What the browser pages read besides the queues: `/v1/me`, the roster (`GET /v1/volunteers`),
/// the listening rules with the emerging hashtags (`GET /v1/listening-rules`), and the wall
/// (`GET /v1/wall`, also for read-only tokens).
struct DeskController {
    let readModel: ReadModel
    let access: Access
    let replay: Bool

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.get("/v1/me") { _, context in
            _ = try access.viewer(context)
            let subject = context.subject!
            return JSONWriting.response(try DeskDocuments.encode(readModel.read { DeskDocuments.me(subject, $0, replay: replay) }))
        }
        routes.get("/v1/volunteers") { _, context in
            _ = try access.reader(context)
            return JSONWriting.response(try DeskDocuments.encode(readModel.read { DeskDocuments.roster($0) }))
        }
        routes.get("/v1/listening-rules") { _, context in
            _ = try access.reader(context)
            return JSONWriting.response(try DeskDocuments.encode(readModel.read { DeskDocuments.rules($0) }))
        }
        routes.get("/v1/wall") { _, context in
            _ = try access.viewer(context)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: try wall()))
        }
        return routes
    }

    /// The wall's document, computed at most once per seq and second however many walls poll.
    private func wall() throws -> ByteBuffer {
        let now = readModel.now()
        let second = now.milliseconds / 1000
        let seq = readModel.read { $0.desk.lastSeq }
        if let cached = readModel.wallCache.withLock({ $0 }), cached.seq == seq, cached.second == second { return cached.body }
        // Computed on a copy (copy-on-write, cheap), not under the read model's lock.
        let state: ReadModel.State = readModel.read { copy $0 }
        let document = WallDocument(state, at: now, replay: replay)
        var bytes = try DeskDocuments.encode(document)
        bytes.append(UInt8(ascii: "\n"))
        let body = ByteBuffer(bytes: bytes)
        readModel.wallCache.withLock { $0 = (document.seq, second, body) }
        return body
    }
}
