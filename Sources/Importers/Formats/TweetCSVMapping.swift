import CommandCenter

/// A CSV of tweets, one per row, such as a v1.1 search script writes
/// (`conference-srccon2015-tweets.csv`: `tweet_utc_date`, `user_screen_name`, `tweet_text`,
/// `tweet_id`, `in_reply_to_status_id`, …). Each field is found under the first of its usual
/// column names, or under the column `--columns FIELD=COLUMN` names:
///
/// | field | columns tried |
/// |---|---|
/// | `id` | tweet_id, id_str, id |
/// | `time` | tweet_utc_date, created_at, date, time, timestamp |
/// | `author` | user_screen_name, screen_name, username, from_user, author |
/// | `text` | tweet_text, full_text, text |
/// | `replyTo` | in_reply_to_status_id, in_reply_to_status_id_str, in_reply_to_tweet_id (optional) |
/// | `url` | tweet_url, url (optional) |
/// | `repost` | is_retweet, retweeted_status_id (optional; otherwise a text starting `RT @` is a retweet) |
/// | `reposts` | retweet_count, repost_count, reblogs_count (optional) |
/// | `likes` | favorite_count, like_count, favourites_count (optional) |
/// | `quote` | quoted_status_id, quoted_status_id_str, quoted_tweet_id (optional) |
///
/// Hashtags and mentions come from the text (a CSV has no entities); entities are decoded.
/// Where the `url` column names the post (`…/status/838901760643248130`) and the `id` column holds
/// the same number with its last digits lost (`838901760643248000`: it went through a float), the
/// URL's id is kept and the post counts as repaired. A repost keeps no counts: the platform gives a
/// repost its original's.
struct TweetCSVMapping: CSVRowMapping {
    static let candidates: [(field: String, columns: [String], required: Bool)] = [
        ("id", ["tweet_id", "id_str", "id"], true),
        ("time", ["tweet_utc_date", "created_at", "date", "time", "timestamp"], true),
        ("author", ["user_screen_name", "screen_name", "username", "from_user", "author"], true),
        ("text", ["tweet_text", "full_text", "text"], true),
        ("replyTo", ["in_reply_to_status_id", "in_reply_to_status_id_str", "in_reply_to_tweet_id"], false),
        ("url", ["tweet_url", "url"], false),
        ("repost", ["is_retweet", "retweeted_status_id"], false),
        ("reposts", ["retweet_count", "repost_count", "reblogs_count"], false),
        ("likes", ["favorite_count", "like_count", "favourites_count"], false),
        ("quote", ["quoted_status_id", "quoted_status_id_str", "quoted_tweet_id"], false),
    ]

    private let columns: [String: (index: Int, name: String)]
    private let team: Set<String>

    init(header: [String], file: String, options: ImportOptions) throws {
        for field in options.columns.keys where !Self.candidates.contains(where: { $0.field == field }) {
            throw ImportError("--columns: unknown field '\(field)'; fields are \(Self.candidates.map(\.field).joined(separator: ", "))")
        }
        var found: [String: (Int, String)] = [:]
        for candidate in Self.candidates {
            if let named = options.columns[candidate.field] {
                guard let index = header.firstIndex(of: named.lowercased()) else {
                    throw ImportError("\(file):1: --columns \(candidate.field)=\(named): the header has no such column (it has \(header.joined(separator: ", ")))")
                }
                found[candidate.field] = (index, named)
            } else if let name = candidate.columns.first(where: header.contains), let index = header.firstIndex(of: name) {
                found[candidate.field] = (index, name)
            } else if candidate.required {
                throw ImportError("\(file):1: no column for '\(candidate.field)' (tried \(candidate.columns.joined(separator: ", "))); name it with --columns \(candidate.field)=COLUMN")
            }
        }
        columns = found
        team = Set(options.team.map { ($0.hasPrefix("@") ? String($0.dropFirst()) : $0).lowercased() })
    }

