public import CommandCenter

extension Channel {
    /// The platform's name as people write it.
    public var displayName: String {
        switch self {
        case .twitter: "Twitter"
        case .instagram: "Instagram"
        case .facebook: "Facebook"
        case .linkedin: "LinkedIn"
        case .mastodon: "Mastodon"
        case .bluesky: "Bluesky"
        case .youtube: "YouTube"
        case .other: "other channels"
        }
    }
}

extension Optional where Wrapped == Role {
    /// The role's name as the team says it; "no known role" for `nil`.
    var displayName: String {
        switch self {
        case .ambassador: "ambassador"
        case .photo: "photo-focus"
        case .liveTweets: "live tweets"
        case .streamMonitor: "stream monitor"
        case .coordinator: "coordinator"
        case nil: "no known role"
        }
    }

    /// The CSV spelling: the interchange name, `unknown` for no known role (as `smcc stats`).
    var csvName: String { self?.rawValue ?? GroupingKey.unknownRole }
}
