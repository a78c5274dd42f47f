import CommandCenter
import Foundation

/// The JSON documents the browser pages read besides the queues: who is signed in, the roster,
/// the listening rules with the emerging hashtags, and the wall. Every figure comes from the read
/// model's projections (`DeskState`, `Statistics`): the same code as `smcc queues` and `smcc stats`.
enum DeskDocuments {
    /// `GET /v1/me`.
    struct Me: Encodable {
        var actor: String
        var kind: String
        var name: String?
        var role: String?
        var team: String?
        var onShift: Bool
        var coordinator: Bool
        var replay: Bool
    }

    /// One volunteer of `GET /v1/volunteers`.
    struct Member: Encodable {
        var volunteer: String
        var name: String
        var role: String
        var team: String?
        var onShift: Bool
        /// When the open shift started, or the role last changed during it.
        var onShiftSince: String?
        var posts: Int
    }

    /// `GET /v1/volunteers`.
    struct Roster: Encodable {
        var seq: UInt64
        var volunteers: [Member]
    }

    /// `GET /v1/listening-rules`.
    struct Rules: Encodable {
        struct Rule: Encodable {
            var rule: String
            var urgent: Bool
        }

        struct Emerging: Encodable {
            var tag: String
            var emergedAt: String
            var windowPosts: Int
            /// The rule in force now that covers the hashtag, if any.
            var coveredBy: String?
        }

        var seq: UInt64
        var rules: [Rule]
        var emerging: [Emerging]
    }

    static func me(_ subject: TokenSubject, _ state: borrowing ReadModel.State, replay: Bool) -> Me {
        let volunteer = subject.kind == .volunteer ? state.desk.volunteer(subject.actor) : nil
        return Me(actor: subject.actor, kind: subject.kind.rawValue, name: volunteer?.name, role: volunteer?.role.rawValue, team: volunteer?.team,
                  onShift: volunteer?.onShift ?? false, coordinator: volunteer?.isCoordinator ?? false, replay: replay)
    }

    static func roster(_ state: borrowing ReadModel.State) -> Roster {
        let members = state.desk.volunteers.values.filter(\.active).sorted { $0.id < $1.id }.map { volunteer in
            Member(volunteer: volunteer.id, name: volunteer.name, role: volunteer.role.rawValue, team: volunteer.team, onShift: volunteer.onShift,
                   onShiftSince: volunteer.onShift ? state.statistics.roster.volunteer(volunteer.id)?.onShiftInRoleSince?.rfc3339 : nil,
                   posts: state.desk.volunteerQueue(volunteer.id).count)
        }
        return Roster(seq: state.desk.lastSeq, volunteers: members)
    }

    static func rules(_ state: borrowing ReadModel.State) -> Rules {
        let inForce = state.desk.listeningRules.sorted().compactMap(ListeningRule.init)
        return Rules(
            seq: state.desk.lastSeq,
            rules: inForce.map { Rules.Rule(rule: $0.text, urgent: $0.isUrgent) },
            emerging: emerging(state, inForce)
        )
    }

    /// The hashtags that emerged (`smcc stats`' `hashtags.emerging`), newest first, each with the
    /// rule in force now that covers it.
    static func emerging(_ state: borrowing ReadModel.State, _ inForce: [ListeningRule]) -> [Rules.Emerging] {
        state.statistics.hashtags.emerging().reversed().map { item in
            Rules.Emerging(tag: item.tag, emergedAt: item.emergedAt.rfc3339, windowPosts: item.windowPosts,
                           coveredBy: inForce.first { $0.covers(hashtag: item.tag) }?.text)
        }
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
