import CommandCenter
import Hummingbird

/// `/v1/queues/…`, `/v1/stats`: answered from the read model, never through the writer.
struct QueueController {
    let readModel: ReadModel
    let texts: PostTexts
    let access: Access

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.get("/v1/queues/mine") { _, context in
            let me = try access.reader(context)
            let (seq, posts) = readModel.read { ($0.desk.lastSeq, $0.desk.volunteerQueue(me)) }
            return postList(#"{"volunteer":"#, me, seq: seq, count: posts.count, posts)
        }
        routes.get("/v1/queues/triage") { request, context in
            _ = try access.viewer(context)
            let limit = try RequestInput.integer(request, "limit", default: 100, range: 1...10_000)
            let (seq, count, posts) = readModel.read { ($0.desk.lastSeq, $0.desk.triageCount, $0.desk.triageQueue(limit: limit)) }
            return postList(nil, nil, seq: seq, count: count, posts)
        }
        routes.get("/v1/queues/escalations") { _, context in
            _ = try access.viewer(context)
            let (seq, posts) = readModel.read { ($0.desk.lastSeq, $0.desk.escalationQueue()) }
            let known = texts.texts(of: posts)
            var out = Array(#"{"seq":\#(seq),"count":\#(posts.count),"escalations":["#.utf8)
            for (index, state) in posts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"{"post":"#.utf8)
                JSONWriting.post(state, text: known[state.receivedSeq], into: &out)
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
        routes.get("/v1/stats") { _, context in
            _ = try access.viewer(context)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: try readModel.statisticsReport()))
        }
        return routes
    }

    private func postList(_ ownerKey: String?, _ owner: String?, seq: UInt64, count: Int, _ posts: [PostState]) -> Response {
        let known = texts.texts(of: posts)
        var out: [UInt8] = Array("{".utf8)
        if let ownerKey {
            out = Array(ownerKey.utf8)
            JSONWriting.string(owner, into: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""seq":\#(seq),"count":\#(count),"posts":["#.utf8)
        for (index, state) in posts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriting.post(state, text: known[state.receivedSeq], into: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return JSONWriting.response(out)
    }
}
