/// How a post left the queue (`postResolved`).
///
/// The raw value is the interchange spelling; ``code`` is the storage byte, the position in
/// `Schemas/log-format.md` §6, so the order of the cases is part of the format.
public enum Outcome: String, CaseIterable, Hashable, Sendable {
    case answered
    case noAction
    case spam
    case duplicate

    /// The storage byte: the position of the case in the spec, from 0.
    public var code: UInt8 {
        switch self {
        case .answered: 0
        case .noAction: 1
        case .spam: 2
        case .duplicate: 3
        }
    }

    /// The case stored as `code`; `nil` for a byte out of range.
    public init?(code: UInt8) {
        switch code {
        case 0: self = .answered
        case 1: self = .noAction
        case 2: self = .spam
        case 3: self = .duplicate
        default: return nil
        }
    }
}
