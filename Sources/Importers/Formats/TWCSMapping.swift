import CommandCenter

/// The Kaggle "Customer Support on Twitter" corpus (`tweet_id, author_id, inbound, created_at,
/// text, response_tweet_id, in_response_to_tweet_id`): an inbound tweet is a customer's post; a
/// brand tweet (`inbound` false) is written by the agent who signed it (`^JK`, `-Becky`) in the
/// brand's team: `vol:<brand>/<sign-off>`, or `vol:<brand>` when unsigned.
struct TWCSMapping: CSVRowMapping {
    private let id, author, inbound, time, text, replyTo: Int
    private let needed: Int

    init(header: [String], file: String, options: ImportOptions) throws {
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw ImportError("\(file):1: the header has no column '\(name)' (TWCS needs tweet_id, author_id, inbound, created_at, text, in_response_to_tweet_id)")
            }
            return index
        }
        id = try column("tweet_id")
        author = try column("author_id")
        inbound = try column("inbound")
        time = try column("created_at")
        text = try column("text")
        replyTo = try column("in_response_to_tweet_id")
        needed = [id, author, inbound, time, text, replyTo].max()! + 1
    }

    func post(_ csv: CSVFile, complete: Bool) throws(RowProblem) -> SourcePost {
        let line = csv.span.line
        if csv.count < needed {
            let names = [(id, "tweet_id"), (author, "author_id"), (inbound, "inbound"), (time, "created_at"), (text, "text"), (replyTo, "in_response_to_tweet_id")]
            let missing = names.filter { $0.0 >= csv.count }.min { $0.0 < $1.0 }!.1
            throw RowProblem(line: line, field: missing, message: "missing column (the row has \(csv.count) fields, the header \(needed) or more)")
        }
        guard let postID = CSVFields.id(csv.bytes(id)) else {
            throw RowProblem(line: line, field: "tweet_id", message: "expected a tweet id (digits), got '\(csv.string(id).prefix(40))'")
        }
        guard let isInbound = CSVFields.bool(csv.bytes(inbound)) else {
            throw RowProblem(line: line, field: "inbound", message: "expected True or False, got '\(csv.string(inbound).prefix(40))'")
        }
        guard let at = PlatformTime.parse(csv.bytes(time)) else {
            throw RowProblem(line: line, field: "created_at", message: "expected a time like 'Tue Oct 31 22:10:47 +0000 2017', got '\(csv.string(time).prefix(40))'")
        }
        if let future = at.tooFarAhead() { throw RowProblem(line: line, field: "created_at", message: future) }
        var target: String?
        if !csv.isEmpty(replyTo) {
            guard let parsed = CSVFields.id(csv.bytes(replyTo)) else {
                throw RowProblem(line: line, field: "in_response_to_tweet_id", message: "expected a tweet id, got '\(csv.string(replyTo).prefix(40))'")
            }
            target = parsed
        }
        let handle = try CSVFields.handle(csv.string(author), line: line, field: "author_id")
        let body = try CSVFields.text(csv, text, complete: complete, field: "text")
        var member: TeamMember?
        if !isInbound {
            let signOff = complete ? PostText.signOff(of: body) : nil
            member = TeamMember(volunteer: "vol:" + handle + (signOff.map { "/" + $0 } ?? ""), name: signOff ?? handle, team: handle)
        }
        let words = complete ? PostText.hashtagsAndMentions(in: body) : (hashtags: [], mentions: [])
        return SourcePost(
            id: postID, channel: .twitter, author: handle, time: at, text: body,
            hashtags: words.hashtags, mentions: words.mentions,
            inReplyTo: target, conversation: nil, isRepost: false, url: nil, member: member
        )
    }
}

typealias TWCSSource = CSVPostSource<TWCSMapping>
