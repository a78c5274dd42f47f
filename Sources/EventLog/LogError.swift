/// An error of the event log: what failed, where, and for a damaged log the sequence number of the
/// first record found bad.
///
/// `Code` is a struct rather than an enum so that new codes never break a client's `switch`.
public struct LogError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The log directory does not exist.
        public static let missing = Code("missing")
        /// `create` found a log already there.
        public static let alreadyExists = Code("alreadyExists")
        /// The directory exists but is not a log of this format (or of a newer version).
        public static let notALog = Code("notALog")
        /// The directory or its files cannot be written (or read).
        public static let permissionDenied = Code("permissionDenied")
        /// The caller asked for something the log refuses: a time going backwards, a record too large.
        public static let invalidRecord = Code("invalidRecord")
        /// A stored record cannot be read back: it fails decompression, its checksum or its framing.
        public static let corrupt = Code("corrupt")
        /// Another process holds the log's writer lock.
        public static let busy = Code("busy")
        /// A write was attempted on a log opened read-only.
        public static let readOnly = Code("readOnly")
        /// An append was made against a head the log no longer has: another writer appended since
        /// the caller read it. Nothing was appended; catch up and decide again.
        public static let headMoved = Code("headMoved")
        /// The disk (or the file system's quota) is full. Nothing was appended.
        public static let noSpace = Code("noSpace")
        /// LMDB or zstd reported a failure that is none of the above.
        public static let storage = Code("storage")
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence a person can act on.
    public var message: String
    /// The sequence number of the record concerned, when there is one.
    public var seq: UInt64?

    public init(_ code: Code, _ message: String, seq: UInt64? = nil) {
        self.code = code
        self.message = message
        self.seq = seq
    }

    public var description: String {
        if let seq { return "seq \(seq): \(message)" }
        return message
    }
}
