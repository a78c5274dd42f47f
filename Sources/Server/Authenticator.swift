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
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Problem.unauthorized("the Authorization header is not `Bearer <token>`")
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let hash = TokenStore.hash(token)
        guard let subject = try current()[hash] else {
            throw Problem.unauthorized("the token is unknown or revoked; ask a coordinator for a new one")
        }
        return subject
    }

    private func current() throws(Problem) -> [String: TokenSubject] {
        let file = TokenStore.path(log: log)
        let signature = AtomicFile.signature(file)
        if let known = loaded.withLock({ $0.loaded && $0.signature == signature ? $0.subjects : nil }) { return known }
        do {
            var subjects: [String: TokenSubject] = [:]
            for entry in try TokenStore.entries(log: log) where entry.revokedAt == nil { subjects[entry.hash] = entry.subject }
            loaded.withLock { $0 = Loaded(signature: signature, loaded: true, subjects: subjects) }
            return subjects
        } catch {
            throw Problem(.internalServerError, "tokensUnreadable", error.message)
        }
    }
}
