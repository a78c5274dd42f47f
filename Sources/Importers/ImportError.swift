/// An import that cannot go on: a file that cannot be read, or input that breaks a rule. The
/// message names the file, the line and, where there is one, the field.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
