import CommandCenter
import Hummingbird

/// `/health` (no token) and `/metrics` (Prometheus text, for active volunteers).
struct OperationsController {
    let readModel: ReadModel
    let live: LiveEvents
    let metrics: ServerMetrics
    let access: Access

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.get("/health") { _, _ in
            JSONWriting.response(Array(#"{"status":"ok","head":\#(readModel.read { $0.desk.lastSeq })}"#.utf8))
        }
        routes.get("/metrics") { _, context in
            _ = try access.reader(context)
            let text = metrics.render(head: readModel.read { $0.desk.lastSeq }, liveStreams: live.count)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return routes
    }
}
