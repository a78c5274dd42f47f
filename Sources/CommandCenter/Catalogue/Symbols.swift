/// The ids of a log's posts, people and hashtags, interned once per log and shared by every
/// projection: a replay hashes each id of an event once, here, and the desk and the statistics
/// index arrays with the integers.
///
/// - Posts: a post gets the next id when its first `postReceived` is interned (reposts
///   included); the other post kinds only look theirs up (`-1`: never received). So the id of a
///   post is its position in the order of receipt, the desk's slot.
/// - Names: actors, volunteers, assignees (`to`) and teams share one table; hashtags have their
///   own. (Authors are the desk's alone: it interns them itself, and a replay of the statistics
///   does not pay for them.)
///
/// The tables are a function of the events interned, in order, and nothing else: every event's
/// ids are interned whatever the projections that read it, so the tables after event `s` are the
/// same for a replay of the desk, of the statistics or of both, and a projection stored in a
/// snapshot at `s` carries exactly the tables a replay to `s` builds.
public struct Symbols: Sendable {
    /// Post key → post id.
    var posts = PostTable()
    /// Post id → its key.
    var postKeys: [PostKey] = []
    var names = NameTable()
    var hashtags = NameTable()
    /// The hashtag ids of the event interned last (a `postReceived`), repeats included: scratch,
    /// not state.
    var eventHashtags: [UInt32] = []

    /// Empty tables.
    public init() {}

    /// How many posts have an id.
    var postCount: Int { postKeys.count }

    /// Interns the ids of `view` and stores them in ``EventView/ids``.
    /// - Throws: ``EventDecodingError`` for an id that is not UTF-8.
    @inline(__always)
    mutating func intern(_ view: inout EventView) throws(EventDecodingError) {
        var ids = EventIDs()
        ids.actor = try names.intern(view.actorBytes)
        let kind = view.kind
        if kind == .postReceived {
            let key = try PostKey(utf8: view.subjectBytes)
            let next = Int32(postKeys.count)
            if let known = posts.updateValue(next, forKey: key) {
                posts[key] = known
                ids.post = known
            } else {
                postKeys.append(key)
                ids.post = next
                ids.isNewPost = true
            }
            eventHashtags.removeAll(keepingCapacity: true)
            try view.forEachHashtag { bytes throws(EventDecodingError) in eventHashtags.append(try hashtags.intern(bytes)) }
        } else if kind.isPostKind {
            if kind != .postPublished { ids.post = posts[try PostKey(utf8: view.subjectBytes)] ?? -1 }
            if kind == .postAssigned || kind == .escalated { ids.person = try names.intern(view.secondBytes) }
        } else if kind.isVolunteerKind {
            ids.person = try names.intern(view.subjectBytes)
            if let team = view.teamBytes { ids.team = try names.intern(team) }
        }
        view.ids = ids
    }

    /// The post id of `key`, if received.
    func post(_ key: PostKey) -> Int32? { posts[key] }

    /// The name id of `name`, if seen.
    func name(_ name: String) -> UInt32? { names.id(of: name) }

    /// Makes room for `posts` posts.
    mutating func reservePosts(_ count: Int) {
        postKeys.reserveCapacity(count)
        posts.reserveCapacity(count)
    }
}

extension Symbols: Equatable {
    public static func == (lhs: Symbols, rhs: Symbols) -> Bool {
        lhs.postKeys == rhs.postKeys && lhs.names == rhs.names && lhs.hashtags == rhs.hashtags
    }
}

extension PostKey {
    /// The key of the post id whose UTF-8 is `utf8`.
    /// - Throws: ``EventDecodingError`` when an id that is not numbered is not UTF-8.
    @inline(__always)
    init(utf8: ArraySlice<UInt8>) throws(EventDecodingError) {
        if let key = utf8.withUnsafeBufferPointer({ PostKey.numbered($0) }) {
            self = key
            return
        }
        guard let id = UTF8Text.string(utf8) else { throw EventDecodingError("invalid UTF-8 in a post id", offset: 0) }
        self = .other(id)
    }
}
