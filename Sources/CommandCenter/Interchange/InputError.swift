/// Input a person gave us (an NDJSON line) that is not a valid event, with where and why.
///
/// ``description`` is the one line the CLI prints, e.g.
/// `events.ndjson:12: field 'postedAt': expected an RFC 3339 time, got "yesterday"`.
public struct InputError: Error, CustomStringConvertible, Hashable, Sendable {
    /// The file the line came from, as the user named it.
    public var file: String
    /// The line number, from 1.
    public var line: Int
    /// The field at fault, when the line is JSON and one field is.
    public var field: String?
    /// What is wrong and, when it helps, what was expected.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `FILE:LINE: field 'NAME': MESSAGE`, or `FILE:LINE: MESSAGE` without a field.
    public var description: String {
        if let field {
            "\(file):\(line): field '\(field)': \(message)"
        } else {
            "\(file):\(line): \(message)"
        }
    }
}
