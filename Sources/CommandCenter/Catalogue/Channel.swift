/// The platform a post lives on; the prefix of every post id (`twitter:1234567890`).
///
/// The raw value is the interchange spelling; ``code`` is the storage byte, the position in
/// `Schemas/log-format.md` §6, so the order of the cases is part of the format.
public enum Channel: String, CaseIterable, Hashable, Sendable {
    case twitter
    case instagram
    case facebook
    case linkedin
    case mastodon
    case bluesky
    case youtube
    case other

    /// The storage byte: the position of the case in the spec, from 0.
    public var code: UInt8 {
        switch self {
        case .twitter: 0
        case .instagram: 1
        case .facebook: 2
        case .linkedin: 3
        case .mastodon: 4
        case .bluesky: 5
        case .youtube: 6
        case .other: 7
        }
    }

    /// The case stored as `code`; `nil` for a byte out of range.
    public init?(code: UInt8) {
        switch code {
        case 0: self = .twitter
        case 1: self = .instagram
        case 2: self = .facebook
        case 3: self = .linkedin
        case 4: self = .mastodon
        case 5: self = .bluesky
        case 6: self = .youtube
        case 7: self = .other
        default: return nil
        }
    }
}
