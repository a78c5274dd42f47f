/// The members of one NDJSON object, taken one by one by name so that whatever is left at the
/// end is an unknown field. Errors carry the file, line and field. Only types are checked here:
/// what a string must be (a post id, a hashtag) is ``FieldRule``'s, checked on the whole event.
struct ObjectFields {
    /// More members than any kind has, by a margin; also bounds the duplicate check's cost.
    static let maxMembers = 32

    private var members: [(key: String, value: JSONValue)]
    private var taken: [Bool]
    let file: String
    let line: Int
    var kind: EventKind?

    init(members: [(key: String, value: JSONValue)], file: String, line: Int) {
        self.members = members
        self.taken = Array(repeating: false, count: members.count)
        self.file = file
        self.line = line
    }

    func error(_ field: String?, _ message: String) -> InputError {
        InputError(file: file, line: line, field: field, message: message)
    }

    func checkNames() throws(InputError) {
        guard members.count <= ObjectFields.maxMembers else {
            throw error(nil, "\(members.count) fields: no event has more than 15")
        }
        for i in members.indices {
            for j in members.indices[(i + 1)...] where members[i].key == members[j].key {
                throw error(members[i].key, "appears twice")
            }
        }
    }

    /// The value of `name`, marking it read; `nil` when absent.
    private mutating func take(_ name: String) -> JSONValue? {
        for i in members.indices where members[i].key == name {
            taken[i] = true
            return members[i].value
        }
        return nil
    }

    private func missing(_ name: String) -> InputError {
        if let kind, name != "at", name != "actor" {
            error(name, "missing (required for kind '\(kind.name)')")
        } else {
            error(name, "missing")
        }
    }

    private func mistyped(_ name: String, _ expected: String, _ value: JSONValue) -> InputError {
        if case .null = value {
            return error(name, "expected \(expected), got null (leave an absent optional field out)")
        }
        return error(name, "expected \(expected), got \(value.summary)")
    }

    mutating func refuseLeftovers() throws(InputError) {
        for i in members.indices where !taken[i] {
            let owner = kind.map { "for kind '\($0.name)'" } ?? ""
            throw error(members[i].key, "unknown field \(owner)")
        }
    }

    /// `seq`: optional, ignored, but an integer when present.
    mutating func sequenceNumber() throws(InputError) {
        guard let value = take("seq") else { return }
        guard case .number(let text) = value, !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
            throw mistyped("seq", "an integer", value)
        }
    }

    // MARK: strings

    mutating func requiredString(_ name: String) throws(InputError) -> String {
        guard let value = take(name) else { throw missing(name) }
        return try string(name, value)
    }

    mutating func optionalString(_ name: String) throws(InputError) -> String? {
        guard let value = take(name) else { return nil }
        return try string(name, value)
    }

    private func string(_ name: String, _ value: JSONValue) throws(InputError) -> String {
        guard case .string(let s) = value else { throw mistyped(name, "a string", value) }
        return s
    }

    mutating func requiredStrings(_ name: String) throws(InputError) -> [String] {
        guard let value = take(name) else { throw missing(name) }
        return try strings(name, value)
    }

    mutating func optionalStrings(_ name: String) throws(InputError) -> [String]? {
        guard let value = take(name) else { return nil }
        return try strings(name, value)
    }

    private func strings(_ name: String, _ value: JSONValue) throws(InputError) -> [String] {
        guard case .array(let elements) = value else { throw mistyped(name, "an array of strings", value) }
        var result: [String] = []
        result.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            guard case .string(let s) = element else {
                throw error(name, "element \(i): expected a string, got \(element.summary)")
            }
            result.append(s)
        }
        return result
    }

    // MARK: times, enums, flags

    mutating func requiredTime(_ name: String) throws(InputError) -> Timestamp {
        guard let value = take(name) else { throw missing(name) }
        guard case .string(let s) = value, let time = Timestamp.parseRFC3339(Array(s.utf8)[...]) else {
            throw mistyped(name, "an RFC 3339 time", value)
        }
        return time
    }

    mutating func requiredEnum<Value: RawRepresentable & CaseIterable>(
        _ name: String, _ type: Value.Type
    ) throws(InputError) -> Value where Value.RawValue == String {
        guard let value = take(name) else { throw missing(name) }
        return try enumeration(name, value, type)
    }

    mutating func optionalEnum<Value: RawRepresentable & CaseIterable>(
        _ name: String, _ type: Value.Type
    ) throws(InputError) -> Value? where Value.RawValue == String {
        guard let value = take(name) else { return nil }
        return try enumeration(name, value, type)
    }

    private func enumeration<Value: RawRepresentable & CaseIterable>(
        _ name: String, _ value: JSONValue, _ type: Value.Type
    ) throws(InputError) -> Value where Value.RawValue == String {
        guard case .string(let s) = value, let result = Value(rawValue: s) else {
            let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw mistyped(name, "one of \(known)", value)
        }
        return result
    }

    /// A boolean optional field: absent or `false` is `false`.
    mutating func flag(_ name: String) throws(InputError) -> Bool {
        guard let value = take(name) else { return false }
        guard case .bool(let b) = value else { throw mistyped(name, "true or false", value) }
        return b
    }
}
