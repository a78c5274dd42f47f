import CommandCenter
import Synchronization

/// The texts of inbound posts, which the desk's state does not keep: read from the log by the seq
/// of each post's `postReceived` the first time a queue lists it, then kept (a post's text never
/// changes). Bounded: past ``capacity`` texts the cache starts again.
final class PostTexts: Sendable {
    static let capacity = 50_000

    private let store: EventStore
    private let cache = Mutex<[UInt64: String]>([:])

    init(store: EventStore) {
        self.store = store
    }

    /// The text of each of `posts` that the log has, by `receivedSeq`.
    func texts(of posts: [PostState]) -> [UInt64: String] {
        var found: [UInt64: String] = [:]
        let missing = cache.withLock { cache in
            posts.map(\.receivedSeq).filter { seq in
                guard let text = cache[seq] else { return true }
                found[seq] = text
                return false
            }
        }
        guard !missing.isEmpty, let events = try? store.events(at: missing) else { return found }
        var read: [UInt64: String] = [:]
        for (seq, event) in events {
            if case .postReceived(let post) = event.body { read[seq] = post.text }
        }
        cache.withLock { cache in
            if cache.count + read.count > Self.capacity { cache = [:] }
            cache.merge(read) { $1 }
        }
        return found.merging(read) { $1 }
    }
}
