/// A listening rule, parsed: what posts it picks up, and whether matches are urgent.
///
/// The text form (the `rule` field of `listeningRuleAdded`) is an optional `!` — the rule is
/// *urgent*: posts it matches go to the front of the triage queue — followed by one of
/// - `#tag`: posts carrying that hashtag (compared lowercase, without `#`);
/// - `@account`: posts by that author or mentioning that account (case-insensitive);
/// - anything else, a keyword or phrase: posts whose text contains it, ignoring ASCII case.
///
/// A rule *covers* a hashtag when, once the `!` is dropped, it is `#` and that hashtag: so both
/// `#wifidown` and `!#wifidown` cover `wifidown` (what the report's "picked up N minutes after it
/// emerged" measures).
public struct ListeningRule: Hashable, Sendable {
    /// What a rule matches.
    public enum Target: Hashable, Sendable {
        /// A hashtag, lowercase, without `#`.
        case hashtag(String)
        /// An account, lowercase, without `@`.
        case account(String)
        /// A keyword or phrase, lowercase.
        case keyword(String)
    }

    /// The rule as written.
    public var text: String
    /// Whether matches are urgent (the rule starts with `!`).
    public var isUrgent: Bool
    /// What it matches.
    public var target: Target

    /// Parses a rule; `nil` when it is empty, has surrounding spaces, or is a bare `#`, `@` or `!`.
    public init?(_ text: String) {
        var body = Substring(text)
        var urgent = false
        if body.first == "!" {
            urgent = true
            body = body.dropFirst()
        }
        guard let first = body.first, !first.isWhitespace, body.last.map({ !$0.isWhitespace }) == true else { return nil }
        switch first {
        case "#":
            let tag = body.dropFirst()
            guard !tag.isEmpty, !tag.contains(where: { $0.isWhitespace || $0 == "#" }) else { return nil }
            target = .hashtag(tag.lowercased())
        case "@":
            let account = body.dropFirst()
            guard !account.isEmpty, !account.contains(where: \.isWhitespace) else { return nil }
            target = .account(account.lowercased())
        default:
            target = .keyword(body.lowercased())
        }
        self.text = text
        self.isUrgent = urgent
    }

    /// Whether the rule covers `hashtag` (lowercase, without `#`).
    public func covers(hashtag: String) -> Bool {
        if case .hashtag(let tag) = target { return tag == hashtag }
        return false
    }

    /// Whether the rule matches a received post.
    public func matches(_ post: PostReceived) -> Bool {
        switch target {
        case .hashtag(let tag):
            return post.hashtags.contains { $0 == tag || $0.lowercased() == tag }
        case .account(let account):
            return post.author.lowercased() == account || post.mentions.contains { $0.lowercased() == account }
        case .keyword(let keyword):
            return Self.containsIgnoringASCIICase(post.text, keyword)
        }
    }

    /// Whether `text` contains `lowercasedNeedle`, comparing ASCII letters without case
    /// (bytewise on UTF-8, no allocation per post).
    static func containsIgnoringASCIICase(_ text: String, _ lowercasedNeedle: String) -> Bool {
        let needle = Array(lowercasedNeedle.utf8)
        guard let first = needle.first else { return true }
        // A simple scan: texts are short (a post), needles shorter.
        let bytes = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            if lower(bytes[i]) == first {
                var j = 1
                while j < needle.count, lower(bytes[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}
