import CommandCenter

/// Finds the posts in one JSON value of an archive and maps each to a ``SourcePost``, or to the
/// problem that stops it (a missing id, a bad time), named by its path (`data[3].created_at`).
///
/// - `tweets` (v1.1): an array of statuses, `{"statuses": [...]}`, or one status; the text is
///   `full_text`, else `extended_tweet.full_text`, else `text`; ids from `id_str` (the number `id`
///   loses digits above 2^53 in most JSON readers); entities from `extended_tweet` when there;
///   `retweeted_status` makes a repost. Objects that are not statuses (a stream's `delete` or
///   `limit` notices) are passed over.
/// - `twarc` (v2): a response page (`data` array, authors from `includes.users`), a stream line
///   (`data` object), a flattened tweet (`author.username`), or an array of those;
///   `referenced_tweets` gives the reply target and retweets.
/// - `mastodon`: a status, an array of statuses or notifications, a context (`ancestors` then
///   `descendants`); HTML content to text, `tags[].name`, `reblog` makes a repost.
struct JSONPostMapper {
    let format: ImportFormat
    let options: ImportOptions
    let line: Int
    private(set) var results: [Result<SourcePost, RowProblem>] = []

    init(format: ImportFormat, options: ImportOptions, line: Int) {
        self.format = format
        self.options = options
        self.line = line
    }

    mutating func posts(in value: JSONValue) {
        switch format {
        case .tweets: tweets(value, path: "")
        case .twarc: twarc(value, path: "", users: [:])
        default: mastodon(value, path: "")
        }
    }

    // MARK: Twitter v1.1

    private mutating func tweets(_ value: JSONValue, path: String) {
        switch value {
        case .array(let elements):
            for (i, element) in elements.enumerated() { tweets(element, path: "\(path)[\(i)]") }
        case .object:
            let object = JSONObject(value, path: path, line: line)
            if let statuses = object["statuses"] {
                tweets(statuses, path: object.path("statuses"))
            } else if object["id_str"] != nil || object["id"] != nil, object["user"] != nil {
                results.append(Result { () throws(RowProblem) in try tweet(object) })
            }
        default: break
        }
    }

    private func tweet(_ o: JSONObject) throws(RowProblem) -> SourcePost {
        let id = try o.id("id_str", orNumber: "id")
        let user = try o.object("user")
        let author = try user.string("screen_name")
        let at: Timestamp
        if let ms = o["timestamp_ms"] {
            at = try o.time("timestamp_ms", ms)
        } else {
            at = try o.time("created_at", try o.required("created_at"))
        }
        let extended = try o.optionalObject("extended_tweet")
        var rawText = try o.optionalString("full_text")
        if rawText == nil, let extended { rawText = try extended.optionalString("full_text") }
        if rawText == nil { rawText = try o.string("text") }
        let text = PostText.decodingEntities(rawText ?? "")
        var entities = try extended?.optionalObject("entities")
        if entities == nil { entities = try o.optionalObject("entities") }
        let hashtags = try entities?.strings(in: "hashtags", key: "text").map { $0.lowercased() }.uniqued() ?? PostText.hashtags(in: text)
        let mentions = try entities?.strings(in: "user_mentions", key: "screen_name") ?? PostText.mentions(in: text)
        let target = try o.optionalID("in_reply_to_status_id_str", orNumber: "in_reply_to_status_id")
        return SourcePost(
            id: id, channel: .twitter, author: author, time: at, text: try CSVFields.text(text, line: line, field: o.path("text")),
            hashtags: hashtags, mentions: mentions, inReplyTo: target, conversation: nil,
            isRepost: o["retweeted_status"].map { if case .null = $0 { false } else { true } } ?? false,
            url: "https://twitter.com/\(author)/status/\(id)",
            member: options.isTeam(author) ? TeamMember(volunteer: "vol:" + author, name: try user.optionalString("name") ?? author, team: nil) : nil
        )
    }

    // MARK: Twitter v2 (twarc2)