    private func field(_ csv: CSVFile, _ name: String) throws(RowProblem) -> Int? {
        guard let column = columns[name] else { return nil }
        try CSVFields.require(csv, column.index, column.name)
        return column.index
    }

    func post(_ csv: CSVFile, complete: Bool) throws(RowProblem) -> SourcePost {
        let line = csv.span.line
        let idColumn = columns["id"]!, timeColumn = columns["time"]!
        let id = try field(csv, "id")!, time = try field(csv, "time")!, author = try field(csv, "author")!, text = try field(csv, "text")!
        guard var postID = CSVFields.id(csv.bytes(id)) else {
            throw RowProblem(line: line, field: idColumn.name, message: "expected a tweet id (digits), got '\(csv.string(id).prefix(40))'")
        }
        guard let at = PlatformTime.parse(csv.bytes(time)) else {
            throw RowProblem(line: line, field: timeColumn.name, message: "expected a time (RFC 3339, '2015-06-23 04:09:49+00:00' or Twitter's), got '\(csv.string(time).prefix(40))'")
        }
        if let future = at.tooFarAhead() { throw RowProblem(line: line, field: timeColumn.name, message: future) }
        var target: String?
        if let replyTo = try field(csv, "replyTo"), !csv.isEmpty(replyTo) {
            guard let parsed = CSVFields.id(csv.bytes(replyTo)) else {
                throw RowProblem(line: line, field: columns["replyTo"]!.name, message: "expected a tweet id, got '\(csv.string(replyTo).prefix(40))'")
            }
            target = parsed
        }
        let handle = try CSVFields.handle(csv.string(author), line: line, field: columns["author"]!.name)
        let body = try CSVFields.text(csv, text, complete: complete, field: columns["text"]!.name)
        var isRepost = csv.bytes(text).starts(with: "RT @".utf8)
        if let repost = try field(csv, "repost"), !csv.isEmpty(repost) {
            isRepost = CSVFields.bool(csv.bytes(repost)) ?? true
        }
        let url = try field(csv, "url").flatMap { csv.isEmpty($0) ? nil : csv.string($0) }
        var repaired = false
        if let fromURL = url.flatMap(CSVFields.postID(inURL:)), fromURL != postID, CSVFields.isRounding(postID, of: fromURL) {
            postID = fromURL
            repaired = true
        }
        var quote: String?
        if let column = try field(csv, "quote"), !csv.isEmpty(column) {
            guard let parsed = CSVFields.id(csv.bytes(column)) else {
                throw RowProblem(line: line, field: columns["quote"]!.name, message: "expected a tweet id, got '\(csv.string(column).prefix(40))'")
            }
            quote = parsed
        }
        let member = team.contains(handle.lowercased()) ? TeamMember(volunteer: "vol:" + handle, name: handle, team: nil) : nil
        let words = complete ? PostText.hashtagsAndMentions(in: body) : (hashtags: [], mentions: [])
        var post = SourcePost(
            id: postID, channel: .twitter, author: handle, time: at, text: body,
            hashtags: words.hashtags, mentions: words.mentions,
            inReplyTo: target, conversation: nil, isRepost: isRepost, url: url, member: member
        )
        post.idRepaired = repaired
        post.quoteOf = isRepost ? nil : quote
        if !isRepost {
            post.repostCount = try count(csv, "reposts")
            post.likeCount = try count(csv, "likes")
        }
        return post
    }

    /// A platform counter: digits (or a spreadsheet's `16.0`); `nil` when empty or absent.
    private func count(_ csv: CSVFile, _ name: String) throws(RowProblem) -> Int? {
        guard let column = try field(csv, name), !csv.isEmpty(column) else { return nil }
        guard let digits = CSVFields.id(csv.bytes(column)), let value = Int(digits) else {
            throw RowProblem(line: csv.span.line, field: columns[name]!.name, message: "expected a count (a whole number), got '\(csv.string(column).prefix(40))'")
        }
        return value
    }
}

typealias TweetCSVSource = CSVPostSource<TweetCSVMapping>
