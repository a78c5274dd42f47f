/// How urgent an escalation is (`escalated`).
///
/// The raw value is the interchange spelling; ``code`` is the storage byte, the position in
/// `Schemas/log-format.md` §6, so the order of the cases is part of the format.
public enum Priority: String, CaseIterable, Hashable, Sendable {
    case low
    case normal
    case high
    case urgent

    /// The storage byte: the position of the case in the spec, from 0.
    public var code: UInt8 {
        switch self {
        case .low: 0
        case .normal: 1
        case .high: 2
        case .urgent: 3
        }
    }

    /// The case stored as `code`; `nil` for a byte out of range.
    public init?(code: UInt8) {
        switch code {
        case 0: self = .low
        case 1: self = .normal
        case 2: self = .high
        case 3: self = .urgent
        default: return nil
        }
    }
}