    private mutating func twarc(_ value: JSONValue, path: String, users: [String: String]) {
        switch value {
        case .array(let elements):
            for (i, element) in elements.enumerated() { twarc(element, path: "\(path)[\(i)]", users: users) }
        case .object:
            let object = JSONObject(value, path: path, line: line)
            if let data = object["data"] {
                var users = users
                if case .object? = object["includes"], case .array(let list)? = JSONObject(object["includes"]!, path: "", line: line)["users"] {
                    for user in list {
                        let u = JSONObject(user, path: "", line: line)
                        if case .string(let id)? = u["id"], case .string(let name)? = u["username"] { users[id] = name }
                    }
                }
                twarc(data, path: object.path("data"), users: users)
            } else if object["id"] != nil, object["text"] != nil {
                results.append(Result { () throws(RowProblem) in try tweetV2(object, users: users) })
            }
        default: break
        }
    }

    private func tweetV2(_ o: JSONObject, users: [String: String]) throws(RowProblem) -> SourcePost {
        let id = try o.id("id", orNumber: "id")
        let authorID = try o.optionalString("author_id")
        let author = try o.optionalObject("author")?.optionalString("username") ?? authorID.flatMap { users[$0] } ?? authorID
        guard let author else { throw RowProblem(line: line, field: o.path("author_id"), message: "missing") }
        let at = try o.time("created_at", try o.required("created_at"))
        let text = PostText.decodingEntities(try o.string("text"))
        let entities = try o.optionalObject("entities")
        let hashtags = try entities?.strings(in: "hashtags", key: "tag").map { $0.lowercased() }.uniqued() ?? PostText.hashtags(in: text)
        let mentions = try entities?.strings(in: "mentions", key: "username") ?? PostText.mentions(in: text)
        var target: String?
        var isRepost = false
        if case .array(let references)? = o["referenced_tweets"] {
            for (i, reference) in references.enumerated() {
                let r = JSONObject(reference, path: o.path("referenced_tweets") + "[\(i)]", line: line)
                switch try r.string("type") {
                case "replied_to": target = try r.id("id", orNumber: "id")
                case "retweeted": isRepost = true
                default: break
                }
            }
        }
        return SourcePost(
            id: id, channel: .twitter, author: author, time: at, text: try CSVFields.text(text, line: line, field: o.path("text")),
            hashtags: hashtags, mentions: mentions, inReplyTo: target, conversation: try o.optionalString("conversation_id"),
            isRepost: isRepost, url: "https://twitter.com/\(author)/status/\(id)",
            member: options.isTeam(author) ? TeamMember(volunteer: "vol:" + author, name: author, team: nil) : nil
        )
    }

    // MARK: Mastodon

    private mutating func mastodon(_ value: JSONValue, path: String) {
        switch value {
        case .array(let elements):
            for (i, element) in elements.enumerated() { mastodon(element, path: "\(path)[\(i)]") }
        case .object:
            let object = JSONObject(value, path: path, line: line)
            if object["ancestors"] != nil || object["descendants"] != nil {
                if let ancestors = object["ancestors"] { mastodon(ancestors, path: object.path("ancestors")) }
                if let descendants = object["descendants"] { mastodon(descendants, path: object.path("descendants")) }
            } else if object["content"] != nil, object["account"] != nil {
                results.append(Result { () throws(RowProblem) in try status(object) })
            } else if let status = object["status"], case .object = status {
                mastodon(status, path: object.path("status"))
            }
        default: break
        }
    }

    private func status(_ o: JSONObject) throws(RowProblem) -> SourcePost {
        let id = try o.id("id", orNumber: "id")
        let account = try o.object("account")
        let author = try account.string("acct")
        let at = try o.time("created_at", try o.required("created_at"))
        let reblog = try o.optionalObject("reblog")
        var html = try o.string("content")
        if html.isEmpty, let reblog { html = try reblog.string("content") }
        let text = PostText.plainText(fromHTML: html)
        let tags = try (o["tags"] != nil ? o : reblog)?.strings(in: "tags", key: "name").map { $0.lowercased() }.uniqued()
        let mentions = try o.strings(in: "mentions", key: "acct")
        return SourcePost(
            id: id, channel: .mastodon, author: author, time: at, text: try CSVFields.text(text, line: line, field: o.path("content")),
            hashtags: tags ?? PostText.hashtags(in: text), mentions: mentions,
            inReplyTo: try o.optionalID("in_reply_to_id", orNumber: "in_reply_to_id"), conversation: nil,
            isRepost: reblog != nil, url: try o.optionalString("url"),
            member: options.isTeam(author) ? TeamMember(volunteer: "vol:" + author, name: try account.optionalString("display_name") ?? author, team: nil) : nil
        )
    }
}

