/// The figures of one duration metric (first response, time to assign, time to resolve,
/// escalation) over one set of intervals: the `smcc stats --json` object
/// `{"posts", "answered", "unanswered", "anomalies", "p50Seconds", …}`.
///
/// `posts` counts every interval that started (for escalation: every escalation), `answered` the
/// ones that ended, `unanswered` the others. Percentiles and the mean are over the ended ones only
/// (`null` when none ended); see `Schemas/cli/stats.md`.
public struct DurationSummary: Encodable, Equatable, Sendable {
    /// Intervals that started: inbound posts, or escalations for the escalation metric.
    public var posts: Int
    /// Intervals that ended (the post was answered, assigned, resolved; the escalation resolved).
    public var answered: Int
    /// `posts − answered`.
    public var unanswered: Int
    /// Negative durations (clock skew) clamped to 0.
    public var anomalies: Int
    /// Median, in seconds; `nil` when nothing ended.
    public var p50Seconds: Double?
    /// 90th percentile, in seconds.
    public var p90Seconds: Double?
    /// 99th percentile, in seconds.
    public var p99Seconds: Double?
    /// Mean, in seconds.
    public var meanSeconds: Double?
    /// Share of all `posts` that ended within the target (≤ `targetSeconds`); `nil` if no posts.
    public var withinTarget: Double?
    /// Share of the `answered` ones within the target; `nil` if none answered.
    public var withinTargetOfAnswered: Double?
    /// The target, in seconds.
    public var targetSeconds: Int

    enum CodingKeys: String, CodingKey {
        case posts, answered, unanswered, anomalies, p50Seconds, p90Seconds, p99Seconds, meanSeconds
        case withinTarget, withinTargetOfAnswered, targetSeconds
        // The nested metrics of a `by` group (``GroupSummary``).
        case timeToAssign, timeToResolve, escalation
    }

    /// Writes every key, `null` for the missing figures (never omits a key).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try encodeFields(into: &c)
    }

    func encodeFields(into c: inout KeyedEncodingContainer<CodingKeys>) throws {
        try c.encode(posts, forKey: .posts)
        try c.encode(answered, forKey: .answered)
        try c.encode(unanswered, forKey: .unanswered)
        try c.encode(anomalies, forKey: .anomalies)
        try c.encode(p50Seconds, forKey: .p50Seconds)
        try c.encode(p90Seconds, forKey: .p90Seconds)
        try c.encode(p99Seconds, forKey: .p99Seconds)
        try c.encode(meanSeconds, forKey: .meanSeconds)
        try c.encode(withinTarget, forKey: .withinTarget)
        try c.encode(withinTargetOfAnswered, forKey: .withinTargetOfAnswered)
        try c.encode(targetSeconds, forKey: .targetSeconds)
    }
}

/// The intervals of one metric in one group, before summarizing: an accumulator the report
/// builds by walking the projection's posts.
struct DurationSamples: Equatable, Sendable {
    var posts = 0
    var anomalies = 0
    var valuesMs: [Int64] = []

    /// Counts one interval from `start`, ended at `end` (`Int64.min`: not ended). A negative
    /// duration is clamped to 0 and counted as an anomaly.
    @inline(__always)
    mutating func add(from start: Int64, to end: Int64) {
        posts += 1
        guard end != .min else { return }
        var duration = end &- start
        if duration < 0 {
            duration = 0
            anomalies += 1
        }
        valuesMs.append(duration)
    }

    mutating func reserveCapacity(_ count: Int) { valuesMs.reserveCapacity(count) }

    /// These intervals and `other`'s together.
    func merged(with other: DurationSamples) -> DurationSamples {
        DurationSamples(posts: posts + other.posts, anomalies: anomalies + other.anomalies, valuesMs: valuesMs + other.valuesMs)
    }

    /// The figures of these intervals. The percentiles read two order statistics each, found
    /// by selection (``Percentiles/orderStatistics(_:_:)``): no sort of all the values.
    func summary(targetSeconds: Int) -> DurationSummary {
        var values = valuesMs
        let n = values.count
        let targetMs = Int64(targetSeconds) * 1000
        var within = 0
        var sum: Int64 = 0
        for value in values {
            if value <= targetMs { within += 1 }
            sum &+= value
        }
        let quantiles = [0.5, 0.9, 0.99]
        let ranked = Percentiles.orderStatistics(&values, quantiles.flatMap { Percentiles.ranks(count: n, $0) })
        let percentiles = quantiles.map { q in Percentiles.linear(count: n, q) { Double(ranked[$0]!) / 1000 } }
        return DurationSummary(
            posts: posts,
            answered: n,
            unanswered: posts - n,
            anomalies: anomalies,
            p50Seconds: percentiles[0],
            p90Seconds: percentiles[1],
            p99Seconds: percentiles[2],
            meanSeconds: n == 0 ? nil : Double(sum) / Double(n) / 1000,
            withinTarget: posts == 0 ? nil : Double(within) / Double(posts),
            withinTargetOfAnswered: n == 0 ? nil : Double(within) / Double(n),
            targetSeconds: targetSeconds
        )
    }
}
