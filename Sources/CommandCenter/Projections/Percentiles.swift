/// Exact percentiles with numpy's default method (`method="linear"`, Hyndman & Fan type 7).
///
/// For `n` sorted values and a quantile `q` in 0…1: the position is `(n − 1)·q`; below it is
/// `lo = floor(position)`, the weight `g = position − lo`, and the result interpolates between
/// `v[lo]` and `v[lo + 1]` (or is `v[n − 1]` when the position reaches the last index). The
/// interpolation is written the way numpy's `_lerp` writes it (`a + (b − a)·g` when `g < 0.5`,
/// `b − (b − a)·(1 − g)` otherwise), so the result is bit-for-bit numpy's.
///
/// Only two order statistics are needed per quantile, so the statistics find them by selection
/// (``Percentiles/orderStatistics(_:_:)``) instead of sorting every value: O(n) instead of
/// O(n log n), and the same result, since the formula reads the same two values.
public enum Percentiles {
    /// The `q`-quantile of `sorted` (ascending); `nil` when it is empty.
    /// - Parameters:
    ///   - sorted: the values, in ascending order.
    ///   - q: the quantile, 0…1 (`0.9` for p90).
    /// - Returns: the interpolated value, or `nil` for no values.
    public static func linear(sorted: [Double], _ q: Double) -> Double? {
        linear(count: sorted.count, q) { sorted[$0] }
    }

    /// The `q`-quantile of `count` values whose `i`-th smallest is `value(i)`; `nil` for none.
    /// `value` is asked for the ranks ``ranks(count:_:)`` names, no others.
    @inline(__always)
    static func linear(count n: Int, _ q: Double, _ value: (Int) -> Double) -> Double? {
        guard n > 0 else { return nil }
        let position = Double(n - 1) * q
        if position >= Double(n - 1) { return value(n - 1) }
        if position <= 0 { return value(0) }
        let lo = position.rounded(.down)
        let i = Int(lo)
        let gamma = position - lo
        let a = value(i)
        let b = value(i + 1)
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }

    /// The ranks (0-based, in the sorted order) that ``linear(count:_:_:)`` reads for `q`.
    static func ranks(count n: Int, _ q: Double) -> [Int] {
        guard n > 0 else { return [] }
        let position = Double(n - 1) * q
        if position >= Double(n - 1) { return [n - 1] }
        if position <= 0 { return [0] }
        let i = Int(position.rounded(.down))
        return [i, i + 1]
    }

    /// The values of rank `ranks` (0-based, ascending order of the values) of `values`, found by
    /// selection; `values` is reordered in the process.
    /// - Parameters:
    ///   - values: the values, in any order.
    ///   - ranks: ranks below `values.count`, in any order, repeats allowed.
    /// - Returns: rank → value.
    /// - Complexity: O(n) expected for a handful of ranks (quickselect on a shrinking range,
    ///   median-of-three pivots); a range that does not shrink fast enough is sorted instead, so
    ///   the worst case is O(n log n).
    static func orderStatistics(_ values: inout [Int64], _ ranks: [Int]) -> [Int: Int64] {
        var result: [Int: Int64] = [:]
        var start = 0
        for rank in Set(ranks).sorted() {
            precondition(rank >= start && rank < values.count, "rank out of range")
            select(&values, rank, from: start)
            result[rank] = values[rank]
            // Everything after `rank` is ≥ it: the next (larger) rank lies there.
            start = rank + 1
        }
        return result
    }

    /// Reorders `values[start...]` so that `values[k]` holds the value of rank `k` (counting from
    /// the start of the array, all of `values[..<start]` being ≤ the rest), everything before it
    /// ≤ it and everything after it ≥ it.
    static func select(_ values: inout [Int64], _ k: Int, from start: Int) {
        var low = start
        var high = values.count - 1
        // About 2·log2(n) rounds for a range that halves; past that the pivots are bad: sort.
        var budget = 2 * (Int.bitWidth - values.count.leadingZeroBitCount) + 8
        while high > low {
            if high - low < 16 || budget == 0 {
                values[low...high].sort()
                return
            }
            budget -= 1
            // Median of three as the pivot, left at `low`.
            let middle = low + (high - low) / 2
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            values.swapAt(low, middle)
            let pivot = values[low]
            // Hoare partition of (low, high]: equal values go either side, so runs of ties
            // (many posts answered in the same second) still split evenly.
            var i = low
            var j = high + 1
            while true {
                repeat { i += 1 } while i <= high && values[i] < pivot
                repeat { j -= 1 } while values[j] > pivot
                if i >= j { break }
                values.swapAt(i, j)
            }
            values.swapAt(low, j)
            // values[low..<j] ≤ pivot = values[j] ≤ values[(j + 1)...high]
            if k == j { return }
            if k < j { high = j - 1 } else { low = j + 1 }
        }
    }
}
