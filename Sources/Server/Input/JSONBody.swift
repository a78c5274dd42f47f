import CommandCenter

/// The members of a request's JSON object, read field by field with the limits of
/// Schemas/openapi.yaml. Parsed by CommandCenter's strict `JSONParser` (not `JSONDecoder`, which
/// keeps one of two duplicate keys silently): a duplicate key, an unknown field, a wrong type or
/// a value outside the document's limits is a 400 problem naming the field, before anything is
/// judged. What a field means (a post id of the right channel, a known volunteer) is then the
/// desk's to judge, with the rules every door shares (`FieldRule`).
struct JSONBody {
    private let members: [(key: String, value: JSONValue)]

    /// The body's fields; `fields` are those the endpoint takes. An empty body is `{}`.
    /// - Throws: `Problem` 400 `malformedJSON`, `invalidField` (not an object), `duplicateField`, `unknownField`.
    init(_ bytes: [UInt8], fields: [String]) throws(Problem) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            members = []
            return
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes[...])
        } catch {
            throw Problem.badRequest("malformedJSON", "the body is not JSON: \(error.message)")
        }
        guard case .object(let members) = value else {
            throw Problem.badRequest("invalidField", "the body must be a JSON object, got \(value.summary)")
        }
        var seen = Set<String>()
        for member in members where !seen.insert(member.key).inserted {
            throw Problem.badRequest("duplicateField", "field '\(member.key.prefix(100))' appears twice")
        }
        if let unknown = members.map(\.key).sorted().first(where: { !fields.contains($0) }) {
            let takes = fields.isEmpty ? "this endpoint takes no fields" : "this endpoint takes: \(fields.sorted().joined(separator: ", "))"
            throw Problem.badRequest("unknownField", "unknown field '\(unknown.prefix(100))'; \(takes)")
        }
        self.members = members
    }

    /// The value of `name`; `nil` when absent or `null`.
    private func value(_ name: String) -> JSONValue? {
        guard let value = members.first(where: { $0.key == name })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    private static func invalid(_ name: String, _ message: String) -> Problem {
        Problem.badRequest("invalidField", "field '\(name)': \(message)")
    }

    /// A required string within `limit`.
    func string(_ name: String, _ limit: TextLimit) throws(Problem) -> String {
        guard let text = try optionalString(name, limit) else {
            throw Problem.badRequest("missingField", "field '\(name)' is required")
        }
        return text
    }

    /// An optional string (absent or `null`: `nil`) within `limit`.
    func optionalString(_ name: String, _ limit: TextLimit) throws(Problem) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw Self.invalid(name, "expected a string, got \(value.summary)") }
        if let problem = limit.problem(with: text) { throw Self.invalid(name, problem) }
        return text
    }

    /// An array of strings (absent or `null`: `nil`) of `count` elements, each within `limit`.
    func optionalStrings(_ name: String, count: ClosedRange<Int>, _ limit: TextLimit) throws(Problem) -> [String]? {
        guard let value = value(name) else { return nil }
        guard case .array(let elements) = value else { throw Self.invalid(name, "expected an array of strings, got \(value.summary)") }
        guard count.contains(elements.count) else {
            throw Self.invalid(name, "\(elements.count) elements; from \(count.lowerBound) to \(count.upperBound) allowed")
        }
        return try elements.enumerated().map { (index, element) throws(Problem) -> String in
            guard case .string(let text) = element else { throw Self.invalid(name, "element \(index): expected a string, got \(element.summary)") }
            if let problem = limit.problem(with: text) { throw Self.invalid(name, "element \(index): \(problem)") }
            return text
        }
    }

    /// A required array of strings.
    func strings(_ name: String, count: ClosedRange<Int>, _ limit: TextLimit) throws(Problem) -> [String] {
        guard let strings = try optionalStrings(name, count: count, limit) else {
            throw Problem.badRequest("missingField", "field '\(name)' is required")
        }
        return strings
    }

    /// An optional boolean (absent or `null`: `nil`).
    func optionalBool(_ name: String) throws(Problem) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw Self.invalid(name, "expected true or false, got \(value.summary)") }
        return flag
    }

    /// An optional number in `range` (absent or `null`: `nil`).
    func optionalNumber(_ name: String, in range: ClosedRange<Double>) throws(Problem) -> Double? {
        guard let value = value(name) else { return nil }
        guard case .number(let text) = value, let number = Double(text), range.contains(number) else {
            throw Self.invalid(name, "expected a number from \(range.lowerBound) to \(range.upperBound), got \(value.summary)")
        }
        return number
    }

    /// One of an enum's cases (absent or `null`: `nil`).
    func optionalChoice<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type) throws(Problem) -> Value? where Value.RawValue == String {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value, let choice = Value(rawValue: text) else {
            throw Self.invalid(name, "\(value.summary) is not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }

    /// A required one of an enum's cases.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type) throws(Problem) -> Value where Value.RawValue == String {
        guard let choice = try optionalChoice(name, type) else {
            throw Problem.badRequest("missingField", "field '\(name)' is required")
        }
        return choice
    }
}

/// The limits of a string field in Schemas/openapi.yaml: its length in characters (Unicode
/// scalars, as JSON Schema counts them), whether it may hold white space or `#`, and the rule its
/// event field keeps (checked here too, so a malformed value is refused before it is judged).
struct TextLimit: Sendable {
    var characters: ClosedRange<Int>
    var rule: FieldRule = .any
    var spaces = true
    var hash = true

    /// Why `text` is outside the limit, or `nil`.
    func problem(with text: String) -> String? {
        let count = text.unicodeScalars.count
        guard characters.contains(count) else {
            return "\(count) characters; from \(characters.lowerBound) to \(characters.upperBound) allowed"
        }
        if !spaces, text.unicodeScalars.contains(where: Self.isSpace) { return "must not contain white space" }
        if !hash, text.utf8.contains(UInt8(ascii: "#")) { return "must not contain '#'" }
        return rule.problem(with: text)
    }

    /// White space as Unicode, ECMAScript (`\s`, U+FEFF) and Python (U+001C–U+001F) each count it,
    /// so a value the document's `\S` patterns refuse is refused here whoever checks the pattern.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value) || scalar.value == 0xFEFF
    }

    static let postID = TextLimit(characters: 3...240, rule: .postID, spaces: false)
    static let volunteerID = TextLimit(characters: 5...200, rule: .volunteerID, spaces: false)
    static let id = TextLimit(characters: 1...240)
    static let text = TextLimit(characters: 0...20_000)
    static let requiredText = TextLimit(characters: 1...20_000)
    static let hashtag = TextLimit(characters: 1...100, spaces: false, hash: false)
    static let mention = TextLimit(characters: 1...100)
    static let tag = TextLimit(characters: 1...100, spaces: false)
    static let media = TextLimit(characters: 1...500)
    static let name = TextLimit(characters: 1...200)
    static let team = TextLimit(characters: 0...200)
    static let rule = TextLimit(characters: 1...200)
    static let url = TextLimit(characters: 1...2_000)
}
