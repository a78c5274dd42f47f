/// What a string field of an event must be beyond a string: the rules every door an event comes
/// in by applies, so that what one door takes the other takes back. The NDJSON reader
/// (`smcc import`) and the desk (`DeskState.decide`: the API, the simulation, `smcc volunteer add`)
/// both check events with ``Event/fieldProblem()``; an export of whatever the API appended imports.
/// The JSON Schemas of `Schemas/events/` state the same rules.
public enum FieldRule: Sendable {
    /// Any string up to ``maximumBytes``.
    case any
    /// Not empty.
    case nonEmpty
    /// `<channel>:<id>`, the channel one of ``Channel``, the id not empty.
    case postID
    /// `vol:<handle>`, the handle not empty.
    case volunteerID
    /// Not empty, without `#`, lowercase.
    case hashtag

    /// The longest string field, in UTF-8 bytes (64 KiB).
    public static let maximumBytes = 1 << 16

    /// Why `s` breaks the rule (or the length limit), as a phrase such as "must not be empty";
    /// `nil` when it keeps it.
    public func problem(with s: String) -> String? {
        let utf8 = s.utf8
        if utf8.count > Self.maximumBytes {
            return "longer than \(Self.maximumBytes) bytes (\(utf8.count))"
        }
        switch self {
        case .any:
            return nil
        case .nonEmpty:
            return s.isEmpty ? "must not be empty" : nil
        case .postID:
            guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
                  Channel(rawValue: String(s[..<colon])) != nil,
                  utf8.index(after: colon) != utf8.endIndex
            else {
                return "expected a post id '<channel>:<id>' with channel one of "
                    + Channel.allCases.map(\.rawValue).joined(separator: ", ")
            }
            return nil
        case .volunteerID:
            return utf8.starts(with: "vol:".utf8) && utf8.count > 4 ? nil : "expected a volunteer id 'vol:<handle>'"
        case .hashtag:
            if s.isEmpty { return "a hashtag must not be empty" }
            if utf8.contains(UInt8(ascii: "#")) { return "a hashtag is stored without '#'" }
            let isLowercase = utf8.allSatisfy({ $0 < 0x80 })
                ? !utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
                : s.lowercased() == s
            return isLowercase ? nil : "a hashtag is stored lowercase"
        }
    }
}

/// The field of an event that breaks a ``FieldRule``, and why.
public struct FieldProblem: Error, Sendable, Equatable {
    /// The field's name in the interchange form (`hashtags`, `inReplyTo`, …).
    public var field: String
    /// What is wrong, naming the element of an array and quoting the value.
    public var message: String
}
