public import CommandCenter

/// The time formats the archives use, all read into a ``Timestamp``:
/// - Twitter v1.1 `created_at`: `Tue Oct 31 22:10:47 +0000 2017`;
/// - RFC 3339 (`2015-06-23T04:09:49.000Z`, Twitter v2, Mastodon);
/// - the same with a space for `T` and an optional offset (`2015-06-23 04:09:49+00:00`, pandas'
///   CSV form; no offset means UTC);
/// - Unix milliseconds (`timestamp_ms`, 13 digits) or seconds (10 digits).
public enum PlatformTime {
    private static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    /// Parses `bytes` in any of the forms above; `nil` when it is none of them.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> Timestamp? {
        var s = bytes
        while let first = s.first, first == 0x20 { s = s.dropFirst() }
        while let last = s.last, last == 0x20 || last == 0x0D { s = s.dropLast() }
        guard let first = s.first else { return nil }
        if first >= UInt8(ascii: "A") {
            return twitter(s)
        }
        if s.count >= 19, s[s.startIndex + 4] == UInt8(ascii: "-") {
            return isoLike(s)
        }
        if (10...13).contains(s.count), s.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
            let number = s.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
            return Timestamp(milliseconds: s.count == 10 ? number * 1000 : number)
        }
        return nil
    }

    /// Parses a `String`; see ``parse(_:)``.
    public static func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parse(Array($0)[...]) }
    }

    private static func isoLike(_ s: ArraySlice<UInt8>) -> Timestamp? {
        var b = Array(s)
        if b[10] == UInt8(ascii: " ") { b[10] = UInt8(ascii: "T") }
        if let t = Timestamp(rfc3339Bytes: b[...]) { return t }
        // No offset: UTC.
        let last = b[b.count - 1]
        if last &- UInt8(ascii: "0") < 10 {
            b.append(UInt8(ascii: "Z"))
            return Timestamp(rfc3339Bytes: b[...])
        }
        // `+0000` without a colon.
        if b.count >= 5, b[b.count - 5] == UInt8(ascii: "+") || b[b.count - 5] == UInt8(ascii: "-") {
            b.insert(UInt8(ascii: ":"), at: b.count - 2)
            return Timestamp(rfc3339Bytes: b[...])
        }
        return nil
    }

    /// `Tue Oct 31 22:10:47 +0000 2017`, rewritten as RFC 3339 and parsed by the one parser.
    private static func twitter(_ s: ArraySlice<UInt8>) -> Timestamp? {
        canonicalTwitter(s) ?? twitterBySplitting(s)
    }

    /// `Tue Oct 31 22:10:47 +0000 2017` exactly as Twitter writes it (30 bytes, single spaces,
    /// two-digit day): rewritten by position, without splitting. Every row of an import parses its
    /// time twice, and the split was most of that (`perf` of `Tools/bench-import.sh`). Anything
    /// else, or a month name it does not know, goes to ``twitterBySplitting(_:)``.
    static func canonicalTwitter(_ s: ArraySlice<UInt8>) -> Timestamp? {
        guard s.count == 30 else { return nil }
        let b = s.startIndex
        let space = UInt8(ascii: " ")
        guard !s[b..<(b + 3)].contains(space), s[b + 3] == space, s[b + 7] == space, s[b + 10] == space, s[b + 19] == space, s[b + 25] == space,
              let month = months.firstIndex(where: { $0[0] == s[b + 4] && $0[1] == s[b + 5] && $0[2] == s[b + 6] })
        else { return nil }
        return rfc3339(year: s[(b + 26)..<(b + 30)], month: month, day: s[(b + 8)..<(b + 10)],
                       clock: s[(b + 11)..<(b + 19)], offset: s[(b + 20)..<(b + 25)])
    }

    /// Any spacing of the same fields; see ``canonicalTwitter(_:)``.
    static func twitterBySplitting(_ s: ArraySlice<UInt8>) -> Timestamp? {
        let parts = s.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        guard parts.count == 6, parts[3].count == 8, parts[4].count == 5, parts[5].count == 4,
              let month = months.firstIndex(where: { $0.elementsEqual(parts[1]) }),
              (1...2).contains(parts[2].count)
        else { return nil }
        return rfc3339(year: parts[5], month: month, day: parts[2], clock: parts[3], offset: parts[4])
    }

    /// Twitter's fields (`2017`, month 0–11, `31` or `5`, `22:10:47`, `+0000`) as RFC 3339, parsed
    /// by the one parser.
    private static func rfc3339(year: ArraySlice<UInt8>, month: Int, day: ArraySlice<UInt8>, clock: ArraySlice<UInt8>, offset: ArraySlice<UInt8>) -> Timestamp? {
        var b: [UInt8] = []
        b.reserveCapacity(25)
        b.append(contentsOf: year)
        b.append(UInt8(ascii: "-"))
        b.append(UInt8(ascii: "0") + UInt8((month + 1) / 10))
        b.append(UInt8(ascii: "0") + UInt8((month + 1) % 10))
        b.append(UInt8(ascii: "-"))
        if day.count == 1 { b.append(UInt8(ascii: "0")) }
        b.append(contentsOf: day)
        b.append(UInt8(ascii: "T"))
        b.append(contentsOf: clock)
        b.append(contentsOf: offset.prefix(3))
        b.append(UInt8(ascii: ":"))
        b.append(contentsOf: offset.suffix(2))
        return Timestamp(rfc3339Bytes: b[...])
    }
}
