public import CommandCenter
import Crypto
import EventLog
import Foundation

/// Who a bearer token speaks for.
public struct TokenSubject: Hashable, Sendable {
    /// What the token may do.
    public enum Kind: String, Sendable, CaseIterable {
        /// A volunteer's: acts as that volunteer, with their current role's rights.
        case volunteer
        /// A monitoring tool's: may only push posts (`POST /v1/posts`).
        case ingest
        /// A screen's (the wall): sees the wall's figures, acts on nothing. Actor `viewer:<name>`.
        case readOnly
    }

    public var kind: Kind
    /// The actor of the events the token's requests append: `vol:<handle>` or `monitor:<name>`
    /// (`viewer:<name>` for a read-only token, which appends nothing).
    public var actor: String

    public init(kind: Kind, actor: String) {
        self.kind = kind
        self.actor = actor
    }
}

/// One line of the tokens file.
public struct TokenEntry: Sendable, Equatable {
    /// The first 12 hex digits of the token's hash: names the token in `list` and `revoke`.
    public var id: String { String(hash.prefix(12)) }
    /// SHA-256 of the token, hex. The token itself is never stored.
    public var hash: String
    public var subject: TokenSubject
    public var issuedAt: Timestamp
    public var revokedAt: Timestamp?
}

/// The bearer tokens of a log, in `LOG/tokens` (or beside a log on PostgreSQL, ``SideDocument``): one line per token, `hash kind actor issuedAt
/// revokedAt|-`, mode 0600, replaced atomically (write a new temporary file, rename, sync the
/// directory) so a server reading it never sees half a file. Every change reads, changes and
/// writes the file holding the lock `LOG/tokens.lock`, so concurrent `smcc token` commands (and
/// the server revoking a volunteer who left) never lose each other's changes. Only hashes are
/// stored: a stolen file opens nothing.
///
/// Tokens live beside the log, not in it: events are exported and shared, tokens must not be.
public enum TokenStore {
    /// The name of the tokens' document beside the log (``SideDocument``): `LOG/tokens` beside a
    /// log directory, a row of the `aside` table beside a log on PostgreSQL.
    static let documentName = "tokens"

    /// Where the tokens of the log in `log` are, for messages.
    public static func path(log: String) -> String { SideDocument.describe(log: log, name: documentName) }

    /// What changes when the tokens change (``SideDocument/version(log:name:fresh:)``).
    static func version(log: String, fresh: Bool = false) -> [Int64]? { SideDocument.version(log: log, name: documentName, fresh: fresh) }

    /// The tokens of the log (an empty list when none was ever issued).
    /// - Throws: `TokenError` naming the file and line of a damaged entry.
    public static func entries(log: String) throws(TokenError) -> [TokenEntry] {
        let (entries, damaged) = try read(log: log)
        if let first = damaged.first { throw TokenError(first) }
        return entries
    }

    /// The tokens of the log and, apart, a message (file and line) per damaged line: what the
    /// server uses, so that one bad line fails closed for that line's token only.
    static func read(log: String) throws(TokenError) -> (entries: [TokenEntry], damaged: [String]) {
        let bytes: [UInt8]?
        do {
            bytes = try SideDocument.read(log: log, name: documentName)
        } catch {
            throw TokenError("\(path(log: log)): cannot read the tokens (\(error.message))")
        }
        guard let bytes else { return ([], []) }
        return parse(String(decoding: bytes, as: UTF8.self), file: path(log: log))
    }

