/// What a volunteer does at the desk; roles change during an event.
///
/// The raw value is the interchange spelling; ``code`` is the storage byte, the position in
/// `Schemas/log-format.md` §6, so the order of the cases is part of the format.
public enum Role: String, CaseIterable, Hashable, Sendable {
    case ambassador
    case photo
    case liveTweets
    case streamMonitor
    case coordinator

    /// The storage byte: the position of the case in the spec, from 0.
    public var code: UInt8 {
        switch self {
        case .ambassador: 0
        case .photo: 1
        case .liveTweets: 2
        case .streamMonitor: 3
        case .coordinator: 4
        }
    }

    /// The case stored as `code`; `nil` for a byte out of range.
    public init?(code: UInt8) {
        switch code {
        case 0: self = .ambassador
        case 1: self = .photo
        case 2: self = .liveTweets
        case 3: self = .streamMonitor
        case 4: self = .coordinator
        default: return nil
        }
    }
}
