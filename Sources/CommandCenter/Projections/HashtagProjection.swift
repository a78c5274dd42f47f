/// Hashtags of inbound posts over time, emerging hashtags, and how long the listening rules took
/// to cover them.
///
/// Counts: each inbound post (`postReceived`, `isRepost == false`) counts once for each distinct
/// hashtag it carries, at its `postedAt`.
///
/// Emerging (`Schemas/cli/stats.md`): with the posts of one hashtag sorted by `postedAt`, at each
/// post time `t` let `window` = its posts with `postedAt` in `(t − 10 min, t]` and `baseline` =
/// its posts in `(t − 130 min, t − 10 min]` (the two hours before the window). The hashtag
/// emerges at the first `t` where `window ≥ max(5, 4 × baseline / 12)`, that is
/// `window ≥ max(5, ⌈baseline / 3⌉)` (12 ten-minute windows in two hours; a new hashtag has
/// baseline 0 and needs 5 posts in 10 minutes). Only the first emergence is reported.
///
/// Coverage: a `listeningRuleAdded` whose rule is `#` + the hashtag, or `!#` + the hashtag (an
/// urgent rule), compared case-insensitively,
/// covers it until a `listeningRuleRemoved` of the same rule. If a rule was active at the
/// emergence time (added at or before it and not removed since) the time to rule is 0 and
/// `coveredBefore` is true; otherwise it is the first such addition after the emergence minus
/// the emergence time; `nil` if none followed.
public struct HashtagProjection: Projection, Equatable, Sendable {
    /// One hashtag that emerged.
    public struct Emerging: Encodable, Equatable, Sendable {
        /// The hashtag, lowercase, without `#`.
        public var tag: String
        /// The `postedAt` at which the rule first held.
        public var emergedAt: Timestamp
        /// Its posts in the 10 minutes ending at `emergedAt`.
        public var windowPosts: Int
        /// Its posts in the two hours before that window, divided by 12.
        public var baselinePer10Minutes: Double
        /// The `at` of the `listeningRuleAdded` that covered it; `nil` if none did.
        public var ruleAddedAt: Timestamp?
        /// `ruleAddedAt − emergedAt` in seconds, 0 if a rule was already active; `nil` if never.
        public var secondsToRule: Double?
        /// Whether a rule already covered it when it emerged.
        public var coveredBefore: Bool

        enum CodingKeys: String, CodingKey {
            case tag, emergedAt, windowPosts, baselinePer10Minutes, ruleAddedAt, secondsToRule, coveredBefore
        }

