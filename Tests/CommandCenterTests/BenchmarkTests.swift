import CommandCenter
import Foundation
import Testing

/// Throughput of the codecs, printed, never asserted (the machine is shared). Run in release:
/// `SMCC_BENCH=1 swift test -c release --filter BenchmarkTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SMCC_BENCH"] == "1", "set SMCC_BENCH=1 to measure"))
struct BenchmarkTests {
    /// Events shaped like a conference desk: mostly received posts, short texts, few ids.
    static func sample(count: Int) -> [Event] {
        var rng = SplitMix64(seed: 1)
        let volunteers = (0..<12).map { "vol:v\($0)" }
        var at: Int64 = 1_435_032_589_000
        return (0..<count).map { i in
            at += Int64(rng.next() % 500)
            let post = "twitter:\(614_319_489_434_718_208 + UInt64(i / 4))"
            let actor = volunteers[Int(rng.next() % 12)]
            let body: EventBody
            switch i % 4 {
            case 0:
                body = .postReceived(PostReceived(
                    post: post, channel: .twitter, author: "user\(rng.next() % 5000)",
                    text: "@PivotSupport my order #\(rng.next() % 100000) has not arrived yet, can you help? #askpivot",
                    hashtags: ["askpivot"], mentions: ["PivotSupport"], postedAt: Timestamp(milliseconds: at - 2000)))
            case 1: body = .postAssigned(PostAssigned(post: post, to: actor))
            case 2: body = .replied(Replied(post: post, text: "Sorry to hear that! Please DM us your order number."))
            default: body = .postResolved(PostResolved(post: post, outcome: .answered))
            }
            return Event(at: Timestamp(milliseconds: at), actor: i % 4 == 0 ? "import:twcs" : actor, body: body)
        }
    }

    func measure(_ label: String, count: Int, _ body: () throws -> Void) rethrows {
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for _ in 0..<3 {
            let elapsed = try clock.measure(body)
            best = min(best, elapsed)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        print("bench \(label): \(Int(Double(count) / seconds / 1000))k events/s")
    }

    @Test func throughput() throws {
        let count = 400_000
        let events = Self.sample(count: count)
        var payloads: [[UInt8]] = []
        var total = 0
        measure("encode", count: count) {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(count * 64)
            for event in events { EventCodec.encode(event, into: &buffer) }
            total = buffer.count
        }
        payloads = events.map(EventCodec.encode)
        print("bench payload bytes/event: \(Double(total) / Double(count))")
        try measure("decode", count: count) {
            var kinds = 0
            for (event, payload) in zip(events, payloads) {
                kinds &+= Int(try EventCodec.decode(payload[...], at: event.at).kind.rawValue)
            }
            #expect(kinds > 0)
        }
        try measure("peek", count: count) {
            var n = 0
            for payload in payloads {
                let summary = try EventCodec.peek(payload[...])
                n &+= summary.subject.count &+ summary.actor.count
            }
            #expect(n > 0)
        }
        try measure("peek+intern", count: count) {
            var interner = StringInterner()
            var n = 0
            for payload in payloads {
                let summary = try EventCodec.peek(payload[...])
                let post = try interner.intern(payload[summary.subject])
                let actor = try interner.intern(payload[summary.actor])
                n &+= post.utf8.count &+ actor.utf8.count
            }
            #expect(n > 0)
        }
        var export: [UInt8] = []
        measure("json write", count: count) {
            export.removeAll(keepingCapacity: true)
            for (i, event) in events.enumerated() { InterchangeJSON.write(event, seq: UInt64(i + 1), into: &export) }
        }
        let lines = export.split(separator: UInt8(ascii: "\n"))
        try measure("ndjson read", count: count) {
            for (i, line) in lines.enumerated() {
                _ = try NDJSONEventReader.parse(line, file: "bench", line: i + 1)
            }
        }
    }
}
