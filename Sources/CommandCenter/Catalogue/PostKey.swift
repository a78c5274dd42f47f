/// A post id as the projections hash it: `<channel>:<digits>` — every platform id the importers
/// and the simulator produce — as the channel's code and the number, anything else as the string.
///
/// Why: hashing and comparing a 27-byte tweet id string was a third of a replay (perf); a
/// channel byte and a `UInt64` hash in a few nanoseconds and need no allocation. One-to-one: the
/// numbered form is used only for digits without a leading zero that fit in 19 digits, so
/// `twitter:0123` and `twitter:123` stay different keys.
///
/// `package`: the importers key their tables by it too (a million-row import keeps one per row).
package enum PostKey: Hashable, Sendable {
    case numbered(channel: UInt8, number: UInt64)
    case other(String)

    /// The post id this key stands for, as it was written.
    package var id: String {
        switch self {
        case .numbered(let channel, let number): "\(Channel(code: channel)?.rawValue ?? "other"):\(number)"
        case .other(let id): id
        }
    }

    package init(_ id: String) {
        var id = id
        self = id.withUTF8 { utf8 in Self.numbered(utf8) } ?? .other(id)
    }

    /// The key of post `<channel>:<platformID>`, without building that string for a numbered id.
    package init(_ channel: Channel, _ platformID: String) {
        var digits = platformID
        if let number = digits.withUTF8({ Self.number(UnsafeBufferPointer(rebasing: $0[...])) }) {
            self = .numbered(channel: channel.code, number: number)
        } else {
            self = .other(channel.rawValue + ":" + platformID)
        }
    }

    /// The value of 1 to 19 digits without a leading zero, or `nil`.
    @inline(__always)
    private static func number(_ digits: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard digits.count >= 1, digits.count <= 19, digits[0] != UInt8(ascii: "0") else { return nil }
        var number: UInt64 = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            number = number &* 10 &+ UInt64(digit)
        }
        return number
    }

    /// The numbered form of `utf8`, or `nil` if the id has another shape (also how ``Symbols``
    /// interns a post id read in place, once per event of a replay: hence inlined, and the channel
    /// name compared with stored bytes, not through `String.utf8`).
    @inline(__always)
    static func numbered(_ utf8: UnsafeBufferPointer<UInt8>) -> PostKey? {
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
              let number = number(UnsafeBufferPointer(rebasing: utf8[(colon + 1)...])) else { return nil }
        // Every channel name starts with a different letter: one comparison, not eight.
        let candidate: Channel? = switch colon > 0 ? utf8[0] : 0 {
        case UInt8(ascii: "t"): .twitter
        case UInt8(ascii: "i"): .instagram
        case UInt8(ascii: "f"): .facebook
        case UInt8(ascii: "l"): .linkedin
        case UInt8(ascii: "m"): .mastodon
        case UInt8(ascii: "b"): .bluesky
        case UInt8(ascii: "y"): .youtube
        case UInt8(ascii: "o"): .other
        default: nil
        }
        guard let channel = candidate else { return nil }
        let name = channelNames[Int(channel.code)]
        guard colon == name.count else { return nil }
        for i in 0..<colon where utf8[i] != name[i] { return nil }
        return .numbered(channel: channel.code, number: number)
    }

    /// The UTF-8 of each channel's name, by code.
    private static let channelNames: [[UInt8]] = Channel.allCases.sorted { $0.code < $1.code }.map { Array($0.rawValue.utf8) }
}
