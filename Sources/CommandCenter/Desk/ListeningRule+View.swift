extension ListeningRule {
    /// A rule ready to test posts read in place (``EventView``): the same answers as
    /// ``ListeningRule/matches(_:)`` on the decoded post, without building its strings, and with
    /// what the rule looks for prepared once per rule rather than once per post.
    struct Matcher: Equatable, Sendable {
        /// The rule.
        let rule: ListeningRule
        /// The UTF-8 of the lowercase account or keyword (empty for a hashtag).
        private let needle: [UInt8]
        /// For a keyword: how far the search may jump when the last byte of the window (ASCII
        /// lowercased) is a given byte (Horspool's table), at most 255.
        private let shifts: [UInt8]

        init(_ rule: ListeningRule) {
            self.rule = rule
            switch rule.target {
            case .hashtag:
                needle = []
                shifts = []
            case .account(let account):
                needle = Array(account.utf8)
                shifts = []
            case .keyword(let keyword):
                let needle = Array(keyword.utf8)
                var shifts = [UInt8](repeating: UInt8(min(needle.count, 255)), count: 256)
                for (i, byte) in needle.dropLast().enumerated() { shifts[Int(byte)] = UInt8(min(needle.count - 1 - i, 255)) }
                self.needle = needle
                self.shifts = shifts
            }
        }

        /// Whether the rule matches the `postReceived` `post`, whose hashtags `symbols` interned
        /// last (ASCII compared bytewise; anything else through `String`, as the rule does).
        func matches(_ post: borrowing EventView, symbols: borrowing Symbols) -> Bool {
            switch rule.target {
            case .hashtag(let tag):
                return symbols.eventHashtags.contains { id in
                    let hashtag = symbols.hashtags[id]
                    return hashtag == tag || (Self.mayChangeWhenLowercased(hashtag.utf8) && hashtag.lowercased() == tag)
                }
            case .account:
                if Self.equalsLowercased(post.secondBytes, needle) { return true }
                var found = false
                try? post.forEachMention { mention in
                    if !found && Self.equalsLowercased(mention, needle) { found = true }
                }
                return found
            case .keyword:
                return contains(post.textBytes)
            }
        }

        /// Whether `text` contains the keyword, ASCII letters compared without case (as
        /// ``ListeningRule/containsIgnoringASCIICase(_:_:)``): Horspool's search, which skips
        /// up to the keyword's length at each step instead of testing every byte.
        func contains(_ text: ArraySlice<UInt8>) -> Bool {
            let m = needle.count
            guard m > 0 else { return true }
            guard text.count >= m else { return false }
            let last = needle[m - 1]
            var end = text.startIndex + m - 1
            while end < text.endIndex {
                let byte = Self.lower(text[end])
                if byte == last {
                    var k = 1
                    while k < m, Self.lower(text[end - k]) == needle[m - 1 - k] { k += 1 }
                    if k == m { return true }
                }
                end += Int(shifts[Int(byte)])
            }
            return false
        }

        /// Whether `bytes.lowercased() == lowercased`, for UTF-8 `bytes`.
        private static func equalsLowercased(_ bytes: ArraySlice<UInt8>, _ lowercased: [UInt8]) -> Bool {
            guard bytes.allSatisfy({ $0 < 0x80 }) else {
                return String(decoding: bytes, as: UTF8.self).lowercased().utf8.elementsEqual(lowercased)
            }
            return bytes.count == lowercased.count && zip(bytes, lowercased).allSatisfy { lower($0) == $1 }
        }

        /// Whether `lowercased()` might give another string: an ASCII capital or any non-ASCII byte.
        private static func mayChangeWhenLowercased(_ utf8: String.UTF8View) -> Bool {
            utf8.contains { ($0 >= 65 && $0 <= 90) || $0 >= 0x80 }
        }

        @inline(__always)
        private static func lower(_ byte: UInt8) -> UInt8 {
            byte >= 65 && byte <= 90 ? byte + 32 : byte
        }
    }
}
