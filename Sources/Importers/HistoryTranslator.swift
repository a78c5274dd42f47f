import CommandCenter
import EventLog

/// Turns archived posts, in time order, into the events of the catalogue, deciding for each
/// whether it is new, a duplicate of what the log holds, or a reply to a post nobody has.
///
/// - an inbound post → `postReceived` (actor `import:<format>`); a repost keeps `isRepost`;
/// - a team member's post answering an inbound post of the import or a post of the log →
///   `replied` by `vol:…` at its own time, or at its post's time when the platform's clocks put
///   it before the post (the log cannot hold a reply before its post);
/// - a team member's post answering nothing, or one of the team's own posts → `postPublished`;
/// - a team member's reply to a post neither the import nor the log has → counted, not imported;
/// - a team member seen for the first time → `volunteerJoined` (role ambassador, their team)
///   just before their first event, unless the log already has them.
///
/// Every decision depends only on the log as it was when the import began and on the posts
/// before this one, so the checking pass and the appending pass decide the same, and a re-run
/// after a crash appends exactly what is missing: posts dedupe in the log, volunteers through the
/// `role` index, replies by their reply post id among the events of the post they answer.
struct HistoryTranslator {
    /// What the first pass learnt of a post of the import.
    struct Known: Equatable {
        var time: Int64
        var isTeam: Bool
        var handled = false
        /// The log had it before the import began.
        var preexisting = false
    }

    enum Outcome: Equatable {
        case new
        case duplicate
        case teamReplyToUnknownPost
    }

    private let store: EventStore
    /// The log held nothing when the import began: nothing can be a duplicate of it, so the
    /// lookups are skipped (they are most of a fresh import's reads).
    private let logWasEmpty: Bool
    private(set) var posts: ImportedPosts
    private var volunteers: Set<String> = []
    private var repliesMade: Set<PostKey> = []
    /// Inbound replies whose post neither the import nor the log has (imported all the same).
    private(set) var repliesToUnknownPosts = 0
    private(set) var volunteersJoined = 0
    private(set) var reposts = 0

    init(store: EventStore, logWasEmpty: Bool, posts: ImportedPosts) {
        self.store = store
        self.logWasEmpty = logWasEmpty
        self.posts = posts
    }

    private func logKnows(_ post: String) throws -> Bool {
        logWasEmpty ? false : try store.knowsPost(post)
    }

    mutating func translate(_ post: SourcePost, actor: String, into events: inout [Event]) throws -> Outcome {
        let key = post.key
        // One lookup for the post's entry: the table is as large as the import, so each lookup
        // is a cache miss (three of them were 3% of an import).
        let entry = posts.index(of: key)
        if let entry, posts[entry].handled { return .duplicate }
        let id = post.postID
        let preexisting = try logKnows(id)
        if let entry {
            posts[entry].handled = true
            posts[entry].preexisting = preexisting
        }
        guard let member = post.member else {
            if preexisting { return .duplicate }
            if let target = post.replyTargetID, posts[post.replyTargetKey!] == nil, !(try logKnows(target)) {
                repliesToUnknownPosts += 1
            }
            if post.isRepost { reposts += 1 }
            events.append(Event(at: post.time, actor: actor, body: .postReceived(PostReceived(
                post: id, channel: post.channel, author: post.author, text: post.text,
                hashtags: post.hashtags, mentions: post.mentions, postedAt: post.time,
                inReplyTo: post.replyTargetID, conversation: post.conversation.map { post.channel.rawValue + ":" + $0 },
                isRepost: post.isRepost, url: post.url, repostCount: post.repostCount, likeCount: post.likeCount,
                quoteOf: post.quoteOf.map { post.channel.rawValue + ":" + $0 }
            ))))
            return .new
        }
        if let target = post.replyTargetID {
            let answersInbound: Bool
            var at = post.time
            var targetPreexisting: Bool
            if let known = posts[post.replyTargetKey!] {
                answersInbound = !known.isTeam
                at = Timestamp(milliseconds: max(at.milliseconds, known.time))
                targetPreexisting = known.handled ? known.preexisting : try logKnows(target)
            } else if try logKnows(target) {
                answersInbound = true
                targetPreexisting = true
            } else {
                return .teamReplyToUnknownPost
            }
            if answersInbound {
                // A post of the table is translated once (`handled`): only one outside it needs
                // remembering (a set of every reply was a per-post insert and memory).
                if entry == nil, !repliesMade.insert(key).inserted { return .duplicate }
                if targetPreexisting, try logHasReply(id, to: target) { return .duplicate }
                try join(member, at: at, into: &events)
                events.append(Event(at: at, actor: member.volunteer, body: .replied(Replied(post: target, text: post.text, replyPost: id))))
                return .new
            }
        }
        if preexisting { return .duplicate }
        try join(member, at: post.time, into: &events)
        events.append(Event(at: post.time, actor: member.volunteer, body: .postPublished(PostPublished(post: id, channel: post.channel, text: post.text))))
        return .new
    }

    private mutating func join(_ member: TeamMember, at: Timestamp, into events: inout [Event]) throws {
        guard volunteers.insert(member.volunteer).inserted else { return }
        if !logWasEmpty, try store.log.firstSequenceNumber(index: "role", key: Array(member.volunteer.utf8)) != nil { return }
        volunteersJoined += 1
        events.append(Event(at: at, actor: member.volunteer, body: .volunteerJoined(VolunteerJoined(
            volunteer: member.volunteer, name: member.name, role: .ambassador, team: member.team
        ))))
    }

    /// Whether the log has a `replied` of `target` whose reply post is `reply`.
    private func logHasReply(_ reply: String, to target: String) throws -> Bool {
        let seqs = try store.log.sequenceNumbers(index: "post", key: EventStore.postIndexKey(target))
        for record in try store.log.records(seqs) {
            if case .replied(let body) = try EventStore.event(record).body, body.replyPost == reply {
                return true
            }
        }
        return false
    }
}
