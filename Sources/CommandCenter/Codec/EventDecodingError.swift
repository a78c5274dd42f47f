/// A payload that is not a valid event of format `smcc-event 1`.
///
/// Raised by ``EventCodec`` for anything `Schemas/log-format.md` §6 tells a reader to refuse: an
/// unknown kind code, an enum value out of range, an undefined flag bit, a length running past the
/// payload, invalid UTF-8, or bytes left over. The message names the field and the byte offset;
/// the caller, which knows the record, adds the sequence number.
public struct EventDecodingError: Error, CustomStringConvertible, Hashable, Sendable {
    /// What is wrong, naming the field when there is one.
    public var message: String
    /// The offset of the offending byte from the start of the payload.
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `byte OFFSET: MESSAGE`.
    public var description: String { "byte \(offset): \(message)" }
}
