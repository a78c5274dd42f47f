/// Inbound posts over time, per minute and per hour of `postedAt` (UTC), by channel; sparse
/// (only minutes with posts are stored).
///
/// Inbound posts are `postReceived` with `isRepost == false`. Minutes are aligned on the Unix
/// epoch, hours too, so an hour's count is the sum of its sixty minutes.
public struct VolumeProjection: Projection, Equatable, Sendable {
    /// Posts in one bucket.
    public struct Bucket: Encodable, Equatable, Sendable {
        /// Start of the bucket.
        public var start: Timestamp
        /// Posts in it, all channels.
        public var total: Int
        /// Posts in it by channel (channels with none left out).
        public var byChannel: [Channel: Int]

        enum CodingKeys: String, CodingKey { case start, total, byChannel }

        /// `{"start": RFC 3339, "total": N, "byChannel": {"twitter": N}}`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(start.rfc3339, forKey: .start)
            try c.encode(total, forKey: .total)
            var channels: [String: Int] = [:]
            for (channel, n) in byChannel { channels[channel.rawValue] = n }
            try c.encode(channels, forKey: .byChannel)
        }
    }

    static let channels = Channel.allCases.count
    var slotOfMinute: [Int64: Int] = [:]
    var minutes: [Int64] = []
    /// `slot * 8 + channel code`.
    var counts: [Int32] = []
    // Posts arrive mostly in time order: remember the last minute to skip the hash.
    var lastMinute: Int64 = .min
    var lastSlot = 0

    /// Creates an empty projection.
    public init() {}

    /// Folds one event.
    public mutating func apply(_ event: Event, seq: UInt64) {
        if case .postReceived(let b) = event.body { received(b) }
    }

    /// Inbound posts per minute, in time order.
    public func perMinute() -> [Bucket] { buckets(unit: TimeKeys.minuteMs) }

    /// Inbound posts per hour, in time order.
    public func perHour() -> [Bucket] { buckets(unit: TimeKeys.hourMs) }

    @inline(__always)
    mutating func received(_ b: PostReceived) { received(postedAt: b.postedAt, channel: b.channel, isRepost: b.isRepost) }

    @inline(__always)
    mutating func received(postedAt: Timestamp, channel: Channel, isRepost: Bool) {
        guard !isRepost else { return }
        let minute = postedAt.milliseconds.floorDividedBy(TimeKeys.minuteMs).quotient
        if minute != lastMinute {
            if let slot = slotOfMinute[minute] {
                lastSlot = slot
            } else {
                lastSlot = minutes.count
                slotOfMinute[minute] = lastSlot
                minutes.append(minute)
                counts.append(contentsOf: repeatElement(0, count: Self.channels))
            }
            lastMinute = minute
        }
        counts[lastSlot * Self.channels + Int(channel.code)] += 1
    }

    private func buckets(unit: Int64) -> [Bucket] {
        var byStart: [Int64: [Int]] = [:]
        for (slot, minute) in minutes.enumerated() {
            let start = TimeKeys.bucketStart(minute * TimeKeys.minuteMs, unit: unit)
            var row = byStart[start] ?? Array(repeating: 0, count: Self.channels)
            for c in 0..<Self.channels { row[c] += Int(counts[slot * Self.channels + c]) }
            byStart[start] = row
        }
        return byStart.keys.sorted().map { start in
            let row = byStart[start]!
            var byChannel: [Channel: Int] = [:]
            for channel in Channel.allCases where row[Int(channel.code)] > 0 {
                byChannel[channel] = row[Int(channel.code)]
            }
            return Bucket(start: Timestamp(milliseconds: start), total: row.reduce(0, +), byChannel: byChannel)
        }
    }
}
