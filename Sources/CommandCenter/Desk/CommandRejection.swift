/// Why the desk refused a command: nothing was appended.
///
/// `Code` is a struct rather than an enum so that new codes never break a client's `switch`.
/// The server maps them to HTTP: `notFound` 404, `forbidden` 403, `conflict` and `alreadyDone` 409,
/// `invalid` 422.
public struct CommandRejection: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of refusal this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The post, volunteer or rule named does not exist (or is not active).
        public static let notFound = Code("notFound")
        /// The actor may not do this (their role, or they are not an active volunteer).
        public static let forbidden = Code("forbidden")
        /// The state does not allow it now: the caller saw a stale version, the post is resolved,
        /// already someone else's, or has an open escalation; the assignee is not on shift.
        public static let conflict = Code("conflict")
        /// The command itself is malformed: an empty text, a bad id, a time before the last event.
        public static let invalid = Code("invalid")
        /// It is already so: the rule exists, the volunteer is already on shift, the post is
        /// already resolved or already assigned to that volunteer. Retrying changes nothing.
        public static let alreadyDone = Code("alreadyDone")
    }

    /// What kind of refusal this is.
    public var code: Code
    /// A sentence a person can act on, naming the post or volunteer.
    public var message: String

    /// Creates a rejection.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
