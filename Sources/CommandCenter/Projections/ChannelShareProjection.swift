/// Inbound posts per channel, and each channel's share of all inbound posts.
///
/// Inbound posts are `postReceived` with `isRepost == false`, each post id counted once (as in
/// ``ReactionTimeProjection``, whose de-duplication this does not repeat: a duplicate
/// `postReceived` would count twice here; the importers refuse duplicates).
public struct ChannelShareProjection: Projection, Equatable, Sendable {
    var counts = Array(repeating: 0, count: Channel.allCases.count)

    /// Creates an empty projection.
    public init() {}

    /// Folds one event.
    public mutating func apply(_ event: Event, seq: UInt64) {
        if case .postReceived(let b) = event.body { received(b) }
    }

    /// All inbound posts.
    public var total: Int { counts.reduce(0, +) }

    /// Inbound posts on `channel`.
    public func count(_ channel: Channel) -> Int { counts[Int(channel.code)] }

    /// Inbound posts per channel / all inbound posts, for the channels with at least one post.
    public func shares() -> [Channel: Double] {
        let total = self.total
        guard total > 0 else { return [:] }
        var result: [Channel: Double] = [:]
        for channel in Channel.allCases where counts[Int(channel.code)] > 0 {
            result[channel] = Double(counts[Int(channel.code)]) / Double(total)
        }
        return result
    }

    @inline(__always)
    mutating func received(_ b: PostReceived) { received(channel: b.channel, isRepost: b.isRepost) }

    @inline(__always)
    mutating func received(channel: Channel, isRepost: Bool) {
        if !isRepost { counts[Int(channel.code)] += 1 }
    }
}
