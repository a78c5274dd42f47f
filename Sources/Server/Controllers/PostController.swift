import CommandCenter
import Hummingbird

/// `/v1/posts`, `/v1/published`: inbound posts, what the desk does with them, and one post as the
/// desk sees it.
struct PostController {
    let commands: CommandRunner
    let readModel: ReadModel
    let texts: PostTexts
    let access: Access

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.post("/v1/posts") { request, context in
            try await commands.run(request, context, fields: ["post", "channel", "author", "text", "hashtags", "mentions", "postedAt",
                                                              "inReplyTo", "conversation", "isRepost", "url"], ingest: true) { body throws(Problem) in
                try Self.receivedPost(body)
            }
        }
        routes.post("/v1/posts/:post/assign") { request, context in
            try await commands.run(request, context, fields: ["to"]) { body throws(Problem) in
                .assign(post: try RequestInput.parameter(context, "post"), to: try body.string("to", .volunteerID))
            }
        }
        routes.post("/v1/posts/:post/unassign") { request, context in
            try await commands.run(request, context, fields: ["reason"]) { body throws(Problem) in
                .unassign(post: try RequestInput.parameter(context, "post"), reason: try body.optionalString("reason", .text))
            }
        }
        routes.post("/v1/posts/:post/reply") { request, context in
            try await commands.run(request, context, fields: ["text", "replyPost"]) { body throws(Problem) in
                .reply(post: try RequestInput.parameter(context, "post"), text: try body.string("text", .requiredText),
                       replyPost: try body.optionalString("replyPost", .postID))
            }
        }
        routes.post("/v1/posts/:post/escalate") { request, context in
            try await commands.run(request, context, fields: ["to", "reason", "priority"]) { body throws(Problem) in
                .escalate(post: try RequestInput.parameter(context, "post"), to: try body.string("to", .volunteerID),
                          reason: try body.string("reason", .requiredText), priority: try body.optionalChoice("priority", Priority.self))
            }
        }
        routes.post("/v1/posts/:post/resolve-escalation") { request, context in
            try await commands.run(request, context, fields: ["resolution"]) { body throws(Problem) in
                .resolveEscalation(post: try RequestInput.parameter(context, "post"), resolution: try body.optionalString("resolution", .text))
            }
        }
        routes.post("/v1/posts/:post/resolve") { request, context in
            try await commands.run(request, context, fields: ["outcome"]) { body throws(Problem) in
                .resolve(post: try RequestInput.parameter(context, "post"), outcome: try body.choice("outcome", Outcome.self))
            }
        }
        routes.post("/v1/posts/:post/notes") { request, context in
            try await commands.run(request, context, fields: ["text"]) { body throws(Problem) in
                .addNote(post: try RequestInput.parameter(context, "post"), text: try body.string("text", .requiredText))
            }
        }
        routes.post("/v1/posts/:post/tags") { request, context in
            try await commands.run(request, context, fields: ["tags"]) { body throws(Problem) in
                .tag(post: try RequestInput.parameter(context, "post"), tags: try body.strings("tags", count: 1...50, .tag))
            }
        }
        routes.post("/v1/published") { request, context in
            try await commands.run(request, context, fields: ["post", "channel", "text", "media"]) { body throws(Problem) in
                .publish(post: try body.string("post", .postID), channel: try body.choice("channel", Channel.self),
                         text: try body.string("text", .text), media: try body.optionalStrings("media", count: 0...20, .media))
            }
        }
        routes.get("/v1/posts/:post") { _, context in
            _ = try access.reader(context)
            let id = try RequestInput.parameter(context, "post")
            guard let state = readModel.read({ $0.desk.post(id) }) else {
                throw Problem(.notFound, "notFound", "post \(id) was never received by the desk")
            }
            var out: [UInt8] = []
            JSONWriting.post(state, text: texts.texts(of: [state])[state.receivedSeq], into: &out)
            return JSONWriting.response(out, headers: [.eTag: "\"\(state.version)\""])
        }
        return routes
    }

    private static func receivedPost(_ body: JSONBody) throws(Problem) -> DeskCommand {
        let text = try body.string("postedAt", TextLimit(characters: 1...64))
        guard let postedAt = Timestamp(rfc3339: text) else {
            throw Problem.badRequest("invalidField", "field 'postedAt': '\(text)' is not an RFC 3339 time such as 2026-06-02T14:05:00.000Z")
        }
        return .receivePost(PostReceived(
            post: try body.string("post", .postID), channel: try body.choice("channel", Channel.self),
            author: try body.string("author", .id), text: try body.string("text", .text),
            hashtags: (try body.optionalStrings("hashtags", count: 0...50, .hashtag) ?? []).map { $0.lowercased() },
            mentions: try body.optionalStrings("mentions", count: 0...50, .mention) ?? [], postedAt: postedAt,
            inReplyTo: try body.optionalString("inReplyTo", .postID), conversation: try body.optionalString("conversation", .id),
            isRepost: try body.optionalBool("isRepost") ?? false, url: try body.optionalString("url", .url)))
    }
}
