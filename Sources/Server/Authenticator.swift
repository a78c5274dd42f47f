import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Checks bearer tokens against `LOG/tokens`, re-reading the file whenever it changed (its inode,
/// size or modification time, one `stat` per request), so `smcc token issue` and `revoke` take effect on the next request
/// without restarting the server.
final class Authenticator: Sendable {
    private struct Loaded {
        var signature: [Int64]? = nil
        var loaded = false
        var subjects: [String: TokenSubject] = [:]
        /// Tokens already checked against `subjects`, by the token itself (memory only).
        var byToken: [String: TokenSubject] = [:]
    }

    private let log: String
    private let loaded = Mutex(Loaded())

    init(log: String) { self.log = log }

    /// The subject of the request's `Authorization: Bearer` token.
    /// - Throws: `Problem` 401 when it is missing, malformed, unknown or revoked.
    func subject(of request: Request) throws(Problem) -> TokenSubject {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("no Authorization header; send `Authorization: Bearer <token>` (issue one with `smcc token issue`)")
        }
        let utf8 = header.utf8
        guard utf8.count > 7, utf8.prefix(7).map({ $0 | 0x20 }).elementsEqual("bearer ".utf8) else {
            throw Problem.unauthorized("the Authorization header is not `Bearer <token>`")
        }
        let token = String(decoding: utf8.dropFirst(7).drop { $0 == 0x20 }, as: UTF8.self)
        let known = try current()
        if let subject = known.byToken[token] { return subject }
        guard let subject = known.subjects[TokenStore.hash(token)] else {
            throw Problem.unauthorized("the token is unknown or revoked; ask a coordinator for a new one")
        }
        // Remembered until the file changes (a revocation empties this), so a client's next
        // request skips the hash.
        loaded.withLock { loaded in
            if loaded.signature == known.signature, loaded.byToken.count < 10_000 { loaded.byToken[token] = subject }
        }
        return subject
    }

    private func current() throws(Problem) -> Loaded {
        let file = TokenStore.path(log: log)
        let signature = AtomicFile.signature(file)
        if let known = loaded.withLock({ $0.loaded && $0.signature == signature ? $0 : nil }) { return known }
        do {
            var subjects: [String: TokenSubject] = [:]
            for entry in try TokenStore.entries(log: log) where entry.revokedAt == nil { subjects[entry.hash] = entry.subject }
            let fresh = Loaded(signature: signature, loaded: true, subjects: subjects)
            loaded.withLock { $0 = fresh }
            return fresh
        } catch {
            throw Problem(.internalServerError, "tokensUnreadable", error.message)
        }
    }
}