    static func parse(_ text: String, file: String) -> (entries: [TokenEntry], damaged: [String]) {
        var entries: [TokenEntry] = []
        var damaged: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let fields = line.split(separator: " ").map(String.init)
            // A revocation that does not parse must not bring the token back: the entry is refused.
            let revoked = fields.count == 5 && fields[4] != "-" ? Timestamp(rfc3339: fields[4]) : nil
            guard fields.count == 5, fields[0].count == 64, let kind = TokenSubject.Kind(rawValue: fields[1]),
                  let issued = Timestamp(rfc3339: fields[3]), fields[4] == "-" || revoked != nil else {
                damaged.append("\(file):\(index + 1): not a token entry (hash kind actor issuedAt revokedAt)")
                continue
            }
            entries.append(TokenEntry(hash: fields[0], subject: TokenSubject(kind: kind, actor: fields[2]), issuedAt: issued, revokedAt: revoked))
        }
        return (entries, damaged)
    }

    /// Issues a new random token for `subject`, stores its hash, and returns the token: the only
    /// time it is ever shown.
    public static func issue(log: String, subject: TokenSubject, at: Timestamp) throws(TokenError) -> (token: String, entry: TokenEntry) {
        try check(subject)
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let token = "smcc_" + hex(bytes)
        let entry = TokenEntry(hash: hash(token), subject: subject, issuedAt: at, revokedAt: nil)
        try update(log: log) { (entries: inout [TokenEntry]) throws(TokenError) in entries.append(entry) }
        return (token, entry)
    }

    /// Revokes the tokens whose id starts with `idOrActor` or whose actor is `idOrActor`.
    /// - Returns: the entries revoked now (already revoked ones are left as they were).
    /// - Throws: `TokenError` when no active token matches, or the file cannot be read or written.
    public static func revoke(log: String, _ idOrActor: String, at: Timestamp) throws(TokenError) -> [TokenEntry] {
        guard !idOrActor.isEmpty else { throw TokenError("name a token id (see `smcc token list`) or an actor") }
        let revoked = try revokeIfAny(log: log, idOrActor, at: at)
        guard !revoked.isEmpty else {
            throw TokenError("no active token has the id or actor '\(idOrActor)'; see `smcc token list \(log)`")
        }
        return revoked
    }

    /// Revokes every active token of `actor` (or whose id starts with it), if there is any: how
    /// a volunteer who leaves the desk loses their tokens.
    @discardableResult
    public static func revokeIfAny(log: String, _ idOrActor: String, at: Timestamp) throws(TokenError) -> [TokenEntry] {
        try update(log: log) { (all: inout [TokenEntry]) throws(TokenError) -> [TokenEntry] in
            var revoked: [TokenEntry] = []
            for index in all.indices where all[index].revokedAt == nil
                && (all[index].subject.actor == idOrActor || (idOrActor.count >= 6 && all[index].hash.hasPrefix(idOrActor))) {
                all[index].revokedAt = at
                revoked.append(all[index])
            }
            return revoked
        }
    }

    /// Reads the entries, lets `change` change them, and writes them back if it did, all under
    /// the document's lock.
    private static func update<T>(log: String, _ change: (inout [TokenEntry]) throws(TokenError) -> T) throws(TokenError) -> T {
        do {
            return try SideDocument.update(log: log, name: documentName) { bytes throws -> (T, [UInt8]?) in
                let (parsed, damaged) = parse(String(decoding: bytes ?? [], as: UTF8.self), file: path(log: log))
                if let first = damaged.first { throw TokenError(first) }
                var all = parsed
                let result = try change(&all)
                return (result, all == parsed ? nil : serialized(all))
            }
        } catch let error as TokenError {
            throw error
        } catch let error as LogError where error.code == .missing {
            throw TokenError("\(log) is not a log; create it with `smcc init \(log)`")
        } catch {
            throw TokenError("\(error)")
        }
    }

    /// SHA-256 of `token`, hex.
    public static func hash(_ token: String) -> String {
        hex(SHA256.hash(data: Array(token.utf8)))
    }

    /// Lowercase hex. By hand: `String(format:)` per byte was a quarter of the server's CPU per
    /// request (measured with perf), since every request hashes its token.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func check(_ subject: TokenSubject) throws(TokenError) {
        let actor = subject.actor
        let (valid, what) = switch subject.kind {
        case .volunteer: (actor.hasPrefix("vol:") && actor.count > 4, "volunteer id (vol:<handle>)")
        case .ingest: (actor.hasPrefix("monitor:") && actor.count > 8, "monitor name")
        case .readOnly: (actor.hasPrefix("viewer:") && actor.count > 7, "viewer name")
        }
        guard valid, !actor.contains(where: { $0.isWhitespace }), actor.utf8.count <= 200 else {
            throw TokenError("'\(actor)' is not a \(what)")
        }
    }

    private static func serialized(_ entries: [TokenEntry]) -> [UInt8] {
        Array(entries.map { entry in
            "\(entry.hash) \(entry.subject.kind.rawValue) \(entry.subject.actor) \(entry.issuedAt.rfc3339) \(entry.revokedAt?.rfc3339 ?? "-")\n"
        }.joined().utf8)
    }
}

/// A tokens file that cannot be read or written, or a bad token request.
public struct TokenError: Error, CustomStringConvertible, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
