import CommandCenter
import Hummingbird

/// `POST /v1/erasures`: a coordinator erases a person's posts (or one post) from the log, as
/// `smcc erase` does (`Schemas/log-format.md` §10), while the server keeps serving.
struct ErasureController {
    let commands: CommandRunner
    let texts: PostTexts

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.post("/v1/erasures") { request, context in
            let subject = try commands.access.commander(context, ingest: false)
            guard let writer = commands.writer else {
                throw Problem(.forbidden, "forbidden", "this server replays a past log (smcc serve --replay): the desk is read-only")
            }
            var request = request
            let body = try JSONBody(try await RequestInput.body(&request), fields: ["author", "post", "withMentions", "reason"])
            let author = try body.optionalString("author", .mention)
            let post = try body.optionalString("post", .postID)
            guard (author == nil) != (post == nil) else {
                throw Problem.badRequest("invalidField", "name exactly one of 'author' (a handle) or 'post' (a post id)")
            }
            let withMentions = try body.optionalBool("withMentions") ?? false
            if withMentions && author == nil { throw Problem.badRequest("invalidField", "'withMentions' goes with 'author'") }
            let target: ErasureRequest.Target = author.map { .author($0) } ?? .post(post!)
            let reason = try body.optionalString("reason", .text)
            let answer = try await writer.erase(ErasureRequest(target, withMentions: withMentions, reason: reason), actor: subject.actor)
            guard case .erased(let outcome, let head) = answer else {
                throw Problem(.internalServerError, "internal", "the erasure gave no outcome")
            }
            texts.forget()
            var out = Array(#"{"posts":["#.utf8)
            for (index, id) in outcome.posts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriting.string(id, into: &out)
            }
            out.append(contentsOf: #"],"records":\#(outcome.records),"erasureSeq":\#(outcome.erasureSeq.map(String.init) ?? "null")"#.utf8)
            out.append(contentsOf: #","postsStillMentioning":\#(outcome.postsStillMentioning),"head":"#.utf8)
            JSONWriting.string(head, into: &out)
            out.append(UInt8(ascii: "}"))
            return JSONWriting.response(out, headers: [:])
        }
        return routes
    }
}
