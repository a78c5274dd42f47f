// When posts arrive: a rate per minute over the whole conference, from the hour of the day
// (quiet nights, a morning ramp, conference hours 08:00–19:00, a calmer evening), bursts at the
// keynotes, and the emerging topics; then exactly `posts` arrival times drawn from it.

/// A hashtag that shows up mid-event (an outage, a venue problem): its own rate on top of the
/// base curve, rising sharply, holding, then decaying.
struct EmergingTopic {
    enum Kind { case outage, venue, catering }
    let tag: String
    let rule: String
    let kind: Kind
    /// When the first posts appear (absolute ms).
    let onset: Int64
    /// How long it holds at its peak after the rise, in minutes.
    let plateauMinutes: Double
    /// Its peak rate, relative to the base daytime rate (1.0).
    let peak: Double
    /// How long after the onset a coordinator adds the listening rule, in ms.
    let ruleDelay: Int64

    /// The rate at `ms`.
    func weight(at ms: Int64) -> Double {
        let minutes = Double(ms - onset) / 60_000
        if minutes < 0 { return 0 }
        let rise = 8.0
        if minutes < rise { return peak * minutes / rise }
        if minutes < rise + plateauMinutes { return peak }
        let after = minutes - rise - plateauMinutes
        let w = peak * exp2(-after / 18)
        return w < 0.01 ? 0 : w
    }

    var ruleAt: Int64 { onset + ruleDelay }
}

/// 2^x without Foundation, for the decays (x ≤ 0 in practice).
func exp2(_ x: Double) -> Double {
    if x < -60 { return 0 }
    let whole = x.rounded(.down)
    let frac = x - whole
    // 2^frac on [0, 1) by a short series of e^(frac·ln2).
    let y = frac * 0.693_147_180_559_945_3
    var term = 1.0, sum = 1.0
    for n in 1...12 {
        term *= y / Double(n)
        sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(whole), significand: 1)
}

struct ConferenceTimeline {
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    let start: Int64
    /// Midnight (UTC, the conference's local time) of the first day.
    let midnight: Int64
    let days: Int
    let topics: [EmergingTopic]
    /// The rate of each minute from `start` (noise included) and the posts each receives.
    private(set) var weights: [Double] = []
    private(set) var counts: [Int32] = []

    init(options: ConferenceSimulation.Options, random: inout SimulationRandom) {
        start = options.start.milliseconds
        let (d, _) = start.floorDividedBy(Self.day)
        let firstMidnight = d * Self.day
        midnight = firstMidnight
        let dayCount = max(1, options.days)
        days = dayCount
        let lastDay = dayCount - 1
        func at(_ day: Int, _ h: Int, _ m: Int) -> Int64 {
            firstMidnight + Int64(day) * Self.day + Int64(h) * Self.hour + Int64(m) * Self.minute
        }
        func delay(_ random: inout SimulationRandom) -> Int64 { Int64(random.int(5 * 60...20 * 60)) * 1000 }
        var topics: [EmergingTopic] = []
        topics.append(EmergingTopic(tag: "wifidown", rule: "!#wifidown", kind: .outage, onset: at(min(1, lastDay), 10, 40),
                                    plateauMinutes: 70, peak: 2.2, ruleDelay: delay(&random)))
        topics.append(EmergingTopic(tag: "hallbflood", rule: "!#hallbflood", kind: .venue,
                                    onset: lastDay >= 2 ? at(2, 14, 5) : at(lastDay, 15, 50),
                                    plateauMinutes: 45, peak: 1.6, ruleDelay: delay(&random)))
        topics.append(EmergingTopic(tag: "coffeegate", rule: "#coffeegate", kind: .catering,
                                    onset: lastDay >= 1 ? at(0, 15, 15) : at(0, 12, 10),
                                    plateauMinutes: 25, peak: 0.8, ruleDelay: delay(&random)))
        self.topics = topics
        let end = firstMidnight + Int64(dayCount) * Self.day
        let minuteCount = Int((end - start + Self.minute - 1) / Self.minute)
        weights.reserveCapacity(minuteCount)
        for m in 0..<minuteCount {
            let ms = start + Int64(m) * Self.minute + 30_000
            let noise = 0.7 + 0.6 * random.unit()
            weights.append((baseWeight(at: ms) + topics.reduce(0) { $0 + $1.weight(at: ms) }) * noise)
        }
        // Exactly `posts` arrivals, spread by cumulative rounding.
        let total = weights.reduce(0, +)
        let posts = max(0, options.posts)
        counts = []
        counts.reserveCapacity(minuteCount)
        var cumulative = 0.0, emitted = 0
        for w in weights {
            cumulative += w
            let target = min(posts, Int((Double(posts) * cumulative / total).rounded()))
            counts.append(Int32(target - emitted))
            emitted = target
        }
        if emitted < posts, !counts.isEmpty { counts[counts.count - 1] += Int32(posts - emitted) }
    }

