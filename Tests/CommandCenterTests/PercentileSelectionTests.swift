@testable import CommandCenter
import Testing

/// Percentiles by selection (``Percentiles/orderStatistics(_:_:)``) against a sort, on random
/// data with ties, tiny sizes and orders that defeat naive pivots.
struct PercentileSelectionTests {
    /// Values of several shapes: few distinct values (ties), wide ranges, negatives, sorted,
    /// reversed, organ-pipe, all equal.
    static func samples(_ rng: inout SplitMix64) -> [[Int64]] {
        var result: [[Int64]] = []
        for size in [0, 1, 2, 3, 4, 5, 7, 16, 17, 33, 100, 1_000, 10_007] {
            result.append((0..<size).map { _ in Int64(rng.next() % 4) })
            result.append((0..<size).map { _ in Int64(bitPattern: rng.next()) >> 20 })
            result.append((0..<size).map { _ in Int64(rng.next() % 1_000_000) - 200_000 })
            result.append((0..<size).map { Int64($0) })
            result.append((0..<size).map { Int64(size - $0) })
            result.append((0..<size).map { Int64(min($0, size - $0)) })
            result.append(Array(repeating: 42, count: size))
        }
        return result
    }

    @Test func orderStatisticsEqualTheSortedValues() {
        var rng = SplitMix64(seed: 15)
        for values in Self.samples(&rng) where !values.isEmpty {
            let sorted = values.sorted()
            var ranks = (0..<5).map { _ in Int(rng.next() % UInt64(values.count)) }
            ranks += [0, values.count - 1, values.count / 2, ranks[0]]
            var scratch = values
            let found = Percentiles.orderStatistics(&scratch, ranks)
            for rank in ranks { #expect(found[rank] == sorted[rank], "rank \(rank) of \(values.count)") }
            #expect(scratch.sorted() == sorted, "selection must only reorder")
        }
    }

    @Test func percentilesBySelectionAreBitForBitThoseOfTheSort() {
        var rng = SplitMix64(seed: 16)
        let quantiles: [Double] = [0.5, 0.9, 0.99, 0, 1, 0.25, 0.333, 0.999_999]
        for values in Self.samples(&rng) {
            let sorted = values.sorted().map { Double($0) / 1000 }
            for q in quantiles {
                var scratch = values
                let found = Percentiles.orderStatistics(&scratch, Percentiles.ranks(count: values.count, q))
                let bySelection = Percentiles.linear(count: values.count, q) { Double(found[$0]!) / 1000 }
                #expect(bySelection == Percentiles.linear(sorted: sorted, q), "q=\(q) n=\(values.count)")
            }
        }
    }

    /// The summary against the definitions of `Schemas/cli/stats.md`, written out with a sort.
    @Test func durationSummaryEqualsTheSortedDefinition() {
        var rng = SplitMix64(seed: 17)
        for size in [0, 1, 2, 3, 10, 99, 5_000] {
            var samples = DurationSamples()
            var durations: [Int64] = []
            var anomalies = 0
            for _ in 0..<size {
                let start = Int64(rng.next() % 100_000)
                // A third unanswered, some ended before they started (clock skew), ties.
                let end: Int64 = rng.next() % 3 == 0 ? .min : start + Int64(rng.next() % 2_000_000) - 50_000
                samples.add(from: start, to: end)
                if end != .min {
                    durations.append(max(0, end - start))
                    if end < start { anomalies += 1 }
                }
            }
            let summary = samples.summary(targetSeconds: 900)
            let sorted = durations.sorted()
            let seconds = sorted.map { Double($0) / 1000 }
            let within = sorted.filter { $0 <= 900_000 }.count
            #expect(summary.posts == size && summary.answered == sorted.count && summary.unanswered == size - sorted.count)
            #expect(summary.anomalies == anomalies)
            #expect(summary.p50Seconds == Percentiles.linear(sorted: seconds, 0.5))
            #expect(summary.p90Seconds == Percentiles.linear(sorted: seconds, 0.9))
            #expect(summary.p99Seconds == Percentiles.linear(sorted: seconds, 0.99))
            #expect(summary.meanSeconds == (sorted.isEmpty ? nil : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1000))
            #expect(summary.withinTarget == (size == 0 ? nil : Double(within) / Double(size)))
            #expect(summary.withinTargetOfAnswered == (sorted.isEmpty ? nil : Double(within) / Double(sorted.count)))
        }
    }
}
