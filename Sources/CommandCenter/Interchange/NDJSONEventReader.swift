/// Reads events in the interchange form (`Schemas/log-format.md` §7), one NDJSON line at a time,
/// strictly: whatever `smcc export` writes reads back to the same event, and anything else is
/// refused with the file, line and field at fault.
///
/// Beyond JSON syntax it refuses: a missing, unknown, duplicate, `null` or mistyped field; an
/// unknown `kind` or enum value; a time that is not RFC 3339 (any offset and precision is
/// accepted; digits past milliseconds are truncated); an empty `actor`; a post id that is not
/// `<channel>:<id>`; a volunteer id (`volunteer`, the `to` of `postAssigned`) that is not
/// `vol:<handle>`; a hashtag with `#` or an uppercase letter; a string over
/// ``maxStringBytes``. Those rules are ``FieldRule``'s, checked by ``Event/fieldProblem()``, as
/// the desk checks every event it appends. `seq` may be present and must then be an integer; it
/// is ignored, since the log assigns sequence numbers. `"isRepost": false` means the same as no `isRepost`.
public struct NDJSONEventReader: Sendable {
    /// The longest line a caller should hand over, in bytes (1 MiB); the caller checks it, since
    /// it owns the splitting of the file into lines.
    public static let maxLineBytes = 1 << 20
    /// The longest string field, in UTF-8 bytes (64 KiB).
    public static let maxStringBytes = FieldRule.maximumBytes

    /// The file name used in errors.
    public var file: String

    /// A reader whose errors name `file`.
    public init(file: String) {
        self.file = file
    }

    /// Parses line number `line` (from 1) of this reader's file; a trailing `\r` or `\n` is fine.
    public func event(fromLine bytes: ArraySlice<UInt8>, line: Int) throws(InputError) -> Event {
        try NDJSONEventReader.parse(bytes, file: file, line: line)
    }

    /// Parses one line of `file` (line numbers from 1) into an event.
    /// - Throws: ``InputError`` naming the file, the line and, when there is one, the field.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String, line: Int) throws(InputError) -> Event {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InputError(file: file, line: line, message: error.message)
        }
        guard case .object(let members) = value else {
            throw InputError(file: file, line: line, message: "expected a JSON object, got \(value.summary)")
        }
        var fields = ObjectFields(members: members, file: file, line: line)
        try fields.checkNames()
        let kindName = try fields.requiredString("kind")
        guard let kind = EventKind(name: kindName) else {
            let known = EventKind.allCases.map(\.name).joined(separator: ", ")
            throw fields.error("kind", "unknown kind \(JSONValue.string(kindName).summary); expected one of \(known)")
        }
        fields.kind = kind
        try fields.sequenceNumber()
        let at = try fields.requiredTime("at")
        let actor = try fields.requiredString("actor")
        let body = try readBody(kind: kind, from: &fields)
        try fields.refuseLeftovers()
        let event = Event(at: at, actor: actor, body: body)
        // The same rules as the desk's (`FieldRule`), so whatever the API appended imports again.
        if let problem = event.fieldProblem() { throw fields.error(problem.field, problem.message) }
        return event
    }

    /// Parses one line held in an array; see the `ArraySlice` overload.
    public static func parse(_ bytes: [UInt8], file: String, line: Int) throws(InputError) -> Event {
        try parse(bytes[...], file: file, line: line)
    }
}
