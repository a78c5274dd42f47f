/// Exact percentiles with numpy's default method (`method="linear"`, Hyndman & Fan type 7).
///
/// For `n` sorted values and a quantile `q` in 0…1: the position is `(n − 1)·q`; below it is
/// `lo = floor(position)`, the weight `g = position − lo`, and the result interpolates between
/// `v[lo]` and `v[lo + 1]` (or is `v[n − 1]` when the position reaches the last index). The
/// interpolation is written the way numpy's `_lerp` writes it (`a + (b − a)·g` when `g < 0.5`,
/// `b − (b − a)·(1 − g)` otherwise), so the result is bit-for-bit numpy's.
public enum Percentiles {
    /// The `q`-quantile of `sorted` (ascending); `nil` when it is empty.
    /// - Parameters:
    ///   - sorted: the values, in ascending order.
    ///   - q: the quantile, 0…1 (`0.9` for p90).
    /// - Returns: the interpolated value, or `nil` for no values.
    public static func linear(sorted: [Double], _ q: Double) -> Double? {
        let n = sorted.count
        guard n > 0 else { return nil }
        let position = Double(n - 1) * q
        if position >= Double(n - 1) { return sorted[n - 1] }
        if position <= 0 { return sorted[0] }
        let lo = position.rounded(.down)
        let i = Int(lo)
        let gamma = position - lo
        let a = sorted[i]
        let b = sorted[i + 1]
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }
}