        /// Every key written, `null` for a missing rule.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(tag, forKey: .tag)
            try c.encode(emergedAt.rfc3339, forKey: .emergedAt)
            try c.encode(windowPosts, forKey: .windowPosts)
            try c.encode(baselinePer10Minutes, forKey: .baselinePer10Minutes)
            try c.encode(ruleAddedAt?.rfc3339, forKey: .ruleAddedAt)
            try c.encode(secondsToRule, forKey: .secondsToRule)
            try c.encode(coveredBefore, forKey: .coveredBefore)
        }
    }

    /// The window and baseline spans of the emerging rule, in milliseconds.
    public static let windowMilliseconds: Int64 = 600_000
    public static let baselineMilliseconds: Int64 = 7_200_000
    /// The minimum window count of the emerging rule.
    public static let minimumWindowPosts = 5

    /// Hashtag id (in ``Symbols/hashtags``) → row, `-1` for a tag of no inbound post.
    var rowOfTag: [Int32] = []
    /// Row → hashtag id, in order of first use.
    var tags: [UInt32] = []
    /// `postedAt` (ms) of each post carrying the hashtag, in arrival order.
    var times: [[Int64]] = []
    /// Rule changes per lowercase hashtag: (`at` ms, added?), in log order.
    var ruleChanges: [String: [RuleChange]] = [:]
    /// The log's ids, for the accessors by string and for ``apply(_:seq:)``; inside
    /// ``Statistics`` the statistics' own, lent to each call.
    var symbols = Symbols()

    struct RuleChange: Equatable, Sendable {
        var at: Int64
        var added: Bool
    }

    /// Creates an empty projection.
    public init() {}

    /// Folds one event.
    public mutating func apply(_ event: Event, seq: UInt64) {
        var view = EventView(event)
        try! symbols.intern(&view)
        switch view.kind {
        case .postReceived: received(view, symbols: symbols)
        case .listeningRuleAdded, .listeningRuleRemoved: rule(view)
        default: break
        }
    }

    /// Posts carrying `tag`.
    public func count(of tag: String) -> Int {
        row(of: tag).map { times[$0].count } ?? 0
    }

    /// Every hashtag with its count, most used first (ties by tag).
    public func ranking() -> [(tag: String, posts: Int)] {
        tags.indices.map { (symbols.hashtags[tags[$0]], times[$0].count) }
            .sorted { $0.posts != $1.posts ? $0.posts > $1.posts : $0.tag < $1.tag }
    }

    /// Posts carrying `tag` per UTC hour of `postedAt`, in time order (hours with none left out).
    public func hourlyCounts(of tag: String) -> [(hour: Timestamp, posts: Int)] {
        guard let i = row(of: tag) else { return [] }
        // Posts arrive mostly in time order: a run of the same hour is counted before it is
        // hashed (`stats` lists the top ten hashtags, each with hundreds of thousands of posts).
        var byHour: [Int64: Int] = [:]
        var run = (hour: Int64.min, posts: 0)
        for t in times[i] {
            let hour = TimeKeys.bucketStart(t, unit: TimeKeys.hourMs)
            if hour != run.hour {
                if run.posts > 0 { byHour[run.hour, default: 0] += run.posts }
                run = (hour, 0)
            }
            run.posts += 1
        }
        if run.posts > 0 { byHour[run.hour, default: 0] += run.posts }
        return byHour.keys.sorted().map { (Timestamp(milliseconds: $0), byHour[$0]!) }
    }

    /// The hashtags that emerged, by emergence time (ties by tag).
    public func emerging() -> [Emerging] {
        var result: [Emerging] = []
        for (i, id) in tags.enumerated() {
            let tag = symbols.hashtags[id]
            // Times in arrival order are often in time order already: checked in one pass.
            let sorted = times[i].isSortedAscending ? times[i] : times[i].sorted()
            guard let (at, window, baseline) = Self.emergence(sorted) else { continue }
            var item = Emerging(
                tag: tag, emergedAt: Timestamp(milliseconds: at), windowPosts: window,
                baselinePer10Minutes: Double(baseline) / 12, ruleAddedAt: nil, secondsToRule: nil,
                coveredBefore: false
            )
            let changes = ruleChanges[tag] ?? []
            // The state of the rule at the emergence: the last change at or before it.
            if let last = changes.last(where: { $0.at <= at }), last.added {
                // The addition that opened the active period.
                var k = changes.lastIndex(where: { $0.at <= at })!
                while k > 0 && changes[k - 1].added { k -= 1 }
                item.ruleAddedAt = Timestamp(milliseconds: changes[k].at)
                item.secondsToRule = 0
                item.coveredBefore = true
            } else if let next = changes.first(where: { $0.at > at && $0.added }) {
                item.ruleAddedAt = Timestamp(milliseconds: next.at)
                item.secondsToRule = Double(next.at - at) / 1000
            }
            result.append(item)
        }
        return result.sorted {
            $0.emergedAt != $1.emergedAt ? $0.emergedAt < $1.emergedAt : $0.tag < $1.tag
        }
    }

    /// The first post time at which the emerging rule holds, with the window and baseline counts.
    static func emergence(_ sorted: [Int64]) -> (at: Int64, window: Int, baseline: Int)? {
        var windowStart = 0  // first index with t > now − window
        var baselineStart = 0  // first index with t > now − window − baseline
        var j = 0
        while j < sorted.count {
            let now = sorted[j]
            // All posts at the same instant count together.
            while j + 1 < sorted.count && sorted[j + 1] == now { j += 1 }
            while sorted[windowStart] <= now - windowMilliseconds { windowStart += 1 }
            while sorted[baselineStart] <= now - windowMilliseconds - baselineMilliseconds { baselineStart += 1 }
            let window = j - windowStart + 1
            let baseline = windowStart - baselineStart
            if window >= max(minimumWindowPosts, (baseline + 2) / 3) {
                return (now, window, baseline)
            }
            j += 1
        }
        return nil
    }

    private func row(of tag: String) -> Int? {
        guard let id = symbols.hashtags.id(of: tag), Int(id) < rowOfTag.count, rowOfTag[Int(id)] >= 0 else { return nil }
        return Int(rowOfTag[Int(id)])
    }

    // MARK: Per kind (also called by ``Statistics``)

    /// Counts a `postReceived` read in place, its hashtags interned in `symbols`.
    @inline(__always)
    mutating func received(_ post: borrowing EventView, symbols: borrowing Symbols) {
        guard !post.isRepost, let postedAt = post.postedAt?.milliseconds else { return }
        let tags = symbols.eventHashtags
        for (n, tag) in tags.enumerated() {
            if n > 0 && tags[0..<n].contains(tag) { continue }
            if Int(tag) < rowOfTag.count, rowOfTag[Int(tag)] >= 0 {
                times[Int(rowOfTag[Int(tag)])].append(postedAt)
            } else {
                if rowOfTag.count <= Int(tag) {
                    rowOfTag.append(contentsOf: repeatElement(-1, count: Int(tag) + 1 - rowOfTag.count))
                }
                rowOfTag[Int(tag)] = Int32(self.tags.count)
                self.tags.append(tag)
                times.append([postedAt])
            }
        }
    }

    /// Counts `post` (the path of callers holding a decoded post).
    mutating func received(_ post: PostReceived) {
        var view = EventView(Event(at: post.postedAt, actor: "", body: .postReceived(post)))
        try! symbols.intern(&view)
        received(view, symbols: symbols)
    }

    /// A `listeningRuleAdded` or `listeningRuleRemoved` read in place.
    mutating func rule(_ event: EventView) {
        guard let rule = event.rule else { return }
        self.rule(rule, added: event.kind == .listeningRuleAdded, at: event.at)
    }

    mutating func rule(_ rule: String, added: Bool, at: Timestamp) {
        // `!` marks an urgent rule (`!#wifidown`): it covers the hashtag like `#wifidown`.
        let rule = rule.hasPrefix("!") ? rule.dropFirst() : rule[...]
        guard rule.utf8.first == UInt8(ascii: "#") else { return }
        let tag = String(rule.dropFirst()).lowercased()
        ruleChanges[tag, default: []].append(RuleChange(at: at.milliseconds, added: added))
    }
}

extension Array where Element == Int64 {
    /// Whether every element is at most the next.
    var isSortedAscending: Bool {
        for i in indices.dropFirst() where self[i - 1] > self[i] { return false }
        return true
    }
}
