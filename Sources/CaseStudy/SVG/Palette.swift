public import CommandCenter

/// The report's colours, fixed: one per channel and one per role, the same in every figure (and
/// in every report), from colour-blind-safe sets (Okabe–Ito for channels, Dark2 for roles).
public enum Palette {
    /// The colour of `channel`.
    public static func color(_ channel: Channel) -> String {
        switch channel {
        case .twitter: "#0072B2"
        case .instagram: "#CC79A7"
        case .facebook: "#56B4E9"
        case .linkedin: "#009E73"
        case .mastodon: "#E69F00"
        case .bluesky: "#6A3D9A"
        case .youtube: "#D55E00"
        case .other: "#8C8C8C"
        }
    }

    /// The colour of `role`; `nil` (no known role) is grey.
    public static func color(_ role: Role?) -> String {
        switch role {
        case .ambassador: "#1B9E77"
        case .photo: "#D95F02"
        case .liveTweets: "#7570B3"
        case .streamMonitor: "#E7298A"
        case .coordinator: "#66A61E"
        case nil: "#8C8C8C"
        }
    }

    /// Series without a fixed identity (the top hashtags, by rank).
    static let series = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#6A3D9A"]
    /// The event reported on, and the one it is compared with.
    static let thisEvent = "#0072B2"
    static let otherEvent = "#E69F00"
    /// Original posts and reposts, in every figure of the conversation.
    static let originals = "#0072B2"
    static let reposts = "#9FCBE8"
    /// The event's days, shaded behind a time figure.
    static let eventDays = "#F6EFD6"
    /// The heatmap's ramp, from one post to the most.
    static let heatLow = (r: 0xEA, g: 0xF2, b: 0xFA)
    static let heatHigh = (r: 0x08, g: 0x30, b: 0x6B)
    /// More editions than the two fixed colours: by rank, as the hashtags.
    static func edition(_ index: Int) -> String { index == 0 ? thisEvent : index == 1 ? otherEvent : series[(index) % series.count] }
    /// Reference lines (percentiles, the target) and axes.
    static let ink = "#222222"
    static let muted = "#666666"
    static let grid = "#E4E4E4"
    static let target = "#B2182B"
}
