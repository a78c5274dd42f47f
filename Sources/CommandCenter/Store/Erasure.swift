public import EventLog

/// What to erase: a person's posts (by their handle) or one post, with what goes with them.
public struct ErasureRequest: Sendable {
    public enum Target: Sendable, Equatable {
        /// Every post this handle wrote (compared without `@` and case), the reposts of them (their
        /// text is the person's), and the desk's texts about all of those.
        case author(String)
        /// One post and the desk's texts about it.
        case post(String)
    }

    public var target: Target
    /// Also erase other people's posts that mention the handle (their text names the person).
    public var withMentions: Bool
    /// Why, kept in the erasure event's own personal part (so it can be erased too).
    public var reason: String?

    public init(_ target: Target, withMentions: Bool = false, reason: String? = nil) {
        self.target = target
        self.withMentions = withMentions
        self.reason = reason
    }
}

/// What an erasure did.
public struct ErasureOutcome: Sendable, Equatable {
    /// The posts whose personal data went (with the desk's texts about them).
    public var posts: [String]
    /// Records whose personal part was erased.
    public var records: Int
    /// The seq of the `personalDataErased` event, `nil` when there was nothing to erase.
    public var erasureSeq: UInt64?
    /// Other people's posts that still mention the handle (not erased without `withMentions`).
    public var postsStillMentioning: Int
}

/// Erasure (GDPR art. 17) that keeps the proof: the personal parts of the matching records are
/// replaced by the commitments the chain covers (`Schemas/log-format.md` §10), so the chain, the
/// head and every earlier head still verify, and every figure that does not read a text or a
/// handle — volumes, reaction times, who answered what — is unchanged.
extension EventStore {
    /// Finds what `request` names, rewrites the log without it, and appends a
    /// `personalDataErased` event (by `actor`, at `at` or the log's last time if later) naming the
    /// posts. Erasing what is already erased finds nothing and appends nothing.
    ///
    /// - Throws: `LogError` (`.busy` when another process has the log open: nothing changes).
    public func erase(_ request: ErasureRequest, by actor: String, at: Timestamp) throws -> ErasureOutcome {
        // A killed erasure may have left its scratch copy: cleared even when nothing is to erase.
        log.removeStaleRewrites()
        var posts: [String] = []
        var erasedPosts = Set<String>()
        var seqs = Set<UInt64>()
        var mentioning = 0
        var last: Timestamp?
        let handle: String? = if case .author(let author) = request.target { Self.plainHandle(author) } else { nil }
        try events { seq, event in
            last = event.at
            guard !event.isErased, !PersonalFields.fields(of: event.kind).isEmpty else { return true }
            var take = false
            switch event.body {
            case .postReceived(let b):
                switch request.target {
                case .post(let id): take = b.post == id
                case .author:
                    let theirs = Self.plainHandle(b.author) == handle
                    let repostOfTheirs = b.isRepost && (b.text.lowercased().hasPrefix("rt @\(handle!):")
                        || b.mentions.first.map(Self.plainHandle) == handle)
                    let mentions = !theirs && !repostOfTheirs && b.mentions.contains { Self.plainHandle($0) == handle }
                    if mentions && !request.withMentions { mentioning += 1 }
                    take = theirs || repostOfTheirs || (mentions && request.withMentions)
                }
                if take && erasedPosts.insert(b.post).inserted { posts.append(b.post) }
            default:
                take = event.post.map(erasedPosts.contains) ?? false
            }
            if take { seqs.insert(seq) }
            return true
        }
        if case .post(let id) = request.target, posts.isEmpty, try knowsPost(id) {
            // The post is there but holds nothing to erase any more (erased before).
            return ErasureOutcome(posts: [], records: 0, erasureSeq: nil, postsStillMentioning: 0)
        }
        guard !seqs.isEmpty else {
            return ErasureOutcome(posts: [], records: 0, erasureSeq: nil, postsStillMentioning: mentioning)
        }
        let when = max(at, last ?? at)
        let erasure = Event(at: when, actor: actor, body: .personalDataErased(PersonalDataErased(posts: posts, reason: request.reason)))
        let outcome = try log.rewrite(erasing: seqs, thenAppend: [Self.record(for: erasure)])
        return ErasureOutcome(posts: posts, records: outcome.erased, erasureSeq: outcome.appended.sequenceNumbers.first,
                              postsStillMentioning: mentioning)
    }

    /// A handle as compared: without `@`, lowercase.
    public static func plainHandle(_ handle: String) -> String {
        (handle.hasPrefix("@") ? String(handle.dropFirst()) : handle).lowercased()
    }
}

extension EventStore {
    /// Upgrades the log in `path` from format 1 (`smcc-log 1`, events whole in the payload) to
    /// this one (see `EventLog.upgrade`), appending a `logUpgraded` event that records the old
    /// head. The caller holds the writer lock.
    public static func upgrade(at path: String, expectedHead: LogHead? = nil) throws(LogError) -> EventLog.UpgradeOutcome {
        let metadataKey = String(EventFormat.metaKey.dropFirst("app:".count))
        return try EventLog.upgrade(
            at: path, indexes: indexNames, expectedHead: expectedHead,
            metadata: [metadataKey: Array(EventFormat.identifier.utf8)],
            transform: { record throws(LogError) in
                // A format-1 payload holds every field: it decodes whole, then splits as format 2 stores it.
                Self.record(for: try Self.event(record.payload[...], time: record.time, seq: record.seq))
            },
            closing: { previous, lastTime throws(LogError) in
                let at = max(Timestamp.now, Timestamp(milliseconds: lastTime ?? 0))
                return Self.record(for: Event(at: at, actor: "system", body: .logUpgraded(LogUpgraded(
                    fromFormat: EventLog.legacyFormatName, previousHead: previous?.description ?? "none"))))
            })
    }
}
