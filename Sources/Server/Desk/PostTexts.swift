import CommandCenter
import Synchronization

/// The texts of inbound posts, which the desk's state does not keep: read from the log by the seq
/// of each post's `postReceived` the first time a queue lists it, then kept (a post's text never
/// changes). Bounded: past ``capacity`` texts the cache starts again.
final class PostTexts: Sendable {
    static let capacity = 50_000

    private let store: EventStore
    /// The texts, and how many times they were forgotten: a read that began before an erasure
    /// must not put back what the erasure took away.
    private let cache = Mutex<(texts: [UInt64: String], generation: Int)>(([:], 0))

    init(store: EventStore) {
        self.store = store
    }

    /// The text of each of `posts` that the log has, by `receivedSeq`.
    func texts(of posts: [PostState]) -> [UInt64: String] {
        var found: [UInt64: String] = [:]
        let (missing, generation) = cache.withLock { cache in
            (posts.map(\.receivedSeq).filter { seq in
                guard let text = cache.texts[seq] else { return true }
                found[seq] = text
                return false
            }, cache.generation)
        }
        guard !missing.isEmpty, let events = try? store.events(at: missing) else { return found }
        var read: [UInt64: String] = [:]
        for (seq, event) in events {
            if case .postReceived(let post) = event.body { read[seq] = post.text }
        }
        let current = cache.withLock { cache in
            guard cache.generation == generation else { return false }
            if cache.texts.count + read.count > Self.capacity { cache.texts = [:] }
            cache.texts.merge(read) { $1 }
            return true
        }
        // Read across an erasure: read again from the erased log.
        guard current else { return texts(of: posts) }
        return found.merging(read) { $1 }
    }

    /// Forgets every text (an erasure rewrote the log).
    func forget() {
        cache.withLock { cache in
            cache.texts = [:]
            cache.generation += 1
        }
    }
}
