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
    }

    public var kind: Kind
    /// The actor of the events the token's requests append: `vol:<handle>` or `monitor:<name>`.
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

/// The bearer tokens of a log, in `LOG/tokens`: one line per token, `hash kind actor issuedAt
/// revokedAt|-`, mode 0600, replaced atomically (write a temporary file, rename) so a server
/// reading it never sees half a file. Only hashes are stored: a stolen file opens nothing.
///
/// Tokens live beside the log, not in it: events are exported and shared, tokens must not be.
public enum TokenStore {
    /// The file of the log in `log`.
    public static func path(log: String) -> String { log + "/tokens" }

    /// The tokens of the log (an empty list when none was ever issued).
    /// - Throws: `TokenError` naming the file and line of a damaged entry.
    public static func entries(log: String) throws(TokenError) -> [TokenEntry] {
        let file = path(log: log)
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw TokenError("\(file): cannot read the tokens file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: file)
    }

    static func parse(_ text: String, file: String) throws(TokenError) -> [TokenEntry] {
        var entries: [TokenEntry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let fields = line.split(separator: " ").map(String.init)
            // A revocation that does not parse must not bring the token back: the entry is refused.
            let revoked = fields.count == 5 && fields[4] != "-" ? Timestamp(rfc3339: fields[4]) : nil
            guard fields.count == 5, fields[0].count == 64, let kind = TokenSubject.Kind(rawValue: fields[1]),
                  let issued = Timestamp(rfc3339: fields[3]), fields[4] == "-" || revoked != nil else {
                throw TokenError("\(file):\(index + 1): not a token entry (hash kind actor issuedAt revokedAt)")
            }
            entries.append(TokenEntry(hash: fields[0], subject: TokenSubject(kind: kind, actor: fields[2]), issuedAt: issued, revokedAt: revoked))
        }
        return entries
    }

    /// Issues a new random token for `subject`, stores its hash, and returns the token: the only
    /// time it is ever shown.
    public static func issue(log: String, subject: TokenSubject, at: Timestamp) throws(TokenError) -> (token: String, entry: TokenEntry) {
        try check(subject)
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let token = "smcc_" + hex(bytes)
        let entry = TokenEntry(hash: hash(token), subject: subject, issuedAt: at, revokedAt: nil)
        try save(log: log, try entries(log: log) + [entry])
        return (token, entry)
    }

    /// Revokes the tokens whose id starts with `idOrActor` or whose actor is `idOrActor`.
    /// - Returns: the entries revoked now (already revoked ones are left as they were).
    public static func revoke(log: String, _ idOrActor: String, at: Timestamp) throws(TokenError) -> [TokenEntry] {
        guard !idOrActor.isEmpty else { throw TokenError("name a token id (see `smcc token list`) or an actor") }
        var all = try entries(log: log)
        var revoked: [TokenEntry] = []
        for index in all.indices where all[index].revokedAt == nil
            && (all[index].subject.actor == idOrActor || (idOrActor.count >= 6 && all[index].hash.hasPrefix(idOrActor))) {
            all[index].revokedAt = at
            revoked.append(all[index])
        }
        guard !revoked.isEmpty else {
            throw TokenError("no active token has the id or actor '\(idOrActor)'; see `smcc token list \(log)`")
        }
        try save(log: log, all)
        return revoked
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
        let valid = switch subject.kind {
        case .volunteer: actor.hasPrefix("vol:") && actor.count > 4
        case .ingest: actor.hasPrefix("monitor:") && actor.count > 8
        }
        guard valid, !actor.contains(where: { $0.isWhitespace }), actor.utf8.count <= 200 else {
            throw TokenError("'\(actor)' is not a \(subject.kind == .volunteer ? "volunteer id (vol:<handle>)" : "monitor name")")
        }
    }

    private static func save(log: String, _ entries: [TokenEntry]) throws(TokenError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: log, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TokenError("\(log) is not a log directory; create it with `smcc init \(log)`")
        }
        let text = entries.map { entry in
            "\(entry.hash) \(entry.subject.kind.rawValue) \(entry.subject.actor) \(entry.issuedAt.rfc3339) \(entry.revokedAt?.rfc3339 ?? "-")\n"
        }.joined()
        do {
            try AtomicFile.replace(path(log: log), with: Array(text.utf8), mode: 0o600)
        } catch {
            throw TokenError("\(error)")
        }
    }
}

/// A tokens file that cannot be read or written, or a bad token request.
public struct TokenError: Error, CustomStringConvertible, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
