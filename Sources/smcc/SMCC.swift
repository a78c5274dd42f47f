// # smcc
//
// The command-line tool of the Social Media Command Center. Thin on purpose: each subcommand
// parses its arguments, calls `EventLog`, `CommandCenter` or `Importers`, and prints. Exit codes:
// 0 success, 1 a check failed (verify found tampering, a record is damaged), 2 bad usage or input,
// with a one-line message naming the file, line and field.

import ArgumentParser
import CommandCenter
import EventLog
import Foundation
import Importers

@main
struct SMCC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smcc",
        abstract: "Social Media Command Center: an append-only, compressed, tamper-evident event log of a social desk.",
        discussion: """
            LOG is a log's directory (LMDB, embedded), or a log in PostgreSQL named by a URL \
            postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?log=NAME, which several `smcc serve` \
            may share; `smcc copy` moves a log between the two. Every action of the desk is an event appended to it; `export` \
            prints them as NDJSON (Schemas/events/), `verify` checks the hash chain.
            """,
        subcommands: [
            Init.self, Simulate.self, Import.self, Describe.self, Export.self, Info.self, Verify.self, Replay.self, Queues.self, Stats.self, Audit.self,
            Report.self, Demo.self, Serve.self, Volunteer.self, Token.self, Erase.self, Upgrade.self, Copy.self, Bench.self,
        ]
    )

    /// Runs the command and maps every failure to the exit codes of DESIGN.md: argument-parser
    /// reports usage errors as 64, which this tool reports as 2 like every other bad input.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as Failure {
            Console.error("smcc: \(failure.message)")
            Foundation.exit(failure.exitCode)
        } catch let error as LogError {
            Console.error("smcc: \(error)")
            Foundation.exit(Failure.exitCode(for: error))
        } catch let error as CommandRejection {
            // Only the simulator drives commands from the CLI: a rejection is its own bug.
            Console.error("smcc: a command was rejected: \(error)")
            Foundation.exit(1)
        } catch let error as ImportError {
            Console.error("smcc: \(error)")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // One line, as every other failure: the usage is one `--help` away.
            Console.error("smcc: \(message(for: error)) (see `smcc help`)")
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A failure with its exit code and a one-line message.
struct Failure: Error {
    var exitCode: Int32
    var message: String

    static func badInput(_ message: String) -> Failure { Failure(exitCode: 2, message: message) }
    static func checkFailed(_ message: String) -> Failure { Failure(exitCode: 1, message: message) }

    /// A damaged log or a storage failure is a failed check (1); everything else is bad input (2).
    static func exitCode(for error: LogError) -> Int32 {
        error.code == .corrupt || error.code == .storage ? 1 : 2
    }
}

/// The log argument every subcommand takes.
struct LogArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("The log: its directory, or a PostgreSQL URL postgresql://USER@HOST[:PORT]/DATABASE?log=NAME.", valueName: "LOG"))
    var log: String
}