/// Typed reads of one JSON object's members, with problems naming the member's path.
struct JSONObject {
    let members: [(key: String, value: JSONValue)]
    let base: String
    let line: Int

    init(_ value: JSONValue, path: String, line: Int) {
        if case .object(let members) = value { self.members = members } else { self.members = [] }
        self.base = path
        self.line = line
    }

    subscript(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func path(_ key: String) -> String { base.isEmpty ? key : base + "." + key }

    private func problem(_ key: String, _ message: String) -> RowProblem {
        RowProblem(line: line, field: path(key), message: message)
    }

    func required(_ key: String) throws(RowProblem) -> JSONValue {
        guard let value = self[key], value.isPresent else { throw problem(key, "missing") }
        return value
    }

    func string(_ key: String) throws(RowProblem) -> String {
        guard case .string(let s) = try required(key) else { throw problem(key, "expected a string, got \(self[key]!.summary)") }
        return s
    }

    func optionalString(_ key: String) throws(RowProblem) -> String? {
        guard let value = self[key], value.isPresent else { return nil }
        guard case .string(let s) = value else { throw problem(key, "expected a string, got \(value.summary)") }
        return s
    }

    func object(_ key: String) throws(RowProblem) -> JSONObject {
        let value = try required(key)
        guard case .object = value else { throw problem(key, "expected an object, got \(value.summary)") }
        return JSONObject(value, path: path(key), line: line)
    }

    func optionalObject(_ key: String) throws(RowProblem) -> JSONObject? {
        guard let value = self[key], value.isPresent else { return nil }
        guard case .object = value else { throw problem(key, "expected an object, got \(value.summary)") }
        return JSONObject(value, path: path(key), line: line)
    }

    /// A platform id: the string member `key`, else the integer member `number` (digits kept
    /// exactly as written).
    func id(_ key: String, orNumber number: String) throws(RowProblem) -> String {
        guard let id = try optionalID(key, orNumber: number) else { throw problem(key, "missing") }
        return id
    }

    func optionalID(_ key: String, orNumber number: String) throws(RowProblem) -> String? {
        for name in [key, number] {
            guard let value = self[name], value.isPresent else { continue }
            switch value {
            case .string(let s) where !s.isEmpty && s.utf8.count <= 64 && !s.contains(":"):
                return s
            case .number(let text) where text.allSatisfy(\.isNumber):
                return text
            default:
                throw problem(name, "expected an id, got \(value.summary)")
            }
        }
        return nil
    }

    func time(_ key: String, _ value: JSONValue) throws(RowProblem) -> Timestamp {
        let text: String
        switch value {
        case .string(let s): text = s
        case .number(let n): text = n
        default: throw problem(key, "expected a time, got \(value.summary)")
        }
        guard let at = PlatformTime.parse(text) else { throw problem(key, "expected a time, got \(value.summary)") }
        // A post dated in the future would date every later event after it: a log's time never goes back.
        if let future = at.tooFarAhead() { throw problem(key, future) }
        return at
    }

    /// The string `key` of each object of the array `array` (`entities.hashtags[].text`).
    func strings(in array: String, key: String) throws(RowProblem) -> [String] {
        guard let value = self[array], value.isPresent else { return [] }
        guard case .array(let elements) = value else { throw problem(array, "expected an array, got \(value.summary)") }
        var found: [String] = []
        for (i, element) in elements.enumerated() {
            found.append(try JSONObject(element, path: path(array) + "[\(i)]", line: line).string(key))
        }
        return found
    }
}

extension JSONValue {
    var isPresent: Bool {
        if case .null = self { return false }
        return true
    }
}
