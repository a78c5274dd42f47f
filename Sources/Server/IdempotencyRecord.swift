import Crypto
import HTTPTypes

/// How `smcc serve` keeps `Idempotency-Key`s in the log's `idem` database (Schemas/log-format.md
/// §9): the client's key, scoped by actor, on a command's first event, with a note holding the
/// number of events the command appended and a digest of the whole request; its later events
/// under suffixes a client cannot send (a space, which no client key holds).
enum IdempotencyRecord {
    /// The key of a command's first event.
    static func key(actor: String, clientKey: String) -> String { "api \(actor) \(clientKey)" }

    /// SHA-256 of `method ‖ LF ‖ path ‖ LF ‖ body`: any other path or body is another request.
    static func digest(method: String, path: String, body: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("\(method)\n\(path)\n".utf8))
        hasher.update(data: body)
        return Array(hasher.finalize())
    }

    /// The note of a command's first event: `BE32(count) ‖ digest`.
    static func note(count: Int, digest: [UInt8]) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: UInt32(count) >> (24 - 8 * UInt32($0))) } + digest
    }

    /// The answer to `request` whose key the log already holds: its events again when the stored
    /// digest is the request's, else 422 (a key kept without a digest, by an earlier version of
    /// the server, is refused too: it cannot be told apart).
    static func replay(_ stored: (seq: UInt64, note: [UInt8]), of request: CommandRequest) -> Result<CommandAnswer, any Error> {
        guard stored.note.count == 36, Array(stored.note[4...]) == request.requestDigest else {
            return .failure(reused(request.idempotencyKey ?? "", detail: "by a request that appended event \(stored.seq)"))
        }
        let count = stored.note[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return .success(.replayed(sequenceNumbers: Array(stored.seq ..< stored.seq + max(count, 1))))
    }

    static func reused(_ key: String, detail: String) -> Problem {
        Problem(.unprocessableContent, "idempotencyKeyReused",
                "Idempotency-Key \(key) was already used \(detail), with another method, path or body; use a new key for a new request")
    }
}
