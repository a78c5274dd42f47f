import ArgumentParser
import CommandCenter
import EventLog
import Importers

extension SMCC {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append events from files to a log, all or nothing.",
            discussion: """
                Every line of every file is read and checked before anything is appended: a malformed \
                line, an unknown kind, a missing or mistyped field, a line over 1 MiB, a time that goes \
                backwards, or a reply to a post the log does not know refuses the whole import (exit 2, \
                with the file, line and field). Posts already in the log are not appended again.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case ndjson
        }

        @OptionGroup var target: LogArgument

        @Argument(help: ArgumentHelp("Files to import, in order.", valueName: "FILE"))
        var files: [String]

        @Option(help: "The files' format: ndjson (our own events, as `smcc export` writes them).")
        var format: Format = .ndjson

        @Option(help: "Events per append transaction.")
        var batchSize = 10_000

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name at least one FILE to import") }
            guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        }

        func run() throws {
            let store = try EventStore.open(at: target.log)
            let importer = NDJSONImport(batchSize: batchSize) { appended in
                Console.progress("importing: \(appended.grouped) events appended")
            }
            let summary = try importer.run(files: files, into: store)
            Console.endProgress()
            var line = "read \(summary.read.grouped) events, appended \(summary.appended.grouped), duplicates \(summary.duplicates.grouped)"
            if summary.alreadyImported > 0 { line += ", already imported by an earlier run \(summary.alreadyImported.grouped)" }
            if let first = summary.firstAt, let last = summary.lastAt { line += ", from \(first) to \(last)" }
            print(line)
        }
    }
}
