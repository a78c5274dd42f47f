/// Numbers and times as text, the same on every machine: no locale, no `printf`, no exponent,
/// fixed decimals chosen by the caller. The report is byte-identical run after run because every
/// number in it goes through here.
enum Format {
    /// `x` rounded half away from zero to `decimals` places, all of them written (`0.500`).
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e17 else { return x < 0 ? "-" + String(Int64(abs(x))) : String(Int64(x)) }
        let n = Int64(scaled)
        let unit = Int64(scale)
        var out = (x < 0 && n != 0 ? "-" : "") + String(n / unit)
        if decimals > 0 {
            let fraction = String(n % unit)
            out += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return out
    }

    /// A coordinate: two decimals at most, trailing zeros dropped (`12.5`, `40`).
    static func coordinate(_ x: Double) -> String {
        var text = fixed(x, 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `1 repost`, `2,345 reposts`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        grouped(n) + " " + (n == 1 ? singular : plural ?? singular + "s")
    }

    /// A share as a percentage with `decimals` places: `0.891` as `89.1%`.
    static func percent(_ share: Double, _ decimals: Int = 1) -> String {
        fixed(share * 100, decimals) + "%"
    }

    /// A duration for people: `45 s`, `4.2 min`, `3.1 h`.
    static func duration(seconds: Double) -> String {
        if seconds < 90 { return fixed(seconds, 0) + " s" }
        if seconds < 5_400 { return fixed(seconds / 60, seconds.truncatingRemainder(dividingBy: 60) == 0 ? 0 : 1) + " min" }
        return fixed(seconds / 3_600, 1) + " h"
    }

    /// `text` on one line, cut to `limit` characters with an ellipsis.
    static func excerpt(_ text: String, _ limit: Int) -> String {
        let line = text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
        return line.count > limit ? String(line.prefix(limit - 1)) + "\u{2026}" : line
    }

    /// Whole milliseconds as seconds with three decimals (`1.250`): exact, as the log stores ms.
    static func seconds(milliseconds ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let m = ms.magnitude
        let fraction = String(m % 1000)
        return sign + String(m / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
