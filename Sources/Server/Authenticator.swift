import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Checks bearer tokens against `LOG/tokens`, re-reading the file whenever it changed (its inode,
/// size, modification or change time, one `stat` per request), so `smcc token issue` and `revoke`
/// take effect on the next request without restarting the server. Beside a log on PostgreSQL the
/// tokens' version is asked at most once a second: a revocation takes effect within that second
/// there, and a new token at once (an unknown token is looked for again in the newest tokens).
///
/// A damaged line of the file fails closed for that line only: its token is unknown, everyone
/// else's keeps working, and the operator is told on standard error (file and line) — never the
/// caller, who learns nothing of the server's files.
final class Authenticator: Sendable {
    private struct Loaded {
        var signature: [Int64]? = nil
        var loaded = false
        var subjects: [String: TokenSubject] = [:]
        /// Tokens already checked against `subjects`, by the token itself (memory only).
        var byToken: [String: TokenSubject] = [:]
    }

    private let log: String
    private let logger: Logger
    private let loaded = Mutex(Loaded())

    init(log: String, logger: Logger) {
        self.log = log
        self.logger = logger
    }

    /// The subject of `token`.
    /// - Throws: `Problem` 401 when it is unknown or revoked, 500 when the file cannot be read at all.
    func subject(token: String) throws(Problem) -> TokenSubject {
        var known = try current()
        if let subject = known.byToken[token] { return subject }
        let hash = TokenStore.hash(token)
        // Beside a log on PostgreSQL the tokens' version is asked at most once a second: a token
        // issued within that second is looked for again in the newest tokens before it is refused,
        // so that a new token works at once on every server.
        if known.subjects[hash] == nil { known = try current(fresh: true) }
        guard let subject = known.subjects[hash] else {
            throw Problem.unauthorized("the token is unknown or revoked; ask a coordinator for a new one")
        }
        // Remembered until the file changes (a revocation empties this), so a client's next
        // request skips the hash.
        loaded.withLock { loaded in
            if loaded.signature == known.signature, loaded.byToken.count < 10_000 { loaded.byToken[token] = subject }
        }
        return subject
    }

    /// The bearer token of `Authorization: Bearer <token>`; `nil` without the header.
    /// - Throws: `Problem` 401 for another scheme.
    static func bearerToken(_ request: Request) throws(Problem) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let utf8 = header.utf8
        guard utf8.count > 7, utf8.prefix(7).map({ $0 | 0x20 }).elementsEqual("bearer ".utf8) else {
            throw Problem.unauthorized("the Authorization header is not `Bearer <token>`")
        }
        return String(decoding: utf8.dropFirst(7).drop { $0 == 0x20 }, as: UTF8.self)
    }

    private func current(fresh: Bool = false) throws(Problem) -> Loaded {
        let signature = TokenStore.version(log: log, fresh: fresh)
        if let known = loaded.withLock({ $0.loaded && $0.signature == signature ? $0 : nil }) { return known }
        do {
            let (entries, damaged) = try TokenStore.read(log: log)
            for message in damaged { logger.error("\(message); that line's token is refused until the line is fixed") }
            var subjects: [String: TokenSubject] = [:]
            for entry in entries where entry.revokedAt == nil { subjects[entry.hash] = entry.subject }
            let fresh = Loaded(signature: signature, loaded: true, subjects: subjects)
            loaded.withLock { $0 = fresh }
            return fresh
        } catch {
            logger.error("\(error.message)")
            throw Problem(.internalServerError, "tokensUnreadable", "the server cannot read its tokens; its operator has the details")
        }
    }
}
