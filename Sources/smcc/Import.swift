import ArgumentParser
import CommandCenter
import EventLog
import Foundation
import Importers

extension SMCC {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Append events from archives (Twitter, Mastodon, CSV) or our own NDJSON, all or nothing.",
            discussion: """
                Formats (told from each file's content unless --format names one): twcs (Kaggle \
                Customer Support on Twitter CSV: brands become teams, signed replies their agents), \
                csv (a CSV of tweets; --columns maps its columns, --team names the desk's accounts), \
                twarc (Twitter API v2 pages, flattened or stream lines), tweets (Twitter v1.1 arrays, \
                search results, JSONL), mastodon (statuses, contexts, notifications), ndjson (our \
                events, as `smcc export` writes them).

                Every row is read and checked before anything is appended: a malformed row or line (bad \
                JSON, a truncated last line, a missing column, a bad time) refuses the whole import \
                (exit 2, naming file, line and field) unless --skip-bad, which imports the rest and \
                lists each row left out. Posts are sorted by time; a post the log already has is a \
                duplicate and appends nothing (post ids are <channel>:<platform id> in every format), \
                so re-running an import, or importing a later slice of the same event that overlaps \
                it, appends only what is new, and a new post dated before the log's last event is \
                refused. Reposts are recorded as such and never enter triage or the desk's statistics (the \
                conversation counts them). Repost and like counts are kept on original posts. Where a CSV's id \
                column lost digits (it went through a float) and the post's URL keeps the exact id, the URL's id \
                is used, and reply-to ids cut the same way are linked to the one post they were cut from. \
                --json prints the summary as Schemas/cli/import.schema.json.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case twcs, csv, twarc, tweets, mastodon, ndjson
        }

        @OptionGroup var target: LogArgument

        @Argument(help: ArgumentHelp("Files to import.", valueName: "FILE"))
        var files: [String]

        @Option(help: "The files' format (twcs, csv, twarc, tweets, mastodon, ndjson); told from each file's content when not given.")
        var format: Format?

        @Option(help: ArgumentHelp("The desk team's accounts, comma-separated (csv, twarc, tweets, mastodon): their replies become `replied`, their other posts `postPublished`.", valueName: "HANDLE,..."))
        var team: String?

        @Option(help: ArgumentHelp("For csv: which column holds a field, comma-separated FIELD=COLUMN (fields: id, time, author, text, replyTo, url, repost, reposts, likes, quote).", valueName: "FIELD=COLUMN,..."))
        var columns: String?

        @Flag(help: "Import the good rows and report each bad one (file, line, field, reason) instead of refusing the import.")
        var skipBad = false

        @Flag(help: "Print the summary as JSON (Schemas/cli/import.schema.json).")
        var json = false

        @Option(help: "Events per append transaction.")
        var batchSize = 10_000

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name at least one FILE to import") }
            guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
            _ = try columnMapping()
        }

        private func columnMapping() throws -> [String: String] {
            var mapping: [String: String] = [:]
            for pair in (columns ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValidationError("--columns: expected FIELD=COLUMN, got '\(pair)'")
                }
                mapping[parts[0]] = parts[1]
            }
            return mapping
        }

        func run() throws {
            for file in files {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
                    throw ImportError("\(file) is a directory; name the files to import (e.g. \(file == "." ? "" : file + "/")*.csv)")
                }
            }
            let formats = try files.map { file in try format.map { ImportFormat(rawValue: $0.rawValue)! } ?? ImportFormat.detect(file) }
            let store = try EventStore.open(at: target.log)
            let summary: ImportSummary
            if formats.contains(.ndjson) {
                guard formats.allSatisfy({ $0 == .ndjson }) else {
                    throw ImportError("\(zip(files, formats).first { $0.1 != .ndjson }!.0): import NDJSON events and archives in separate runs")
                }
                guard !skipBad else { throw ValidationError("--skip-bad applies to archives; NDJSON of our own events is all or nothing") }
                let importer = NDJSONImport(batchSize: batchSize) { appended in
                    Console.progress("importing: \(appended.grouped) events appended")
                }
                summary = try importer.run(files: files, into: store)
            } else {
                let options = ImportOptions(
                    team: (team ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                    columns: try columnMapping(), skipBad: skipBad, batchSize: batchSize
                )
                let importer = ArchiveImport(options: options) { progress in
                    switch progress {
                    case .read(let rows): Console.progress("reading: \(rows.grouped) rows")
                    case .checked(let posts, let total): Console.progress("checking against the log: \(posts.grouped) of \(total.grouped) posts")
                    case .appended(let events): Console.progress("importing: \(events.grouped) events appended")
                    }
                }
                summary = try importer.run(files: Array(zip(files, formats)), into: store)
            }
            Console.endProgress()
            if json {
                print(document(summary, formats: formats).rendered, terminator: "")
                return
            }
            for skipped in summary.skipped { Console.error("skipped \(skipped.description)") }
            var line: String
            if formats.contains(.ndjson) {
                // The NDJSON summary keeps the words it has always printed (scripts read it).
                line = "read \(summary.read.grouped) events, appended \(summary.appended.grouped), duplicates \(summary.duplicates.grouped)"
                if summary.alreadyImported > 0 { line += ", already imported by an earlier run \(summary.alreadyImported.grouped)" }
            } else {
                line = "read \(summary.read.grouped) posts, appended \(summary.appended.grouped) events, duplicates \(summary.duplicates.grouped)"
                line += ", skipped \(summary.skipped.count.grouped)"
                line += ", volunteers joined \(summary.volunteersJoined.grouped), reposts \(summary.reposts.grouped)"
                line += ", replies to unknown posts \(summary.repliesToUnknownPosts.grouped) (imported) + \(summary.teamRepliesToUnknownPosts.grouped) by the team (not imported)"
                if summary.repliesBeforeTheirPost > 0 { line += ", replies dated before their post \(summary.repliesBeforeTheirPost.grouped) (moved to its time)" }
                if summary.idsRepaired > 0 || summary.replyLinksRepaired > 0 {
                    line += ", ids repaired from the post URL \(summary.idsRepaired.grouped) (the id column had lost digits), reply links repaired \(summary.replyLinksRepaired.grouped)"
                }
            }
            if let first = summary.firstAt, let last = summary.lastAt { line += ", from \(first) to \(last)" }
            print(line)
        }

        private func document(_ summary: ImportSummary, formats: [ImportFormat]) -> JSONOutput {
            .object([
                ("files", .array(zip(files, formats).map { .object([("file", .string($0.0)), ("format", .string($0.1.rawValue))]) })),
                ("read", .int(summary.read)),
                ("appended", .int(summary.appended)),
                ("duplicates", .int(summary.duplicates)),
                ("alreadyImported", .int(summary.alreadyImported)),
                ("skipped", .array(summary.skipped.map { row in
                    .object([("file", .string(row.file)), ("line", .int(row.line)), ("field", row.field.map(JSONOutput.string) ?? .null), ("reason", .string(row.reason))])
                })),
                ("repliesToUnknownPosts", .int(summary.repliesToUnknownPosts)),
                ("teamRepliesToUnknownPosts", .int(summary.teamRepliesToUnknownPosts)),
                ("repliesBeforeTheirPost", .int(summary.repliesBeforeTheirPost)),
                ("volunteersJoined", .int(summary.volunteersJoined)),
                ("reposts", .int(summary.reposts)),
                ("idsRepaired", .int(summary.idsRepaired)),
                ("replyLinksRepaired", .int(summary.replyLinksRepaired)),
                ("firstAt", summary.firstAt.map { .string($0.rfc3339) } ?? .null),
                ("lastAt", summary.lastAt.map { .string($0.rfc3339) } ?? .null),
            ])
        }
    }
}
