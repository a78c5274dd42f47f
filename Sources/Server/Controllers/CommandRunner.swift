import CommandCenter
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The path every command takes: the token's subject is the actor (never the body) → headers and
/// body read strictly (Schemas/openapi.yaml's limits; 4xx and nothing appended otherwise) → the
/// single writer judges and appends it → the answer, with the post's version as ETag.
struct CommandRunner: Sendable {
    let store: EventStore
    /// `nil` while replaying a past log: the desk is read-only then.
    let writer: CommandWriter?
    let access: Access
    let log: String
    let logger: Logger

    /// Runs the command `make` builds from the body, whose fields are `fields`.
    func run(
        _ request: Request, _ context: DeskRequestContext, fields: [String], ingest: Bool = false,
        _ make: (JSONBody) throws(Problem) -> DeskCommand
    ) async throws -> Response {
        let subject = try access.commander(context, ingest: ingest)
        guard let writer else {
            throw Problem(.forbidden, "forbidden", "this server replays a past log (smcc serve --replay): the desk is read-only")
        }
        let key = try RequestInput.idempotencyKey(request)
        let ifMatch = try RequestInput.version(request)
        var request = request
        let bytes = try await RequestInput.body(&request)
        let command = try make(try JSONBody(bytes, fields: fields))
        if let long = command.ids.first(where: { $0.utf8.count > EventStore.maximumIdBytes }) {
            throw Problem(.unprocessableContent, "invalid", "the id '\(long.prefix(40))…' is \(long.utf8.count) bytes, over the \(EventStore.maximumIdBytes) the log indexes")
        }
        let digest = key == nil ? [] : IdempotencyRecord.digest(
            method: request.method.rawValue, path: RequestInput.percentDecoded(request.uri.path) ?? request.uri.path, body: bytes)
        let answer = try await writer.submit(CommandRequest(command: command, actor: subject.actor, idempotencyKey: key, requestDigest: digest, ifMatch: ifMatch))
        switch answer {
        case .applied(let events, let post, let version):
            if case .leaveVolunteer(let volunteer) = command, !events.isEmpty { revokeTokens(of: volunteer) }
            return Self.response(events, post: post, version: version, replayed: false)
        case .replayed(let seqs):
            var events: [(seq: UInt64, event: Event)] = []
            if let first = seqs.first, let last = seqs.last {
                try store.events(from: first, through: last) { seq, event in
                    events.append((seq, event))
                    return true
                }
            }
            let post = command.post
            return Self.response(events, post: post, version: post == nil ? nil : events.last?.seq, replayed: true)
        case .erased:
            throw Problem(.internalServerError, "internal", "a command was answered as an erasure")
        }
    }

    /// A volunteer who left keeps no token: their reads are refused anyway (not active), and a
    /// rejoin must not bring an old token back.
    private func revokeTokens(of volunteer: String) {
        do {
            try TokenStore.revokeIfAny(log: log, volunteer, at: .now)
        } catch {
            logger.error("\(volunteer) left, but their tokens could not be revoked: \(error.message)")
        }
    }

    private static func response(_ events: [(seq: UInt64, event: Event)], post: String?, version: UInt64?, replayed: Bool) -> Response {
        var out = Array(#"{"events":"#.utf8)
        JSONWriting.events(events, into: &out)
        out.append(contentsOf: #","post":"#.utf8)
        JSONWriting.string(post, into: &out)
        out.append(contentsOf: #","version":"#.utf8)
        out.append(contentsOf: (version.map(String.init) ?? "null").utf8)
        out.append(UInt8(ascii: "}"))
        var headers: HTTPFields = [:]
        if let version { headers[.eTag] = "\"\(version)\"" }
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return JSONWriting.response(out, headers: headers)
    }
}

extension DeskCommand {
    /// The ids the command names (post, volunteer, assignee), which the log indexes.
    var ids: [String] {
        switch self {
        case .assign(let post, let to, _), .escalate(let post, let to, _, _, _): [post, to]
        case .joinVolunteer(let volunteer, _, _, _), .leaveVolunteer(let volunteer), .changeRole(let volunteer, _),
             .startShift(let volunteer), .endShift(let volunteer): [volunteer]
        default: post.map { [$0] } ?? []
        }
    }
}