    /// The day (from 0) and hour of the day (fractional) of `ms`.
    func dayAndHour(_ ms: Int64) -> (day: Int, hour: Double) {
        let offset = ms - midnight
        let (d, r) = offset.floorDividedBy(Self.day)
        return (Int(d), Double(r) / Double(Self.hour))
    }

    /// The base rate at `ms`: the hour of the day and the keynotes (1.0 = an ordinary conference hour).
    func baseWeight(at ms: Int64) -> Double {
        let (day, h) = dayAndHour(ms)
        var w: Double
        switch h {
        case ..<6.5: w = 0.035
        case ..<8: w = 0.035 + (0.6 - 0.035) * (h - 6.5) / 1.5
        case ..<19: w = 1.0
        case ..<23: w = 0.55 - (0.55 - 0.12) * (h - 19) / 4
        default: w = 0.06
        }
        // The morning keynote, biggest on the first day.
        w += (day == 0 ? 3.2 : 2.4) * bump(h, from: 9.0, to: 10.25, rise: 0.15, decay: 0.4)
        // Lunch chatter.
        w += 0.35 * bump(h, from: 12.5, to: 13.5, rise: 0.2, decay: 0.3)
        // The afternoon keynote of the second day and the closing keynote.
        if day == 1 && days > 2 { w += 1.2 * bump(h, from: 15.0, to: 15.75, rise: 0.1, decay: 0.3) }
        if day == days - 1 { w += 1.6 * bump(h, from: 16.5, to: 17.5, rise: 0.1, decay: 0.4) }
        // The party on the first evening.
        if day == 0 { w += 0.35 * bump(h, from: 20, to: 22, rise: 0.5, decay: 0.5) }
        return w
    }

    /// Whether `ms` is during a keynote (for the #keynote tag and live coverage).
    func isKeynote(_ ms: Int64) -> Bool {
        let (day, h) = dayAndHour(ms)
        return (h >= 9 && h < 10.25) || (day == days - 1 && h >= 16.5 && h < 17.5) || (day == 1 && days > 2 && h >= 15 && h < 15.75)
    }

    private func bump(_ h: Double, from: Double, to: Double, rise: Double, decay: Double) -> Double {
        if h < from { return 0 }
        if h < from + rise { return (h - from) / rise }
        if h <= to { return 1 }
        return exp2(-(h - to) / decay * 1.442_695)
    }

    /// Which emerging topic (index in `topics`) a post arriving at `ms` is about, if any: drawn
    /// with the topics' share of the rate at that time.
    func topic(at ms: Int64, random: inout SimulationRandom) -> Int? {
        let base = baseWeight(at: ms)
        let shares = topics.map { $0.weight(at: ms) }
        let extra = shares.reduce(0, +)
        guard extra > 0 else { return nil }
        var roll = random.unit() * (base + extra)
        for (i, s) in shares.enumerated() {
            if roll < s { return i }
            roll -= s
        }
        return nil
    }
}

/// The arrival times, in order, minute by minute (sorted random offsets within each minute).
struct ArrivalStream {
    private let timeline: ConferenceTimeline
    private var minute = 0
    private var pending: [Int64] = []
    private var position = 0

    init(timeline: ConferenceTimeline) { self.timeline = timeline }

    /// The next arrival time, without consuming it.
    mutating func peek(_ random: inout SimulationRandom) -> Int64? {
        while position == pending.count {
            guard minute < timeline.counts.count else { return nil }
            let base = timeline.start + Int64(minute) * ConferenceTimeline.minute
            pending = (0..<Int(timeline.counts[minute])).map { _ in base + Int64(random.next() % 60_000) }.sorted()
            position = 0
            minute += 1
        }
        return pending[position]
    }

    mutating func consume() { position += 1 }
}
