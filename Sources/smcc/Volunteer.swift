import ArgumentParser
import CommandCenter
import EventLog
import Server

extension SMCC {
    struct Volunteer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "volunteer",
            abstract: "Onboard volunteers from the command line.",
            subcommands: [Add.self]
        )

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Join a volunteer to the desk (if not active already) and print a token for them.",
                discussion: """
                    Appends volunteerJoined through the desk's rules, as --by (default `system`, which may \
                    add volunteers only while the desk has no coordinator: that is how the first coordinator \
                    is made). Needs the log's writer lock: while `smcc serve` runs, a coordinator joins \
                    volunteers with POST /v1/volunteers and `smcc token issue` gives them a token. Prints \
                    `ACTOR TOKEN`.
                    """
            )

            @OptionGroup var target: LogArgument

            @Argument(help: ArgumentHelp("The volunteer id.", valueName: "vol:<handle>"))
            var volunteer: String

            @Option(help: "Their name (default: the handle).")
            var name: String?

            @Option(help: ArgumentHelp("Their role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "ROLE"))
            var role: String?

            @Option(help: "Their team, if any.")
            var team: String?

            @Flag(help: "Shorthand for --role coordinator.")
            var coordinator = false

            @Option(help: "Who adds them: a coordinator's id, or `system` while there is none.")
            var by = "system"

            func validate() throws {
                guard coordinator || role != nil else { throw ValidationError("give --role ROLE or --coordinator") }
                if let role, Role(rawValue: role) == nil {
                    throw ValidationError("--role \(role): choose one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }

            func run() throws {
                let role = coordinator ? Role.coordinator : Role(rawValue: role!)!
                let lock = try EventLog.takeWriterLock(of: target.log)
                let desk = try Desk(store: try EventStore.open(at: target.log))
                if desk.state.volunteer(volunteer)?.active != true {
                    let handle = String(volunteer.dropFirst(volunteer.hasPrefix("vol:") ? 4 : 0))
                    do {
                        try desk.execute(.joinVolunteer(volunteer: volunteer, name: name ?? handle, role: role, team: team), actor: by, at: max(.now, desk.state.lastAt ?? .now))
                    } catch let rejection as CommandRejection {
                        throw Failure.badInput("\(volunteer) cannot join: \(rejection.message)")
                    }
                }
                withExtendedLifetime(lock) {}
                let issued = try tokenCall { () throws(TokenError) in
                    try TokenStore.issue(log: target.log, subject: TokenSubject(kind: .volunteer, actor: volunteer), at: .now)
                }
                print("\(volunteer) \(issued.token)")
            }
        }
    }
}
