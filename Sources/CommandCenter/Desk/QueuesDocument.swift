/// The queues of the desk as plain values: what `smcc queues --json` prints, in the shape of
/// `Schemas/cli/queues.schema.json`.
public struct QueuesDocument: Hashable, Sendable {
    /// One post in a queue.
    public struct Post: Hashable, Sendable {
        /// `post`: the post id.
        public var post: String
        /// `channel`.
        public var channel: Channel
        /// `author`.
        public var author: String
        /// `receivedAt`.
        public var receivedAt: Timestamp
        /// `status`: `received`, `assigned`, or the outcome of a resolved post.
        public var status: String
        /// `assignee`, or null.
        public var assignee: String?
        /// `version`: pass it as `expectedVersion` to act on what you saw.
        public var version: UInt64
        /// `escalated`: whether an escalation is open.
        public var escalated: Bool
        /// `urgent`: whether an urgent listening rule matched it.
        public var urgent: Bool
        /// `hashtags`.
        public var hashtags: [String]

        /// `erased`: the post's personal data was erased (`smcc erase`). Its author is then
        /// empty, which a post that is not erased never is (`FieldRule`: an author is non-empty).
        public var erased: Bool { author.isEmpty }

        /// The queue entry of `state`.
        public init(_ state: PostState) {
            post = state.id
            channel = state.channel
            author = state.author
            receivedAt = state.receivedAt
            status = state.status.name
            assignee = state.assignee
            version = state.version
            escalated = state.escalation != nil
            urgent = state.isUrgent
            hashtags = state.hashtags
        }
    }

    /// One open escalation.
    public struct Escalation: Hashable, Sendable {
        /// The post, as in the other queues.
        public var post: Post
        /// `to`: the coordinator it is escalated to.
        public var to: String
        /// `priority`, or null when none was given.
        public var priority: Priority?
        /// `since`: when it was escalated.
        public var since: Timestamp
    }

    /// One volunteer's queue.
    public struct VolunteerQueue: Hashable, Sendable {
        /// The volunteer id (the key in `volunteers`).
        public var volunteer: String
        /// `name`, `role`, `onShift` of the volunteer, when they joined (null for imported actors).
        public var name: String?
        public var role: Role?
        public var onShift: Bool
        /// Their posts, oldest first.
        public var posts: [Post]
    }

    /// `counts`: the sizes of the queues, whatever `limit` cut.
    public struct Counts: Hashable, Sendable {
        public var triage: Int
        public var escalations: Int
        public var assigned: Int
        public var posts: Int
        public var resolved: Int
    }

    /// `at`: the time the queues are as of (the `--at` asked for, else the last event's), or null
    /// for an empty log.
    public var at: Timestamp?
    /// `seq`: the last event applied.
    public var seq: UInt64
    /// `triage`, in queue order.
    public var triage: [Post]
    /// `escalations`, most urgent first.
    public var escalations: [Escalation]
    /// `volunteers`: every active volunteer and everyone with posts, sorted by id.
    public var volunteers: [VolunteerQueue]
    /// `counts`.
    public var counts: Counts
}

extension DeskState {
    /// The queues as plain values, for `smcc queues` and the HTTP API.
    /// - Parameters:
    ///   - at: the time to report (default: the last event's).
    ///   - limit: at most this many posts in `triage` (and in each volunteer's queue); `nil` for all.
    public func queuesDocument(at: Timestamp? = nil, limit: Int? = nil) -> QueuesDocument {
        let triagePosts = triageQueue(limit: limit).map(QueuesDocument.Post.init)
        let escalated = escalationQueue().map { state in
            QueuesDocument.Escalation(post: QueuesDocument.Post(state), to: state.escalation?.to ?? "",
                                      priority: state.escalation?.priority, since: state.escalation?.since ?? state.receivedAt)
        }
        let ids = Set(volunteers.values.filter(\.active).map(\.id)).union(volunteersWithQueues).sorted()
        var assignedCount = 0
        let queues = ids.map { id -> QueuesDocument.VolunteerQueue in
            let posts = volunteerQueue(id)
            assignedCount += posts.count
            let v = volunteers[id]
            return QueuesDocument.VolunteerQueue(volunteer: id, name: v?.name, role: v?.role, onShift: v?.onShift ?? false,
                                                 posts: posts.prefix(max(0, limit ?? posts.count)).map(QueuesDocument.Post.init))
        }
        let resolved = records.reduce(0) { $0 + ($1.isResolved ? 1 : 0) }
        return QueuesDocument(
            at: at ?? lastAt, seq: lastSeq, triage: triagePosts, escalations: escalated, volunteers: queues,
            counts: .init(triage: triageCount, escalations: escalations.count, assigned: assignedCount, posts: postCount, resolved: resolved)
        )
    }
}
