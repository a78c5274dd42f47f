/// A parsed JSON value, as strict as RFC 8259 and no more: what ``JSONParser`` returns.
///
/// Numbers keep their text, since the only number in the interchange form is `seq` and only
/// its integer-ness matters. Objects keep their members in order, duplicates included, so the
/// reader can refuse them.
public enum JSONValue: Sendable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// A short rendering for messages: `"yesterday"`, `12`, `true`, `null`, `an array`, `an object`.
    public var summary: String {
        switch self {
        case .string(let s):
            var buffer: [UInt8] = []
            if s.unicodeScalars.count > 40 {
                InterchangeJSON.writeString(String(s.unicodeScalars.prefix(40)), into: &buffer)
                buffer.insert(contentsOf: "…".utf8, at: buffer.count - 1)
            } else {
                InterchangeJSON.writeString(s, into: &buffer)
            }
            return String(decoding: buffer, as: UTF8.self)
        case .number(let text): return text.count > 40 ? String(text.prefix(40)) + "…" : text
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
