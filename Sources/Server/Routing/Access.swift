import CommandCenter
import Hummingbird

/// Who may do what, by token kind and by the desk's current state.
///
/// - Reads (queues, posts, stats, events, the live stream, audit, metrics) need an *active*
///   volunteer: a token of someone who never joined, or who left, reads nothing.
/// - The wall's reads (the wall, stats, the triage and escalation queues, the replay's state)
///   also take a read-only token: a screen sees, it never acts.
/// - Commands need a token; the desk's rules then judge the actor (role, shift, post state).
///   An ingest token may only push posts.
struct Access: Sendable {
    let readModel: ReadModel
    /// Replaying a past log: any volunteer's token reads it (the replay may be at an instant
    /// before they joined; a token is revoked when its volunteer leaves).
    var replay = false

    /// The actor of a read: a volunteer of the desk right now.
    /// - Throws: `Problem` 401 without a token, 403 for an ingest token or a volunteer who is not active.
    func reader(_ context: DeskRequestContext) throws(Problem) -> String {
        let subject = try self.subject(context)
        guard subject.kind == .volunteer else { throw Self.notAVolunteer(subject) }
        guard replay || readModel.read({ $0.desk.volunteer(subject.actor)?.active }) == true else {
            throw Problem(.forbidden, "forbidden", "\(subject.actor) is not an active volunteer of the desk; only active volunteers read it")
        }
        return subject.actor
    }

    /// The actor of one of the wall's reads: an active volunteer, or a read-only token.
    func viewer(_ context: DeskRequestContext) throws(Problem) -> String {
        let subject = try self.subject(context)
        if subject.kind == .readOnly { return subject.actor }
        return try reader(context)
    }

    /// The subject of a command; an ingest token only for the commands that take posts in, a
    /// read-only token never.
    func commander(_ context: DeskRequestContext, ingest: Bool) throws(Problem) -> TokenSubject {
        let subject = try self.subject(context)
        if subject.kind == .readOnly || (subject.kind == .ingest && !ingest) { throw Self.notAVolunteer(subject) }
        return subject
    }

    private static func notAVolunteer(_ subject: TokenSubject) -> Problem {
        switch subject.kind {
        case .readOnly: Problem(.forbidden, "forbidden", "\(subject.actor) holds a read-only token, which sees the wall and acts on nothing")
        default: Problem(.forbidden, "forbidden", "\(subject.actor) holds an ingest token, which may only push posts (POST /v1/posts)")
        }
    }

    private func subject(_ context: DeskRequestContext) throws(Problem) -> TokenSubject {
        guard let subject = context.subject else {
            throw Problem.unauthorized("no Authorization header; send `Authorization: Bearer <token>` (issue one with `smcc token issue`)")
        }
        return subject
    }
}
