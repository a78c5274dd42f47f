import ArgumentParser
import CommandCenter
import Foundation
import Server

extension SMCC {
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Issue, revoke and list the bearer tokens of the HTTP API.",
            discussion: """
                Tokens are stored in LOG/tokens as SHA-256 hashes only (mode 0600), never in the log: \
                a token is shown once, when issued. A running server sees changes on its next request.
                """,
            subcommands: [Issue.self, Revoke.self, List.self]
        )

        struct Issue: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "issue",
                abstract: "Issue a token per ACTOR and print `ACTOR TOKEN` lines (the only time a token is shown).",
                discussion: """
                    A volunteer's token (vol:<handle>) acts as that volunteer with the rights of their current \
                    role; the volunteer must have joined the desk to do anything (see `smcc volunteer add`). \
                    With --ingest, ACTOR is a monitoring tool's name and its token may only push posts; \
                    its events are by monitor:<name>. With --read-only, ACTOR names a screen (viewer:<name>) \
                    whose token sees the wall's figures and acts on nothing: open /wall#token=TOKEN.
                    """
            )

            @OptionGroup var target: LogArgument

            @Argument(help: ArgumentHelp("vol:<handle>; a tool's name with --ingest; a screen's name with --read-only.", valueName: "ACTOR"))
            var actors: [String]

            @Flag(help: "Issue ingest tokens for monitoring tools (they may only push posts).")
            var ingest = false

            @Flag(help: "Issue read-only tokens for screens such as the wall (they see, never act).")
            var readOnly = false

            func validate() throws {
                guard !actors.isEmpty else { throw ValidationError("name at least one ACTOR") }
                guard !(ingest && readOnly) else { throw ValidationError("--ingest and --read-only exclude each other") }
            }

            func run() throws {
                for actor in actors {
                    let subject = if ingest {
                        TokenSubject(kind: .ingest, actor: actor.hasPrefix("monitor:") ? actor : "monitor:" + actor)
                    } else if readOnly {
                        TokenSubject(kind: .readOnly, actor: actor.hasPrefix("viewer:") ? actor : "viewer:" + actor)
                    } else {
                        TokenSubject(kind: .volunteer, actor: actor)
                    }
                    let issued = try tokenCall { () throws(TokenError) in try TokenStore.issue(log: target.log, subject: subject, at: .now) }
                    print("\(subject.actor) \(issued.token)")
                }
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id (see `list`), or every token of an actor.")

            @OptionGroup var target: LogArgument

            @Argument(help: ArgumentHelp("A token id (at least 6 hex digits) or an actor.", valueName: "ID|ACTOR"))
            var which: String

            func run() throws {
                let revoked = try tokenCall { () throws(TokenError) in try TokenStore.revoke(log: target.log, which, at: .now) }
                for entry in revoked { print("revoked \(entry.id) of \(entry.subject.actor)") }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens: id, kind, actor, issued, revoked.")

            @OptionGroup var target: LogArgument

            func run() throws {
                for entry in try tokenCall({ () throws(TokenError) in try TokenStore.entries(log: target.log) }) {
                    print("\(entry.id)  \(entry.subject.kind.rawValue)  \(entry.subject.actor)  issued \(entry.issuedAt)  \(entry.revokedAt.map { "revoked \($0)" } ?? "active")")
                }
            }
        }
    }
}

/// A token failure is bad input (exit 2) with its one-line message.
func tokenCall<T>(_ body: () throws(TokenError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw Failure.badInput(error.message)
    }
}
