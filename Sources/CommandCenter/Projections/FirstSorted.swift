extension Sequence {
    /// The first `count` elements of `sorted(by: areInIncreasingOrder)`, in order, kept in one
    /// pass: a top list or a screenful of a long queue without sorting everything. Most elements
    /// cost one comparison with the last kept; O(n log k + k²) in the worst case, so callers sort
    /// instead when `count` is not small.
    ///
    /// - Precondition: `areInIncreasingOrder` is a strict total order (no two elements equal), so
    ///   the result is exactly the sorted prefix.
    func firstSorted(_ count: Int, by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
        guard count > 0 else { return [] }
        var best: [Element] = []
        best.reserveCapacity(count + 1)
        for element in self where best.count < count || areInIncreasingOrder(element, best[count - 1]) {
            var low = 0, high = best.count
            while low < high {
                let middle = (low + high) / 2
                if areInIncreasingOrder(best[middle], element) { low = middle + 1 } else { high = middle }
            }
            best.insert(element, at: low)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}
